/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate policy show`.
 *
 * Owns: printing the effective policy of a profile in the policy-file format (every rule of the
 * registry, every parameter each rule declares, its value spelled out), and the one line that
 * says which files were searched and loaded.
 * Must not: print anything when loading fails (the caller reports the error).  */
#include <config.h>

#include <errno.h>

#include "engine.h"
#include "policy_file.h"
#include "policy_file_tree.h"
#include "util.h"

static struct json_node *
strings_node (const char *const *v)
{
  struct json_node *arr = json_new_array ();

  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    json_arr_append (arr, json_new_string (v[i]));
  return arr;
}

/* One parameter's value, as the policy file would write it.  */
static struct json_node *
param_node (const void *block, const struct rule_param *p)
{
  const void *field = param_field_const (block, p);

  switch (p->type)
    {
    case PARAM_CAPS:
    case PARAM_PATHS:
    case PARAM_STRINGS:
      return strings_node (*(const char *const *const *)field);
    case PARAM_I64:
      return json_new_int (*(const int64_t *)field);
    case PARAM_U64:
      return json_new_uint (*(const uint64_t *)field);
    case PARAM_INT:
      return json_new_int (*(const int *)field);
    case PARAM_BOOL:
      return json_new_bool (*(const bool *)field);
    case PARAM_STRING:
      {
        const char *s = *(const char *const *)field;
        return s != NULL && s[0] != '\0' ? json_new_string (s) : json_new_null ();
      }
    case PARAM_SECCOMP:
      {
        const char *s = ((const struct param_seccomp *)field)->name;
        return s != NULL && s[0] != '\0' ? json_new_string (s) : json_new_null ();
      }
    }
  return json_new_null ();
}

/* Every rule of the registry, in its order, with its action and each parameter it declares.  */
static struct json_node *
rules_node (const struct policy *policy)
{
  struct json_node *rules = json_new_object ();
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  for (size_t i = 0; i < n; i++)
    {
      struct json_node *r = json_new_object ();

      json_obj_set (r, "action", json_new_string (policy_action_name (policy->actions[i])));
      for (size_t k = 0; k < table[i]->n_params; k++)
        json_obj_set (r, table[i]->params[k].key,
                      param_node (policy->params[i], &table[i]->params[k]));
      json_obj_set (rules, table[i]->id, r);
    }
  return rules;
}

static struct json_node *
clone_or (const struct json_node *v, struct json_node *fallback)
{
  if (v == NULL)
    return fallback;
  json_free (fallback);
  return json_clone (v);
}

static struct json_node *
show_tree (const struct policy_file *pf, const struct policy *policy)
{
  struct json_node *root = json_new_object ();
  struct json_node *profiles = json_new_object ();
  struct json_node *profile = json_new_object ();

  if (policy->runtime != NULL)
    json_obj_set (root, "runtime", json_new_string (policy->runtime));
  json_obj_set (root, "mode", json_new_string (policy_mode_name (policy->mode)));
  json_obj_set (root, "profile", json_new_string (policy->name));
  if (policy->audit_log != NULL)
    json_obj_set (root, "audit_log", json_new_string (policy->audit_log));
  json_obj_set (root, "engine_set_annotations",
                clone_or (json_obj_get (pf->root, "engine_set_annotations"), json_new_array ()));
  json_obj_set (profile, "rules", rules_node (policy));
  json_obj_set (profiles, policy->name, profile);
  json_obj_set (root, "profiles", profiles);
  json_obj_set (root, "exemptions",
                clone_or (json_obj_get (pf->root, "exemptions"), json_new_object ()));
  return root;
}

/* The JSON on `out` only (it is a policy file, and scripts read it); where it came from on
 * `info`, so that the reader sees which files made it.  */
int
policy_command_show (const char *file_or_null, const char *profile, FILE *out, FILE *info,
                     ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = policy_file_load (file_or_null, err);
  cleanup_policy struct policy *policy = NULL;
  cleanup_json struct json_node *tree = NULL;
  cleanup_free char *text = NULL;
  cleanup_free char *sources = NULL;

  if (pf == NULL)
    return -1;
  policy = policy_file_build (pf, profile ? profile : policy_file_default_profile (pf), err);
  if (policy == NULL)
    return -1;
  tree = show_tree (pf, policy);
  text = json_serialize (tree, NULL, err);
  if (text == NULL)
    return -1;
  if (fprintf (out, "%s\n", text) < 0 || fflush (out) != 0)
    return ocg_error_set (err, errno, "write the policy");
  sources = policy_file_describe_sources (pf);
  fprintf (info, "ocigate: profile `%s`: %s\n", policy->name, sources);
  return 0;
}
