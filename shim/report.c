/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The denial / error channel (see report.h).
 *
 * Owns: one "ocigate: ..." line on stderr and one error line appended to the engine's --log file
 * in runc's own format, so containerd's getLastRuntimeError() and Docker show our reason.
 * Must not: write to stdout, write non-error lines into --log, or fail the caller because the log
 * cannot be written (the stderr line is already out; anchors.md §11.8,
 * nvidia-container-toolkit#68).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <time.h>

#include <yajl/yajl_gen.h>

#include "fsutil.h"
#include "report.h"
#include "util.h"

void
report_timestamp (char *buf, unsigned long size)
{
  struct timespec ts;
  struct tm tm;
  char zone[32];
  long off;

  /* logrus' default TimestampFormat is Go's time.RFC3339 in local time:
   * "2006-01-02T15:04:05Z07:00", i.e. "Z" for UTC, otherwise "+hh:mm".  */
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

/* {"level":"error","msg":"...","time":"..."}: logrus' JSONFormatter goes through encoding/json
 * on a map, so the keys come out sorted -- the same order runc writes.  */
static char *
json_line (const char *msg, const char *stamp)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  char *line;

  if (g == NULL)
    ocg_oom ();
  yajl_gen_config (g, yajl_gen_validate_utf8, 0);
  yajl_gen_map_open (g);
  yajl_gen_string (g, (const unsigned char *)"level", 5);
  yajl_gen_string (g, (const unsigned char *)"error", 5);
  yajl_gen_string (g, (const unsigned char *)"msg", 3);
  yajl_gen_string (g, (const unsigned char *)msg, strlen (msg));
  yajl_gen_string (g, (const unsigned char *)"time", 4);
  yajl_gen_string (g, (const unsigned char *)stamp, strlen (stamp));
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  line = xasprintf ("%.*s\n", (int)len, (const char *)buf);
  yajl_gen_free (g);
  return line;
}

/* time="..." level=error msg="...": logrus' TextFormatter quotes the value Go-style.  */
static char *
text_line (const char *msg, const char *stamp)
{
  size_t n = strlen (msg);
  cleanup_free char *q = xmalloc (n * 4 + 1);
  char *o = q;

  for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          *o++ = '\\';
          *o++ = (char)*p;
        }
      else if (*p < 0x20 || *p == 0x7f)
        o += snprintf (o, 5, "\\x%02x", *p);
      else
        *o++ = (char)*p;
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
  if (fd < 0)
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
