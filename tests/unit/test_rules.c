/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule catalogue, tested from data:
 *
 * 1. The generic fixture driver over tests/fixtures/rules/<rule-id>/.  Each file is one test,
 *    run with the built-in profile named in the directory's optional `profile` file (default
 *    "baseline") and with ONLY that rule enabled, on the fake host (fake_host.h):
 *      pass*.json            the rule finds nothing;
 *      fail*.json            the rule's finding denies (a rule that merely warns in the profile
 *                            is raised to deny for this: the fixture proves it finds something);
 *      rewrite*-in.json      with the rule's action set to rewrite: verdict REWRITE, the result
 *      rewrite*-out.json     equals -out.json exactly, a second pass over the result changes
 *                            nothing (rewrite is idempotent), and -out.json itself passes.
 *    A file whose name contains ".process." is an `exec --process` document; anything else a
 *    config.json.  A new rule is a new directory; nothing here needs to change.
 *    The directories of the resource and host-interface rules are also run rule by rule on their
 *    check and rewrite alone: a failing fixture's findings are not fixable, a rewrite fixture's
 *    all are.
 * 2. The real-client table: every config captured from docker, ctr, CRI and podman
 *    (tests/fixtures/real-clients/) through the whole baseline profile: allowed or denied, and
 *    exactly which rules deny.  Rules of the catalogue that are not registered yet are left out
 *    of the expectation (and said so in the TAP output).
 * The built-in profiles' actions are test_profiles.c's.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
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
#include "util.h"

extern const struct rule rule_resource_limits;
extern const struct rule rule_oom_score_adj;
extern const struct rule rule_sysctls;
extern const struct rule rule_hooks;
extern const struct rule rule_apparmor;
extern const struct rule rule_selinux;

/* ---- helpers ---- */

static const char *
fixtures_dir (void)
{
  const char *dir = getenv ("OCG_FIXTURES");
  return dir && *dir ? dir : "tests/fixtures";
}

static char *
read_file (const char *path, size_t *len)
{
  cleanup_file FILE *f = fopen (path, "re");
  char *buf = NULL;
  size_t cap = 0, n = 0;

  if (f == NULL)
    fail_msg ("open `%s`: %s", path, strerror (errno));
  for (;;)
    {
      size_t got;
      if (n + 4096 + 1 > cap)
        buf = xrealloc (buf, cap = (n + 4096 + 1) * 2);
      got = fread (buf + n, 1, cap - n - 1, f);
      n += got;
      if (got == 0)
        break;
    }
  buf[n] = '\0';
  *len = n;
  return buf;
}

static enum spec_kind
kind_of (const char *path)
{
  const char *base = strrchr (path, '/');
  return strstr (base ? base : path, ".process") != NULL ? SPEC_PROCESS : SPEC_CONFIG;
}

static struct spec *
load_spec (const char *path)
{
  size_t len = 0;
  cleanup_free char *buf = read_file (path, &len);
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec = spec_load_buffer (buf, len, path, kind_of (path), &err);

  if (spec == NULL)
    fail_msg ("load `%s`: %s", path, err ? err->msg : "?");
  return spec;
}

static bool
lists_rule (const struct findings *f, const struct rule *rule)
{
  for (size_t i = 0; i < f->n; i++)
    if (f->items[i].rule == rule)
      return true;
  return false;
}

static void
print_findings (const char *what, const struct findings *f)
{
  for (size_t i = 0; i < f->n; i++)
    print_message ("#   %s %s %s: %s\n", what, f->items[i].rule->id, f->items[i].path,
                   f->items[i].message);
}

static void
print_decision (const struct decision *d)
{
  print_findings ("denied", &d->denied);
  print_findings ("fixed", &d->fixed);
  print_findings ("warned", &d->warned);
}

/* Evaluate as the engine judges the document in production: with the call it comes with.  */
static void
evaluate (struct harness *h, struct spec *spec, struct decision *d)
{
  cleanup_free char *id = NULL;

  h->call = harness_fixture_call (spec, &id);
  harness_evaluate (h, spec, d);
  h->call = (struct call){ 0 };
}

/* ---- 1. the fixture driver ---- */

enum fixture_type
{
  FIXTURE_PASS,
  FIXTURE_FAIL,
  FIXTURE_REWRITE,
};

struct fixture
{
  char *rule_id;
  char *profile;
  char *path;
  char *out_path; /* rewrite only */
  enum fixture_type type;
};

/* The built-in profile with only rule `index` enabled; *action gets its action there.  */
static struct harness *
single_rule_harness (const char *profile, size_t index, enum rule_action *action)
{
  struct harness *h = harness_new (profile);
  size_t n = 0;

  rules_table (&n);
  *action = h->policy->actions[index];
  for (size_t i = 0; i < n; i++)
    h->policy->actions[i] = ACTION_OFF;
  return h;
}

static void
fixture_rewrite (const struct fixture *fx, struct harness *h, struct spec *spec,
                 const struct rule *rule)
{
  struct decision d = { 0 };
  cleanup_spec struct spec *want = load_spec (fx->out_path);
  cleanup_error ocg_error_t err = NULL;
  size_t ops;

  evaluate (h, spec, &d);
  if (d.verdict != VERDICT_REWRITE)
    print_decision (&d);
  assert_int_equal (d.verdict, VERDICT_REWRITE);
  assert_true (lists_rule (&d.fixed, rule));
  decision_release (&d);
  if (!json_equal (spec->root, want->root))
    {
      cleanup_free char *got = json_serialize (spec->root, NULL, &err);
      print_message ("# rewrite of %s differs from %s; got:\n%s\n", fx->path, fx->out_path, got);
      fail ();
    }
  ops = spec->n_ops;
  evaluate (h, spec, &d);
  assert_int_equal (d.verdict, VERDICT_ALLOW);
  assert_int_equal (spec->n_ops, ops);
  decision_release (&d);
  evaluate (h, want, &d);
  assert_int_equal (d.verdict, VERDICT_ALLOW);
  assert_int_equal (d.denied.n + d.fixed.n + d.warned.n, 0);
  decision_release (&d);
}

static void
run_fixture (void **state)
{
  const struct fixture *fx = *state;
  size_t index = 0;
  const struct rule *rule = rules_find (fx->rule_id, &index);
  enum rule_action action = ACTION_OFF;
  struct harness *h = NULL;
  cleanup_spec struct spec *spec = load_spec (fx->path);
  struct decision d = { 0 };

  if (rule == NULL)
    fail_msg ("fixture directory `%s` names no registered rule", fx->rule_id);
  h = single_rule_harness (fx->profile, index, &action);
  if (fx->type == FIXTURE_REWRITE)
    {
      h->policy->actions[index] = ACTION_REWRITE;
      fixture_rewrite (fx, h, spec, rule);
      harness_free (h);
      return;
    }
  h->policy->actions[index]
      = (action == ACTION_OFF || action == ACTION_WARN) ? ACTION_DENY : action;
  evaluate (h, spec, &d);
  if (fx->type == FIXTURE_PASS && d.denied.n + d.fixed.n + d.warned.n != 0)
    print_decision (&d);
  if (fx->type == FIXTURE_PASS)
    assert_int_equal (d.denied.n + d.fixed.n + d.warned.n, 0);
  else
    {
      if (d.verdict != VERDICT_DENY)
        print_decision (&d);
      assert_int_equal (d.verdict, VERDICT_DENY);
      assert_true (lists_rule (&d.denied, rule));
    }
  decision_release (&d);
  harness_free (h);
}

static bool
has_suffix (const char *s, const char *suffix)
{
  size_t n = strlen (s), m = strlen (suffix);
  return n >= m && strcmp (s + n - m, suffix) == 0;
}

static int
name_cmp (const void *a, const void *b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Sorted entry names of a directory (no dot files), NULL-terminated.  */
static char **
list_dir (const char *path)
{
  DIR *dir = opendir (path);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0;

  if (dir == NULL)
    return NULL;
  while ((de = readdir (dir)) != NULL)
    {
      if (de->d_name[0] == '.')
        continue;
      names = xreallocarray (names, n + 2, sizeof (*names));
      names[n++] = xstrdup (de->d_name);
      names[n] = NULL;
    }
  closedir (dir);
  if (names != NULL)
    qsort (names, n, sizeof (*names), name_cmp);
  return names;
}

static char *
dir_profile (const char *dir)
{
  cleanup_free char *path = xasprintf ("%s/profile", dir);
  cleanup_file FILE *f = fopen (path, "re");
  char name[64] = "baseline";

  if (f != NULL && fscanf (f, "%63s", name) != 1)
    fail_msg ("`%s` names no profile", path);
  return xstrdup (name);
}

static bool
fixture_classify (const char *dir, const char *name, struct fixture *fx)
{
  size_t n = strlen (name);

  if (!has_suffix (name, ".json"))
    return false;
  fx->path = xasprintf ("%s/%s", dir, name);
  if (str_has_prefix (name, "pass"))
    fx->type = FIXTURE_PASS;
  else if (str_has_prefix (name, "fail"))
    fx->type = FIXTURE_FAIL;
  else if (str_has_prefix (name, "rewrite") && has_suffix (name, "-in.json"))
    {
      fx->type = FIXTURE_REWRITE;
      fx->out_path = xasprintf ("%s/%.*s-out.json", dir, (int)(n - strlen ("-in.json")), name);
    }
  else
    {
      free (fx->path);
      return false;
    }
  return true;
}

static void
add_fixture_tests (struct CMUnitTest **tests, size_t *n)
{
  cleanup_free char *root = xasprintf ("%s/rules", fixtures_dir ());
  cleanup_strv char **rules = list_dir (root);

  for (size_t r = 0; rules != NULL && rules[r] != NULL; r++)
    {
      cleanup_free char *dir = xasprintf ("%s/%s", root, rules[r]);
      cleanup_strv char **files = list_dir (dir);
      cleanup_free char *profile = dir_profile (dir);

      for (size_t f = 0; files != NULL && files[f] != NULL; f++)
        {
          struct fixture *fx = xzalloc (sizeof (*fx));

          if (!fixture_classify (dir, files[f], fx))
            {
              free (fx);
              continue;
            }
          fx->rule_id = xstrdup (rules[r]);
          fx->profile = xstrdup (profile);
          *tests = xreallocarray (*tests, *n + 1, sizeof (**tests));
          (*tests)[(*n)++] = (struct CMUnitTest){
            .name = xasprintf ("%s/%s", rules[r], files[f]),
            .test_func = run_fixture,
            .initial_state = fx,
          };
        }
    }
}

/* ---- 1b. the host-interface rules' fixture directories, rule by rule ---- */

/* The fake host, plus another process's binary, a dockerd whose binary was replaced on disk, and a
 * small SELinux policy (for the hooks and selinux fixtures).  */
static int
setup_host_interface (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_add_link ("/proc/7318/exe", "/usr/bin/python3");
  fake_host_add_link ("/proc/7319/exe", "/usr/sbin/dockerd (deleted)");
  fake_host_set_selinux_policy (&r->host, false);
  *state = r;
  return 0;
}

static const struct rule *
host_fixture_rule (const char *dir)
{
  const struct rule *rules[] = { &rule_resource_limits, &rule_oom_score_adj, &rule_sysctls,
                                 &rule_hooks,           &rule_apparmor,      &rule_selinux };
  for (size_t i = 0; i < ARRAY_SIZE (rules); i++)
    if (strcmp (rules[i]->id, dir) == 0)
      return rules[i];
  return NULL;
}

static struct spec *
host_fixture_load (int dirfd, const char *name)
{
  cleanup_error ocg_error_t err = NULL;
  enum spec_kind kind = strstr (name, ".process") != NULL ? SPEC_PROCESS : SPEC_CONFIG;
  struct spec *spec = spec_load_at (dirfd, name, kind, &err);
  if (spec == NULL)
    fail_msg ("cannot load `%s`: %s", name, err ? err->msg : "?");
  return spec;
}

static void
host_fixture_rewrite (struct harness *r, const struct rule *rule, int dirfd, const char *in_name)
{
  int stem = (int)(strstr (in_name, "-in.json") - in_name);
  cleanup_free char *out_name = xasprintf ("%.*s-out.json", stem, in_name);
  cleanup_spec struct spec *in = host_fixture_load (dirfd, in_name);
  cleanup_spec struct spec *out = host_fixture_load (dirfd, out_name);

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
host_fixture_one (struct harness *r, const struct rule *rule, int dirfd, const char *name)
{
  print_message ("# fixture %s/%s\n", rule->id, name);
  if (str_has_prefix (name, "pass"))
    {
      cleanup_spec struct spec *spec = host_fixture_load (dirfd, name);
      assert_int_equal (harness_check (r, rule, spec), 0);
    }
  else if (str_has_prefix (name, "fail"))
    {
      cleanup_spec struct spec *spec = host_fixture_load (dirfd, name);
      assert_true (harness_check (r, rule, spec) > 0);
      assert_true (rule->rewrite == NULL || harness_none_fixable (r));
    }
  else if (str_has_prefix (name, "rewrite") && strstr (name, "-in.json") != NULL)
    host_fixture_rewrite (r, rule, dirfd, name);
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
            host_fixture_one (r, host_fixture_rule (dirs[i]), dirfd, e->d_name);
            total++;
          }
      closedir (d);
    }
  assert_true (total >= 60); /* the directories were found and read */
}

/* ---- 2. the real-client table ---- */

/* Expected baseline outcome for every captured config: `deny` and the exact set of rules that
 * deny (space-separated).  Owners of rules add their ids here.  */
static const struct
{
  const char *file;
  bool deny;
  const char *rules;
} client_table[] = {
  { "docker-default.config.json", false, "" },
  { "docker-tty.config.json", false, "" },
  { "docker-memory-64m.config.json", false, "" },
  { "docker-read-only.config.json", false, "" },
  { "docker-no-new-privileges.config.json", false, "" },
  { "podman-default.config.json", false, "" },
  { "ctr-default.config.json", false, "" },
  { "cri-podnet-sandbox-pause.config.json", false, "" },
  /* The lab added `-v /etc:/hostetc:ro` to this pod: sensitive-mounts denies a bind of /etc even
   * read-only (it exposes /etc/shadow and every host credential under /etc; PSS baseline forbids
   * hostPath volumes).  The same pod without that bind is production/k8s-pod-container.  */
  { "cri-podnet-container.config.json", true, "sensitive-mounts" },
  { "production/docker-default-bridge.config.json", false, "" },
  { "production/docker-init.config.json", false, "" },
  { "production/docker-named-volume-and-bind.config.json", false, "" },
  { "production/k8s-pod-sandbox.config.json", false, "" },
  { "production/k8s-pod-container.config.json", false, "" },
  { "production/podman-default.config.json", false, "" },
  /* CRI-O's shape (server/container_create.go), judged as CRI-O calls the runtime (--root).  */
  { "production/crio-pod-container.config.json", false, "" },
  { "docker-privileged.config.json", true, "privileged capabilities devices sensitive-mounts" },
  { "podman-privileged.config.json", true, "privileged capabilities devices sensitive-mounts" },
  { "ctr-privileged.config.json", true, "privileged capabilities devices sensitive-mounts" },
  { "cri-privileged-container.config.json", true,
    "privileged capabilities devices sensitive-mounts" },
  { "docker-cap-add-sys-admin.config.json", true, "capabilities" },
  { "docker-net-host.config.json", true, "host-namespaces" },
  /* ctr --net-host also binds the host's /etc/hosts and /etc/resolv.conf.  */
  { "ctr-net-host.config.json", true, "host-namespaces sensitive-mounts" },
  { "podman-net-host.config.json", true, "host-namespaces" },
  { "cri-hostnet-sandbox-pause.config.json", true, "host-namespaces" },
  { "cri-hostnet-container.config.json", true, "host-namespaces sensitive-mounts" },
  { "production/docker-net-host.config.json", true, "host-namespaces" },
  { "production/k8s-hostnet-container.config.json", true, "host-namespaces sensitive-mounts" },
  { "docker-volume-etc-hostetc.config.json", true, "sensitive-mounts" },
  { "production/docker-volume-etc.config.json", true, "sensitive-mounts" },
  /* exec --process documents (CIS 5.23 / 5.24).  */
  { "docker-exec-plain.process.json", false, "" },
  { "docker-exec-tty.process.json", false, "" },
  { "docker-exec-user-nobody.process.json", false, "" },
  { "cri-execsync.process.json", false, "" },
  { "docker-exec-privileged.process.json", true, "privileged capabilities" },
  { "podman-exec-privileged.process.json", true, "privileged capabilities" },
};

/* Does the space-separated list name id?  */
static bool
word_in (const char *list, const char *id)
{
  size_t n = strlen (id);

  for (const char *p = list; (p = strstr (p, id)) != NULL; p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
      return true;
  return false;
}

static void
client_check_rules (const char *file, const char *expected, const struct decision *d)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);
  bool ok = true;

  for (size_t i = 0; i < n; i++)
    {
      bool want = word_in (expected, table[i]->id);
      bool got = lists_rule (&d->denied, table[i]);
      if (want != got)
        {
          print_message ("# %s: rule `%s` %s\n", file, table[i]->id,
                         got ? "denies unexpectedly" : "was expected to deny");
          ok = false;
        }
    }
  for (const char *p = expected; *p != '\0';)
    {
      size_t len = strcspn (p, " ");
      cleanup_free char *id = xstrndup (p, len);
      if (len > 0 && rules_find (id, NULL) == NULL)
        print_message ("# %s: rule `%s` is not registered yet: not checked\n", file, id);
      p += len + strspn (p + len, " ");
    }
  if (!ok)
    print_decision (d);
  assert_true (ok);
}

static void
run_client (void **state)
{
  size_t i = (size_t)(uintptr_t)*state;
  cleanup_free char *path = xasprintf ("%s/real-clients/%s", fixtures_dir (), client_table[i].file);
  cleanup_spec struct spec *spec = load_spec (path);
  struct harness *h = harness_new ("baseline");
  struct decision d = { 0 };
  size_t ops;

  evaluate (h, spec, &d);
  client_check_rules (client_table[i].file, client_table[i].rules, &d);
  assert_int_equal (d.verdict == VERDICT_DENY, client_table[i].deny);
  decision_release (&d);
  if (!client_table[i].deny)
    {
      /* Allowed: the rewritten document is final -- a second pass changes nothing.  */
      ops = spec->n_ops;
      evaluate (h, spec, &d);
      if (d.verdict != VERDICT_ALLOW)
        print_decision (&d);
      assert_int_equal (d.verdict, VERDICT_ALLOW);
      assert_int_equal (spec->n_ops, ops);
      decision_release (&d);
    }
  harness_free (h);
}

/* Every captured config is in the table (a new capture needs a decision).  */
static void
test_client_table_complete (void **state)
{
  const char *dirs[] = { "", "production/" };

  (void)state;
  for (size_t k = 0; k < ARRAY_SIZE (dirs); k++)
    {
      cleanup_free char *dir = xasprintf ("%s/real-clients/%s", fixtures_dir (), dirs[k]);
      cleanup_strv char **files = list_dir (dir);

      assert_non_null (files);
      for (size_t f = 0; files[f] != NULL; f++)
        {
          cleanup_free char *name = xasprintf ("%s%s", dirs[k], files[f]);
          bool found = false;

          if (!has_suffix (name, ".json"))
            continue;
          for (size_t i = 0; i < ARRAY_SIZE (client_table) && !found; i++)
            found = str_eq (client_table[i].file, name);
          if (!found)
            fail_msg ("captured config `%s` has no row in client_table", name);
        }
    }
}

int
main (void)
{
  struct CMUnitTest *tests = NULL;
  size_t n = 0;
  static const struct CMUnitTest fixed[] = {
    cmocka_unit_test (test_client_table_complete),
    cmocka_unit_test_setup_teardown (test_fixtures, setup_host_interface, harness_teardown),
  };

  for (size_t i = 0; i < ARRAY_SIZE (fixed); i++)
    {
      tests = xreallocarray (tests, n + 1, sizeof (*tests));
      tests[n++] = fixed[i];
    }
  add_fixture_tests (&tests, &n);
  for (size_t i = 0; i < ARRAY_SIZE (client_table); i++)
    {
      tests = xreallocarray (tests, n + 1, sizeof (*tests));
      tests[n++] = (struct CMUnitTest){
        .name = xasprintf ("real-clients/%s", client_table[i].file),
        .test_func = run_client,
        .initial_state = (void *)(uintptr_t)i,
      };
    }
  return _cmocka_run_group_tests ("rules", tests, n, NULL, NULL);
}
