/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in profiles (baseline, restricted, privileged) and the action names.
 *
 * Owns: which action each rule gets in each built-in profile, and the profile-level parameters,
 * written as DATA (tables below), so the policy-file loader (policy_file.c) can start from a
 * profile and override any row: every parameter is marked with the policy-file key it maps to.
 * Parameters a profile leaves unset (NULL lists) mean "the rule's built-in default", which lives
 * next to the rule that owns it (ruleutil.c, defaults_isolation.h, defaults_resources.h).
 * Must not: read files (the seccomp profile comes from the embedded copy), know rule logic.
 *
 * A rule registered in rules.c but missing from a profile's table gets ACTION_WARN there, and
 * tests/unit/test_engine.c fails until the table names it: a new rule never silently denies, and
 * never silently disappears.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "policy.h"
#include "defaults_resources.h"
#include "ruleutil.h"
#include "seccomp.h"
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
 * (rewritten), NET_BIND_SERVICE as the only capability, the strict seccomp profile, no host
 * bind mounts but the engines' own per-container files.  */
static const struct profile_action restricted_overrides[] = {
  { "root-user", ACTION_REWRITE },
  { "readonly-rootfs", ACTION_REWRITE },
  { NULL, ACTION_OFF },
};

/* Profile parameters.  NULL = the rule's built-in default.  */
struct profile_params
{
  const char *const *cap_allow;       /* policy file: capabilities.allow */
  const char *const *cap_deny;        /* capabilities.deny */
  const char *const *sensitive_paths; /* sensitive-mounts.paths */
  const char *seccomp_profile;        /* seccomp.profile: "default", "strict" or a path */
  const char *const *cgroup_parents;  /* cgroup-parent.parents */
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

static const struct profile_params baseline_params = {
  .cap_allow = ruleutil_docker_default_caps,
  .cap_deny = ruleutil_default_cap_deny,
  .sensitive_paths = NULL,
  .seccomp_profile = "default",
  .cgroup_parents = ruleutil_default_cgroup_parents,
};

static const struct profile_params restricted_params = {
  .cap_allow = restricted_cap_allow,
  .cap_deny = ruleutil_default_cap_deny,
  .sensitive_paths = restricted_sensitive_paths,
  .seccomp_profile = "strict",
  .cgroup_parents = ruleutil_default_cgroup_parents,
};

struct profile
{
  const char *name;
  enum policy_mode mode;
  bool warn_everything; /* every rule WARN (the "privileged" profile) */
  const struct profile_action *actions;
  const struct profile_action *overrides;
  const struct profile_params *params;
};

static const struct profile profiles[] = {
  { "baseline", MODE_ENFORCE, false, baseline_actions, NULL, &baseline_params },
  { "restricted", MODE_ENFORCE, false, baseline_actions, restricted_overrides, &restricted_params },
  /* Audit everything, change nothing: see what baseline would say before enforcing it.  */
  { "privileged", MODE_AUDIT, true, baseline_actions, NULL, &baseline_params },
};

static const char *const action_names[] = {
  [ACTION_OFF] = "off",
  [ACTION_WARN] = "warn",
  [ACTION_REWRITE] = "rewrite",
  [ACTION_DENY] = "deny",
};

const char *
policy_action_name (enum rule_action action)
{
  return (size_t)action < ARRAY_SIZE (action_names) ? action_names[action] : "?";
}

bool
policy_action_parse (const char *name, enum rule_action *out)
{
  for (size_t i = 0; i < ARRAY_SIZE (action_names); i++)
    if (str_eq (name, action_names[i]))
      {
        *out = (enum rule_action)i;
        return true;
      }
  return false;
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

static char **
strv_dup (const char *const *list)
{
  size_t n = 0;
  char **out;

  if (list == NULL)
    return NULL;
  while (list[n] != NULL)
    n++;
  out = xreallocarray (NULL, n + 1, sizeof (*out));
  for (size_t i = 0; i < n; i++)
    out[i] = xstrdup (list[i]);
  out[n] = NULL;
  return out;
}

/* The embedded profile.  A failure is kept in the params: the seccomp rule then fails closed
 * with it ("not loaded: WHY") instead of starting an unconfined container, and a policy file
 * build loads the profile again and fails with it (policy_file_build.c policy_load_seccomp).  */
static void
policy_seccomp_load (struct policy_params *params, const char *name)
{
  cleanup_error ocg_error_t err = NULL;

  params->seccomp_profile = seccomp_load_embedded (name, &err);
  if (params->seccomp_profile == NULL)
    params->seccomp_profile_error = ocg_error_text (err);
}

static void
policy_params_fill (struct policy_params *params, const struct profile_params *p)
{
  resources_defaults_fill (params);
  params->cap_allow = strv_dup (p->cap_allow);
  params->cap_deny = strv_dup (p->cap_deny);
  params->sensitive_paths = strv_dup (p->sensitive_paths);
  params->cgroup_parents = strv_dup (p->cgroup_parents);
  params->seccomp_profile_name = xstrdup (p->seccomp_profile);
  policy_seccomp_load (params, p->seccomp_profile);
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
  policy = xzalloc (sizeof (*policy));
  policy->name = xstrdup (p->name);
  policy->mode = p->mode;
  table = rules_table (&n);
  policy->actions = xreallocarray (NULL, n ? n : 1, sizeof (*policy->actions));
  for (size_t i = 0; i < n; i++)
    policy->actions[i] = profile_action_for (p, table[i]->id);
  policy_params_fill (&policy->params, p->params);
  return policy;
}

static void
policy_params_release (struct policy_params *params)
{
  char **lists[]
      = { params->cap_allow,          params->cap_deny,           params->sensitive_paths,
          params->engine_sockets,     params->engine_owned_paths, params->device_allow,
          params->sysctl_allow,       params->hook_allow,         params->selinux_forbidden_types,
          params->cgroup_parents,     params->annotation_allow,   params->cri_runtime_roots,
          params->crio_runtime_roots, params->engine_binaries };

  for (size_t i = 0; i < ARRAY_SIZE (lists); i++)
    strv_free (lists[i]);
  /* The policy owns every string it points to, seccomp_profile_name included.  */
  free ((char *)params->seccomp_profile_name);
  json_free (params->seccomp_profile);
  free (params->seccomp_profile_error);
  free (params->apparmor_default);
  memset (params, 0, sizeof (*params));
}

void
policy_free (struct policy *policy)
{
  if (policy == NULL)
    return;
  policy_params_release (&policy->params);
  free (policy->name);
  free (policy->runtime);
  free (policy->audit_log);
  free (policy->actions);
  free (policy);
}

void
policy_freep (struct policy **policy)
{
  policy_free (*policy);
}
