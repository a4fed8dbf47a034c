/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy-file format, key by key (policy_file_schema.c).  Shared by the policy_file*.c files
 * only.  */
#ifndef OCG_POLICY_FILE_SCHEMA_H
#define OCG_POLICY_FILE_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "policy_file_tree.h"

enum policy_param_type
{
  PARAM_CAPS,    /* array of capability names, CAP_ spelling */
  PARAM_PATHS,   /* array of absolute paths */
  PARAM_STRINGS, /* array of non-empty strings (patterns) */
  PARAM_I64,     /* integer in [min, max] */
  PARAM_U64,     /* integer >= 0 */
  PARAM_INT,     /* integer in [min, max] */
  PARAM_BOOL,
  PARAM_STRING,  /* non-empty string */
  PARAM_SECCOMP, /* "default", "strict" or an absolute path */
};

/* One parameter: `rules.<rule>.<key>` in a profile sets the struct policy_params member at
 * `offset`.  A list left NULL by the profile means the rule's own default, `fallback`.  */
struct policy_param
{
  const char *rule;
  const char *key;
  enum policy_param_type type;
  size_t offset;
  const char *const *fallback;
  const char *fallback_string;
  int64_t min;
  int64_t max;
};

const struct policy_param *policy_param_table (size_t *n);
const struct policy_param *policy_param_find (const char *rule, const char *key);

/* Structural validation of one file's tree (strict keys, types, values, rule ids), normalising a
 * bare rule action into {"action": ...}.  pf->current names the file.  */
int policy_file_validate_tree (struct policy_file *pf, struct json_node *root, ocg_error_t *err);

#endif
