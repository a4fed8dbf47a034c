/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate policy validate`: every error of the policy files in one run, the checks a loader
 * cannot make on its own (the runtime, the profile the invoked name selects), and warnings for
 * settings that do not do what they seem to.
 *
 * Owns: the validation report and the warnings.  Must not: decide which runtime ocigate uses
 * (the caller's callback does, with the shim's own lookup), or stop at the first error.  */
#include <config.h>

#include <errno.h>

#include "engine.h"
#include "hostfacts.h"
#include "policy_file.h"
#include "policy_file_tree.h"
#include "policy_file_suggest.h"
#include "spec.h"
#include "util.h"

struct report
{
  FILE *diag;
  size_t errors;
  size_t warnings;
};

static void
report_error (struct report *r, const char *text)
{
  fprintf (r->diag, "ocigate: %s\n", text);
  r->errors++;
}

static void
report_err (struct report *r, ocg_error_t *err)
{
  cleanup_free char *text = ocg_error_text (*err);

  report_error (r, text);
  ocg_error_free (err);
}

/* A capability both allowed and denied is denied: the capabilities rule allows `allow` minus
 * `deny` (policy/rules/capabilities.c), so `--cap-add NET_ADMIN` with CAP_NET_ADMIN in
 * `capabilities.allow` is still refused while CAP_NET_ADMIN stays in the deny list.  */
static void
warn_caps_allowed_and_denied (struct report *r, const struct policy *p)
{
  size_t index = 0;
  const char *const *allow = policy_param_list (p, "capabilities", "allow");
  const char *const *deny = policy_param_list (p, "capabilities", "deny");

  if (rules_find ("capabilities", &index) == NULL || p->actions[index] == ACTION_OFF)
    return;
  for (size_t i = 0; allow != NULL && allow[i] != NULL; i++)
    if (strv_contains (deny, allow[i]))
      {
        fprintf (r->diag,
                 "ocigate: warning: profile `%s`: `capabilities.allow` lists `%s`, but "
                 "`capabilities.deny` lists it too, and the deny list wins: a container that asks "
                 "for it is still denied; remove it from `capabilities.deny` to allow it\n",
                 p->name, allow[i]);
        r->warnings++;
      }
}

/* Does the rule `id` itself, under profile p, refuse the config document `doc`?  Its first
 * finding (malloc'd), or NULL.  Asking the rule keeps the warning below from drifting away from
 * what the rule really does.  */
static char *
rule_refusal (const struct policy *p, const char *id, const char *doc)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_spec struct spec *spec = spec_load_buffer (doc, strlen (doc), "probe", SPEC_CONFIG, &err);
  const struct rule *rule = rules_find (id, NULL);
  struct host_facts host;
  struct findings out = { 0 };
  struct rule_ctx ctx;
  char *refusal = NULL;

  if (spec == NULL || rule == NULL)
    return NULL;
  hostfacts_init_real (&host);
  ctx = engine_rule_ctx (p, &host, NULL, spec, rule);
  if (rule->check (&ctx, &out, &err) == 0 && out.n > 0 && !out.items[0].note)
    refusal = xstrdup (out.items[0].message);
  findings_clear (&out);
  return refusal;
}

/* A sysctl on the allow list that the rule still denies, in a container with private network,
 * IPC and UTS namespaces: one that is not namespaced (policy/rules/sysctls.c, "kernel.panic").
 * Patterns are left alone: `kernel.*` also allows the namespaced kernel.shm* names.  */
static void
warn_sysctls_allowed_and_denied (struct report *r, const struct policy *p)
{
  size_t index = 0;
  const char *const *allow = policy_param_list (p, "sysctls", "allow");

  if (rules_find ("sysctls", &index) == NULL || p->actions[index] == ACTION_OFF)
    return;
  for (size_t i = 0; allow != NULL && allow[i] != NULL; i++)
    {
      cleanup_free char *doc = NULL;
      cleanup_free char *refusal = NULL;

      if (strpbrk (allow[i], "*?[\\\"") != NULL)
        continue;
      doc = xasprintf ("{\"ociVersion\": \"1.0.2\", \"linux\": {\"sysctl\": {\"%s\": \"1\"}, "
                       "\"namespaces\": [{\"type\": \"network\"}, {\"type\": \"ipc\"}, "
                       "{\"type\": \"uts\"}]}}",
                       allow[i]);
      refusal = rule_refusal (p, "sysctls", doc);
      if (refusal == NULL)
        continue;
      fprintf (r->diag,
               "ocigate: warning: profile `%s`: `sysctls.allow` lists `%s`, but the sysctls rule "
               "still denies it (%s): the allow list cannot make a host-wide sysctl safe\n",
               p->name, allow[i], refusal);
      r->warnings++;
    }
}

/* Build every profile (so seccomp profile files are read and checked too), and warn.  */
static void
check_profiles (struct report *r, const struct policy_file *pf, char *const *profiles)
{
  for (size_t i = 0; profiles[i] != NULL; i++)
    {
      cleanup_error ocg_error_t err = NULL;
      cleanup_policy struct policy *p = policy_file_build (pf, profiles[i], &err);

      if (p == NULL)
        report_err (r, &err);
      else
        {
          warn_caps_allowed_and_denied (r, p);
          warn_sysctls_allowed_and_denied (r, p);
        }
    }
}

/* The profile ocigate-<name> (or --ocigate-profile) selects must exist, as creating a container
 * through that name requires.  */
static void
check_selected (struct report *r, const struct policy_file *pf, const struct policy_validate *v)
{
  cleanup_free char *what = NULL;
  cleanup_free char *text = NULL;

  if (v->profile == NULL || policy_file_profile_exists (pf, v->profile))
    return;
  what = policy_file_unknown_profile (pf, v->profile);
  text = xasprintf ("%s selects the unknown policy profile %s", v->profile_how, what);
  report_error (r, text);
}

/* The runtime: the file's own must exist, be executable and not be ocigate; and some runtime
 * must be found.  *used gets the one ocigate would exec.  */
static void
check_runtime (struct report *r, const struct policy_file *pf, const struct policy_validate *v,
               char **used)
{
  const struct json_node *node = json_obj_get (pf->root, "runtime");
  cleanup_error ocg_error_t err = NULL;

  if (v->runtime == NULL || v->runtime (v->ctx, node ? node->text : NULL, used, &err) == 0)
    return;
  if (node != NULL)
    {
      cleanup_free char *text = ocg_error_text (err);
      policy_file_error_at (pf, node, "$.runtime", &err, "%s", text);
    }
  report_err (r, &err);
}

static char *
join (char *const *v, const char *none)
{
  char *text = xstrdup (v == NULL || v[0] == NULL ? none : "");

  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    {
      char *more = xasprintf ("%s%s%s", text, i ? ", " : "", v[i]);
      free (text);
      text = more;
    }
  return text;
}

static void
print_summary (FILE *out, const struct policy_file *pf, char *const *profiles, const char *runtime)
{
  cleanup_strv char **exemptions = xzalloc ((pf->exemptions.n + 1) * sizeof (char *));
  cleanup_free char *sources = policy_file_describe_sources (pf);
  cleanup_free char *plist = join (profiles, "none");
  cleanup_free char *elist = NULL;

  for (size_t i = 0; i < pf->exemptions.n; i++)
    exemptions[i] = xstrdup (pf->exemptions.items[i].name);
  elist = join (exemptions, "none");
  fprintf (out, "%s\nprofiles: %s (default: %s)\nexemptions: %s\n", sources, plist,
           policy_file_default_profile (pf), elist);
  if (runtime != NULL)
    fprintf (out, "runtime: %s\n", runtime);
}

int
policy_command_validate (const struct policy_validate *v, FILE *out, FILE *diag, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = policy_file_load_all (v->file);
  cleanup_strv char **profiles = policy_file_profile_names (pf);
  cleanup_free char *runtime = NULL;
  struct report r = { .diag = diag };

  for (size_t i = 0; i < pf->n_errors; i++)
    report_error (&r, pf->errors[i]);
  check_profiles (&r, pf, profiles);
  check_selected (&r, pf, v);
  check_runtime (&r, pf, v, &runtime);
  print_summary (out, pf, profiles, runtime);
  if (fflush (out) != 0 || fflush (diag) != 0)
    return ocg_error_set (err, errno, "write the summary");
  if (r.errors > 0)
    return ocg_error_set (err, 0, "the policy is invalid: %zu error%s", r.errors,
                          r.errors == 1 ? "" : "s");
  return 0;
}
