/* The child side of a plan: a straight interpreter over struct plan. It runs in vessel-nsexec
 * (native/nsexec/), which the runtime's cloned child execs before the first step, so that no
 * process inside a container's namespaces has the host's node binary as its exe. It keeps to raw
 * system calls and async-signal-safe functions (no malloc, no stdio, no glibc set*id broadcast):
 * it forks at OP_FORK and runs between setns and the container's execve, where nothing may be
 * left half-done in a library. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "plan.h"
#include "trace.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static const struct plan *g_plan;
static int g_index;
/* --trace: the shared record buffer (NULL when off) and when the current step began. */
static struct trace_header *g_trace;
static uint64_t g_step_start;
/* This process's pid, read once per process (at the start and after each fork): a step recorded
 * after the seccomp filter is installed must make no system call the filter could refuse.
 * clock_gettime is served by the vDSO. */
static int32_t g_pid;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One record: a slot claimed atomically (the plan's processes share the buffer), filled, then
 * published. No allocation, no formatting: the runtime knows each step's arguments already. */
static void trace_put(int index, uint64_t start, int result, int detail) {
  uint32_t slot = __atomic_fetch_add(&g_trace->next, 1, __ATOMIC_RELAXED);
  if (slot >= g_trace->capacity) return;
  struct trace_record *r = (struct trace_record *)(g_trace + 1) + slot;
  r->op_index = index;
  r->pid = g_pid;
  r->result = result;
  r->detail = detail;
  r->start_ns = start;
  r->end_ns = now_ns();
  __atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
}

static void put_str(const char *s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(2, s, n);
    if (w <= 0) return;
    s += w; n -= (size_t)w;
  }
}

static int send_msg(int type, int value, int detail) {
  struct child_msg m = {type, g_index, value, detail};
  /* MSG_NOSIGNAL: the parent may be gone (after `create` returned); that must not kill us. */
  ssize_t r;
  do r = send(g_plan->sync_fd, &m, sizeof m, MSG_NOSIGNAL); while (r < 0 && errno == EINTR);
  return r == (ssize_t)sizeof m ? 0 : -1;
}

static void put_num(long v) {
  char d[24];
  int n = 0;
  unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
  do { d[n++] = (char)('0' + u % 10); u /= 10; } while (u);
  if (v < 0) d[n++] = '-';
  char out[24];
  int k = 0;
  while (n) out[k++] = d[--n];
  if (write(2, out, (size_t)k) < 0) return;
}

static void fail(int err, int detail) __attribute__((noreturn));
static void fail(int err, int detail) {
  if (g_trace) trace_put(g_index, g_step_start, err, detail);
  if (send_msg(MSG_ERROR, err, detail) < 0) {
    /* Nobody is listening any more (after `create` returned): the container's stderr is all we have. */
    const char *desc = strerrordesc_np(err);
    put_str("vessel-runtime: container process failed at plan step ");
    put_num(g_index);
    put_str(" (op ");
    put_num(g_plan->ops[g_index].code);
    put_str("): ");
    put_str(desc ? desc : "error");
    put_str("\n");
  }
  _exit(126);
}

/* An exec failure after `create` has returned has nobody to report to but the container's own
 * stderr, the way runc does it. */
static void fail_exec(const char *what, int err) __attribute__((noreturn));
static void fail_exec(const char *what, int err) {
  if (g_trace) trace_put(g_index, g_step_start, err, 0);
  const char *desc = strerrordesc_np(err);
  put_str("vessel-runtime: exec ");
  put_str(what);
  put_str(": ");
  put_str(desc ? desc : "error");
  put_str("\n");
  send_msg(MSG_ERROR, err, 0);
  _exit(err == ENOENT ? 127 : 126);
}

static void wait_parent(int code) {
  send_msg(MSG_SYNC, code, 0);
  int32_t reply = -1;
  ssize_t r;
  do r = read(g_plan->sync_fd, &reply, sizeof reply); while (r < 0 && errno == EINTR);
  if (r != (ssize_t)sizeof reply || reply != 0) _exit(126);
}

static const char *empty_null(const char *s) { return s && *s ? s : NULL; }

static void fd_path(char *buf, int fd) {
  /* "/proc/self/fd/" + decimal fd, without snprintf */
  static const char prefix[] = "/proc/self/fd/";
  memcpy(buf, prefix, sizeof prefix - 1);
  char digits[16];
  int n = 0;
  unsigned v = (unsigned)fd;
  do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  char *p = buf + sizeof prefix - 1;
  while (n) *p++ = digits[--n];
  *p = 0;
}

/* Resolve a path inside the root as if the root were "/": symlinks cannot leave it. */
static int open_in_root(int rootfd, const char *rel, uint64_t flags) {
  struct open_how how = {0};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return (int)syscall(SYS_openat2, rootfd, rel && *rel ? rel : ".", &how, sizeof how);
}

static int parent_in_root(const struct plan_arg *a) {
  int fd = open_in_root((int)a[0].n, a[1].s, O_PATH | O_DIRECTORY);
  if (fd < 0) fail(errno, 0);
  return fd;
}

static void op_mount_at(const struct plan_arg *a) {
  int fd = open_in_root((int)a[0].n, a[1].s, O_PATH);
  if (fd < 0) fail(errno, 0);
  char path[32];
  fd_path(path, fd);
  if (mount(empty_null(a[2].s), path, empty_null(a[3].s), (unsigned long)a[4].n, empty_null(a[5].s)) < 0) fail(errno, 0);
  close(fd);
}

static void op_pivot_root(const char *rootfs) {
  int oldroot = open("/", O_DIRECTORY | O_PATH | O_CLOEXEC);
  int newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (oldroot < 0 || newroot < 0) fail(errno, 0);
  if (fchdir(newroot) < 0) fail(errno, 1);
  /* pivot_root(".", ".") stacks the old root on top of the new one; detach it from there. */
  if (syscall(SYS_pivot_root, ".", ".") < 0) fail(errno, 2);
  if (fchdir(oldroot) < 0) fail(errno, 3);
  /* Slave first, so that detaching the old root cannot propagate an unmount to the host. */
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) fail(errno, 4);
  if (umount2(".", MNT_DETACH) < 0) fail(errno, 5);
  if (chdir("/") < 0) fail(errno, 6);
  close(oldroot);
  close(newroot);
}

static void op_move_root(const char *rootfs) {
  if (chdir(rootfs) < 0) fail(errno, 1);
  if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0) fail(errno, 2);
  if (chroot(".") < 0) fail(errno, 3);
  if (chdir("/") < 0) fail(errno, 4);
}

static void op_mask_path(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) {
    if (errno == ENOENT) return;
    fail(errno, 0);
  }
  int r = S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k")
                              : mount("/dev/null", path, NULL, MS_BIND, NULL);
  if (r < 0) fail(errno, 1);
}

static unsigned long locked_flags(const char *path) {
  struct statvfs s;
  if (statvfs(path, &s) < 0) return 0;
  unsigned long f = 0;
  if (s.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (s.f_flag & ST_NODEV) f |= MS_NODEV;
  if (s.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  return f;
}

static void op_readonly_path(const char *path) {
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
    if (errno == ENOENT) return;
    fail(errno, 0);
  }
  /* A read-only remount must keep nosuid/nodev/noexec, which a user namespace locks. */
  unsigned long keep = locked_flags(path);
  if (mount(path, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | keep, NULL) < 0) fail(errno, 1);
}

static void op_write_file(const char *path, const char *content) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail(errno, 0);
  size_t n = strlen(content);
  if (write(fd, content, n) != (ssize_t)n) fail(errno, 1);
  close(fd);
}

/* rows and cols (process.consoleSize) are set before the program runs, so its first look at its
 * terminal sees the client's size; 0 leaves the kernel's 0x0. */
static void op_terminal(int console, unsigned rows, unsigned cols) {
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) fail(errno, 0);
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) fail(errno, 1);
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) fail(errno, 2);
  if (rows && cols) {
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    if (ioctl(slave, TIOCSWINSZ, &ws) < 0) fail(errno, 6);
  }
  if (ioctl(slave, TIOCSCTTY, 0) < 0) fail(errno, 3);
  for (int i = 0; i < 3; i++)
    if (dup2(slave, i) < 0) fail(errno, 4);
  if (slave > 2) close(slave);
  char name[] = "/dev/ptmx";
  struct iovec iov = {name, sizeof name - 1};
  char ctl[CMSG_SPACE(sizeof(int))];
  memset(ctl, 0, sizeof ctl);
  struct msghdr mh = {0};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = ctl;
  mh.msg_controllen = sizeof ctl;
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &master, sizeof(int));
  if (sendmsg(console, &mh, MSG_NOSIGNAL) < 0) fail(errno, 5);
  close(master);
  close(console);
}

static void op_wait_fifo(int fd) {
  /* The fifo was opened for reading with O_NONBLOCK before any writer existed; poll blocks until
   * `start` opens it for writing and writes. */
  struct pollfd p = {fd, POLLIN, 0};
  for (;;) {
    int r = poll(&p, 1, -1);
    if (r > 0) break;
    if (r < 0 && errno != EINTR) fail(errno, 0);
  }
  char c;
  ssize_t r;
  do r = read(fd, &c, 1); while (r < 0 && errno == EINTR);
  if (r != 1) _exit(126); /* the fifo closed without a start: nothing to run */
  close(fd);
}

static void op_hook(const struct plan_arg *a) {
  /* The hook's stdin is the state file (written by the runtime when the container was created),
   * opened through a directory fd taken before pivot_root. */
  int in = openat((int)a[4].n, a[5].s, O_RDONLY | O_CLOEXEC);
  if (in < 0) fail(errno, 1);
  pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) fail(errno, 2);
  if (pid == 0) {
    dup2(in, 0);
    if (a[3].n > 0) alarm((unsigned)a[3].n);
    execve(a[0].s, a[1].v, a[2].v);
    _exit(127);
  }
  close(in);
  int status;
  pid_t w;
  do w = waitpid(pid, &status, 0); while (w < 0 && errno == EINTR);
  if (w < 0) fail(errno, 3);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail(ECHILD, status);
}

static void op_capset(const struct plan_arg *a) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  d[0].effective = (uint32_t)a[0].n; d[1].effective = (uint32_t)a[1].n;
  d[0].permitted = (uint32_t)a[2].n; d[1].permitted = (uint32_t)a[3].n;
  d[0].inheritable = (uint32_t)a[4].n; d[1].inheritable = (uint32_t)a[5].n;
  if (syscall(SYS_capset, &h, d) < 0) fail(errno, 0);
}

static int in_set(const struct plan_arg *a, int cap) {
  uint32_t word = (uint32_t)(cap < 32 ? a[0].n : a[1].n);
  return (word >> (cap % 32)) & 1;
}

static void op_cap_bound(const struct plan_arg *a) {
  for (int cap = 0; cap < 64; cap++) {
    if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) break; /* past the kernel's last capability */
    if (!in_set(a, cap) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) fail(errno, cap);
  }
}

static void op_cap_ambient(const struct plan_arg *a) {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) fail(errno, -1);
  for (int cap = 0; cap < 64; cap++)
    if (in_set(a, cap) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) fail(errno, cap);
}

static void op_seccomp(const struct plan_arg *a) {
  struct sock_fprog prog = {(unsigned short)(a[0].len / sizeof(struct sock_filter)), (struct sock_filter *)a[0].s};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)a[1].n, &prog) < 0) fail(errno, 0);
}

static void op_chdir(const char *path, int verify) {
  if (chdir(path) < 0) fail(errno, 0);
  if (!verify) return;
  /* A directory outside our root (say, through a leaked fd) reads back as "(unreachable)/..." */
  char buf[4096];
  long r = syscall(SYS_getcwd, buf, sizeof buf);
  if (r < 0) fail(errno, 1);
  if (buf[0] != '/') fail(EACCES, 2);
}

static int is_executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0;
}

static void op_check_exec(const struct plan_arg *a) {
  for (size_t i = 0; i < a[0].len; i++)
    if (is_executable(a[0].v[i])) return;
  fail(ENOENT, 0);
}

static void op_exec(const struct plan_arg *a) {
  int err = ENOENT;
  for (size_t i = 0; i < a[0].len; i++) {
    /* Recorded before each call, with the candidate's index: a successful execve leaves no process
     * here to record it (the mapping goes with the old image), so the last record is the one that ran. */
    if (g_trace) trace_put(g_index, g_step_start, 0, (int)i);
    execve(a[0].v[i], a[1].v, a[2].v);
    if (errno != ENOENT && errno != ENOTDIR) err = errno;
  }
  fail_exec(a[1].v[0] ? a[1].v[0] : "", err);
}

static void reset_signals(void) {
  /* Node ignores SIGPIPE and may have handlers installed; the container must start with defaults. */
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < _NSIG; s++) sigaction(s, &dfl, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

void child_run(const struct plan *plan, struct trace_header *trace, uint64_t started_ns) {
  g_plan = plan;
  g_trace = trace;
  g_pid = (int32_t)syscall(SYS_getpid);
  reset_signals();
  if (g_trace) trace_put(-1, started_ns, 0, 0);
  for (size_t i = 0; i < plan->count; i++) {
    g_index = (int)i;
    if (g_trace) g_step_start = now_ns();
    const struct plan_op *op = &plan->ops[i];
    const struct plan_arg *a = op->args;
    switch (op->code) {
    case OP_SETNS:
      if (setns((int)a[0].n, (int)a[1].n) < 0) fail(errno, 0);
      break;
    case OP_UNSHARE:
      if (unshare((int)a[0].n) < 0) fail(errno, 0);
      break;
    case OP_SYNC:
      wait_parent((int)a[0].n);
      break;
    case OP_FORK: {
      /* a[0]: extra clone flags (CLONE_PARENT hands the child to our parent).
       * a[1]: where this process goes on after reporting the child's pid: an op index, or -1 to exit.
       * The child waits until its pid is reported, so that the parent always knows who sends the
       * next message (it answers sync points for that pid: uid maps, cgroup placement). */
      int gate[2];
      if (pipe2(gate, O_CLOEXEC) < 0) fail(errno, 0);
      pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)a[0].n | SIGCHLD, 0, 0, 0, 0);
      if (pid < 0) fail(errno, 1);
      if (pid > 0) {
        close(gate[0]);
        send_msg(MSG_PID, pid, 0);
        if (write(gate[1], "", 1) < 0) fail(errno, 2);
        close(gate[1]);
        if (g_trace) trace_put((int)i, g_step_start, 0, pid);
        if (a[1].n < 0 || (size_t)a[1].n >= plan->count) _exit(0);
        i = (size_t)a[1].n - 1;
      } else {
        close(gate[1]);
        char c;
        ssize_t r;
        do r = read(gate[0], &c, 1); while (r < 0 && errno == EINTR);
        if (r != 1) _exit(126); /* the parent died before reporting us */
        close(gate[0]);
        g_pid = (int32_t)syscall(SYS_getpid);
      }
      continue; /* recorded once, by the parent, with the child's pid */
    }
    case OP_CLOSE_RANGE:
      if (syscall(SYS_close_range, (unsigned)a[0].n, (unsigned)a[1].n, (unsigned)a[2].n) < 0) fail(errno, 0);
      break;
    case OP_CLOSE:
      close((int)a[0].n);
      break;
    case OP_MOUNT:
      if (mount(empty_null(a[0].s), a[1].s, empty_null(a[2].s), (unsigned long)a[3].n, empty_null(a[4].s)) < 0) fail(errno, 0);
      break;
    case OP_MOUNT_AT:
      op_mount_at(a);
      break;
    case OP_MKDIR_AT: {
      int p = parent_in_root(a);
      if (mkdirat(p, a[2].s, (mode_t)a[3].n) < 0 && errno != EEXIST) fail(errno, 0);
      close(p);
      break;
    }
    case OP_MKFILE_AT: {
      int p = parent_in_root(a);
      int fd = openat(p, a[2].s, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, (mode_t)a[3].n);
      if (fd < 0 && errno != EEXIST) fail(errno, 0);
      if (fd >= 0) close(fd);
      close(p);
      break;
    }
    case OP_MKNOD_AT: {
      int p = parent_in_root(a);
      if (mknodat(p, a[2].s, (mode_t)a[3].n, makedev((unsigned)a[4].n, (unsigned)a[5].n)) < 0 && errno != EEXIST) fail(errno, 0);
      /* mknod applies our umask; the device must have exactly the mode asked for */
      if (fchmodat(p, a[2].s, (mode_t)a[3].n & 07777, 0) < 0) fail(errno, 2);
      if (fchownat(p, a[2].s, (uid_t)a[6].n, (gid_t)a[7].n, AT_SYMLINK_NOFOLLOW) < 0) fail(errno, 1);
      close(p);
      break;
    }
    case OP_SYMLINK_AT: {
      int p = parent_in_root(a);
      if (symlinkat(a[3].s, p, a[2].s) < 0 && errno != EEXIST) fail(errno, 0);
      close(p);
      break;
    }
    case OP_OPEN_ROOT: {
      int fd = open(a[0].s, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) fail(errno, 0);
      if (fd != (int)a[1].n) {
        if (dup3(fd, (int)a[1].n, O_CLOEXEC) < 0) fail(errno, 1);
        close(fd);
      }
      break;
    }
    case OP_PIVOT_ROOT:
      op_pivot_root(a[0].s);
      break;
    case OP_MOVE_ROOT:
      op_move_root(a[0].s);
      break;
    case OP_MASK_PATH:
      op_mask_path(a[0].s);
      break;
    case OP_READONLY_PATH:
      op_readonly_path(a[0].s);
      break;
    case OP_WRITE_FILE:
      op_write_file(a[0].s, a[1].s);
      break;
    case OP_SETHOSTNAME:
      if (sethostname(a[0].s, strlen(a[0].s)) < 0) fail(errno, 0);
      break;
    case OP_SETDOMAINNAME:
      if (setdomainname(a[0].s, strlen(a[0].s)) < 0) fail(errno, 0);
      break;
    case OP_RLIMIT: {
      struct rlimit64 rl = {(uint64_t)a[1].n, (uint64_t)a[2].n};
      if (syscall(SYS_prlimit64, 0, (int)a[0].n, &rl, NULL) < 0) fail(errno, 0);
      break;
    }
    case OP_TERMINAL:
      op_terminal((int)a[0].n, op->argc > 2 ? (unsigned)a[1].n : 0, op->argc > 2 ? (unsigned)a[2].n : 0);
      break;
    case OP_WAIT_FIFO:
      op_wait_fifo((int)a[0].n);
      break;
    case OP_HOOK:
      op_hook(a);
      break;
    case OP_PRCTL:
      if (prctl((int)a[0].n, (unsigned long)a[1].n, (unsigned long)a[2].n, 0, 0) < 0) fail(errno, 0);
      break;
    case OP_SETGROUPS:
      if (syscall(SYS_setgroups, a[0].len / sizeof(gid_t), a[0].len ? (const gid_t *)a[0].s : NULL) < 0) fail(errno, 0);
      break;
    case OP_SETRESGID:
      if (syscall(SYS_setresgid, (gid_t)a[0].n, (gid_t)a[0].n, (gid_t)a[0].n) < 0) fail(errno, 0);
      break;
    case OP_SETRESUID:
      if (syscall(SYS_setresuid, (uid_t)a[0].n, (uid_t)a[0].n, (uid_t)a[0].n) < 0) fail(errno, 0);
      break;
    case OP_CAPSET:
      op_capset(a);
      break;
    case OP_CAP_BOUND:
      op_cap_bound(a);
      break;
    case OP_CAP_AMBIENT:
      op_cap_ambient(a);
      break;
    case OP_SECCOMP:
      op_seccomp(a);
      break;
    case OP_UMASK:
      umask((mode_t)a[0].n);
      break;
    case OP_CHDIR:
      op_chdir(a[0].s, (int)a[1].n);
      break;
    case OP_CHECK_EXEC:
      op_check_exec(a);
      break;
    case OP_EXEC:
      op_exec(a);
      break;
    case OP_SETSID:
      if (setsid() < 0 && errno != EPERM) fail(errno, 0);
      break;
    case OP_MOUNT_PROPAGATION:
      if (mount(NULL, a[0].s, NULL, (unsigned long)a[1].n, NULL) < 0) fail(errno, 0);
      break;
    case OP_BIND_ROOTFS:
      if (mount(a[0].s, a[0].s, "bind", MS_BIND | MS_REC, NULL) < 0) fail(errno, 0);
      break;
    case OP_INHERIT_FDS:
      for (long fd = a[0].n; fd <= a[1].n; fd++)
        if (fcntl((int)fd, F_SETFD, 0) < 0 && errno != EBADF) fail(errno, (int)fd);
      break;
    case OP_CHROOT:
      if (chroot(a[0].s) < 0) fail(errno, 0);
      if (chdir("/") < 0) fail(errno, 1);
      break;
    case OP_DUP2:
      if (dup2((int)a[0].n, (int)a[1].n) < 0) fail(errno, 0);
      break;
    default:
      fail(EINVAL, op->code);
    }
    if (g_trace) trace_put((int)i, g_step_start, 0, 0);
  }
  _exit(0);
}
