/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which policy applies to this invocation (see policy_load.h).
 *
 * Owns: the precedence between command line, environment and policy file, and computing the
 * per-rule actions for this container (profile + exemptions + mode) before the engine runs.
 * Must not: judge, or fall back to a built-in profile when a policy file exists but fails.  */
#include <config.h>

#include <ctype.h>
#include <fcntl.h>

#include "audit.h"
#include "fsutil.h"
#include "policy_file.h"
#include "policy_load.h"
#include "seccomp_cache.h"
#include "seccomp_plan_cache.h"
#include "state.h"
#include "util.h"

const char *
policy_profile_from_name (const char *argv0)
{
  const char *base = strrchr (argv0, '/');

  base = base ? base + 1 : argv0;
  if (str_has_prefix (base, "ocigate-") && base[strlen ("ocigate-")] != '\0')
    return base + strlen ("ocigate-");
  return NULL;
}

static int
apply_mode (struct policy *policy, const char *mode, ocg_error_t *err)
{
  if (mode == NULL)
    return 0;
  if (strcmp (mode, "enforce") == 0)
    policy->mode = MODE_ENFORCE;
  else if (strcmp (mode, "audit") == 0)
    policy->mode = MODE_AUDIT;
  else
    return ocg_error_set (err, 0, "unknown mode `%s` (expected `enforce` or `audit`)", mode);
  return 0;
}

char *
policy_load_audit_destination (const struct runc_invocation *inv, const char *from_file)
{
  const char *env = getenv ("OCIGATE_AUDIT_LOG");

  if (inv->ocg_audit_log != NULL)
    return xstrdup (inv->ocg_audit_log);
  if (env != NULL && env[0] != '\0')
    return xstrdup (env);
  if (from_file != NULL)
    return xstrdup (from_file);
  return xstrdup (OCG_DEFAULT_AUDIT_LOG);
}

static const char *
select_profile (const struct runc_invocation *inv, const char *name_profile,
                const struct policy_file *pf)
{
  if (inv->ocg_profile != NULL)
    return inv->ocg_profile;
  if (name_profile != NULL)
    return name_profile;
  return policy_file_default_profile (pf);
}

struct policy_file *
policy_load_file (const struct runc_invocation *inv, ocg_error_t *err)
{
  struct policy_file *pf = policy_file_load (inv->ocg_policy, err);

  if (pf == NULL)
    ocg_error_wrap (err, "load policy");
  return pf;
}

int
policy_load_profile (const struct runc_invocation *inv, const char *name_profile,
                     const struct policy_file *pf, struct policy **out, char **audit_path,
                     ocg_error_t *err)
{
  cleanup_policy struct policy *policy = NULL;

  /* A seccomp profile named by path is checked once per version (seccomp_cache.h), not at every
   * create, exec and update; `ocigate policy validate` still checks it every time.  */
  seccomp_cache_enable ();
  /* The seccomp rule's plan for a document seen before is remembered (seccomp_plan_cache.h).  */
  seccomp_plan_cache_enable ();
  policy = policy_file_build (pf, select_profile (inv, name_profile, pf), err);

  if (policy == NULL || apply_mode (policy, inv->ocg_mode, err) < 0)
    return -1;
  *audit_path = policy_load_audit_destination (inv, policy->audit_log);
  *out = steal_pointer (&policy);
  return 0;
}

/* Does any exemption match on annotations?  Only then are a container's recorded ones read.  */
static bool
exemptions_read_annotations (const struct policy_exemptions *set)
{
  for (size_t i = 0; i < set->n; i++)
    if (set->items[i].n_annotations > 0)
      return true;
  return false;
}

void
policy_load_exempt (const struct runc_invocation *inv, const char *name_profile,
                    const struct policy_file *pf, const struct json_node *annotations,
                    const char *unread, struct policy *policy, char ***exemptions, char **note)
{
  struct policy_subject subject = { 0 };

  subject.profile = select_profile (inv, name_profile, pf);
  subject.container_id = inv->container_id;
  subject.annotations = annotations;
  /* Stricter, never looser -- but said: an exemption the operator wrote stops applying.  */
  if (annotations == NULL && unread != NULL
      && exemptions_read_annotations (policy_file_exemptions (pf)))
    *note = xasprintf ("the annotations the runtime recorded for container `%s` cannot be read "
                       "(%s): no exemption that matches on annotations applies",
                       inv->container_id ? inv->container_id : "", unread);
  /* After the profile and before the engine: an exemption changes the actions for this
   * container only, and the mode stays the operator's (audit mode still never denies).  */
  policy_exemptions_apply (policy_file_exemptions (pf), &subject, policy, exemptions);
}

int
policy_load_for (const struct runc_invocation *inv, const char *name_profile,
                 const struct spec *spec, struct policy **out, char **audit_path,
                 char ***exemptions, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = policy_load_file (inv, err);

  cleanup_free char *note = NULL; /* none: a document of its own carries its annotations */

  if (pf == NULL || policy_load_profile (inv, name_profile, pf, out, audit_path, err) < 0)
    return -1;
  policy_load_exempt (inv, name_profile, pf, spec ? spec_get_object (spec, "/annotations") : NULL,
                      NULL, *out, exemptions, &note);
  return 0;
}

/* validate's runtime check: the file's own runtime through the shim's lookup (absolute, an
 * executable file, not ocigate itself by device and inode), then the runtime every call would
 * really reach, which --ocigate-runtime or OCIGATE_RUNTIME override.  */
static int
validate_runtime (void *ctx, const char *policy_runtime, char **used, ocg_error_t *err)
{
  const struct runc_invocation *inv = ctx;
  struct runtime_sources own = { .explicit_path = policy_runtime };
  struct runtime_sources every = { .explicit_path = inv->ocg_runtime, .policy = policy_runtime };
  struct runtime rt = { 0 };

  if (policy_runtime != NULL)
    {
      if (runtime_resolve (&own, &rt, err) < 0)
        return -1;
      runtime_release (&rt);
    }
  if (runtime_resolve (&every, &rt, err) < 0)
    return -1;
  *used = steal_pointer (&rt.path);
  return 0;
}

int
policy_load_validate (const struct runc_invocation *inv, const char *name_profile, const char *file,
                      FILE *out, FILE *diag, ocg_error_t *err)
{
  cleanup_free char *how = NULL;
  struct policy_validate v = {
    .file = file ? file : inv->ocg_policy,
    .profile = inv->ocg_profile ? inv->ocg_profile : name_profile,
    .runtime = validate_runtime,
    .ctx = (void *)inv,
  };

  if (inv->ocg_profile != NULL)
    how = xstrdup ("--ocigate-profile");
  else if (name_profile != NULL)
    how = xasprintf ("the invoked name `ocigate-%s`", name_profile);
  v.profile_how = how;
  return policy_command_validate (&v, out, diag, err);
}
