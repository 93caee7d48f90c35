/* pipe(2), which Node does not expose: the engine hands pipe ends to the container and to its
 * supervisor through a plan. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "napi_util.h"

static napi_value pair(napi_env env, int fds[2]) {
  napi_value arr;
  napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, make_int(env, fds[0]));
  napi_set_element(env, arr, 1, make_int(env, fds[1]));
  return arr;
}

/* pipe2(flags = O_CLOEXEC) -> [readFd, writeFd] */
static napi_value do_pipe2(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t flags = O_CLOEXEC;
  napi_valuetype t = napi_undefined;
  if (argc > 0) napi_typeof(env, argv[0], &t);
  if (t != napi_undefined && !arg_int(env, argv[0], &flags, "flags")) return NULL;
  int fds[2];
  if (pipe2(fds, (int)flags) < 0) return throw_errno(env, errno, "pipe2", NULL);
  return pair(env, fds);
}

/* setCloexec(fd, on): whether fd is closed by execve */
static napi_value set_cloexec(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t fd;
  bool on = true;
  if (argc < 2 || !arg_int(env, argv[0], &fd, "fd")) return NULL;
  napi_get_value_bool(env, argv[1], &on);
  int cur = fcntl((int)fd, F_GETFD);
  if (cur < 0 || fcntl((int)fd, F_SETFD, on ? cur | FD_CLOEXEC : cur & ~FD_CLOEXEC) < 0)
    return throw_errno(env, errno, "fcntl", "F_SETFD");
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

void register_pipe(napi_env env, napi_value exports) {
  export_fn(env, exports, "pipe2", do_pipe2);
  export_fn(env, exports, "setCloexec", set_cloexec);
}
