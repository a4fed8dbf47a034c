/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/hostfacts/hostfacts.c against the real system: namespace ids, cap_last_cap,
 * the kernel version, readlink, and canonical_path on a scratch tree of symlinks (".." after a
 * symlink must go where the kernel goes, a missing tail is appended lexically).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "hostfacts.h"
#include "util.h"

static struct host_facts host;
static char scratch[] = "/tmp/ocg-hostfacts-XXXXXX";
static char *real_scratch;

static int
setup (void **state)
{
  cleanup_free char *a = NULL, *b = NULL, *xy = NULL, *l1 = NULL, *l2 = NULL;

  (void)state;
  hostfacts_init_real (&host);
  if (mkdtemp (scratch) == NULL)
    return -1;
  real_scratch = realpath (scratch, NULL);
  a = xasprintf ("%s/real", scratch);
  xy = xasprintf ("%s/x", scratch);
  b = xasprintf ("%s/x/y", scratch);
  l1 = xasprintf ("%s/link", scratch);
  l2 = xasprintf ("%s/deep", scratch);
  if (mkdir (a, 0700) < 0 || mkdir (xy, 0700) < 0 || mkdir (b, 0700) < 0 || symlink (a, l1) < 0
      || symlink ("x/y", l2) < 0)
    return -1;
  return 0;
}

static int
teardown (void **state)
{
  const char *names[] = { "link", "deep", "x/y", "x", "real" };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (names); i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", scratch, names[i]);
      if (unlink (p) < 0)
        rmdir (p);
    }
  rmdir (scratch);
  free (real_scratch);
  return 0;
}

static void
assert_canonical (const char *in, const char *want)
{
  cleanup_free char *got = host.canonical_path (&host, in);

  if (want == NULL)
    {
      assert_null (got);
      return;
    }
  assert_non_null (got);
  assert_string_equal (got, want);
}

static void
test_canonical_path (void **state)
{
  cleanup_free char *in1 = xasprintf ("%s/link/missing/file", scratch);
  cleanup_free char *want1 = xasprintf ("%s/real/missing/file", real_scratch);
  /* deep -> x/y; deep/.. is x (physically), not the scratch dir (lexically).  */
  cleanup_free char *in2 = xasprintf ("%s/deep/../z", scratch);
  cleanup_free char *want2 = xasprintf ("%s/x/z", real_scratch);
  cleanup_free char *in3 = xasprintf ("%s/deep/../y/./", scratch);
  cleanup_free char *want3 = xasprintf ("%s/x/y", real_scratch);
  cleanup_free char *in4 = xasprintf ("%s/nope/../../etc", scratch);
  cleanup_free char *want4
      = xasprintf ("%.*s/etc", (int)(strrchr (real_scratch, '/') - real_scratch), real_scratch);

  (void)state;
  assert_canonical (in1, want1);
  assert_canonical (in2, want2);
  assert_canonical (in3, want3);
  /* A missing component: the rest is lexical, so ".." cancels it.  */
  assert_canonical (in4, want4);
  assert_canonical ("/nonexistent-ocg/../etc", "/etc");
  assert_canonical ("//etc///passwd", "/etc/passwd");
  assert_canonical ("/../../etc/./hosts", "/etc/hosts");
  assert_canonical ("/", "/");
  assert_canonical ("etc/passwd", NULL);
  assert_canonical ("", NULL);
}

/* canonical_policy_path walks a policy's path once for the life of the host facts; a document's
 * path (canonical_path) is walked every time.  A link retargeted after the first walk shows the
 * difference, and new host facts forget the memo.  */
static void
test_canonical_policy_path_memo (void **state)
{
  cleanup_free char *link = xasprintf ("%s/moving", scratch);
  cleanup_free char *to_real = xasprintf ("%s/real", real_scratch);
  cleanup_free char *to_x = xasprintf ("%s/x", real_scratch);
  cleanup_free char *first = NULL, *memo = NULL, *fresh = NULL, *after = NULL;

  (void)state;
  assert_int_equal (symlink (to_real, link), 0);
  first = host.canonical_policy_path (&host, link);
  assert_string_equal (first, to_real);
  assert_int_equal (unlink (link), 0);
  assert_int_equal (symlink (to_x, link), 0);
  memo = host.canonical_policy_path (&host, link);
  fresh = host.canonical_path (&host, link);
  assert_string_equal (memo, to_real);
  assert_string_equal (fresh, to_x);
  assert_null (host.canonical_policy_path (&host, "etc"));
  hostfacts_init_real (&host);
  after = host.canonical_policy_path (&host, link);
  assert_string_equal (after, to_x);
  unlink (link);
}

static void
test_var_run_is_run (void **state)
{
  struct stat st;
  char buf[64] = "";
  ssize_t n = readlink ("/var/run", buf, sizeof (buf) - 1);

  (void)state;
  if (lstat ("/var/run", &st) < 0 || !S_ISLNK (st.st_mode) || n < 0)
    skip ();
  assert_canonical ("/var/run/docker.sock", "/run/docker.sock");
}

static void
test_namespaces (void **state)
{
  struct stat st;
  struct host_ns_id id;

  (void)state;
  assert_int_equal (stat ("/proc/self/ns/net", &st), 0);
  assert_true (hostfacts_own_ns (&host, HOST_NS_NETWORK)->known);
  assert_int_equal (hostfacts_own_ns (&host, HOST_NS_NETWORK)->ino, st.st_ino);
  assert_int_equal (hostfacts_own_ns (&host, HOST_NS_NETWORK)->dev, st.st_dev);
  assert_true (host.ns_id_of (&host, "/proc/self/ns/net", &id));
  assert_int_equal (id.ino, st.st_ino);
  assert_true (hostfacts_own_ns (&host, HOST_NS_MOUNT)->known);
  assert_int_not_equal (hostfacts_own_ns (&host, HOST_NS_MOUNT)->ino,
                        hostfacts_own_ns (&host, HOST_NS_NETWORK)->ino);
  assert_false (host.ns_id_of (&host, "/nonexistent/netns/x", &id));
  assert_false (id.known);
  assert_int_equal (hostfacts_ns_from_type ("network"), HOST_NS_NETWORK);
  assert_int_equal (hostfacts_ns_from_type ("mount"), HOST_NS_MOUNT);
  assert_int_equal (hostfacts_ns_from_type ("time"), HOST_NS_TIME);
  assert_int_equal (hostfacts_ns_from_type ("net"), HOST_NS_COUNT);
  assert_int_equal (hostfacts_ns_from_type (NULL), HOST_NS_COUNT);
}

static void
test_scalars (void **state)
{
  cleanup_file FILE *f = fopen ("/proc/sys/kernel/cap_last_cap", "re");
  unsigned last = 0;

  (void)state;
  assert_non_null (f);
  assert_int_equal (fscanf (f, "%u", &last), 1);
  assert_int_equal (host.cap_last_cap, last);
  assert_true (host.kernel_major >= 3);
}

static void
test_read_link (void **state)
{
  cleanup_free char *exe = host.read_link (&host, "/proc/self/exe");
  cleanup_free char *none = host.read_link (&host, "/nonexistent-ocg");

  (void)state;
  assert_non_null (exe);
  assert_non_null (strstr (exe, "test_hostfacts"));
  assert_null (none);
}

static void
test_lsm (void **state)
{
  (void)state;
  if (!host.apparmor_enabled)
    assert_false (host.apparmor_profile_loaded (&host, "docker-default"));
  if (!host.selinux_enabled)
    assert_false (host.selinux_context_valid (&host, "system_u:system_r:container_t:s0"));
  assert_false (host.apparmor_profile_loaded (&host, NULL));
}

/* `ocigate check --portable`: no fact of this machine; the canonical form is lexical, with the
 * links every node has followed where the kernel would follow them.  The real facts are never
 * portable: the shim judges with them.  */
static void
test_portable (void **state)
{
  static const char *const cases[][2] = {
    { "/var/run/docker.sock", "/run/docker.sock" },
    { "/var/run", "/run" },
    { "/var/lock/x", "/run/lock/x" },
    /* The kernel follows /var/run before `..`: /run/.. is /.  */
    { "/var/run/../etc", "/etc" },
    { "/a/./b//c/", "/a/b/c" },
    { "/..", "/" },
    { "/", "/" },
    { "/var/runner", "/var/runner" },
    { "/etc/../var/./run/containerd", "/run/containerd" },
  };
  struct host_facts p;

  (void)state;
  assert_false (host.portable);
  hostfacts_init_portable (&p);
  assert_true (p.portable);
  assert_false (p.ns[HOST_NS_NETWORK].known);
  assert_null (p.path_exists);
  assert_null (p.ns_file);
  assert_null (p.runtime_containers);
  assert_true (p.cap_last_cap >= 40);
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_free char *got = p.canonical_path (&p, cases[i][0]);
      assert_string_equal (got, cases[i][1]);
    }
  assert_null (p.canonical_path (&p, "relative/path"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_canonical_path),
    cmocka_unit_test (test_canonical_policy_path_memo),
    cmocka_unit_test (test_var_run_is_run),
    cmocka_unit_test (test_namespaces),
    cmocka_unit_test (test_scalars),
    cmocka_unit_test (test_read_link),
    cmocka_unit_test (test_lsm),
    cmocka_unit_test (test_portable),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
