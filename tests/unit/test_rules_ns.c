/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for joined namespaces (rules/namespaces.c), dockerd's identity (rules/hooks.c) and
 * the bounds on judging (schema.c ceilings, one-pass rules), against the fake host
 * (tests/unit/fake_host.c) plus per-test entries.  The real facts behind them:
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
extern const struct rule rule_hooks;
extern const struct rule rule_capabilities;

/* Check `json` with `rule` as a call with runtime root `root` (NULL: none known).  */
static size_t
check_root (struct harness *r, const struct rule *rule, const char *json, const char *root)
{
  cleanup_spec struct spec *spec = harness_load (json, SPEC_CONFIG);
  size_t n;

  r->call.runtime_root = root;
  n = harness_check (r, rule, spec);
  r->call = (struct call){ 0 };
  return n;
}

/* ---- host-namespaces: joined namespaces ---- */

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
assert_refused (const char *json, const char *needle)
{
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec = spec_load_buffer (json, strlen (json), "config.json", SPEC_CONFIG, &err);

  if (spec != NULL)
    {
      spec_free (spec);
      fail_msg ("loaded a document that must be refused (%s)", needle);
    }
  print_message ("# %s\n", err->msg);
  if (strstr (err->msg, needle) == NULL)
    fail_msg ("`%s` does not say `%s`", err->msg, needle);
}

static void
test_ns_dos (void **state)
{
  struct harness *r = *state;
  cleanup_free char *huge = ns_list (40005, entry_unknown);
  cleanup_free char *huger = ns_list (150005, entry_mixed);
  cleanup_free char *limit = ns_list (64, entry_mixed);

  /* The red team's documents are refused at load, before any rule.  */
  assert_refused (huge, "$.linux.namespaces has 40005 entries; ocigate judges at most 64 there");
  assert_refused (huger, "$.linux.namespaces has 150005 entries");
  /* At the ceiling: one finding for the repeated kind and one for all unknown types.  */
  assert_int_equal (check_root (r, &rule_host_namespaces, limit, NULL), 2);
  assert_true (harness_found (r, "the `network` namespace is listed twice (entries 4 and 5)"));
  assert_true (
      harness_found (r, "29 namespace entries have a type runc and crun do not know (the first "
                        "is `nope`)"));
}

/* ---- hooks: dockerd's identity ---- */

#define SETKEY(pid, root)                                                                          \
  "{\"path\":\"/proc/" pid "/exe\",\"args\":[\"libnetwork-setkey\",\"-exec-root=" root "\","       \
  "\"e32c4cebb14f903c41b876500e200b7620a09f5640153d4be4551dd8cec7a53e\",\"6236a7a5e2b4\"]}"
#define HOOKS(list) "{\"ociVersion\":\"1.0.2\",\"hooks\":{\"prestart\":[" list "]}}"

static void
test_hooks_dockerd_identity (void **state)
{
  struct harness *r = *state;

  /* The engine's dockerd, also with an exec-root Go's filepath.Join would clean.  */
  assert_int_equal (check_root (r, &rule_hooks, HOOKS (SETKEY ("7317", "/var/run/docker")), NULL),
                    0);
  assert_int_equal (check_root (r, &rule_hooks, HOOKS (SETKEY ("7317", "/var/run//docker/")), NULL),
                    0);
  /* A process at /usr/bin/dockerd in another container: readlink says dockerd, stat does not.  */
  fake_host_add_link ("/proc/8001/exe", "/usr/bin/dockerd");
  fake_host_add_file ("/proc/8001/exe", 70, 1234);
  fake_host_add_ns_file ("/proc/8001/ns/mnt", HOST_NS_MOUNT, false);
  assert_int_equal (check_root (r, &rule_hooks, HOOKS (SETKEY ("8001", "/var/run/docker")), NULL),
                    1);
  assert_true (
      harness_found (r, "is not a running dockerd: its executable is not an installed dockerd"));
  /* The installed binary, run in another mount namespace.  */
  fake_host_add_file ("/proc/8002/exe", FAKE_ROOTFS_DEV, 933920);
  fake_host_add_ns_file ("/proc/8002/ns/mnt", HOST_NS_MOUNT, false);
  assert_int_equal (check_root (r, &rule_hooks, HOOKS (SETKEY ("8002", "/var/run/docker")), NULL),
                    1);
  assert_true (harness_found (r, "it runs in another mount namespace than the host's"));
  /* The installed binary in the host's mount namespace, not the daemon of that socket.  */
  fake_host_add_file ("/proc/8003/exe", FAKE_ROOTFS_DEV, 933920);
  fake_host_add_ns_file ("/proc/8003/ns/mnt", HOST_NS_MOUNT, true);
  assert_int_equal (check_root (r, &rule_hooks, HOOKS (SETKEY ("8003", "/var/run/docker")), NULL),
                    1);
  assert_true (
      harness_found (r, "it does not listen on `/var/run/docker/libnetwork/6236a7a5e2b4.sock`"));
  /* The real dockerd, but another exec-root than the one it listens under.  */
  assert_int_equal (check_root (r, &rule_hooks, HOOKS (SETKEY ("7317", "/tmp/x")), NULL), 1);
  /* A process that is gone.  */
  assert_int_equal (check_root (r, &rule_hooks, HOOKS (SETKEY ("9999", "/var/run/docker")), NULL),
                    1);
  assert_true (harness_found (r, "no such process"));
}

static unsigned listener_calls;
static bool (*fake_listener) (const struct host_facts *, pid_t, const char *);

static bool
counting_listener (const struct host_facts *host, pid_t pid, const char *path)
{
  listener_calls++;
  return fake_listener (host, pid, path);
}

static void
test_hooks_one_setkey_judged (void **state)
{
  struct harness *r = *state;
  size_t cap = 256 * 256, len = 0;
  cleanup_free char *json = xmalloc (cap);

  len += (size_t)snprintf (json, cap, "{\"ociVersion\":\"1.0.2\",\"hooks\":{\"prestart\":[");
  for (int i = 0; i < 256; i++)
    len += (size_t)snprintf (json + len, cap - len, "%s" SETKEY ("7317", "/var/run/docker"),
                             i ? "," : "");
  snprintf (json + len, cap - len, "]}}");
  fake_listener = r->host.unix_listener;
  r->host.unix_listener = counting_listener;
  listener_calls = 0;
  assert_int_equal (check_root (r, &rule_hooks, json, NULL), 255);
  assert_int_equal (listener_calls, 1);
  assert_true (harness_found (r, "dockerd writes only one such hook"));
}

/* ---- capabilities: unknown names ---- */

/* Every set holds `per_set` names: CAP_NOPE_<i> (unknown), or CAP_CHOWN repeated.  */
static char *
caps_doc (size_t per_set, bool unknown)
{
  static const char *const sets[]
      = { "bounding", "effective", "permitted", "inheritable", "ambient" };
  size_t cap = 1024 + per_set * 5 * 32, len = 0;
  char *s = xmalloc (cap);

  len += (size_t)snprintf (s, cap, "{\"ociVersion\":\"1.0.2\",\"process\":{\"capabilities\":{");
  for (size_t k = 0; k < ARRAY_SIZE (sets); k++)
    {
      len += (size_t)snprintf (s + len, cap - len, "%s\"%s\":[", k ? "," : "", sets[k]);
      for (size_t i = 0; i < per_set; i++)
        {
          if (unknown)
            len += (size_t)snprintf (s + len, cap - len, "%s\"CAP_NOPE_%zu\"", i ? "," : "", i);
          else
            len += (size_t)snprintf (s + len, cap - len, "%s\"CAP_CHOWN\"", i ? "," : "");
        }
      len += (size_t)snprintf (s + len, cap - len, "]");
    }
  snprintf (s + len, cap - len, "}}}");
  return s;
}

static void
test_caps_dos (void **state)
{
  struct harness *r = *state;
  cleanup_free char *huge = caps_doc (30000, true);
  cleanup_free char *limit = caps_doc (256, true);
  cleanup_free char *repeated = caps_doc (256, false);

  assert_refused (huge, "$.process.capabilities.bounding has 30000 entries; ocigate judges at "
                        "most 256 there");
  /* At the ceiling: one finding, eight names quoted, every entry counted.  */
  assert_int_equal (check_root (r, &rule_capabilities, limit, NULL), 1);
  assert_true (harness_found (r, "1280 unknown capability names (`CAP_NOPE_0`, `CAP_NOPE_1`"));
  assert_true (harness_found (r, "`CAP_NOPE_7`, ...) are ignored"));
  assert_false (harness_found (r, "CAP_NOPE_8"));
  assert_int_equal (check_root (r, &rule_capabilities, repeated, NULL), 1);
  assert_false (harness_found (r, "unknown capability"));
}

/* ---- every array a rule iterates over has a ceiling ---- */

/* A document with `n` copies of `elem` at `where` (a prefix that opens the array or map, and the
 * suffix that closes the document).  */
static char *
repeated_doc (const char *prefix, const char *elem, const char *suffix, size_t n, bool map)
{
  size_t cap = strlen (prefix) + strlen (suffix) + n * (strlen (elem) + 24) + 1, len = 0;
  char *s = xmalloc (cap);

  len += (size_t)snprintf (s, cap, "%s", prefix);
  for (size_t i = 0; i < n; i++)
    {
      if (map)
        len += (size_t)snprintf (s + len, cap - len, "%s\"k%zu\":", i ? "," : "", i);
      else if (i)
        s[len++] = ',';
      len += (size_t)snprintf (s + len, cap - len, "%s", elem);
    }
  snprintf (s + len, cap - len, "%s", suffix);
  return s;
}

static void
test_counts (void **state)
{
  static const struct
  {
    const char *field, *prefix, *elem, *suffix;
    size_t max;
    bool map;
  } table[] = {
    { "$.mounts", "{\"mounts\":[", "{\"destination\":\"/m\",\"type\":\"tmpfs\"}", "]}", 4096,
      false },
    { "$.mounts[0].options", "{\"mounts\":[{\"destination\":\"/m\",\"options\":[", "\"ro\"", "]}]}",
      256, false },
    { "$.linux.devices", "{\"linux\":{\"devices\":[", "{\"path\":\"/dev/x\"}", "]}}", 65536,
      false },
    { "$.linux.resources.devices", "{\"linux\":{\"resources\":{\"devices\":[", "{\"allow\":false}",
      "]}}}", 4096, false },
    { "$.process.rlimits", "{\"process\":{\"rlimits\":[", "{\"type\":\"RLIMIT_NOFILE\"}", "]}}",
      256, false },
    { "$.hooks.prestart", "{\"hooks\":{\"prestart\":[", "{\"path\":\"/x\"}", "]}}", 256, false },
    { "$.hooks.poststop[0].args", "{\"hooks\":{\"poststop\":[{\"path\":\"/x\",\"args\":[", "\"a\"",
      "]}]}}", 4096, false },
    { "$.linux.sysctl", "{\"linux\":{\"sysctl\":{", "\"1\"", "}}}", 1024, true },
    { "$.annotations", "{\"annotations\":{", "\"\"", "}}", 16384, true },
    { "$.linux.maskedPaths", "{\"linux\":{\"maskedPaths\":[", "\"/p\"", "]}}", 1024, false },
    { "$.linux.readonlyPaths", "{\"linux\":{\"readonlyPaths\":[", "\"/p\"", "]}}", 1024, false },
    { "$.linux.seccomp.syscalls", "{\"linux\":{\"seccomp\":{\"syscalls\":[",
      "{\"names\":[\"read\"]}", "]}}}", 8192, false },
    { "$.linux.seccomp.syscalls[0].names", "{\"linux\":{\"seccomp\":{\"syscalls\":[{\"names\":[",
      "\"read\"", "]}]}}}", 4096, false },
    { "$.linux.seccomp.syscalls[0].args", "{\"linux\":{\"seccomp\":{\"syscalls\":[{\"args\":[",
      "{\"index\":0}", "]}]}}}", 64, false },
    { "$.linux.seccomp.architectures", "{\"linux\":{\"seccomp\":{\"architectures\":[",
      "\"SCMP_ARCH_X86\"", "]}}}", 64, false },
    { "$.linux.uidMappings", "{\"linux\":{\"uidMappings\":[", "{\"size\":1}", "]}}", 1024, false },
    { "$.process.user.additionalGids", "{\"process\":{\"user\":{\"additionalGids\":[", "0", "]}}}",
      65536, false },
    { "$.process.capabilities.ambient", "{\"process\":{\"capabilities\":{\"ambient\":[",
      "\"CAP_CHOWN\"", "]}}}", 256, false },
    { "$.linux.namespaces", "{\"linux\":{\"namespaces\":[", "{\"type\":\"ipc\"}", "]}}", 64,
      false },
    { "$.process", "{\"process\":{", "0", "}}", 256, true },
  };
  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    {
      cleanup_free char *at = repeated_doc (table[i].prefix, table[i].elem, table[i].suffix,
                                            table[i].max, table[i].map);
      cleanup_free char *over = repeated_doc (table[i].prefix, table[i].elem, table[i].suffix,
                                              table[i].max + 1, table[i].map);
      cleanup_free char *want = xasprintf ("%s has %zu entries; ocigate judges at most %zu there",
                                           table[i].field, table[i].max + 1, table[i].max);
      cleanup_error ocg_error_t err = NULL;
      struct spec *spec = spec_load_buffer (at, strlen (at), "config.json", SPEC_CONFIG, &err);

      print_message ("# %s: %zu\n", table[i].field, table[i].max);
      /* At the ceiling the count is no reason to refuse (another field may still be one).  */
      if (spec == NULL && strstr (err->msg, "entries; ocigate judges at most") != NULL)
        fail_msg ("%s at its ceiling refused: %s", table[i].field, err->msg);
      spec_free (spec);
      assert_refused (over, want);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_ns_container_of_the_root, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_pinned, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_mount_never, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_host_by_path, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_path_races, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_ns_dos, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_hooks_dockerd_identity, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_hooks_one_setkey_judged, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_caps_dos, harness_setup, harness_teardown),
    cmocka_unit_test (test_counts),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
