/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Assertions over audit records, for the shim's audit unit tests (see record_asserts.h).  */
#include <config.h>

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "record_asserts.h"
#include "err.h"
#include "util.h"

struct json_node *
rec_parse (const char *text)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *node = json_parse (text, strlen (text), NULL, &err);

  if (node == NULL)
    fail_msg ("`%s` does not parse: %s", text, err->msg);
  return node;
}

void
rec_assert_keys (const struct json_node *obj, const char *want)
{
  cleanup_free char *got = xstrdup ("");

  assert_non_null (obj);
  assert_int_equal (obj->type, JSON_OBJECT);
  for (size_t i = 0; i < obj->n; i++)
    {
      char *more = xasprintf ("%s%s%s", got, i ? "," : "", obj->keys[i]);
      free (got);
      got = more;
    }
  assert_string_equal (got, want);
}

void
rec_assert_json_equal (const struct json_node *got, const char *want_text)
{
  cleanup_json struct json_node *want = rec_parse (want_text);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = json_serialize (got, NULL, &err);

  if (!json_equal (got, want))
    fail_msg ("got %s\nwant %s", text, want_text);
}

void
rec_assert_matches (const char *text, const char *pattern)
{
  regex_t re;

  assert_int_equal (regcomp (&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
  if (regexec (&re, text, 0, NULL, 0) != 0)
    fail_msg ("`%s` does not match `%s`", text, pattern);
  regfree (&re);
}

void
rec_assert_stamp (const struct json_node *record)
{
  const struct json_node *t = json_obj_get (record, "time");
  char host[256] = "";

  assert_non_null (t);
  assert_int_equal (t->type, JSON_STRING);
  rec_assert_matches (t->text,
                      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$");
  assert_int_equal (gethostname (host, sizeof (host) - 1), 0);
  assert_string_equal (json_obj_get (record, "host")->text, host);
  assert_string_equal (json_obj_get (record, "ocigate_version")->text, PACKAGE_VERSION);
}
