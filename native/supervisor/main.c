/* vessel-supervisor: see supervisor.h. One poll loop over fixed buffers: the container's output
 * goes to the log and to attached clients, their input to the container's stdin; SIGCHLD (through
 * a signalfd) tells when the container, whose pid the engine writes to --pid-fd, has ended. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "supervisor.h"

/* After the container has ended, output still in flight is relayed until the pipes reach EOF. A
 * process that escaped the container (no pid namespace) may hold them open: stop waiting once
 * nothing arrived for DRAIN_IDLE_MS, and in any case DRAIN_MAX_MS after the end. */
#define DRAIN_IDLE_MS 500
#define DRAIN_MAX_MS 10000

static struct options opt;
static int out_fd[3] = {-1, -1, -1}; /* indexed by enum stream_id; a terminal is STREAM_STDOUT */
static int console_fd = -1;
static int pid_fd = -1;
static int sig_fd = -1;
static bool tty_mode; /* output is a terminal's: raw bytes to clients, all of it "stdout" */
static int tty_fd = -1;
static int stdin_fd = -1;
static bool stdin_closing;
static char stdin_buf[STDIN_BUF];
static size_t stdin_len;
static char pid_text[24];
static size_t pid_text_len;
static pid_t container;
static bool exited;
static int exit_status;
static struct timespec finished_at, drain_start;
static char chunk[OUT_CHUNK];

static void die(const char *what, const char *object) {
  fprintf(stderr, "vessel-supervisor%s%s: %s%s%s: %s\n", opt.id ? " " : "", opt.id ? opt.id : "", what,
          object ? " " : "", object ? object : "", strerror(errno));
  log_flush(now_real());
  log_close();
  attach_close(opt.attach_socket);
  if (opt.pid_file) unlink(opt.pid_file);
  exit(1);
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static int compare_ints(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Only the descriptors named on the command line (and stdio) survive. */
static void close_other_fds(void) {
  int keep[] = {0, 1, 2, opt.pid_fd, opt.stdout_fd, opt.stderr_fd, opt.tty_fd, opt.console_fd, opt.stdin_fd, opt.handoff_fd};
  size_t n = sizeof keep / sizeof keep[0];
  qsort(keep, n, sizeof keep[0], compare_ints);
  int prev = -1;
  for (size_t i = 0; i < n; i++) {
    if (keep[i] < 0 || keep[i] == prev) continue;
    if (keep[i] > prev + 1) syscall(SYS_close_range, (unsigned)prev + 1, (unsigned)keep[i] - 1, 0);
    prev = keep[i];
  }
  syscall(SYS_close_range, (unsigned)prev + 1, ~0U, 0);
  for (int fd = 0; fd < 3; fd++)
    if (fcntl(fd, F_GETFD) < 0) {
      int null = open("/dev/null", O_RDWR);
      if (null >= 0 && null != fd) dup2(null, fd), close(null);
    }
}

static void set_nonblocking(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void setup_signals(void) {
  static const int ignored[] = {SIGHUP, SIGPIPE, SIGINT, SIGTERM};
  struct sigaction ign = {.sa_handler = SIG_IGN};
  for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) sigaction(ignored[i], &ign, NULL);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  sig_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sig_fd < 0) die("signalfd", NULL);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) die("prctl", "PR_SET_CHILD_SUBREAPER");
}

static void write_pid_file(void) {
  char text[24];
  int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
  if (write_file_atomic(opt.pid_file, text, (size_t)n, 0644) < 0) die("writing", opt.pid_file);
}

static void use_terminal(int fd) {
  tty_fd = stdin_fd = out_fd[STREAM_STDOUT] = fd;
  set_nonblocking(fd);
}

/* --- stdin ---------------------------------------------------------------------------------- */

void relay_stdin(const char *data, size_t len) {
  if (stdin_fd < 0 || stdin_closing) return; /* nobody to give it to: docker discards it too */
  memcpy(stdin_buf + stdin_len, data, len);
  stdin_len += len;
}

void relay_resize(unsigned rows, unsigned cols) {
  struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
  if (tty_fd >= 0) ioctl(tty_fd, TIOCSWINSZ, &ws);
}

void relay_close_stdin(void) {
  /* a terminal has no end of input short of closing it, which would end the output too */
  if (tty_fd < 0) stdin_closing = true;
}

static void flush_stdin(void) {
  while (stdin_len > 0 && stdin_fd >= 0) {
    ssize_t w = write(stdin_fd, stdin_buf, stdin_len);
    if (w < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (w < 0) {
      /* the container closed its stdin or ended: what is left has no reader */
      stdin_len = 0;
      if (tty_fd < 0) close_fd(&stdin_fd);
      return;
    }
    memmove(stdin_buf, stdin_buf + w, stdin_len - (size_t)w);
    stdin_len -= (size_t)w;
  }
  if (stdin_closing && stdin_len == 0) close_fd(&stdin_fd);
}

/* --- container ------------------------------------------------------------------------------ */

static void reap(void) {
  int status;
  pid_t r;
  while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
    if (r != container) continue;
    exited = true;
    exit_status = status;
    finished_at = now_real();
    clock_gettime(CLOCK_MONOTONIC, &drain_start);
  }
}

static void read_pid(void) {
  ssize_t r = read(pid_fd, pid_text + pid_text_len, sizeof pid_text - 1 - pid_text_len);
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (r > 0) pid_text_len += (size_t)r;
  pid_text[pid_text_len] = 0;
  char *nl = strchr(pid_text, '\n');
  if (!nl) {
    if (r > 0 && pid_text_len < sizeof pid_text - 1) return;
    errno = r < 0 ? errno : EPIPE;
    die("reading the container's pid from --pid-fd", NULL);
  }
  char *end;
  long pid = strtol(pid_text, &end, 10);
  if (end != nl || pid <= 0) {
    errno = EINVAL;
    die("reading the container's pid from --pid-fd", pid_text);
  }
  close_fd(&pid_fd);
  container = (pid_t)pid;
  siginfo_t info;
  if (waitid(P_PID, (id_t)container, &info, WEXITED | WNOHANG | WNOWAIT) < 0) die("waiting for the container", pid_text);
  reap(); /* it may have ended before we knew which child it was */
}

static void drain_signals(void) {
  struct signalfd_siginfo si;
  while (read(sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {}
  reap();
}

static void receive_terminal(void) {
  char byte;
  struct iovec iov = {&byte, 1};
  char ctl[CMSG_SPACE(sizeof(int))];
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  ssize_t r = recvmsg(console_fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
  if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    use_terminal(fd);
  }
  close_fd(&console_fd);
}

static void read_output(enum stream_id stream) {
  ssize_t r = read(out_fd[stream], chunk, sizeof chunk);
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (r <= 0) {
    /* EOF, or EIO: a terminal whose every slave side has closed */
    if (out_fd[stream] == tty_fd) tty_fd = stdin_fd = -1;
    close_fd(&out_fd[stream]);
    return;
  }
  log_data(stream, chunk, (size_t)r, now_real());
  attach_broadcast(stream, chunk, (size_t)r, tty_mode);
}

static bool output_open(void) { return out_fd[STREAM_STDOUT] >= 0 || out_fd[STREAM_STDERR] >= 0 || console_fd >= 0; }

static void stop_draining(void) {
  close_fd(&out_fd[STREAM_STDOUT]);
  close_fd(&out_fd[STREAM_STDERR]);
  close_fd(&console_fd);
  tty_fd = stdin_fd = -1;
}

static long ms_since(struct timespec t) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - t.tv_sec) * 1000 + (now.tv_nsec - t.tv_nsec) / 1000000;
}

enum tag { TAG_SIGNAL, TAG_PID, TAG_CONSOLE, TAG_STDOUT, TAG_STDERR, TAG_STDIN, TAG_ATTACH };

static void run(void) {
  struct pollfd p[8 + MAX_CLIENTS];
  enum tag tags[8];
  while (!(exited && !output_open())) {
    size_t n = 0;
    bool reading = !attach_backlogged();
#define ADD(tag_, fd_, ev_) (tags[n] = (tag_), p[n++] = (struct pollfd){(fd_), (short)(ev_), 0})
    if (container) ADD(TAG_SIGNAL, sig_fd, POLLIN);
    if (pid_fd >= 0) ADD(TAG_PID, pid_fd, POLLIN);
    if (console_fd >= 0) ADD(TAG_CONSOLE, console_fd, POLLIN);
    if (out_fd[STREAM_STDOUT] >= 0 && reading) ADD(TAG_STDOUT, out_fd[STREAM_STDOUT], POLLIN);
    if (out_fd[STREAM_STDERR] >= 0 && reading) ADD(TAG_STDERR, out_fd[STREAM_STDERR], POLLIN);
    if (stdin_fd >= 0 && stdin_len > 0) ADD(TAG_STDIN, stdin_fd, POLLOUT);
#undef ADD
    size_t attach_at = n;
    n += attach_poll_fill(p + n, stdin_len == 0);
    int timeout = -1;
    if (exited) {
      long left = DRAIN_MAX_MS - ms_since(drain_start);
      if (left <= 0) {
        stop_draining();
        break;
      }
      timeout = (int)(reading && left > DRAIN_IDLE_MS ? DRAIN_IDLE_MS : left);
    }
    int r = poll(p, n, timeout);
    if (r < 0 && errno != EINTR) die("poll", NULL);
    if (r == 0 && exited && reading) {
      stop_draining();
      break;
    }
    for (size_t i = 0; r > 0 && i < attach_at; i++) {
      if (!p[i].revents) continue;
      switch (tags[i]) {
      case TAG_SIGNAL: drain_signals(); break;
      case TAG_PID: read_pid(); break;
      case TAG_CONSOLE: receive_terminal(); break;
      /* a client may have fallen behind on the other stream's output just now: its frame must go first */
      case TAG_STDOUT: if (!attach_backlogged()) read_output(STREAM_STDOUT); break;
      case TAG_STDERR: if (!attach_backlogged()) read_output(STREAM_STDERR); break;
      case TAG_STDIN: flush_stdin(); break;
      case TAG_ATTACH: break;
      }
    }
    if (r > 0) attach_poll_handle(p + attach_at, STDIN_BUF - stdin_len);
    flush_stdin();
  }
}

static void finish(void) {
  struct timespec now = now_real();
  log_flush(now);
  log_close();
  close_fd(&stdin_fd);
  if (opt.exit_file && write_exit_file(opt.exit_file, exit_status, finished_at) < 0)
    fprintf(stderr, "vessel-supervisor: writing %s: %s\n", opt.exit_file, strerror(errno));
  /* clients see the end of the stream only once the exit file is there to read */
  attach_close(opt.attach_socket);
  if (opt.pid_file) unlink(opt.pid_file);
  if (opt.on_exit && !(opt.handoff_fd >= 0 && handoff_done(opt.handoff_fd))) spawn_on_exit(opt.on_exit);
}

int main(int argc, char **argv) {
  if (parse_options(argc, argv, &opt) < 0) return 2;
  if (opt.runtime.path && runtime_create(&opt) < 0) return 1;
  close_other_fds();
  if (chdir("/") < 0) die("chdir", "/");
  setup_signals();
  pid_fd = opt.pid_fd;
  set_nonblocking(pid_fd);
  out_fd[STREAM_STDOUT] = opt.stdout_fd;
  out_fd[STREAM_STDERR] = opt.stderr_fd;
  stdin_fd = opt.stdin_fd;
  console_fd = opt.console_fd;
  tty_mode = opt.tty_fd >= 0 || opt.console_fd >= 0;
  for (int s = STREAM_STDOUT; s <= STREAM_STDERR; s++)
    if (out_fd[s] >= 0) set_nonblocking(out_fd[s]);
  if (stdin_fd >= 0) set_nonblocking(stdin_fd);
  if (opt.tty_fd >= 0) use_terminal(opt.tty_fd);
  if (opt.pid_file) write_pid_file();
  if (log_open(opt.log_path, opt.log_max_size) < 0) die("opening", opt.log_path);
  if (opt.attach_socket && attach_listen(opt.attach_socket) < 0) die("listening on", opt.attach_socket);
  run();
  finish();
  return 0;
}
