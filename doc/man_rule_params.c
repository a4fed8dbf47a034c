/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rules' parameters for ocigate-rules(7).
 *
 * Owns: where the page finds a rule's parameters -- today the policy file's parameter table
 * (policy/file/policy_file_schema.c, policy_param_table()) and the struct policy_params member
 * each one sets -- and how a value is written in the page.  When the parameters move into the
 * rules' own units, this file is the only one of the generator that changes.
 * Must not: know any rule or parameter by name.  */
#include <config.h>

#include <inttypes.h>

#include "man_rules.h"
#include "policy_file_internal.h"
#include "util.h"

static const char *
type_text (enum policy_param_type type)
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
bounds_text (const struct policy_param *p)
{
  if (p->type != PARAM_I64 && p->type != PARAM_INT)
    return NULL;
  if (p->max == INT64_MAX)
    return xasprintf ("%" PRId64 " or more", p->min);
  return xasprintf ("%" PRId64 " to %" PRId64, p->min, p->max);
}

static char **
strv_copy (const char *const *v)
{
  size_t n = 0;
  char **out;

  while (v != NULL && v[n] != NULL)
    n++;
  out = xreallocarray (NULL, n + 1, sizeof (char *));
  for (size_t i = 0; i < n; i++)
    out[i] = xstrdup (v[i]);
  out[n] = NULL;
  return out;
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
is_list (enum policy_param_type type)
{
  return type == PARAM_CAPS || type == PARAM_PATHS || type == PARAM_STRINGS;
}

/* The value the policy holds; a NULL list or string is the rule's own default (as `ocigate
 * policy show` prints it, policy_file_show.c param_node).  */
static char **
value_of (const struct policy_params *params, const struct policy_param *p)
{
  const void *field = (const char *)params + p->offset;

  switch (p->type)
    {
    case PARAM_CAPS:
    case PARAM_PATHS:
    case PARAM_STRINGS:
      {
        char *const *v = *(char *const *const *)field;
        return strv_copy (v != NULL ? (const char *const *)v : p->fallback);
      }
    case PARAM_I64:
      return strv_one (xasprintf ("%" PRId64, *(const int64_t *)field));
    case PARAM_U64:
      return strv_one (xasprintf ("%" PRIu64, *(const uint64_t *)field));
    case PARAM_INT:
      return strv_one (xasprintf ("%d", *(const int *)field));
    case PARAM_BOOL:
      return strv_one (xstrdup (*(const bool *)field ? "true" : "false"));
    case PARAM_STRING:
    case PARAM_SECCOMP:
      {
        const char *s = *(const char *const *)field;
        return strv_one (xstrdup (s != NULL && s[0] != '\0' ? s
                                  : p->fallback_string      ? p->fallback_string
                                                            : "none"));
      }
    }
  return strv_one (xstrdup ("?"));
}

size_t
man_rule_params (const struct rule *rule, struct policy *const *profiles, size_t n_profiles,
                 struct man_param **out)
{
  size_t n = 0, k = 0;
  const struct policy_param *table = policy_param_table (&n);

  *out = NULL;
  for (size_t i = 0; i < n; i++)
    {
      struct man_param *p;

      if (!str_eq (table[i].rule, rule->id))
        continue;
      *out = xreallocarray (*out, k + 1, sizeof (**out));
      p = &(*out)[k++];
      p->key = table[i].key;
      p->type = type_text (table[i].type);
      p->bounds = bounds_text (&table[i]);
      p->list = is_list (table[i].type);
      p->values = xreallocarray (NULL, n_profiles ? n_profiles : 1, sizeof (char **));
      for (size_t j = 0; j < n_profiles; j++)
        p->values[j] = value_of (&profiles[j]->params, &table[i]);
    }
  return k;
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
