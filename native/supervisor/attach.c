/* The attach socket: every client receives the container's output as it is read (docker's
 * multiplexed frames, or raw bytes for a terminal) and may send framed input: stdin bytes, a
 * terminal size, or the end of stdin. A client that cannot take a frame holds it in its own
 * fixed buffer, and output waits until it drains: attach is lossless, like docker's. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "supervisor.h"

struct client {
  int fd;
  /* output not yet taken by the client */
  char out[FRAME_HEADER + OUT_CHUNK];
  size_t out_len, out_off;
  /* input frame being parsed */
  unsigned char header[FRAME_HEADER];
  size_t header_len;
  uint32_t payload_left;
  unsigned char resize[4];
  size_t resize_len;
  bool input_closed; /* the client shut down its sending side but still reads */
};

static int listen_fd = -1;
static struct client clients[MAX_CLIENTS];
static int client_count;
static char input[STDIN_BUF];

/* A path longer than sun_path is reached through its directory's /proc/self/fd entry. */
static int socket_address(const char *path, struct sockaddr_un *addr, int *dirfd) {
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  *dirfd = -1;
  if (strlen(path) < sizeof addr->sun_path) {
    strcpy(addr->sun_path, path);
    return 0;
  }
  char dir[PATH_MAX], base[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", path);
  snprintf(base, sizeof base, "%s", path);
  *dirfd = open(dirname(dir), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (*dirfd < 0) return -1;
  if (snprintf(addr->sun_path, sizeof addr->sun_path, "/proc/self/fd/%d/%s", *dirfd, basename(base)) >=
      (int)sizeof addr->sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

int attach_listen(const char *path) {
  struct sockaddr_un addr;
  int dirfd;
  int r = socket_address(path, &addr, &dirfd);
  if (r == 0) {
    listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    unlink(path); /* a stale socket from a previous run of this container */
    r = listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 || chmod(path, 0600) < 0 ||
                listen(listen_fd, MAX_CLIENTS) < 0
            ? -1
            : 0;
  }
  int err = errno;
  if (dirfd >= 0) close(dirfd);
  errno = err;
  return r;
}

static void drop_client(int i) {
  close(clients[i].fd);
  clients[i] = clients[--client_count];
}

static void accept_clients(void) {
  for (;;) {
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (client_count == MAX_CLIENTS) {
      close(fd);
      continue;
    }
    struct client *c = &clients[client_count++];
    c->fd = fd;
    c->input_closed = false;
    c->out_len = c->out_off = c->header_len = c->resize_len = 0;
    c->payload_left = 0;
  }
}

/* Sends what the client holds; false when the client is gone. */
static bool flush_client(struct client *c) {
  while (c->out_off < c->out_len) {
    ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) return errno == EAGAIN || errno == EINTR;
    c->out_off += (size_t)w;
  }
  c->out_len = c->out_off = 0;
  return true;
}

void attach_broadcast(enum stream_id stream, const char *data, size_t len, bool raw) {
  unsigned char header[FRAME_HEADER] = {(unsigned char)stream, 0, 0, 0, (unsigned char)(len >> 24),
                                        (unsigned char)(len >> 16), (unsigned char)(len >> 8), (unsigned char)len};
  for (int i = client_count - 1; i >= 0; i--) {
    struct client *c = &clients[i];
    size_t n = 0;
    if (!raw) memcpy(c->out, header, FRAME_HEADER), n = FRAME_HEADER;
    memcpy(c->out + n, data, len);
    c->out_len = n + len;
    c->out_off = 0;
    if (!flush_client(c)) drop_client(i);
  }
}

bool attach_backlogged(void) {
  for (int i = 0; i < client_count; i++)
    if (clients[i].out_len) return true;
  return false;
}

size_t attach_poll_fill(struct pollfd *p, bool want_input) {
  if (listen_fd < 0) return 0;
  p[0] = (struct pollfd){listen_fd, POLLIN, 0};
  for (int i = 0; i < client_count; i++) {
    short ev = (short)((want_input && !clients[i].input_closed ? POLLIN : 0) | (clients[i].out_len ? POLLOUT : 0));
    p[1 + i] = (struct pollfd){clients[i].fd, ev, 0};
  }
  return 1 + (size_t)client_count;
}

/* Parses one client's input bytes; false on a malformed frame. */
static bool parse_input(struct client *c, const unsigned char *b, size_t n) {
  while (n > 0) {
    if (c->header_len < FRAME_HEADER) {
      size_t take = FRAME_HEADER - c->header_len < n ? FRAME_HEADER - c->header_len : n;
      memcpy(c->header + c->header_len, b, take);
      c->header_len += take, b += take, n -= take;
      if (c->header_len < FRAME_HEADER) return true;
      c->payload_left = (uint32_t)c->header[4] << 24 | (uint32_t)c->header[5] << 16 | (uint32_t)c->header[6] << 8 | c->header[7];
      c->resize_len = 0;
      if (c->header[0] == FRAME_RESIZE && c->payload_left != 4) return false;
      if (c->header[0] == FRAME_CLOSE_STDIN) relay_close_stdin();
      else if (c->header[0] != FRAME_STDIN && c->header[0] != FRAME_RESIZE) return false;
    }
    size_t take = c->payload_left < n ? c->payload_left : n;
    if (c->header[0] == FRAME_STDIN) {
      relay_stdin((const char *)b, take);
    } else if (c->header[0] == FRAME_RESIZE) {
      memcpy(c->resize + c->resize_len, b, take);
      c->resize_len += take;
      if (c->resize_len == 4) relay_resize((unsigned)c->resize[0] << 8 | c->resize[1], (unsigned)c->resize[2] << 8 | c->resize[3]);
    }
    c->payload_left -= (uint32_t)take, b += take, n -= take;
    if (c->payload_left == 0) c->header_len = 0;
  }
  return true;
}

/* Reads what one client sent; false when the client is gone or broke the protocol. */
static bool read_client(struct client *c, size_t *room) {
  size_t want = *room < sizeof input ? *room : sizeof input;
  if (want == 0) return true;
  ssize_t r = recv(c->fd, input, want, MSG_DONTWAIT);
  if (r < 0) return errno == EAGAIN || errno == EINTR;
  if (r == 0) {
    c->input_closed = true;
    return true;
  }
  *room -= (size_t)r;
  return parse_input(c, (const unsigned char *)input, (size_t)r);
}

void attach_poll_handle(const struct pollfd *p, size_t room) {
  if (listen_fd < 0) return;
  /* Backwards, so that dropping a client (which moves the last one into its slot) keeps the
   * remaining entries of the poll set in step with the client array. */
  for (int i = client_count - 1; i >= 0; i--) {
    struct client *c = &clients[i];
    short re = p[1 + i].revents;
    bool alive = !(re & POLLERR);
    if (alive && (re & POLLOUT)) alive = flush_client(c);
    if (alive && (p[1 + i].events & POLLIN) && (re & (POLLIN | POLLHUP))) alive = read_client(c, &room);
    if (alive && c->input_closed && (re & POLLHUP)) alive = false;
    if (!alive) drop_client(i);
  }
  if (p[0].revents & POLLIN) accept_clients();
}

void attach_close(const char *path) {
  for (int i = client_count - 1; i >= 0; i--) {
    flush_client(&clients[i]);
    drop_client(i);
  }
  if (listen_fd >= 0) close(listen_fd);
  listen_fd = -1;
  if (path) unlink(path);
}
