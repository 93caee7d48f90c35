/* The container log in docker's json-file format: one JSON object per line,
 * {"log":"text\n","stream":"stdout","time":"..."}. A line longer than LOG_LINE_MAX, or one left
 * unfinished at exit, is written without its newline, as docker writes partial messages. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "supervisor.h"

static const char *log_path;
static long long max_size;
static long long cur_size;
static int log_fd = -1;
static bool warned;

/* Pending (unterminated) text per output stream. */
static char pending[3][LOG_LINE_MAX];
static size_t pending_len[3];

/* Worst case: every byte becomes \u00XX. */
static char entry[LOG_LINE_MAX * 6 + 128];

static const char *const stream_names[3] = {"stdin", "stdout", "stderr"};

static void warn(const char *what) {
  if (warned) return;
  warned = true;
  fprintf(stderr, "vessel-supervisor: %s %s: %s\n", what, log_path, strerror(errno));
}

static int open_log(void) {
  log_fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (log_fd < 0) return -1;
  struct stat st;
  cur_size = fstat(log_fd, &st) == 0 ? st.st_size : 0;
  return 0;
}

int log_open(const char *path, long long limit) {
  log_path = path;
  max_size = limit;
  return path ? open_log() : 0;
}

static void rotate(void) {
  char old[PATH_MAX];
  if (snprintf(old, sizeof old, "%s.1", log_path) >= (int)sizeof old) return;
  close(log_fd);
  log_fd = -1;
  if (rename(log_path, old) < 0) warn("rotating");
  if (open_log() < 0) warn("reopening");
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not valid. */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len;
  uint32_t min;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) len = 2, min = 0x80;
  else if ((c & 0xF0) == 0xE0) len = 3, min = 0x800;
  else if ((c & 0xF8) == 0xF0) len = 4, min = 0x10000;
  else return 0;
  if (len > n) return 0;
  uint32_t cp = c & (0x7Fu >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

static const char hex[] = "0123456789abcdef";

/* JSON string body; invalid UTF-8 becomes U+FFFD so the file always parses. */
static size_t escape(char *out, const unsigned char *s, size_t n) {
  char *o = out;
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t len = utf8_sequence(s + i, n - i);
      if (len == 0) {
        memcpy(o, "\\ufffd", 6), o += 6, i++;
      } else {
        memcpy(o, s + i, len), o += len, i += len;
      }
      continue;
    }
    i++;
    if (c == '"' || c == '\\') *o++ = '\\', *o++ = (char)c;
    else if (c == '\n') *o++ = '\\', *o++ = 'n';
    else if (c == '\r') *o++ = '\\', *o++ = 'r';
    else if (c == '\t') *o++ = '\\', *o++ = 't';
    else if (c < 0x20 || c == 0x7f) memcpy(o, "\\u00", 4), o[4] = hex[c >> 4], o[5] = hex[c & 15], o += 6;
    else *o++ = (char)c;
  }
  return (size_t)(o - out);
}

static void write_entry(enum stream_id stream, const char *text, size_t len, struct timespec ts) {
  if (log_fd < 0 && log_path && open_log() < 0) {
    warn("opening");
    return;
  }
  if (log_fd < 0) return;
  char *o = entry;
  o += sprintf(o, "{\"log\":\"");
  o += escape(o, (const unsigned char *)text, len);
  o += sprintf(o, "\",\"stream\":\"%s\",\"time\":\"", stream_names[stream]);
  o += format_rfc3339nano(o, ts);
  o += sprintf(o, "\"}\n");
  size_t n = (size_t)(o - entry);
  if (max_size > 0 && cur_size > 0 && cur_size + (long long)n > max_size) rotate();
  if (log_fd < 0) return;
  /* one write per entry: a reader following the file never sees a line from two writes' halves */
  ssize_t w = write(log_fd, entry, n);
  if (w < 0) warn("writing");
  else cur_size += w;
}

/* Where to cut a full buffer so that a UTF-8 sequence is not split between two entries. */
static size_t utf8_cut(const char *s, size_t n) {
  for (size_t back = 1; back <= 3 && back <= n; back++) {
    unsigned char c = (unsigned char)s[n - back];
    if ((c & 0xC0) == 0x80) continue;
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

void log_data(enum stream_id stream, const char *data, size_t len, struct timespec ts) {
  char *buf = pending[stream];
  size_t *have = &pending_len[stream];
  while (len > 0) {
    const char *nl = memchr(data, '\n', len);
    size_t take = nl ? (size_t)(nl - data) + 1 : len;
    size_t room = LOG_LINE_MAX - *have;
    if (take > room) take = room;
    memcpy(buf + *have, data, take);
    *have += take;
    data += take;
    len -= take;
    if (buf[*have - 1] == '\n') {
      write_entry(stream, buf, *have, ts);
      *have = 0;
    } else if (*have == LOG_LINE_MAX) {
      size_t cut = utf8_cut(buf, *have);
      write_entry(stream, buf, cut, ts);
      memmove(buf, buf + cut, *have - cut);
      *have -= cut;
    }
  }
}

void log_flush(struct timespec ts) {
  for (int s = STREAM_STDOUT; s <= STREAM_STDERR; s++) {
    if (pending_len[s]) write_entry((enum stream_id)s, pending[s], pending_len[s], ts);
    pending_len[s] = 0;
  }
}

void log_close(void) {
  if (log_fd >= 0) close(log_fd);
  log_fd = -1;
}
