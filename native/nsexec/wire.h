/* The plan as one flat buffer, for the trip from the runtime (the N-API addon) into vessel-nsexec
 * through a memfd: no pointers, only offsets from the start of the buffer, so that the stub can
 * check every reference against the buffer's size before it believes it.
 *
 * Layout, each section 8-byte aligned, in this order:
 *   struct wire_header
 *   struct wire_op   [op_count]
 *   struct wire_arg  [arg_count]   ops' arguments, in op order
 *   uint64_t         [vec_count]   offsets of the strings of every string list, in argument order
 *   int32_t          [cloexec_count]
 *   bytes: NUL-terminated strings and raw buffers
 */
#ifndef VESSEL_NSEXEC_WIRE_H
#define VESSEL_NSEXEC_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "../src/plan.h"

#define WIRE_MAGIC 0x6e6c7076u /* "vpln" read as bytes */
#define WIRE_VERSION 2u

struct wire_header {
  uint32_t magic;
  uint32_t version;
  uint64_t size;          /* of the whole buffer */
  int32_t sync_fd;
  uint32_t op_count;
  uint32_t arg_count;
  uint32_t vec_count;
  /* fds the plan uses that were close-on-exec in the runtime: the forked child clears the flag so
   * that they survive the execveat into the stub, and the stub sets it again before the plan runs,
   * so the container's own execve closes them as before. */
  uint32_t cloexec_count;
  int32_t trace_fd;       /* the --trace memfd (native/src/trace.h), or -1 */
};

struct wire_op {
  int32_t code;
  uint32_t argc;
  uint32_t first_arg;
  uint32_t reserved;
};

struct wire_arg {
  int32_t kind;           /* enum arg_kind */
  uint32_t reserved;
  int64_t n;              /* ARG_INT */
  uint64_t off;           /* ARG_STR, ARG_BUF: byte offset; ARG_STRV: index of its first vec slot */
  uint64_t len;           /* ARG_BUF: bytes; ARG_STRV: strings */
};

/* Addon side, before clone. */
struct wire_image {
  void *data;
  size_t size;
  int32_t *cloexec_fds;   /* points into data */
  size_t cloexec_count;
};
/* Flattens `plan` into one malloc'd buffer; returns 0 or an errno. */
int wire_encode(const struct plan *plan, struct wire_image *out);
void wire_image_free(struct wire_image *img);

/* Stub side: reads the whole buffer from `fd`, checks it, rebuilds `out` (whose strings point into
 * the buffer) and sets close-on-exec again on the fds the header lists. Sets *sync_fd as soon as
 * the header is known (-1 before), so that a failure can still be reported to the parent.
 * Returns 0 or an errno. */
int wire_read(int fd, struct plan *out, int *sync_fd);

#endif
