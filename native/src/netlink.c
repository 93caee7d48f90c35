/* Netlink sockets, optionally opened inside another network namespace, and one request/response
 * exchange. Only the mechanism lives here: messages are built and parsed in TypeScript. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "napi_util.h"

#define ARGS(n)                                           \
  size_t argc = n;                                        \
  napi_value argv[n];                                     \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);   \
  for (size_t i_ = argc; i_ < n; i_++) napi_get_undefined(env, &argv[i_])

/* Large enough for any datagram the kernel builds for a dump (it caps them at 32 KiB). */
#define RECV_BUF_SIZE (64 * 1024)

/* A thread left in the wrong network namespace would silently create every later socket there. */
static void restore_netns_or_die(int original) {
  if (setns(original, CLONE_NEWNET) < 0) {
    fprintf(stderr, "vessel: cannot return to the original network namespace: %s\n", strerror(errno));
    abort();
  }
}

static int open_socket(int protocol) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
  if (fd < 0) return -1;
  int one = 1;
  /* Extended acks carry the kernel's explanation of a refusal; strict checking is best effort. */
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  int rcvbuf = 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  return fd;
}

/* netlinkOpen(protocol, netnsPath|null) -> fd. With a path, the socket is created inside that
 * network namespace by switching this thread there and back (setns is per thread). */
static napi_value netlink_open(napi_env env, napi_callback_info info) {
  ARGS(2);
  int64_t protocol;
  char pathbuf[PATH_MAX];
  const char *path;
  if (!arg_int(env, argv[0], &protocol, "protocol") ||
      !arg_str(env, argv[1], pathbuf, sizeof pathbuf, &path, true, "netnsPath"))
    return NULL;
  if (!path) {
    int fd = open_socket((int)protocol);
    if (fd < 0) return throw_errno(env, errno, "socket", NULL);
    return make_int(env, fd);
  }
  int original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original < 0) return throw_errno(env, errno, "open", "/proc/thread-self/ns/net");
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    int err = errno;
    close(original);
    return throw_errno(env, err, "open", path);
  }
  if (setns(target, CLONE_NEWNET) < 0) {
    int err = errno;
    close(target);
    close(original);
    return throw_errno(env, err, "setns", path);
  }
  int fd = open_socket((int)protocol);
  int err = errno;
  restore_netns_or_die(original);
  close(target);
  close(original);
  if (fd < 0) return throw_errno(env, err, "socket", path);
  return make_int(env, fd);
}

/* The kernel's text from an extended ack (NLMSGERR_ATTR_MSG), or NULL. */
static const char *extack_message(const struct nlmsghdr *h) {
  if (!(h->nlmsg_flags & NLM_F_ACK_TLVS)) return NULL;
  const struct nlmsgerr *e = NLMSG_DATA(h);
  size_t offset = NLMSG_HDRLEN + sizeof *e;
  if (!(h->nlmsg_flags & NLM_F_CAPPED)) offset += e->msg.nlmsg_len - NLMSG_HDRLEN;
  while (offset + NLA_HDRLEN <= h->nlmsg_len) {
    const struct nlattr *a = (const struct nlattr *)((const char *)h + offset);
    if (a->nla_len < NLA_HDRLEN || offset + a->nla_len > h->nlmsg_len) return NULL;
    if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && a->nla_len > NLA_HDRLEN) {
      const char *s = (const char *)a + NLA_HDRLEN;
      return memchr(s, 0, a->nla_len - NLA_HDRLEN) ? s : NULL;
    }
    offset += NLA_ALIGN(a->nla_len);
  }
  return NULL;
}

static napi_value throw_netlink(napi_env env, int err, const char *extack) {
  throw_errno(env, err, "netlink", NULL);
  if (!extack) return NULL;
  napi_value e, v;
  napi_get_and_clear_last_exception(env, &e);
  napi_create_string_utf8(env, extack, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, e, "extack", v);
  napi_throw(env, e);
  return NULL;
}

/* netlinkTransact(fd, request) -> Buffer[]: sends one request (which must ask for an ACK or be a
 * dump) and returns every reply message with that sequence number, up to the ACK or DONE. */
static napi_value netlink_transact(napi_env env, napi_callback_info info) {
  ARGS(2);
  int64_t fd;
  if (!arg_int(env, argv[0], &fd, "fd")) return NULL;
  void *req;
  size_t req_len;
  bool is_buffer = false;
  napi_is_buffer(env, argv[1], &is_buffer);
  if (!is_buffer || napi_get_buffer_info(env, argv[1], &req, &req_len) != napi_ok || req_len < NLMSG_HDRLEN) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "request must be a Buffer holding a netlink message");
    return NULL;
  }
  uint32_t seq = ((const struct nlmsghdr *)req)->nlmsg_seq;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  ssize_t sent;
  do sent = sendto((int)fd, req, req_len, 0, (struct sockaddr *)&kernel, sizeof kernel); while (sent < 0 && errno == EINTR);
  if (sent < 0) return throw_errno(env, errno, "sendto", NULL);

  char *buf = malloc(RECV_BUF_SIZE);
  if (!buf) return throw_errno(env, ENOMEM, "malloc", NULL);
  napi_value result;
  napi_create_array(env, &result);
  uint32_t count = 0;
  for (;;) {
    ssize_t n;
    do n = recv((int)fd, buf, RECV_BUF_SIZE, MSG_TRUNC); while (n < 0 && errno == EINTR);
    if (n < 0) {
      int err = errno;
      free(buf);
      return throw_errno(env, err, "recv", NULL);
    }
    if (n > RECV_BUF_SIZE) {
      free(buf);
      return throw_errno(env, EMSGSIZE, "recv", NULL);
    }
    int len = (int)n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq) continue; /* a late answer to an earlier, abandoned request */
      if (h->nlmsg_type == NLMSG_ERROR) {
        const struct nlmsgerr *e = NLMSG_DATA(h);
        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int))) {
          free(buf);
          return throw_errno(env, EBADMSG, "netlink", NULL);
        }
        if (e->error == 0) goto done;
        napi_value r = throw_netlink(env, -e->error, extack_message(h));
        free(buf);
        return r;
      }
      if (h->nlmsg_type == NLMSG_DONE) {
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) && *(const int *)NLMSG_DATA(h) < 0) {
          napi_value r = throw_netlink(env, -*(const int *)NLMSG_DATA(h), NULL);
          free(buf);
          return r;
        }
        goto done;
      }
      napi_value copy;
      napi_create_buffer_copy(env, h->nlmsg_len, h, NULL, &copy);
      napi_set_element(env, result, count++, copy);
    }
  }
done:
  free(buf);
  return result;
}

void register_netlink(napi_env env, napi_value exports) {
  export_fn(env, exports, "netlinkOpen", netlink_open);
  export_fn(env, exports, "netlinkTransact", netlink_transact);
}
