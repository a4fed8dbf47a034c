/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the resource-limits and oom-score-adj rules (policy/rules/resources*.c) in the
 * cases the generic fixture driver (test_rules.c) cannot express: their fixture directories and
 * those of the other host-interface rules checked rule by rule (fixable or not), non-default
 * parameters (maxima, NPROC), `runc update` documents as Docker and the kubelet write them, limits
 * above what the host has, `exec --process` rlimits, crun's disabled cgroup manager, and limits a
 * rootless runtime cannot set.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "util.h"

extern const struct rule rule_resource_limits;
extern const struct rule rule_oom_score_adj;
extern const struct rule rule_devices;
extern const struct rule rule_sysctls;
extern const struct rule rule_hooks;
extern const struct rule rule_apparmor;
extern const struct rule rule_selinux;

/* ---- the host ---- */

#define GIB (1024ULL * 1024 * 1024)

/* A rootless runtime on cgroup v1 without a delegated cgroup.  */
static char *
fake_unsettable (const struct host_facts *host, const char *controller)
{
  (void)host;
  return xasprintf ("rootless, cannot create a %s cgroup", controller);
}

/* A caller without CAP_SYS_RESOURCE whose NOFILE hard limit is 20000.  */
static bool
fake_ceiling (const struct host_facts *host, const char *type, unsigned long long *hard)
{
  (void)host;
  if (strcmp (type, "RLIMIT_NOFILE") != 0)
    return false;
  *hard = 20000;
  return true;
}

/* This VM (fake_host_set_machine).  */
static int
setup_vm (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_set_machine (&r->host);
  *state = r;
  return 0;
}

/* The fake host, plus another process's binary, a dockerd whose binary was replaced on disk, and a
 * small SELinux policy (for the hooks and selinux fixtures).  */
static int
setup (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_add_link ("/proc/7318/exe", "/usr/bin/python3");
  fake_host_add_link ("/proc/7319/exe", "/usr/sbin/dockerd (deleted)");
  fake_host_set_selinux_policy (&r->host, false);
  *state = r;
  return 0;
}

/* A document given as text (harness_check_fixable).  */
static size_t
check_json (struct harness *r, const struct rule *rule, const char *json, enum spec_kind kind,
            size_t *fixable)
{
  cleanup_spec struct spec *spec = harness_load (json, kind);
  return harness_check_fixable (r, rule, spec, fixable);
}

/* ---- resource-limits ---- */

#define CONFIG_RES(res)                                                                            \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"rlimits\":[{\"type\":" \
  "\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}]},\"linux\":{\"resources\":" res "}}"

static void
test_limits_defaults_from_baseline (void **state)
{
  struct harness *r = *state;
  const struct rule_param *memory
      = param_find (rule_resource_limits.params, rule_resource_limits.n_params, "memory_default");

  assert_non_null (memory);
  assert_int_equal (HARNESS_PARAM (r, int64_t, "resource-limits", "memory_default"),
                    memory->def.number);
  assert_int_equal (HARNESS_PARAM (r, int64_t, "resource-limits", "memory_default"), 2147483648);
  assert_int_equal (HARNESS_PARAM (r, int64_t, "resource-limits", "pids_default"), 4096);
  assert_int_equal (HARNESS_PARAM (r, int64_t, "resource-limits", "memory_max"), 0);
  assert_int_equal (HARNESS_PARAM (r, int64_t, "resource-limits", "pids_max"), 0);
  assert_int_equal (HARNESS_PARAM (r, uint64_t, "resource-limits", "cpu_shares_default"), 1024);
  assert_int_equal (HARNESS_PARAM (r, uint64_t, "resource-limits", "nofile_default"), 1024);
  assert_int_equal (HARNESS_PARAM (r, uint64_t, "resource-limits", "nproc_default"), 0);
  assert_int_equal (HARNESS_PARAM (r, int, "oom-score-adj", "floor"), -999);
  assert_true (HARNESS_PARAM (r, bool, "hooks", "allow_docker_setkey"));
}

static void
test_limits_maximum (void **state)
{
  struct harness *r = *state;

  harness_param (r, "resource-limits", "memory_max", HARNESS_NUMBER (1073741824));
  harness_param (r, "resource-limits", "pids_max", HARNESS_NUMBER (1000));
  assert_int_equal (
      harness_check_config (r, &rule_resource_limits,
                            CONFIG_RES ("{\"memory\":{\"limit\":1073741825},\"pids\":{\"limit\":"
                                        "1001},\"cpu\":{\"shares\":2}}")),
      2);
  assert_true (harness_none_fixable (r));
  assert_true (harness_found (r, "above the policy maximum `1073741824`"));
  assert_int_equal (
      harness_check_config (r, &rule_resource_limits,
                            CONFIG_RES ("{\"memory\":{\"limit\":1073741824},\"pids\":{\"limit\":"
                                        "1000},\"cpu\":{\"shares\":2}}")),
      0);
  /* The default is capped by the maximum when injected.  */
  {
    cleanup_spec struct spec *spec
        = harness_load (CONFIG_RES ("{\"cpu\":{\"shares\":2}}"), SPEC_CONFIG);
    int64_t v = 0;
    assert_int_equal (harness_check (r, &rule_resource_limits, spec), 2);
    assert_true (harness_all_fixable (r));
    harness_rewrite (r, &rule_resource_limits, spec);
    assert_true (spec_get_i64 (spec, "/linux/resources/memory/limit", &v));
    assert_int_equal (v, 1073741824);
    assert_true (spec_get_i64 (spec, "/linux/resources/pids/limit", &v));
    assert_int_equal (v, 1000);
  }
  /* No default but a maximum: a missing limit cannot be fixed.  */
  harness_param (r, "resource-limits", "memory_default", HARNESS_NUMBER (0));
  assert_int_equal (
      harness_check_config (r, &rule_resource_limits,
                            CONFIG_RES ("{\"pids\":{\"limit\":10},\"cpu\":{\"shares\":2}}")),
      1);
  assert_true (harness_none_fixable (r));
  /* Nothing configured at all: nothing to say about memory.  */
  harness_param (r, "resource-limits", "memory_max", HARNESS_NUMBER (0));
  assert_int_equal (
      harness_check_config (r, &rule_resource_limits,
                            CONFIG_RES ("{\"pids\":{\"limit\":10},\"cpu\":{\"shares\":2},"
                                        "\"unified\":{\"memory.max\":\"max\"}}")),
      0);
}

static void
test_limits_nproc (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = NULL;
  const struct json_node *list;

  harness_param (r, "resource-limits", "nproc_default", HARNESS_NUMBER (4096));
  spec = harness_load (
      CONFIG_RES ("{\"memory\":{\"limit\":1000000},\"pids\":{\"limit\":10},\"cpu\":{"
                  "\"shares\":2}}"),
      SPEC_CONFIG);
  assert_int_equal (harness_check (r, &rule_resource_limits, spec), 1);
  assert_true (harness_found (r, "`RLIMIT_NPROC`"));
  harness_rewrite (r, &rule_resource_limits, spec);
  list = spec_get_array (spec, "/process/rlimits");
  assert_int_equal (list->n, 2);
  assert_string_equal (harness_string (spec, "/process/rlimits/1/type"), "RLIMIT_NPROC");
}

static void
test_limits_rlimit_ceiling (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = NULL;
  uint64_t v = 0;

  spec = harness_load (
      "{\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"rlimits\":["
      "{\"type\":\"RLIMIT_NOFILE\",\"hard\":1048576,\"soft\":4096},"
      "{\"type\":\"RLIMIT_NPROC\",\"hard\":99999999,\"soft\":99999999}]},"
      "\"linux\":{\"resources\":{\"memory\":{\"limit\":1000000},\"pids\":{\"limit\":10},"
      "\"cpu\":{\"shares\":2}}}}",
      SPEC_CONFIG);
  /* No ceiling known (the fake's default): Podman's 1048576 is left alone.  */
  assert_int_equal (harness_check (r, &rule_resource_limits, spec), 0);
  r->host.rlimit_ceiling = fake_ceiling;
  assert_int_equal (harness_check (r, &rule_resource_limits, spec), 1);
  assert_true (harness_all_fixable (r));
  assert_true (harness_found (r, "`RLIMIT_NOFILE` hard limit is above 20000"));
  harness_rewrite (r, &rule_resource_limits, spec);
  assert_true (spec_get_u64 (spec, "/process/rlimits/0/hard", &v) && v == 20000);
  /* A soft value already below the ceiling is kept; other types are untouched.  */
  assert_true (spec_get_u64 (spec, "/process/rlimits/0/soft", &v) && v == 4096);
  assert_true (spec_get_u64 (spec, "/process/rlimits/1/hard", &v) && v == 99999999);
  assert_int_equal (harness_check (r, &rule_resource_limits, spec), 0);
}

static void
test_limits_unified_values (void **state)
{
  struct harness *r = *state;
  static const struct
  {
    const char *value;
    size_t findings;
  } memory[] = {
    { "1G", 0 },   { "1073741824", 0 }, { "0x40000000", 0 },
    { "010", 0 },  { "1025M", 1 },      { "2g", 1 },
    { "max", 1 },  { " max ", 1 },      { "", 1 },
    { "1.5G", 1 }, { "1GB", 1 },        { "-1", 1 },
    { "0x", 1 },   { "099", 1 },        { "18446744073709551616", 1 },
  };
  char buf[512];

  harness_param (r, "resource-limits", "memory_max", HARNESS_NUMBER (1073741824));
  for (size_t i = 0; i < ARRAY_SIZE (memory); i++)
    {
      snprintf (buf, sizeof buf,
                CONFIG_RES ("{\"memory\":{\"limit\":1000},\"pids\":{\"limit\":10},\"cpu\":{"
                            "\"shares\":2},\"unified\":{\"memory.max\":\"%s\"}}"),
                memory[i].value);
      print_message ("# memory.max `%s`\n", memory[i].value);
      assert_int_equal (harness_check_config (r, &rule_resource_limits, buf), memory[i].findings);
    }
  /* pids.max has no suffixes; kstrtoll takes a sign.  */
  assert_int_equal (harness_check_config (
                        r, &rule_resource_limits,
                        CONFIG_RES ("{\"memory\":{\"limit\":1000},\"pids\":{\"limit\":10},"
                                    "\"cpu\":{\"shares\":2},\"unified\":{\"pids.max\":\"+50\"}}")),
                    0);
  assert_int_equal (harness_check_config (
                        r, &rule_resource_limits,
                        CONFIG_RES ("{\"memory\":{\"limit\":1000},\"pids\":{\"limit\":10},"
                                    "\"cpu\":{\"shares\":2},\"unified\":{\"pids.max\":\"5k\"}}")),
                    1);
}

static void
test_limits_update (void **state)
{
  struct harness *r = *state;
  static const struct
  {
    const char *doc;
    size_t findings;
  } cases[] = {
    { "{}", 0 },
    { "{\"cpu\":{\"shares\":512,\"quota\":-1}}", 0 },
    { "{\"memory\":{\"limit\":67108864,\"swap\":-1}}", 0 },
    { "{\"pids\":{\"limit\":100}}", 0 },
    { "{\"memory\":{\"limit\":-1}}", 1 },
    { "{\"pids\":{\"limit\":-1}}", 1 },
    { "{\"memory\":{\"limit\":-1},\"pids\":{\"limit\":-1}}", 2 },
    { "{\"unified\":{\"memory.max\":\"max\"}}", 1 },
    { "{\"unified\":{\"pids.max\":\"max\"}}", 1 },
  };

  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      print_message ("# update %s\n", cases[i].doc);
      assert_int_equal (harness_check_json (r, &rule_resource_limits, cases[i].doc, SPEC_RESOURCES),
                        cases[i].findings);
      assert_true (cases[i].findings == 0 || harness_none_fixable (r));
    }
  harness_param (r, "resource-limits", "pids_max", HARNESS_NUMBER (100));
  assert_int_equal (
      harness_check_json (r, &rule_resource_limits, "{\"pids\":{\"limit\":101}}", SPEC_RESOURCES),
      1);
  assert_true (harness_found (r, "above the policy maximum `100`"));
  /* The rewrite leaves what runc applies alone (zeros: tests/unit/test_resources_update.c).  */
  {
    cleanup_spec struct spec *spec = harness_load ("{\"memory\":{\"limit\":-1}}", SPEC_RESOURCES);
    cleanup_error ocg_error_t err = NULL;
    struct rule_ctx ctx
        = engine_rule_ctx (r->policy, &r->host, &r->call, spec, &rule_resource_limits);
    assert_int_equal (rule_resource_limits.rewrite (&ctx, spec, &err), 0);
    assert_int_equal (spec->n_ops, 0);
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

  assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 2);
  assert_int_equal (fixable, 2);
  assert_true (harness_said (r, "is above the host's memory (MemTotal), 25769803776: not a limit",
                             false, HARNESS_ANY));
  assert_true (harness_said (r, "is above the host's kernel.pid_max, 32768: not a limit", false,
                             HARNESS_ANY));
  harness_rewrite_to (
      r, &rule_resource_limits, spec,
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
  assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, NULL), 2);
  harness_rewrite_to (r, &rule_resource_limits, spec,
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
    assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 1);
    assert_int_equal (fixable, 1);
    assert_true (
        harness_said (r, "no `RLIMIT_NOFILE` in the exec process's rlimits", false, HARNESS_ANY));
    harness_rewrite_to (r, &rule_resource_limits, spec,
                        PROCESS (",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":"
                                 "1024}]"));
  }
  /* Above what the runtime may set here: clamped, as at create.  */
  r->host.rlimit_ceiling = fake_ceiling;
  {
    cleanup_spec struct spec *spec = harness_load (
        PROCESS (",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1048576,\"soft\":1048576}]"),
        SPEC_PROCESS);
    assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 1);
    harness_rewrite_to (
        r, &rule_resource_limits, spec,
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

  assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, NULL), 0);
  assert_int_equal (harness_check (r, &rule_devices, spec), 0);
  r->call.cgroups_disabled = true;
  assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 1);
  assert_int_equal (fixable, 0);
  assert_true (harness_said (r, "`--cgroup-manager=disabled`", false, HARNESS_ANY));
  assert_int_equal (harness_check (r, &rule_devices, spec), 1);
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
    assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 0);
    assert_true (harness_said (r,
                               "the memory limit is not injected: rootless, cannot create a memory "
                               "cgroup",
                               true, HARNESS_ANY));
    assert_true (harness_said (r, "the pids limit is not injected", true, HARNESS_ANY));
    /* Any cpu value would stop runc as well ("cannot set cpu limit").  */
    assert_true (harness_said (r, "the CPU shares value is not injected", true, HARNESS_ANY));
    harness_rewrite_to (r, &rule_resource_limits, spec, CONFIG ("{}"));
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
    assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 2);
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

/* ---- oom-score-adj ---- */

#define PROCESS_DOC(extra)                                                                         \
  "{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\"],\"cwd\":\"/\"" extra "}"

static void
test_oom_exec_process (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec
      = harness_load (PROCESS_DOC (",\"oomScoreAdj\":-1000"), SPEC_PROCESS);
  int64_t v = 0;

  assert_int_equal (harness_check (r, &rule_oom_score_adj, spec), 1);
  assert_string_equal (r->found.items[0].path, "/oomScoreAdj");
  harness_rewrite (r, &rule_oom_score_adj, spec);
  assert_true (spec_get_i64 (spec, "/oomScoreAdj", &v));
  assert_int_equal (v, -999);
  assert_int_equal (harness_check_json (r, &rule_oom_score_adj,
                                        PROCESS_DOC (",\"oomScoreAdj\":-998"), SPEC_PROCESS),
                    0);
  /* A floor from the policy file.  */
  harness_param (r, "oom-score-adj", "floor", HARNESS_NUMBER (0));
  assert_int_equal (harness_check_json (r, &rule_oom_score_adj,
                                        PROCESS_DOC (",\"oomScoreAdj\":-998"), SPEC_PROCESS),
                    1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_limits_defaults_from_baseline, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_maximum, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_nproc, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_rlimit_ceiling, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_unified_values, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_update, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_config_above_host_is_no_limit, setup_vm,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_config_default_capped_by_host, setup_vm,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_exec_rlimits, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_cgroups_disabled, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_rootless_unsettable, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_oom_exec_process, setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
