/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the rootfs rule (policy/rules/rootfs.c, hostpath.c) in the cases the fixture
 * driver (test_rules.c) cannot express: root.path against different bundle directories, host
 * paths reached through symlinks, custom sensitive lists (sensitive-mounts' `paths`), facts the
 * host cannot provide, and a root filesystem that could be swapped before the runtime mounts
 * it.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "util.h"

extern const struct rule rule_rootfs;

/* The fake host, plus a symlink to /etc.  */
static int
setup_links (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_add_symlink ("/srv/link-to-etc", "/etc");
  *state = r;
  return 0;
}

/* A config.json judged as police.c judges one read from bundle directory `dir` (NULL: a
 * document from a buffer).  */
static size_t
check_in (struct harness *r, const struct rule *rule, const char *json, const char *dir)
{
  return harness_check_call (r, rule, json, &(struct call){ .bundle_dir = dir });
}

#define ROOT(path) "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"" path "\"}}"
#define CONTAINERD_BUNDLE "/run/containerd/io.containerd.runtime.v2.task/k8s.io/c1"

static void
test_rootfs_bundle (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("rootfs"), CONTAINERD_BUNDLE), 0);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT (CONTAINERD_BUNDLE "/rootfs"), CONTAINERD_BUNDLE), 0);
  /* Without the bundle directory (never for a config.json police.c read), no bundle exception.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT (CONTAINERD_BUNDLE "/rootfs"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("./rootfs/"), CONTAINERD_BUNDLE), 0);
  /* The bundle itself, a sibling bundle, the engine state above it, the host's root.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("."), CONTAINERD_BUNDLE), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("../c2/rootfs"), CONTAINERD_BUNDLE), 1);
  assert_true (harness_found (r, "(`"
                                 "/run/containerd/io.containerd.runtime.v2.task/k8s.io/c2/"
                                 "rootfs`) exposes the sensitive host path `/run/containerd`"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("../../../../../../.."), CONTAINERD_BUNDLE),
                    1);
  assert_true (harness_found (r, "is the host's root directory"));
  assert_string_equal (r->found.items[0].path, "/root/path");
  /* A bundle that is, or holds, a sensitive path is no engine's bundle.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("usr"), "/"), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("lib/docker"), "/var"), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("ssh"), "/etc"), 1);
  /* A hand-made bundle anywhere else.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("rootfs"), "/tmp/bats-run-x/test/1/bundle"),
                    0);
}

static void
test_rootfs_host_paths (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/usr"), NULL), 1);
  assert_true (harness_found (r, "`root.path` `/usr` exposes the sensitive host path `/usr`"));
  assert_true (harness_found (r, "(CIS 5.6)"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/link-to-etc"), NULL), 1);
  assert_true (harness_found (r, "`/srv/link-to-etc` (`/etc`)"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/var/lib"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/images/alpine"), NULL), 0);
  /* Engine locations: exactly the container layer's mount point.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/merged"), NULL),
                    0);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT ("/var/lib/containers/storage/overlay/abc/merged"), NULL), 0);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/merged/etc"), NULL), 1);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/d/merged"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/merged"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/overlay2/abc/merged"), NULL), 0);
  /* The engine layout excuses lying below a sensitive path, never being or holding one.  */
  harness_param (r, "sensitive-mounts", "paths",
                 HARNESS_LIST ("/srv/overlay2/abc/merged/etc", "/usr"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/overlay2/abc/merged"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/usr/overlay2/abc/merged"), NULL), 0);
  harness_param (r, "sensitive-mounts", "paths", NULL);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/merged/../../.."), NULL), 1);
}

static void
test_rootfs_params_and_unknowns (void **state)
{
  struct harness *r = *state;

  /* Another sensitive list: "/" is still the host's root.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/srv/secret"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/usr"), NULL), 0);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/secret/r"), NULL), 1);
  /* The restricted profile's list: /run, /var and /tmp hold the engines' rootfs and bundles.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/", "/run", "/tmp", "/var"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("rootfs"), CONTAINERD_BUNDLE), 0);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/merged"), NULL),
                    0);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/tmp/x"), NULL), 1);
  /* Relocated data roots (dockerd --data-root, the e2e tests' private daemons), every driver.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/", "/srv", "/tmp", "/var"));
  static const char *const relocated[] = {
    "/srv/docker/overlay2/abc/merged",  "/tmp/e2e/docker/data/overlay2/abc/merged",
    "/srv/docker/vfs/dir/abc",          "/srv/docker/100000.100000/overlay2/abc/merged",
    "/srv/docker/rootfs/overlayfs/abc", "/srv/docker/devicemapper/mnt/abc/rootfs",
    "/srv/storage/overlay/abc/merged",  "/srv/docker/btrfs/subvolumes/abc",
  };
  for (size_t i = 0; i < ARRAY_SIZE (relocated); i++)
    {
      char json[256];
      snprintf (json, sizeof json, ROOT ("%s"), relocated[i]);
      assert_int_equal (check_in (r, &rule_rootfs, json, NULL), 0);
    }
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/docker/overlay2/abc"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/docker/rootfs/other/abc"), NULL), 1);
  harness_param (r, "sensitive-mounts", "paths", NULL);
  /* Nothing to judge: fail closed.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("rootfs"), NULL), 1);
  assert_true (harness_found (r, "the bundle directory is unknown"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT (""), CONTAINERD_BUNDLE), 1);
  assert_true (harness_found (r, "`root.path` is empty"));
  assert_int_equal (check_in (r, &rule_rootfs, "{\"ociVersion\":\"1.0.2\"}", CONTAINERD_BUNDLE), 1);
  assert_true (harness_found (r, "no `root.path`"));
  assert_string_equal (r->found.items[0].path, "");
}

static void
test_rootfs_swappable (void **state)
{
  struct harness *r = *state;
  const struct call bundle = { .bundle_dir = "/srv/b1", .container_id = "c1" };
  const char *rel = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"}}";
  const char *abs = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/srv/shared/img/rootfs\"}}";

  assert_int_equal (harness_check_call (r, &rule_rootfs, rel, &bundle), 0);
  assert_int_equal (harness_check_call (r, &rule_rootfs, abs, &bundle), 0);
  fake_host_add_untrusted ("/srv/shared");
  assert_int_equal (harness_check_call (r, &rule_rootfs, abs, &bundle), 1);
  assert_true (harness_found (r,
                              "`root.path` `/srv/shared/img/rootfs` could be swapped for another "
                              "directory before the runtime mounts it: `/srv/shared` is writable"));
  fake_host_add_untrusted ("/srv/b1");
  assert_int_equal (harness_check_call (r, &rule_rootfs, rel, &bundle), 1);
  r->host.path_trusted_for = NULL;
  assert_int_equal (harness_check_call (r, &rule_rootfs, rel, &bundle), 1);
  assert_true (harness_found (r, "cannot check who may change it"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_rootfs_bundle, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_rootfs_host_paths, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_rootfs_params_and_unknowns, setup_links,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_rootfs_swappable, harness_setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
