/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The property: no rewrite loosens what the container asked for.
 *
 * Corpus: every document under tests/fixtures/rules/<rule>/ and tests/fixtures/real-clients/
 * (production/ included), plus variants of every captured engine config that ask for more than
 * the engines' defaults -- runc's own seccomp test profiles (allow all, deny mkdir with ERRNO or
 * KILL), Podman's profile, profiles that do not confine but deny something, generated profiles,
 * fewer capabilities, lower rlimits and limits, no_new_privileges, a high oom score, a read-only
 * root, more masked paths, AppArmor profiles in enforce and complain mode, narrower propagation,
 * a non-root user, narrower device rules.
 *
 * Each document is evaluated in enforce mode under the built-in baseline and restricted profiles,
 * once with the whole profile and once per rewriting rule alone (the others off), on the fake host
 * and on a fake host with AppArmor and SELinux on.  Whenever the verdict is a rewrite, the result
 * must be at least as strict as the original on every field (strictness.h defines each).  Under the
 * audit-only privileged profile nothing may change at all.  A denial is not judged here: it never
 * reaches the runtime.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
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
#include "seccomp_gen.h"
#include "strictness.h"
#include "util.h"

static const char *
fixtures_dir (void)
{
  const char *dir = getenv ("OCG_FIXTURES");
  return dir && *dir ? dir : "tests/fixtures";
}

static char *
read_text (const char *path)
{
  cleanup_file FILE *f = fopen (path, "re");
  char *buf = NULL;
  size_t cap = 0, n = 0, got;

  if (f == NULL)
    fail_msg ("open `%s`: %s", path, strerror (errno));
  do
    {
      if (n + 4097 > cap)
        buf = xrealloc (buf, cap = (n + 4097) * 2);
      got = fread (buf + n, 1, cap - n - 1, f);
      n += got;
    }
  while (got > 0);
  buf[n] = '\0';
  return buf;
}

static enum spec_kind
kind_of (const char *name)
{
  return strstr (name, ".process") != NULL ? SPEC_PROCESS : SPEC_CONFIG;
}

/* A fixture as police.c loads it; NULL when the loader refuses it (then it is refused before any
 * rule runs).  */
static struct spec *
load (const char *name, const char *text)
{
  cleanup_error ocg_error_t err = NULL;

  return spec_load_buffer (text, strlen (text), name, kind_of (name), &err);
}

/* ---- the runs ---- */

struct tally
{
  unsigned docs, runs, rewrites, loosened;
};

/* Any context with a type is valid: what the selinux rule injects or keeps is judged, not the
 * host's policy.  */
static bool
lsm_selinux_valid (const struct host_facts *host, const char *context)
{
  return host->selinux_enabled && strstr (context, "_t") != NULL;
}

/* The plain fake host, or one with AppArmor (profiles in several modes) and SELinux on.  */
static void
host_make (struct host_facts *host, bool lsm)
{
  fake_host_init (host);
  if (!lsm)
    return;
  host->selinux_enabled = true;
  host->selinux_context_valid = lsm_selinux_valid;
  fake_host_add_apparmor_profile (host, "docker-default");
  fake_host_add_apparmor_profile (host, "ocg-enforced");
  fake_host_add_apparmor_profile_mode (host, "ocg-complain", "complain");
  fake_host_add_apparmor_profile_mode (host, "ocg-flags-unconfined", "unconfined");
}

static void
report (struct tally *t, const char *doc, const char *how, const struct strict_report *r)
{
  for (size_t i = 0; i < r->n; i++, t->loosened++)
    if (t->loosened < 60)
      print_message ("# LOOSENED %s (%s): %s\n", doc, how, r->lines[i]);
}

static void
run_one (struct tally *t, const char *doc, const char *text, struct policy *policy,
         const struct host_facts *host, const char *how)
{
  cleanup_spec struct spec *before = load (doc, text);
  cleanup_spec struct spec *after = load (doc, text);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *id = NULL;
  struct strict_report r = { 0 };
  struct decision d = { 0 };
  struct call call;

  if (before == NULL)
    return;
  /* The call it comes with, as test_rules.c judges it.  */
  call = harness_fixture_call (after, &id);
  t->runs++;
  if (engine_evaluate (policy, host, &call, after, &d, &err) < 0)
    fail_msg ("%s (%s): engine: %s", doc, how, err ? err->msg : "?");
  if (policy->mode == MODE_AUDIT && after->n_ops != 0)
    fail_msg ("%s (%s): audit mode changed the document", doc, how);
  if (d.verdict == VERDICT_REWRITE)
    {
      t->rewrites++;
      strict_compare (before, after, host, &r);
      report (t, doc, how, &r);
      strict_report_release (&r);
    }
  decision_release (&d);
}

/* The whole profile, then each rule that rewrites, alone (on the LSM host only the rules that
 * read it: the others see no difference).  */
static void
run_profile (struct tally *t, const char *doc, const char *text, const char *profile,
             const struct host_facts *host, const char *host_name)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);
  cleanup_policy struct policy *whole = policy_builtin (profile);
  cleanup_free char *how = xasprintf ("%s, %s", profile, host_name);

  run_one (t, doc, text, whole, host, how);
  for (size_t i = 0; whole->mode == MODE_ENFORCE && i < n; i++)
    {
      cleanup_policy struct policy *one = policy_builtin (profile);
      cleanup_free char *how1 = NULL;

      if (table[i]->rewrite == NULL || !(table[i]->kinds & RULE_KIND (kind_of (doc)))
          || (host->apparmor_enabled && !str_eq (table[i]->id, "apparmor")
              && !str_eq (table[i]->id, "selinux")))
        continue;
      for (size_t k = 0; k < n; k++)
        one->actions[k] = k == i ? ACTION_REWRITE : ACTION_OFF;
      how1 = xasprintf ("%s rule %s alone, %s", profile, table[i]->id, host_name);
      run_one (t, doc, text, one, host, how1);
    }
}

/* Documents already judged (the same capture sits in several fixture directories).  */
static uint64_t *seen;
static size_t n_seen;

static bool
seen_before (const char *text)
{
  uint64_t h = UINT64_C (14695981039346656037);

  for (const char *p = text; *p; p++)
    h = (h ^ (unsigned char)*p) * UINT64_C (1099511628211);
  for (size_t i = 0; i < n_seen; i++)
    if (seen[i] == h)
      return true;
  seen = xreallocarray (seen, n_seen + 1, sizeof (*seen));
  seen[n_seen++] = h;
  return false;
}

static void
run_doc (struct tally *t, const char *doc, const char *text)
{
  static const char *const profiles[] = { "baseline", "restricted", "privileged" };

  if (seen_before (text))
    return;
  t->docs++;
  for (int aa = 0; aa < 2; aa++)
    {
      struct host_facts host;
      host_make (&host, aa == 1);
      for (size_t p = 0; p < ARRAY_SIZE (profiles); p++)
        run_profile (t, doc, text, profiles[p], &host, aa ? "AppArmor+SELinux host" : "plain host");
    }
}

static void
tally_check (const struct tally *t, const char *what)
{
  print_message ("# %s: %u documents, %u evaluations, %u rewrites, %u loosened fields\n", what,
                 t->docs, t->runs, t->rewrites, t->loosened);
  assert_true (t->rewrites > 0);
  assert_int_equal (t->loosened, 0);
}

/* ---- the corpus ---- */

static int
name_cmp (const void *a, const void *b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* The *.json files of dir, sorted, NULL-terminated (NULL when dir cannot be read).  */
static char **
json_files (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0;

  while (d != NULL && (de = readdir (d)) != NULL)
    {
      size_t len = strlen (de->d_name);
      if (len < 5 || strcmp (de->d_name + len - 5, ".json") != 0)
        continue;
      names = xreallocarray (names, n + 2, sizeof (*names));
      names[n++] = xstrdup (de->d_name);
      names[n] = NULL;
    }
  if (d != NULL)
    closedir (d);
  if (n > 1)
    qsort (names, n, sizeof (*names), name_cmp);
  return names;
}

static void
run_dir (struct tally *t, const char *dir)
{
  cleanup_strv char **files = json_files (dir);

  for (size_t i = 0; files != NULL && files[i] != NULL; i++)
    {
      cleanup_free char *path = xasprintf ("%s/%s", dir, files[i]);
      cleanup_free char *text = read_text (path);
      run_doc (t, path, text);
    }
}

static void
test_rule_fixtures (void **state)
{
  cleanup_free char *root = xasprintf ("%s/rules", fixtures_dir ());
  DIR *d = opendir (root);
  struct dirent *de;
  struct tally t = { 0 };

  (void)state;
  assert_non_null (d);
  while ((de = readdir (d)) != NULL)
    if (de->d_name[0] != '.')
      {
        cleanup_free char *dir = xasprintf ("%s/%s", root, de->d_name);
        run_dir (&t, dir);
      }
  closedir (d);
  tally_check (&t, "rule fixtures");
}

static void
test_real_clients (void **state)
{
  cleanup_free char *dir = xasprintf ("%s/real-clients", fixtures_dir ());
  cleanup_free char *prod = xasprintf ("%s/real-clients/production", fixtures_dir ());
  struct tally t = { 0 };

  (void)state;
  run_dir (&t, dir);
  run_dir (&t, prod);
  tally_check (&t, "real clients");
}

/* ---- variants: a captured config asking for more than the engine's defaults ---- */

static struct json_node *
parse (const char *text)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_parse_opts opts = { .source = "variant" };
  struct json_node *n = json_parse (text, strlen (text), &opts, &err);

  if (n == NULL)
    fail_msg ("variant: %s", err->msg);
  return n;
}

/* Set the member at a "/a/b" path (objects created on the way).  */
static void
set_at (struct json_node *root, const char *ptr, struct json_node *value)
{
  cleanup_free char *copy = xstrdup (ptr);
  char *save = NULL, *tok = strtok_r (copy, "/", &save), *next;

  for (; (next = strtok_r (NULL, "/", &save)) != NULL; tok = next)
    {
      if (json_obj_get (root, tok) == NULL || json_obj_get (root, tok)->type != JSON_OBJECT)
        json_obj_set (root, tok, json_new_object ());
      root = json_obj_get (root, tok);
    }
  json_obj_set (root, tok, value);
}

static const struct
{
  const char *name;
  const char *ptr;
  const char *value; /* JSON */
} variants[] = {
  { "runc-mkdir-errno", "/linux/seccomp",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
    "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}" },
  { "runc-mkdir-errno-100", "/linux/seccomp",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":"
    "\"SCMP_ACT_ERRNO\",\"errnoRet\":100}]}" },
  { "runc-mkdir-kill", "/linux/seccomp",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
    "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_KILL\"}]}" },
  { "log-deny-chmod", "/linux/seccomp",
    "{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[{\"names\":[\"chmod\",\"fchmodat\"],"
    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}" },
  { "allow-kill-keyctl", "/linux/seccomp",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_"
    "X86\","
    "\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[\"keyctl\"],\"action\":\"SCMP_ACT_KILL\"},"
    "{\"names\":[\"unshare\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":95},{\"names\":["
    "\"socket\"],"
    "\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}" },
  { "deny-default-allows-bpf", "/linux/seccomp",
    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"write\",\"exit\","
    "\"exit_group\",\"bpf\",\"execve\",\"mmap\",\"brk\"],\"action\":\"SCMP_ACT_ALLOW\"}]}" },
  { "conditional-socket-deny", "/linux/seccomp",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"socket\"],\"action\":"
    "\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_EQ\"}]}]}" },
  { "caps-kill-only", "/process/capabilities",
    "{\"bounding\":[\"CAP_KILL\"],\"effective\":[\"CAP_KILL\"],\"permitted\":[\"CAP_KILL\"]}" },
  { "rlimits-low", "/process/rlimits",
    "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":64,\"soft\":64},{\"type\":\"RLIMIT_NPROC\",\"hard\":32,"
    "\"soft\":32},{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}]" },
  { "memory-low", "/linux/resources/memory",
    "{\"limit\":67108864,\"swap\":67108864,\"reservation\":33554432}" },
  { "pids-low", "/linux/resources/pids", "{\"limit\":16}" },
  { "cpu-low", "/linux/resources/cpu", "{\"shares\":2,\"quota\":10000,\"period\":100000}" },
  { "devices-narrow", "/linux/resources/devices",
    "[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,"
    "\"access\":\"rw\"}]" },
  { "nnp", "/process/noNewPrivileges", "true" },
  { "oom-high", "/process/oomScoreAdj", "900" },
  { "readonly-root", "/root/readonly", "true" },
  { "masked-more", "/linux/maskedPaths", "[\"/proc/kcore\",\"/proc/ocg-custom\"]" },
  { "readonly-more", "/linux/readonlyPaths", "[\"/proc/sys\",\"/proc/ocg-custom-ro\"]" },
  { "apparmor-enforced", "/process/apparmorProfile", "\"ocg-enforced\"" },
  { "apparmor-complain", "/process/apparmorProfile", "\"ocg-complain\"" },
  { "apparmor-flags-unconfined", "/process/apparmorProfile", "\"ocg-flags-unconfined\"" },
  { "selinux-label", "/process/selinuxLabel", "\"system_u:system_r:container_t:s0:c1,c2\"" },
  { "rootfs-rprivate", "/linux/rootfsPropagation", "\"rprivate\"" },
  { "user-1000", "/process/user",
    "{\"uid\":1000,\"gid\":1000,\"additionalGids\":[1000],\"umask\":63}" },
};

static char *
variant_text (const char *base, const char *ptr, struct json_node *value)
{
  cleanup_json struct json_node *root = parse (base);
  cleanup_error ocg_error_t err = NULL;
  char *text;

  set_at (root, ptr, value);
  text = json_serialize (root, NULL, &err);
  assert_non_null (text);
  return text;
}

/* The captured configs (not exec documents) of real-clients/ and production/.  */
static char **
client_configs (void)
{
  const char *const dirs[] = { "real-clients", "real-clients/production" };
  char **out = NULL;
  size_t n = 0;

  for (size_t k = 0; k < ARRAY_SIZE (dirs); k++)
    {
      cleanup_free char *dir = xasprintf ("%s/%s", fixtures_dir (), dirs[k]);
      cleanup_strv char **files = json_files (dir);
      for (size_t i = 0; files != NULL && files[i] != NULL; i++)
        if (kind_of (files[i]) == SPEC_CONFIG)
          {
            out = xreallocarray (out, n + 2, sizeof (*out));
            out[n++] = xasprintf ("%s/%s", dir, files[i]);
            out[n] = NULL;
          }
    }
  return out;
}

static void
test_variants (void **state)
{
  cleanup_strv char **configs = client_configs ();
  struct tally t = { 0 };

  (void)state;
  assert_non_null (configs);
  for (size_t c = 0; configs[c] != NULL; c++)
    {
      cleanup_free char *base = read_text (configs[c]);
      for (size_t v = 0; v < ARRAY_SIZE (variants); v++)
        {
          cleanup_free char *text = variant_text (base, variants[v].ptr, parse (variants[v].value));
          cleanup_free char *doc = xasprintf ("%s [%s]", configs[c], variants[v].name);
          run_doc (&t, doc, text);
        }
    }
  tally_check (&t, "variants");
}

/* Generated seccomp objects on Docker's and Podman's default configs.  */
static void
test_generated_seccomp (void **state)
{
  const char *const bases[] = { "docker-default.config.json", "podman-default.config.json" };
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  struct tally t = { 0 };

  (void)state;
  for (int i = 0; i < 60; i++)
    {
      cleanup_free char *path
          = xasprintf ("%s/real-clients/%s", fixtures_dir (), bases[i % ARRAY_SIZE (bases)]);
      cleanup_free char *base = read_text (path);
      cleanup_free char *text = variant_text (base, "/linux/seccomp", seccomp_gen_profile (&seed));
      cleanup_free char *doc = xasprintf ("%s [generated seccomp %d]", path, i);
      run_doc (&t, doc, text);
    }
  tally_check (&t, "generated seccomp");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_rule_fixtures),
    cmocka_unit_test (test_real_clients),
    cmocka_unit_test (test_variants),
    cmocka_unit_test (test_generated_seccomp),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
