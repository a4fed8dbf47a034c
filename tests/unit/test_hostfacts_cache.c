/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/hostfacts/hostfacts_cache.c: the policy paths' answers kept from one
 * judgement to the next are used only while every directory the walks looked in and every mount
 * over them is as it was.  A symlink swapped on a policy path, a mount over a sensitive entry, a
 * damaged cache text, a walk that could not be sure and a directory changed too recently must
 * each lead to a fresh walk.  The store is a string in memory; the real store (shim/
 * hostfacts_store.c) is the same contract over a root-only file.  */
#define _GNU_SOURCE
#include <config.h>

#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <ftw.h>

#include "hostfacts.h"
#include "util.h"

static char *kept; /* the store's text */
static size_t kept_len;
static unsigned saves; /* how many times it was saved */

static char *
mem_load (size_t *len)
{
  char *copy;

  if (kept == NULL)
    return NULL;
  *len = kept_len;
  copy = xmalloc (kept_len + 1);
  memcpy (copy, kept, kept_len + 1);
  return copy;
}

static void
mem_save (const char *text, size_t len)
{
  free (kept);
  kept = xmalloc (len + 1);
  memcpy (kept, text, len);
  kept[len] = '\0';
  kept_len = len;
  saves++;
}

static const struct hostfacts_store mem_store = { .load = mem_load, .save = mem_save };

static char scratch[] = "/tmp/ocg-hostcache-XXXXXX";
static char *dir; /* its canonical form */

static char *
at (const char *rel)
{
  return xasprintf ("%s/%s", dir, rel);
}

static int
setup (void **state)
{
  cleanup_free char *a = NULL, *b = NULL, *l = NULL;

  (void)state;
  if (mkdtemp (scratch) == NULL)
    return -1;
  dir = realpath (scratch, NULL);
  a = at ("a");
  b = at ("b");
  l = at ("link");
  if (mkdir (a, 0755) < 0 || mkdir (b, 0755) < 0 || symlink ("a", l) < 0)
    return -1;
  hostfacts_policy_store = &mem_store;
  /* Every directory here was made a moment ago: without this nothing would be kept.  */
  hostfacts_cache_settle_seconds = -1;
  return 0;
}

static int
rm_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st, (void)flag, (void)ftw;
  remove (path);
  return 0;
}

static int
teardown (void **state)
{
  (void)state;
  hostfacts_policy_store = NULL;
  free (kept);
  kept = NULL;
  return nftw (scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* One judgement: fresh facts, the policy path canonicalised and its object asked, the answers
 * handed to the store.  Returns the canonical form; *walked: whether it was walked afresh.  */
static char *
judge (const char *path, struct host_object *obj, bool *walked)
{
  struct host_facts host;
  unsigned long before;
  char *canon;

  hostfacts_init_real (&host);
  before = hostfacts_policy_walks;
  canon = host.canonical_policy_path (&host, path);
  assert_non_null (canon);
  memset (obj, 0, sizeof (*obj));
  host.policy_path_object (&host, canon, obj);
  *walked = hostfacts_policy_walks != before;
  hostfacts_policy_cache_save (&host);
  return canon;
}

/* Kept answers are used when nothing changed.  Other programs create files in /tmp (a directory
 * the walk looks in) at any time, which rightly drops the cache: a few tries.  */
static bool
served_from_cache (const char *path)
{
  for (int i = 0; i < 10; i++)
    {
      struct host_object o;
      bool walked;
      cleanup_free char *c = judge (path, &o, &walked);

      (void)c;
      if (!walked)
        return true;
    }
  return false;
}

static void
test_symlink_swapped (void **state)
{
  cleanup_free char *link = at ("link/x");
  cleanup_free char *want_a = at ("a/x");
  cleanup_free char *want_b = at ("b/x");
  cleanup_free char *l = at ("link");
  cleanup_free char *first = NULL, *after = NULL;
  struct host_object o;
  bool walked;

  (void)state;
  first = judge (link, &o, &walked);
  assert_string_equal (first, want_a);
  assert_true (walked);
  assert_non_null (kept);
  assert_true (served_from_cache (link));
  /* The link now leads to b: the directory it is in has a new ctime.  */
  assert_int_equal (unlink (l), 0);
  assert_int_equal (symlink ("b", l), 0);
  after = judge (link, &o, &walked);
  assert_true (walked);
  assert_string_equal (after, want_b);
}

/* A cache that is not exactly what was written is not used.  */
static void
test_damaged_text (void **state)
{
  cleanup_free char *path = at ("a");
  cleanup_free char *c = NULL;
  struct host_object o;
  bool walked;
  char *p;

  (void)state;
  c = judge (path, &o, &walked);
  assert_true (served_from_cache (path));
  p = memmem (kept, kept_len, "\nend\n", 5);
  assert_non_null (p);
  p[1] = 'E';
  free (judge (path, &o, &walked));
  assert_true (walked);
  /* And one cut short.  */
  assert_true (served_from_cache (path));
  kept_len /= 2;
  kept[kept_len] = '\0';
  free (judge (path, &o, &walked));
  assert_true (walked);
}

/* Answers from a directory that changed in the last seconds are not kept.  */
static void
test_recent_change_not_kept (void **state)
{
  cleanup_free char *path = at ("b/new");
  cleanup_free char *c = NULL;
  struct host_object o;
  unsigned before = saves;
  bool walked;

  (void)state;
  hostfacts_cache_settle_seconds = 3600;
  c = judge (path, &o, &walked);
  hostfacts_cache_settle_seconds = -1;
  assert_true (walked);
  assert_int_equal (saves, before);
}

/* A call that names other paths keeps the answers of the last one beside its own: calls of two
 * profiles taking turns do not walk every time.  */
static void
test_other_paths_kept (void **state)
{
  cleanup_free char *a = at ("a/one");
  cleanup_free char *b = at ("b/two");
  struct host_object o;
  bool walked;

  (void)state;
  free (judge (a, &o, &walked));
  assert_true (served_from_cache (a));
  free (judge (b, &o, &walked));
  assert_true (walked);
  assert_true (served_from_cache (b));
  assert_true (served_from_cache (a));
}

/* A mount over a sensitive entry changes no ctime: the mount table says it.  */
static void
test_mount_over_entry (void **state)
{
  cleanup_free char *path = at ("a");
  cleanup_free char *c1 = NULL, *c2 = NULL;
  struct host_object o1, o2;
  bool walked;

  (void)state;
  if (geteuid () != 0 || unshare (CLONE_NEWNS) < 0
      || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    {
      skip (); /* needs root: a private mount namespace */
      return;
    }
  c1 = judge (path, &o1, &walked);
  assert_true (served_from_cache (path));
  assert_int_equal (mount ("ocg-hostcache", path, "tmpfs", 0, NULL), 0);
  c2 = judge (path, &o2, &walked);
  assert_int_equal (umount (path), 0);
  assert_true (walked);
  assert_string_equal (c1, c2);
  assert_true (o1.mnt_id != o2.mnt_id);
  assert_true (o1.ino != o2.ino || o1.dev != o2.dev);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_symlink_swapped),        cmocka_unit_test (test_damaged_text),
    cmocka_unit_test (test_recent_change_not_kept), cmocka_unit_test (test_other_paths_kept),
    cmocka_unit_test (test_mount_over_entry),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
