/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in profiles: baseline, restricted and privileged, used as they are when no policy
 * file exists (a supported configuration) and as the bases a policy file builds on.
 *
 * Owns: which action each rule gets in each built-in profile, and the parameters a profile sets
 * otherwise than its rule's default, written as DATA (the tables below) in the policy file's
 * own terms -- rule id, parameter key -- so the policy-file loader can start from a profile and
 * override any row.  The defaults themselves are declared by each rule beside its `struct rule`
 * (params.h).  Must not: read files (the seccomp profiles come from the embedded copies), know
 * rule logic.
 *
 * A rule registered in rules.c but missing from a profile's table gets ACTION_WARN there, and
 * tests/unit/test_rules.c fails until the table names it: a new rule never silently denies, and
 * never silently disappears.  */
#include <config.h>

#include "engine.h"
#include "policy.h"
#include "util.h"

struct profile_action
{
  const char *rule;
  enum rule_action action;
};

/* The baseline profile (PSS baseline + CIS Docker section 5): deny what breaks isolation and
 * cannot be repaired without changing the workload's intent; repair what engines merely forgot;
 * only warn on what every engine does by default (root user, writable rootfs).  */
static const struct profile_action baseline_actions[] = {
  { "privileged", ACTION_DENY },
  { "capabilities", ACTION_REWRITE }, /* denylisted capabilities deny; others are dropped */
  { "host-namespaces", ACTION_DENY },
  { "rootfs", ACTION_DENY },
  { "sensitive-mounts", ACTION_DENY },
  { "mount-propagation", ACTION_REWRITE },
  { "masked-paths", ACTION_REWRITE },
  { "devices", ACTION_DENY },
  { "sysctls", ACTION_DENY },
  { "hooks", ACTION_DENY },
  { "annotations", ACTION_DENY }, /* runtime-read keys: crun run.oci.*, systemd properties */
  { "resource-limits", ACTION_REWRITE },
  { "oom-score-adj", ACTION_REWRITE },
  { "apparmor", ACTION_REWRITE },
  { "selinux", ACTION_REWRITE },
  { "seccomp", ACTION_REWRITE },
  { "no-new-privileges", ACTION_REWRITE },
  { "root-user", ACTION_WARN },
  { "readonly-rootfs", ACTION_WARN },
  { "sshd", ACTION_WARN },
  { "cgroup-parent", ACTION_WARN },
  { "restore", ACTION_DENY }, /* the process comes from a CRIU image ocigate does not read */
  { NULL, ACTION_OFF },
};

/* restricted = baseline plus PSS restricted: non-root (rewritten to 65534), read-only rootfs
 * (rewritten), NET_BIND_SERVICE as the only capability, the strict seccomp profile for the
 * native architecture only, no host bind mounts but the engines' own per-container files.  */
static const struct profile_action restricted_overrides[] = {
  { "root-user", ACTION_REWRITE },
  { "readonly-rootfs", ACTION_REWRITE },
  { NULL, ACTION_OFF },
};

/* A parameter a profile sets otherwise than its rule's default.  */
struct profile_param
{
  const char *rule;
  const char *key;
  struct param_value value;
};

static const char *const restricted_cap_allow[] = { "CAP_NET_BIND_SERVICE", NULL };

/* sensitive-mounts matches a listed path, anything below it and any parent of it; listing every
 * top-level directory of the FHS denies every host bind except the engine-owned per-container
 * files (which that rule checks first).  */
static const char *const restricted_sensitive_paths[] = {
  "/",      "/bin",    "/boot",  "/dev", "/etc", "/home", "/lib",  "/lib32",
  "/lib64", "/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run",
  "/sbin",  "/srv",    "/sys",   "/tmp", "/usr", "/var",  NULL,
};

static const struct profile_param restricted_params[] = {
  { "capabilities", "allow", { .list = restricted_cap_allow } },
  { "sensitive-mounts", "paths", { .list = restricted_sensitive_paths } },
  { "seccomp", "profile", { .text = "strict" } },
  { "seccomp", "native_arch_only", { .number = true } },
  { NULL, NULL, { 0 } },
};

struct profile
{
  const char *name;
  enum policy_mode mode;
  bool warn_everything; /* every rule WARN (the "privileged" profile) */
  const struct profile_action *actions;
  const struct profile_action *overrides;
  const struct profile_param *params; /* NULL: every parameter at its rule's default */
};

static const struct profile profiles[] = {
  { "baseline", MODE_ENFORCE, false, baseline_actions, NULL, NULL },
  { "restricted", MODE_ENFORCE, false, baseline_actions, restricted_overrides, restricted_params },
  /* Audit everything, change nothing: see what baseline would say before enforcing it.  */
  { "privileged", MODE_AUDIT, true, baseline_actions, NULL, NULL },
};

const char *const *
policy_builtin_names (void)
{
  static const char *names[ARRAY_SIZE (profiles) + 1];

  for (size_t i = 0; i < ARRAY_SIZE (profiles); i++)
    names[i] = profiles[i].name;
  return names;
}

bool
policy_is_builtin (const char *name)
{
  return strv_contains (policy_builtin_names (), name);
}

static bool
profile_lookup (const struct profile_action *table, const char *rule, enum rule_action *out)
{
  for (size_t i = 0; table != NULL && table[i].rule != NULL; i++)
    if (str_eq (table[i].rule, rule))
      {
        *out = table[i].action;
        return true;
      }
  return false;
}

static enum rule_action
profile_action_for (const struct profile *p, const char *rule)
{
  enum rule_action action = ACTION_WARN;

  if (p->warn_everything)
    return ACTION_WARN;
  if (!profile_lookup (p->overrides, rule, &action))
    profile_lookup (p->actions, rule, &action);
  return action;
}

/* The embedded seccomp profiles; one that fails to load stays NULL, which makes the seccomp
 * rewrite fail closed with "not loaded" instead of starting an unconfined container.  */
static void
profile_load_seccomp (struct policy *policy)
{
  cleanup_error ocg_error_t ignored = NULL;

  ocg_ignore_result (policy_load_seccomp (policy, NULL, &ignored));
}

struct policy *
policy_builtin (const char *name)
{
  const struct profile *p = NULL;
  struct policy *policy;
  const struct rule *const *table;
  size_t n = 0;

  for (size_t i = 0; i < ARRAY_SIZE (profiles) && p == NULL; i++)
    if (str_eq (profiles[i].name, name))
      p = &profiles[i];
  if (p == NULL)
    return NULL;
  policy = policy_new (p->name, ACTION_WARN);
  policy->mode = p->mode;
  table = rules_table (&n);
  for (size_t i = 0; i < n; i++)
    policy->actions[i] = profile_action_for (p, table[i]->id);
  for (size_t i = 0; p->params != NULL && p->params[i].rule != NULL; i++)
    if (!policy_param_set (policy, p->params[i].rule, p->params[i].key, &p->params[i].value))
      {
        /* A row naming no parameter is a mistake in this file (tests/unit/test_rules.c).  */
        policy_free (policy);
        return NULL;
      }
  profile_load_seccomp (policy);
  return policy;
}
