/* A plan is an ordered list of operations computed by TypeScript (src/sys/plan.ts mirrors these
 * codes). The child process executes it verbatim: it never parses, decides or allocates. It travels
 * from the addon to vessel-nsexec flattened (native/nsexec/wire.h). */
#ifndef VESSEL_PLAN_H
#define VESSEL_PLAN_H

#include <stddef.h>
#include <stdint.h>

enum op_code {
  OP_SETNS = 1,          /* fd, nstype */
  OP_UNSHARE = 2,        /* flags */
  OP_SYNC = 3,           /* code: tell the parent, wait for its go-ahead */
  OP_FORK = 4,           /* clone flags, parent's next op (-1: exit): the child carries on; the parent reports the child's pid */
  OP_CLOSE_RANGE = 5,    /* first, last, flags */
  OP_CLOSE = 6,          /* fd */
  OP_MOUNT = 7,          /* source|"" , target, fstype|"", flags, data|"" : plain mount(2) on an absolute path */
  OP_MOUNT_AT = 8,       /* rootfd, relpath, source|"", fstype|"", flags, data|"" : target resolved with RESOLVE_IN_ROOT */
  OP_MKDIR_AT = 9,       /* rootfd, relparent|"", name, mode : create one path component inside the root */
  OP_MKFILE_AT = 10,     /* rootfd, relparent|"", name, mode */
  OP_MKNOD_AT = 11,      /* rootfd, relparent|"", name, mode, major, minor, uid, gid */
  OP_SYMLINK_AT = 12,    /* rootfd, relparent|"", name, target */
  OP_OPEN_ROOT = 13,     /* path, fd number to place it at (dup3) */
  OP_PIVOT_ROOT = 14,    /* rootfs path */
  OP_MOVE_ROOT = 15,     /* rootfs path: MS_MOVE + chroot, for --no-pivot only */
  OP_MASK_PATH = 16,     /* path: /dev/null over a file, read-only tmpfs over a directory; absent paths skipped */
  OP_READONLY_PATH = 17, /* path: bind onto itself read-only; absent paths skipped */
  OP_WRITE_FILE = 18,    /* path, content */
  OP_SETHOSTNAME = 19,   /* name */
  OP_SETDOMAINNAME = 20, /* name */
  OP_RLIMIT = 21,        /* resource, soft(u64), hard(u64) */
  OP_TERMINAL = 22,      /* console socket fd[, rows, cols]: open a pty here (sized), make it our stdio and ctty, send the master */
  OP_WAIT_FIFO = 23,     /* fd of the exec fifo opened O_RDONLY|O_NONBLOCK: block until `start` writes */
  OP_HOOK = 24,          /* path, argv[], envp[], timeout seconds, stdin dirfd, stdin file name: run, fail on non-zero */
  OP_PRCTL = 25,         /* option, arg2, arg3 */
  OP_SETGROUPS = 26,     /* gids as a buffer of native-endian uint32 */
  OP_SETRESGID = 27,     /* gid */
  OP_SETRESUID = 28,     /* uid */
  OP_CAPSET = 29,        /* eff_lo, eff_hi, perm_lo, perm_hi, inh_lo, inh_hi */
  OP_CAP_BOUND = 30,     /* lo, hi: drop every capability not in this set from the bounding set */
  OP_CAP_AMBIENT = 31,   /* lo, hi: raise these ambient capabilities */
  OP_SECCOMP = 32,       /* filter bytes (struct sock_filter[]), flags */
  OP_UMASK = 33,         /* mask */
  OP_CHDIR = 34,         /* path, verify(0/1): refuse a directory outside the root (CVE-2024-21626) */
  OP_CHECK_EXEC = 35,    /* candidates[]: fail unless one is an executable file */
  OP_EXEC = 36,          /* candidates[], argv[], envp[] */
  OP_SETSID = 37,
  OP_MOUNT_PROPAGATION = 38, /* path, flags */
  OP_BIND_ROOTFS = 39,   /* rootfs path: make it a mount point (rbind onto itself) */
  OP_DUP2 = 40,          /* oldfd, newfd */
  OP_INHERIT_FDS = 41,   /* first, last: clear close-on-exec (Node sets it on its own stdio) */
  OP_CHROOT = 42,        /* path: only for a container without a mount namespace of its own */
  OP__MAX
};

/* What the child tells the parent over the sync socket: fixed size, no parsing needed. */
enum msg_type { MSG_SYNC = 1, MSG_PID = 2, MSG_ERROR = 3 };
struct child_msg {
  int32_t type;
  int32_t op_index;  /* which op (0-based) sent it or failed */
  int32_t value;     /* sync code, pid, or errno */
  int32_t detail;    /* extra number: exit status of a hook, etc. */
};

enum arg_kind { ARG_INT = 1, ARG_STR = 2, ARG_BUF = 3, ARG_STRV = 4 };
struct plan_arg {
  int kind;
  int64_t n;           /* ARG_INT (also carries u64 for rlimits) */
  const char *s;       /* ARG_STR, ARG_BUF data */
  size_t len;          /* ARG_BUF length, ARG_STRV count */
  char *const *v;      /* ARG_STRV, NULL-terminated */
};
struct plan_op {
  int code;
  int argc;
  struct plan_arg *args;
};
struct plan {
  int sync_fd;
  int trace_fd;        /* a memfd holding a struct trace_header and its records, or -1 (native/src/trace.h) */
  size_t count;
  struct plan_op *ops;
};

struct trace_header;
/* Runs the plan in the current process (vessel-nsexec, exec'd by the freshly cloned child), recording
 * each step into `trace` when it is not NULL. `started_ns` is when the stub began (CLOCK_MONOTONIC).
 * Never returns. */
void child_run(const struct plan *plan, struct trace_header *trace, uint64_t started_ns) __attribute__((noreturn));

#ifdef NAPI_VERSION /* the addon only: vessel-nsexec has no N-API */
#include <node_api.h>
/* Copies a JS plan ([[code, ...args], ...]) into C memory; returns 0 or throws. */
int plan_from_js(napi_env env, napi_value ops, int sync_fd, struct plan *out);
void plan_free(struct plan *p);
#endif

#endif
