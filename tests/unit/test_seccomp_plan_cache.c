/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/seccomp_plan_cache.c: a plan is recalled only under its exact key, in a
 * private run dir; an entry changed by anyone, made writable by others, owned by someone else,
 * replaced by a symlink, cut short or followed by more is not, nor is anything in a directory
 * others may write.  As root only: the cache is root's alone.  */
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
#include "seccomp_plan_cache.h"
#include "util.h"

static char *dir;

static int
setup (void **state)
{
  (void)state;
  dir = xstrdup ("/tmp/ocg-test-seccomp-plan-cache-XXXXXX");
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

/* The one entry in <run dir>/seccomp-plans, as a path (malloc'd), or NULL.  */
static char *
only_entry (void)
{
  cleanup_free char *sub = xasprintf ("%s/seccomp-plans", dir);
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

/* Keys and values hold NULs (seccomp_canon.h): the cache must keep every byte.  */
static const char key[] = "Vkey\0s\0CAP_KILL\0-";
static const char other[] = "Vkey\0s\0CAP_KILX\0-";
static const char value[] = "c0;h0;r0;t0;n0;-\0x";

/* Is `value` what the cache recalls for `k`?  */
static bool
recalls (const char *k, size_t klen)
{
  size_t len = 0;
  cleanup_free char *got = seccomp_plan_cache_recall (k, klen, &len);

  return got != NULL && len == sizeof (value) && memcmp (got, value, len) == 0;
}

static void
test_exact_key (void **state)
{
  (void)state;
  if (geteuid () != 0)
    skip ();
  assert_false (recalls (key, sizeof (key)));
  seccomp_plan_cache_remember (key, sizeof (key), value, sizeof (value));
  assert_true (recalls (key, sizeof (key)));
  assert_false (recalls (other, sizeof (other)));
  assert_false (recalls (key, sizeof (key) - 1));
}

/* Replace the entry's text with what edit() makes of it.  */
static void
rewrite_entry (const char *entry, void (*edit) (char *text, size_t *len))
{
  char text[4096];
  size_t len;
  FILE *f = fopen (entry, "r");

  assert_non_null (f);
  len = fread (text, 1, sizeof (text) - 16, f);
  fclose (f);
  edit (text, &len);
  f = fopen (entry, "w");
  assert_non_null (f);
  assert_int_equal (fwrite (text, 1, len, f), len);
  fclose (f);
}

static void
cut_short (char *text, size_t *len)
{
  (void)text;
  (*len)--;
}

static void
append (char *text, size_t *len)
{
  text[(*len)++] = 'x';
}

/* The key's last byte inside the entry (the entry holds the key whole).  */
static void
change_key (char *text, size_t *len)
{
  char *at = memmem (text, *len, "CAP_KILL", 8);

  assert_non_null (at);
  at[7] = 'X';
}

static void
test_doubtful_entries (void **state)
{
  cleanup_free char *entry = NULL;
  cleanup_free char *saved = NULL;
  cleanup_free char *sub = xasprintf ("%s/seccomp-plans", dir);

  (void)state;
  if (geteuid () != 0)
    skip ();
  seccomp_plan_cache_remember (key, sizeof (key), value, sizeof (value));
  entry = only_entry ();
  assert_non_null (entry);
  assert_true (recalls (key, sizeof (key)));
  /* Writable by others.  */
  assert_int_equal (chmod (entry, 0622), 0);
  assert_false (recalls (key, sizeof (key)));
  assert_int_equal (chmod (entry, 0600), 0);
  /* Owned by someone else.  */
  assert_int_equal (chown (entry, 65534, 65534), 0);
  assert_false (recalls (key, sizeof (key)));
  assert_int_equal (chown (entry, 0, 0), 0);
  assert_true (recalls (key, sizeof (key)));
  /* A symlink to a good entry.  */
  saved = xasprintf ("%s.good", entry);
  assert_int_equal (rename (entry, saved), 0);
  assert_int_equal (symlink (saved, entry), 0);
  assert_false (recalls (key, sizeof (key)));
  assert_int_equal (unlink (entry), 0);
  assert_int_equal (rename (saved, entry), 0);
  assert_true (recalls (key, sizeof (key)));
  /* Cut short, followed by more, or holding another key.  */
  rewrite_entry (entry, cut_short);
  assert_false (recalls (key, sizeof (key)));
  seccomp_plan_cache_remember (key, sizeof (key), value, sizeof (value));
  rewrite_entry (entry, append);
  assert_false (recalls (key, sizeof (key)));
  seccomp_plan_cache_remember (key, sizeof (key), value, sizeof (value));
  rewrite_entry (entry, change_key);
  assert_false (recalls (key, sizeof (key)));
  /* A directory made writable by others is not the record directory.  */
  seccomp_plan_cache_remember (key, sizeof (key), value, sizeof (value));
  assert_true (recalls (key, sizeof (key)));
  assert_int_equal (chmod (sub, 0777), 0);
  assert_false (recalls (key, sizeof (key)));
  assert_int_equal (chmod (sub, 0700), 0);
  assert_true (recalls (key, sizeof (key)));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_exact_key, setup, teardown),
    cmocka_unit_test_setup_teardown (test_doubtful_entries, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
