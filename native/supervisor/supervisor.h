/* vessel-supervisor: the parent of a detached container (the job conmon does for podman). It relays
 * the container's output to a JSON-lines log and to attached clients, forwards their stdin, reaps
 * the container, records how it ended and runs the engine's cleanup. Everything is sized up front:
 * memory never grows with the volume of output or the number of clients. */
#ifndef VESSEL_SUPERVISOR_H
#define VESSEL_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* One read from the container, and one frame to a client. */
#define OUT_CHUNK 8192
/* Longest log line before it is written as a partial entry (docker's json-file uses 16 KiB). */
#define LOG_LINE_MAX 16384
#define MAX_CLIENTS 16
#define STDIN_BUF 4096

/* Stream numbers on the attach socket, as docker's multiplexed stream header uses them. */
enum stream_id { STREAM_STDIN = 0, STREAM_STDOUT = 1, STREAM_STDERR = 2 };
/* What a client sends: the same 8-byte header [kind, 0, 0, 0, size (u32 big-endian)] + payload. */
enum client_frame { FRAME_STDIN = 0, FRAME_RESIZE = 3, FRAME_CLOSE_STDIN = 4 };
#define FRAME_HEADER 8

/* --runtime: an external OCI runtime creates the container (runtime_create.c). */
struct runtime_options {
  const char *path; /* NULL: the engine created the container itself */
  const char *root;
  const char *bundle;
  int stdio[3];  /* the container's stdin, stdout, stderr, or -1 */
  int report_fd; /* where the container's pid (or why there is none) goes to the engine */
  bool console;  /* the runtime sends a pty master to a console socket */
};

struct options {
  const char *id;
  int pid_fd;
  int stdout_fd, stderr_fd;
  int tty_fd;      /* pty master given at start */
  int console_fd;  /* unix socket on which the pty master arrives later (SCM_RIGHTS) */
  int stdin_fd;
  const char *log_path;
  long long log_max_size;
  const char *exit_file;
  const char *attach_socket;
  const char *pid_file;
  /* read end of a pipe from a foreground client that will clean up itself: at the end, the on-exit
   * program runs only if that client went away without writing HANDOFF_DONE */
  int handoff_fd;
  char **on_exit; /* NULL-terminated argv, or NULL */
  struct runtime_options runtime;
};

#define HANDOFF_DONE 'd'

/* options.c: 0, or -1 after printing why to stderr. */
int parse_options(int argc, char **argv, struct options *o);

/* clock.c */
struct timespec now_real(void);
/* Writes "2026-11-26T04:05:06.123456789Z" (30 bytes) and a NUL; returns the length. */
size_t format_rfc3339nano(char *buf, struct timespec ts);
/* Writes `text` to `path` through a temporary file and rename(2); 0 or -1 with errno. */
int write_file_atomic(const char *path, const char *text, size_t len, int mode);

/* json_log.c: docker json-file lines. Without a path the output is discarded. */
int log_open(const char *path, long long max_size);
void log_data(enum stream_id stream, const char *data, size_t len, struct timespec ts);
void log_flush(struct timespec ts);
void log_close(void);

/* attach.c: the unix socket clients attach through. */
struct pollfd;
int attach_listen(const char *path);
/* Adds the listening socket and the clients to a poll set; input is polled only when `want_input`. */
size_t attach_poll_fill(struct pollfd *p, bool want_input);
/* Handles what poll reported for the entries attach_poll_fill added; reads at most `room` bytes of input. */
void attach_poll_handle(const struct pollfd *p, size_t room);
void attach_broadcast(enum stream_id stream, const char *data, size_t len, bool raw);
/* True while some client still holds an undelivered frame: output waits until it drains. */
bool attach_backlogged(void);
void attach_close(const char *path);

/* main.c: what client input turns into. */
void relay_stdin(const char *data, size_t len);
void relay_resize(unsigned rows, unsigned cols);
void relay_close_stdin(void);

/* exit_report.c */
int write_exit_file(const char *path, int status, struct timespec finished);
void spawn_on_exit(char **argv);
/* Waits for the foreground client on `fd`: true when it reported the cleanup done. */
bool handoff_done(int fd);

/* runtime_create.c: runs `<runtime> create` and leaves its init our child; -1 after reporting why. */
int runtime_create(struct options *o);

#endif
