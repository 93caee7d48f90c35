/* openat2(2) with RESOLVE_IN_ROOT, which Node lacks: `vessel cp` resolves paths inside a
 * container's root the way the container would, so a symlink planted there (`/evil -> /etc`)
 * can never lead a copy out onto the host. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "napi_util.h"

/* openInRoot(rootFd, path, flags, mode) -> fd (always O_CLOEXEC) */
static napi_value open_in_root(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t root_fd, flags, mode = 0;
  char buf[4096];
  const char *path;
  if (argc < 3 || !arg_int(env, argv[0], &root_fd, "rootFd") || !arg_str(env, argv[1], buf, sizeof buf, &path, false, "path") ||
      !arg_int(env, argv[2], &flags, "flags"))
    return NULL;
  if (argc > 3 && !arg_int(env, argv[3], &mode, "mode")) return NULL;
  struct open_how how = {
    .flags = (unsigned long long)flags | O_CLOEXEC,
    .mode = (flags & (O_CREAT | O_TMPFILE)) ? (unsigned long long)mode : 0,
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  int fd;
  do fd = (int)syscall(SYS_openat2, (int)root_fd, path, &how, sizeof how);
  while (fd < 0 && errno == EAGAIN);
  if (fd < 0) return throw_errno(env, errno, "openat2", path);
  return make_int(env, fd);
}

void register_inroot(napi_env env, napi_value exports) {
  export_fn(env, exports, "openInRoot", open_in_root);
}
