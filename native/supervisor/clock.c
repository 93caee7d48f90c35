/* Timestamps in docker's fixed-width RFC 3339 form, and atomic small files. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "supervisor.h"

struct timespec now_real(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}

size_t format_rfc3339nano(char *buf, struct timespec ts) {
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  /* 9 fraction digits always, as docker writes them, so the text sorts like the time */
  return (size_t)snprintf(buf, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

int write_file_atomic(const char *path, const char *text, size_t len, int mode) {
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return -1;
  ssize_t w = write(fd, text, len);
  int err = w < 0 ? errno : w != (ssize_t)len ? EIO : 0;
  /* fdatasync first: a crash must leave the old file or the whole new one, never an empty one */
  if (!err && fdatasync(fd) < 0) err = errno;
  if (close(fd) < 0 && !err) err = errno;
  if (err) {
    unlink(tmp);
    errno = err;
    return -1;
  }
  if (rename(tmp, path) < 0) {
    int err = errno;
    unlink(tmp);
    errno = err;
    return -1;
  }
  return 0;
}
