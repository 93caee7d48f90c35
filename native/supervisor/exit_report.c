/* How the container ended, for the engine: the exit file, then the engine's cleanup program. */
#include <fcntl.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor.h"

int write_exit_file(const char *path, int status, struct timespec finished) {
  char when[40], text[160];
  format_rfc3339nano(when, finished);
  int n;
  if (WIFSIGNALED(status))
    /* 128 + signal, the exit code a shell (and docker) reports for a killed process */
    n = snprintf(text, sizeof text, "{\"exitCode\":%d,\"signal\":%d,\"finishedAt\":\"%s\"}\n", 128 + WTERMSIG(status),
                 WTERMSIG(status), when);
  else
    n = snprintf(text, sizeof text, "{\"exitCode\":%d,\"signal\":null,\"finishedAt\":\"%s\"}\n", WEXITSTATUS(status), when);
  return write_file_atomic(path, text, (size_t)n, 0644);
}

/* Fire and forget: the program outlives us, in its own session, with default signal handling
 * and our stdout/stderr (which the engine pointed at /dev/null or its own diagnostics file). */
void spawn_on_exit(char **argv) {
  pid_t pid = fork();
  if (pid != 0) return;
  struct sigaction dfl = {.sa_handler = SIG_DFL};
  for (int s = 1; s < NSIG; s++) sigaction(s, &dfl, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  setsid();
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) dup2(null, 0);
  execvp(argv[0], argv);
  fprintf(stderr, "vessel-supervisor: on-exit %s: cannot run it\n", argv[0]);
  _exit(127);
}

/* A foreground `run` that is still attached records the exit and removes the container itself:
 * a second engine process doing the same at the same moment would only compete with it for the
 * CPU. If that client dies first (EOF without the byte), the cleanup is still ours. */
bool handoff_done(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  char byte = 0;
  ssize_t r;
  do r = read(fd, &byte, 1);
  while (r < 0 && errno == EINTR);
  return r == 1 && byte == HANDOFF_DONE;
}
