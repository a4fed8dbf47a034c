/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What one judgement keeps for the next check of sensitive-mounts: the real facts about the
 * document's paths, once per facts (policy/hostfacts/hostfacts_docpaths.c), and each bind's
 * verdict, kept only while every input it depends on is the same (policy/rules/binds_memo.c).
 * On the real host facts and a scratch tree under /tmp; needs root (the trust walk trusts
 * root's directories).  */
#include <config.h>

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

#include "engine.h"
#include "rule_harness.h"
#include "spec.h"
#include "util.h"

extern const struct rule rule_sensitive_mounts;

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

/* A bind's verdict is kept for the recheck of the same judgement only while the entry, the
 * annotations and root are the same: change any one and it is judged again.  */
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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_docpaths_once_per_facts),
    cmocka_unit_test (test_verdict_follows_its_inputs),
  };
  int rc;

  if (geteuid () != 0)
    fprintf (stderr, "# SKIP: test_binds_memo needs root (the trust walk trusts root's dirs)\n");
  else if (mkdtemp (scratch) != NULL && chmod (scratch, 0755) == 0)
    scratch_made = true;
  rc = cmocka_run_group_tests (tests, NULL, NULL);
  if (scratch_made)
    rmdir (scratch);
  return rc;
}
