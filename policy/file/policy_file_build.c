/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From the merged policy file to the struct policy of one profile.
 *
 * Owns: profile inheritance (`extends`, its defaults, cycles), applying a profile's actions and
 * parameters over its base, the mode precedence inside the file, and loading the seccomp profile
 * a profile names (a path is read as trusted input and checked with seccomp_check_profile).
 * Must not: apply exemptions (policy_file_exempt.c) or command-line overrides (shim/).
 *
 * Inheritance: a profile with `extends` starts from that profile (as the file defines it, or the
 * built-in); without `extends`, a profile named like a built-in starts from that built-in and any
 * other profile starts from `baseline` (as the file defines it) -- never from "everything off".  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>

#include "engine.h"
#include "fsutil.h"
#include "policy_file_build.h"
#include "policy_file_path.h"
#include "policy_file_suggest.h"
#include "seccomp.h"
#include "util.h"

/* Deeper than any sane chain; cycles are refused before building, this only bounds recursion.  */
#define PROFILE_MAX_DEPTH 32
/* seccomp_check_file's cap: moby's default profile is 20 KiB.  */
#define SECCOMP_FILE_MAX_BYTES (4u * 1024u * 1024u)

static const struct json_node *
profile_node (const struct policy_file *pf, const char *name)
{
  return json_obj_get (json_obj_get (pf->root, "profiles"), name);
}

/* The profile `name` is built on, NULL at the end of a chain (a built-in).  */
static const char *
profile_next (const struct policy_file *pf, const char *name)
{
  const struct json_node *node = profile_node (pf, name);
  const struct json_node *ext = json_obj_get (node, "extends");

  if (node == NULL)
    return NULL;
  if (ext != NULL && ext->type == JSON_STRING)
    return ext->text;
  return policy_is_builtin (name) ? NULL : "baseline";
}

static int
check_chain (struct policy_file *pf, const char *start, const struct json_node *at,
             const char *path, ocg_error_t *err)
{
  const char *chain[PROFILE_MAX_DEPTH + 1];
  size_t n = 0;

  for (const char *cur = start; cur != NULL; cur = profile_next (pf, cur))
    {
      for (size_t i = 0; i < n; i++)
        if (str_eq (chain[i], cur))
          {
            cleanup_free char *text = xstrdup (chain[0]);
            for (size_t k = 1; k < n; k++)
              {
                char *more = xasprintf ("%s -> %s", text, chain[k]);
                free (text);
                text = more;
              }
            return policy_file_error_at (pf, at, path, err, "profile cycle: %s -> %s", text, cur);
          }
      if (n == PROFILE_MAX_DEPTH)
        return policy_file_error_at (pf, at, path, err, "profile chain longer than %d",
                                     PROFILE_MAX_DEPTH);
      chain[n++] = cur;
    }
  return 0;
}

static int
check_profile (struct policy_file *pf, const char *name, const struct json_node *node,
               ocg_error_t *err)
{
  const struct json_node *ext = json_obj_get (node, "extends");
  cleanup_free char *base = json_path_key ("$.profiles", name);
  cleanup_free char *path = json_path_key (base, "extends");

  if (ext != NULL && !policy_file_profile_exists (pf, ext->text))
    {
      cleanup_free char *what = policy_file_unknown_profile (pf, ext->text);
      return policy_file_error_at (pf, ext, path, err, "unknown profile %s", what);
    }
  return check_chain (pf, name, ext ? ext : node, ext ? path : base, err);
}

/* Collecting, a wrong default profile or `extends` is reported and dropped (the file's default
 * becomes baseline, the profile extends its default base), so the rest can still be checked.  */
int
policy_file_validate_profiles (struct policy_file *pf, ocg_error_t *err)
{
  const struct json_node *def = json_obj_get (pf->root, "profile");
  const struct json_node *profiles = json_obj_get (pf->root, "profiles");

  if (def != NULL && !policy_file_profile_exists (pf, def->text))
    {
      cleanup_free char *what = policy_file_unknown_profile (pf, def->text);
      policy_file_error_at (pf, def, "$.profile", err, "unknown profile %s", what);
      if (!policy_file_keep_going (pf, err))
        return -1;
      json_obj_remove (pf->root, "profile");
    }
  for (size_t i = 0; profiles != NULL && i < profiles->n; i++)
    if (check_profile (pf, profiles->keys[i], profiles->items[i], err) < 0)
      {
        if (!policy_file_keep_going (pf, err))
          return -1;
        json_obj_remove (profiles->items[i], "extends");
      }
  return 0;
}

/* ---- applying a profile ---- */

/* A validated value (the types are right) as the parameter's type reads it, then set.  */
static void
set_param (void *block, const struct rule_param *p, const struct json_node *v)
{
  cleanup_strv char **list = NULL;
  struct param_value value = { .text = v->text, .number = v->boolean };

  switch (p->type)
    {
    case PARAM_CAPS:
    case PARAM_PATHS:
    case PARAM_STRINGS:
      list = json_strv (v);
      value.list = (const char *const *)list;
      break;
    case PARAM_I64:
    case PARAM_INT:
      json_number_i64 (v, &value.number);
      break;
    case PARAM_U64:
      json_number_u64 (v, &value.unumber);
      break;
    case PARAM_BOOL:
    case PARAM_STRING:
    case PARAM_SECCOMP:
      break;
    }
  param_set (block, p, &value);
}

static void
apply_rule (struct policy *policy, size_t index, const struct json_node *setting)
{
  size_t n = 0;
  const struct rule *rule = rules_table (&n)[index];

  for (size_t i = 0; i < setting->n; i++)
    {
      const struct json_node *v = setting->items[i];
      const struct rule_param *p;

      if (str_eq (setting->keys[i], "action"))
        policy_action_parse (v->text, &policy->actions[index]);
      else if ((p = param_find (rule->params, rule->n_params, setting->keys[i])) != NULL)
        set_param (policy->params[index], p, v);
    }
}

static void
apply_profile (struct policy *policy, const struct json_node *node, bool *mode_set)
{
  const struct json_node *mode = json_obj_get (node, "mode");
  const struct json_node *rules = json_obj_get (node, "rules");

  if (mode != NULL)
    {
      policy_mode_parse (mode->text, &policy->mode);
      *mode_set = true;
    }
  for (size_t i = 0; rules != NULL && i < rules->n; i++)
    {
      size_t index = 0;

      if (rules_find (rules->keys[i], &index) != NULL)
        apply_rule (policy, index, rules->items[i]);
    }
}

static struct policy *
build_chain (const struct policy_file *pf, const char *name, size_t depth, bool *mode_set,
             ocg_error_t *err)
{
  const struct json_node *node = profile_node (pf, name);
  const char *next = profile_next (pf, name);
  struct policy *policy;

  if (depth > PROFILE_MAX_DEPTH)
    return ocg_error_set (err, 0, "profile `%s`: chain too long", name), NULL;
  if (next != NULL)
    policy = build_chain (pf, next, depth + 1, mode_set, err);
  else if ((policy = policy_builtin (name)) == NULL)
    ocg_error_set (err, 0, "unknown policy profile `%s`", name);
  if (policy != NULL && node != NULL)
    apply_profile (policy, node, mode_set);
  return policy;
}

/* ---- seccomp ---- */

const struct seccomp_check_cache *policy_file_seccomp_cache = NULL;

static struct json_node *
load_seccomp_file (const char *path, ocg_error_t *err)
{
  struct json_parse_opts opts = { .source = path, .max_bytes = SECCOMP_FILE_MAX_BYTES };
  cleanup_close int fd = policy_file_open_path (AT_FDCWD, NULL, path, false, err);
  cleanup_free char *buf = NULL;
  cleanup_json struct json_node *profile = NULL;
  size_t len = 0;

  if (fd < 0)
    return NULL;
  buf = fsutil_read_fd (fd, path, SECCOMP_FILE_MAX_BYTES, &len, err);
  if (buf == NULL || (profile = json_parse (buf, len, &opts, err)) == NULL)
    return NULL;
  if (policy_file_seccomp_cache != NULL && policy_file_seccomp_cache->known_good (buf, len))
    return steal_pointer (&profile);
  if (seccomp_check_profile (profile, NULL, err) < 0)
    return NULL;
  if (policy_file_seccomp_cache != NULL)
    policy_file_seccomp_cache->remember (buf, len);
  return steal_pointer (&profile);
}

static void
apply_globals (const struct policy_file *pf, struct policy *policy, bool mode_set)
{
  const struct json_node *mode = json_obj_get (pf->root, "mode");
  const struct json_node *runtime = json_obj_get (pf->root, "runtime");
  const struct json_node *audit_log = json_obj_get (pf->root, "audit_log");

  if (!mode_set && mode != NULL)
    policy_mode_parse (mode->text, &policy->mode);
  if (runtime != NULL)
    {
      free (policy->runtime);
      policy->runtime = xstrdup (runtime->text);
    }
  if (audit_log != NULL)
    {
      free (policy->audit_log);
      policy->audit_log = xstrdup (audit_log->text);
    }
}

struct policy *
policy_file_build (const struct policy_file *pf, const char *profile, ocg_error_t *err)
{
  cleanup_policy struct policy *policy = NULL;
  bool mode_set = false;

  if (!policy_file_profile_exists (pf, profile))
    {
      cleanup_free char *what = policy_file_unknown_profile (pf, profile);
      return ocg_error_set (err, 0, "unknown policy profile %s", what), NULL;
    }
  policy = build_chain (pf, profile, 0, &mode_set, err);
  if (policy == NULL)
    return NULL;
  free (policy->name);
  policy->name = xstrdup (profile);
  apply_globals (pf, policy, mode_set);
  free (policy->digest);
  policy->digest = policy_file_digest (pf);
  /* The seccomp profile a file names, unless the built-in profile already loaded it.  */
  if (policy_load_seccomp (policy, load_seccomp_file, err) < 0)
    return ocg_error_wrap (err, "profile `%s`", profile), NULL;
  return steal_pointer (&policy);
}
