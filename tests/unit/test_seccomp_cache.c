/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/seccomp_cache.c: a profile that passed is known by its exact bytes in a
 * private run dir; other bytes, an entry changed by anyone, made writable by others, replaced by
 * a symlink or followed by more are not, nor is anything in a directory others may write.  As
 * root only: the cache is root's alone.  */
#include <config.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "record.h"
#include "seccomp_cache.h"
#include "util.h"

static char *dir;

static int
setup (void **state)
{
  (void)state;
  dir = xstrdup ("/tmp/ocg-test-seccomp-cache-XXXXXX");
  if (mkdtemp (dir) == NULL || chmod (dir, 0755) < 0)
    return -1;
  record_run_dir = dir;
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
  nftw (dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free (dir);
  record_run_dir = OCG_RUN_DIR;
  return 0;
}

/* The one entry in <run dir>/seccomp, as a path (malloc'd), or NULL.  */
static char *
only_entry (void)
{
  cleanup_free char *sub = xasprintf ("%s/seccomp", dir);
  char *found = NULL;
  DIR *d = opendir (sub);
  struct dirent *de;

  while (d != NULL && (de = readdir (d)) != NULL)
    if (de->d_name[0] != '.')
      {
        free (found);
        found = xasprintf ("%s/%s", sub, de->d_name);
      }
  if (d != NULL)
    closedir (d);
  return found;
}

static const char profile[] = "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}";
static const char other[] = "{\"defaultAction\":\"SCMP_ACT_ERRNO\" }";

static void
test_known_by_exact_bytes (void **state)
{
  (void)state;
  if (geteuid () != 0)
    skip ();
  assert_false (seccomp_cache_known_good (profile, strlen (profile)));
  seccomp_cache_remember (profile, strlen (profile));
  assert_true (seccomp_cache_known_good (profile, strlen (profile)));
  assert_false (seccomp_cache_known_good (other, strlen (other)));
  assert_false (seccomp_cache_known_good (profile, strlen (profile) - 1));
}

static void
test_doubtful_entries (void **state)
{
  cleanup_free char *entry = NULL;
  cleanup_free char *saved = NULL;
  FILE *f;

  (void)state;
  if (geteuid () != 0)
    skip ();
  seccomp_cache_remember (profile, strlen (profile));
  entry = only_entry ();
  assert_non_null (entry);
  assert_true (seccomp_cache_known_good (profile, strlen (profile)));
  /* Writable by others.  */
  assert_int_equal (chmod (entry, 0622), 0);
  assert_false (seccomp_cache_known_good (profile, strlen (profile)));
  assert_int_equal (chmod (entry, 0600), 0);
  /* Owned by someone else.  */
  assert_int_equal (chown (entry, 65534, 65534), 0);
  assert_false (seccomp_cache_known_good (profile, strlen (profile)));
  assert_int_equal (chown (entry, 0, 0), 0);
  assert_true (seccomp_cache_known_good (profile, strlen (profile)));
  /* A symlink to a good entry.  */
  saved = xasprintf ("%s.good", entry);
  assert_int_equal (rename (entry, saved), 0);
  assert_int_equal (symlink (saved, entry), 0);
  assert_false (seccomp_cache_known_good (profile, strlen (profile)));
  assert_int_equal (unlink (entry), 0);
  /* Anything after the verdict, or the verdict changed.  */
  assert_int_equal (rename (saved, entry), 0);
  f = fopen (entry, "a");
  assert_non_null (f);
  fputs ("more\n", f);
  fclose (f);
  assert_false (seccomp_cache_known_good (profile, strlen (profile)));
  /* A directory made writable by others is not the record directory.  */
  seccomp_cache_remember (profile, strlen (profile));
  assert_true (seccomp_cache_known_good (profile, strlen (profile)));
  {
    cleanup_free char *sub = xasprintf ("%s/seccomp", dir);
    assert_int_equal (chmod (sub, 0777), 0);
    assert_false (seccomp_cache_known_good (profile, strlen (profile)));
    assert_int_equal (chmod (sub, 0700), 0);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_known_by_exact_bytes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_doubtful_entries, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
