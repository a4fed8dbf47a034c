/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the host-namespaces rule (policy/rules/namespaces.c) in the cases the fixture
 * driver (test_rules.c) cannot express: namespace inodes that differ only in st_dev, facts the host
 * could not provide, and joined namespaces -- a live container of the runtime root, pinned
 * namespace files, the mount namespace, the host's namespaces under another path, and races on
 * the path -- against the fake host (tests/unit/fake_host.c).  The real facts behind them:
 * test_hostfacts_ns.c.  */
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

extern const struct rule rule_host_namespaces;

/* ---- the host: the fake host plus a private netns and one on another device ---- */

static bool (*fake_ns_file) (const struct host_facts *, const char *, struct host_ns_file *);

/* The host's netns inode number, but on another device: another namespace (pinned).  */
static bool
other_dev_ns_file (const struct host_facts *host, const char *path, struct host_ns_file *f)
{
  if (strcmp (path, "/run/other-dev/net") != 0)
    return fake_ns_file (host, path, f);
  *f = (struct host_ns_file){
    .id = fake_host_ns (HOST_NS_NETWORK), .nsfs = true, .type = HOST_NS_NETWORK, .pinned = true
  };
  f->id.dev = FAKE_HOST_NS_DEV + 1;
  return true;
}

static void
netns_host_init (struct host_facts *host)
{
  fake_host_init (host);
  fake_host_add_ns_file ("/run/docker/netns/abc", HOST_NS_NETWORK, false);
  fake_ns_file = host->ns_file;
  host->ns_file = other_dev_ns_file;
}

static int
setup_netns (void **state)
{
  struct harness *r = harness_new ("baseline");

  netns_host_init (&r->host);
  *state = r;
  return 0;
}

/* ---- namespace identity ---- */

#define NS_CONFIG(net)                                                                             \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"},"  \
  "{\"type\":\"ipc\"},{\"type\":\"uts\"}," net "]}}"

static void
test_namespaces_inodes (void **state)
{
  struct harness *r = *state;

  assert_int_equal (
      harness_check_doc (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"network\"}")), 0);
  /* Docker's --net=host file, reached through the /var/run symlink.  */
  assert_int_equal (
      harness_check_doc (r, &rule_host_namespaces,
                         NS_CONFIG ("{\"type\":\"network\",\"path\":\"/var/run/docker/netns/"
                                    "default\"}")),
      1);
  assert_true (harness_found (r, "CIS 5.10"));
  assert_string_equal (r->found.items[0].path, "/linux/namespaces/4/path");
  assert_false (r->found.items[0].fixable);
  /* Another container's netns.  */
  assert_int_equal (
      harness_check_doc (r, &rule_host_namespaces,
                         NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/docker/netns/abc\"}")),
      0);
  /* Equal inode numbers on another device are another namespace.  */
  assert_int_equal (
      harness_check_doc (r, &rule_host_namespaces,
                         NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/other-dev/net\"}")),
      0);
  /* Unresolvable: denied, fail closed.  */
  assert_int_equal (
      harness_check_doc (r, &rule_host_namespaces,
                         NS_CONFIG ("{\"type\":\"network\",\"path\":\"/proc/999/ns/net\"}")),
      1);
  assert_true (harness_found (r, "cannot resolve"));
  /* Missing entirely.  */
  assert_int_equal (
      harness_check_doc (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"cgroup\"}")), 1);
  assert_true (harness_found (r, "no `network` namespace"));
}

static void
test_namespaces_unknown_host (void **state)
{
  struct harness *r = *state;

  r->host.ns[HOST_NS_NETWORK].known = false;
  assert_int_equal (
      harness_check_doc (r, &rule_host_namespaces,
                         NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/docker/netns/abc\"}")),
      1);
  assert_true (harness_found (r, "cannot compare"));
  /* A new namespace needs no comparison.  */
  assert_int_equal (
      harness_check_doc (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"network\"}")), 0);
}

/* ---- joined namespaces ---- */

/* Check `json` with `rule` as a call with runtime root `root` (NULL: none known).  */
static size_t
check_root (struct harness *r, const struct rule *rule, const char *json, const char *root)
{
  return harness_check_call (r, rule, json, &(struct call){ .runtime_root = root });
}

/* The four required namespaces that are not network, then `net` (one entry, JSON).  */
#define NS(net)                                                                                    \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"},"  \
  "{\"type\":\"ipc\"},{\"type\":\"uts\"}," net "]}}"
#define NET(path) NS ("{\"type\":\"network\",\"path\":\"" path "\"}")

static void
test_ns_container_of_the_root (void **state)
{
  struct harness *r = *state;

  /* A pod's pause (a live container of containerd's root): allowed only under that root.  */
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/proc/7471/ns/net"), FAKE_CRI_ROOT),
                    0);
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/proc/7471/ns/net"), "/run/runc"),
                    1);
  assert_true (harness_found (
      r, "is not the namespace of a live container of the runtime root `/run/runc`"));
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/proc/7471/ns/net"), NULL), 1);
  assert_true (harness_found (r, "no runtime root is known"));
  /* A host daemon's private netns: a process, but no container's init.  */
  fake_host_add_ns_file ("/proc/4242/ns/net", HOST_NS_NETWORK, false);
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/proc/4242/ns/net"), FAKE_CRI_ROOT),
                    1);
  assert_true (harness_found (r, "`/proc/4242/ns/net` is not the namespace of a live container"));
  /* /proc/<pid>/ns/<kind> only with the kind's own name and a real pid.  */
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/proc/7471/ns/ipc"), FAKE_CRI_ROOT),
                    1);
  assert_true (harness_found (r, "outside /proc other than /proc/<pid>/ns/<kind>"));
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/proc/self/ns/net"), FAKE_CRI_ROOT),
                    1);
  assert_int_equal (
      check_root (r, &rule_host_namespaces, NET ("/proc/07471/ns/net"), FAKE_CRI_ROOT), 1);
}

static void
test_ns_pinned (void **state)
{
  struct harness *r = *state;

  /* CNI's pod netns before the pause starts: pinned, nobody in it.  */
  fake_host_add_ns_file ("/run/netns/cni-1", HOST_NS_NETWORK, false);
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/var/run/netns/cni-1"), NULL), 0);
  /* An `ip netns` a host service runs in.  */
  fake_host_add_ns_file ("/proc/4343/ns/net", HOST_NS_NETWORK, false);
  fake_host_add_ns_alias ("/run/netns/vpn", "/proc/4343/ns/net");
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/run/netns/vpn"), FAKE_CRI_ROOT),
                    1);
  assert_true (harness_found (r, "process 4343 is in it"));
  /* CRI-O's pinned file once the infra runs in it: the infra is a container of the root.  */
  fake_host_add_ns_alias ("/run/netns/crio-pod", "/proc/7471/ns/net");
  assert_int_equal (
      check_root (r, &rule_host_namespaces, NET ("/run/netns/crio-pod"), FAKE_CRI_ROOT), 0);
  /* Not a namespace at all, or one of another kind.  */
  fake_host_add_file ("/run/netns/plain", 65024, 77);
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/run/netns/plain"), NULL), 1);
  assert_true (harness_found (r, "is not a namespace file"));
  fake_host_add_ns_file ("/run/ipcns/x", HOST_NS_IPC, false);
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/run/ipcns/x"), NULL), 1);
  assert_true (harness_found (r, "a namespace of another kind"));
}

static void
test_ns_mount_never (void **state)
{
  struct harness *r = *state;
  const char *json = "{\"ociVersion\":\"1.0.2\",\"linux\":{\"namespaces\":[{\"type\":\"mount\","
                     "\"path\":\"/proc/7471/ns/mnt\"},{\"type\":\"pid\"},{\"type\":\"ipc\"},"
                     "{\"type\":\"uts\"},{\"type\":\"network\"}]}}";

  /* Even the mount namespace of a container of the same root.  */
  fake_host_add_ns_file ("/proc/7471/ns/mnt", HOST_NS_MOUNT, false);
  assert_int_equal (check_root (r, &rule_host_namespaces, json, FAKE_CRI_ROOT), 1);
  assert_true (harness_found (r, "joining the mount namespace `/proc/7471/ns/mnt`"));
}

static void
test_ns_host_by_path (void **state)
{
  struct harness *r = *state;

  /* A required kind: the host's, denied.  */
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/proc/1/ns/net"), FAKE_CRI_ROOT),
                    1);
  assert_true (harness_found (r, "is the host's (CIS 5.10)"));
  /* user and cgroup are not required: the host's by path is the same as no entry.  */
  assert_int_equal (check_root (r, &rule_host_namespaces,
                                NS ("{\"type\":\"network\"},{\"type\":\"user\",\"path\":\"/proc/1/"
                                    "ns/user\"},{\"type\":\"cgroup\",\"path\":\"/proc/1/ns/"
                                    "cgroup\"}"),
                                NULL),
                    0);
  /* ... but another process's user namespace is judged like any other.  */
  fake_host_add_ns_file ("/proc/4444/ns/user", HOST_NS_USER, false);
  assert_int_equal (check_root (r, &rule_host_namespaces,
                                NS ("{\"type\":\"network\"},{\"type\":\"user\",\"path\":\"/proc/"
                                    "4444/ns/user\"}"),
                                FAKE_CRI_ROOT),
                    1);
  assert_true (harness_found (r, "the `user` namespace `/proc/4444/ns/user` is not the namespace"));
}

static void
test_ns_path_races (void **state)
{
  struct harness *r = *state;

  fake_host_add_ns_file ("/srv/shared/netns", HOST_NS_NETWORK, false);
  fake_host_add_untrusted ("/srv/shared");
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/srv/shared/netns"), NULL), 1);
  assert_true (harness_found (r, "could be swapped before the runtime opens it"));
  /* Through a container's root, or any other /proc path.  */
  assert_int_equal (
      check_root (r, &rule_host_namespaces, NET ("/proc/7471/root/run/netns/x"), NULL), 1);
  assert_true (harness_found (r, "outside /proc"));
  /* A name whose canonical form is another file (a magic link on the way).  */
  fake_host_add_ns_file ("/run/alias/netns", HOST_NS_NETWORK, false);
  fake_host_add_alias ("/run/alias");
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/run/alias/netns"), NULL), 1);
  assert_true (harness_found (r, "leads through /proc"));
  /* Not clean.  */
  assert_int_equal (check_root (r, &rule_host_namespaces, NET ("/run/netns/../netns/x"), NULL), 1);
}

/* ---- the ceiling on namespace entries ---- */

/* A namespaces list of `n` entries: the five required kinds, then n - 5 of the given JSON.  */
static char *
ns_list (size_t n, const char *(*entry) (size_t i))
{
  size_t cap = 256 + n * 64, len = 0;
  char *s = xmalloc (cap);

  len += (size_t)snprintf (s, cap,
                           "{\"ociVersion\":\"1.0.2\",\"linux\":{\"namespaces\":["
                           "{\"type\":\"mount\"},{\"type\":\"pid\"},{\"type\":\"ipc\"},"
                           "{\"type\":\"uts\"},{\"type\":\"network\"}");
  for (size_t i = 5; i < n; i++)
    len += (size_t)snprintf (s + len, cap - len, ",%s", entry (i));
  snprintf (s + len, cap - len, "]}}");
  return s;
}

static const char *
entry_unknown (size_t i)
{
  static char buf[32];
  snprintf (buf, sizeof (buf), "{\"type\":\"x%zu\"}", i);
  return buf;
}

static const char *
entry_mixed (size_t i)
{
  return i % 2 ? "{\"type\":\"network\"}" : "{\"type\":\"nope\"}";
}

static void
test_ns_dos (void **state)
{
  struct harness *r = *state;
  cleanup_free char *huge = ns_list (40005, entry_unknown);
  cleanup_free char *huger = ns_list (150005, entry_mixed);
  cleanup_free char *limit = ns_list (64, entry_mixed);

  /* The red team's documents are refused at load, before any rule.  */
  harness_refused (huge, "$.linux.namespaces has 40005 entries; ocigate judges at most 64 there");
  harness_refused (huger, "$.linux.namespaces has 150005 entries");
  /* At the ceiling: one finding for the repeated kind and one for all unknown types.  */
  assert_int_equal (check_root (r, &rule_host_namespaces, limit, NULL), 2);
  assert_true (harness_found (r, "the `network` namespace is listed twice (entries 4 and 5)"));
  assert_true (
      harness_found (r, "29 namespace entries have a type runc and crun do not know (the first "
                        "is `nope`)"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_namespaces_inodes, setup_netns, harness_teardown),
    cmocka_unit_test_setup_teardown (test_namespaces_unknown_host, setup_netns, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_container_of_the_root, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_pinned, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_mount_never, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_host_by_path, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_path_races, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_dos, harness_setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
