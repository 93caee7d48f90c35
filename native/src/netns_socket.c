/* Sockets that live in another network namespace, and taking a file descriptor from another
 * process. The embedded DNS resolver answers on 127.0.0.11:53 inside each container's network
 * namespace: Node cannot setns, but a socket keeps the namespace it was created in, so this
 * thread switches there, creates the socket, and switches back (setns(CLONE_NEWNET) is allowed
 * in a multi-threaded process, and only this thread moves). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "napi_util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

#define ARGS(n)                                         \
  size_t argc = n;                                      \
  napi_value argv[n];                                   \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL); \
  for (size_t i_ = argc; i_ < n; i_++) napi_get_undefined(env, &argv[i_])

/* A thread left in the container's namespace would create every later socket of this process
 * there: there is no safe way on. */
static void return_or_die(int original) {
  if (setns(original, CLONE_NEWNET) < 0) {
    fprintf(stderr, "vessel: cannot return to the original network namespace: %s\n", strerror(errno));
    abort();
  }
}

/* socketInNetns(nsFd, family, type, protocol) -> fd (close-on-exec), created in the network
 * namespace `nsFd` refers to (an open /proc/PID/ns/net or /run/netns/NAME). */
static napi_value socket_in_netns(napi_env env, napi_callback_info info) {
  ARGS(4);
  int64_t ns, family, type, protocol;
  if (!arg_int(env, argv[0], &ns, "nsFd") || !arg_int(env, argv[1], &family, "family") || !arg_int(env, argv[2], &type, "type") ||
      !arg_int(env, argv[3], &protocol, "protocol"))
    return NULL;
  int original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original < 0) return throw_errno(env, errno, "open", "/proc/thread-self/ns/net");
  if (setns((int)ns, CLONE_NEWNET) < 0) {
    int err = errno;
    close(original);
    return throw_errno(env, err, "setns", NULL);
  }
  int fd = socket((int)family, (int)type | SOCK_CLOEXEC, (int)protocol);
  int err = errno;
  return_or_die(original);
  close(original);
  if (fd < 0) return throw_errno(env, err, "socket", NULL);
  return make_int(env, fd);
}

/* bindIPv4(fd, address, port): a stream socket also gets SO_REUSEADDR (a restarted server must
 * not wait for TIME_WAIT); a datagram socket does not, so a second bind fails with EADDRINUSE. */
static napi_value bind_ipv4(napi_env env, napi_callback_info info) {
  ARGS(3);
  int64_t fd, port;
  char buf[INET_ADDRSTRLEN];
  const char *address;
  if (!arg_int(env, argv[0], &fd, "fd") || !arg_str(env, argv[1], buf, sizeof buf, &address, false, "address") ||
      !arg_int(env, argv[2], &port, "port"))
    return NULL;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (inet_pton(AF_INET, address, &a.sin_addr) != 1) return throw_errno(env, EINVAL, "inet_pton", address);
  int type = 0;
  socklen_t len = sizeof type;
  if (getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) return throw_errno(env, errno, "getsockopt", address);
  if (type == SOCK_STREAM) {
    int one = 1;
    setsockopt((int)fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  }
  if (bind((int)fd, (struct sockaddr *)&a, sizeof a) < 0) return throw_errno(env, errno, "bind", address);
  return NULL;
}

/* listenSocket(fd, backlog) */
static napi_value listen_socket(napi_env env, napi_callback_info info) {
  ARGS(2);
  int64_t fd, backlog;
  if (!arg_int(env, argv[0], &fd, "fd") || !arg_int(env, argv[1], &backlog, "backlog")) return NULL;
  if (listen((int)fd, (int)backlog) < 0) return throw_errno(env, errno, "listen", NULL);
  return NULL;
}

/* pidfdGetFd(pid, fd) -> a close-on-exec duplicate of process `pid`'s descriptor `fd` (Linux 5.6;
 * needs ptrace rights over it, which root has). */
static napi_value pidfd_get_fd(napi_env env, napi_callback_info info) {
  ARGS(2);
  int64_t pid, target;
  if (!arg_int(env, argv[0], &pid, "pid") || !arg_int(env, argv[1], &target, "fd")) return NULL;
  int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
  if (pidfd < 0) return throw_errno(env, errno, "pidfd_open", NULL);
  int fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)target, 0);
  int err = errno;
  close(pidfd);
  if (fd < 0) return throw_errno(env, err, "pidfd_getfd", NULL);
  return make_int(env, fd);
}

/* peerCredentials(fd) -> {pid, uid} of the process at the other end of a connected unix socket
 * (SO_PEERCRED), which Node does not expose: the resolver acts only on root's requests. */
static napi_value peer_credentials(napi_env env, napi_callback_info info) {
  ARGS(1);
  int64_t fd;
  if (!arg_int(env, argv[0], &fd, "fd")) return NULL;
  struct ucred cred;
  socklen_t len = sizeof cred;
  if (getsockopt((int)fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) return throw_errno(env, errno, "getsockopt", NULL);
  napi_value out;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "pid", make_int(env, cred.pid));
  napi_set_named_property(env, out, "uid", make_int(env, cred.uid));
  return out;
}

/* unixRequest(abstractName, line, timeoutMs) -> the first line of the reply, or null when nobody
 * listens there or the listener closed without answering. Blocking (a CLI asking a local daemon
 * that answers within a millisecond): Node's streams cost more to set up than the exchange. */
static napi_value unix_request(napi_env env, napi_callback_info info) {
  ARGS(3);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  char request[1024], reply[4096];
  const char *name, *text;
  int64_t timeout_ms;
  if (!arg_str(env, argv[0], a.sun_path + 1, sizeof a.sun_path - 1, &name, false, "abstractName") ||
      !arg_str(env, argv[1], request, sizeof request, &text, false, "line") || !arg_int(env, argv[2], &timeout_ms, "timeoutMs"))
    return NULL;
  napi_value null_value;
  napi_get_null(env, &null_value);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket", NULL);
  struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
    int err = errno;
    close(fd);
    if (err == ECONNREFUSED || err == ENOENT) return null_value;
    return throw_errno(env, err, "connect", NULL);
  }
  size_t len = strlen(text), sent = 0;
  while (sent < len) {
    ssize_t n = send(fd, text + sent, len - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      if (err == EPIPE || err == ECONNRESET) return null_value;
      return throw_errno(env, err, "send", NULL);
    }
    sent += (size_t)n;
  }
  size_t got = 0;
  while (got < sizeof reply - 1 && !memchr(reply, '\n', got)) {
    ssize_t n = recv(fd, reply + got, sizeof reply - 1 - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      if (err == ECONNRESET) return null_value;
      return throw_errno(env, err == EAGAIN ? ETIMEDOUT : err, "recv", NULL);
    }
    if (n == 0) break;
    got += (size_t)n;
  }
  close(fd);
  char *end = memchr(reply, '\n', got);
  if (!end) return null_value;
  napi_value out;
  napi_create_string_utf8(env, reply, (size_t)(end - reply), &out);
  return out;
}

void register_netns_socket(napi_env env, napi_value exports) {
  export_fn(env, exports, "unixRequest", unix_request);
  export_fn(env, exports, "peerCredentials", peer_credentials);
  export_fn(env, exports, "socketInNetns", socket_in_netns);
  export_fn(env, exports, "bindIPv4", bind_ipv4);
  export_fn(env, exports, "listenSocket", listen_socket);
  export_fn(env, exports, "pidfdGetFd", pidfd_get_fd);
}
