/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the line and column json_parse() gives every value (policy/json/json_parse.c):
 * its quick paths -- eight ASCII bytes at a time, the pre-scan's printable ASCII, the walk back to
 * a string's opening quote by memrchr -- against positions counted here a byte at a time, on
 * values after long ASCII runs, multi-byte characters, newlines at every offset within a word,
 * and strings holding escaped quotes and backslashes.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "util.h"

/* The document built piece by piece, with the offset of every value in the array.  */
struct doc
{
  char buf[8192];
  size_t len;
  size_t starts[64];
  size_t n;
};

static void
put (struct doc *d, const char *s)
{
  size_t n = strlen (s);

  assert_true (d->len + n < sizeof (d->buf));
  memcpy (d->buf + d->len, s, n);
  d->len += n;
  d->buf[d->len] = '\0';
}

static void
put_value (struct doc *d, const char *s)
{
  if (d->n > 0)
    put (d, ",");
  d->starts[d->n++] = d->len + strspn (s, " \n");
  put (d, s);
}

/* Line and column of byte offset off, a byte at a time.  */
static void
position (const char *buf, size_t off, size_t *line, size_t *column)
{
  *line = 1;
  *column = 1;
  for (size_t i = 0; i < off; i++)
    if (buf[i] == '\n')
      ++*line, *column = 1;
    else if (((unsigned char)buf[i] & 0xC0) != 0x80)
      ++*column;
}

static void
test_positions (void **state)
{
  static const char *const values[] = {
    "\"plain\"",
    "\n\"after a newline\"",
    "\"a long run of ASCII that spans many eight-byte words without a newline\"",
    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 then ASCII again for a while\"",
    "\"escaped \\\"quote\\\" and \\\\\"",
    "\"ends in a backslash \\\\\"",
    "\"\\\\\\\"\"",
    "12345678901234",
    "\n\n  true",
    "{\"k\\\"ey\": \"v\\\"al\", \"x\": [\"\\\\\", \"\\\"\"]}",
    "\"1\n\"",
  };
  struct doc d = { .len = 0 };
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *root = NULL;

  (void)state;
  put (&d, "[");
  /* Newlines at every offset within an eight-byte word, and values after each.  */
  for (size_t k = 0; k < 9; k++)
    {
      char pad[32];
      snprintf (pad, sizeof (pad), "%.*s\n\"v\"", (int)k, "        ");
      put_value (&d, pad);
    }
  for (size_t i = 0; i < ARRAY_SIZE (values); i++)
    if (strchr (values[i], '\n') == NULL || values[i][0] == '\n')
      put_value (&d, values[i]);
  put (&d, "]");
  root = json_parse (d.buf, d.len, NULL, &err);
  assert_non_null (root);
  assert_int_equal (root->n, d.n);
  for (size_t i = 0; i < d.n; i++)
    {
      size_t line, column;
      position (d.buf, d.starts[i], &line, &column);
      print_message ("# value %zu: %zu:%zu\n", i, line, column);
      assert_int_equal (root->items[i]->line, line);
      assert_int_equal (root->items[i]->column, column);
    }
  /* The members of the object: the key's string does not move the value's position.  */
  {
    const struct json_node *obj = root->items[d.n - 1];
    assert_int_equal (obj->type, JSON_OBJECT);
    assert_string_equal (obj->keys[0], "k\"ey");
    assert_string_equal (obj->items[0]->text, "v\"al");
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_positions),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
