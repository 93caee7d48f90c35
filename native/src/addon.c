/* N-API entry point: plan spawning (through vessel-nsexec, native/nsexec/) and child reaping.
 * The simple syscall wrappers live in syscalls.c, cgroup device programs in bpf.c, netlink sockets
 * in netlink.c. */
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "napi_util.h"
#include "plan.h"
#include "trace.h"
#include "../nsexec/launch.h"

napi_value throw_errno(napi_env env, int err, const char *syscall_name, const char *path) {
  char msg[1200];
  const char *name = strerrorname_np(err);
  if (path)
    snprintf(msg, sizeof msg, "%s %s: %s", syscall_name, path, strerror(err));
  else
    snprintf(msg, sizeof msg, "%s: %s", syscall_name, strerror(err));
  napi_value m, code, error, v;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
  napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  napi_create_error(env, code, m, &error);
  napi_create_int32(env, err, &v);
  napi_set_named_property(env, error, "errno", v);
  napi_create_string_utf8(env, syscall_name, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "syscall", v);
  if (path) {
    napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &v);
    napi_set_named_property(env, error, "path", v);
  }
  napi_throw(env, error);
  return NULL;
}

bool arg_int(napi_env env, napi_value v, int64_t *out, const char *name) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_bigint) {
    bool lossless;
    return napi_get_value_bigint_int64(env, v, out, &lossless) == napi_ok;
  }
  if (t != napi_number) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s must be a number", name);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return false;
  }
  napi_get_value_int64(env, v, out);
  return true;
}

bool arg_str(napi_env env, napi_value v, char *buf, size_t size, const char **out, bool nullable, const char *name) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (nullable && (t == napi_null || t == napi_undefined)) {
    *out = NULL;
    return true;
  }
  size_t len;
  if (t != napi_string || napi_get_value_string_utf8(env, v, buf, size, &len) != napi_ok || len >= size - 1) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s must be a string shorter than %zu bytes", name, size - 1);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return false;
  }
  *out = buf;
  return true;
}

napi_value make_int(napi_env env, int64_t n) {
  napi_value v;
  napi_create_int64(env, n, &v);
  return v;
}

void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

static napi_value throw_launch(napi_env env, const struct launch_error *e) {
  return throw_errno(env, e->err, e->call, e->path);
}

/* The plan, flattened for vessel-nsexec (its close-on-exec fd list is read by the child). */
static int encode_plan(napi_env env, napi_value ops, int sync_fd, int trace_fd, struct wire_image *img) {
  struct plan plan;
  int r = plan_from_js(env, ops, sync_fd, &plan);
  plan.trace_fd = trace_fd;
  int err = r < 0 ? 0 : wire_encode(&plan, img);
  plan_free(&plan);
  if (err) throw_errno(env, err, "plan", "vessel-plan");
  return r < 0 || err ? -1 : 0;
}

/* spawnPlan(syncFd, ops[, traceFd]) -> pid. The child becomes vessel-nsexec, which runs the plan
 * (recording its steps into the trace buffer traceFd when given). */
static napi_value spawn_plan(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t sync_fd, trace_fd = -1;
  if (argc < 2 || !arg_int(env, argv[0], &sync_fd, "syncFd")) return NULL;
  if (argc > 2) {
    napi_valuetype t;
    napi_typeof(env, argv[2], &t);
    if (t != napi_undefined && !arg_int(env, argv[2], &trace_fd, "traceFd")) return NULL;
  }
  struct launch_error e;
  int image = nsexec_image_fd(&e);
  if (image < 0) return throw_launch(env, &e);
  struct wire_image img;
  if (encode_plan(env, argv[1], (int)sync_fd, (int)trace_fd, &img) < 0) return NULL;
  int plan_fd = nsexec_plan_fd(&img, &e);
  if (plan_fd < 0) {
    wire_image_free(&img);
    return throw_launch(env, &e);
  }
  pid_t pid = nsexec_spawn(image, plan_fd, &img, (int)sync_fd);
  int err = errno;
  close(plan_fd);
  wire_image_free(&img);
  if (pid < 0) return throw_errno(env, err, "clone", NULL);
  return make_int(env, pid);
}

/* traceBufferCreate(records) -> fd: a close-on-exec memfd holding an empty trace buffer for that
 * many records (native/src/trace.h). Read it with fs.readSync; close it with fs.closeSync. */
static napi_value trace_buffer_create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t records;
  if (argc < 1 || !arg_int(env, argv[0], &records, "records")) return NULL;
  if (records < 1 || records > 1 << 20) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "records must be between 1 and 1048576");
    return NULL;
  }
  int fd = memfd_create("vessel-trace", MFD_CLOEXEC);
  if (fd < 0) return throw_errno(env, errno, "memfd_create", "vessel-trace");
  struct trace_header h = {TRACE_MAGIC, (uint32_t)records, 0, 0};
  size_t size = sizeof h + (size_t)records * sizeof(struct trace_record);
  if (ftruncate(fd, (off_t)size) < 0 || pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "ftruncate", "vessel-trace");
  }
  return make_int(env, fd);
}

static napi_value wait_result(napi_env env, pid_t pid, int status) {
  napi_value o, nul;
  napi_get_null(env, &nul);
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "pid", make_int(env, pid));
  napi_set_named_property(env, o, "exitCode", WIFEXITED(status) ? make_int(env, WEXITSTATUS(status)) : nul);
  napi_set_named_property(env, o, "signal", WIFSIGNALED(status) ? make_int(env, WTERMSIG(status)) : nul);
  return o;
}

/* waitPidSync(pid, noHang) -> {pid, exitCode, signal} | null (still running with noHang) */
static napi_value wait_pid_sync(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t pid;
  bool nohang = false;
  if (argc < 1 || !arg_int(env, argv[0], &pid, "pid")) return NULL;
  if (argc > 1) napi_get_value_bool(env, argv[1], &nohang);
  int status;
  pid_t r;
  do r = waitpid((pid_t)pid, &status, nohang ? WNOHANG : 0); while (r < 0 && errno == EINTR);
  if (r < 0) return throw_errno(env, errno, "waitpid", NULL);
  if (r == 0) {
    napi_value nul;
    napi_get_null(env, &nul);
    return nul;
  }
  return wait_result(env, r, status);
}

struct wait_work {
  napi_async_work work;
  napi_deferred deferred;
  pid_t pid;
  int status;
  int err;
};

static void wait_execute(napi_env env, void *data) {
  struct wait_work *w = data;
  pid_t r;
  do r = waitpid(w->pid, &w->status, 0); while (r < 0 && errno == EINTR);
  w->err = r < 0 ? errno : 0;
}

static void wait_complete(napi_env env, napi_status status, void *data) {
  struct wait_work *w = data;
  if (w->err) {
    char msg[96];
    snprintf(msg, sizeof msg, "waitpid %d: %s", (int)w->pid, strerror(w->err));
    napi_value m, e;
    napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
    napi_create_error(env, NULL, m, &e);
    napi_reject_deferred(env, w->deferred, e);
  } else {
    napi_resolve_deferred(env, w->deferred, wait_result(env, w->pid, w->status));
  }
  napi_delete_async_work(env, w->work);
  free(w);
}

/* waitPid(pid) -> Promise<{pid, exitCode, signal}>, waiting on a worker thread. */
static napi_value wait_pid(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], promise, name;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t pid;
  if (argc < 1 || !arg_int(env, argv[0], &pid, "pid")) return NULL;
  struct wait_work *w = calloc(1, sizeof *w);
  w->pid = (pid_t)pid;
  napi_create_promise(env, &w->deferred, &promise);
  napi_create_string_utf8(env, "vessel.waitPid", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, wait_execute, wait_complete, w, &w->work);
  napi_queue_async_work(env, w->work);
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  export_fn(env, exports, "spawnPlan", spawn_plan);
  export_fn(env, exports, "traceBufferCreate", trace_buffer_create);
  export_fn(env, exports, "waitPidSync", wait_pid_sync);
  export_fn(env, exports, "waitPid", wait_pid);
  register_syscalls(env, exports);
  register_bpf(env, exports);
  register_netlink(env, exports);
  register_pipe(env, exports);
  register_inroot(env, exports);
  register_netns_socket(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
