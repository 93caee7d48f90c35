/* bpf(2) for cgroup v2 device control: load a program (built in TypeScript), attach it to a cgroup
 * directory fd, detach it, and list what is attached. No program logic lives here. */
#include <errno.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "napi_util.h"

#define ARGS(n)                                  \
  size_t argc = n;                               \
  napi_value argv[n];                            \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL); \
  for (size_t i_ = argc; i_ < n; i_++) napi_get_undefined(env, &argv[i_])

#define VERIFIER_LOG_SIZE 16384
#define MAX_QUERY_PROGS 64

static long sys_bpf(int cmd, union bpf_attr *attr) {
  return syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

/* bpfProgLoad(progType, insns: Buffer, license) -> fd. A verifier rejection carries the log in the
 * message, because the errno alone (EACCES/EINVAL) says nothing about which instruction failed. */
static napi_value prog_load(napi_env env, napi_callback_info info) {
  ARGS(3);
  int64_t type;
  char license[64];
  const char *lic;
  void *insns;
  size_t len;
  bool is_buffer = false;
  if (!arg_int(env, argv[0], &type, "progType")) return NULL;
  napi_is_buffer(env, argv[1], &is_buffer);
  if (!is_buffer || napi_get_buffer_info(env, argv[1], &insns, &len) != napi_ok || len == 0 || len % 8) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "insns must be a non-empty Buffer of 8-byte instructions");
    return NULL;
  }
  if (!arg_str(env, argv[2], license, sizeof license, &lic, false, "license")) return NULL;
  char *log = calloc(1, VERIFIER_LOG_SIZE);
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.prog_type = (__u32)type;
  attr.insns = (__u64)(uintptr_t)insns;
  attr.insn_cnt = (__u32)(len / 8);
  attr.license = (__u64)(uintptr_t)lic;
  attr.log_buf = (__u64)(uintptr_t)log;
  attr.log_size = VERIFIER_LOG_SIZE;
  attr.log_level = 1;
  int fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
  if (fd < 0 && errno == ENOSPC) {
    /* the log did not fit: load again without one so the real error is not hidden */
    attr.log_buf = 0;
    attr.log_size = 0;
    attr.log_level = 0;
    fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
  }
  int err = errno;
  if (fd < 0) {
    char what[256];
    size_t n = strlen(log);
    while (n > 0 && log[n - 1] == '\n') log[--n] = 0;
    const char *tail = n > 200 ? log + n - 200 : log;
    snprintf(what, sizeof what, "BPF_PROG_LOAD%s%s", n ? " verifier: " : "", tail);
    free(log);
    return throw_errno(env, err, what, NULL);
  }
  free(log);
  return make_int(env, fd);
}

static bool attach_args(napi_env env, napi_value *argv, int64_t *target, int64_t *prog, int64_t *type) {
  return arg_int(env, argv[0], target, "targetFd") && arg_int(env, argv[1], prog, "progFd") &&
         arg_int(env, argv[2], type, "attachType");
}

/* bpfProgAttach(targetFd, progFd, attachType, flags) */
static napi_value prog_attach(napi_env env, napi_callback_info info) {
  ARGS(4);
  int64_t target, prog, type, flags = 0;
  if (!attach_args(env, argv, &target, &prog, &type)) return NULL;
  napi_valuetype t;
  napi_typeof(env, argv[3], &t);
  if (t != napi_undefined && !arg_int(env, argv[3], &flags, "flags")) return NULL;
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.target_fd = (__u32)target;
  attr.attach_bpf_fd = (__u32)prog;
  attr.attach_type = (__u32)type;
  attr.attach_flags = (__u32)flags;
  if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0) return throw_errno(env, errno, "BPF_PROG_ATTACH", NULL);
  return undefined(env);
}

/* bpfProgDetach(targetFd, progFd, attachType) */
static napi_value prog_detach(napi_env env, napi_callback_info info) {
  ARGS(3);
  int64_t target, prog, type;
  if (!attach_args(env, argv, &target, &prog, &type)) return NULL;
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.target_fd = (__u32)target;
  attr.attach_bpf_fd = (__u32)prog;
  attr.attach_type = (__u32)type;
  if (sys_bpf(BPF_PROG_DETACH, &attr) < 0) return throw_errno(env, errno, "BPF_PROG_DETACH", NULL);
  return undefined(env);
}

/* bpfProgQuery(targetFd, attachType) -> ids of the programs attached directly to the target. */
static napi_value prog_query(napi_env env, napi_callback_info info) {
  ARGS(2);
  int64_t target, type;
  if (!arg_int(env, argv[0], &target, "targetFd") || !arg_int(env, argv[1], &type, "attachType")) return NULL;
  __u32 ids[MAX_QUERY_PROGS];
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.query.target_fd = (__u32)target;
  attr.query.attach_type = (__u32)type;
  attr.query.prog_ids = (__u64)(uintptr_t)ids;
  attr.query.prog_cnt = MAX_QUERY_PROGS;
  if (sys_bpf(BPF_PROG_QUERY, &attr) < 0) return throw_errno(env, errno, "BPF_PROG_QUERY", NULL);
  napi_value arr;
  __u32 n = attr.query.prog_cnt < MAX_QUERY_PROGS ? attr.query.prog_cnt : MAX_QUERY_PROGS;
  napi_create_array_with_length(env, n, &arr);
  for (__u32 i = 0; i < n; i++) napi_set_element(env, arr, i, make_int(env, ids[i]));
  return arr;
}

/* bpfProgGetFdById(id) -> fd, so a program found by query can be detached. */
static napi_value prog_get_fd_by_id(napi_env env, napi_callback_info info) {
  ARGS(1);
  int64_t id;
  if (!arg_int(env, argv[0], &id, "id")) return NULL;
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.prog_id = (__u32)id;
  int fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
  if (fd < 0) return throw_errno(env, errno, "BPF_PROG_GET_FD_BY_ID", NULL);
  return make_int(env, fd);
}

void register_bpf(napi_env env, napi_value exports) {
  export_fn(env, exports, "bpfProgLoad", prog_load);
  export_fn(env, exports, "bpfProgAttach", prog_attach);
  export_fn(env, exports, "bpfProgDetach", prog_detach);
  export_fn(env, exports, "bpfProgQuery", prog_query);
  export_fn(env, exports, "bpfProgGetFdById", prog_get_fd_by_id);
}
