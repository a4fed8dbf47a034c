/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The generic operations on a rule's block of parameter values (see params.h).  */
#include <config.h>

#include <stdlib.h>

#include "params.h"
#include "util.h"

static void
param_clear (void *block, const struct rule_param *p)
{
  void *field = param_field (block, p);

  switch (p->type)
    {
    case PARAM_CAPS:
    case PARAM_PATHS:
    case PARAM_STRINGS:
      strv_free (*(char ***)field);
      *(char ***)field = NULL;
      break;
    case PARAM_STRING:
      free (*(char **)field);
      *(char **)field = NULL;
      break;
    case PARAM_SECCOMP:
      if (((struct param_seccomp *)field)->memo_free != NULL)
        ((struct param_seccomp *)field)->memo_free (((struct param_seccomp *)field)->memo);
      free (((struct param_seccomp *)field)->name);
      json_free (((struct param_seccomp *)field)->profile);
      free (((struct param_seccomp *)field)->error);
      *(struct param_seccomp *)field = (struct param_seccomp){ 0 };
      break;
    case PARAM_I64:
    case PARAM_U64:
    case PARAM_INT:
    case PARAM_BOOL:
      break;
    }
}

void
param_set (void *block, const struct rule_param *p, const struct param_value *v)
{
  void *field = param_field (block, p);

  param_clear (block, p);
  switch (p->type)
    {
    case PARAM_CAPS:
    case PARAM_PATHS:
    case PARAM_STRINGS:
      *(char ***)field = strv_dup (v->list);
      break;
    case PARAM_I64:
      *(int64_t *)field = v->number;
      break;
    case PARAM_U64:
      *(uint64_t *)field = v->unumber;
      break;
    case PARAM_INT:
      *(int *)field = (int)v->number;
      break;
    case PARAM_BOOL:
      *(bool *)field = v->number != 0;
      break;
    case PARAM_STRING:
      *(char **)field = v->text != NULL ? xstrdup (v->text) : NULL;
      break;
    case PARAM_SECCOMP:
      /* Loaded once the policy is complete (policy_load_seccomp).  */
      ((struct param_seccomp *)field)->name = v->text != NULL ? xstrdup (v->text) : NULL;
      break;
    }
}

void *
params_block_new (const struct rule_param *params, size_t n, size_t size)
{
  void *block = xzalloc (size);

  for (size_t i = 0; i < n; i++)
    param_set (block, &params[i], &params[i].def);
  return block;
}

void
params_block_free (const struct rule_param *params, size_t n, void *block)
{
  if (block == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    param_clear (block, &params[i]);
  free (block);
}

const struct rule_param *
param_find (const struct rule_param *params, size_t n, const char *key)
{
  for (size_t i = 0; i < n; i++)
    if (str_eq (params[i].key, key))
      return &params[i];
  return NULL;
}
