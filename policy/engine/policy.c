/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy in memory (see policy.h): making and freeing one, reading and setting a rule's
 * parameter by name, loading the seccomp profiles it names, and the names of actions and modes.
 *
 * Owns: one parameter block per rule, made from the rule's own declaration (params.h).  Must not:
 * know any rule or parameter by name (the built-in profiles are profiles.c's), read files
 * (a seccomp profile named by path comes through the caller's loader).  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "policy.h"
#include "seccomp.h"
#include "util.h"

const char *const policy_action_names[] = {
  [ACTION_OFF] = "off",
  [ACTION_WARN] = "warn",
  [ACTION_REWRITE] = "rewrite",
  [ACTION_DENY] = "deny",
  NULL,
};

const char *const policy_mode_names[]
    = { [MODE_ENFORCE] = "enforce", [MODE_AUDIT] = "audit", NULL };

/* The index of `name` in a NULL-terminated table, or -1.  */
static int
name_index (const char *const *names, const char *name)
{
  for (int i = 0; names[i] != NULL; i++)
    if (str_eq (names[i], name))
      return i;
  return -1;
}

const char *
policy_action_name (enum rule_action action)
{
  return (size_t)action <= ACTION_DENY ? policy_action_names[action] : "?";
}

bool
policy_action_parse (const char *name, enum rule_action *out)
{
  int i = name_index (policy_action_names, name);

  if (i >= 0)
    *out = (enum rule_action)i;
  return i >= 0;
}

const char *
policy_mode_name (enum policy_mode mode)
{
  return (size_t)mode <= MODE_AUDIT ? policy_mode_names[mode] : "?";
}

bool
policy_mode_parse (const char *name, enum policy_mode *out)
{
  int i = name_index (policy_mode_names, name);

  if (i >= 0)
    *out = (enum policy_mode)i;
  return i >= 0;
}

struct policy *
policy_new (const char *name, enum rule_action action)
{
  struct policy *policy = xzalloc (sizeof (*policy));
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  policy->name = xstrdup (name);
  policy->mode = MODE_ENFORCE;
  policy->actions = xreallocarray (NULL, n ? n : 1, sizeof (*policy->actions));
  policy->params = xzalloc ((n ? n : 1) * sizeof (*policy->params));
  for (size_t i = 0; i < n; i++)
    {
      policy->actions[i] = action;
      if (table[i]->n_params > 0)
        policy->params[i]
            = params_block_new (table[i]->params, table[i]->n_params, table[i]->params_size);
    }
  return policy;
}

/* The rule `rule`'s parameter `key`, its place in the registry in *index.  */
static const struct rule_param *
param_of (const char *rule, const char *key, size_t *index)
{
  const struct rule *r = rules_find (rule, index);

  return r != NULL ? param_find (r->params, r->n_params, key) : NULL;
}

const void *
policy_param (const struct policy *policy, const char *rule, const char *key)
{
  size_t index = 0;
  const struct rule_param *p = param_of (rule, key, &index);

  if (p == NULL || policy->params[index] == NULL)
    return NULL;
  return param_field_const (policy->params[index], p);
}

const char *const *
policy_param_list (const struct policy *policy, const char *rule, const char *key)
{
  size_t index = 0;
  const struct rule_param *p = param_of (rule, key, &index);
  const void *field = policy_param (policy, rule, key);

  if (field == NULL
      || (p->type != PARAM_CAPS && p->type != PARAM_PATHS && p->type != PARAM_STRINGS))
    return NULL;
  return *(const char *const *const *)field;
}

bool
policy_param_set (struct policy *policy, const char *rule, const char *key,
                  const struct param_value *v)
{
  size_t index = 0;
  const struct rule_param *p = param_of (rule, key, &index);

  if (p == NULL || policy->params[index] == NULL)
    return false;
  param_set (policy->params[index], p, v);
  return true;
}

/* Kept: a built-in profile goes on without it, and the seccomp rule then says why.  */
static int
seccomp_not_loaded (struct param_seccomp *s, ocg_error_t *err)
{
  free (s->error);
  s->error = ocg_error_text (*err);
  return ocg_error_wrap (err, "seccomp profile `%s`", s->name);
}

/* An embedded profile is parsed only when a judgement needs it (policy_seccomp_profile): a
 * Docker or Podman config carries a profile of its own, which the seccomp rule judges against a
 * remembered plan without ever needing the policy's 18 KB tree.  Only its name is checked here,
 * with the error seccomp_load_embedded gives for an unknown one.  */
static int
load_one_seccomp (struct param_seccomp *s,
                  struct json_node *(*load_file) (const char *path, ocg_error_t *err),
                  ocg_error_t *err)
{
  if (s->profile != NULL || s->name == NULL)
    return 0;
  if (s->name[0] != '/')
    {
      if (seccomp_embedded_profile (s->name, NULL) != NULL)
        return 0;
      ocg_error_set (err, 0, "no embedded seccomp profile `%s`", s->name);
    }
  else if (load_file != NULL)
    s->profile = load_file (s->name, err);
  else
    ocg_error_set (err, 0, "a seccomp profile file cannot be read here");
  return s->profile == NULL ? seccomp_not_loaded (s, err) : 0;
}

const struct json_node *
policy_seccomp_profile (struct param_seccomp *s, ocg_error_t *err)
{
  cleanup_error ocg_error_t why = NULL;

  if (s->profile != NULL || s->error != NULL || s->name == NULL || s->name[0] == '/')
    return s->profile;
  s->profile = seccomp_load_embedded (s->name, &why);
  if (s->profile == NULL)
    {
      s->error = ocg_error_text (why);
      ocg_error_set (err, 0, "seccomp profile `%s`: %s", s->name, s->error);
    }
  return s->profile;
}

int
policy_load_seccomp (struct policy *policy,
                     struct json_node *(*load_file) (const char *path, ocg_error_t *err),
                     ocg_error_t *err)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < table[i]->n_params; k++)
      if (table[i]->params[k].type == PARAM_SECCOMP
          && load_one_seccomp (param_field (policy->params[i], &table[i]->params[k]), load_file,
                               err)
                 < 0)
        return -1;
  return 0;
}

void
policy_free (struct policy *policy)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  if (policy == NULL)
    return;
  for (size_t i = 0; policy->params != NULL && i < n; i++)
    params_block_free (table[i]->params, table[i]->n_params, policy->params[i]);
  free (policy->params);
  free (policy->name);
  free (policy->runtime);
  free (policy->audit_log);
  free (policy->digest);
  free (policy->actions);
  free (policy);
}

void
policy_freep (struct policy **policy)
{
  policy_free (*policy);
}
