/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What one judgement keeps for the next check of sensitive-mounts: the real facts about the
 * document's paths, once per facts (policy/hostfacts/hostfacts_docpaths.c); each bind's verdict
 * follows its inputs from one check to the next, and so does rootfs' (kept for the recheck).
 * On the real host facts and a scratch tree under /tmp; needs root (the trust walk trusts
 * root's directories).  */
#include <config.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine.h"
#include "hostfacts_walk.h"
#include "rule_harness.h"
#include "spec.h"
#include "util.h"

extern const struct rule rule_sensitive_mounts;
extern const struct rule rule_rootfs;

static char scratch[] = "/tmp/ocg-binds-memo-XXXXXX";
static bool scratch_made;

static char *
in_scratch (const char *rel)
{
  return xasprintf ("%s/%s", scratch, rel);
}

/* Facts asked twice in one life of the real facts give the first answer, even after the path
 * changed; fresh facts see the change.  Fakes are never memoised (generation 0).  */
static void
test_docpaths_once_per_facts (void **state)
{
  struct host_facts host, fake;
  cleanup_free char *a = in_scratch ("a");
  cleanup_free char *b = in_scratch ("b");
  cleanup_free char *canon = NULL;
  struct host_object before, after;
  unsigned long generation;

  (void)state;
  if (!scratch_made)
    skip ();
  assert_int_equal (mkdir (a, 0755), 0);
  hostfacts_init_real (&host);
  generation = hostfacts_docpaths_generation (&host);
  assert_true (generation != 0);
  canon = host.canonical_path (&host, a);
  assert_string_equal (canon, a);
  assert_true (host.path_object (&host, a, &before));
  /* a becomes a symlink to /etc: the same facts still answer what they answered.  */
  assert_int_equal (rename (a, b), 0);
  assert_int_equal (symlink ("/etc", a), 0);
  free (canon);
  canon = host.canonical_path (&host, a);
  assert_string_equal (canon, a);
  assert_true (host.path_object (&host, a, &after));
  assert_true (after.ino == before.ino && after.dev == before.dev);
  /* Fresh facts walk again.  */
  hostfacts_init_real (&host);
  assert_true (hostfacts_docpaths_generation (&host) != generation);
  free (canon);
  canon = host.canonical_path (&host, a);
  assert_string_equal (canon, "/etc");
  fake_host_init (&fake);
  assert_true (hostfacts_docpaths_generation (&fake) == 0);
  unlink (a);
  rmdir (b);
}

/* The scratch tree of test_docpaths_same_answers: name, mode (0: symlink to target), owner.  */
static const struct
{
  const char *name;
  mode_t mode;
  const char *target;
  uid_t uid;
} tree[] = {
  { "d", 0755, NULL, 0 },      { "d/f", 0644, NULL, 0 },         { "d/sub", 0755, NULL, 0 },
  { "d/link", 0, "sub", 0 },   { "d/abs", 0, "/etc", 0 },        { "t", 01777, NULL, 0 },
  { "t/mine", 0755, NULL, 0 }, { "t/theirs", 0755, NULL, 1000 }, { "t/theirs/x", 0644, NULL, 0 },
  { "w", 0777, NULL, 0 },      { "w/x", 0644, NULL, 0 },         { "u", 0755, NULL, 1000 },
  { "u/x", 0644, NULL, 0 },    { "d/sub/deep", 0755, NULL, 0 },  { "d/sub/deep/f", 0644, NULL, 0 },
};

static const char *const asked[]
    = { "d/f", "d/sub/deep/f", "d/link/deep/f", "d/abs/passwd", "d/missing", "d/missing/x",
        "t/mine", "t/theirs", "t/theirs/x", "w/x", "u/x", "d/sub/../f", "d//f", "d/link",
        "d/sub/deep", "d/f/x", "t", "d",
        /* Missing last components, below a symlink, a sticky directory and a foreign one.  */
        "d/link/missing", "t/missing", "u/missing", "d/sub/deep/missing" };

/* What the memo answers (the path's parent walked first, as the sensitive-mounts rule asks) is
 * what the walks answer: the canonical text, whether the path is trusted and why not, for the
 * container's mapped root too -- and a trusted answer spends exactly the walk's lookups.  */
static void
test_docpaths_same_answers (void **state)
{
  struct host_facts raw, memo;

  (void)state;
  if (!scratch_made)
    skip ();
  for (size_t i = 0; i < ARRAY_SIZE (tree); i++)
    {
      cleanup_free char *p = in_scratch (tree[i].name);
      if (tree[i].mode == 0)
        assert_int_equal (symlink (tree[i].target, p), 0);
      else if (tree[i].mode & 0111)
        assert_int_equal (mkdir (p, 0700), 0);
      else
        assert_int_equal (mknod (p, S_IFREG | 0600, 0), 0);
      if (tree[i].mode != 0)
        assert_int_equal (chmod (p, tree[i].mode), 0);
      assert_int_equal (lchown (p, tree[i].uid, 0), 0);
    }
  hostfacts_init_base (&raw);
  hostfacts_init_real (&memo);
  for (size_t round = 0; round < 2; round++)
    for (size_t i = 0; i < ARRAY_SIZE (asked); i++)
      for (int k = 0; k < 2; k++)
        {
          cleanup_free char *p = in_scratch (asked[i]);
          uid_t also = k == 0 ? (uid_t)-1 : 1000;
          cleanup_free char *want_canon = NULL, *got_canon = NULL;
          cleanup_free char *want_why = NULL, *got_why = NULL;
          unsigned left = hostfacts_walk_left ();
          bool want, got;
          unsigned want_spent, got_spent;

          want_canon = raw.canonical_path (&raw, p);
          want = raw.path_trusted_for (&raw, p, also, &want_why);
          want_spent = left - hostfacts_walk_left ();
          left = hostfacts_walk_left ();
          got_canon = memo.canonical_path (&memo, p);
          got = memo.path_trusted_for (&memo, p, also, &got_why);
          got_spent = left - hostfacts_walk_left ();
          print_message ("# %s (also %d): %s, %s %s, %u lookups\n", asked[i], (int)also, got_canon,
                         got ? "trusted" : "untrusted:", got_why ? got_why : "", got_spent);
          assert_string_equal (got_canon, want_canon);
          assert_true (got == want);
          if (want_why == NULL)
            assert_null (got_why);
          else
            assert_string_equal (got_why, want_why);
          if (want)
            assert_int_equal (got_spent, want_spent);
          else
            assert_true (got_spent >= want_spent);
        }
  for (size_t i = ARRAY_SIZE (tree); i-- > 0;)
    {
      cleanup_free char *p = in_scratch (tree[i].name);
      remove (p);
    }
}

/* The first finding's message of a check of spec, or "" when there is none.  */
static const char *
check_message (struct harness *h, const struct spec *spec)
{
  size_t n = harness_check (h, &rule_sensitive_mounts, spec);
  return n > 0 ? h->found.items[0].message : "";
}

static void
set_string (struct spec *spec, const char *ptr, const char *value)
{
  cleanup_error ocg_error_t err = NULL;
  assert_int_equal (spec_set (spec, ptr, json_new_string (value), &err), 0);
}

/* A bind's verdict follows the entry, the annotations and root within one life of the real facts:
 * change any one and the next check of the same judgement answers for the change.  */
static void
test_verdict_follows_its_inputs (void **state)
{
  struct harness *h = harness_new ("baseline");
  cleanup_free char *src = in_scratch ("src");
  cleanup_free char *rootfs = in_scratch ("rootfs");
  cleanup_free char *inside = in_scratch ("rootfs/x");
  cleanup_free char *json = NULL;
  struct spec *spec;

  (void)state;
  if (!scratch_made)
    skip ();
  assert_int_equal (mkdir (src, 0755), 0);
  assert_int_equal (mkdir (rootfs, 0755), 0);
  assert_int_equal (mkdir (inside, 0755), 0);
  hostfacts_init_real (&h->host);
  h->call.bundle_dir = scratch;
  h->call.runtime_root = "/run/containerd/runc/k8s.io";
  json = xasprintf (
      "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"%s\"},\"process\":{\"args\":[\"sh\"],"
      "\"cwd\":\"/\"},\"annotations\":{\"io.kubernetes.cri.sandbox-id\":\"abc\"},"
      "\"mounts\":[{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"%s\","
      "\"options\":[\"rbind\"]},{\"destination\":\"/etc/hostname\",\"type\":\"bind\",\"source\":"
      "\"/run/containerd/io.containerd.grpc.v1.cri/sandboxes/abc/hostname\",\"options\":"
      "[\"rbind\"]}]}",
      rootfs, src);
  spec = harness_load (json, SPEC_CONFIG);
  /* The sandbox's own file (missing here): owned, so judged by existence.  */
  assert_non_null (strstr (check_message (h, spec), "does not exist"));
  assert_int_equal (h->found.n, 1);
  /* Another sandbox's: the same entry, another annotation.  */
  set_string (spec, "/annotations/io.kubernetes.cri.sandbox-id", "xyz");
  assert_non_null (strstr (check_message (h, spec), "sensitive host path `/run/containerd`"));
  /* The entry itself: /etc.  */
  set_string (spec, "/mounts/0/source", "/etc");
  assert_non_null (strstr (check_message (h, spec), "`/etc`"));
  assert_int_equal (h->found.n, 2);
  /* A member added to the entry (another rule's rewrite could): "ro" makes it a read-only bind.  */
  {
    cleanup_error ocg_error_t err = NULL;
    assert_int_equal (spec_set (spec, "/mounts/0/options/1", json_new_string ("ro"), &err), 0);
  }
  assert_non_null (strstr (check_message (h, spec), "read-only bind of `/etc`"));
  /* root: a source inside the rootfs, then the rootfs moved away from it.  */
  set_string (spec, "/mounts/0/source", inside);
  assert_non_null (strstr (check_message (h, spec), "container's own root filesystem"));
  set_string (spec, "/root/path", src);
  assert_null (strstr (check_message (h, spec), "container's own root filesystem"));
  assert_int_equal (h->found.n, 1);
  spec_free (spec);
  harness_free (h);
  rmdir (inside);
  rmdir (rootfs);
  rmdir (src);
}

/* rootfs keeps its verdict for the recheck too, but judges again when root or the mapped root
 * (linux.uidMappings) changes.  */
static void
test_rootfs_verdict_follows_its_inputs (void **state)
{
  struct harness *h = harness_new ("baseline");
  cleanup_free char *owned = in_scratch ("by1000");
  cleanup_free char *rootfs = in_scratch ("by1000/rootfs");
  cleanup_free char *json = NULL;
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec;
  struct json_node *maps;

  (void)state;
  if (!scratch_made)
    skip ();
  assert_int_equal (mkdir (owned, 0755), 0);
  assert_int_equal (chown (owned, 1000, 1000), 0);
  assert_int_equal (mkdir (rootfs, 0755), 0);
  hostfacts_init_real (&h->host);
  json = xasprintf ("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"%s\"},\"process\":{"
                    "\"args\":[\"sh\"],\"cwd\":\"/\"}}",
                    rootfs);
  spec = harness_load (json, SPEC_CONFIG);
  assert_int_equal (harness_check (h, &rule_rootfs, spec), 1);
  assert_non_null (strstr (h->found.items[0].message, "is owned by uid 1000"));
  /* The directory belongs to the container's own mapped root.  */
  {
    static const char text[] = "[{\"containerID\":0,\"hostID\":1000,\"size\":65536}]";
    maps = json_parse_trusted (text, sizeof (text) - 1);
  }
  assert_int_equal (spec_set (spec, "/linux/uidMappings", maps, &err), 0);
  assert_int_equal (harness_check (h, &rule_rootfs, spec), 0);
  set_string (spec, "/root/path", "/etc");
  assert_int_equal (harness_check (h, &rule_rootfs, spec), 1);
  assert_non_null (strstr (h->found.items[0].message, "sensitive host path `/etc`"));
  spec_free (spec);
  harness_free (h);
  rmdir (rootfs);
  rmdir (owned);
}

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove (path);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_docpaths_once_per_facts),
    cmocka_unit_test (test_docpaths_same_answers),
    cmocka_unit_test (test_verdict_follows_its_inputs),
    cmocka_unit_test (test_rootfs_verdict_follows_its_inputs),
  };
  int rc;

  if (geteuid () != 0)
    fprintf (stderr, "# SKIP: test_binds_memo needs root (the trust walk trusts root's dirs)\n");
  else if (mkdtemp (scratch) != NULL && chmod (scratch, 0755) == 0)
    scratch_made = true;
  rc = cmocka_run_group_tests (tests, NULL, NULL);
  /* Whatever a failed test left too.  */
  if (scratch_made)
    nftw (scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return rc;
}
