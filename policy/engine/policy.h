/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy in memory: global mode, profile, one action per rule, and one block of parameter
 * values per rule (params.h).
 *
 * Owns: the data model (policy.c), the names of actions and modes, and the built-in profiles
 * (baseline, restricted, privileged: profiles.c) that are used when no policy file exists -- a
 * supported configuration.  The file format and its loader live in policy/file/.  Must not: do
 * I/O, know about argv.  */
#ifndef OCG_POLICY_H
#define OCG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "json.h"
#include "params.h"

enum rule_action
{
  ACTION_OFF,
  ACTION_WARN,    /* report, change nothing, never deny */
  ACTION_REWRITE, /* fix what the rule can fix; what it cannot fix is denied */
  ACTION_DENY,    /* every finding denies */
};

enum policy_mode
{
  MODE_ENFORCE,
  MODE_AUDIT, /* evaluate and record everything, change nothing, always run */
};

/* A NULL-terminated list of malloc'd strings.  */
typedef char **strv_t;

struct policy
{
  char *name; /* profile name shown in messages: "baseline" */
  enum policy_mode mode;
  char *runtime;   /* real runtime path from the policy file, or NULL */
  char *audit_log; /* audit destination, or NULL for the default */
  char *digest;    /* "sha256:<hex>" of the policy files it was built from (policy_file_digest), or
                      NULL for a built-in profile with no file */
  enum rule_action *actions; /* indexed like rules_table() */
  void **params; /* indexed like rules_table(): each rule's parameter block (params.h), NULL for a
                    rule without parameters */
};

/* Build one of the built-in profiles ("baseline", "restricted", "privileged").  Returns NULL for
 * an unknown name.  */
struct policy *policy_builtin (const char *profile);
/* A policy named `name` in enforce mode, every rule at `action` and every parameter at its rule's
 * default (for profiles.c, and for tests).  */
struct policy *policy_new (const char *name, enum rule_action action);
void policy_free (struct policy *policy);
void policy_freep (struct policy **policy);
#define cleanup_policy __attribute__ ((cleanup (policy_freep)))

/* The names of the actions, modes and built-in profiles, as the policy file, `policy show` and
 * the audit record spell them: one NULL-terminated table each, actions and modes in the order of
 * their enum.  */
extern const char *const policy_action_names[];
extern const char *const policy_mode_names[];
/* Where the value of parameter `key` of rule `rule` lives in the policy (a `char **` for a list,
 * an `int64_t *` for PARAM_I64, ... see params.h), or NULL when the rule has no such parameter.
 * For code that reads a rule's parameter from outside the rule: another rule asks the engine
 * this way, by name.  */
const void *policy_param (const struct policy *policy, const char *rule, const char *key);
/* The same for a list parameter, as its strings.  */
const char *const *policy_param_list (const struct policy *policy, const char *rule,
                                      const char *key);
/* Set parameter `key` of rule `rule` to a copy of v; false when the rule has no such parameter.  */
bool policy_param_set (struct policy *policy, const char *rule, const char *key,
                       const struct param_value *v);
/* Load the seccomp profile of every PARAM_SECCOMP parameter that names one and holds none yet:
 * a path through load_file (NULL: a path is an error); "default" and "strict" are only looked up
 * here (an unknown name is an error) and parsed from the embedded copies by
 * policy_seccomp_profile when a judgement first needs the tree.  */
OCG_MUST_CHECK
int policy_load_seccomp (struct policy *policy,
                         struct json_node *(*load_file) (const char *path, ocg_error_t *err),
                         ocg_error_t *err);
/* The profile of a PARAM_SECCOMP parameter: an embedded one parsed at the first call (kept in
 * s, which is why s is not const), or NULL when it is not loaded (s->error, or err, says why).  */
const struct json_node *policy_seccomp_profile (struct param_seccomp *s, ocg_error_t *err);

const char *policy_action_name (enum rule_action action);
bool policy_action_parse (const char *name, enum rule_action *out);
const char *policy_mode_name (enum policy_mode mode);
bool policy_mode_parse (const char *name, enum policy_mode *out);
/* "baseline", "restricted", "privileged", NULL.  */
const char *const *policy_builtin_names (void);
bool policy_is_builtin (const char *name);

/* ---- Exemptions: named grants of other rule actions to the containers they match.  Parsed from
 * the policy file and applied by policy_file_exempt.c (see policy_file.h for the trust model).  */

/* The annotation `key` is present and its value matches the fnmatch(3) pattern `pattern`.  */
struct policy_annotation_match
{
  char *key;
  char *pattern;
};

/* Rule `rule` (an index into rules_table()) gets `action` in matching containers.  */
struct policy_grant
{
  size_t rule;
  enum rule_action action;
};

/* Every condition given must hold (an absent condition holds); within a list, any entry may.  */
struct policy_exemption
{
  char *name;
  struct policy_annotation_match *annotations; /* all must match */
  size_t n_annotations;
  strv_t profiles;      /* the profile selected for the invocation is one of these; NULL: any */
  strv_t container_ids; /* the container id matches one of these fnmatch(3) patterns; NULL: any */
  struct policy_grant *grants;
  size_t n_grants;
};

struct policy_exemptions
{
  strv_t engine_set_annotations;  /* the only annotation keys an exemption may match on */
  struct policy_exemption *items; /* sorted by name */
  size_t n;
};

#endif
