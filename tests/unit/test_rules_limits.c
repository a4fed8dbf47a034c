/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for what the resource-limits and devices rules judge by what the runtime really
 * does: `runc update` documents as runc and crun apply them (zeros and members runc ignores are
 * dropped, -1 and limits above the policy or the host are refused), limits above what the host
 * has, the rlimits of an exec process, crun's --cgroup-manager=disabled, limits a rootless
 * runtime cannot set, and device entries under a user namespace (binds of host files).  The
 * host facts of that group (hostfacts.h, "Resources and devices") are set here per test.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "policy.h"
#include "util.h"

extern const struct rule rule_resource_limits;
extern const struct rule rule_devices;

#define GIB (1024ULL * 1024 * 1024)

/* ---- the host ---- */

/* Host device files for device_at: path, type, rdev.  */
static const struct
{
  const char *path;
  mode_t type;
  unsigned major, minor;
} host_files[] = {
  { "/dev/null", S_IFCHR, 1, 3 },   { "/dev/zero", S_IFCHR, 1, 5 },
  { "/dev/tty", S_IFCHR, 5, 0 },    { "/dev/fuse", S_IFCHR, 10, 229 },
  { "/dev/sda", S_IFBLK, 8, 0 },    { "/dev/pts/3", S_IFCHR, 136, 3 },
  { "/etc/shadow", S_IFREG, 0, 0 }, { "/dev/kvm", S_IFCHR, 10, 232 },
};

static bool
fake_device_at (const struct host_facts *host, const char *path, mode_t *type, dev_t *rdev)
{
  for (size_t i = 0; i < ARRAY_SIZE (host_files); i++)
    if (str_eq (host_files[i].path, path))
      {
        *type = host_files[i].type;
        *rdev = makedev (host_files[i].major, host_files[i].minor);
        return true;
      }
  return false;
}

/* A rootless runtime on cgroup v1 without a delegated cgroup.  */
static char *
fake_unsettable (const struct host_facts *host, const char *controller)
{
  return xasprintf ("rootless, cannot create a %s cgroup", controller);
}

/* A caller without CAP_SYS_RESOURCE whose NOFILE hard limit is 20000.  */
static bool
fake_ceiling (const struct host_facts *host, const char *type, unsigned long long *hard)
{
  if (strcmp (type, "RLIMIT_NOFILE") != 0)
    return false;
  *hard = 20000;
  return true;
}

static int
setup (void **state)
{
  struct harness *r = harness_new ("baseline");

  /* This VM: 24 GiB, pid_max 32768.  */
  r->host.memory_total = 24 * GIB;
  r->host.pid_max = 32768;
  r->host.device_at = fake_device_at;
  *state = r;
  return 0;
}

/* Findings that are not notes; *fixable gets how many of them the rewrite can fix.  */
static size_t
check_spec (struct harness *r, const struct rule *rule, const struct spec *spec, size_t *fixable)
{
  size_t n = harness_check (r, rule, spec), fixed = 0;

  for (size_t i = 0; i < r->found.n; i++)
    fixed += !r->found.items[i].note && r->found.items[i].fixable;
  if (fixable != NULL)
    *fixable = fixed;
  return n;
}

static size_t
check_json (struct harness *r, const struct rule *rule, const char *json, enum spec_kind kind,
            size_t *fixable)
{
  cleanup_spec struct spec *spec = harness_load (json, kind);
  return check_spec (r, rule, spec, fixable);
}

/* Rewrite (harness_rewrite); the document then equals `want`.  */
static void
rewrite_to (struct harness *r, const struct rule *rule, struct spec *spec, const char *want)
{
  cleanup_spec struct spec *expected = harness_load (want, spec->kind);

  harness_rewrite (r, rule, spec);
  if (!json_equal (spec->root, expected->root))
    {
      cleanup_free char *got = json_serialize (spec->root, NULL, NULL);
      fail_msg ("rewrite gave %s, expected %s", got, want);
    }
}

/* ---- `runc update --resources` ---- */

/* dockerd 20.10 daemon/update_linux.go toContainerdResources for `docker update --cpus 0.5` on a
 * container started without limits: every limit Docker does not know is 0.  */
#define DOCKER_UPDATE_CPUS                                                                         \
  "{\"memory\":{\"limit\":0,\"reservation\":0,\"kernel\":0},\"cpu\":{\"shares\":0,\"cpus\":\"\","  \
  "\"mems\":\"\",\"period\":100000,\"quota\":50000,\"realtimeRuntime\":0,\"realtimePeriod\":0},"   \
  "\"blockIO\":{\"weight\":0}}"

/* The CRI shape: every member present, zeros for what the kubelet did not set, and the devices
 * and hugepages of the container's spec.  */
#define CRI_UPDATE(memory, pids)                                                                   \
  "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],\"memory\":{\"limit\":" memory              \
  ",\"reservation\":0,\"swap\":0,\"kernel\":0,\"kernelTCP\":0,\"swappiness\":0,"                   \
  "\"disableOOMKiller\":false},\"cpu\":{\"shares\":2,\"quota\":0,\"period\":0,"                    \
  "\"realtimeRuntime\":0,\"realtimePeriod\":0,\"cpus\":\"\",\"mems\":\"\"},\"pids\":{"             \
  "\"limit\":" pids "},\"blockIO\":{\"weight\":0},\"hugepageLimits\":[],\"unified\":{}}"

static void
test_update_docker_zeros_dropped (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (DOCKER_UPDATE_CPUS, SPEC_RESOURCES);
  size_t fixable = 0;

  /* Before: `memory.limit: 0` was read as "removes the memory limit" and denied.  */
  assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 1);
  assert_int_equal (fixable, 1);
  assert_true (harness_said (r, "`/memory`", false, HARNESS_ANY));
  rewrite_to (r, &rule_resource_limits, spec, "{\"cpu\":{\"period\":100000,\"quota\":50000}}");
  /* Recorded: the memory and blockIO sections and the zero cpu members, removed.  */
  {
    cleanup_free char *patch = spec_patch_json (spec);
    print_message ("# patch %s\n", patch);
    assert_non_null (strstr (patch, "\"path\": \"/memory\"\n"));
    assert_non_null (strstr (patch, "\"path\": \"/cpu/shares\"\n"));
    assert_null (strstr (patch, "\"add\""));
    assert_null (strstr (patch, "\"replace\""));
  }
}

static void
test_update_docker_memory_kept (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec
      = harness_load ("{\"memory\":{\"limit\":1073741824,\"reservation\":0,\"kernel\":0,\"swap\":"
                      "1073741824},\"cpu\":{\"shares\":0,\"quota\":0,\"period\":0}}",
                      SPEC_RESOURCES);

  assert_int_equal (check_spec (r, &rule_resource_limits, spec, NULL), 1);
  rewrite_to (r, &rule_resource_limits, spec,
              "{\"memory\":{\"limit\":1073741824,\"swap\":1073741824}}");
}

static void
test_update_cri_shape (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (CRI_UPDATE ("0", "0"), SPEC_RESOURCES);
  size_t fixable = 0;

  assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 1);
  assert_int_equal (fixable, 1);
  rewrite_to (r, &rule_resource_limits, spec, "{\"cpu\":{\"shares\":2},\"unified\":{}}");

  /* A real new limit stays; -1, above the policy maximum, above the host: refused.  */
  assert_int_equal (check_json (r, &rule_resource_limits, CRI_UPDATE ("536870912", "0"),
                                SPEC_RESOURCES, &fixable),
                    1);
}

static void
test_update_refusals (void **state)
{
  struct harness *r = *state;
  static const struct
  {
    const char *memory, *pids, *message;
  } cases[] = {
    { "-1", "0", "update sets the memory limit to `-1`, removing it" },
    { "0", "-1", "update sets the pids limit to `-1`, removing it" },
    { "0", "-5", "update sets the pids limit to `-5`, removing it" },
    { "9223372036854771712", "0",
      "update sets the memory limit to `9223372036854771712`, above the host's memory (MemTotal) "
      "(25769803776): not a limit" },
    { "0", "99999",
      "update sets the pids limit to `99999`, above the host's kernel.pid_max (32768): not a "
      "limit" },
  };

  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      cleanup_free char *doc = NULL;
      size_t fixable = 0;

      doc = xasprintf (CRI_UPDATE ("%s", "%s"), cases[i].memory, cases[i].pids);
      {
        cleanup_spec struct spec *spec = harness_load (doc, SPEC_RESOURCES);
        /* The refusal, plus the fixable drop of the zeros.  */
        assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 2);
        assert_int_equal (fixable, 1);
        assert_true (harness_said (r, cases[i].message, false, HARNESS_ANY));
      }
    }
  /* Above the policy maximum.  */
  harness_param (r, "resource-limits", "memory_max", HARNESS_NUMBER (1073741824));
  {
    cleanup_spec struct spec *spec
        = harness_load ("{\"memory\":{\"limit\":1073741825}}", SPEC_RESOURCES);
    assert_int_equal (check_spec (r, &rule_resource_limits, spec, NULL), 1);
    assert_true (harness_said (r, "above the policy maximum `1073741824`", false, HARNESS_ANY));
  }
}

/* ---- limits above what the host has, at create ---- */

#define CONFIG(res)                                                                                \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"rlimits\":[{\"type\":" \
  "\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}]},\"linux\":{\"resources\":" res "}}"

static void
test_config_above_host_is_no_limit (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (
      CONFIG ("{\"memory\":{\"limit\":9223372036854771712},\"pids\":{\"limit\":99999},\"cpu\":{"
              "\"shares\":2}}"),
      SPEC_CONFIG);
  size_t fixable = 0;

  assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 2);
  assert_int_equal (fixable, 2);
  assert_true (harness_said (r, "is above the host's memory (MemTotal), 25769803776: not a limit",
                             false, HARNESS_ANY));
  assert_true (harness_said (r, "is above the host's kernel.pid_max, 32768: not a limit", false,
                             HARNESS_ANY));
  rewrite_to (r, &rule_resource_limits, spec,
              CONFIG ("{\"memory\":{\"limit\":2147483648},\"pids\":{\"limit\":4096},\"cpu\":{"
                      "\"shares\":2}}"));
}

static void
test_config_default_capped_by_host (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (CONFIG ("{\"cpu\":{\"shares\":2}}"), SPEC_CONFIG);

  r->host.memory_total = GIB;
  r->host.pid_max = 1000;
  assert_int_equal (check_spec (r, &rule_resource_limits, spec, NULL), 2);
  rewrite_to (r, &rule_resource_limits, spec,
              CONFIG ("{\"cpu\":{\"shares\":2},\"memory\":{\"limit\":1073741824},\"pids\":{"
                      "\"limit\":1000}}"));
  /* Within what the host has: kept as it is.  */
  assert_int_equal (check_json (r, &rule_resource_limits,
                                CONFIG ("{\"memory\":{\"limit\":1073741824},\"pids\":{"
                                        "\"limit\":1000},\"cpu\":{\"shares\":2}}"),
                                SPEC_CONFIG, NULL),
                    0);
}

/* ---- exec --process rlimits ---- */

#define PROCESS(extra) "{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\"],\"cwd\":\"/\"" extra "}"

static void
test_exec_rlimits (void **state)
{
  struct harness *r = *state;
  size_t fixable = 0;

  /* Docker's exec process has no rlimits: it would get the runtime caller's.  */
  {
    cleanup_spec struct spec *spec = harness_load (PROCESS (""), SPEC_PROCESS);
    assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 1);
    assert_int_equal (fixable, 1);
    assert_true (
        harness_said (r, "no `RLIMIT_NOFILE` in the exec process's rlimits", false, HARNESS_ANY));
    rewrite_to (r, &rule_resource_limits, spec,
                PROCESS (",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":"
                         "1024}]"));
  }
  /* Above what the runtime may set here: clamped, as at create.  */
  r->host.rlimit_ceiling = fake_ceiling;
  {
    cleanup_spec struct spec *spec = harness_load (
        PROCESS (",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1048576,\"soft\":1048576}]"),
        SPEC_PROCESS);
    assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 1);
    rewrite_to (r, &rule_resource_limits, spec,
                PROCESS (",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":"
                         "20000}]"));
  }
  /* The container's own value, within the ceiling: untouched.  */
  assert_int_equal (check_json (r, &rule_resource_limits,
                                PROCESS (",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":"
                                         "4096,\"soft\":4096}]"),
                                SPEC_PROCESS, NULL),
                    0);
}

/* ---- crun --cgroup-manager=disabled ---- */

static void
test_cgroups_disabled (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (
      CONFIG ("{\"memory\":{\"limit\":1073741824},\"pids\":{\"limit\":100},\"cpu\":{\"shares\":"
              "2}}"),
      SPEC_CONFIG);
  size_t fixable = 0;

  assert_int_equal (check_spec (r, &rule_resource_limits, spec, NULL), 0);
  assert_int_equal (check_spec (r, &rule_devices, spec, NULL), 0);
  r->call.cgroups_disabled = true;
  assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 1);
  assert_int_equal (fixable, 0);
  assert_true (harness_said (r, "`--cgroup-manager=disabled`", false, HARNESS_ANY));
  assert_int_equal (check_spec (r, &rule_devices, spec, NULL), 1);
  assert_true (harness_said (r, "no device cgroup", false, HARNESS_ANY));
}

/* ---- limits a rootless runtime cannot set ---- */

static void
test_rootless_unsettable (void **state)
{
  struct harness *r = *state;
  size_t fixable = 0;

  r->host.cgroup_unsettable = fake_unsettable;
  /* Missing limits: a note each, nothing injected (runc would refuse to start).  */
  {
    cleanup_spec struct spec *spec = harness_load (CONFIG ("{}"), SPEC_CONFIG);
    assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 0);
    assert_true (harness_said (r,
                               "the memory limit is not injected: rootless, cannot create a memory "
                               "cgroup",
                               true, HARNESS_ANY));
    assert_true (harness_said (r, "the pids limit is not injected", true, HARNESS_ANY));
    /* Any cpu value would stop runc as well ("cannot set cpu limit").  */
    assert_true (harness_said (r, "the CPU shares value is not injected", true, HARNESS_ANY));
    rewrite_to (r, &rule_resource_limits, spec, CONFIG ("{}"));
  }
  /* An explicit limit: a note too.  */
  assert_int_equal (check_json (r, &rule_resource_limits,
                                CONFIG ("{\"memory\":{\"limit\":1000000},\"pids\":{"
                                        "\"limit\":10},\"cpu\":{\"shares\":2}}"),
                                SPEC_CONFIG, NULL),
                    0);
  assert_true (harness_said (r, "the memory limit cannot be set", true, HARNESS_ANY));
  /* With a cgroupsPath the runtime fails on its own if it cannot create it: injected.  */
  {
    cleanup_spec struct spec *spec = harness_load (
        "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"rlimits\":[{"
        "\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}]},\"linux\":{\"cgroupsPath\":"
        "\"/delegated/c1\",\"resources\":{\"cpu\":{\"shares\":2}}}}",
        SPEC_CONFIG);
    assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 2);
    assert_int_equal (fixable, 2);
  }
  /* Mandatory limits: denied.  */
  harness_param (r, "resource-limits", "mandatory", HARNESS_NUMBER (1));
  assert_int_equal (check_json (r, &rule_resource_limits, CONFIG ("{\"cpu\":{\"shares\":2}}"),
                                SPEC_CONFIG, &fixable),
                    2);
  assert_int_equal (fixable, 0);
  assert_true (harness_said (r, "the policy makes limits mandatory", false, HARNESS_ANY));
}

/* ---- devices under a user namespace ---- */

#define USERNS_CONFIG(devices)                                                                     \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},\"linux\":{"            \
  "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],\"devices\":[" devices "]}}"
#define PLAIN_CONFIG(devices)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},\"linux\":{"            \
  "\"namespaces\":[{\"type\":\"mount\"}],\"devices\":[" devices "]}}"

static size_t
devices_check (struct harness *r, const char *json)
{
  cleanup_spec struct spec *spec = harness_load (json, SPEC_CONFIG);
  return check_spec (r, &rule_devices, spec, NULL);
}

static void
test_devices_userns_binds (void **state)
{
  struct harness *r = *state;
  static const char *const pts
      = "{\"path\":\"/dev/pts/3\",\"type\":\"c\",\"major\":136,\"minor\":3}";
  static const char *const fifo = "{\"path\":\"/etc/shadow\",\"type\":\"p\"}";
  cleanup_free char *doc = NULL;

  /* The default nodes are the host's same devices: fine either way.  */
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/null\",\"type\":\"c\","
                                                     "\"major\":1,\"minor\":3}")),
                    0);
  /* A pty: the host's terminal with a user namespace, and without one whenever mknod is
   * refused (a node made by mknod outside devpts cannot even be opened).  */
  doc = xasprintf (PLAIN_CONFIG ("%s"), pts);
  assert_int_equal (devices_check (r, doc), 1);
  assert_true (harness_said (r, "device entries runc binds from the host when mknod is refused",
                             false, HARNESS_ANY));
  free (doc);
  doc = xasprintf (USERNS_CONFIG ("%s"), pts);
  assert_int_equal (devices_check (r, doc), 1);
  assert_true (
      harness_said (r, "`/dev/pts/3` would be a terminal of the host", false, HARNESS_ANY));
  /* The same when the runtime itself runs in a user namespace.  */
  free (doc);
  doc = xasprintf (PLAIN_CONFIG ("%s"), pts);
  r->host.in_user_ns = true;
  assert_int_equal (devices_check (r, doc), 1);
  r->host.in_user_ns = false;
  /* A FIFO entry is a bind of any host file.  */
  free (doc);
  doc = xasprintf (USERNS_CONFIG ("%s"), fifo);
  assert_int_equal (devices_check (r, doc), 1);
  assert_true (harness_said (r, "FIFO `/etc/shadow` would be the host's file of that name", false,
                             HARNESS_ANY));
  free (doc);
  doc = xasprintf (PLAIN_CONFIG ("%s"), fifo);
  assert_int_equal (devices_check (r, doc), 0);
}

static void
test_devices_userns_host_identity (void **state)
{
  struct harness *r = *state;
  harness_param (r, "devices", "allow", HARNESS_LIST ("/dev/fuse", "/dev/xvda"));
  /* Allowlisted and the host's file is that device: fine.  */
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/fuse\",\"type\":\"c\","
                                                     "\"major\":10,\"minor\":229}")),
                    0);
  /* The entry says fuse's numbers, the host file is another device.  */
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/fuse\",\"type\":\"c\","
                                                     "\"major\":10,\"minor\":200}")),
                    1);
  assert_true (harness_said (r, "the host's `/dev/fuse` is c 10:229", false, HARNESS_ANY));
  /* No such host file (runc would fail, and a hot-plugged one would be bound).  */
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/xvda\",\"type\":\"b\","
                                                     "\"major\":8,\"minor\":0}")),
                    1);
  assert_true (harness_said (r, "the host has no `/dev/xvda` to bind", false, HARNESS_ANY));
  /* Without a user namespace the node is made with the entry's numbers, and if mknod is refused
   * runc fails on the missing source: fine.  A host file of another kind there is not.  */
  assert_int_equal (devices_check (r, PLAIN_CONFIG ("{\"path\":\"/dev/xvda\",\"type\":\"b\","
                                                    "\"major\":8,\"minor\":0}")),
                    0);
  assert_int_equal (devices_check (r, PLAIN_CONFIG ("{\"path\":\"/dev/fuse\",\"type\":\"c\","
                                                    "\"major\":10,\"minor\":200}")),
                    1);
  assert_int_equal (devices_check (r, PLAIN_CONFIG ("{\"path\":\"/dev/fuse\",\"type\":\"c\","
                                                    "\"major\":10,\"minor\":229}")),
                    0);
  /* A relative path, and a path others could swap.  */
  assert_true (devices_check (r, USERNS_CONFIG ("{\"path\":\"dev/null\",\"type\":\"c\","
                                                "\"major\":1,\"minor\":3}"))
               >= 1);
  assert_true (harness_said (r, "`dev/null` is relative", false, HARNESS_ANY));
  fake_host_add_untrusted ("/dev");
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/null\",\"type\":\"c\","
                                                     "\"major\":1,\"minor\":3}")),
                    1);
  assert_true (harness_said (r, "could be swapped before it is bound", false, HARNESS_ANY));
  harness_param (r, "devices", "allow", NULL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_update_docker_zeros_dropped, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_docker_memory_kept, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_cri_shape, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_refusals, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_config_above_host_is_no_limit, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_config_default_capped_by_host, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_exec_rlimits, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_cgroups_disabled, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_rootless_unsettable, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_userns_binds, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_userns_host_identity, setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
