/* With --runtime, an external OCI runtime (runc, crun) creates the container, the way conmon runs
 * one for podman: we run `<runtime> create` ourselves, as a child subreaper, so that once the
 * runtime has exited its container init is our child and the rest of the supervisor treats it
 * exactly like the init of vessel's own runtime. The runtime's relative paths (pid file, console
 * socket, log) are resolved in the bundle, where the runtime runs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor.h"

#define PID_FILE "init.pid"
#define CONSOLE_SOCKET "console.sock"
#define RUNTIME_LOG "runtime.log"

/* One line for the engine: "<pid>\n" once the container exists, or "!<why>\n". */
static void report(int fd, const char *text) {
  if (fd < 0) return;
  size_t len = strlen(text);
  while (len > 0) {
    ssize_t w = write(fd, text, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    text += w;
    len -= (size_t)w;
  }
}

static int fail(const struct runtime_options *rt, const char *what) {
  char line[512];
  snprintf(line, sizeof line, "!%s\n", what);
  report(rt->report_fd, line);
  fprintf(stderr, "vessel-supervisor: %s\n", what);
  return -1;
}

static int listen_console(void) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, CONSOLE_SOCKET);
  unlink(CONSOLE_SOCKET); /* a stale socket from a previous run of this container */
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 1) < 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

/* The runtime's child side: the container's stdio on 0..2 (a terminal's container needs none of
 * ours), nothing else inherited, default signals. */
static void exec_runtime(const struct options *o, int console) {
  const struct runtime_options *rt = &o->runtime;
  int null = open("/dev/null", O_RDWR);
  int fds[3];
  for (int i = 0; i < 3; i++) {
    fds[i] = rt->stdio[i] >= 0 ? dup(rt->stdio[i]) : dup(null); /* above 2, so no dup2 below clobbers a source */
    if (fds[i] < 0) _exit(127);
  }
  for (int i = 0; i < 3; i++)
    if (dup2(fds[i], i) < 0) _exit(127);
  syscall(SYS_close_range, 3U, ~0U, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  const char *argv[16];
  size_t n = 0;
  argv[n++] = rt->path;
  argv[n++] = "--root";
  argv[n++] = rt->root;
  argv[n++] = "--log";
  argv[n++] = RUNTIME_LOG;
  argv[n++] = "--log-format";
  argv[n++] = "json";
  argv[n++] = "create";
  argv[n++] = "--bundle";
  argv[n++] = rt->bundle;
  argv[n++] = "--pid-file";
  argv[n++] = PID_FILE;
  if (console) {
    argv[n++] = "--console-socket";
    argv[n++] = CONSOLE_SOCKET;
  }
  argv[n++] = o->id;
  argv[n] = NULL;
  execv(rt->path, (char **)argv);
  _exit(127);
}

static pid_t read_pid_file(void) {
  char text[24] = {0};
  int fd = open(PID_FILE, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t r = read(fd, text, sizeof text - 1);
  close(fd);
  unlink(PID_FILE);
  if (r <= 0) return -1;
  char *end;
  long pid = strtol(text, &end, 10);
  return pid > 0 && (*end == 0 || *end == '\n') ? (pid_t)pid : -1;
}

/* The runtime has connected and sent the pty master before it exited; the connection is where
 * the poll loop picks the master up, as it does from --console-fd. */
static int accept_console(int listener) {
  int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  close(listener);
  unlink(CONSOLE_SOCKET);
  return fd;
}

int runtime_create(struct options *o) {
  struct runtime_options *rt = &o->runtime;
  char why[256];
  if (o->id == NULL || rt->root == NULL || rt->bundle == NULL) return fail(rt, "--runtime needs --id, --runtime-root and --bundle");
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) return fail(rt, "prctl(PR_SET_CHILD_SUBREAPER) failed");
  if (chdir(rt->bundle) < 0) {
    snprintf(why, sizeof why, "chdir %s: %s", rt->bundle, strerror(errno));
    return fail(rt, why);
  }
  unlink(PID_FILE);
  int listener = -1;
  if (rt->console && (listener = listen_console()) < 0) {
    snprintf(why, sizeof why, "listening on %s/%s: %s", rt->bundle, CONSOLE_SOCKET, strerror(errno));
    return fail(rt, why);
  }
  pid_t child = fork();
  if (child < 0) return fail(rt, "fork failed");
  if (child == 0) exec_runtime(o, listener >= 0);
  int status;
  pid_t r;
  do r = waitpid(child, &status, 0);
  while (r < 0 && errno == EINTR);
  if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (listener >= 0) close(listener), unlink(CONSOLE_SOCKET);
    if (r >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
      snprintf(why, sizeof why, "%s create: cannot run it", rt->path);
    else
      snprintf(why, sizeof why, "%s create exited with status %d", rt->path, r < 0 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return fail(rt, why);
  }
  pid_t pid = read_pid_file();
  if (pid < 0) {
    if (listener >= 0) close(listener), unlink(CONSOLE_SOCKET);
    snprintf(why, sizeof why, "%s create wrote no pid to %s/%s", rt->path, rt->bundle, PID_FILE);
    return fail(rt, why);
  }
  if (listener >= 0) {
    o->console_fd = accept_console(listener);
    if (o->console_fd < 0) {
      snprintf(why, sizeof why, "%s create did not connect to its console socket", rt->path);
      return fail(rt, why);
    }
  }
  char line[24];
  snprintf(line, sizeof line, "%d\n", (int)pid);
  report(rt->report_fd, line);
  /* the container holds its own copies now: ours would keep its output from ever reaching EOF */
  for (int i = 0; i < 3; i++)
    if (rt->stdio[i] >= 0) close(rt->stdio[i]), rt->stdio[i] = -1;
  if (rt->report_fd >= 0) close(rt->report_fd), rt->report_fd = -1;
  return 0;
}
