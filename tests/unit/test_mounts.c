/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the sensitive-mounts rule's judgement of a bind source by path
 * (policy/rules/mounts.c, hostpath.c) and for the mount-propagation rule (propagation.c), in the
 * cases the fixture driver (test_rules.c) cannot express: whole-component matching through
 * symlinks, non-default parameters (engine-owned entries with dest=/ro, custom sensitive lists,
 * CRI runtime roots), bind sources that are missing, magic links or swappable, and the
 * container's own root filesystem.  What is really mounted at a source is test_binds.c's.  */
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

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "util.h"

extern const struct rule rule_sensitive_mounts;
extern const struct rule rule_mount_propagation;

/* ---- the host and the calls ---- */

/* The fake host, plus two symlinks into sensitive places.  */
static int
setup_links (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_add_symlink ("/srv/link-to-etc", "/etc");
  fake_host_add_symlink ("/srv/link-to-run", "/var/run");
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

/* A config judged as the document of a call with runtime root `root` (NULL: none known).  */
static size_t
check_with_root (struct harness *r, const char *json, const char *root)
{
  return harness_check_call (r, &rule_sensitive_mounts, json,
                             &(struct call){ .runtime_root = root });
}

/* ---- paths, by name ---- */

#define BIND(src, dest, opts)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"mounts\":[{\"destination\":\"" dest "\",\"type\":\"bind\","         \
  "\"source\":\"" src "\",\"options\":[" opts "]}],"                                               \
  "\"annotations\":{\"io.kubernetes.cri.sandbox-uid\":\"u1\"}}"

static void
test_mounts_sockets (void **state)
{
  struct harness *r = *state;

  /* Binding a parent directory exposes the sockets in it, through symlinks too.  */
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")),
                    1);
  assert_true (harness_found (r, "engine socket"));
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/link-to-run", "/r", "\"rbind\"")),
      1);
  assert_true (harness_found (r, "engine socket"));
  /* By basename anywhere, even read-only.  */
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts,
                         BIND ("/home/u/.docker/run/docker.sock", "/d", "\"rbind\",\"ro\"")),
      1);
  assert_true (harness_found (r, "read-only bind"));
  /* No engine-owned pattern can allow a socket.  */
  harness_param (r, "sensitive-mounts", "engine_owned_paths", HARNESS_LIST ("/run"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")),
                    1);
  harness_param (r, "sensitive-mounts", "engine_owned_paths", NULL);
  /* An explicitly empty socket list means none; /run is still a parent of /run/containerd.  */
  harness_param (r, "sensitive-mounts", "engine_sockets", HARNESS_EMPTY_LIST);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")),
                    1);
  assert_true (harness_found (r, "sensitive host path"));
}

static void
test_mounts_sensitive (void **state)
{
  struct harness *r = *state;

  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/link-to-etc/ssh", "/s", "")), 1);
  assert_true (harness_found (r, "`/etc/ssh`"));
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/lib/modules", "/m", "\"ro\"")), 1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/m", "")), 0);
  /* The pod's own kubelet directory, not another pod's, and no `..` escape.  */
  assert_int_equal (
      harness_check_doc (
          r, &rule_sensitive_mounts,
          BIND ("/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/c", "/c", "")),
      0);
  assert_int_equal (
      harness_check_doc (
          r, &rule_sensitive_mounts,
          BIND ("/var/lib/kubelet/pods/u2/volumes/kubernetes.io~empty-dir/c", "/c", "")),
      1);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts,
                         BIND ("/var/lib/kubelet/pods/u1/volumes/../../../../../../etc", "/c", "")),
      1);
  /* A custom sensitive list replaces the default.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/srv/secret"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/etc", "/e", "")), 0);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv", "/e", "")), 1);
  harness_param (r, "sensitive-mounts", "paths", NULL);
}

static void
test_mounts_engine_owned_fields (void **state)
{
  struct harness *r = *state;

  harness_param (r, "sensitive-mounts", "engine_owned_paths",
                 HARNESS_LIST ("/usr/bin/tini dest=/init ro", "/etc/x bogus"));
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "\"ro\"")), 0);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "//init/", "\"ro\"")),
      0);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "")), 1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts,
                                       BIND ("/usr/bin/tini", "/init", "\"ro\",\"rw\"")),
                    1);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/sbin/x", "\"ro\"")),
      1);
  /* An entry with an unknown field allows nothing.  */
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/etc/x", "/x", "")), 1);
  harness_param (r, "sensitive-mounts", "engine_owned_paths", NULL);
}

/* A pod container's bind of its own kubelet volume, as containerd's CRI plugin writes it.  */
#define POD_BIND(uid)                                                                              \
  "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.kubernetes.cri.sandbox-uid\":\"" uid "\","      \
  "\"io.kubernetes.cri.sandbox-id\":\"abc\"},\"mounts\":[{\"destination\":\"/data\","              \
  "\"type\":\"bind\",\"source\":\"/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/d\","   \
  "\"options\":[\"rbind\",\"rw\"]}]}"

/* `docker run --annotation io.kubernetes.cri.sandbox-uid=<victim>` must not
 * open another pod's kubelet directory.  The CRI patterns apply only under CRI's runc root.  */
static void
test_mounts_cri_annotations_need_cri_root (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_with_root (r, POD_BIND ("u1"), "/run/containerd/runc/k8s.io"), 0);
  /* Another pod's uid, even under CRI's root: not this pod's directory.  */
  assert_int_equal (check_with_root (r, POD_BIND ("u2"), "/run/containerd/runc/k8s.io"), 1);
  /* The same annotations from Docker's or Podman's runtime root prove nothing.  */
  assert_int_equal (check_with_root (r, POD_BIND ("u1"), "/run/docker/runtime-runc/moby"), 1);
  assert_int_equal (check_with_root (r, POD_BIND ("u1"), "/run/runc"), 1);
  assert_int_equal (check_with_root (r, POD_BIND ("u1"), NULL), 1);
  /* An operator running CRI with another state dir lists its root.  */
  harness_param (r, "sensitive-mounts", "cri_runtime_roots",
                 HARNESS_LIST ("/srv/containerd/runc/k8s.io"));
  assert_int_equal (check_with_root (r, POD_BIND ("u1"), "/srv/containerd/runc/k8s.io"), 0);
  harness_param (r, "sensitive-mounts", "cri_runtime_roots", NULL);
}

/* A source that does not exist has only a guessed canonical form,
 * and runc resolves it later, after the container's earlier mounts.  */
static void
test_mounts_missing_source (void **state)
{
  struct harness *r = *state;

  fake_host_add_missing ("/srv/gone");
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/gone/x", "/x", "")),
                    1);
  assert_true (harness_found (r, "`/srv/gone/x` of the bind at `/x` does not exist"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/gone", "/x", "")), 1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/gone2", "/x", "")),
                    0);
}

/* /proc/<pid>/root, /cwd, /fd/N are read as text by realpath and followed by the
 * kernel; the raw path, its canonical form and the file identity are all checked.  */
static void
test_mounts_magic_links (void **state)
{
  struct harness *r = *state;

  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/proc/4242/root/hostlink", "/h", "")),
      1);
  assert_true (harness_found (r, "is under `/proc`, whose magic links"));
  /* Custom sensitive lists do not matter: it is never judgeable.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/srv/secret"));
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/../proc/1/cwd", "/h", "")), 1);
  /* Refused on the cleaned source, before it is resolved: a `..` takes the first name away.  */
  assert_true (harness_found (r, "the source `/srv/../proc/1/cwd` of the bind at `/h` is under "
                                 "`/proc`, whose magic links"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/dev/stdin", "/h", "")),
                    1);
  assert_true (harness_found (r, "`/dev/stdin`, whose magic links"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/dev/fd/3/x", "/h", "")),
                    1);
  /* A symlink elsewhere that leads into /proc: caught on the canonical path.  */
  fake_host_add_symlink ("/srv/to-proc", "/proc/4242/root");
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/to-proc/etc", "/h", "")), 1);
  assert_true (harness_found (r, "(`/proc/4242/root/etc`)"));
  /* A path whose file is not the one its canonical form names (procfs mounted elsewhere).  */
  fake_host_add_alias ("/srv/other-proc");
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/other-proc/1/root", "/h", "")), 1);
  assert_true (harness_found (r, "is not the file its canonical path `/srv/other-proc/1/root`"));
  /* Look-alikes are not /proc.  */
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/proc/1/root", "/h", "")), 0);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/devfd", "/h", "")), 0);
  harness_param (r, "sensitive-mounts", "paths", NULL);
}

/* A directory the container user can write (a subdirectory of a volume whose
 * _data belongs to the container) lets a symlink be swapped in after the check.  Engine-owned
 * patterns do not excuse it.  */
static void
test_mounts_untrusted_source (void **state)
{
  struct harness *r = *state;

  fake_host_add_untrusted ("/srv/shared");
  fake_host_add_untrusted ("/var/lib/docker/volumes/v/_data");
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/shared/dir", "/d", "")), 1);
  assert_true (harness_found (r, "could be swapped for another path before runc mounts it: "
                                 "`/srv/shared` is writable by group or others"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts,
                                       BIND ("/var/lib/docker/volumes/v/_data/dir", "/d", "")),
                    1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts,
                                       BIND ("/var/lib/docker/volumes/w/_data", "/d", "")),
                    0);
  /* Through a symlink: the canonical path is what the fake judges.  */
  fake_host_add_symlink ("/srv/link-to-shared", "/srv/shared");
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/link-to-shared/x", "/d", "")), 1);
}

/* A host without the facts (a test double, an older caller) denies every bind: fail closed.  */
static void
test_mounts_facts_missing (void **state)
{
  struct harness *r = *state;
  struct host_facts saved = r->host;

  r->host.path_exists = NULL;
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  r->host = saved;
  r->host.same_file = NULL;
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  r->host = saved;
  r->host.path_trusted = NULL;
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  assert_true (harness_found (r, "ocigate cannot check who may change it"));
  r->host = saved;
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 0);
}

#define ROOT_BIND(root, src)                                                                       \
  "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"" root "\"},\"mounts\":[{\"destination\":"       \
  "\"/host\",\"type\":\"bind\",\"source\":\"" src "\",\"options\":[\"rbind\",\"rw\"]}]}"

/* A bind of `<bundle>/rootfs/proc/1/root`, resolved by runc after the container's /proc mount,
 * wrote to the host's /.  Below the rootfs or a parent of it: denied; a sibling of the bundle is
 * fine.  */
static void
test_mounts_own_rootfs (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_in (r, &rule_sensitive_mounts,
                              ROOT_BIND ("rootfs", "/srv/b1/rootfs/proc/1/root"), "/srv/b1"),
                    1);
  assert_true (harness_found (r, "reaches into the container's own root filesystem "
                                 "`/srv/b1/rootfs`"));
  assert_int_equal (
      check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv/b1/rootfs"), "/srv/b1"), 1);
  assert_int_equal (
      check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv/b1"), "/srv/b1"), 1);
  assert_int_equal (check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv"), "/srv/b1"),
                    1);
  assert_int_equal (
      check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv/b1-data"), "/srv/b1"), 0);
  /* An absolute rootfs, reached through a symlink.  */
  fake_host_add_symlink ("/srv/current", "/srv/images/v2");
  assert_int_equal (check_in (r, &rule_sensitive_mounts,
                              ROOT_BIND ("/srv/current", "/srv/images/v2/proc/1/root"), NULL),
                    1);
  /* "/" as rootfs is the rootfs rule's finding, not one per bind.  */
  assert_int_equal (check_in (r, &rule_sensitive_mounts, ROOT_BIND ("/", "/srv/data"), NULL), 0);
  /* An unresolvable rootfs is the rootfs rule's finding too.  */
  assert_int_equal (check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv/data"), NULL),
                    0);
}

/* The defaults beyond the obvious host paths: code root runs later, PID 1's and the bus's
 * control sockets, the cluster's secrets, the host's logs.  */
static void
test_mounts_new_sensitive_defaults (void **state)
{
  static const char *const denied[]
      = { "/var/spool/cron/crontabs", "/var/lib/dpkg/info", "/var/lib/rpm",  "/opt/cni/bin",
          "/run/systemd/private",     "/var/run/dbus",      "/var/lib/etcd", "/var/log/syslog" };
  struct harness *r = *state;
  char json[512];

  for (size_t i = 0; i < ARRAY_SIZE (denied); i++)
    {
      snprintf (json, sizeof json, BIND ("%s", "/h", "\"ro\""), denied[i]);
      assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, json), 1);
      assert_true (harness_found (r, "sensitive host path"));
    }
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/var/lib/myapp", "/h", "")), 0);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/var/logs-archive", "/h", "")), 0);
}

/* ---- mount-propagation ---- */

static void
test_propagation_rewrite_records (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (
      "{\"ociVersion\":\"1.0.2\",\"mounts\":[{\"destination\":\"/a\",\"type\":\"bind\","
      "\"source\":\"/srv\",\"options\":[\"rbind\",\"rshared\"]}],"
      "\"linux\":{\"rootfsPropagation\":\"shared\"}}",
      SPEC_CONFIG);
  cleanup_error ocg_error_t err = NULL;
  struct rule_ctx ctx
      = engine_rule_ctx (r->policy, &r->host, &r->call, spec, &rule_mount_propagation);
  const char *value = NULL;

  findings_clear (&r->found);
  assert_int_equal (rule_mount_propagation.check (&ctx, &r->found, &err), 0);
  assert_int_equal (r->found.n, 2);
  assert_true (r->found.items[0].fixable);
  assert_int_equal (rule_mount_propagation.rewrite (&ctx, spec, &err), 0);
  assert_int_equal (spec->n_ops, 2);
  assert_true (spec_get_string (spec, "/mounts/0/options/1", &value));
  assert_string_equal (value, "rprivate");
  assert_true (spec_get_string (spec, "/linux/rootfsPropagation", &value));
  assert_string_equal (value, "slave");
  findings_clear (&r->found);
  assert_int_equal (rule_mount_propagation.check (&ctx, &r->found, &err), 0);
  assert_int_equal (r->found.n, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_mounts_sockets, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_sensitive, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_engine_owned_fields, setup_links,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_cri_annotations_need_cri_root, setup_links,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_missing_source, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_magic_links, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_untrusted_source, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_facts_missing, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_own_rootfs, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_new_sensitive_defaults, setup_links,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_propagation_rewrite_records, setup_links,
                                     harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
