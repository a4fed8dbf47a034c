/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/report.c, the denial / error channel: the one stderr line, and the line in
 * the engine's --log file in runc 1.1.5's own format -- logrus' JSONFormatter and TextFormatter,
 * with logrus' default timestamp.  The expected text lines are what runc 1.1.5 itself wrote for
 * the same characters (`runc --log F create -b "$(printf ...)"`); no root needed.  */
#include <config.h>

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "json.h"
#include "report.h"
#include "scratch.h"
#include "util.h"

/* report_error with stderr sent to a file; returns what it wrote there.  */
static char *
report_capturing_stderr (const char *log, const char *format, const char *msg)
{
  cleanup_free char *path = xasprintf ("%s/stderr", scratch_dir);
  int saved = scratch_capture_begin (STDERR_FILENO, path);

  report_error (log, format, msg);
  return scratch_capture_end (STDERR_FILENO, saved, path);
}

static bool
matches (const char *pattern, const char *text)
{
  regex_t re;
  int r;

  assert_int_equal (regcomp (&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
  r = regexec (&re, text, 0, NULL, 0);
  regfree (&re);
  return r == 0;
}

#define RFC3339_SECONDS "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"

/* The stamp read back as seconds since the epoch (its zone applied).  */
static time_t
stamp_epoch (const char *stamp)
{
  struct tm tm = { 0 };
  const char *rest = strptime (stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  long off = 0;

  assert_non_null (rest);
  if (*rest != 'Z')
    {
      int h = 0, m = 0;
      assert_int_equal (sscanf (rest + 1, "%2d:%2d", &h, &m), 2);
      off = (h * 3600L + m * 60L) * (*rest == '-' ? -1 : 1);
    }
  return timegm (&tm) - off;
}

/* POSIX TZ strings (no tzdata needed): UTC, JST (UTC+9), a half-hour zone west of UTC.  */
static void
test_timestamp_is_logrus_rfc3339 (void **state)
{
  static const struct
  {
    const char *tz, *zone;
  } zones[] = { { "UTC0", "Z" }, { "JST-9", "\\+09:00" }, { "NST3:30", "-03:30" } };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (zones); i++)
    {
      char stamp[64];
      cleanup_free char *pattern = xasprintf ("^" RFC3339_SECONDS "%s$", zones[i].zone);
      time_t before, after;

      setenv ("TZ", zones[i].tz, 1);
      tzset ();
      before = time (NULL);
      report_timestamp (stamp, sizeof (stamp));
      after = time (NULL);
      print_message ("# TZ=%s: %s\n", zones[i].tz, stamp);
      /* To the second, no fraction (logrus' default, time.RFC3339), in the local zone.  */
      assert_true (matches (pattern, stamp));
      assert_true (stamp_epoch (stamp) >= before && stamp_epoch (stamp) <= after);
    }
  setenv ("TZ", "UTC0", 1);
  tzset ();
}

/* Every character runc 1.1.5 was seen to escape in its text log, and a newline.  */
static const char awkward[] = "/no\tex\x01is\x7ft\xc2\x85\xe2\x80\xa8\xffz\"q\\ two\nlines";

static void
test_stderr_line (void **state)
{
  cleanup_free char *err = NULL;

  (void)state;
  err = report_capturing_stderr (NULL, NULL, awkward);
  /* One line whatever the message holds (containerd shows only the last).  */
  assert_string_equal (err,
                       "ocigate: /no\tex\x01is\x7ft\xc2\x85\xe2\x80\xa8\xffz\"q\\ two lines\n");
}

static void
test_text_log_line (void **state)
{
  cleanup_free char *log = xasprintf ("%s/log.txt", scratch_dir);
  cleanup_free char *err = NULL;
  cleanup_free char *text = NULL;
  cleanup_free char *want = NULL;
  const char *msg;

  (void)state;
  err = report_capturing_stderr (log, "text", awkward);
  text = scratch_read (log);
  print_message ("# %s", text);
  assert_true (matches ("^time=\"" RFC3339_SECONDS "Z\" level=error msg=\"", text));
  msg = strstr (text, " msg=\"") + strlen (" msg=\"");
  /* runc 1.1.5: msg="... /no\tex\x01is\x7ft\u0085\u2028\xffz\"q\\: ..."  */
  want = xasprintf ("ocigate: %s\"\n",
                    "/no\\tex\\x01is\\x7ft\\u0085\\u2028\\xffz\\\"q\\\\ two lines");
  assert_string_equal (msg, want);
  /* The default format is text, as runc's.  */
  free (err);
  err = report_capturing_stderr (log, NULL, "second");
  free (text);
  text = scratch_read (log);
  assert_non_null (strstr (text, "\" level=error msg=\"ocigate: second\"\n"));
  assert_int_equal (strchr (strchr (text, '\n') + 1, '\n')[1], '\0');
}

static void
test_json_log_line (void **state)
{
  cleanup_free char *log = xasprintf ("%s/log.json", scratch_dir);
  cleanup_free char *err = NULL;
  cleanup_free char *text = NULL;
  cleanup_error ocg_error_t perr = NULL;
  cleanup_json struct json_node *line = NULL;
  static const char *const keys[] = { "level", "msg", "time" };

  (void)state;
  err = report_capturing_stderr (log, "json", awkward);
  text = scratch_read (log);
  print_message ("# %s", text);
  assert_int_equal (text[strlen (text) - 1], '\n');
  assert_ptr_equal (strchr (text, '\n') + 1, text + strlen (text)); /* one line */
  /* Strictly valid JSON: encoding/json writes the byte that is not UTF-8 as U+FFFD.  */
  line = json_parse (text, strlen (text), NULL, &perr);
  assert_non_null (line);
  assert_int_equal (line->type, JSON_OBJECT);
  /* Sorted keys, as encoding/json writes logrus' map, and nothing else.  */
  assert_int_equal (line->n, ARRAY_SIZE (keys));
  for (size_t i = 0; i < ARRAY_SIZE (keys); i++)
    {
      assert_string_equal (line->keys[i], keys[i]);
      assert_int_equal (line->items[i]->type, JSON_STRING);
    }
  assert_string_equal (line->items[0]->text, "error");
  assert_string_equal (
      line->items[1]->text,
      "ocigate: /no\tex\x01is\x7ft\xc2\x85\xe2\x80\xa8\xef\xbf\xbdz\"q\\ two lines");
  assert_true (matches ("^" RFC3339_SECONDS "Z$", line->items[2]->text));
}

/* The log is appended to, never truncated, and a log that cannot be written stops nothing.  */
static void
test_log_appended_and_optional (void **state)
{
  cleanup_free char *log = xasprintf ("%s/log.json", scratch_dir);
  cleanup_free char *missing = xasprintf ("%s/no/such/scratch_dir/log.json", scratch_dir);
  cleanup_free char *text = NULL;
  char *e;

  (void)state;
  e = report_capturing_stderr (log, "json", "one");
  free (e);
  e = report_capturing_stderr (log, "json", "two");
  free (e);
  text = scratch_read (log);
  assert_non_null (strstr (text, "\"msg\":\"ocigate: one\""));
  assert_non_null (strstr (strchr (text, '\n'), "\"msg\":\"ocigate: two\""));
  e = report_capturing_stderr (missing, "json", "still said");
  assert_string_equal (e, "ocigate: still said\n");
  free (e);
  /* An empty --log is no log.  */
  e = report_capturing_stderr ("", "json", "stderr only");
  assert_string_equal (e, "ocigate: stderr only\n");
  free (e);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_timestamp_is_logrus_rfc3339, scratch_setup,
                                     scratch_teardown),
    cmocka_unit_test_setup_teardown (test_stderr_line, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_text_log_line, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_json_log_line, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_log_appended_and_optional, scratch_setup,
                                     scratch_teardown),
  };

  setenv ("TZ", "UTC0", 1);
  tzset ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}
