/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for cmd/toml*.c: the TOML 1.0 reader (strings, numbers kept as written, arrays,
 * inline tables, dotted keys, tables and arrays of tables, what it refuses and where), the top
 * level landmarks the imports edit uses, and the writer (a parse of what it wrote is the same
 * tree, on containerd 1.6.20's own `config dump`).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fsutil.h"
#include "toml.h"
#include "util.h"

static struct json_node *
parse (const char *text)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *t = toml_parse (text, strlen (text), "t.toml", NULL, &err);

  if (t == NULL)
    print_message ("parse error: %s\n", err ? err->msg : "?");
  return t;
}

/* The error message of parsing `text`, which must fail.  */
static char *
parse_error (const char *text)
{
  ocg_error_t err = NULL;
  struct json_node *t = toml_parse (text, strlen (text), "t.toml", NULL, &err);
  char *msg;

  assert_null (t);
  assert_non_null (err);
  msg = xstrdup (err->msg);
  ocg_error_free (&err);
  return msg;
}

static const char *
str_at (const struct json_node *root, const char *table, const char *key)
{
  const struct json_node *t = table ? toml_get (root, table, NULL) : root;
  const struct json_node *n = json_obj_get (t, key);

  assert_non_null (n);
  assert_int_equal (n->type, JSON_STRING);
  return n->text;
}

static void
test_strings (void **state)
{
  cleanup_json struct json_node *t = parse ("a = \"tab\\tquote\\\" \\u00e9 \\U0001F600\"\n"
                                            "b = 'C:\\no\\escape'\n"
                                            "c = \"\"\"\nline1\nline2 \\\n   joined\"\"\"\n"
                                            "d = '''\nraw \\n'''\n"
                                            "e = \"\"\"two quotes at the end\"\"\"\"\"\n");

  (void)state;
  assert_non_null (t);
  assert_string_equal (str_at (t, NULL, "a"), "tab\tquote\" \xc3\xa9 \xf0\x9f\x98\x80");
  assert_string_equal (str_at (t, NULL, "b"), "C:\\no\\escape");
  assert_string_equal (str_at (t, NULL, "c"), "line1\nline2 joined");
  assert_string_equal (str_at (t, NULL, "d"), "raw \\n");
  assert_string_equal (str_at (t, NULL, "e"), "two quotes at the end\"\"");
}

static void
test_numbers_kept_as_written (void **state)
{
  cleanup_json struct json_node *t
      = parse ("i = 1_000\nh = 0xdead_beef\no = 0o755\nf = -1e-3\nn = nan\ninf = +inf\n"
               "d = 1979-05-27T07:32:00Z\nds = 1979-05-27 07:32:00\nb = true\nc = false\n");
  const char *keys[] = { "i", "h", "o", "f", "n", "inf", "d", "ds" };
  const char *want[] = { "1_000",
                         "0xdead_beef",
                         "0o755",
                         "-1e-3",
                         "nan",
                         "+inf",
                         "1979-05-27T07:32:00Z",
                         "1979-05-27 07:32:00" };

  (void)state;
  assert_non_null (t);
  for (size_t i = 0; i < ARRAY_SIZE (keys); i++)
    {
      const struct json_node *n = json_obj_get (t, keys[i]);
      assert_non_null (n);
      assert_int_equal (n->type, JSON_NUMBER);
      assert_string_equal (n->text, want[i]);
    }
  assert_true (json_obj_get (t, "b")->boolean);
  assert_false (json_obj_get (t, "c")->boolean);
}

static void
test_arrays_and_inline_tables (void **state)
{
  cleanup_json struct json_node *t = parse ("a = [\n  \"x\", # comment\n  'y',\n]\n"
                                            "n = [[1, 2], [\"m\"]]\n"
                                            "it = { k = \"v\", sub.deep = 1 }\n");
  const struct json_node *a, *it;

  (void)state;
  assert_non_null (t);
  a = json_obj_get (t, "a");
  assert_int_equal (a->type, JSON_ARRAY);
  assert_int_equal (a->n, 2);
  assert_string_equal (a->items[1]->text, "y");
  assert_int_equal (json_obj_get (t, "n")->items[0]->n, 2);
  it = json_obj_get (t, "it");
  assert_string_equal (str_at (it, NULL, "k"), "v");
  assert_string_equal (json_obj_get (toml_get (it, "sub", NULL), "deep")->text, "1");
}

static void
test_tables (void **state)
{
  cleanup_json struct json_node *t
      = parse ("top = 1\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
               "default_runtime_name = \"runc\"\n"
               "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
               "runtime_type = \"io.containerd.runc.v2\"\n"
               "dotted.key = \"x\"\n"
               "[plugins.\"io.containerd.grpc.v1.cri\"]\n"
               "sandbox_image = \"p\"\n"
               "[[arr]]\nname = \"one\"\n[arr.sub]\nv = 1\n[[arr]]\nname = \"two\"\n");
  const struct json_node *cri = toml_get (t, "plugins", "io.containerd.grpc.v1.cri", NULL);
  const struct json_node *arr;

  (void)state;
  assert_non_null (cri);
  assert_string_equal (str_at (cri, NULL, "sandbox_image"), "p");
  assert_string_equal (str_at (toml_get (cri, "containerd", NULL), NULL, "default_runtime_name"),
                       "runc");
  assert_string_equal (
      str_at (toml_get (cri, "containerd", "runtimes", "runc", "dotted", NULL), NULL, "key"), "x");
  arr = json_obj_get (t, "arr");
  assert_int_equal (arr->type, JSON_ARRAY);
  assert_int_equal (arr->n, 2);
  assert_string_equal (str_at (arr->items[1], NULL, "name"), "two");
  assert_non_null (toml_get (arr->items[0], "sub", NULL));
}

static void
test_refusals (void **state)
{
  static const struct
  {
    const char *text;
    const char *says;
  } bad[] = {
    { "a = 1\na = 2\n", "t.toml:2:5: the key `a` is defined twice" },
    { "[t]\n[t]\n", "the table `t` is defined twice" },
    { "a = \"\\q\"\n", "invalid escape" },
    { "a = \"unterminated\n", "control character" },
    { "a = \"\\u0000\"\n", "no allowed Unicode scalar value" },
    { "a = \"\\ud800\"\n", "no allowed Unicode scalar value" },
    { "a = 1 b = 2\n", "expected the end of the line" },
    { "a = [1, 2\n", "expected `,` or `]`" },
    { "a = { b = 1, }\n", "expected a key" },
    { "a = nope\n", "expected a value" },
    { "a = 1__0\n", "expected a value" },
    { "a = 1\n[a]\n", "is not a table" },
    { "t = { x = 1 }\n[t]\n", "defined twice" },
    { "a = 1\n\"\"\"k\"\"\" = 2\n", "multi-line string" },
    { "[x\n", "to close the table header" },
  };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      cleanup_free char *msg = parse_error (bad[i].text);
      if (strstr (msg, bad[i].says) == NULL)
        fail_msg ("`%s`: got `%s`, want `%s`", bad[i].text, msg, bad[i].says);
    }
}

static void
test_not_utf8 (void **state)
{
  ocg_error_t err = NULL;
  static const char text[] = "a = \"\xff\"\n";

  (void)state;
  assert_null (toml_parse (text, strlen (text), "t.toml", NULL, &err));
  assert_non_null (strstr (err->msg, "not UTF-8"));
  ocg_error_free (&err);
}

static void
test_landmarks (void **state)
{
  static const char text[] = "# head\nversion = 2\nimports = [ \"a.toml\",\n  'b.toml' ]  # c\n"
                             "\n[plugins]\n";
  struct toml_top top;
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *t = toml_parse (text, strlen (text), "t.toml", &top, &err);

  (void)state;
  assert_non_null (t);
  assert_true (top.has_imports);
  assert_int_equal (top.first_header, strstr (text, "[plugins]") - text);
  assert_int_equal (top.imports_line.start, strstr (text, "imports") - text);
  assert_int_equal (top.imports_line.end, strstr (text, "\n\n[") - text + 1);
  assert_int_equal (text[top.imports_open], '[');
  assert_int_equal (text[top.imports_close], ']');
  assert_int_equal (top.n_elems, 2);
  assert_memory_equal (text + top.elems[1].start, "'b.toml'",
                       top.elems[1].end - top.elems[1].start);
  toml_top_release (&top);
}

static void
test_write_round_trip (void **state)
{
  cleanup_json struct json_node *t
      = parse ("version = 2\nimports = [\"x\"]\n[plugins.\"a.b\".c]\nk = \"v\\\"q\"\n"
               "n = 0o755\nl = [1, { i = true }]\n[[arr]]\nx = 1\n[[arr]]\nx = 2\n"
               "[empty]\n");
  cleanup_free char *text = toml_write (t, "header line one\nline two");
  cleanup_json struct json_node *again = NULL;

  (void)state;
  assert_non_null (t);
  assert_true (str_has_prefix (text, "# header line one\n# line two\n"));
  again = parse (text);
  assert_non_null (again);
  assert_true (json_equal (t, again));
  assert_non_null (strstr (text, "[plugins.\"a.b\".c]"));
  assert_non_null (strstr (text, "[[arr]]"));
}

/* containerd 1.6.20's own output, written back and read again: the same tree.  */
static void
test_containerd_dump (void **state)
{
  const char *dir = getenv ("OCG_FIXTURES");
  cleanup_free char *path
      = xasprintf ("%s/containerd/dump-1.6.20-default.toml", dir ? dir : "tests/fixtures");
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *t = toml_parse_file (path, NULL, NULL, NULL, &err);
  cleanup_free char *text = NULL;
  cleanup_json struct json_node *again = NULL;
  const struct json_node *runc;

  (void)state;
  assert_non_null (t);
  runc = toml_get (t, "plugins", "io.containerd.grpc.v1.cri", "containerd", "runtimes", "runc",
                   NULL);
  assert_string_equal (str_at (runc, NULL, "runtime_type"), "io.containerd.runc.v2");
  assert_string_equal (str_at (toml_get (runc, "options", NULL), NULL, "BinaryName"), "");
  text = toml_write (t, NULL);
  again = toml_parse (text, strlen (text), "written", NULL, &err);
  assert_non_null (again);
  assert_true (json_equal (t, again));
}

static void
test_key_quoting (void **state)
{
  cleanup_free char *bare = toml_key ("io_containerd-x1");
  cleanup_free char *dotted = toml_key ("io.containerd.grpc.v1.cri");
  cleanup_free char *empty = toml_key ("");
  cleanup_free char *ctl = toml_quote ("a\x01\"b");

  (void)state;
  assert_string_equal (bare, "io_containerd-x1");
  assert_string_equal (dotted, "\"io.containerd.grpc.v1.cri\"");
  assert_string_equal (empty, "\"\"");
  assert_string_equal (ctl, "\"a\\u0001\\\"b\"");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_strings),
    cmocka_unit_test (test_numbers_kept_as_written),
    cmocka_unit_test (test_arrays_and_inline_tables),
    cmocka_unit_test (test_tables),
    cmocka_unit_test (test_refusals),
    cmocka_unit_test (test_not_utf8),
    cmocka_unit_test (test_landmarks),
    cmocka_unit_test (test_write_round_trip),
    cmocka_unit_test (test_containerd_dump),
    cmocka_unit_test (test_key_quoting),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
