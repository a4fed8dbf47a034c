/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/spec/spec.c: every config captured from a real engine loads and writes back
 * unchanged (same tree, same key order, unknown keys kept); pointer accessors never crash on
 * missing or mistyped paths; each mutator records exactly the RFC 6902 operation it should; and
 * config.json is only read when it is a regular file within the size cap.  */
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

#include "err.h"
#include "fsutil.h"
#include "json.h"
#include "spec.h"
#include "util.h"

static char *
fixture_dir (const char *sub)
{
  const char *base = getenv ("OCG_FIXTURES");
  return xasprintf ("%s/%s", base ? base : "tests/fixtures", sub);
}

static void
remove_tmpdir (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *de;

  if (d == NULL)
    return;
  while ((de = readdir (d)) != NULL)
    if (!str_eq (de->d_name, ".") && !str_eq (de->d_name, ".."))
      if (unlinkat (dirfd (d), de->d_name, 0) < 0)
        unlinkat (dirfd (d), de->d_name, AT_REMOVEDIR);
  closedir (d);
  rmdir (dir);
}

/* A scratch directory per test, made by setup and removed by teardown: cmocka leaves a failing
 * test by longjmp, which would skip any cleanup inside the test.  */
static int
tmpdir_setup (void **state)
{
  char *dir = xstrdup ("/tmp/ocg-test-spec-XXXXXX");

  if (mkdtemp (dir) == NULL)
    {
      free (dir);
      return -1;
    }
  *state = dir;
  return 0;
}

static int
tmpdir_teardown (void **state)
{
  remove_tmpdir (*state);
  free (*state);
  return 0;
}

static void
write_file (int dirfd, const char *name, const char *buf, size_t len)
{
  cleanup_close int fd = openat (dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  assert_true (fd >= 0);
  assert_int_equal (write (fd, buf, len), (ssize_t)len);
}

/* Same keys in the same order at every level.  */
static void
assert_same_order (const struct json_node *a, const struct json_node *b)
{
  assert_int_equal (a->type, b->type);
  assert_int_equal (a->n, b->n);
  for (size_t i = 0; i < a->n; i++)
    {
      if (a->type == JSON_OBJECT)
        assert_string_equal (a->keys[i], b->keys[i]);
      assert_same_order (a->items[i], b->items[i]);
    }
}

static struct spec *
load_ok_at (int dirfd, const char *name, enum spec_kind kind)
{
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec = spec_load_at (dirfd, name, kind, &err);

  if (spec == NULL)
    fail_msg ("%s: %s", name, err ? err->msg : "?");
  return spec;
}

static struct spec *
load_text (const char *text)
{
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec = spec_load_buffer (text, strlen (text), "config.json", SPEC_CONFIG, &err);

  if (spec == NULL)
    fail_msg ("refused: %s", err ? err->msg : "?");
  return spec;
}

/* Load, write back with spec_write_at, and check the result is the same document.  */
static void
round_trip_one (int dirfd, const char *name, const char *tmpdir)
{
  enum spec_kind kind = strstr (name, ".process.json") ? SPEC_PROCESS : SPEC_CONFIG;
  cleanup_spec struct spec *spec = load_ok_at (dirfd, name, kind);
  cleanup_spec struct spec *back = NULL;
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int tmpfd = open (tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_free char *orig = NULL;
  cleanup_json struct json_node *orig_tree = NULL;
  size_t len = 0;

  orig = fsutil_read_at (dirfd, name, SPEC_MAX_BYTES, &len, &err);
  assert_non_null (orig);
  orig_tree = json_parse (orig, len, NULL, &err);
  assert_non_null (orig_tree);
  /* spec_write_at replaces an existing file: start from the original bytes.  */
  write_file (tmpfd, "config.json", orig, len);
  assert_false (spec_changed (spec));
  assert_int_equal (spec_write_at (tmpfd, "config.json", spec, &err), 0);
  back = load_ok_at (tmpfd, "config.json", kind);
  assert_true (json_equal (orig_tree, back->root));
  assert_true (json_equal (spec->root, back->root));
  assert_same_order (orig_tree, back->root);
}

static size_t
round_trip_dir (const char *sub, const char *tmpdir)
{
  cleanup_free char *dir = fixture_dir (sub);
  cleanup_close int dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = opendir (dir);
  struct dirent *de;
  size_t n = 0;

  assert_non_null (d);
  while ((de = readdir (d)) != NULL)
    {
      size_t len = strlen (de->d_name);
      if (len < 5 || strcmp (de->d_name + len - 5, ".json") != 0)
        continue;
      round_trip_one (dirfd, de->d_name, tmpdir);
      n++;
    }
  closedir (d);
  return n;
}

static void
test_round_trip_real_configs (void **state)
{
  /* 26 captured from engines, 10 production configs: a missing file is a test failure.  */
  assert_int_equal (round_trip_dir ("real-clients", *state), 26);
  assert_int_equal (round_trip_dir ("real-clients/production", *state), 10);
}

/* Keys ocigate does not know are kept, in order, with their numbers' text.  */
static void
test_unknown_keys_kept (void **state)
{
  static const char text[]
      = "{\"zzUnknown\":{\"b\":18446744073709551615,\"a\":[1e3,-0.50]},\"ociVersion\":\"1.0.2\","
        "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/"
        "\",\"xFuture\":true},\"root\":{\"path\":\"rootfs\"}}";
  cleanup_spec struct spec *spec = load_text (text);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *out = json_serialize (spec->root, NULL, &err);

  (void)state;
  assert_non_null (out);
  assert_non_null (strstr (out, "18446744073709551615"));
  assert_non_null (strstr (out, "1e3"));
  assert_non_null (strstr (out, "-0.50"));
  assert_string_equal (spec->root->keys[0], "zzUnknown");
  assert_string_equal (spec_get_object (spec, "/process")->keys[2], "xFuture");
}

static void
test_accessors (void **state)
{
  cleanup_free char *dir = fixture_dir ("real-clients");
  cleanup_close int dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_spec struct spec *spec = load_ok_at (dirfd, "docker-default.config.json", SPEC_CONFIG);
  const char *s = "unchanged";
  bool b = true;
  int64_t i = 7;
  uint64_t u = 7;
  size_t count = 9;
  const char **v;

  (void)state;
  assert_ptr_equal (spec_get (spec, ""), spec->root);
  assert_true (spec_get_string (spec, "/process/cwd", &s));
  assert_string_equal (s, "/");
  assert_true (spec_get_string (spec, "/process/args/0", &s));
  assert_string_equal (s, "sh");
  assert_true (spec_get_i64 (spec, "/process/user/uid", &i));
  assert_int_equal (i, 0);
  assert_true (spec_get_u64 (spec, "/process/user/gid", &u));
  assert_int_equal (u, 0);
  assert_non_null (spec_get_object (spec, "/linux/resources"));
  assert_non_null (spec_get_array (spec, "/mounts"));
  v = spec_get_strv (spec, "/process/args", &count);
  assert_int_equal (count, 3);
  assert_string_equal (v[1], "-c");
  assert_null (v[3]);
  free (v);

  /* Missing, malformed or mistyped: absent, never a crash.  */
  static const char *const absent[] = {
    "/nope",
    "/process/args/3",
    "/process/args/-",
    "/process/args/01",
    "/process/args/x",
    "process",
    "/process/~2",
    "/process/cwd/x",
    "/process/",
    "//",
    "/linux/resources/memory/limit/0",
    "/process/args/18446744073709551616",
  };
  for (size_t k = 0; k < ARRAY_SIZE (absent); k++)
    if (spec_get (spec, absent[k]) != NULL)
      fail_msg ("`%s` found", absent[k]);
  assert_null (spec_get (spec, NULL));
  assert_false (spec_get_string (spec, "/process", &s));
  assert_false (spec_get_string (spec, "/nope", &s));
  assert_string_equal (s, "sh"); /* untouched on failure */
  assert_false (spec_get_bool (spec, "/process/cwd", &b));
  assert_false (spec_get_bool (spec, "/nope", &b));
  assert_false (spec_get_i64 (spec, "/process/cwd", &i));
  assert_false (spec_get_u64 (spec, "/process", &u));
  assert_null (spec_get_object (spec, "/process/args"));
  assert_null (spec_get_array (spec, "/process"));
  assert_null (spec_get_strv (spec, "/process", &count));
  assert_null (spec_get_strv (spec, "/nope", &count));
  assert_null (spec_get (NULL, "/process"));
}

static void
test_pointer_escapes (void **state)
{
  cleanup_spec struct spec *spec = load_text ("{\"annotations\":{\"a/b~c\":\"1\",\"\":\"empty\"}}");
  cleanup_free char *j = spec_ptr_join ("/annotations", "a/b~c");
  cleanup_free char *k = spec_ptr_index ("/process/args", 12), *e = spec_ptr_join ("", "");
  const char *s = NULL;

  (void)state;
  assert_string_equal (j, "/annotations/a~1b~0c");
  assert_string_equal (k, "/process/args/12");
  assert_string_equal (e, "/");
  assert_true (spec_get_string (spec, j, &s));
  assert_string_equal (s, "1");
  assert_true (spec_get_string (spec, "/annotations/", &s));
  assert_string_equal (s, "empty");
  assert_null (spec_get (spec, "/annotations/a~1b~2c"));
  assert_null (spec_get (spec, "/annotations/a~"));
  /* Malformed after a member that is missing: still malformed, as ptr_split answers.  */
  assert_null (spec_get (spec, "/nothing/a~"));
}

/* A token longer than spec_get's buffer on the stack is decoded and found all the same.  */
static void
test_pointer_long_token (void **state)
{
  char key[301], text[400], ptr[420];
  cleanup_spec struct spec *spec = NULL;
  const char *s = NULL;

  (void)state;
  memset (key, 'k', sizeof (key) - 1);
  key[sizeof (key) - 1] = '\0';
  key[200] = '/';
  snprintf (text, sizeof (text), "{\"annotations\":{\"%s\":\"long\"}}", key);
  spec = load_text (text);
  key[200] = '\0';
  snprintf (ptr, sizeof (ptr), "/annotations/%s~1%s", key, key + 201);
  assert_true (spec_get_string (spec, ptr, &s));
  assert_string_equal (s, "long");
  ptr[strlen (ptr) - 1] = 'x';
  assert_null (spec_get (spec, ptr));
}

static struct json_node *
patch_of (const struct spec *spec)
{
  cleanup_free char *text = spec_patch_json (spec);
  cleanup_error ocg_error_t err = NULL;
  struct json_node *patch;

  assert_non_null (text);
  patch = json_parse (text, strlen (text), NULL, &err);
  assert_non_null (patch);
  return patch;
}

static void
assert_patch (const struct spec *spec, const char *expected)
{
  cleanup_json struct json_node *got = patch_of (spec);
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *want = json_parse (expected, strlen (expected), NULL, &err);
  cleanup_free char *got_text = json_serialize (got, NULL, &err);

  assert_non_null (want);
  if (!json_equal (got, want))
    fail_msg ("patch is %s", got_text);
}

static void
test_set (void **state)
{
  cleanup_spec struct spec *spec
      = load_text ("{\"hostname\":\"h\",\"process\":{\"cwd\":\"/\",\"args\":[\"sh\",\"-c\"]}}");
  cleanup_error ocg_error_t err = NULL;
  bool b = false;

  (void)state;
  /* Equal value: nothing recorded.  */
  assert_int_equal (spec_set (spec, "/hostname", json_new_string ("h"), &err), 0);
  assert_int_equal (
      spec_set (spec, "/process/args", json_clone (spec_get (spec, "/process/args")), &err), 0);
  assert_false (spec_changed (spec));
  /* replace, add, add with missing parents (one op for the outermost missing member).  */
  assert_int_equal (spec_set (spec, "/hostname", json_new_string ("x"), &err), 0);
  assert_int_equal (spec_set (spec, "/process/noNewPrivileges", json_new_bool (true), &err), 0);
  assert_int_equal (spec_set (spec, "/linux/resources/pids/limit", json_new_int (100), &err), 0);
  assert_int_equal (spec_set (spec, "/process/args/1", json_new_string ("-x"), &err), 0);
  assert_int_equal (spec_set (spec, "/process/args/-", json_new_string ("y"), &err), 0);
  assert_int_equal (spec_set (spec, "/process/args/3", json_new_string ("z"), &err), 0);
  assert_true (spec_changed (spec));
  assert_true (spec_get_bool (spec, "/process/noNewPrivileges", &b) && b);
  assert_string_equal (spec_get_object (spec, "/linux/resources/pids")->keys[0], "limit");
  assert_patch (spec, "[{\"op\":\"replace\",\"path\":\"/hostname\",\"value\":\"x\"},"
                      "{\"op\":\"add\",\"path\":\"/process/noNewPrivileges\",\"value\":true},"
                      "{\"op\":\"add\",\"path\":\"/linux\","
                      "\"value\":{\"resources\":{\"pids\":{\"limit\":100}}}},"
                      "{\"op\":\"replace\",\"path\":\"/process/args/1\",\"value\":\"-x\"},"
                      "{\"op\":\"add\",\"path\":\"/process/args/2\",\"value\":\"y\"},"
                      "{\"op\":\"add\",\"path\":\"/process/args/3\",\"value\":\"z\"}]");
  /* The ops describe the change: the values are copies, not the tree's nodes.  */
  assert_ptr_not_equal (spec->ops[0].value, spec_get (spec, "/hostname"));
}

static void
test_set_errors (void **state)
{
  cleanup_spec struct spec *spec
      = load_text ("{\"hostname\":\"h\",\"process\":{\"args\":[\"sh\"]}}");
  static const char *const bad[] = {
    "",
    "hostname",
    "/hostname/x",
    "/process/args/5",
    "/process/args/2",
    "/process/args/x/y",
    "/process/args/01",
    "/a~2",
  };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      cleanup_error ocg_error_t err = NULL;
      if (spec_set (spec, bad[i], json_new_string ("v"), &err) == 0)
        fail_msg ("set `%s` succeeded", bad[i]);
      assert_non_null (err);
    }
  {
    cleanup_error ocg_error_t err = NULL;
    cleanup_free char *deep = xstrdup ("");
    for (int i = 0; i < 70; i++)
      {
        char *next = spec_ptr_join (deep, "d");
        free (deep);
        deep = next;
      }
    assert_int_equal (spec_set (spec, deep, json_new_null (), &err), -1);
    assert_int_equal (spec_set (spec, "/x", NULL, &err), -1);
  }
  assert_false (spec_changed (spec));
}

static void
test_append_and_remove (void **state)
{
  cleanup_spec struct spec *spec
      = load_text ("{\"hostname\":\"h\",\"process\":{\"args\":[\"sh\"]},\"mounts\":[{},{}]}");
  cleanup_error ocg_error_t err = NULL;
  size_t n = 0;
  const char **v = NULL;

  (void)state;
  assert_int_equal (spec_append (spec, "/process/args", json_new_string ("-c"), &err), 0);
  assert_int_equal (spec_append (spec, "/process/env", json_new_string ("A=1"), &err), 0);
  assert_int_equal (spec_append (spec, "/linux/x/y", json_new_int (-1), &err), 0);
  assert_int_equal (spec_append (spec, "/hostname", json_new_string ("no"), &err), -1);
  assert_int_equal (spec_append (spec, "/hostname/x", json_new_string ("no"), &err), -1);
  assert_int_equal (spec_append (spec, "bad", json_new_string ("no"), &err), -1);
  assert_true (spec_remove (spec, "/hostname"));
  assert_false (spec_remove (spec, "/hostname"));
  assert_true (spec_remove (spec, "/mounts/1"));
  assert_false (spec_remove (spec, "/mounts/1"));
  assert_false (spec_remove (spec, "/mounts/-"));
  assert_false (spec_remove (spec, ""));
  assert_false (spec_remove (spec, "/process/args/0/x"));
  v = spec_get_strv (spec, "/process/args", &n);
  assert_int_equal (n, 2);
  free (v);
  assert_patch (spec, "[{\"op\":\"add\",\"path\":\"/process/args/1\",\"value\":\"-c\"},"
                      "{\"op\":\"add\",\"path\":\"/process/env\",\"value\":[\"A=1\"]},"
                      "{\"op\":\"add\",\"path\":\"/linux\",\"value\":{\"x\":{\"y\":[-1]}}},"
                      "{\"op\":\"remove\",\"path\":\"/hostname\"},"
                      "{\"op\":\"remove\",\"path\":\"/mounts/1\"}]");
}

/* spec_get_strv skips what is not a string.  */
static void
test_strv_mixed (void **state)
{
  cleanup_spec struct spec *spec = load_text ("{\"annotations\":{}}");
  cleanup_error ocg_error_t err = NULL;
  size_t n = 9;
  const char **v;

  (void)state;
  assert_int_equal (spec_set (spec, "/x", json_new_array (), &err), 0);
  v = spec_get_strv (spec, "/x", &n);
  assert_int_equal (n, 0);
  assert_null (v[0]);
  free (v);
  assert_int_equal (spec_append (spec, "/x", json_new_string ("a"), &err), 0);
  assert_int_equal (spec_append (spec, "/x", json_new_int (1), &err), 0);
  assert_int_equal (spec_append (spec, "/x", json_new_string ("b"), &err), 0);
  v = spec_get_strv (spec, "/x", &n);
  assert_int_equal (n, 2);
  assert_string_equal (v[1], "b");
  free (v);
}

static char *
load_error_at (int dirfd, const char *name)
{
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec = spec_load_at (dirfd, name, SPEC_CONFIG, &err);

  if (spec != NULL)
    {
      spec_free (spec);
      fail_msg ("`%s` was loaded", name);
    }
  assert_non_null (err);
  return ocg_error_text (err);
}

static void
test_refused_files (void **state)
{
  cleanup_free char *msg = NULL;
  cleanup_close int dirfd = open (*state, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  (void)state;
  write_file (dirfd, "real.json", "{}", 2);
  assert_int_equal (symlinkat ("real.json", dirfd, "config.json"), 0);
  msg = load_error_at (dirfd, "config.json");
  assert_string_equal (msg, "`config.json` is a symbolic link");
  unlinkat (dirfd, "config.json", 0);
  /* A FIFO must be refused without blocking (no writer ever comes).  */
  assert_int_equal (mkfifoat (dirfd, "config.json", 0644), 0);
  alarm (10);
  free (msg);
  msg = load_error_at (dirfd, "config.json");
  alarm (0);
  assert_string_equal (msg, "`config.json` is not a regular file");
  unlinkat (dirfd, "config.json", 0);
  assert_int_equal (mkdirat (dirfd, "config.json", 0755), 0);
  free (msg);
  msg = load_error_at (dirfd, "config.json");
  assert_string_equal (msg, "`config.json` is not a regular file");
  unlinkat (dirfd, "config.json", AT_REMOVEDIR);
  free (msg);
  msg = load_error_at (dirfd, "missing.json");
  assert_non_null (strstr (msg, "open `missing.json`: No such file"));
  free (msg);
  msg = load_error_at (AT_FDCWD, "/dev/null");
  assert_string_equal (msg, "`/dev/null` is not a regular file");
}

static void
test_size_cap (void **state)
{
  cleanup_free char *msg = NULL;
  cleanup_close int dirfd = open (*state, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_free char *buf = xmalloc (SPEC_MAX_BYTES + 1);
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  memset (buf, ' ', SPEC_MAX_BYTES + 1);
  buf[0] = '{';
  buf[SPEC_MAX_BYTES - 1] = '}';
  write_file (dirfd, "config.json", buf, SPEC_MAX_BYTES);
  spec_free (load_ok_at (dirfd, "config.json", SPEC_CONFIG));
  write_file (dirfd, "config.json", buf, SPEC_MAX_BYTES + 1);
  msg = load_error_at (dirfd, "config.json");
  assert_string_equal (msg, "`config.json` is larger than 4194304 bytes");
  assert_null (spec_load_buffer (buf, SPEC_MAX_BYTES + 1, "resources", SPEC_RESOURCES, &err));
  assert_string_equal (err->msg, "resources: larger than 4194304 bytes");
}

static void
test_root_must_be_object (void **state)
{
  static const char *const docs[] = { "null", "[]", "1", "\"s\"", "true" };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (docs); i++)
    {
      cleanup_error ocg_error_t err = NULL;
      assert_null (spec_load_buffer (docs[i], strlen (docs[i]), "config.json", SPEC_CONFIG, &err));
      assert_string_equal (err->msg, "config.json: the document is not a JSON object");
    }
  {
    cleanup_error ocg_error_t err = NULL;
    assert_null (spec_load_buffer ("{\"a\":1,\"a\":1}", 13, "config.json", SPEC_CONFIG, &err));
    assert_string_equal (err->msg, "config.json: duplicate key \"a\" at $.a");
    assert_null (spec_load_buffer ("{/**/}", 6, "config.json", SPEC_CONFIG, &err));
  }
}

/* What is written is the judged tree, including its changes, with the original's mode.  */
static void
test_write_changed (void **state)
{
  cleanup_close int dirfd = open (*state, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_spec struct spec *spec = NULL, *back = NULL;
  cleanup_error ocg_error_t err = NULL;
  struct stat st;
  bool b = false;

  (void)state;
  write_file (dirfd, "config.json", "{\"process\":{\"args\":[\"sh\"]}}", 27);
  assert_int_equal (fchmodat (dirfd, "config.json", 0640, 0), 0);
  spec = load_ok_at (dirfd, "config.json", SPEC_CONFIG);
  assert_int_equal (spec_set (spec, "/process/noNewPrivileges", json_new_bool (true), &err), 0);
  assert_int_equal (spec_write_at (dirfd, "config.json", spec, &err), 0);
  back = load_ok_at (dirfd, "config.json", SPEC_CONFIG);
  assert_true (spec_get_bool (back, "/process/noNewPrivileges", &b) && b);
  assert_true (json_equal (spec->root, back->root));
  assert_int_equal (fstatat (dirfd, "config.json", &st, 0), 0);
  assert_int_equal (st.st_mode & 07777, 0640);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_round_trip_real_configs, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (test_unknown_keys_kept),
    cmocka_unit_test (test_accessors),
    cmocka_unit_test (test_pointer_escapes),
    cmocka_unit_test (test_pointer_long_token),
    cmocka_unit_test (test_set),
    cmocka_unit_test (test_set_errors),
    cmocka_unit_test (test_append_and_remove),
    cmocka_unit_test (test_strv_mixed),
    cmocka_unit_test_setup_teardown (test_refused_files, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_size_cap, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (test_root_must_be_object),
    cmocka_unit_test_setup_teardown (test_write_changed, tmpdir_setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
