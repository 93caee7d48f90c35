/* Command line: long options only; everything after `--` is the program to run on exit. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor.h"

enum {
  OPT_ID = 1, OPT_PID_FD, OPT_STDOUT_FD, OPT_STDERR_FD, OPT_TTY_FD, OPT_CONSOLE_FD, OPT_STDIN_FD,
  OPT_LOG, OPT_LOG_MAX_SIZE, OPT_EXIT_FILE, OPT_ATTACH_SOCKET, OPT_PID_FILE, OPT_HANDOFF_FD,
  OPT_RUNTIME, OPT_RUNTIME_ROOT, OPT_BUNDLE, OPT_CONTAINER_STDIN_FD, OPT_CONTAINER_STDOUT_FD, OPT_CONTAINER_STDERR_FD,
  OPT_REPORT_FD, OPT_RUNTIME_CONSOLE,
  OPT__END
};

static const struct option long_options[] = {
  {"id", required_argument, NULL, OPT_ID},
  {"pid-fd", required_argument, NULL, OPT_PID_FD},
  {"stdout-fd", required_argument, NULL, OPT_STDOUT_FD},
  {"stderr-fd", required_argument, NULL, OPT_STDERR_FD},
  {"tty-fd", required_argument, NULL, OPT_TTY_FD},
  {"console-fd", required_argument, NULL, OPT_CONSOLE_FD},
  {"stdin-fd", required_argument, NULL, OPT_STDIN_FD},
  {"log", required_argument, NULL, OPT_LOG},
  {"log-max-size", required_argument, NULL, OPT_LOG_MAX_SIZE},
  {"exit-file", required_argument, NULL, OPT_EXIT_FILE},
  {"attach-socket", required_argument, NULL, OPT_ATTACH_SOCKET},
  {"pid-file", required_argument, NULL, OPT_PID_FILE},
  {"handoff-fd", required_argument, NULL, OPT_HANDOFF_FD},
  {"runtime", required_argument, NULL, OPT_RUNTIME},
  {"runtime-root", required_argument, NULL, OPT_RUNTIME_ROOT},
  {"bundle", required_argument, NULL, OPT_BUNDLE},
  {"container-stdin-fd", required_argument, NULL, OPT_CONTAINER_STDIN_FD},
  {"container-stdout-fd", required_argument, NULL, OPT_CONTAINER_STDOUT_FD},
  {"container-stderr-fd", required_argument, NULL, OPT_CONTAINER_STDERR_FD},
  {"report-fd", required_argument, NULL, OPT_REPORT_FD},
  {"runtime-console", no_argument, NULL, OPT_RUNTIME_CONSOLE},
  {NULL, 0, NULL, 0},
};

static int parse_number(const char *name, const char *text, long long max, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno || end == text || *end || v < 0 || v > max) {
    fprintf(stderr, "vessel-supervisor: --%s: not a number in 0..%lld: %s\n", name, max, text);
    return -1;
  }
  *out = v;
  return 0;
}

static int parse_fd(const char *name, const char *text, int *out) {
  long long v;
  if (parse_number(name, text, INT_MAX, &v) < 0) return -1;
  *out = (int)v;
  return 0;
}

int parse_options(int argc, char **argv, struct options *o) {
  memset(o, 0, sizeof *o);
  o->pid_fd = o->stdout_fd = o->stderr_fd = o->tty_fd = o->console_fd = o->stdin_fd = o->handoff_fd = -1;
  o->runtime.stdio[0] = o->runtime.stdio[1] = o->runtime.stdio[2] = o->runtime.report_fd = -1;
  int c, r = 0;
  while (r == 0 && (c = getopt_long(argc, argv, "+", long_options, NULL)) != -1) {
    const char *name = c > 0 && c < OPT__END ? long_options[c - 1].name : "?";
    switch (c) {
    case OPT_ID: o->id = optarg; break;
    case OPT_PID_FD: r = parse_fd(name, optarg, &o->pid_fd); break;
    case OPT_STDOUT_FD: r = parse_fd(name, optarg, &o->stdout_fd); break;
    case OPT_STDERR_FD: r = parse_fd(name, optarg, &o->stderr_fd); break;
    case OPT_TTY_FD: r = parse_fd(name, optarg, &o->tty_fd); break;
    case OPT_CONSOLE_FD: r = parse_fd(name, optarg, &o->console_fd); break;
    case OPT_STDIN_FD: r = parse_fd(name, optarg, &o->stdin_fd); break;
    case OPT_LOG: o->log_path = optarg; break;
    case OPT_LOG_MAX_SIZE: r = parse_number(name, optarg, LLONG_MAX, &o->log_max_size); break;
    case OPT_EXIT_FILE: o->exit_file = optarg; break;
    case OPT_ATTACH_SOCKET: o->attach_socket = optarg; break;
    case OPT_PID_FILE: o->pid_file = optarg; break;
    case OPT_HANDOFF_FD: r = parse_fd(name, optarg, &o->handoff_fd); break;
    case OPT_RUNTIME: o->runtime.path = optarg; break;
    case OPT_RUNTIME_ROOT: o->runtime.root = optarg; break;
    case OPT_BUNDLE: o->runtime.bundle = optarg; break;
    case OPT_CONTAINER_STDIN_FD: r = parse_fd(name, optarg, &o->runtime.stdio[0]); break;
    case OPT_CONTAINER_STDOUT_FD: r = parse_fd(name, optarg, &o->runtime.stdio[1]); break;
    case OPT_CONTAINER_STDERR_FD: r = parse_fd(name, optarg, &o->runtime.stdio[2]); break;
    case OPT_REPORT_FD: r = parse_fd(name, optarg, &o->runtime.report_fd); break;
    case OPT_RUNTIME_CONSOLE: o->runtime.console = true; break;
    default: return -1; /* getopt printed the reason */
    }
  }
  if (r < 0) return -1;
  if (optind < argc) {
    if (strcmp(argv[optind - 1], "--") != 0) {
      fprintf(stderr, "vessel-supervisor: unexpected argument %s (the on-exit program goes after --)\n", argv[optind]);
      return -1;
    }
    o->on_exit = &argv[optind];
  }
  bool tty = o->tty_fd >= 0 || o->console_fd >= 0;
  if (o->pid_fd < 0) {
    fprintf(stderr, "vessel-supervisor: --pid-fd is required\n");
    return -1;
  }
  if (tty && (o->stdout_fd >= 0 || o->stderr_fd >= 0 || (o->tty_fd >= 0 && o->console_fd >= 0))) {
    fprintf(stderr, "vessel-supervisor: --tty-fd or --console-fd excludes --stdout-fd/--stderr-fd and each other\n");
    return -1;
  }
  if (tty && o->stdin_fd >= 0) {
    fprintf(stderr, "vessel-supervisor: a terminal carries stdin itself: drop --stdin-fd\n");
    return -1;
  }
  return 0;
}
