/* vessel-nsexec: the program every process that joins a container runs as until its final execve.
 * The runtime's cloned child execs it from a sealed memfd (see launch.h) before any step of its
 * plan, so /proc/PID/exe is never a host binary. It reads the flattened plan from the fd named by
 * its one argument, and runs it with the same interpreter the plan was written for. */
#include <errno.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"
#include "../src/trace.h"

static int parse_fd(const char *s) {
  long v = 0;
  if (!s || !*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 1 << 20) return -1;
    v = v * 10 + (*s - '0');
  }
  return (int)v;
}

/* The same message the interpreter sends when a step fails; index -1 marks "before the first step". */
static void report(int sync_fd, int err) {
  static const char msg[] = "vessel-nsexec: cannot read the plan\n";
  struct child_msg m = {MSG_ERROR, -1, err, 0};
  if (sync_fd < 0 || send(sync_fd, &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m)
    if (write(2, msg, sizeof msg - 1) < 0) return;
}

/* The --trace buffer, mapped shared so that every process the plan forks writes into the same
 * pages; its fd is closed at once (the plan's close_range must not find it, nor the container). A
 * buffer that cannot be mapped only loses the trace, never the container. */
static struct trace_header *map_trace(int fd) {
  if (fd < 0) return NULL;
  struct stat st;
  void *p = MAP_FAILED;
  if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(struct trace_header))
    p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return NULL;
  struct trace_header *t = p;
  if (t->magic != TRACE_MAGIC || sizeof *t + (uint64_t)t->capacity * sizeof(struct trace_record) > (uint64_t)st.st_size) return NULL;
  return t;
}

int main(int argc, char **argv) {
  struct timespec started;
  clock_gettime(CLOCK_MONOTONIC, &started);
  int plan_fd = argc == 2 ? parse_fd(argv[1]) : -1;
  if (plan_fd < 0) {
    report(-1, EINVAL);
    return 126;
  }
  struct plan plan;
  int sync_fd;
  int err = wire_read(plan_fd, &plan, &sync_fd);
  close(plan_fd);
  if (err) {
    report(sync_fd, err);
    return 126;
  }
  /* What ps shows until the container's program replaces us (exec named us after the fd number). */
  prctl(PR_SET_NAME, "vessel-nsexec", 0, 0, 0);
  struct trace_header *trace = map_trace(plan.trace_fd);
  child_run(&plan, trace, (uint64_t)started.tv_sec * 1000000000u + (uint64_t)started.tv_nsec);
}
