/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/json/json_print.c: the writer of our own writes the bytes yajl_gen wrote
 * (beautified, indent "  ", json_write.c json_gen_value's tree walk), for every JSON file the
 * tests carry (captured engine configs, rule and policy fixtures, the fuzz seeds, the seccomp
 * profiles), for generated trees with every escape and every depth up to yajl's limit, through
 * json_serialize, json_print and spec_write_at alike; it refuses what yajl_gen refused, with the
 * same messages; and a flush that fails stops it.  */
#include <config.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <yajl/yajl_gen.h>

#include "err.h"
#include "fsutil.h"
#include "json.h"
#include "spec.h"
#include "util.h"

/* What json_serialize wrote before json_print.c: yajl_gen, beautified with a two-space indent,
 * through json_gen_value.  NULL when yajl_gen (or our checks in front of it) refused the tree.  */
static char *
yajl_text (const struct json_node *node, size_t *len)
{
  cleanup_yajl_gen yajl_gen g = json_gen_new (true);
  const unsigned char *buf = NULL;

  yajl_gen_config (g, yajl_gen_validate_utf8, 0);
  if (json_gen_value (g, node) < 0 || yajl_gen_get_buf (g, &buf, len) != yajl_gen_status_ok)
    return NULL;
  return xstrndup ((const char *)buf, *len);
}

/* json_print's output collected from its flushes; `fail_after` flushes succeed, then one fails
 * (SIZE_MAX: none fails).  */
struct sink
{
  char *buf;
  size_t len;
  size_t flushes;
  size_t fail_after;
};

static int
sink_flush (void *ctx, const char *buf, size_t len, ocg_error_t *err)
{
  struct sink *s = ctx;

  if (s->flushes++ >= s->fail_after)
    return ocg_error_set (err, 28, "sink full");
  assert_true (len > 0 && len <= 65536);
  s->buf = xrealloc (s->buf, s->len + len + 1);
  memcpy (s->buf + s->len, buf, len);
  s->len += len;
  s->buf[s->len] = '\0';
  return 0;
}

/* The tree written by yajl_gen, json_serialize and json_print: the same bytes, or all refused.
 * Returns the length written (0 when refused).  */
static size_t
assert_same_bytes (const struct json_node *node)
{
  size_t old_len = 0, new_len = 0;
  cleanup_free char *old = yajl_text (node, &old_len);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *now = json_serialize (node, &new_len, &err);
  struct sink s = { .fail_after = SIZE_MAX };
  int r;

  r = json_print (node, sink_flush, &s, &err);
  if (old == NULL)
    {
      assert_null (now);
      assert_int_equal (r, -1);
      free (s.buf);
      return 0;
    }
  assert_non_null (now);
  assert_int_equal (r, 0);
  assert_int_equal (old_len, new_len);
  assert_memory_equal (old, now, old_len);
  assert_int_equal (s.len, old_len);
  assert_memory_equal (old, s.buf, old_len);
  free (s.buf);
  return old_len;
}

static bool
has_suffix (const char *s, const char *suffix)
{
  size_t n = strlen (s), k = strlen (suffix);
  return n >= k && strcmp (s + n - k, suffix) == 0;
}

/* Every *.json under dir (recursively) that json_parse reads with comments and duplicates
 * allowed: compared.  Returns how many were.  */
static size_t
compare_dir (const char *dir)
{
  const struct json_parse_opts opts = { .source = "t",
                                        .max_depth = JSON_MAX_DEPTH_LIMIT,
                                        .allow_comments = true,
                                        .allow_duplicates = true };
  DIR *d = opendir (dir);
  struct dirent *de;
  size_t n = 0;

  assert_non_null (d);
  while ((de = readdir (d)) != NULL)
    {
      cleanup_free char *path = xasprintf ("%s/%s", dir, de->d_name);
      cleanup_free char *buf = NULL;
      cleanup_json struct json_node *root = NULL;
      struct stat st;
      size_t len = 0;

      if (de->d_name[0] == '.' || stat (path, &st) < 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          n += compare_dir (path);
          continue;
        }
      if (!has_suffix (de->d_name, ".json") && !strstr (dir, "corpus"))
        continue;
      buf = fsutil_read_at (AT_FDCWD, path, SPEC_MAX_BYTES, &len, NULL);
      if (buf != NULL && (root = json_parse (buf, len, &opts, NULL)) != NULL
          && assert_same_bytes (root) > 0)
        n++;
    }
  closedir (d);
  return n;
}

static char *
src_path (const char *sub)
{
  const char *base = getenv ("OCG_FIXTURES");
  return xasprintf ("%s/%s", base ? base : "tests/fixtures", sub);
}

static void
test_every_carried_document (void **state)
{
  cleanup_free char *fixtures = src_path ("");
  cleanup_free char *corpus = src_path ("../fuzz/corpus");
  cleanup_free char *profiles = src_path ("../../seccomp-profiles");

  (void)state;
  /* 36 captured engine configs and process files alone; every fixture directory is walked.  */
  assert_true (compare_dir (fixtures) >= 400);
  assert_true (compare_dir (corpus) >= 20);
  assert_true (compare_dir (profiles) >= 1);
}

/* A small deterministic generator (xorshift64): the same trees on every run.  */
static uint64_t
next_rand (uint64_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* A string of every kind of byte yajl escapes or keeps: controls, quote, backslash, slash, DEL,
 * two- to four-byte UTF-8 sequences.  */
static char *
random_string (uint64_t *s)
{
  static const char *const pieces[] = { "a",
                                        "\"",
                                        "\\",
                                        "/",
                                        "\x7f",
                                        "\x01",
                                        "\x1f",
                                        "\b",
                                        "\f",
                                        "\n",
                                        "\r",
                                        "\t",
                                        "\xc3\xa9",
                                        "\xe2\x82\xac",
                                        "\xf0\x9f\x98\x80",
                                        " ",
                                        "xxxxxxxxxxxxxxxx",
                                        "\x0b" };
  size_t n = next_rand (s) % 40;
  char *out = xstrdup ("");

  for (size_t i = 0; i < n; i++)
    {
      char *next
          = xasprintf ("%s%s", out, pieces[next_rand (s) % (sizeof (pieces) / sizeof (*pieces))]);
      free (out);
      out = next;
    }
  return out;
}

static struct json_node *
random_tree (uint64_t *s, size_t depth)
{
  static const char *const numbers[]
      = { "0", "-1", "1e3", "18446744073709551615", "-0.50", "2E-7" };
  unsigned kind = (unsigned)(next_rand (s) % (depth > 6 ? 5 : 8));
  struct json_node *node;

  if (kind == 0)
    return json_new_null ();
  if (kind == 1)
    return json_new_bool (next_rand (s) & 1);
  if (kind == 2)
    return json_new_number_text (numbers[next_rand (s) % 6]);
  if (kind <= 4)
    {
      cleanup_free char *text = random_string (s);
      return json_new_string (text);
    }
  node = kind % 2 ? json_new_object () : json_new_array ();
  for (size_t i = 0, n = next_rand (s) % 5; i < n; i++)
    {
      cleanup_free char *key = random_string (s);
      char *unique = xasprintf ("%s%zu", key, i);
      if (node->type == JSON_OBJECT)
        json_obj_append (node, unique, random_tree (s, depth + 1));
      else
        {
          free (unique);
          json_arr_append (node, random_tree (s, depth + 1));
        }
    }
  return node;
}

static void
test_generated_trees (void **state)
{
  uint64_t seed = 0x9e3779b97f4a7c15ull;

  (void)state;
  for (int i = 0; i < 2000; i++)
    {
      cleanup_json struct json_node *tree = random_tree (&seed, 0);
      assert_same_bytes (tree);
    }
}

/* Every byte from 0x01 to 0x7f, alone and between others: each escape of yajl_string_encode.  */
static void
test_every_ascii_byte (void **state)
{
  (void)state;
  for (int c = 1; c < 0x80; c++)
    {
      char text[8] = { 'a', (char)c, 'b', (char)c, (char)c, 0 };
      cleanup_json struct json_node *obj = json_new_object ();
      json_obj_set (obj, text, json_new_string (text));
      assert_same_bytes (obj);
    }
}

/* A document larger than the 64 KiB buffer, with escapes and multi-byte characters straddling
 * every flush boundary.  */
static void
test_larger_than_buffer (void **state)
{
  cleanup_json struct json_node *obj = json_new_object ();
  struct sink s = { .fail_after = SIZE_MAX };
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  for (size_t i = 0; i < 300; i++)
    {
      char key[32];
      char *text = xmalloc (1000 + i + 1);
      for (size_t k = 0; k < 1000 + i; k++)
        text[k] = "x\"\n\\\x01yz"[(k + i) % 7];
      text[1000 + i] = '\0';
      snprintf (key, sizeof (key), "k%zu", i);
      json_obj_set (obj, key, json_new_string (text));
      free (text);
    }
  /* Strings too long to be escaped in place (json_print.c out_string): written run by run.  */
  for (size_t i = 0; i < 3; i++)
    {
      size_t n = 70000 + i;
      char *text = xmalloc (n + 1);
      for (size_t k = 0; k < n; k++)
        text[k] = "a\xe2\x82\xac\t\"b\x1e"[k % 8];
      memcpy (text + n - 3, "zzz", 4); /* never ends inside the euro sign */
      json_obj_set (obj, i == 1 ? text : "long", json_new_string (text));
      free (text);
    }
  assert_true (assert_same_bytes (obj) > 4 * 65536);
  assert_int_equal (json_print (obj, sink_flush, &s, &err), 0);
  assert_true (s.flushes > 4);
  free (s.buf);
}

/* yajl_gen refuses to open a 128th container: 127 nested arrays are written, 128 are not, with
 * json_write.c's message.  An empty innermost one is written as a number, so it does not count.  */
static void
test_depth_limit (void **state)
{
  (void)state;
  for (int depth = 125; depth <= 130; depth++)
    {
      cleanup_json struct json_node *root = json_new_array ();
      cleanup_error ocg_error_t err = NULL;
      struct json_node *cur = root;
      cleanup_free char *text = NULL;

      for (int i = 1; i < depth; i++)
        {
          struct json_node *next = json_new_array ();
          json_arr_append (cur, next);
          cur = next;
        }
      json_arr_append (cur, json_new_null ());
      assert_int_equal (assert_same_bytes (root) > 0, depth < 128);
      text = json_serialize (root, NULL, &err);
      if (depth >= 128)
        assert_string_equal (err->msg, "serialise json: nesting deeper than yajl_gen allows");
    }
}

static void
test_refusals (void **state)
{
  cleanup_json struct json_node *bad_str = json_new_array ();
  cleanup_json struct json_node *bad_key = json_new_object ();
  cleanup_json struct json_node *bad_long = json_new_array ();
  cleanup_json struct json_node *bad_num = json_new_int (1);
  cleanup_json struct json_node *missing = json_new_array ();
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  (void)state;
  json_arr_append (bad_str, json_new_string ("ok"));
  json_arr_append (bad_str, json_new_string ("\xed\xa0\x80")); /* an encoded surrogate */
  {
    /* The same in a string too long to be escaped in place.  */
    char *text = xmalloc (20001);
    memset (text, 'y', 20000);
    memcpy (text + 15000, "\xed\xa0\x80", 3);
    text[20000] = '\0';
    json_arr_append (bad_long, json_new_string (text));
    free (text);
  }
  json_obj_set (bad_key, "\xc0\xaf", json_new_null ()); /* an overlong '/' */
  free (bad_num->text);
  bad_num->text = xstrdup ("01");
  json_arr_append (missing, json_new_null ());
  json_free (missing->items[0]);
  missing->items[0] = NULL;
  assert_int_equal (assert_same_bytes (bad_str), 0);
  assert_int_equal (assert_same_bytes (bad_key), 0);
  assert_int_equal (assert_same_bytes (bad_long), 0);
  assert_int_equal (assert_same_bytes (bad_num), 0);
  assert_int_equal (assert_same_bytes (missing), 0);
  assert_null (a = json_serialize (bad_str, NULL, &err));
  assert_string_equal (err->msg, "serialise json: string is not valid UTF-8");
  assert_null (b = json_serialize (bad_key, NULL, &err));
  assert_string_equal (err->msg, "serialise json: string is not valid UTF-8");
  assert_null (c = json_serialize (bad_num, NULL, &err));
  assert_string_equal (err->msg, "serialise json: invalid number or missing value");
  assert_null (d = json_serialize (missing, NULL, &err));
  assert_string_equal (err->msg, "serialise json: invalid number or missing value");
}

/* A flush that fails stops the writing, and its error is the one reported.  */
static void
test_flush_failure (void **state)
{
  cleanup_json struct json_node *obj = json_new_object ();
  cleanup_free char *big = xmalloc (200001);
  cleanup_error ocg_error_t err = NULL;
  struct sink s = { .fail_after = 1 };

  (void)state;
  memset (big, 'x', 200000);
  big[200000] = '\0';
  json_obj_set (obj, "a", json_new_string (big));
  json_obj_set (obj, "b", json_new_string (big));
  assert_int_equal (json_print (obj, sink_flush, &s, &err), -1);
  assert_string_equal (err->msg, "sink full");
  assert_int_equal (s.flushes, 2);
  assert_int_equal (s.len, 65536);
  free (s.buf);
}

/* spec_write_at streams the tree into the file: the file holds yajl_gen's bytes.  */
static void
test_spec_write_at_bytes (void **state)
{
  cleanup_free char *dir = xstrdup ("/tmp/ocg-test-print-XXXXXX");
  cleanup_free char *fixtures = src_path ("real-clients");
  cleanup_close int src = open (fixtures, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int dfd = -1;
  cleanup_error ocg_error_t err = NULL;
  cleanup_spec struct spec *spec = NULL;
  cleanup_free char *expect = NULL, *got = NULL;
  size_t expect_len = 0, got_len = 0;
  char value[600] = "v\"\n\xe2\x82\xac/";

  (void)state;
  memset (value + strlen (value), 'x', sizeof (value) - strlen (value) - 1);
  assert_non_null (mkdtemp (dir));
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  spec = spec_load_at (src, "docker-default.config.json", SPEC_CONFIG, &err);
  assert_non_null (spec);
  for (int i = 0; i < 200; i++)
    {
      char key[40];
      snprintf (key, sizeof (key), "/annotations/t.%d", i);
      assert_int_equal (spec_set (spec, key, json_new_string (value), &err), 0);
    }
  close (openat (dfd, "config.json", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  assert_int_equal (spec_write_at (dfd, "config.json", spec, &err), 0);
  expect = yajl_text (spec->root, &expect_len);
  got = fsutil_read_at (dfd, "config.json", SPEC_MAX_BYTES, &got_len, &err);
  assert_non_null (expect);
  assert_non_null (got);
  assert_true (got_len > 65536);
  assert_int_equal (got_len, expect_len);
  assert_memory_equal (got, expect, got_len);
  unlinkat (dfd, "config.json", 0);
  rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_every_carried_document),
    cmocka_unit_test (test_generated_trees),
    cmocka_unit_test (test_every_ascii_byte),
    cmocka_unit_test (test_larger_than_buffer),
    cmocka_unit_test (test_depth_limit),
    cmocka_unit_test (test_refusals),
    cmocka_unit_test (test_flush_failure),
    cmocka_unit_test (test_spec_write_at_bytes),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
