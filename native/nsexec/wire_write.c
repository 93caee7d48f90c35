/* Flattens a plan for vessel-nsexec (see wire.h). Runs in the runtime before clone, so it may
 * allocate; the child only writes the finished buffer's fd list and execs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

/* Arguments that name an fd the runtime opened for the plan, 1-based (0: none). `through` makes it
 * a range a[arg]..a[through]. OP_OPEN_ROOT's and OP_CLOSE's numbers are not listed: the plan makes
 * or drops those itself. */
struct fd_use { int8_t arg, through; };
static const struct fd_use fd_uses[OP__MAX] = {
  [OP_SETNS] = {1, 0},
  [OP_MOUNT_AT] = {1, 0},
  [OP_MKDIR_AT] = {1, 0},
  [OP_MKFILE_AT] = {1, 0},
  [OP_MKNOD_AT] = {1, 0},
  [OP_SYMLINK_AT] = {1, 0},
  [OP_TERMINAL] = {1, 0},
  [OP_WAIT_FIFO] = {1, 0},
  [OP_HOOK] = {5, 0},
  [OP_DUP2] = {1, 0},
  [OP_INHERIT_FDS] = {1, 2},
};
/* The kernel's default fs.nr_open: no fd can be above it, whatever a range says. */
#define FD_LIMIT (1L << 20)

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

struct sizes { size_t args, vecs, bytes, fds; };

static int fd_arg_range(const struct plan_op *op, long *first, long *last) {
  const struct fd_use *u = &fd_uses[op->code];
  if (!u->arg || u->arg > op->argc || (u->through && u->through > op->argc)) return 0;
  *first = (long)op->args[u->arg - 1].n;
  *last = u->through ? (long)op->args[u->through - 1].n : *first;
  if (*first < 0) *first = 0;
  if (*last >= FD_LIMIT) *last = FD_LIMIT - 1;
  return *first <= *last;
}

static int is_cloexec(long fd) {
  int flags = fcntl((int)fd, F_GETFD);
  return flags >= 0 && (flags & FD_CLOEXEC);
}

/* Walks the plan once to size the buffer's sections. */
static void measure(const struct plan *plan, struct sizes *s) {
  memset(s, 0, sizeof *s);
  if (is_cloexec(plan->sync_fd)) s->fds++;
  if (plan->trace_fd >= 0 && is_cloexec(plan->trace_fd)) s->fds++;
  for (long fd = 0; fd < 3; fd++) s->fds += (size_t)is_cloexec(fd);
  for (size_t i = 0; i < plan->count; i++) {
    const struct plan_op *op = &plan->ops[i];
    s->args += (size_t)op->argc;
    for (int k = 0; k < op->argc; k++) {
      const struct plan_arg *a = &op->args[k];
      if (a->kind == ARG_STR) s->bytes += align8(strlen(a->s) + 1);
      else if (a->kind == ARG_BUF) s->bytes += align8(a->len);
      else if (a->kind == ARG_STRV) {
        s->vecs += a->len;
        for (size_t j = 0; j < a->len; j++) s->bytes += align8(strlen(a->v[j]) + 1);
      }
    }
    long first, last;
    if (fd_arg_range(op, &first, &last))
      for (long fd = first; fd <= last; fd++) s->fds += (size_t)is_cloexec(fd);
  }
}

struct cursor { char *base; size_t bytes; int32_t *fds; size_t nfds, max_fds; };

static uint64_t put_bytes(struct cursor *c, const void *src, size_t len, int nul) {
  uint64_t at = c->bytes;
  memcpy(c->base + at, src, len);
  if (nul) c->base[at + len++] = 0;
  c->bytes += align8(len);
  return at;
}

static void note_fd(struct cursor *c, long fd) {
  /* The fd table may have changed since measure() (another thread): never write past the section. */
  if (c->nfds < c->max_fds && is_cloexec(fd)) c->fds[c->nfds++] = (int32_t)fd;
}

int wire_encode(const struct plan *plan, struct wire_image *out) {
  memset(out, 0, sizeof *out);
  struct sizes s;
  measure(plan, &s);
  size_t ops_at = align8(sizeof(struct wire_header));
  size_t args_at = ops_at + align8(plan->count * sizeof(struct wire_op));
  size_t vecs_at = args_at + align8(s.args * sizeof(struct wire_arg));
  size_t fds_at = vecs_at + align8(s.vecs * sizeof(uint64_t));
  size_t bytes_at = fds_at + align8(s.fds * sizeof(int32_t));
  size_t size = bytes_at + s.bytes;
  char *base = calloc(1, size);
  if (!base) return ENOMEM;

  struct wire_op *ops = (struct wire_op *)(base + ops_at);
  struct wire_arg *args = (struct wire_arg *)(base + args_at);
  uint64_t *vecs = (uint64_t *)(base + vecs_at);
  struct cursor c = {base, bytes_at, (int32_t *)(base + fds_at), 0, s.fds};
  size_t next_arg = 0, next_vec = 0;
  note_fd(&c, plan->sync_fd);
  if (plan->trace_fd >= 0) note_fd(&c, plan->trace_fd);
  /* Node marks its own stdio close-on-exec: the stub must start with the runtime's 0-2 as a forked
   * child would have them, or the plan's first open (a pty master, a mount fd) would land there. */
  for (long fd = 0; fd < 3; fd++) note_fd(&c, fd);
  for (size_t i = 0; i < plan->count; i++) {
    const struct plan_op *op = &plan->ops[i];
    ops[i] = (struct wire_op){op->code, (uint32_t)op->argc, (uint32_t)next_arg, 0};
    for (int k = 0; k < op->argc; k++) {
      const struct plan_arg *a = &op->args[k];
      struct wire_arg *w = &args[next_arg++];
      w->kind = a->kind;
      w->n = a->n;
      if (a->kind == ARG_STR) {
        w->off = put_bytes(&c, a->s, strlen(a->s), 1);
      } else if (a->kind == ARG_BUF) {
        w->off = put_bytes(&c, a->s, a->len, 0);
        w->len = a->len;
      } else if (a->kind == ARG_STRV) {
        w->off = next_vec;
        w->len = a->len;
        for (size_t j = 0; j < a->len; j++) vecs[next_vec++] = put_bytes(&c, a->v[j], strlen(a->v[j]), 1);
      }
    }
    long first, last;
    if (fd_arg_range(op, &first, &last))
      for (long fd = first; fd <= last; fd++) note_fd(&c, fd);
  }

  struct wire_header *h = (struct wire_header *)base;
  *h = (struct wire_header){WIRE_MAGIC, WIRE_VERSION, size, plan->sync_fd, (uint32_t)plan->count,
                            (uint32_t)s.args, (uint32_t)s.vecs, (uint32_t)c.nfds, plan->trace_fd};
  out->data = base;
  out->size = size;
  out->cloexec_fds = c.fds;
  out->cloexec_count = c.nfds;
  return 0;
}

void wire_image_free(struct wire_image *img) {
  free(img->data);
  memset(img, 0, sizeof *img);
}
