/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the isolation rules (policy/rules/{namespaces,mounts,devices,pathmatch}.c) in
 * the cases the fixture driver (test_rules.c, baseline parameters, the shared fake host) cannot
 * express: whole-component matching, non-default policy parameters (engine-owned entries with
 * dest=/ro, device_allow), namespace inodes that differ only in st_dev, and facts the host could
 * not provide.  */
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
#include "rules/pathmatch.h"
#include "util.h"

extern const struct rule rule_host_namespaces;
extern const struct rule rule_sensitive_mounts;
extern const struct rule rule_mount_propagation;
extern const struct rule rule_devices;

/* ---- the host: tests/unit/fake_host.c plus a few entries ---- */

static bool (*fake_ns_id_of) (const struct host_facts *, const char *, struct host_ns_id *);

/* The host's netns inode number, but on another device: another namespace.  */
static bool
other_dev_ns_id_of (const struct host_facts *host, const char *path, struct host_ns_id *id)
{
  if (strcmp (path, "/run/other-dev/net") != 0)
    return fake_ns_id_of (host, path, id);
  *id = fake_host_ns (HOST_NS_NETWORK);
  id->dev = FAKE_HOST_NS_DEV + 1;
  return true;
}

static void
isolation_host_init (struct host_facts *host)
{
  fake_host_init (host);
  fake_host_add_symlink ("/srv/link-to-etc", "/etc");
  fake_host_add_symlink ("/srv/link-to-run", "/var/run");
  fake_host_add_ns_file ("/run/docker/netns/abc", HOST_NS_NETWORK, false);
  fake_ns_id_of = host->ns_id_of;
  host->ns_id_of = other_dev_ns_id_of;
}

/* ---- running one rule ---- */

struct run
{
  struct host_facts host;
  struct policy_params params;
  struct findings found;
};

static struct spec *
load (const char *json, enum spec_kind kind)
{
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec = spec_load_buffer (json, strlen (json), "test", kind, &err);
  if (spec == NULL)
    fail_msg ("cannot load `%s`: %s", json, err ? err->msg : "?");
  return spec;
}

/* Check `json` with `rule`; returns the number of findings (kept in r->found).  */
static size_t
check_kind (struct run *r, const struct rule *rule, const char *json, enum spec_kind kind)
{
  cleanup_spec struct spec *spec = load (json, kind);
  cleanup_error ocg_error_t err = NULL;
  struct rule_ctx ctx = { spec, &r->params, &r->host, rule };

  findings_clear (&r->found);
  assert_int_equal (rule->check (&ctx, &r->found, &err), 0);
  for (size_t i = 0; i < r->found.n; i++)
    print_message ("# %s: %s: %s\n", rule->id, r->found.items[i].path, r->found.items[i].message);
  return r->found.n;
}

static size_t
check (struct run *r, const struct rule *rule, const char *json)
{
  return check_kind (r, rule, json, SPEC_CONFIG);
}

static int
setup (void **state)
{
  struct run *r = xzalloc (sizeof *r);
  isolation_host_init (&r->host);
  *state = r;
  return 0;
}

static int
teardown (void **state)
{
  struct run *r = *state;
  findings_clear (&r->found);
  free (r);
  return 0;
}

static bool
found_message (struct run *r, const char *needle)
{
  for (size_t i = 0; i < r->found.n; i++)
    if (strstr (r->found.items[i].message, needle) != NULL)
      return true;
  return false;
}

/* ---- pathmatch ---- */

static void
test_pathmatch_clean (void **state)
{
  static const char *const cases[][2] = {
    { "/", "/" },           { "//etc//", "/etc" },      { "/etc/./ssh/", "/etc/ssh" },
    { "/../..", "/" },      { "/a/b/../../c", "/c" },   { "/dev/pts/../sda", "/dev/sda" },
    { "/a/..b", "/a/..b" }, { "/a/.../b", "/a/.../b" },
  };
  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      cleanup_free char *c = pathmatch_clean (cases[i][0]);
      assert_string_equal (c, cases[i][1]);
      assert_true (pathmatch_is_clean (c));
    }
  assert_null (pathmatch_clean ("etc"));
  assert_null (pathmatch_clean (""));
  assert_false (pathmatch_is_clean ("/etc/"));
  assert_false (pathmatch_is_clean ("/etc//ssh"));
  assert_false (pathmatch_is_clean ("/etc/../x"));
  assert_false (pathmatch_is_clean ("/./etc"));
}

static const char *
lookup_uid (const char *name, const void *data)
{
  (void)data;
  return strcmp (name, "uid") == 0 ? "u1" : NULL;
}

static void
test_pathmatch_components (void **state)
{
  struct pathmatch_vars vars = { lookup_uid, NULL };
  (void)state;

  assert_true (pathmatch_at_or_below ("/etc", "/etc", NULL));
  assert_true (pathmatch_at_or_below ("/etc/ssh", "/etc", NULL));
  assert_false (pathmatch_at_or_below ("/etcetera", "/etc", NULL));
  assert_false (pathmatch_at_or_below ("/library", "/lib", NULL));
  assert_false (pathmatch_at_or_below ("/var/lib/dockerd", "/var/lib/docker", NULL));
  assert_false (pathmatch_at_or_below ("/usr2", "/usr", NULL));
  assert_true (pathmatch_contains ("/var/lib", "/var/lib/docker", NULL));
  assert_true (pathmatch_contains ("/", "/var/lib/docker", NULL));
  assert_false (pathmatch_contains ("/var/li", "/var/lib/docker", NULL));
  assert_false (pathmatch_contains ("/var/lib/docker/x", "/var/lib/docker", NULL));
  /* `*` is exactly one component.  */
  assert_true (pathmatch_at_or_below ("/v/x/_data", "/v/*/_data", NULL));
  assert_true (pathmatch_at_or_below ("/v/x/_data/sub", "/v/*/_data", NULL));
  assert_false (pathmatch_at_or_below ("/v/x/y/_data", "/v/*/_data", NULL));
  assert_false (pathmatch_at_or_below ("/v/x", "/v/*/_data", NULL));
  assert_true (pathmatch_contains ("/run/user/1000", "/run/user/*/docker.sock", NULL));
  /* `{NAME}` is exactly the annotation's value, and nothing when it is absent.  */
  assert_true (pathmatch_at_or_below ("/pods/u1/volumes", "/pods/{uid}", &vars));
  assert_false (pathmatch_at_or_below ("/pods/u2/volumes", "/pods/{uid}", &vars));
  assert_false (pathmatch_at_or_below ("/pods/u1/volumes", "/pods/{other}", &vars));
  assert_false (pathmatch_at_or_below ("/pods/u1/volumes", "/pods/{uid}", NULL));
  assert_string_equal (pathmatch_basename ("/run/docker.sock"), "docker.sock");
  assert_string_equal (pathmatch_basename ("/"), "");
}

/* ---- host-namespaces ---- */

#define NS_CONFIG(net)                                                                             \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"},"  \
  "{\"type\":\"ipc\"},{\"type\":\"uts\"}," net "]}}"

static void
test_namespaces_inodes (void **state)
{
  struct run *r = *state;

  assert_int_equal (check (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"network\"}")), 0);
  /* Docker's --net=host file, reached through the /var/run symlink.  */
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/var/run/docker/netns/"
                                      "default\"}")),
                    1);
  assert_true (found_message (r, "CIS 5.10"));
  assert_string_equal (r->found.items[0].path, "/linux/namespaces/4/path");
  assert_false (r->found.items[0].fixable);
  /* Another container's netns.  */
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/docker/netns/abc\"}")),
                    0);
  /* Equal inode numbers on another device are another namespace.  */
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/other-dev/net\"}")),
                    0);
  /* Unresolvable: denied, fail closed.  */
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/proc/999/ns/net\"}")),
                    1);
  assert_true (found_message (r, "cannot resolve"));
  /* Missing entirely.  */
  assert_int_equal (check (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"cgroup\"}")), 1);
  assert_true (found_message (r, "no `network` namespace"));
}

static void
test_namespaces_unknown_host (void **state)
{
  struct run *r = *state;

  r->host.ns[HOST_NS_NETWORK].known = false;
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/docker/netns/abc\"}")),
                    1);
  assert_true (found_message (r, "cannot compare"));
  /* A new namespace needs no comparison.  */
  assert_int_equal (check (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"network\"}")), 0);
}

/* ---- sensitive-mounts ---- */

#define BIND(src, dest, opts)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"mounts\":[{\"destination\":\"" dest "\",\"type\":\"bind\","         \
  "\"source\":\"" src "\",\"options\":[" opts "]}],"                                               \
  "\"annotations\":{\"io.kubernetes.cri.sandbox-uid\":\"u1\"}}"

static void
test_mounts_sockets (void **state)
{
  struct run *r = *state;

  /* Binding a parent directory exposes the sockets in it, through symlinks too.  */
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")), 1);
  assert_true (found_message (r, "engine socket"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/link-to-run", "/r", "\"rbind\"")),
                    1);
  assert_true (found_message (r, "engine socket"));
  /* By basename anywhere, even read-only.  */
  assert_int_equal (check (r, &rule_sensitive_mounts,
                           BIND ("/home/u/.docker/run/docker.sock", "/d", "\"rbind\",\"ro\"")),
                    1);
  assert_true (found_message (r, "read-only bind"));
  /* No engine-owned pattern can allow a socket.  */
  r->params.engine_owned_paths = (char *[]){ "/run", NULL };
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")), 1);
  r->params.engine_owned_paths = NULL;
  /* An explicitly empty socket list means none; /run is still a parent of /run/containerd.  */
  r->params.engine_sockets = (char *[]){ NULL };
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")), 1);
  assert_true (found_message (r, "sensitive host path"));
}

static void
test_mounts_sensitive (void **state)
{
  struct run *r = *state;

  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/link-to-etc/ssh", "/s", "")), 1);
  assert_true (found_message (r, "`/etc/ssh`"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/lib/modules", "/m", "\"ro\"")), 1);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/data", "/m", "")), 0);
  /* The pod's own kubelet directory, not another pod's, and no `..` escape.  */
  assert_int_equal (
      check (r, &rule_sensitive_mounts,
             BIND ("/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/c", "/c", "")),
      0);
  assert_int_equal (
      check (r, &rule_sensitive_mounts,
             BIND ("/var/lib/kubelet/pods/u2/volumes/kubernetes.io~empty-dir/c", "/c", "")),
      1);
  assert_int_equal (
      check (r, &rule_sensitive_mounts,
             BIND ("/var/lib/kubelet/pods/u1/volumes/../../../../../../etc", "/c", "")),
      1);
  /* A custom sensitive list replaces the default.  */
  r->params.sensitive_paths = (char *[]){ "/srv/secret", NULL };
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/etc", "/e", "")), 0);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv", "/e", "")), 1);
  r->params.sensitive_paths = NULL;
}

static void
test_mounts_engine_owned_fields (void **state)
{
  struct run *r = *state;

  r->params.engine_owned_paths = (char *[]){ "/usr/bin/tini dest=/init ro", "/etc/x bogus", NULL };
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "\"ro\"")),
                    0);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "//init/", "\"ro\"")),
                    0);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "")), 1);
  assert_int_equal (
      check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "\"ro\",\"rw\"")), 1);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/sbin/x", "\"ro\"")),
                    1);
  /* An entry with an unknown field allows nothing.  */
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/etc/x", "/x", "")), 1);
  r->params.engine_owned_paths = NULL;
}

/* ---- mount-propagation ---- */

static void
test_propagation_rewrite_records (void **state)
{
  struct run *r = *state;
  cleanup_spec struct spec *spec
      = load ("{\"ociVersion\":\"1.0.2\",\"mounts\":[{\"destination\":\"/a\",\"type\":\"bind\","
              "\"source\":\"/srv\",\"options\":[\"rbind\",\"rshared\"]}],"
              "\"linux\":{\"rootfsPropagation\":\"shared\"}}",
              SPEC_CONFIG);
  cleanup_error ocg_error_t err = NULL;
  struct rule_ctx ctx = { spec, &r->params, &r->host, &rule_mount_propagation };
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

/* ---- devices ---- */

#define DEVICES(nodes, rules)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"devices\":[" nodes "],\"resources\":{\"devices\":["      \
  "{\"allow\":false,\"access\":\"rwm\"}," rules "]}}}"
#define FUSE_NODE "{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}"
#define FUSE_RULE "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}"

static void
test_devices_allowlist (void **state)
{
  struct run *r = *state;

  assert_int_equal (check (r, &rule_devices, DEVICES (FUSE_NODE, FUSE_RULE)), 2);
  r->params.device_allow = (char *[]){ "/dev/fuse c 10:229", "/dev/nvidia*", NULL };
  assert_int_equal (check (r, &rule_devices, DEVICES (FUSE_NODE, FUSE_RULE)), 0);
  /* The allowlisted path with other numbers is another device.  */
  assert_int_equal (
      check (r, &rule_devices,
             DEVICES ("{\"path\":\"/dev/fuse\",\"type\":\"b\",\"major\":8,\"minor\":0}",
                      "{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,"
                      "\"access\":\"rw\"}")),
      2);
  /* A cgroup rule needs its node: the rule alone is not allowlisted.  */
  assert_int_equal (check (r, &rule_devices, DEVICES ("", FUSE_RULE)), 1);
  /* Path-only entries allow any numbers at that path; wildcard rules are never allowlisted.  */
  assert_int_equal (check (r, &rule_devices,
                           DEVICES ("{\"path\":\"/dev/nvidia0\",\"type\":\"c\",\"major\":195,"
                                    "\"minor\":0}",
                                    "{\"allow\":true,\"type\":\"c\",\"major\":195,\"minor\":0,"
                                    "\"access\":\"rw\"}")),
                    0);
  assert_int_equal (
      check (r, &rule_devices,
             DEVICES ("{\"path\":\"/dev/nvidia0\",\"type\":\"c\",\"major\":195,"
                      "\"minor\":0}",
                      "{\"allow\":true,\"type\":\"c\",\"major\":195,\"access\":\"rw\"}")),
      1);
  r->params.device_allow = NULL;
}

static void
test_devices_update_document (void **state)
{
  struct run *r = *state;

  assert_int_equal (check_kind (r, &rule_devices,
                                "{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}",
                                SPEC_RESOURCES),
                    1);
  assert_string_equal (r->found.items[0].path, "/devices/0");
  assert_int_equal (check_kind (r, &rule_devices,
                                "{\"memory\":{\"limit\":1048576},\"devices\":[{\"allow\":false,"
                                "\"access\":\"rwm\"}]}",
                                SPEC_RESOURCES),
                    0);
}

static void
test_devices_many_listed_briefly (void **state)
{
  struct run *r = *state;

  assert_int_equal (check (r, &rule_devices,
                           DEVICES ("{\"path\":\"/dev/a\",\"type\":\"c\",\"major\":10,\"minor\":1},"
                                    "{\"path\":\"/dev/b\",\"type\":\"c\",\"major\":10,\"minor\":2},"
                                    "{\"path\":\"/dev/c\",\"type\":\"c\",\"major\":10,\"minor\":3},"
                                    "{\"path\":\"/dev/d\",\"type\":\"c\",\"major\":10,\"minor\":4},"
                                    "{\"path\":\"/dev/e\",\"type\":\"c\",\"major\":10,\"minor\":5},"
                                    "{\"path\":\"/dev/f\",\"type\":\"c\",\"major\":10,\"minor\":6}",
                                    "{\"allow\":true,\"access\":\"rwm\"}")),
                    2);
  assert_true (found_message (r, "and 2 more"));
  assert_true (found_message (r, "`a *:* rwm`"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pathmatch_clean),
    cmocka_unit_test (test_pathmatch_components),
    cmocka_unit_test_setup_teardown (test_namespaces_inodes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_namespaces_unknown_host, setup, teardown),
    cmocka_unit_test_setup_teardown (test_mounts_sockets, setup, teardown),
    cmocka_unit_test_setup_teardown (test_mounts_sensitive, setup, teardown),
    cmocka_unit_test_setup_teardown (test_mounts_engine_owned_fields, setup, teardown),
    cmocka_unit_test_setup_teardown (test_propagation_rewrite_records, setup, teardown),
    cmocka_unit_test_setup_teardown (test_devices_allowlist, setup, teardown),
    cmocka_unit_test_setup_teardown (test_devices_update_document, setup, teardown),
    cmocka_unit_test_setup_teardown (test_devices_many_listed_briefly, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
