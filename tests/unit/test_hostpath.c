/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for hostpath_exposed_sensitive (policy/rules/hostpath.c): an entry compared as a
 * string (canonical, clean, no pattern) gives the answer the component-wise pattern match gives,
 * for paths at, below, around and beside it -- prefixes that stop inside a component, "/", and
 * entries that are patterns or not clean, which keep the pattern match.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hostpath.h"
#include "pathmatch.h"
#include "util.h"

static const char *const entries[]
    = { "/etc",       "/var/lib/docker", "/run/containerd/containerd.sock",
        "/",          "/usr/li*",        "/home/{x}/a",
        "/srv//data", "/opt/./app",      NULL };

static const char *const paths[] = { "/",
                                     "/etc",
                                     "/etc/shadow",
                                     "/etcetera",
                                     "/et",
                                     "/var",
                                     "/var/lib",
                                     "/var/lib/docker",
                                     "/var/lib/docker/containers/x",
                                     "/var/lib/dockerd",
                                     "/var/lib/dock",
                                     "/run",
                                     "/run/containerd",
                                     "/run/containerd/containerd.sock",
                                     "/run/containerd/containerd.sock.ttrpc",
                                     "/usr",
                                     "/usr/lib",
                                     "/usr/lib64/x",
                                     "/home/x/a",
                                     "/srv/data",
                                     "/srv",
                                     "/opt/app/bin",
                                     "/opt",
                                     "/tmp/x",
                                     "/var//lib/docker",
                                     "/etc/../etc" };

/* Last names added to the paths above, to ask about paths of their directories.  */
static const char *const child_names[]
    = { "x", "docker", "lib", "containerd.sock", "a", "data", "etc", "app", "li" };

/* The list as hostpath_list_init makes it on a host where every entry is its own canonical
 * form, with or without the string comparison.  */
static void
list_make (struct hostpath_list *l, bool strings)
{
  memset (l, 0, sizeof (*l));
  l->raw = entries;
  l->n = strv_length (entries);
  l->canon = xzalloc ((l->n + 1) * sizeof (char *));
  l->plain = strings ? xzalloc ((l->n + 1) * sizeof (bool)) : NULL;
  l->prefix = NULL;
  l->len = strings ? xzalloc ((l->n + 1) * sizeof (size_t)) : NULL;
  /* With the strings, the entries sorted out by directory too (hostpath_list_init makes both).  */
  if (strings)
    hostpath_list_index_dirs (l);
  for (size_t i = 0; i < l->n; i++)
    {
      l->canon[i] = xstrdup (entries[i]);
      if (strings)
        {
          l->plain[i] = pathmatch_is_clean (entries[i]) && strpbrk (entries[i], "*?[\\{") == NULL;
          l->len[i] = strlen (entries[i]);
        }
    }
}

static void
test_strings_same_as_patterns (void **state)
{
  struct hostpath_list fast, slow;
  size_t hits = 0;

  (void)state;
  list_make (&fast, true);
  list_make (&slow, false);
  assert_true (fast.plain[0] && fast.plain[1] && !fast.plain[4] && !fast.plain[5] && !fast.plain[6]
               && !fast.plain[7]);
  for (size_t i = 0; i < ARRAY_SIZE (paths); i++)
    {
      cleanup_free char *a = hostpath_exposed_sensitive (&fast, paths[i]);
      cleanup_free char *b = hostpath_exposed_sensitive (&slow, paths[i]);

      print_message ("# %s: %s\n", paths[i], a ? a : "-");
      if (a == NULL || b == NULL)
        assert_ptr_equal (a, b);
      else
        assert_string_equal (a, b);
      hits += a != NULL;
    }
  /* Not a vacuous comparison: most of them expose something, some do not.  */
  assert_true (hits > 10 && hits < ARRAY_SIZE (paths));
  /* Paths of one directory after another (the entries are sorted out once per directory), and
   * back.  */
  for (size_t round = 0; round < 2; round++)
    for (size_t i = 0; i < ARRAY_SIZE (paths); i++)
      for (size_t m = 0; m < ARRAY_SIZE (child_names); m++)
        {
          cleanup_free char *path
              = xasprintf ("%s/%s", strcmp (paths[i], "/") == 0 ? "" : paths[i], child_names[m]);
          cleanup_free char *a = hostpath_exposed_sensitive (&fast, path);
          cleanup_free char *b = hostpath_exposed_sensitive (&slow, path);

          if (a == NULL || b == NULL)
            assert_ptr_equal (a, b);
          else
            assert_string_equal (a, b);
        }
  hostpath_list_release (&fast);
  hostpath_list_release (&slow);
}

/* hostpath_within answers what pathmatch_contains answers, for every clean path.  */
static void
test_within_same_as_contains (void **state)
{
  struct hostpath_list fast;
  size_t held = 0;

  (void)state;
  list_make (&fast, true);
  for (size_t i = 0; i < fast.n; i++)
    for (size_t j = 0; j < ARRAY_SIZE (paths); j++)
      {
        bool want;
        if (!pathmatch_is_clean (paths[j]))
          continue;
        want = pathmatch_contains (paths[j], fast.canon[i], NULL);
        assert_true (hostpath_within (&fast, i, paths[j], strlen (paths[j])) == want);
        held += want;
      }
  assert_true (held > 10);
  hostpath_list_release (&fast);
}

static char *
identity_path (const struct host_facts *host, const char *path)
{
  (void)host;
  return path[0] == '/' ? xstrdup (path) : NULL;
}

static const char *
any_value (const char *name, const void *data)
{
  (void)name;
  (void)data;
  return pathmatch_any;
}

/* hostpath_may_be_below only ever spares an entry that the pattern match would not match
 * (whatever a placeholder stands for), and it does spare some.  */
static void
test_prefix_never_hides_a_match (void **state)
{
  struct host_facts host = { .canonical_path = identity_path };
  const struct pathmatch_vars vars = { any_value, NULL };
  struct hostpath_list l = { 0 };
  size_t spared = 0, matched = 0;

  (void)state;
  hostpath_list_init (&l, &host, entries);
  hostpath_list_index (&l);
  for (size_t i = 0; i < l.n; i++)
    for (size_t j = 0; j < ARRAY_SIZE (paths); j++)
      {
        bool may = hostpath_may_be_below (&l, i, paths[j]);
        if (!pathmatch_is_clean (paths[j]))
          continue;
        if (pathmatch_at_or_below (paths[j], l.canon[i], &vars))
          {
            print_message ("# %s at or below %s\n", paths[j], l.canon[i]);
            assert_true (may);
            matched++;
          }
        spared += !may;
      }
  assert_true (matched > 10 && spared > 50);
  hostpath_list_release (&l);
}

/* hostpath_below_candidates keeps every entry hostpath_may_be_below lets through for a path of
 * the directory it was asked about (asked from one directory to the next and back), and spares
 * some.  */
static void
test_dir_candidates_keep_every_match (void **state)
{
  struct host_facts host = { .canonical_path = identity_path };
  struct hostpath_list l = { 0 };
  size_t kept = 0, spared = 0;

  (void)state;
  hostpath_list_init (&l, &host, entries);
  hostpath_list_index (&l);
  for (size_t round = 0; round < 2; round++)
    for (size_t j = 0; j < ARRAY_SIZE (paths); j++)
      for (size_t m = 0; m < ARRAY_SIZE (child_names); m++)
        {
          cleanup_free char *path = NULL;
          const size_t *idx;
          size_t n = 0;

          if (!pathmatch_is_clean (paths[j]))
            continue;
          path = xasprintf ("%s/%s", strcmp (paths[j], "/") == 0 ? "" : paths[j], child_names[m]);
          idx = hostpath_below_candidates (&l, path, &n);
          for (size_t i = 0; i < l.n; i++)
            {
              bool in = idx == NULL;
              for (size_t k = 0; idx != NULL && k < n; k++)
                in = in || idx[k] == i;
              if (hostpath_may_be_below (&l, i, path))
                assert_true (in);
              kept += in;
              spared += !in;
            }
        }
  assert_true (kept > 50 && spared > 50);
  hostpath_list_release (&l);
}

/* hostpath_at_or_below_n and hostpath_holds_n answer what pathmatch answers, with a plain path
 * given by its length and anything else (0) matched as a pattern.  */
static void
test_n_same_as_pathmatch (void **state)
{
  size_t below = 0, held = 0;

  (void)state;
  for (size_t i = 0; entries[i] != NULL; i++)
    for (size_t j = 0; j < ARRAY_SIZE (paths); j++)
      {
        const char *p = entries[i], *c = paths[j];
        size_t n = hostpath_plain (p) ? strlen (p) : 0;
        bool want_below = pathmatch_at_or_below (c, p, NULL);
        bool want_holds = pathmatch_contains (c, p, NULL);

        if (!pathmatch_is_clean (c))
          continue;
        assert_true (hostpath_at_or_below_n (c, strlen (c), p, n) == want_below);
        assert_true (hostpath_holds_n (c, strlen (c), p, n) == want_holds);
        below += want_below;
        held += want_holds;
      }
  assert_true (below > 5 && held > 5);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_strings_same_as_patterns),
    cmocka_unit_test (test_prefix_never_hides_a_match),
    cmocka_unit_test (test_within_same_as_contains),
    cmocka_unit_test (test_dir_candidates_keep_every_match),
    cmocka_unit_test (test_n_same_as_pathmatch),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
