/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the shortcuts of the real path facts (policy/hostfacts/hostfacts_walk.c and
 * hostfacts_mounts.c): a policy path walked on from a directory another policy path kept open, or
 * stopped at a component another one found missing, has the canonical form a walk from "/" gives;
 * the last component is never opened, and path_object from one statx(2) says what an O_PATH
 * descriptor, fstat(2) and /proc/self/fdinfo say.  On a scratch tree of directories, files and
 * symlinks (absolute, relative, `..`, dangling, through a file).  */
#include <config.h>

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

#include "hostfacts.h"
#include "util.h"

static char scratch[] = "/tmp/ocg-walk-XXXXXX";

/* name, then the symlink's target, or NULL for a directory, "" for a file.  */
static const char *const tree[][2] = {
  { "a", NULL },
  { "a/b", NULL },
  { "a/b/c", NULL },
  { "a/f", "" },
  { "d", NULL },
  { "d/e", NULL },
  { "l-rel", "a/b" },
  { "l-up", "a/b/../../d" },
  { "a/b/l-dot", "../b/c" },
  { "l-dangling", "nowhere/x" },
  { "l-file", "a/f" },
  { "a/b/c/l-loop", "l-loop" },
};

/* The policy paths, in an order that makes later ones start from what earlier ones kept.  */
static const char *const paths[] = {
  "a/b/c",     "a/b/c/x/y",      "a/b",         "a/b/c/",   "a//b/./c",     "a/b/../b/c",
  "l-rel/c",   "l-rel/c/q",      "l-rel",       "l-up/e",   "l-up/e/z",     "a/b/l-dot/w",
  "a/b/l-dot", "missing/p/q",    "missing/p/r", "missing",  "l-dangling/k", "l-dangling",
  "a/f/under", "a/f/under/more", "l-file",      "l-file/x", "a/b/c/l-loop", "a/b/c/l-loop/x",
  "a/../d/e",  "d/e/../../a",    "a/b/c/..",    "l-rel/..", "l-rel/../f",
};

static int
setup (void **state)
{
  (void)state;
  if (mkdtemp (scratch) == NULL)
    return -1;
  for (size_t i = 0; i < ARRAY_SIZE (tree); i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", scratch, tree[i][0]);
      const char *target = tree[i][1];
      int fd;
      if (target == NULL ? mkdir (p, 0755) < 0
          : target[0] == '\0'
              ? (fd = open (p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) < 0 || close (fd) < 0
              : symlink (target, p) < 0)
        return -1;
    }
  return 0;
}

static int
teardown (void **state)
{
  (void)state;
  for (size_t i = ARRAY_SIZE (tree); i-- > 0;)
    {
      cleanup_free char *p = xasprintf ("%s/%s", scratch, tree[i][0]);
      if (unlink (p) < 0)
        rmdir (p);
    }
  rmdir (scratch);
  return 0;
}

/* Every policy path, in order through the kept directories, twice (the second time through the
 * memo of whole paths), against a walk from "/" of its own.  */
static void
test_policy_walk_same_as_fresh (void **state)
{
  struct host_facts host;

  (void)state;
  hostfacts_init_real (&host);
  for (int round = 0; round < 2; round++)
    for (size_t i = 0; i < ARRAY_SIZE (paths); i++)
      {
        cleanup_free char *p = xasprintf ("%s/%s", scratch, paths[i]);
        cleanup_free char *fresh = host.canonical_path (&host, p);
        cleanup_free char *policy = host.canonical_policy_path (&host, p);
        cleanup_free char *real = realpath (p, NULL);

        print_message ("# %s -> %s\n", p, policy);
        assert_string_equal (policy, fresh);
        if (real != NULL)
          assert_string_equal (policy, real);
      }
  hostfacts_init_real (&host); /* closes the kept directories */
}

/* A few answers spelled out, so that a walk that went wrong the same way twice fails too.  */
static void
test_policy_walk_answers (void **state)
{
  static const char *const want[][2] = {
    { "l-rel/c/q", "a/b/c/q" },
    { "l-up/e/z", "d/e/z" },
    { "missing/p/r", "missing/p/r" },
    { "l-dangling/k", "l-dangling/k" },
    { "a/f/under/more", "a/f/under/more" },
    { "l-file/x", "a/f/x" },
    { "a/b/c/l-loop/x", "a/b/c/l-loop/x" },
    { "l-rel/../f", "a/f" },
  };
  struct host_facts host;

  (void)state;
  hostfacts_init_real (&host);
  for (size_t i = 0; i < ARRAY_SIZE (want); i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", scratch, want[i][0]);
      cleanup_free char *expected = xasprintf ("%s/%s", scratch, want[i][1]);
      cleanup_free char *policy = host.canonical_policy_path (&host, p);
      cleanup_free char *realscratch = realpath (scratch, NULL);
      cleanup_free char *expected_real = xasprintf ("%s/%s", realscratch, want[i][1]);

      print_message ("# %s -> %s\n", p, policy);
      assert_true (str_eq (policy, expected) || str_eq (policy, expected_real));
    }
  hostfacts_init_real (&host);
}

static int
fdinfo_mnt_id (int fd)
{
  cleanup_free char *path = xasprintf ("/proc/self/fdinfo/%d", fd);
  FILE *f = fopen (path, "re");
  char line[128];
  int id = -1;

  while (f != NULL && fgets (line, sizeof (line), f) != NULL)
    if (sscanf (line, "mnt_id: %d", &id) == 1)
      break;
  if (f != NULL)
    fclose (f);
  return id;
}

/* path_object is what an O_PATH open of the same path says, on several filesystems.  */
static void
test_path_object_as_fdinfo (void **state)
{
  const char *const objects[] = { "/", "/proc", "/proc/self", "/dev/null", "/sys", "/etc/passwd" };
  struct host_facts host;

  (void)state;
  hostfacts_init_real (&host);
  for (size_t i = 0; i < ARRAY_SIZE (objects) + 2; i++)
    {
      cleanup_free char *p = i < ARRAY_SIZE (objects)    ? xstrdup (objects[i])
                             : i == ARRAY_SIZE (objects) ? xasprintf ("%s/l-rel", scratch)
                                                         : xasprintf ("%s/a/f", scratch);
      struct host_object obj;
      struct stat st;
      int fd = open (p, O_PATH | O_CLOEXEC);

      assert_true (fd >= 0);
      assert_int_equal (fstat (fd, &st), 0);
      assert_true (host.path_object (&host, p, &obj));
      print_message ("# %s: mnt_id %d\n", p, obj.mnt_id);
      assert_int_equal (obj.mnt_id, fdinfo_mnt_id (fd));
      assert_true (obj.dev == st.st_dev && obj.ino == st.st_ino && obj.mode == st.st_mode
                   && obj.nlink == st.st_nlink);
      close (fd);
    }
  {
    cleanup_free char *dangling = xasprintf ("%s/l-dangling", scratch);
    struct host_object obj;
    assert_false (host.path_object (&host, dangling, &obj));
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_policy_walk_same_as_fresh),
    cmocka_unit_test (test_policy_walk_answers),
    cmocka_unit_test (test_path_object_as_fdinfo),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
