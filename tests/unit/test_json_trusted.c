/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for json_parse_trusted (policy/json/json_trusted.c): for every embedded seccomp
 * profile it gives json_parse()'s tree -- same members in the same order, same texts, same line
 * and column on every node -- and json_parse() accepts that profile (no duplicate key, which the
 * quick parse does not look for); on small inputs it gives either NULL or json_parse()'s tree.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "seccomp.h"
#include "util.h"

/* The same tree, positions included.  */
static bool
same_tree (const struct json_node *a, const struct json_node *b)
{
  if (a->type != b->type || a->line != b->line || a->column != b->column || a->n != b->n
      || a->boolean != b->boolean || (a->text == NULL) != (b->text == NULL)
      || (a->text != NULL && strcmp (a->text, b->text) != 0))
    return false;
  for (size_t i = 0; i < a->n; i++)
    if ((a->type == JSON_OBJECT && strcmp (a->keys[i], b->keys[i]) != 0)
        || !same_tree (a->items[i], b->items[i]))
      return false;
  return true;
}

static size_t
count_nodes (const struct json_node *n)
{
  size_t c = 1;

  for (size_t i = 0; i < n->n; i++)
    c += count_nodes (n->items[i]);
  return c;
}

static void
test_embedded_profiles (void **state)
{
  const char *const names[] = { "default", "strict" };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (names); i++)
    {
      size_t len = 0;
      const char *bytes = seccomp_embedded_profile (names[i], &len);
      cleanup_error ocg_error_t err = NULL;
      cleanup_json struct json_node *slow = json_parse (bytes, len, NULL, &err);
      cleanup_json struct json_node *fast = json_parse_trusted (bytes, len);

      assert_non_null (slow);
      assert_non_null (fast);
      print_message ("# %s: %zu nodes\n", names[i], count_nodes (fast));
      assert_true (count_nodes (fast) > 100);
      assert_true (same_tree (fast, slow));
    }
}

static void
test_small_inputs (void **state)
{
  static const char *const inputs[] = {
    "{}",
    " [ ] ",
    "{\"a\": [1, -2, 0, true, false, null, \"x y\"]}\n",
    "{\n  \"a\": {\n    \"b\": [\n      {}, []\n    ]\n  },\n\t\"c\": \"\"\r\n}",
    /* outside the subset: NULL here, json_parse judges them */
    "{\"a\": \"\\n\"}",
    "{\"a\": 1.5}",
    "{\"a\": 1e3}",
    "{\"a\": 01}",
    "{\"a\": \"\xc3\xa9\"}",
    "{\"a\": 1} x",
    "{\"a\" 1}",
    "[1,]",
    "{\"a\":1,}",
    "[tru]",
    "",
    "   ",
    "\"unterminated",
    "[1 2]",
    "{\"a\":1}{",
    "-",
    "[-]",
    "{\v}",
  };
  size_t quick = 0;

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (inputs); i++)
    {
      cleanup_error ocg_error_t err = NULL;
      cleanup_json struct json_node *fast = json_parse_trusted (inputs[i], strlen (inputs[i]));
      cleanup_json struct json_node *slow = json_parse (inputs[i], strlen (inputs[i]), NULL, &err);

      if (fast == NULL)
        continue;
      quick++;
      assert_non_null (slow);
      assert_true (same_tree (fast, slow));
    }
  assert_int_equal (quick, 4);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_embedded_profiles),
    cmocka_unit_test (test_small_inputs),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
