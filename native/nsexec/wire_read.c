/* Reads a flattened plan (see wire.h) into the stub's memory. Every offset is checked against the
 * buffer before use: the plan comes from our own parent, but a bad one must fail cleanly rather
 * than send the interpreter through wild pointers. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wire.h"

struct view { const char *base; uint64_t size; };

static int span_ok(const struct view *v, uint64_t off, uint64_t len) {
  return off <= v->size && len <= v->size - off;
}

static const char *string_at(const struct view *v, uint64_t off) {
  if (off >= v->size || !memchr(v->base + off, 0, v->size - off)) return NULL;
  return v->base + off;
}

static int read_all(int fd, char **out, uint64_t *size) {
  struct stat st;
  if (fstat(fd, &st) < 0) return errno;
  if ((uint64_t)st.st_size < sizeof(struct wire_header)) return EBADMSG;
  char *buf = malloc((size_t)st.st_size);
  if (!buf) return ENOMEM;
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t r = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      int err = r < 0 ? errno : EBADMSG;
      free(buf);
      return err;
    }
    got += (size_t)r;
  }
  *out = buf;
  *size = (uint64_t)st.st_size;
  return 0;
}

/* Room for the NULL-terminated string lists: `next` advances through [next, end). */
struct slots { char **next, **end; };

static int decode_arg(const struct view *v, const struct wire_header *h, const struct wire_arg *w,
                      const uint64_t *vecs, struct slots *slots, struct plan_arg *a) {
  a->kind = w->kind;
  a->n = w->n;
  switch (w->kind) {
  case ARG_INT:
    return 0;
  case ARG_STR:
    a->s = string_at(v, w->off);
    return a->s ? 0 : EBADMSG;
  case ARG_BUF:
    if (!span_ok(v, w->off, w->len)) return EBADMSG;
    a->s = v->base + w->off;
    a->len = (size_t)w->len;
    return 0;
  case ARG_STRV:
    if (w->off > h->vec_count || w->len > h->vec_count - w->off) return EBADMSG;
    if (w->len >= (uint64_t)(slots->end - slots->next)) return EBADMSG;
    char **vec = slots->next;
    for (uint64_t j = 0; j < w->len; j++)
      if (!(vec[j] = (char *)string_at(v, vecs[w->off + j]))) return EBADMSG;
    vec[w->len] = NULL;
    slots->next += w->len + 1;
    a->v = vec;
    a->len = (size_t)w->len;
    return 0;
  default:
    return EBADMSG;
  }
}

static int decode(const struct view *v, struct plan *out) {
  const struct wire_header *h = (const struct wire_header *)v->base;
  if (h->magic != WIRE_MAGIC || h->version != WIRE_VERSION || h->size != v->size) return EBADMSG;
  uint64_t ops_at = (sizeof *h + 7) & ~7ull;
  uint64_t args_at = ops_at + (((uint64_t)h->op_count * sizeof(struct wire_op) + 7) & ~7ull);
  uint64_t vecs_at = args_at + (((uint64_t)h->arg_count * sizeof(struct wire_arg) + 7) & ~7ull);
  uint64_t fds_at = vecs_at + (((uint64_t)h->vec_count * sizeof(uint64_t) + 7) & ~7ull);
  if (!span_ok(v, fds_at, (uint64_t)h->cloexec_count * sizeof(int32_t))) return EBADMSG;
  const struct wire_op *wops = (const struct wire_op *)(v->base + ops_at);
  const struct wire_arg *wargs = (const struct wire_arg *)(v->base + args_at);
  const uint64_t *vecs = (const uint64_t *)(v->base + vecs_at);

  size_t lists = 0;
  for (uint32_t k = 0; k < h->arg_count; k++) lists += wargs[k].kind == ARG_STRV;
  struct plan_op *ops = calloc(h->op_count ? h->op_count : 1, sizeof *ops);
  struct plan_arg *args = calloc(h->arg_count ? h->arg_count : 1, sizeof *args);
  size_t nslots = h->vec_count + lists + 1;
  char **room = calloc(nslots, sizeof *room);
  if (!ops || !args || !room) return ENOMEM;
  struct slots slots = {room, room + nslots};
  for (uint32_t i = 0; i < h->op_count; i++) {
    const struct wire_op *w = &wops[i];
    if (w->code <= 0 || w->code >= OP__MAX || w->first_arg > h->arg_count || w->argc > h->arg_count - w->first_arg)
      return EBADMSG;
    ops[i] = (struct plan_op){w->code, (int)w->argc, &args[w->first_arg]};
    for (uint32_t k = 0; k < w->argc; k++) {
      int err = decode_arg(v, h, &wargs[w->first_arg + k], vecs, &slots, &args[w->first_arg + k]);
      if (err) return err;
    }
  }
  const int32_t *fds = (const int32_t *)(v->base + fds_at);
  for (uint32_t k = 0; k < h->cloexec_count; k++)
    if (fcntl(fds[k], F_SETFD, FD_CLOEXEC) < 0) return errno;
  out->sync_fd = h->sync_fd;
  out->trace_fd = h->trace_fd;
  out->count = h->op_count;
  out->ops = ops;
  return 0;
}

int wire_read(int fd, struct plan *out, int *sync_fd) {
  *sync_fd = -1;
  char *buf = NULL;
  uint64_t size = 0;
  int err = read_all(fd, &buf, &size);
  if (err) return err;
  const struct wire_header *h = (const struct wire_header *)buf;
  if (h->magic == WIRE_MAGIC) *sync_fd = h->sync_fd;
  struct view v = {buf, size};
  return decode(&v, out);
}
