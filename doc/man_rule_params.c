/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rules' parameters for ocigate-rules(7).
 *
 * Owns: where the page finds a rule's parameters -- the rule's own table (struct rule_param,
 * policy/engine/params.h) and each profile's value of it (policy_param()) -- and how a value is
 * written in the page.
 * Must not: know any rule or parameter by name.  */
#include <config.h>

#include <inttypes.h>

#include "man_rules.h"
#include "policy.h"
#include "util.h"

static const char *
type_text (enum param_type type)
{
  switch (type)
    {
    case PARAM_CAPS:
      return "a list of capability names, in the CAP_ spelling";
    case PARAM_PATHS:
      return "a list of absolute paths";
    case PARAM_STRINGS:
      return "a list of non-empty strings";
    case PARAM_I64:
    case PARAM_INT:
      return "an integer";
    case PARAM_U64:
      return "an integer, 0 or more";
    case PARAM_BOOL:
      return "true or false";
    case PARAM_STRING:
      return "a non-empty string";
    case PARAM_SECCOMP:
      return "\"default\", \"strict\" (the profiles built into ocigate) or the absolute path of a "
             "Docker-format seccomp profile";
    }
  return "?";
}

static char *
bounds_text (const struct rule_param *p)
{
  if (p->type != PARAM_I64 && p->type != PARAM_INT)
    return NULL;
  if (p->max == INT64_MAX)
    return xasprintf ("%" PRId64 " or more", p->min);
  return xasprintf ("%" PRId64 " to %" PRId64, p->min, p->max);
}

/* A list parameter's strings; an unset list (NULL) is an empty one.  */
static char **
strv_copy (const char *const *v)
{
  static const char *const empty[] = { NULL };

  return strv_dup (v != NULL ? v : empty);
}

/* One value as a vector of one string.  */
static char **
strv_one (char *s)
{
  char **out = xreallocarray (NULL, 2, sizeof (char *));

  out[0] = s;
  out[1] = NULL;
  return out;
}

static bool
is_list (enum param_type type)
{
  return type == PARAM_CAPS || type == PARAM_PATHS || type == PARAM_STRINGS;
}

/* The value a profile holds; an unset string is "none" (as `ocigate policy show` prints null,
 * policy_file_show.c param_node).  */
static char **
value_of (const struct policy *policy, const struct rule *rule, const struct rule_param *p)
{
  const void *field = policy_param (policy, rule->id, p->key);

  if (field == NULL)
    return strv_one (xstrdup ("?"));
  switch (p->type)
    {
    case PARAM_CAPS:
    case PARAM_PATHS:
    case PARAM_STRINGS:
      return strv_copy (*(const char *const *const *)field);
    case PARAM_I64:
      return strv_one (xasprintf ("%" PRId64, *(const int64_t *)field));
    case PARAM_U64:
      return strv_one (xasprintf ("%" PRIu64, *(const uint64_t *)field));
    case PARAM_INT:
      return strv_one (xasprintf ("%d", *(const int *)field));
    case PARAM_BOOL:
      return strv_one (xstrdup (*(const bool *)field ? "true" : "false"));
    case PARAM_STRING:
      {
        const char *s = *(const char *const *)field;
        return strv_one (xstrdup (s != NULL && s[0] != '\0' ? s : "none"));
      }
    case PARAM_SECCOMP:
      {
        const char *s = ((const struct param_seccomp *)field)->name;
        return strv_one (xstrdup (s != NULL && s[0] != '\0' ? s : "none"));
      }
    }
  return strv_one (xstrdup ("?"));
}

size_t
man_rule_params (const struct rule *rule, struct policy *const *profiles, size_t n_profiles,
                 struct man_param **out)
{
  size_t n = rule->n_params;

  *out = NULL;
  if (n == 0)
    return 0;
  *out = xreallocarray (NULL, n, sizeof (**out));
  for (size_t i = 0; i < n; i++)
    {
      const struct rule_param *rp = &rule->params[i];
      struct man_param *p = &(*out)[i];

      p->key = rp->key;
      p->type = type_text (rp->type);
      p->bounds = bounds_text (rp);
      p->list = is_list (rp->type);
      p->values = xreallocarray (NULL, n_profiles ? n_profiles : 1, sizeof (char **));
      for (size_t j = 0; j < n_profiles; j++)
        p->values[j] = value_of (profiles[j], rule, rp);
    }
  return n;
}

void
man_params_free (struct man_param *params, size_t n, size_t n_profiles)
{
  for (size_t i = 0; i < n; i++)
    {
      free (params[i].bounds);
      for (size_t j = 0; j < n_profiles; j++)
        strv_free (params[i].values[j]);
      free (params[i].values);
    }
  free (params);
}
