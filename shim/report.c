/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The denial / error channel (see report.h).
 *
 * Owns: one "ocigate: ..." line on stderr and one error line appended to the engine's --log file
 * in runc's own format, so containerd's getLastRuntimeError() and Docker show our reason.
 * Must not: write to stdout, write non-error lines into --log, or fail the caller because the log
 * cannot be written: the stderr line is already out, and a wrapper that aborted when its log file
 * could not be opened stopped containers from starting (NVIDIA/nvidia-container-toolkit#68).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>

#include <yajl/yajl_gen.h>

#include "fsutil.h"
#include "json.h"
#include "report.h"
#include "util.h"

/* runc 1.1.5 sets logrus' JSONFormatter (--log-format json) or keeps its TextFormatter without a
 * TimestampFormat (main.go, configLogrus), so logrus' defaultTimestampFormat applies: Go's
 * time.RFC3339, "2006-01-02T15:04:05Z07:00" (sirupsen/logrus formatter.go), in the process's
 * local time -- seconds, and "Z" only for UTC, otherwise "+hh:mm".  Checked against runc 1.1.5:
 * TZ=Asia/Tokyo gives "2026-12-08T04:58:48+09:00".  */
void
report_timestamp (char *buf, unsigned long size)
{
  struct timespec ts;
  struct tm tm;
  char zone[32];
  long off;

  clock_gettime (CLOCK_REALTIME, &ts);
  localtime_r (&ts.tv_sec, &tm);
  if (tm.tm_gmtoff == 0)
    snprintf (zone, sizeof (zone), "Z");
  else
    {
      off = labs (tm.tm_gmtoff) % (24 * 3600);
      snprintf (zone, sizeof (zone), "%c%02ld:%02ld", tm.tm_gmtoff < 0 ? '-' : '+', off / 3600,
                (off % 3600) / 60);
    }
  snprintf (buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s", tm.tm_year + 1900, tm.tm_mon + 1,
            tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
}

/* One line, whatever the message holds: a newline would split the record and containerd would
 * show only its tail.  */
static char *
flatten (const char *msg)
{
  char *s = xstrdup (msg);

  for (char *p = s; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  return s;
}

/* msg as encoding/json writes a string: "coerced to valid UTF-8, replacing invalid bytes with the
 * Unicode replacement rune" (encoding/json Marshal), one U+FFFD per byte as utf8.DecodeRune
 * reads them.  malloc'd.  */
static char *
valid_utf8 (const char *msg)
{
  size_t n = strlen (msg), len;
  char *out = xmalloc (n * 3 + 1), *o = out;

  for (size_t i = 0; i < n; i += len ? len : 1)
    {
      len = json_utf8_sequence_length (msg + i, n - i);
      memcpy (o, len ? msg + i : "\xef\xbf\xbd", len ? len : 3);
      o += len ? len : 3;
    }
  *o = '\0';
  return out;
}

/* {"level":"error","msg":"...","time":"..."}: logrus' JSONFormatter goes through encoding/json
 * on a map, so the keys come out sorted -- the same order runc writes.  */
static char *
json_line (const char *msg, const char *stamp)
{
  static const char *const keys[] = { "level", "msg", "time" };
  cleanup_free char *text = valid_utf8 (msg);
  const char *values[] = { "error", text, stamp };
  yajl_gen g = yajl_gen_alloc (NULL);
  yajl_gen_status st;
  const unsigned char *buf = NULL;
  size_t len = 0;
  char *line = NULL;

  if (g == NULL)
    ocg_oom ();
  yajl_gen_config (g, yajl_gen_validate_utf8, 0);
  st = yajl_gen_map_open (g);
  for (size_t i = 0; st == yajl_gen_status_ok && i < ARRAY_SIZE (keys); i++)
    {
      st = yajl_gen_string (g, (const unsigned char *)keys[i], strlen (keys[i]));
      if (st == yajl_gen_status_ok)
        st = yajl_gen_string (g, (const unsigned char *)values[i], strlen (values[i]));
    }
  if (st == yajl_gen_status_ok)
    st = yajl_gen_map_close (g);
  if (st == yajl_gen_status_ok)
    st = yajl_gen_get_buf (g, &buf, &len);
  if (st == yajl_gen_status_ok)
    line = xasprintf ("%.*s\n", (int)len, (const char *)buf);
  yajl_gen_free (g);
  return line;
}

/* One character of a value quoted as Go's %q (strconv.Quote) does, which logrus' TextFormatter
 * uses for a value that needs quoting (text_formatter.go appendValue): the named escapes, \xNN
 * for the other ASCII controls and for a byte that is not UTF-8, \uNNNN for the C1 controls and
 * the line and paragraph separators.  (Go also escapes the other code points its tables call
 * unprintable; those few are written as they are.)  Writes at most 4 bytes per byte consumed, at
 * o; returns the number of bytes of p consumed, *wrote the number written.  */
static size_t
go_quote_char (const unsigned char *p, size_t avail, char *o, size_t *wrote)
{
  static const char named[] = "abtnvfr"; /* 0x07 .. 0x0d */
  size_t len = json_utf8_sequence_length ((const char *)p, avail);
  uint32_t cp = len == 2   ? ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu)
                : len == 3 ? ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu)
                           : 0;

  if (*p == '"' || *p == '\\')
    return *wrote = (size_t)snprintf (o, 3, "\\%c", *p), 1;
  if (*p >= 0x07 && *p <= 0x0d)
    return *wrote = (size_t)snprintf (o, 3, "\\%c", named[*p - 0x07]), 1;
  if (*p < 0x20 || *p == 0x7f || len == 0)
    return *wrote = (size_t)snprintf (o, 5, "\\x%02x", *p), 1;
  if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
    return *wrote = (size_t)snprintf (o, 7, "\\u%04x", (unsigned)cp), len;
  memcpy (o, p, len);
  return *wrote = len, len;
}

/* time="..." level=error msg="...": logrus' TextFormatter, as runc writes it (the message
 * always holds a space, so logrus always quotes it).  */
static char *
text_line (const char *msg, const char *stamp)
{
  size_t n = strlen (msg);
  cleanup_free char *q = xmalloc (n * 4 + 1);
  char *o = q;

  for (size_t i = 0; i < n;)
    {
      size_t wrote = 0;
      i += go_quote_char ((const unsigned char *)msg + i, n - i, o, &wrote);
      o += wrote;
    }
  *o = '\0';
  return xasprintf ("time=\"%s\" level=error msg=\"%s\"\n", stamp, q);
}

static void
append_log (const char *log_path, const char *log_format, const char *msg)
{
  char stamp[64];
  cleanup_free char *line = NULL;
  cleanup_close int fd = -1;

  report_timestamp (stamp, sizeof (stamp));
  if (log_format != NULL && strcmp (log_format, "json") == 0)
    line = json_line (msg, stamp);
  else
    line = text_line (msg, stamp);
  fd = open (log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd < 0 || line == NULL)
    return;
  (void)fsutil_write_all (fd, line, strlen (line));
}

void
report_error (const char *log_path, const char *log_format, const char *msg)
{
  cleanup_free char *flat = flatten (msg);
  cleanup_free char *line = xasprintf ("ocigate: %s\n", flat);

  (void)fsutil_write_all (STDERR_FILENO, line, strlen (line));
  if (log_path != NULL && log_path[0] != '\0')
    {
      line[strlen (line) - 1] = '\0';
      append_log (log_path, log_format, line);
    }
}
