/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule parameters: what a rule declares about each of its parameters, and the block of values a
 * policy holds for it.
 *
 * A rule that has parameters defines its own struct of values in its own file, and a table of
 * `struct rule_param` beside its `struct rule`: the policy-file key, the type, where the value
 * lives in the struct (offsetof), the built-in default and the bounds.  The engine allocates one
 * block per rule from that size, fills it with the defaults, and hands it to the rule as
 * ctx->params.  Everything else -- the built-in profiles (profiles.c), the policy-file format
 * (policy/file/policy_file_schema.c), `ocigate policy show` -- walks the tables: a parameter is
 * written down once, in its rule.
 *
 * Owns: the parameter types and the generic operations on a block (set, free).  Must not: know
 * any rule or parameter by name.  */
#ifndef OCG_PARAMS_H
#define OCG_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

enum param_type
{
  PARAM_CAPS,    /* char **: capability names, CAP_ spelling */
  PARAM_PATHS,   /* char **: absolute paths */
  PARAM_STRINGS, /* char **: non-empty strings (patterns) */
  PARAM_I64,     /* int64_t in [min, max] */
  PARAM_U64,     /* uint64_t, >= 0 */
  PARAM_INT,     /* int in [min, max] */
  PARAM_BOOL,    /* bool */
  PARAM_STRING,  /* char *: a non-empty string */
  PARAM_SECCOMP, /* struct param_seccomp: "default", "strict" or an absolute path */
};

/* A value as a table writes it: the member its type reads.  */
struct param_value
{
  const char *const *list; /* CAPS, PATHS, STRINGS: NULL-terminated ({ NULL } is empty) */
  const char *text;        /* STRING, SECCOMP */
  int64_t number;          /* I64, INT, BOOL (0 or 1) */
  uint64_t unumber;        /* U64 */
};

/* One parameter of a rule: `rules.<rule>.<key>` in a policy file.  */
struct rule_param
{
  const char *key;
  enum param_type type;
  size_t offset; /* of the value in the rule's parameter struct */
  struct param_value def;
  int64_t min, max; /* I64 and INT: the bounds a policy file must keep to */
};

/* The value of a PARAM_SECCOMP parameter: the profile's name, and the profile itself once the
 * policy loaded it (NULL until then, or when it could not be loaded, and then why).  */
struct param_seccomp
{
  char *name;
  struct json_node *profile;
  char *error; /* why the profile did not load (with profile NULL): the seccomp rule, which fails
                  closed without a profile, names it */
  /* The seccomp rule's memo of its last result for this profile (the engine checks a rule up to
   * four times per document, on the same seccomp object): owned here so that it lives and dies
   * with the profile it was computed from.  NULL until the rule runs.  */
  void *memo;
  void (*memo_free) (void *memo);
};

/* Where parameter p lives in a block.  */
static inline void *
param_field (void *block, const struct rule_param *p)
{
  return (char *)block + p->offset;
}

static inline const void *
param_field_const (const void *block, const struct rule_param *p)
{
  return (const char *)block + p->offset;
}

/* A new block of `size` bytes with every parameter of params[0..n) at its default.  */
void *params_block_new (const struct rule_param *params, size_t n, size_t size);
/* Free what the fields of a block hold, and the block.  */
void params_block_free (const struct rule_param *params, size_t n, void *block);
/* Set p in block to a copy of v (what the field held before is freed).  */
void param_set (void *block, const struct rule_param *p, const struct param_value *v);
/* The parameter called `key` in params[0..n), or NULL.  */
const struct rule_param *param_find (const struct rule_param *params, size_t n, const char *key);

#endif
