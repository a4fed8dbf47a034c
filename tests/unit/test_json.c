/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/json/json.c and policy/json/json_parse.c: number fidelity, every input
 * refused because Go and yajl could read it differently (duplicates, bad UTF-8, lone surrogates,
 * U+0000, \f / \v, trailing data, comments), the depth and size caps, positions in messages, and
 * the serialise -> parse round trip.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "json.h"
#include "util.h"

static struct json_node *
parse_opts (const char *text, size_t len, const struct json_parse_opts *opts)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *root = json_parse (text, len, opts, &err);

  if (root == NULL)
    fail_msg ("refused `%s`: %s", text, err ? err->msg : "?");
  assert_null (err);
  return root;
}

static struct json_node *
parse_ok (const char *text)
{
  struct json_parse_opts opts = { .source = "config.json" };
  return parse_opts (text, strlen (text), &opts);
}

/* Refused: returns the message (malloc'd).  */
static char *
refused_opts (const char *text, size_t len, const struct json_parse_opts *opts)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *root = json_parse (text, len, opts, &err);

  if (root != NULL)
    {
      json_free (root);
      fail_msg ("accepted `%s`", text);
    }
  assert_non_null (err);
  assert_null (strchr (err->msg, '\n'));
  return xstrdup (err->msg);
}

static char *
refused (const char *text)
{
  struct json_parse_opts opts = { .source = "config.json" };
  return refused_opts (text, strlen (text), &opts);
}

static void
assert_refused_with (const char *text, const char *fragment)
{
  cleanup_free char *msg = refused (text);
  if (strstr (msg, fragment) == NULL)
    fail_msg ("message `%s` lacks `%s`", msg, fragment);
}

static void
assert_refused_exactly (const char *text, const char *expected)
{
  cleanup_free char *msg = refused (text);
  assert_string_equal (msg, expected);
}

static char *
serialize_ok (const struct json_node *node)
{
  cleanup_error ocg_error_t err = NULL;
  char *out = json_serialize (node, NULL, &err);

  if (out == NULL)
    fail_msg ("serialise: %s", err ? err->msg : "?");
  return out;
}

static void
test_number_fidelity (void **state)
{
  static const char *const numbers[] = {
    "18446744073709551615",
    "-9223372036854775808",
    "-1",
    "1e3",
    "1.50",
    "0",
    "-0",
    "1E+2",
    "2.5e-3",
    "18446744073709551616",
    "123456789012345678901234567890",
  };
  cleanup_json struct json_node *root = NULL, *again = NULL;
  cleanup_free char *text = NULL, *out = NULL;
  size_t len = 2;

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (numbers); i++)
    len += strlen (numbers[i]) + 1;
  text = xzalloc (len + 1);
  strncat (text, "[", len);
  for (size_t i = 0; i < ARRAY_SIZE (numbers); i++)
    {
      strncat (text, numbers[i], len);
      strncat (text, i + 1 < ARRAY_SIZE (numbers) ? "," : "]", len);
    }
  root = parse_ok (text);
  assert_int_equal (root->n, ARRAY_SIZE (numbers));
  out = serialize_ok (root);
  again = parse_ok (out);
  for (size_t i = 0; i < ARRAY_SIZE (numbers); i++)
    {
      assert_int_equal (root->items[i]->type, JSON_NUMBER);
      assert_string_equal (root->items[i]->text, numbers[i]);
      assert_string_equal (again->items[i]->text, numbers[i]);
      assert_non_null (strstr (out, numbers[i]));
    }
  assert_true (json_equal (root, again));
}

static void
test_number_conversions (void **state)
{
  static const struct
  {
    const char *text;
    bool i64_ok;
    int64_t i64;
    bool u64_ok;
    uint64_t u64;
  } cases[] = {
    { "18446744073709551615", false, 0, true, UINT64_MAX },
    { "18446744073709551616", false, 0, false, 0 },
    { "9223372036854775807", true, INT64_MAX, true, INT64_MAX },
    { "9223372036854775808", false, 0, true, (uint64_t)INT64_MAX + 1 },
    { "-9223372036854775808", true, INT64_MIN, false, 0 },
    { "-9223372036854775809", false, 0, false, 0 },
    { "-1", true, -1, false, 0 },
    { "-0", true, 0, false, 0 },
    { "0", true, 0, true, 0 },
    { "1e3", false, 0, false, 0 },
    { "1.0", false, 0, false, 0 },
    { "1.50", false, 0, false, 0 },
  };
  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      cleanup_json struct json_node *n = json_new_number_text (cases[i].text);
      int64_t s = 42;
      uint64_t u = 42;
      assert_non_null (n);
      assert_int_equal (json_number_i64 (n, &s), cases[i].i64_ok);
      assert_int_equal (json_number_u64 (n, &u), cases[i].u64_ok);
      if (cases[i].i64_ok)
        assert_true (s == cases[i].i64);
      if (cases[i].u64_ok)
        assert_true (u == cases[i].u64);
    }
  {
    cleanup_json struct json_node *a = json_new_int (INT64_MIN), *b = json_new_uint (UINT64_MAX);
    cleanup_json struct json_node *s = json_new_string ("1");
    uint64_t u = 0;
    assert_string_equal (a->text, "-9223372036854775808");
    assert_string_equal (b->text, "18446744073709551615");
    assert_false (json_number_u64 (s, &u));
    assert_false (json_number_u64 (NULL, &u));
  }
  assert_null (json_new_number_text ("01"));
  assert_null (json_new_number_text ("1."));
  assert_null (json_new_number_text ("+1"));
  assert_null (json_new_number_text ("1e"));
  assert_null (json_new_number_text (""));
  assert_null (json_new_number_text ("NaN"));
  assert_null (json_new_number_text ("1 "));
}

static void
test_duplicate_keys (void **state)
{
  (void)state;
  assert_refused_exactly ("{\"process\":{},\"process\":{}}",
                          "config.json: duplicate key \"process\" at $.process");
  assert_refused_exactly ("{\"linux\":{\"a\":1,\"b\":2,\"a\":3}}",
                          "config.json: duplicate key \"a\" at $.linux.a");
  assert_refused_exactly ("{\"mounts\":[{\"type\":\"bind\"},{\"type\":\"a\",\"type\":\"b\"}]}",
                          "config.json: duplicate key \"type\" at $.mounts[1].type");
  assert_refused_exactly ("[[{}],[1,{\"x\":[{\"y\":0,\"y\":0}]}]]",
                          "config.json: duplicate key \"y\" at $[1][1].x[0].y");
  /* Equal after unescaping is equal: Go compares decoded keys.  */
  assert_refused_exactly ("{\"a\":1,\"\\u0061\":2}", "config.json: duplicate key \"a\" at $.a");
  assert_refused_exactly ("{\"annotations\":{\"io.k8s/x\":\"1\",\"io.k8s/x\":\"2\"}}",
                          "config.json: duplicate key \"io.k8s/x\" at $.annotations[\"io.k8s/x\"]");
  /* Keys that could inject into a log line are escaped.  */
  assert_refused_exactly ("{\"a\\nb\\\"\":1,\"a\\nb\\\"\":2}",
                          "config.json: duplicate key \"a\\u000ab\\\"\" at $[\"a\\u000ab\\\"\"]");
  /* Case differs: not a JSON duplicate (schema.c handles Go's case folding).  */
  json_free (parse_ok ("{\"process\":1,\"Process\":2}"));
}

/* Objects above the pairwise threshold go through the sort; the first repeat in source order is
 * named.  */
static void
test_duplicate_keys_large (void **state)
{
  char text[512] = "{";
  cleanup_free char *msg = NULL;

  (void)state;
  for (int i = 0; i < 20; i++)
    snprintf (text + strlen (text), sizeof (text) - strlen (text), "\"k%02d\":%d,", i, i);
  strncat (text, "\"k15\":0,\"k03\":0}", sizeof (text) - strlen (text) - 1);
  msg = refused (text);
  assert_string_equal (msg, "config.json: duplicate key \"k15\" at $.k15");
  {
    struct json_parse_opts opts = { .source = "x", .allow_duplicates = true };
    cleanup_json struct json_node *root = parse_opts (text, strlen (text), &opts);
    assert_int_equal (root->n, 22);
  }
}

static char *
nested (size_t depth, const char *open, const char *close)
{
  char *text = xzalloc (depth * 2 + 1);
  for (size_t i = 0; i < depth; i++)
    {
      text[i] = open[0];
      text[2 * depth - 1 - i] = close[0];
    }
  return text;
}

static void
test_depth_cap (void **state)
{
  cleanup_free char *ok = nested (64, "[", "]"), *deep = nested (65, "[", "]");
  cleanup_free char *msg = NULL, *out = NULL;
  cleanup_json struct json_node *root = NULL, *again = NULL;

  (void)state;
  root = parse_ok (ok);
  out = serialize_ok (root);
  again = parse_ok (out);
  assert_true (json_equal (root, again));
  msg = refused (deep);
  assert_string_equal (msg, "config.json: nesting deeper than 64 levels at line 1 column 65");
}

static void
test_depth_objects_and_limit (void **state)
{
  char text[1024] = "";
  struct json_parse_opts opts = { .source = "x", .max_depth = 100000 };
  cleanup_free char *at_limit = nested (JSON_MAX_DEPTH_LIMIT, "[", "]");
  cleanup_free char *over = nested (JSON_MAX_DEPTH_LIMIT + 1, "[", "]");
  cleanup_free char *msg = NULL, *out = NULL;
  cleanup_json struct json_node *root = NULL;

  (void)state;
  for (int i = 0; i < 65; i++)
    strncat (text, "{\"a\":", sizeof (text) - strlen (text) - 1);
  msg = refused (text);
  assert_non_null (strstr (msg, "nesting deeper than 64 levels"));
  /* A larger max_depth is clamped to what yajl_gen can write back.  */
  root = parse_opts (at_limit, strlen (at_limit), &opts);
  out = serialize_ok (root);
  free (msg);
  msg = refused_opts (over, strlen (over), &opts);
  assert_non_null (strstr (msg, "nesting deeper than 127 levels"));
}

static void
test_depth_huge (void **state)
{
  const size_t n = 100000;
  cleanup_free char *text = xmalloc (n + 1), *msg = NULL;

  (void)state;
  memset (text, '[', n);
  text[n] = '\0';
  msg = refused (text);
  assert_non_null (strstr (msg, "nesting deeper than 64 levels"));
  memset (text, '{', n);
  for (size_t i = 0; i + 5 <= n; i += 5)
    memcpy (text + i, "[{\"\":", 5);
  free (msg);
  msg = refused (text);
  assert_non_null (strstr (msg, "nesting deeper"));
}

static void
test_size_cap (void **state)
{
  struct json_parse_opts opts = { .source = "config.json", .max_bytes = 10 };
  cleanup_free char *msg = NULL;

  (void)state;
  json_free (parse_opts ("[1,2,3,45]", 10, &opts));
  msg = refused_opts ("[1,2,3,456]", 11, &opts);
  assert_string_equal (msg, "config.json: larger than 10 bytes");
}

static void
test_invalid_utf8 (void **state)
{
  static const char *const bad[] = {
    "[\"\xc0\x80\"]",         /* overlong NUL */
    "[\"\xc1\xbf\"]",         /* overlong */
    "[\"\xe0\x80\xaf\"]",     /* overlong / */
    "[\"\xed\xa0\x80\"]",     /* encoded high surrogate */
    "[\"\xed\xbf\xbf\"]",     /* encoded low surrogate */
    "[\"\xf4\x90\x80\x80\"]", /* above U+10FFFF */
    "[\"\xf5\x80\x80\x80\"]", /* F5 lead */
    "[\"\xf8\x88\x80\x80\x80\"]",
    "[\"\xe2\x82\"]", /* truncated */
    "[\"\x80\"]",     /* lone continuation */
    "[\"\xff\"]",
    "{\"\xc0\xaf\":1}", /* in a key */
    "[1]\xc3",          /* outside a string */
  };
  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    assert_refused_with (bad[i], "invalid UTF-8");
  {
    cleanup_json struct json_node *ok = parse_ok ("[\"\xf0\x9f\x98\x80 \xc3\xa9 \xe2\x82\xac\"]");
    assert_string_equal (ok->items[0]->text, "\xf0\x9f\x98\x80 \xc3\xa9 \xe2\x82\xac");
  }
  assert_true (json_utf8_valid ("\xf4\x8f\xbf\xbf", 4));
  assert_false (json_utf8_valid ("\xf4\x8f\xbf", 3));
  /* ASCII runs are skipped eight bytes at a time: a bad byte at every offset of a long string,
   * and a good sequence across every word boundary, are still seen.  */
  for (size_t at = 0; at < 24; at++)
    {
      char text[32];

      memset (text, 'a', sizeof (text));
      text[at] = '\xff';
      assert_false (json_utf8_valid (text, sizeof (text)));
      memcpy (text + at, "\xe2\x82\xac", 3);
      assert_true (json_utf8_valid (text, sizeof (text)));
      text[at + 2] = 'a';
      assert_false (json_utf8_valid (text, sizeof (text)));
      assert_true (json_utf8_valid (text, at));
    }
}

static void
test_surrogates (void **state)
{
  static const char *const lone[] = {
    "[\"\\ud800\"]",        "[\"\\ud800x\"]",       "[\"\\udc00\"]",          "[\"\\uDFFF\"]",
    "[\"\\ud800\\u0041\"]", "[\"\\ud800\\ud800\"]", "[\"a\\udbff\"]",         "{\"\\ud800\":1}",
    "[\"\\ud800\\n\"]",     "[\"\\udc00\\ud800\"]", "[\"\\ud83d\\\\ude00\"]", "[\"\\ud800\\u00\"]",
  };
  cleanup_json struct json_node *pair = NULL;

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (lone); i++)
    assert_refused_with (lone[i], "lone UTF-16 surrogate");
  pair = parse_ok ("[\"\\ud83d\\ude00\", \"\\uD83D\\uDE00\", \"\\u00e9\\u20ac\"]");
  assert_string_equal (pair->items[0]->text, "\xf0\x9f\x98\x80");
  assert_string_equal (pair->items[1]->text, "\xf0\x9f\x98\x80");
  assert_string_equal (pair->items[2]->text, "\xc3\xa9\xe2\x82\xac");
}

static void
test_nul (void **state)
{
  static const char raw_key[] = "{\"a\0b\":1}", raw_value[] = "[\"a\0\"]";
  cleanup_free char *m1 = NULL, *m2 = NULL;
  struct json_parse_opts opts = { .source = "config.json" };

  (void)state;
  assert_refused_exactly ("[\"a\\u0000b\"]", "config.json: \\u0000 in a string at line 1 column 4");
  assert_refused_with ("{\"\\u0000\":1}", "\\u0000 in a string");
  /* A raw NUL byte: yajl refuses it as an invalid character.  */
  m1 = refused_opts (raw_key, sizeof (raw_key) - 1, &opts);
  m2 = refused_opts (raw_value, sizeof (raw_value) - 1, &opts);
  assert_non_null (strstr (m1, "config.json: "));
  assert_non_null (strstr (m2, "config.json: "));
}

static void
test_whitespace (void **state)
{
  (void)state;
  assert_refused_exactly ("{\f}", "config.json: form feed or vertical tab outside a string at "
                                  "line 1 column 2");
  assert_refused_with ("[1,\v2]", "form feed or vertical tab");
  assert_refused_with ("[\"\t\"]", "config.json: lexical error");
  json_free (parse_ok (" \t\r\n[ 1 ,\n2 ] \r\n"));
}

static void
test_trailing (void **state)
{
  (void)state;
  assert_refused_with ("{} x", "trailing garbage");
  assert_refused_with ("{}{}", "trailing garbage");
  assert_refused_with ("[1]]", "trailing garbage");
  assert_refused_with ("1 2", "trailing garbage");
  assert_refused_with ("{} // c", "config.json: ");
  assert_refused_with ("", "premature EOF");
  assert_refused_with ("   ", "premature EOF");
  assert_refused_with ("{\"a\":", "premature EOF");
  json_free (parse_ok ("{}  \n"));
}

static void
test_comments (void **state)
{
  static const char text[] = "// policy\n{/* a \"quote\" in a comment */ \"a\": 1 // one\n}";
  struct json_parse_opts allow = { .source = "policy.json", .allow_comments = true };
  cleanup_json struct json_node *root = NULL;
  cleanup_free char *msg = NULL;

  (void)state;
  msg = refused (text);
  assert_non_null (strstr (msg, "comment"));
  root = parse_opts (text, strlen (text), &allow);
  assert_string_equal (json_obj_get (root, "a")->text, "1");
  free (msg);
  msg = refused_opts ("/* \xc0\x80 */ 1", strlen ("/* \xc0\x80 */ 1"), &allow);
  assert_non_null (strstr (msg, "invalid UTF-8 in a comment"));
  free (msg);
  msg = refused_opts ("[1 /* never closed", strlen ("[1 /* never closed"), &allow);
  assert_non_null (strstr (msg, "policy.json: "));
}

static void
test_positions (void **state)
{
  static const char text[] = "{\n  \"a\": [1, \"x\\\"\\\\\", true],\n  \"\xc3\xa9\": null,\n"
                             "  \"b\": {\"c\": -2.5e3}\n}";
  cleanup_json struct json_node *root = parse_ok (text), *scalar = NULL;
  struct json_node *a = json_obj_get (root, "a");

  (void)state;
  assert_int_equal (root->line, 1);
  assert_int_equal (root->column, 1);
  assert_int_equal (a->line, 2);
  assert_int_equal (a->column, 8);
  assert_int_equal (a->items[0]->column, 9);
  assert_int_equal (a->items[1]->column, 12);
  assert_int_equal (a->items[2]->column, 21);
  assert_int_equal (json_obj_get (root, "\xc3\xa9")->line, 3);
  assert_int_equal (json_obj_get (root, "\xc3\xa9")->column, 8);
  assert_int_equal (json_obj_get (json_obj_get (root, "b"), "c")->line, 4);
  assert_int_equal (json_obj_get (json_obj_get (root, "b"), "c")->column, 14);
  /* A number that ends the input is only reported from yajl_complete_parse.  */
  scalar = parse_ok ("\n  -12");
  assert_int_equal (scalar->line, 2);
  assert_int_equal (scalar->column, 3);
  assert_refused_with ("{\n  \"a\": tru\n}", "at line 2 column");
  assert_refused_with ("{\"a\":1,\n\n   \"b\" 2}", "at line 3 column");
}

static void
test_round_trip (void **state)
{
  static const char text[]
      = "{\"z\":[],\"a\":{},\"s\":\"sl/ash \\\"q\\\" \\\\ \\u001f \\t \xe2\x82\xac\",\"n\":[null,"
        "true,false,-0.0e-0],\"o\":{\"y\":1,\"x\":[{}]}}";
  static const char expected[]
      = "{\n  \"z\": [],\n  \"a\": {},\n  \"s\": \"sl/ash \\\"q\\\" \\\\ \\u001F \\t "
        "\xe2\x82\xac\",\n"
        "  \"n\": [\n    null,\n    true,\n    false,\n    -0.0e-0\n  ],\n  \"o\": {\n"
        "    \"y\": 1,\n    \"x\": [\n      {}\n    ]\n  }\n}\n";
  cleanup_json struct json_node *root = parse_ok (text), *again = NULL;
  cleanup_free char *out = serialize_ok (root), *out2 = NULL;
  size_t len = 0;
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  assert_string_equal (out, expected);
  again = parse_ok (out);
  assert_true (json_equal (root, again));
  out2 = json_serialize (again, &len, &err);
  assert_string_equal (out, out2);
  assert_int_equal (len, strlen (out2));
  assert_string_equal (again->keys[0], "z"); /* order kept */
  assert_string_equal (again->keys[4], "o");
}

static void
test_equal_and_mutators (void **state)
{
  cleanup_json struct json_node *a = parse_ok ("{\"x\":1,\"y\":[1,2],\"z\":\"s\"}");
  cleanup_json struct json_node *b = parse_ok ("{\"z\":\"s\",\"y\":[1,2],\"x\":1}");
  cleanup_json struct json_node *c = parse_ok ("{\"z\":\"s\",\"y\":[2,1],\"x\":1}");
  cleanup_json struct json_node *d = parse_ok ("{\"z\":\"s\",\"y\":[1,2],\"x\":1.0}");
  cleanup_json struct json_node *copy = json_clone (a);

  (void)state;
  assert_true (json_equal (a, b));
  assert_false (json_equal (a, c));
  assert_false (json_equal (a, d)); /* numbers compare as text */
  assert_true (json_equal (a, copy));
  /* json_identical: the same members in the same order, numbers by their text.  */
  assert_true (json_identical (a, copy));
  assert_false (json_identical (a, b));
  assert_false (json_identical (b, d));
  assert_false (json_identical (a, c));
  assert_true (json_identical (NULL, NULL));
  assert_false (json_identical (a, NULL));
  json_obj_set (copy, "y", json_new_bool (true)); /* replaced in place */
  {
    /* json_where_text: the frames written out as json_path_key / json_path_index build them.  */
    const struct json_where root = { NULL, NULL, 0 };
    const struct json_where ann = { &root, "annotations", 0 };
    const struct json_where key = { &ann, "io.k8s/x", 0 };
    const struct json_where args = { &root, "args", 0 };
    const struct json_where second = { &args, NULL, 2 };
    cleanup_free char *t1 = json_where_text (&key);
    cleanup_free char *t2 = json_where_text (&second);
    cleanup_free char *t0 = json_where_text (&root);

    assert_string_equal (t1, "$.annotations[\"io.k8s/x\"]");
    assert_string_equal (t2, "$.args[2]");
    assert_string_equal (t0, "$");
  }
  assert_string_equal (copy->keys[1], "y");
  assert_int_equal (copy->items[1]->type, JSON_BOOL);
  json_obj_set (copy, "w", json_new_null ());
  assert_string_equal (copy->keys[3], "w");
  assert_true (json_obj_remove (copy, "x"));
  assert_false (json_obj_remove (copy, "x"));
  assert_string_equal (copy->keys[0], "y");
  assert_int_equal (copy->n, 3);
  assert_true (json_arr_remove (json_obj_get (b, "y"), 0));
  assert_false (json_arr_remove (json_obj_get (b, "y"), 1));
  assert_string_equal (json_arr_get (json_obj_get (b, "y"), 0)->text, "2");
  assert_null (json_arr_get (a, 0));
  assert_null (json_obj_get (json_obj_get (a, "y"), "x"));
  assert_null (json_obj_get (NULL, "x"));
  /* Misuse still takes ownership (no leak under ASan).  */
  json_obj_set (json_obj_get (a, "y"), "k", json_new_string ("leak?"));
  json_arr_append (a, json_new_string ("leak?"));
}

static void
test_serialize_refuses_bad_trees (void **state)
{
  cleanup_json struct json_node *num = json_new_int (1), *deep = json_new_array ();
  cleanup_json struct json_node *bad = json_new_string ("\xc0\x80");
  cleanup_error ocg_error_t err = NULL;
  struct json_node *cur = deep;

  (void)state;
  free (num->text);
  num->text = xstrdup ("1; rm -rf /");
  assert_null (json_serialize (num, NULL, &err));
  assert_non_null (strstr (err->msg, "serialise json"));
  assert_null (json_serialize (bad, NULL, &err));
  for (int i = 0; i < 200; i++)
    {
      struct json_node *next = json_new_array ();
      json_arr_append (cur, next);
      cur = next;
    }
  json_arr_append (cur, json_new_int (0));
  assert_null (json_serialize (deep, NULL, &err));
}

/* json_free is iterative: a tree far deeper than any parse allows is freed without recursion.  */
static void
test_free_deep_tree (void **state)
{
  struct json_node *root = json_new_object (), *cur = root;

  (void)state;
  for (int i = 0; i < 200000; i++)
    {
      struct json_node *next = json_new_object ();
      json_obj_set (cur, "a", next);
      cur = next;
    }
  json_free (root);
}

static void
test_paths (void **state)
{
  cleanup_free char *a = json_path_key ("$", "linux"), *b = json_path_index (a, 3);
  cleanup_free char *c = json_path_key (b, "a.b"), *d = NULL;
  char long_key[200];

  (void)state;
  assert_string_equal (a, "$.linux");
  assert_string_equal (b, "$.linux[3]");
  assert_string_equal (c, "$.linux[3][\"a.b\"]");
  memset (long_key, 'k', sizeof (long_key) - 1);
  long_key[sizeof (long_key) - 1] = '\0';
  d = json_path_key ("$", long_key);
  assert_true (strlen (d) < 80);
  assert_non_null (strstr (d, "...\"]"));
}

/* A JSON Pointer's place in the source: the node's own, or its nearest existing ancestor's.  */
static void
test_pointer_nearest (void **state)
{
  static const char text[] = "{\n  \"a/b\": {\"m~n\": [1,\n    2]},\n  \"c\": true\n}";
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *root = json_parse (text, strlen (text), NULL, &err);
  const struct json_node *n;

  (void)state;
  assert_non_null (root);
  n = json_pointer_nearest (root, "/a~1b/m~0n/1");
  assert_int_equal (n->line, 3);
  assert_int_equal (n->column, 5);
  n = json_pointer_nearest (root, "/c");
  assert_int_equal (n->line, 4);
  assert_int_equal (n->column, 8);
  /* Missing: the nearest ancestor, the array at line 2 column 18.  */
  n = json_pointer_nearest (root, "/a~1b/m~0n/7/x");
  assert_int_equal (n->line, 2);
  assert_int_equal (n->column, 18);
  assert_ptr_equal (json_pointer_nearest (root, "/a~1b/m~0n/01"),
                    json_obj_get (json_obj_get (root, "a/b"), "m~n"));
  assert_ptr_equal (json_pointer_nearest (root, ""), root);
  assert_ptr_equal (json_pointer_nearest (root, "/nope"), root);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_number_fidelity),
    cmocka_unit_test (test_number_conversions),
    cmocka_unit_test (test_duplicate_keys),
    cmocka_unit_test (test_duplicate_keys_large),
    cmocka_unit_test (test_depth_cap),
    cmocka_unit_test (test_depth_objects_and_limit),
    cmocka_unit_test (test_depth_huge),
    cmocka_unit_test (test_size_cap),
    cmocka_unit_test (test_invalid_utf8),
    cmocka_unit_test (test_surrogates),
    cmocka_unit_test (test_nul),
    cmocka_unit_test (test_whitespace),
    cmocka_unit_test (test_trailing),
    cmocka_unit_test (test_comments),
    cmocka_unit_test (test_positions),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_equal_and_mutators),
    cmocka_unit_test (test_serialize_refuses_bad_trees),
    cmocka_unit_test (test_free_deep_tree),
    cmocka_unit_test (test_paths),
    cmocka_unit_test (test_pointer_nearest),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
