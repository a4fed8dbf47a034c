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

/* This VM: 24 GiB, pid_max 32768.  */
static int
setup_vm (void **state)
{
  struct harness *r = harness_new ("baseline");

  r->host.memory_total = 24 * GIB;
  r->host.pid_max = 32768;
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

/* ---- the fixture directories, with the baseline parameters ---- */

static const struct rule *
fixture_rule (const char *dir)
{
  const struct rule *rules[] = { &rule_resource_limits, &rule_oom_score_adj, &rule_sysctls,
                                 &rule_hooks,           &rule_apparmor,      &rule_selinux };
  for (size_t i = 0; i < ARRAY_SIZE (rules); i++)
    if (strcmp (rules[i]->id, dir) == 0)
      return rules[i];
  return NULL;
}

static struct spec *
load_at (int dirfd, const char *name)
{
  cleanup_error ocg_error_t err = NULL;
  enum spec_kind kind = strstr (name, ".process") != NULL ? SPEC_PROCESS : SPEC_CONFIG;
  struct spec *spec = spec_load_at (dirfd, name, kind, &err);
  if (spec == NULL)
    fail_msg ("cannot load `%s`: %s", name, err ? err->msg : "?");
  return spec;
}

static void
fixture_rewrite (struct harness *r, const struct rule *rule, int dirfd, const char *in_name)
{
  int stem = (int)(strstr (in_name, "-in.json") - in_name);
  cleanup_free char *out_name = xasprintf ("%.*s-out.json", stem, in_name);
  cleanup_spec struct spec *in = load_at (dirfd, in_name);
  cleanup_spec struct spec *out = load_at (dirfd, out_name);

  assert_true (harness_check (r, rule, in) > 0);
  assert_true (harness_all_fixable (r));
  harness_rewrite (r, rule, in);
  if (!json_equal (in->root, out->root))
    {
      cleanup_free char *got = json_serialize (in->root, NULL, NULL);
      fail_msg ("%s: rewrite differs from %s:\n%s", in_name, out_name, got);
    }
}

static void
fixture_one (struct harness *r, const struct rule *rule, int dirfd, const char *name)
{
  print_message ("# fixture %s/%s\n", rule->id, name);
  if (str_has_prefix (name, "pass"))
    {
      cleanup_spec struct spec *spec = load_at (dirfd, name);
      assert_int_equal (harness_check (r, rule, spec), 0);
    }
  else if (str_has_prefix (name, "fail"))
    {
      cleanup_spec struct spec *spec = load_at (dirfd, name);
      assert_true (harness_check (r, rule, spec) > 0);
      assert_true (rule->rewrite == NULL || harness_none_fixable (r));
    }
  else if (str_has_prefix (name, "rewrite") && strstr (name, "-in.json") != NULL)
    fixture_rewrite (r, rule, dirfd, name);
}

static void
test_fixtures (void **state)
{
  struct harness *r = *state;
  static const char *const dirs[]
      = { "resource-limits", "oom-score-adj", "sysctls", "hooks", "apparmor", "selinux" };
  const char *root = getenv ("OCG_FIXTURES");
  size_t total = 0;

  if (root == NULL)
    skip ();
  for (size_t i = 0; i < ARRAY_SIZE (dirs); i++)
    {
      cleanup_free char *path = xasprintf ("%s/rules/%s", root, dirs[i]);
      cleanup_close int dirfd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      DIR *d = NULL;
      struct dirent *e;

      assert_true (dirfd >= 0);
      d = fdopendir (dup (dirfd));
      assert_non_null (d);
      while ((e = readdir (d)) != NULL)
        if (strstr (e->d_name, ".json") != NULL)
          {
            fixture_one (r, fixture_rule (dirs[i]), dirfd, e->d_name);
            total++;
          }
      closedir (d);
    }
  assert_true (total >= 60); /* the directories were found and read */
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
  /* The rewrite leaves what runc applies alone (zeros are tests/unit/test_rules_limits.c's).  */
  {
    cleanup_spec struct spec *spec = harness_load ("{\"memory\":{\"limit\":-1}}", SPEC_RESOURCES);
    cleanup_error ocg_error_t err = NULL;
    struct rule_ctx ctx
        = engine_rule_ctx (r->policy, &r->host, &r->call, spec, &rule_resource_limits);
    assert_int_equal (rule_resource_limits.rewrite (&ctx, spec, &err), 0);
    assert_int_equal (spec->n_ops, 0);
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
  assert_int_equal (harness_check (r, &rule_devices, spec), 0);
  r->call.cgroups_disabled = true;
  assert_int_equal (check_spec (r, &rule_resource_limits, spec, &fixable), 1);
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
    cmocka_unit_test_setup_teardown (test_fixtures, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_defaults_from_baseline, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_maximum, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_nproc, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_rlimit_ceiling, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_unified_values, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_limits_update, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_docker_zeros_dropped, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_docker_memory_kept, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_cri_shape, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_refusals, setup_vm, harness_teardown),
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
