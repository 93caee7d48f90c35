/* vessel-init: the tiny PID 1 that `--init` puts in front of a container's command.
 *   vessel-init [--] CMD [ARG...]
 * It runs CMD as its only child, forwards the signals a user or `vessel stop`/`kill` send to the
 * container on to that child (PID 1 itself ignores signals it has no handler for), reaps every
 * process re-parented to it, and exits with the child's status (128+N when signal N killed it). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const int FORWARDED[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
#define N_FORWARDED (sizeof FORWARDED / sizeof FORWARDED[0])

static int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

static pid_t spawn(char **argv, const sigset_t *original) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  /* the command leads its own process group and, on a terminal, owns it: Ctrl-C and window
   * changes reach it once, straight from the terminal, instead of twice through us */
  setpgid(0, 0);
  if (isatty(STDIN_FILENO)) tcsetpgrp(STDIN_FILENO, getpid());
  sigprocmask(SIG_SETMASK, original, NULL);
  execvp(argv[0], argv);
  int err = errno;
  fprintf(stderr, "vessel-init: exec %s: %s\n", argv[0], strerror(err));
  _exit(err == ENOENT ? 127 : 126);
}

/* Reaps every exited process; returns 1 when the command was among them. */
static int reap(pid_t child, int *status) {
  int found = 0;
  for (;;) {
    int st;
    pid_t pid = waitpid(-1, &st, WNOHANG);
    if (pid <= 0) return found;
    if (pid == child) {
      *status = st;
      found = 1;
    }
  }
}

int main(int argc, char **argv) {
  int first = 1;
  if (first < argc && strcmp(argv[first], "--") == 0) first++;
  if (first >= argc) {
    fprintf(stderr, "usage: vessel-init [--] COMMAND [ARG...]\n");
    return 2;
  }
  sigset_t all, original;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &original);

  pid_t child = spawn(argv + first, &original);
  if (child < 0) {
    perror("vessel-init: fork");
    return 1;
  }
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&all, &info);
    if (sig < 0) continue;
    if (sig == SIGCHLD) {
      int status;
      if (reap(child, &status)) {
        return exit_code_of(status);
      }
      continue;
    }
    for (size_t i = 0; i < N_FORWARDED; i++) {
      if (FORWARDED[i] == sig) {
        kill(child, sig);
        break;
      }
    }
  }
}
