/* Thin wrappers over system calls Node does not expose. Each throws a Node-style system error. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>

#include "napi_util.h"

#define ARGS(n)                                  \
  size_t argc = n;                               \
  napi_value argv[n];                            \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL); \
  for (size_t i_ = argc; i_ < n; i_++) napi_get_undefined(env, &argv[i_])

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

/* socketPair() -> [fd, fd]: a close-on-exec stream pair for parent/child sync. */
static napi_value socket_pair(napi_env env, napi_callback_info info) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return throw_errno(env, errno, "socketpair", NULL);
  napi_value arr;
  napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, make_int(env, sv[0]));
  napi_set_element(env, arr, 1, make_int(env, sv[1]));
  return arr;
}

static napi_value do_mkfifo(napi_env env, napi_callback_info info) {
  ARGS(2);
  char path[PATH_MAX];
  const char *p;
  int64_t mode;
  if (!arg_str(env, argv[0], path, sizeof path, &p, false, "path") || !arg_int(env, argv[1], &mode, "mode")) return NULL;
  if (mkfifo(p, (mode_t)mode) < 0) return throw_errno(env, errno, "mkfifo", p);
  return undefined(env);
}

/* mount(source|null, target, fstype|null, flags, data|null) */
static napi_value do_mount(napi_env env, napi_callback_info info) {
  ARGS(5);
  char src[PATH_MAX], dst[PATH_MAX], type[64], *data = NULL;
  const char *s, *d, *t, *o = NULL;
  int64_t flags;
  if (!arg_str(env, argv[0], src, sizeof src, &s, true, "source") ||
      !arg_str(env, argv[1], dst, sizeof dst, &d, false, "target") ||
      !arg_str(env, argv[2], type, sizeof type, &t, true, "fstype") || !arg_int(env, argv[3], &flags, "flags"))
    return NULL;
  /* overlay option strings can be long (many lowerdirs): size the buffer to the value */
  napi_valuetype vt;
  napi_typeof(env, argv[4], &vt);
  if (vt == napi_string) {
    size_t len;
    napi_get_value_string_utf8(env, argv[4], NULL, 0, &len);
    data = malloc(len + 1);
    napi_get_value_string_utf8(env, argv[4], data, len + 1, &len);
    o = data;
  }
  int r = mount(s, d, t, (unsigned long)flags, o);
  int err = errno;
  free(data);
  if (r < 0) return throw_errno(env, err, "mount", d);
  return undefined(env);
}

static napi_value do_umount2(napi_env env, napi_callback_info info) {
  ARGS(2);
  char path[PATH_MAX];
  const char *p;
  int64_t flags = 0;
  if (!arg_str(env, argv[0], path, sizeof path, &p, false, "target")) return NULL;
  if (argc > 1 && !arg_int(env, argv[1], &flags, "flags")) return NULL;
  if (umount2(p, (int)flags) < 0) return throw_errno(env, errno, "umount2", p);
  return undefined(env);
}

/* mknod(path, mode, major, minor) */
static napi_value do_mknod(napi_env env, napi_callback_info info) {
  ARGS(4);
  char path[PATH_MAX];
  const char *p;
  int64_t mode, major, minor;
  if (!arg_str(env, argv[0], path, sizeof path, &p, false, "path") || !arg_int(env, argv[1], &mode, "mode") ||
      !arg_int(env, argv[2], &major, "major") || !arg_int(env, argv[3], &minor, "minor"))
    return NULL;
  if (mknod(p, (mode_t)mode, makedev((unsigned)major, (unsigned)minor)) < 0) return throw_errno(env, errno, "mknod", p);
  return undefined(env);
}

/* lsetxattr(path, name, value: Buffer) */
static napi_value do_lsetxattr(napi_env env, napi_callback_info info) {
  ARGS(3);
  char path[PATH_MAX], name[XATTR_NAME_MAX + 1];
  const char *p, *n;
  void *data;
  size_t len;
  if (!arg_str(env, argv[0], path, sizeof path, &p, false, "path") || !arg_str(env, argv[1], name, sizeof name, &n, false, "name"))
    return NULL;
  if (napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "value must be a Buffer");
    return NULL;
  }
  if (lsetxattr(p, n, data, len, 0) < 0) return throw_errno(env, errno, "lsetxattr", p);
  return undefined(env);
}

/* lgetxattr(path, name) -> Buffer | null when the attribute is absent */
static napi_value do_lgetxattr(napi_env env, napi_callback_info info) {
  ARGS(2);
  char path[PATH_MAX], name[XATTR_NAME_MAX + 1];
  const char *p, *n;
  if (!arg_str(env, argv[0], path, sizeof path, &p, false, "path") || !arg_str(env, argv[1], name, sizeof name, &n, false, "name"))
    return NULL;
  char buf[XATTR_SIZE_MAX > 65536 ? 65536 : XATTR_SIZE_MAX];
  ssize_t r = lgetxattr(p, n, buf, sizeof buf);
  if (r < 0) {
    if (errno == ENODATA) {
      napi_value nul;
      napi_get_null(env, &nul);
      return nul;
    }
    return throw_errno(env, errno, "lgetxattr", p);
  }
  napi_value out;
  napi_create_buffer_copy(env, (size_t)r, buf, NULL, &out);
  return out;
}

/* llistxattr(path) -> string[] */
static napi_value do_llistxattr(napi_env env, napi_callback_info info) {
  ARGS(1);
  char path[PATH_MAX];
  const char *p;
  if (!arg_str(env, argv[0], path, sizeof path, &p, false, "path")) return NULL;
  char buf[65536];
  ssize_t r = llistxattr(p, buf, sizeof buf);
  if (r < 0) return throw_errno(env, errno, "llistxattr", p);
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t k = 0;
  for (ssize_t i = 0; i < r; i += (ssize_t)strlen(buf + i) + 1) {
    napi_value s;
    napi_create_string_utf8(env, buf + i, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, k++, s);
  }
  return arr;
}

/* unixConnect(path) -> fd of a connected, close-on-exec stream socket */
static napi_value unix_connect(napi_env env, napi_callback_info info) {
  ARGS(1);
  char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
  const char *p;
  if (!arg_str(env, argv[0], path, sizeof path, &p, false, "path")) return NULL;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket", p);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strncpy(a.sun_path, p, sizeof a.sun_path - 1);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "connect", p);
  }
  return make_int(env, fd);
}

/* sendFd(socket, fd, data) */
static napi_value send_fd(napi_env env, napi_callback_info info) {
  ARGS(3);
  int64_t sock, fd;
  char data[256];
  const char *d;
  if (!arg_int(env, argv[0], &sock, "socket") || !arg_int(env, argv[1], &fd, "fd") ||
      !arg_str(env, argv[2], data, sizeof data, &d, false, "data"))
    return NULL;
  struct iovec iov = {(void *)d, strlen(d) ? strlen(d) : 1};
  char ctl[CMSG_SPACE(sizeof(int))];
  memset(ctl, 0, sizeof ctl);
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  int f = (int)fd;
  memcpy(CMSG_DATA(c), &f, sizeof f);
  if (sendmsg((int)sock, &mh, MSG_NOSIGNAL) < 0) return throw_errno(env, errno, "sendmsg", NULL);
  return undefined(env);
}

/* recvFd(socket) -> {fd, data}: blocks until a message with one SCM_RIGHTS fd arrives */
static napi_value recv_fd(napi_env env, napi_callback_info info) {
  ARGS(1);
  int64_t sock;
  if (!arg_int(env, argv[0], &sock, "socket")) return NULL;
  char data[4096];
  struct iovec iov = {data, sizeof data - 1};
  char ctl[CMSG_SPACE(sizeof(int) * 4)];
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  ssize_t r;
  do r = recvmsg((int)sock, &mh, MSG_CMSG_CLOEXEC); while (r < 0 && errno == EINTR);
  if (r < 0) return throw_errno(env, errno, "recvmsg", NULL);
  int fd = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
  if (fd < 0) return throw_errno(env, EBADMSG, "recvmsg", "(no file descriptor in message)");
  data[r] = 0;
  napi_value o, s;
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "fd", make_int(env, fd));
  napi_create_string_utf8(env, data, (size_t)r, &s);
  napi_set_named_property(env, o, "data", s);
  return o;
}

static napi_value do_strerror(napi_env env, napi_callback_info info) {
  ARGS(1);
  int64_t e;
  if (!arg_int(env, argv[0], &e, "errno")) return NULL;
  const char *name = strerrorname_np((int)e);
  char buf[256];
  snprintf(buf, sizeof buf, "%s (%s)", strerror((int)e), name ? name : "?");
  napi_value s;
  napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &s);
  return s;
}

static napi_value set_child_subreaper(napi_env env, napi_callback_info info) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) return throw_errno(env, errno, "prctl", "PR_SET_CHILD_SUBREAPER");
  return undefined(env);
}

/* getWinsize(fd) -> {rows, cols}; setWinsize(fd, rows, cols) */
static napi_value get_winsize(napi_env env, napi_callback_info info) {
  ARGS(1);
  int64_t fd;
  if (!arg_int(env, argv[0], &fd, "fd")) return NULL;
  struct winsize ws;
  if (ioctl((int)fd, TIOCGWINSZ, &ws) < 0) return throw_errno(env, errno, "ioctl", "TIOCGWINSZ");
  napi_value o;
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "rows", make_int(env, ws.ws_row));
  napi_set_named_property(env, o, "cols", make_int(env, ws.ws_col));
  return o;
}

static napi_value set_winsize(napi_env env, napi_callback_info info) {
  ARGS(3);
  int64_t fd, rows, cols;
  if (!arg_int(env, argv[0], &fd, "fd") || !arg_int(env, argv[1], &rows, "rows") || !arg_int(env, argv[2], &cols, "cols")) return NULL;
  struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
  if (ioctl((int)fd, TIOCSWINSZ, &ws) < 0) return throw_errno(env, errno, "ioctl", "TIOCSWINSZ");
  return undefined(env);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  return (type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

/* removeTree(path): `rm -rf` of a directory the engine made (a container's, a runtime state dir),
 * depth first, never following symlinks nor crossing into another mounted filesystem (a mount
 * left on its rootfs makes it fail with EBUSY instead). Absent is not an error. Node's recursive
 * rmSync does the same in JavaScript at several times the cost on every container removal. */
static napi_value remove_tree(napi_env env, napi_callback_info info) {
  ARGS(1);
  char path[PATH_MAX];
  const char *p;
  if (!arg_str(env, argv[0], path, sizeof path, &p, false, "path")) return NULL;
  if (nftw(p, remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT) return throw_errno(env, errno, "remove", p);
  return undefined(env);
}

/* shutdown(fd, how): ends a socket's directions; a read blocked on it (in libuv's threadpool)
 * returns 0, which closing the fd would not do. */
static napi_value do_shutdown(napi_env env, napi_callback_info info) {
  ARGS(2);
  int64_t fd, how;
  if (!arg_int(env, argv[0], &fd, "fd") || !arg_int(env, argv[1], &how, "how")) return NULL;
  if (shutdown((int)fd, (int)how) < 0 && errno != ENOTCONN) return throw_errno(env, errno, "shutdown", NULL);
  return undefined(env);
}

/* flock(fd, LOCK_SH|LOCK_EX|LOCK_UN) -> bool: flock(2), always non-blocking, so a lock held by another
 * process never stalls Node's event loop (the caller retries). False when the lock is held elsewhere. */
static napi_value do_flock(napi_env env, napi_callback_info info) {
  ARGS(2);
  int64_t fd, op;
  if (!arg_int(env, argv[0], &fd, "fd") || !arg_int(env, argv[1], &op, "operation")) return NULL;
  if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) {
    napi_throw_range_error(env, NULL, "flock: operation must be LOCK_SH, LOCK_EX or LOCK_UN");
    return NULL;
  }
  int r;
  do r = flock((int)fd, (int)op | LOCK_NB);
  while (r < 0 && errno == EINTR);
  napi_value result;
  if (r < 0 && errno != EWOULDBLOCK) return throw_errno(env, errno, "flock", NULL);
  napi_get_boolean(env, r == 0, &result);
  return result;
}

void register_syscalls(napi_env env, napi_value exports) {
  export_fn(env, exports, "flock", do_flock);
  export_fn(env, exports, "shutdown", do_shutdown);
  export_fn(env, exports, "removeTree", remove_tree);
  export_fn(env, exports, "socketPair", socket_pair);
  export_fn(env, exports, "mkfifo", do_mkfifo);
  export_fn(env, exports, "mount", do_mount);
  export_fn(env, exports, "umount2", do_umount2);
  export_fn(env, exports, "mknod", do_mknod);
  export_fn(env, exports, "lsetxattr", do_lsetxattr);
  export_fn(env, exports, "lgetxattr", do_lgetxattr);
  export_fn(env, exports, "llistxattr", do_llistxattr);
  export_fn(env, exports, "unixConnect", unix_connect);
  export_fn(env, exports, "sendFd", send_fd);
  export_fn(env, exports, "recvFd", recv_fd);
  export_fn(env, exports, "strerror", do_strerror);
  export_fn(env, exports, "setChildSubreaper", set_child_subreaper);
  export_fn(env, exports, "getWinsize", get_winsize);
  export_fn(env, exports, "setWinsize", set_winsize);
}
