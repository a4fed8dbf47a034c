/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the resource and host-interface rules (policy/rules/{resources,sysctls,hooks,
 * lsm}.c): their fixture directories run with the baseline profile's parameters, plus what the
 * generic fixture driver cannot express -- non-default parameters (maxima, NPROC, hook_allow),
 * `runc update` and `exec --process` documents, and hosts with AppArmor or SELinux enabled (this
 * CI VM has neither, so those paths only run against the table host below).  */
#include <config.h>

#include <dirent.h>
#include <fcntl.h>
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
#include "policy.h"
#include "util.h"

extern const struct rule rule_resource_limits;
extern const struct rule rule_oom_score_adj;
extern const struct rule rule_sysctls;
extern const struct rule rule_hooks;
extern const struct rule rule_apparmor;
extern const struct rule rule_selinux;

/* ---- the host: the shared fake host (tests/unit/fake_host.c), plus a SELinux policy ---- */

struct fake
{
  bool selinux_refuse_all; /* the loaded policy knows no container types */
};

/* A context is valid when it is system_u:<role>:<known type>:s0[...]: enough of a policy to tell
 * a made-up type from a real one.  */
static bool
fake_selinux_context_valid (const struct host_facts *host, const char *context)
{
  static const char *const types[]
      = { ":system_r:container_t:s0",     ":object_r:container_file_t:s0",
          ":system_r:spc_t:s0",           ":system_r:container_init_t:s0",
          ":system_r:svirt_lxc_net_t:s0", ":object_r:svirt_sandbox_file_t:s0" };
  const struct fake *f = host->data;

  if (!host->selinux_enabled || f->selinux_refuse_all || !str_has_prefix (context, "system_u:"))
    return false;
  for (size_t i = 0; i < ARRAY_SIZE (types); i++)
    {
      const char *t = context + strlen ("system_u");
      if (str_has_prefix (t, types[i]))
        return t[strlen (types[i])] == '\0' || t[strlen (types[i])] == ':'
               || t[strlen (types[i])] == '-';
    }
  return false;
}

/* ---- running one rule: the harness (rule_harness.h) ---- */

static struct fake fake;

static int
setup (void **state)
{
  struct harness *r = harness_new ("baseline");

  /* Another process's binary, and a dockerd whose binary was replaced on disk.  */
  fake_host_add_link ("/proc/7318/exe", "/usr/bin/python3");
  fake_host_add_link ("/proc/7319/exe", "/usr/sbin/dockerd (deleted)");
  r->host.selinux_context_valid = fake_selinux_context_valid;
  fake = (struct fake){ 0 };
  r->host.data = &fake;
  *state = r;
  return 0;
}

static size_t
check (struct harness *r, const struct rule *rule, const char *json)
{
  return harness_check_json (r, rule, json, SPEC_CONFIG);
}

static bool
all_fixable (struct harness *r)
{
  size_t n = 0;

  for (size_t i = 0; i < r->found.n; i++)
    {
      if (r->found.items[i].note)
        continue;
      if (!r->found.items[i].fixable)
        return false;
      n++;
    }
  return n > 0;
}

static bool
none_fixable (struct harness *r)
{
  for (size_t i = 0; i < r->found.n; i++)
    if (r->found.items[i].fixable)
      return false;
  return r->found.n > 0;
}

static const char *
get_string (const struct spec *spec, const char *ptr)
{
  const char *s = NULL;
  return spec_get_string (spec, ptr, &s) ? s : NULL;
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
  assert_true (all_fixable (r));
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
      assert_true (rule->rewrite == NULL || none_fixable (r));
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
  assert_int_equal (check (r, &rule_resource_limits,
                           CONFIG_RES ("{\"memory\":{\"limit\":1073741825},\"pids\":{\"limit\":"
                                       "1001},\"cpu\":{\"shares\":2}}")),
                    2);
  assert_true (none_fixable (r));
  assert_true (harness_found (r, "above the policy maximum `1073741824`"));
  assert_int_equal (check (r, &rule_resource_limits,
                           CONFIG_RES ("{\"memory\":{\"limit\":1073741824},\"pids\":{\"limit\":"
                                       "1000},\"cpu\":{\"shares\":2}}")),
                    0);
  /* The default is capped by the maximum when injected.  */
  {
    cleanup_spec struct spec *spec
        = harness_load (CONFIG_RES ("{\"cpu\":{\"shares\":2}}"), SPEC_CONFIG);
    int64_t v = 0;
    assert_int_equal (harness_check (r, &rule_resource_limits, spec), 2);
    assert_true (all_fixable (r));
    harness_rewrite (r, &rule_resource_limits, spec);
    assert_true (spec_get_i64 (spec, "/linux/resources/memory/limit", &v));
    assert_int_equal (v, 1073741824);
    assert_true (spec_get_i64 (spec, "/linux/resources/pids/limit", &v));
    assert_int_equal (v, 1000);
  }
  /* No default but a maximum: a missing limit cannot be fixed.  */
  harness_param (r, "resource-limits", "memory_default", HARNESS_NUMBER (0));
  assert_int_equal (check (r, &rule_resource_limits,
                           CONFIG_RES ("{\"pids\":{\"limit\":10},\"cpu\":{\"shares\":2}}")),
                    1);
  assert_true (none_fixable (r));
  /* Nothing configured at all: nothing to say about memory.  */
  harness_param (r, "resource-limits", "memory_max", HARNESS_NUMBER (0));
  assert_int_equal (check (r, &rule_resource_limits,
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
  assert_string_equal (get_string (spec, "/process/rlimits/1/type"), "RLIMIT_NPROC");
}

/* A caller without CAP_SYS_RESOURCE whose NOFILE hard limit is 20000 (this VM's test shell).  */
static bool
fake_ceiling (const struct host_facts *host, const char *type, unsigned long long *hard)
{
  if (strcmp (type, "RLIMIT_NOFILE") != 0)
    return false;
  *hard = 20000;
  return true;
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
  assert_true (all_fixable (r));
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
      assert_int_equal (check (r, &rule_resource_limits, buf), memory[i].findings);
    }
  /* pids.max has no suffixes; kstrtoll takes a sign.  */
  assert_int_equal (
      check (r, &rule_resource_limits,
             CONFIG_RES ("{\"memory\":{\"limit\":1000},\"pids\":{\"limit\":10},"
                         "\"cpu\":{\"shares\":2},\"unified\":{\"pids.max\":\"+50\"}}")),
      0);
  assert_int_equal (
      check (r, &rule_resource_limits,
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
      assert_true (cases[i].findings == 0 || none_fixable (r));
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

/* ---- sysctls ---- */

#define SYSCTL_CONFIG(ns, sysctl)                                                                  \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":"           \
  "\"pid\"}" ns "],\"sysctl\":{" sysctl "}}}"

static void
test_sysctls_namespace_paths (void **state)
{
  struct harness *r = *state;
  const char *pod = ",{\"type\":\"network\",\"path\":\"/proc/7471/ns/net\"},{\"type\":\"ipc\","
                    "\"path\":\"/proc/7471/ns/ipc\"}";
  const char *hostnet = ",{\"type\":\"network\",\"path\":\"/proc/6315/ns/net\"}";
  char buf[512];

  snprintf (buf, sizeof buf,
            SYSCTL_CONFIG ("%s", "\"net.ipv4.tcp_syncookies\":\"1\","
                                 "\"kernel.msgmax\":\"8192\""),
            pod);
  assert_int_equal (check (r, &rule_sysctls, buf), 0);
  snprintf (buf, sizeof buf, SYSCTL_CONFIG ("%s", "\"net.ipv4.tcp_syncookies\":\"1\""), hostnet);
  assert_int_equal (check (r, &rule_sysctls, buf), 1);
  assert_true (harness_found (r, "its path is the host's"));
  /* A host whose own netns could not be read: nothing can be proven private.  */
  r->host.ns[HOST_NS_NETWORK].known = false;
  snprintf (buf, sizeof buf, SYSCTL_CONFIG ("%s", "\"net.ipv4.tcp_syncookies\":\"1\""), pod);
  assert_int_equal (check (r, &rule_sysctls, buf), 1);
  assert_true (harness_found (r, "cannot be resolved"));
  /* A new namespace needs no host fact.  */
  assert_int_equal (check (r, &rule_sysctls,
                           SYSCTL_CONFIG (",{\"type\":\"network\",\"path\":\"\"}",
                                          "\"net.ipv4.tcp_syncookies\":\"1\"")),
                    0);
}

static void
test_sysctls_allowlist_param (void **state)
{
  struct harness *r = *state;
  const char *uts = ",{\"type\":\"uts\"}";
  char buf[512];

  harness_param (r, "sysctls", "allow", HARNESS_LIST ("kernel.domainname", "vm.*"));
  snprintf (buf, sizeof buf, SYSCTL_CONFIG ("%s", "\"kernel/domainname\":\"x\""), uts);
  assert_int_equal (check (r, &rule_sysctls, buf), 0);
  assert_int_equal (check (r, &rule_sysctls, SYSCTL_CONFIG ("", "\"kernel.domainname\":\"x\"")), 1);
  assert_true (harness_found (r, "needs a private uts namespace"));
  /* Allowlisted, but not namespaced: still the host's.  */
  assert_int_equal (check (r, &rule_sysctls, SYSCTL_CONFIG ("", "\"vm.swappiness\":\"1\"")), 1);
  assert_true (harness_found (r, "not namespaced"));
  /* The list replaced the PSS default, but net.* in a private netns needs no list entry.  */
  assert_int_equal (check (r, &rule_sysctls,
                           SYSCTL_CONFIG (",{\"type\":\"network\"}",
                                          "\"net.ipv4.ip_unprivileged_port_start\":\"0\"")),
                    0);
  assert_int_equal (
      check (r, &rule_sysctls,
             SYSCTL_CONFIG (",{\"type\":\"ipc\"}", "\"kernel.shm_rmid_forced\":\"1\"")),
      0);
  assert_int_equal (
      check (r, &rule_sysctls, SYSCTL_CONFIG ("", "\"kernel.shm_rmid_forced\":\"1\"")), 1);
}

/* ---- hooks ---- */

#define HOOK_CONFIG(list, hook) "{\"ociVersion\":\"1.0.2\",\"hooks\":{\"" list "\":[" hook "]}}"
#define SETKEY(path)                                                                               \
  "{\"path\":\"" path "\",\"args\":[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\","         \
  "\"e4bafbefbe9b5522255f42e3c5b1f5a1880b0c1b0de8d53a3bc1d16eb5bbb544\",\"6236a7a5e2b4\"]}"

static void
test_hooks_docker_setkey (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/7317/exe"))), 0);
  assert_int_equal (
      check (r, &rule_hooks, HOOK_CONFIG ("createRuntime", SETKEY ("/proc/7317/exe"))), 0);
  assert_int_equal (check (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/7318/exe"))), 1);
  assert_true (harness_found (r, "is not a running dockerd"));
  assert_int_equal (check (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/7319/exe"))), 1);
  assert_int_equal (check (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/self/exe"))), 1);
  assert_true (harness_found (r, "runtime's own process"));
  assert_int_equal (check (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/07317/exe"))),
                    1);
  assert_int_equal (
      check (r, &rule_hooks, HOOK_CONFIG ("startContainer", SETKEY ("/proc/7317/exe"))), 1);
  harness_param (r, "hooks", "allow_docker_setkey", HARNESS_NUMBER (0));
  assert_int_equal (check (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/7317/exe"))), 1);
  assert_true (harness_found (r, "not allowlisted"));
}

static void
test_hooks_allowlist (void **state)
{
  struct harness *r = *state;
  static const struct
  {
    const char *hook;
    size_t findings;
  } cases[] = {
    { "{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"nvidia-container-runtime-"
      "hook\",\"prestart\"]}",
      0 },
    { "{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"x\",\"prestart\"]}", 1 },
    { "{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"nvidia-container-runtime-"
      "hook\",\"prestart\",\"extra\"]}",
      1 },
    { "{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"nvidia-container-runtime-"
      "hook\",\"prestart\"],\"env\":[\"LD_PRELOAD=/tmp/x.so\"]}",
      1 },
    { "{\"path\":\"/usr/libexec/oci/hooks.d/a\",\"args\":[\"a\",\"b\",\"c\"]}", 0 },
    { "{\"path\":\"/usr/libexec/oci/hooks.d/sub/a\"}", 1 },
    { "{\"path\":\"/opt/logger\",\"args\":[\"logger\",\"-t\",\"x\",\"y\"]}", 0 },
    { "{\"path\":\"/opt/logger\",\"args\":[\"logger\"]}", 1 },
    { "{\"path\":\"/proc/self/exe\"}", 1 },
    { "{\"path\":\"/proc/1/exe\",\"args\":[\"init\"]}", 0 },
  };
  char buf[1024];

  harness_param (r, "hooks", "allow",
                 HARNESS_LIST ("/usr/bin/nvidia-container-runtime-hook "
                               "nvidia-container-runtime-hook prestart",
                               "/usr/libexec/oci/hooks.d/*", "/opt/logger logger -t ...",
                               "/proc/*/exe"));
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      snprintf (buf, sizeof buf, HOOK_CONFIG ("poststop", "%s"), cases[i].hook);
      print_message ("# hook %s\n", cases[i].hook);
      assert_int_equal (check (r, &rule_hooks, buf), cases[i].findings);
    }
}

/* ---- apparmor ---- */

#define AA_CONFIG(profile)                                                                         \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"" profile "}}"

static void
test_apparmor_host_without_apparmor (void **state)
{
  struct harness *r = *state;

  fake_host_add_apparmor_profile (&r->host, "docker-default");
  r->host.apparmor_enabled = false; /* the profile is listed, but the LSM is off */
  assert_int_equal (check (r, &rule_apparmor, AA_CONFIG (",\"apparmorProfile\":\"unconfined\"")),
                    0);
  assert_true (harness_found (r, "AppArmor not enabled on host"));
  assert_int_equal (check (r, &rule_apparmor, AA_CONFIG ("")), 0);
}

static void
test_apparmor_enabled (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = NULL;

  r->host.apparmor_enabled = true;
  /* Enabled, but the default profile is not loaded: nothing can be injected, and it says so.  */
  assert_int_equal (check (r, &rule_apparmor, AA_CONFIG (",\"apparmorProfile\":\"unconfined\"")),
                    0);
  assert_true (harness_found (r, "`docker-default` is not loaded"));
  fake_host_add_apparmor_profile (&r->host, "docker-default");
  spec = harness_load (AA_CONFIG (",\"apparmorProfile\":\"unconfined\""), SPEC_CONFIG);
  assert_int_equal (harness_check (r, &rule_apparmor, spec), 1);
  assert_true (all_fixable (r));
  harness_rewrite (r, &rule_apparmor, spec);
  assert_string_equal (get_string (spec, "/process/apparmorProfile"), "docker-default");
  assert_int_equal (check (r, &rule_apparmor, AA_CONFIG ("")), 1);
  assert_int_equal (check (r, &rule_apparmor, AA_CONFIG (",\"apparmorProfile\":\"\"")), 1);
  assert_int_equal (check (r, &rule_apparmor, AA_CONFIG (",\"apparmorProfile\":\"my-profile\"")),
                    0);
  /* exec: no profile inherits the container's; `unconfined` is rewritten.  */
  assert_int_equal (harness_check_json (r, &rule_apparmor, PROCESS_DOC (""), SPEC_PROCESS), 0);
  assert_int_equal (harness_check_json (r, &rule_apparmor,
                                        PROCESS_DOC (",\"apparmorProfile\":\"unconfined\""),
                                        SPEC_PROCESS),
                    1);
  assert_string_equal (r->found.items[0].path, "/apparmorProfile");
}

/* ---- selinux ---- */

#define SE_CONFIG(label, mount)                                                                    \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"" label "},\"linux\":{"   \
  "\"cgroupsPath\":\"/docker/abc\"" mount "}}"

static void
test_selinux_disabled (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check (r, &rule_selinux, SE_CONFIG ("", "")), 0);
  assert_true (harness_found (r, "SELinux not enabled on host"));
  assert_int_equal (
      check (r, &rule_selinux, SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"", "")),
      0);
}

static void
test_selinux_inject (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (SE_CONFIG ("", ""), SPEC_CONFIG);
  cleanup_spec struct spec *again = harness_load (SE_CONFIG ("", ""), SPEC_CONFIG);
  cleanup_spec struct spec *other = NULL;
  const char *label;
  const char *mount;
  unsigned c1 = 0, c2 = 0;

  r->host.selinux_enabled = true;
  assert_int_equal (harness_check (r, &rule_selinux, spec), 1);
  assert_true (all_fixable (r));
  harness_rewrite (r, &rule_selinux, spec);
  label = get_string (spec, "/process/selinuxLabel");
  mount = get_string (spec, "/linux/mountLabel");
  print_message ("# injected %s / %s\n", label, mount);
  assert_int_equal (sscanf (label, "system_u:system_r:container_t:s0:c%u,c%u", &c1, &c2), 2);
  assert_true (c1 < c2 && c2 < 1024);
  assert_string_equal (strchr (strchr (strchr (mount, ':') + 1, ':') + 1, ':'),
                       strchr (strchr (strchr (label, ':') + 1, ':') + 1, ':'));
  /* Same config, same pair; another container, another pair.  */
  harness_rewrite (r, &rule_selinux, again);
  assert_string_equal (get_string (again, "/process/selinuxLabel"), label);
  other = harness_load ("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
                        "\"linux\":{\"cgroupsPath\":\"/docker/abd\"}}",
                        SPEC_CONFIG);
  harness_rewrite (r, &rule_selinux, other);
  assert_string_not_equal (get_string (other, "/process/selinuxLabel"), label);
}

/* An older container-selinux's lxc_contexts (svirt_* types), as the host facts read it.  */
static bool
fake_lxc_contexts (const struct host_facts *host, char **process, char **file)
{
  *process = xstrdup ("system_u:system_r:svirt_lxc_net_t:s0");
  *file = xstrdup ("system_u:object_r:svirt_sandbox_file_t:s0");
  return true;
}

static void
test_selinux_system_contexts (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (SE_CONFIG ("", ""), SPEC_CONFIG);
  unsigned c1 = 0, c2 = 0;

  r->host.selinux_enabled = true;
  r->host.selinux_container_labels = fake_lxc_contexts;
  assert_int_equal (harness_check (r, &rule_selinux, spec), 1);
  harness_rewrite (r, &rule_selinux, spec);
  assert_int_equal (sscanf (get_string (spec, "/process/selinuxLabel"),
                            "system_u:system_r:svirt_lxc_net_t:s0:c%u,c%u", &c1, &c2),
                    2);
  assert_true (c1 < c2);
  assert_true (str_has_prefix (get_string (spec, "/linux/mountLabel"),
                               "system_u:object_r:svirt_sandbox_file_t:s0:c"));
}

static void
test_selinux_mount_label_level (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (
      SE_CONFIG ("", ",\"mountLabel\":\"system_u:object_r:container_file_t:s0:c7,c9\""),
      SPEC_CONFIG);

  r->host.selinux_enabled = true;
  assert_int_equal (harness_check (r, &rule_selinux, spec), 1);
  harness_rewrite (r, &rule_selinux, spec);
  assert_string_equal (get_string (spec, "/process/selinuxLabel"),
                       "system_u:system_r:container_t:s0:c7,c9");
  assert_string_equal (get_string (spec, "/linux/mountLabel"),
                       "system_u:object_r:container_file_t:s0:c7,c9");
}

static void
test_selinux_validate (void **state)
{
  struct harness *r = *state;

  r->host.selinux_enabled = true;
  assert_int_equal (
      check (r, &rule_selinux,
             SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"", "")),
      0);
  assert_int_equal (
      check (r, &rule_selinux, SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"", "")),
      1);
  assert_true (none_fixable (r));
  assert_true (harness_found (r, "`spc_t` is not confined"));
  assert_int_equal (
      check (r, &rule_selinux,
             SE_CONFIG (",\"selinuxLabel\":\"unconfined_u:unconfined_r:unconfined_t:s0\"", "")),
      1);
  assert_int_equal (check (r, &rule_selinux,
                           SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:made_up_t:s0\"", "")),
                    1);
  assert_true (harness_found (r, "not valid on this host"));
  assert_int_equal (check (r, &rule_selinux, SE_CONFIG (",\"selinuxLabel\":\"container_t\"", "")),
                    1);
  assert_int_equal (check (r, &rule_selinux,
                           SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:container_t:s0\"",
                                      ",\"mountLabel\":\"system_u:object_r:bogus_t:s0\"")),
                    1);
  /* exec: a missing label inherits the container's; a forbidden one is denied.  */
  assert_int_equal (harness_check_json (r, &rule_selinux, PROCESS_DOC (""), SPEC_PROCESS), 0);
  assert_int_equal (
      harness_check_json (r, &rule_selinux,
                          PROCESS_DOC (",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\""),
                          SPEC_PROCESS),
      1);
  /* A policy without the container types: a missing label cannot be fixed.  */
  fake.selinux_refuse_all = true;
  assert_int_equal (check (r, &rule_selinux, SE_CONFIG ("", "")), 1);
  assert_true (none_fixable (r));
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
    cmocka_unit_test_setup_teardown (test_oom_exec_process, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_sysctls_namespace_paths, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_sysctls_allowlist_param, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_hooks_docker_setkey, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_hooks_allowlist, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_host_without_apparmor, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_enabled, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_disabled, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_inject, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_system_contexts, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_mount_label_level, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_validate, setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
