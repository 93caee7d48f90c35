/* vessel-nsexec: the program every process that joins a container runs as until its final execve.
 * The runtime's cloned child execs it from a sealed memfd (see launch.h) before any step of its
 * plan, so /proc/PID/exe is never a host binary. It reads the flattened plan from the fd named by
 * its one argument, and runs it with the same interpreter the plan was written for. */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"

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

int main(int argc, char **argv) {
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
  child_run(&plan);
}
