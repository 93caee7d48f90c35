/* The native half of --trace: a fixed-size record per plan step, written into a shared memfd.
 * The runtime creates the memfd (traceBufferCreate), hands its fd to vessel-nsexec with the plan,
 * and the stub maps it MAP_SHARED before the first step. Every process of the plan (the forks
 * included: a shared mapping survives fork) claims a slot with an atomic add and fills it; nothing
 * allocates, formats or parses. The runtime reads the memfd afterwards and joins each record with
 * the plan op it built, which it knows the arguments of (src/trace/native-records.ts mirrors this
 * layout). With tracing off there is no memfd and the interpreter only tests one pointer per step. */
#ifndef VESSEL_TRACE_H
#define VESSEL_TRACE_H

#include <stdint.h>

#define TRACE_MAGIC 0x65727476u /* "vtre" read as bytes */

struct trace_header {
  uint32_t magic;
  uint32_t capacity;  /* records that follow the header */
  uint32_t next;      /* slots claimed so far (atomic; may pass capacity: those records are lost) */
  uint32_t reserved;
};

struct trace_record {
  uint32_t done;      /* set last (release): a reader skips a slot whose writer has not finished */
  int32_t op_index;   /* the plan step; -1: vessel-nsexec's own start (exec from the sealed memfd, plan read) */
  int32_t pid;        /* the recording process as it sees itself (getpid in its own pid namespace) */
  int32_t result;     /* 0, or the errno the step failed with */
  int32_t detail;     /* FORK: the new child's pid; a failure: which call of the step failed */
  uint32_t reserved;
  uint64_t start_ns;  /* CLOCK_MONOTONIC, the clock process.hrtime reads */
  uint64_t end_ns;
};

#endif
