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

static char *
audit_destination (const struct runc_invocation *inv, const struct policy *policy)
{
  const char *env = getenv ("OCIGATE_AUDIT_LOG");

  if (inv->ocg_audit_log != NULL)
    return xstrdup (inv->ocg_audit_log);
  if (env != NULL && env[0] != '\0')
    return xstrdup (env);
  if (policy->audit_log != NULL)
    return xstrdup (policy->audit_log);
  return xstrdup (OCG_DEFAULT_AUDIT_LOG);
}

char *
policy_load_audit_log (const struct runc_invocation *inv, const struct policy *policy)
{
  return audit_destination (inv, policy);
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

int
policy_load_for (const struct runc_invocation *inv, const char *name_profile,
                 const struct spec *spec, const struct runtime *rt, struct policy **out,
                 char **audit_path, char ***exemptions, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = policy_file_load (inv->ocg_policy, err);
  cleanup_policy struct policy *policy = NULL;
  cleanup_json struct json_node *recorded = NULL;
  struct policy_subject subject = { 0 };

  if (pf == NULL)
    return ocg_error_wrap (err, "load policy");
  subject.profile = select_profile (inv, name_profile, pf);
  subject.container_id = inv->container_id;
  if (spec != NULL && spec->kind == SPEC_CONFIG)
    subject.annotations = spec_get_object (spec, "/annotations");
  else if (policy_file_exemptions (pf)->n > 0)
    subject.annotations = recorded = state_annotations (inv, rt);
  policy = policy_file_build (pf, subject.profile, err);
  if (policy == NULL || apply_mode (policy, inv->ocg_mode, err) < 0)
    return -1;
  /* After the profile and before the engine: an exemption changes the actions for this
   * container only, and the mode stays the operator's (audit mode still never denies).  */
  policy_exemptions_apply (policy_file_exemptions (pf), &subject, policy, exemptions);
  *audit_path = audit_destination (inv, policy);
  *out = steal_pointer (&policy);
  return 0;
}

int
policy_load_runtime (const struct runc_invocation *inv, char **runtime, ocg_error_t *err)
{
  const char *env = getenv ("OCIGATE_RUNTIME");

  *runtime = NULL;
  if (inv->ocg_runtime != NULL || (env != NULL && env[0] != '\0'))
    return 0;
  if (policy_file_runtime (inv->ocg_policy, runtime, err) < 0)
    return ocg_error_wrap (err, "load policy");
  return 0;
}

static int
command_usage (void)
{
  fprintf (stderr, "usage: ocigate policy show [--profile PROFILE] [FILE]\n"
                   "       ocigate policy validate [FILE]\n");
  return 2;
}

/* show's arguments: [--profile P | --profile=P] [FILE], in any order.  */
static int
parse_show_args (int argc, char **argv, const char **profile, const char **file)
{
  for (int i = 0; i < argc; i++)
    {
      if (strcmp (argv[i], "--profile") == 0 && i + 1 < argc)
        *profile = argv[++i];
      else if (str_has_prefix (argv[i], "--profile="))
        *profile = argv[i] + strlen ("--profile=");
      else if (argv[i][0] == '-' || *file != NULL)
        return -1;
      else
        *file = argv[i];
    }
  return 0;
}

int
policy_load_command (const struct runc_invocation *inv, const char *name_profile, int argc,
                     char **argv)
{
  cleanup_error ocg_error_t err = NULL;
  const char *profile = inv->ocg_profile ? inv->ocg_profile : name_profile;
  const char *file = NULL;
  int r;

  if (argc < 1)
    return command_usage ();
  if (strcmp (argv[0], "show") == 0)
    {
      if (parse_show_args (argc - 1, argv + 1, &profile, &file) < 0)
        return command_usage ();
      r = policy_command_show (file ? file : inv->ocg_policy, profile, stdout, &err);
    }
  else if (strcmp (argv[0], "validate") == 0 && argc <= 2)
    r = policy_command_validate (argc == 2 ? argv[1] : inv->ocg_policy, stdout, &err);
  else
    return command_usage ();
  if (r < 0)
    {
      cleanup_free char *text = ocg_error_text (err);
      fprintf (stderr, "ocigate: %s\n", text);
      return 1;
    }
  return 0;
}
