/* The runtime's side of vessel-nsexec: a sealed in-memory copy of the stub, made once per process,
 * and the execveat into it that a freshly cloned child makes before it runs any step of its plan.
 * So no process that joins a container ever has the host's node binary as /proc/PID/exe
 * (CVE-2019-5736): a container that can open that link gets a sealed memfd it cannot write. */
#ifndef VESSEL_NSEXEC_LAUNCH_H
#define VESSEL_NSEXEC_LAUNCH_H

#include <sys/types.h>

#include "wire.h"

/* What failed, for the N-API error: an errno, the call, and the file concerned (or NULL). */
struct launch_error {
  int err;
  const char *call;
  const char *path;
};

/* The sealed memfd holding vessel-nsexec (VESSEL_NSEXEC, or the file next to vessel.node),
 * created on first use; -1 with *e set on failure. Thread-safe. */
int nsexec_image_fd(struct launch_error *e);

/* A new close-on-exec memfd holding the flattened plan; -1 with *e set on failure. */
int nsexec_plan_fd(const struct wire_image *img, struct launch_error *e);

/* Starts the child that runs the plan: it lets the plan's fds and the plan memfd survive the exec
 * and becomes vessel-nsexec. If that exec fails, the child reports it on the sync socket as an
 * error at op index -1 and exits 126. Returns the child's pid, or -1 with errno set. */
pid_t nsexec_spawn(int image_fd, int plan_fd, const struct wire_image *img, int sync_fd);

#endif
