/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy-file format, strictly: every key, type and value of one file.  (The cross-references
 * of the merged files are policy_file_build.c's and policy_file_exempt.c's.)
 *
 * Owns: the keys of each object (top level, profiles, exemptions, their conditions) and the check
 * of each parameter type; which parameters a rule has, with their types and bounds, is read from
 * the rule's own declaration (policy/engine/params.h).  Must not: read files or build
 * policies.
 *
 * Strict because the file is the operator's only control: a misspelt key that was silently
 * ignored would leave a rule at its default, which the operator believes is changed.  */
#include <config.h>

#include <inttypes.h>
#include <stddef.h>
#include <sys/capability.h>

#include "engine.h"
#include "policy_file_exempt.h"
#include "policy_file_schema.h"
#include "policy_file_suggest.h"
#include "ruleutil.h"
#include "util.h"

/* ---- value checks ---- */

static const char *
type_name (enum json_type t)
{
  static const char *const names[]
      = { "null", "a boolean", "a number", "a string", "an object", "an array" };
  return names[t];
}

static int
expect_type (struct policy_file *pf, const struct json_node *v, enum json_type t, const char *path,
             ocg_error_t *err)
{
  if (v->type == t)
    return 0;
  return policy_file_error_at (pf, v, path, err, "expected %s, got %s", type_name (t),
                               type_name (v->type));
}

static int
expect_string (struct policy_file *pf, const struct json_node *v, const char *path,
               ocg_error_t *err)
{
  if (expect_type (pf, v, JSON_STRING, path, err) < 0)
    return -1;
  if (v->text[0] == '\0')
    return policy_file_error_at (pf, v, path, err, "must not be empty");
  return 0;
}

static int
expect_path (struct policy_file *pf, const struct json_node *v, const char *path, ocg_error_t *err)
{
  if (expect_string (pf, v, path, err) < 0)
    return -1;
  if (v->text[0] != '/')
    return policy_file_error_at (pf, v, path, err, "`%s` is not an absolute path", v->text);
  return 0;
}

/* The audit destination: a file's absolute path, or syslog -- "syslog" (its usual socket) or
 * "syslog:" and the absolute path of the socket (shim/audit.h AUDIT_SYSLOG).  */
static int
expect_audit_destination (struct policy_file *pf, const struct json_node *v, const char *path,
                          ocg_error_t *err)
{
  if (expect_string (pf, v, path, err) < 0)
    return -1;
  if (v->text[0] == '/' || str_eq (v->text, "syslog") || str_has_prefix (v->text, "syslog:/"))
    return 0;
  return policy_file_error_at (pf, v, path, err,
                               "`%s` is neither an absolute path nor `syslog` or "
                               "`syslog:/path/of/socket`",
                               v->text);
}

/* Profile and exemption names: they appear in binary names (ocigate-<profile>), messages and the
 * audit log, so keep them to a safe alphabet.  */
static int
expect_name (struct policy_file *pf, const struct json_node *v, const char *name, const char *path,
             ocg_error_t *err)
{
  size_t n = strlen (name);
  bool ok = n > 0 && n <= 64 && name[0] != '.' && name[0] != '-';

  for (size_t i = 0; ok && i < n; i++)
    ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z')
         || (name[i] >= '0' && name[i] <= '9') || name[i] == '-' || name[i] == '_'
         || name[i] == '.';
  if (!ok)
    return policy_file_error_at (pf, v, path, err,
                                 "a name is 1-64 letters, digits, `-`, `_` or `.`, not starting "
                                 "with `-` or `.`");
  return 0;
}

static int
expect_enum (struct policy_file *pf, const struct json_node *v, const char *const *allowed,
             const char *path, ocg_error_t *err)
{
  cleanup_free char *list = NULL;
  cleanup_free char *hint = NULL;

  if (expect_type (pf, v, JSON_STRING, path, err) < 0)
    return -1;
  if (strv_contains (allowed, v->text))
    return 0;
  list = ruleutil_join_quoted (allowed, strv_length (allowed));
  hint = policy_file_did_you_mean (v->text, allowed);
  return policy_file_error_at (pf, v, path, err, "`%s` is not one of %s%s", v->text, list, hint);
}

/* The keys of each object of the format (besides rules and their parameters).  */
static const char *const top_keys[] = {
  "runtime",  "mode",       "profile", "audit_log", "engine_set_annotations",
  "profiles", "exemptions", NULL,
};
static const char *const profile_keys[] = { "extends", "mode", "description", "rules", NULL };
static const char *const exemption_keys[] = { "description", "match", "rules", NULL };
static const char *const match_keys[] = { "annotations", "profiles", "container_ids", NULL };

static int
expect_annotation_key (struct policy_file *pf, const struct json_node *v, const char *key,
                       const char *path, ocg_error_t *err)
{
  if (key[0] == '\0')
    return policy_file_error_at (pf, v, path, err, "an annotation key must not be empty");
  if (policy_annotation_names_ocigate (key))
    return policy_file_error_at (pf, v, path, err,
                                 "annotation `%s` names ocigate: an annotation that addresses "
                                 "ocigate can be set by whoever starts a container, so it can "
                                 "never grant an exemption",
                                 key);
  return 0;
}

/* Each element of an array through `check` (a string check).  */
static int
each_element (struct policy_file *pf, const struct json_node *v, const char *path,
              int (*check) (struct policy_file *, const struct json_node *, const char *,
                            ocg_error_t *),
              ocg_error_t *err)
{
  bool failed = false;

  if (expect_type (pf, v, JSON_ARRAY, path, err) < 0)
    return -1;
  for (size_t i = 0; i < v->n; i++)
    {
      cleanup_free char *p = json_path_index (path, i);
      if (check (pf, v->items[i], p, err) < 0)
        {
          if (!policy_file_keep_going (pf, err))
            return -1;
          failed = true;
        }
    }
  /* Collecting: every wrong element is reported, then the whole list is dropped.  */
  return failed ? -1 : 0;
}

/* runc accepts only the CAP_ spelling (libcontainer/capabilities), libcap any case: require what
 * both read the same way.  */
static int
expect_cap (struct policy_file *pf, const struct json_node *v, const char *path, ocg_error_t *err)
{
  cap_value_t cap;

  if (expect_string (pf, v, path, err) < 0)
    return -1;
  if (!str_has_prefix (v->text, "CAP_") || cap_from_name (v->text, &cap) < 0)
    return policy_file_error_at (pf, v, path, err, "`%s` is not a capability name (CAP_...)",
                                 v->text);
  for (const char *p = v->text; *p != '\0'; p++)
    if (*p >= 'a' && *p <= 'z')
      return policy_file_error_at (pf, v, path, err, "write capability `%s` in upper case",
                                   v->text);
  return 0;
}

static int
expect_number (struct policy_file *pf, const struct json_node *v, const struct rule_param *p,
               const char *path, ocg_error_t *err)
{
  int64_t i;
  uint64_t u;

  if (expect_type (pf, v, JSON_NUMBER, path, err) < 0)
    return -1;
  if (p->type == PARAM_U64 && !json_number_u64 (v, &u))
    return policy_file_error_at (pf, v, path, err, "`%s` is not an integer >= 0", v->text);
  if (p->type != PARAM_U64 && (!json_number_i64 (v, &i) || i < p->min || i > p->max))
    return policy_file_error_at (pf, v, path, err,
                                 "`%s` is not an integer from %" PRId64 " to %" PRId64, v->text,
                                 p->min, p->max);
  return 0;
}

static int
expect_seccomp (struct policy_file *pf, const struct json_node *v, const char *path,
                ocg_error_t *err)
{
  if (expect_string (pf, v, path, err) < 0)
    return -1;
  if (str_eq (v->text, "default") || str_eq (v->text, "strict") || v->text[0] == '/')
    return 0;
  return policy_file_error_at (pf, v, path, err,
                               "`%s` is neither `default`, `strict` nor an absolute path", v->text);
}

static int
check_param (struct policy_file *pf, const struct json_node *v, const struct rule_param *p,
             const char *path, ocg_error_t *err)
{
  switch (p->type)
    {
    case PARAM_CAPS:
      return each_element (pf, v, path, expect_cap, err);
    case PARAM_PATHS:
      return each_element (pf, v, path, expect_path, err);
    case PARAM_STRINGS:
      return each_element (pf, v, path, expect_string, err);
    case PARAM_I64:
    case PARAM_U64:
    case PARAM_INT:
      return expect_number (pf, v, p, path, err);
    case PARAM_BOOL:
      return expect_type (pf, v, JSON_BOOL, path, err);
    case PARAM_STRING:
      return expect_string (pf, v, path, err);
    case PARAM_SECCOMP:
      return expect_seccomp (pf, v, path, err);
    }
  return policy_file_error_at (pf, v, path, err, "internal error: parameter type");
}

/* ---- objects ---- */

typedef int (*member_fn) (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
                          const void *ctx, ocg_error_t *err);

/* Each member of an object through fn.  A `null` member is a deletion, checked by the merge.
 * Collecting (policy_file_load_all), a member found wrong is reported and dropped, and the
 * others are still checked.  */
static int
each_member (struct policy_file *pf, struct json_node *obj, const char *path, member_fn fn,
             const void *ctx, ocg_error_t *err)
{
  if (expect_type (pf, obj, JSON_OBJECT, path, err) < 0)
    return -1;
  for (size_t i = 0; i < obj->n;)
    {
      cleanup_free char *child = json_path_key (path, obj->keys[i]);

      if (obj->items[i]->type == JSON_NULL || fn (pf, obj, i, child, ctx, err) == 0)
        i++;
      else if (!policy_file_keep_going (pf, err))
        return -1;
      else
        json_obj_remove (obj, obj->keys[i]);
    }
  return 0;
}

/* "`a`, `b` or `c`".  */
static char *
quoted_list (const char *const *v)
{
  char *text = xstrdup ("");

  for (size_t i = 0; v[i] != NULL; i++)
    {
      char *more = xasprintf ("%s%s`%s`", text, i == 0 ? "" : v[i + 1] ? ", " : " or ", v[i]);
      free (text);
      text = more;
    }
  return text;
}

static int
unknown_key (struct policy_file *pf, const struct json_node *v, const char *key, const char *path,
             const char *const *expected, ocg_error_t *err)
{
  cleanup_free char *list = quoted_list (expected);
  cleanup_free char *hint = policy_file_did_you_mean (key, expected);

  return policy_file_error_at (pf, v, path, err, "unknown key (expected %s)%s", list, hint);
}

/* The rule ids, for suggestions (malloc'd vector of borrowed strings).  */
static const char **
rule_ids (void)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);
  const char **ids = xreallocarray (NULL, n + 1, sizeof (char *));

  for (size_t i = 0; i < n; i++)
    ids[i] = table[i]->id;
  ids[n] = NULL;
  return ids;
}

static int
unknown_rule (struct policy_file *pf, const struct json_node *v, const char *id, const char *path,
              ocg_error_t *err)
{
  cleanup_free const char **ids = rule_ids ();
  cleanup_free char *hint = policy_file_did_you_mean (id, ids);

  return policy_file_error_at (pf, v, path, err, "unknown rule `%s`%s", id, hint);
}

static int
expect_annotation_name (struct policy_file *pf, const struct json_node *v, const char *path,
                        ocg_error_t *err)
{
  if (expect_string (pf, v, path, err) < 0)
    return -1;
  return expect_annotation_key (pf, v, v->text, path, err);
}

static int
expect_name_string (struct policy_file *pf, const struct json_node *v, const char *path,
                    ocg_error_t *err)
{
  if (expect_string (pf, v, path, err) < 0)
    return -1;
  return expect_name (pf, v, v->text, path, err);
}

/* A rule given as a bare action becomes {"action": ...}, so drop-ins merge per key.  */
static void
normalise_rule (struct json_node *obj, size_t i)
{
  struct json_node *v = obj->items[i];
  struct json_node *action = json_new_string (v->text);
  struct json_node *o = json_new_object ();

  action->line = o->line = v->line;
  action->column = o->column = v->column;
  json_obj_set (o, "action", action);
  obj->items[i] = o;
  json_free (v);
}

static int
rule_setting (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
              const void *ctx, ocg_error_t *err)
{
  const struct rule *rule = rules_find (ctx, NULL);
  const struct json_node *v = obj->items[i];
  const struct rule_param *p;

  if (str_eq (obj->keys[i], "action"))
    return expect_enum (pf, v, policy_action_names, path, err);
  p = param_find (rule->params, rule->n_params, obj->keys[i]);
  if (p == NULL)
    {
      cleanup_free const char **expected
          = xreallocarray (NULL, rule->n_params + 2, sizeof (char *));

      expected[0] = "action";
      for (size_t j = 0; j < rule->n_params; j++)
        expected[j + 1] = rule->params[j].key;
      expected[rule->n_params + 1] = NULL;
      return unknown_key (pf, v, obj->keys[i], path, expected, err);
    }
  return check_param (pf, v, p, path, err);
}

static int
rule_entry (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
            const void *ctx, ocg_error_t *err)
{
  const struct json_node *v = obj->items[i];

  (void)ctx;
  if (rules_find (obj->keys[i], NULL) == NULL)
    return unknown_rule (pf, v, obj->keys[i], path, err);
  if (v->type == JSON_STRING)
    {
      if (expect_enum (pf, v, policy_action_names, path, err) < 0)
        return -1;
      normalise_rule (obj, i);
      return 0;
    }
  if (v->type != JSON_OBJECT)
    return policy_file_error_at (pf, v, path, err, "expected an action or an object, got %s",
                                 type_name (v->type));
  return each_member (pf, obj->items[i], path, rule_setting, obj->keys[i], err);
}

static int
profile_member (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
                const void *ctx, ocg_error_t *err)
{
  const char *key = obj->keys[i];
  struct json_node *v = obj->items[i];

  (void)ctx;
  if (str_eq (key, "extends"))
    return expect_name_string (pf, v, path, err);
  if (str_eq (key, "mode"))
    return expect_enum (pf, v, policy_mode_names, path, err);
  if (str_eq (key, "description"))
    return expect_type (pf, v, JSON_STRING, path, err);
  if (str_eq (key, "rules"))
    return each_member (pf, v, path, rule_entry, NULL, err);
  return unknown_key (pf, v, key, path, profile_keys, err);
}

static int
profile_entry (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
               const void *ctx, ocg_error_t *err)
{
  (void)ctx;
  if (expect_name (pf, obj->items[i], obj->keys[i], path, err) < 0)
    return -1;
  return each_member (pf, obj->items[i], path, profile_member, NULL, err);
}

static int
annotation_entry (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
                  const void *ctx, ocg_error_t *err)
{
  (void)ctx;
  if (expect_annotation_key (pf, obj->items[i], obj->keys[i], path, err) < 0)
    return -1;
  return expect_type (pf, obj->items[i], JSON_STRING, path, err);
}

static int
match_member (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
              const void *ctx, ocg_error_t *err)
{
  const char *key = obj->keys[i];
  struct json_node *v = obj->items[i];

  (void)ctx;
  if (str_eq (key, "annotations"))
    return each_member (pf, v, path, annotation_entry, NULL, err);
  if (str_eq (key, "profiles"))
    return each_element (pf, v, path, expect_name_string, err);
  if (str_eq (key, "container_ids"))
    return each_element (pf, v, path, expect_string, err);
  return unknown_key (pf, v, key, path, match_keys, err);
}

static int
grant_entry (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
             const void *ctx, ocg_error_t *err)
{
  (void)ctx;
  if (rules_find (obj->keys[i], NULL) == NULL)
    return unknown_rule (pf, obj->items[i], obj->keys[i], path, err);
  return expect_enum (pf, obj->items[i], policy_action_names, path, err);
}

static int
exemption_member (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
                  const void *ctx, ocg_error_t *err)
{
  const char *key = obj->keys[i];
  struct json_node *v = obj->items[i];

  (void)ctx;
  if (str_eq (key, "description"))
    return expect_type (pf, v, JSON_STRING, path, err);
  if (str_eq (key, "match"))
    return each_member (pf, v, path, match_member, NULL, err);
  if (str_eq (key, "rules"))
    return each_member (pf, v, path, grant_entry, NULL, err);
  return unknown_key (pf, v, key, path, exemption_keys, err);
}

static int
exemption_entry (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
                 const void *ctx, ocg_error_t *err)
{
  (void)ctx;
  if (expect_name (pf, obj->items[i], obj->keys[i], path, err) < 0)
    return -1;
  return each_member (pf, obj->items[i], path, exemption_member, NULL, err);
}

static int
top_member (struct policy_file *pf, struct json_node *obj, size_t i, const char *path,
            const void *ctx, ocg_error_t *err)
{
  const char *key = obj->keys[i];
  struct json_node *v = obj->items[i];

  (void)ctx;
  if (str_eq (key, "runtime"))
    return expect_path (pf, v, path, err);
  if (str_eq (key, "audit_log"))
    return expect_audit_destination (pf, v, path, err);
  if (str_eq (key, "mode"))
    return expect_enum (pf, v, policy_mode_names, path, err);
  if (str_eq (key, "profile"))
    return expect_name_string (pf, v, path, err);
  if (str_eq (key, "engine_set_annotations"))
    return each_element (pf, v, path, expect_annotation_name, err);
  if (str_eq (key, "profiles"))
    return each_member (pf, v, path, profile_entry, NULL, err);
  if (str_eq (key, "exemptions"))
    return each_member (pf, v, path, exemption_entry, NULL, err);
  return unknown_key (pf, v, key, path, top_keys, err);
}

int
policy_file_validate_tree (struct policy_file *pf, struct json_node *root, ocg_error_t *err)
{
  return each_member (pf, root, "$", top_member, NULL, err);
}
