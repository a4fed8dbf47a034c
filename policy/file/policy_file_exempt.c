/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Exemptions: which containers get other rule actions than their profile gives them.
 *
 * Owns: the exemptions' load-time trust checks, matching (annotations, invoked profile,
 * container id glob) and combining the grants of several matching exemptions.
 * Must not: read files, or honour an annotation the policy does not declare engine-set.
 *
 * Why an undeclared annotation key is a load-time error instead of a condition that never
 * matches: an exemption that can never apply is a mistake the operator would only discover when
 * the workload it was written for fails to start on some node; refusing the file names the key
 * at `ocigate policy validate` time.  The matcher checks the declaration again anyway (defence in
 * depth for exemptions built in memory).  */
#include <config.h>

#include <fnmatch.h>
#include <strings.h>

#include "engine.h"
#include "policy_file_exempt.h"
#include "policy_file_suggest.h"
#include "policy_file_tree.h"
#include "ruleutil.h"
#include "util.h"

bool
policy_annotation_names_ocigate (const char *key)
{
  /* Case-insensitively and anywhere: "io.ocigate.exempt", "ocigate/skip", "dev.OCIGATE.x".  An
   * annotation that talks to ocigate is exactly what an attacker would set.  */
  for (const char *p = key; *p != '\0'; p++)
    if (strncasecmp (p, "ocigate", 7) == 0)
      return true;
  return false;
}

static bool
declared (const struct json_node *list, const char *key)
{
  for (size_t i = 0; list != NULL && i < list->n; i++)
    if (list->items[i]->type == JSON_STRING && str_eq (list->items[i]->text, key))
      return true;
  return false;
}

static bool
non_empty (const struct json_node *v)
{
  return v != NULL && v->n > 0;
}

static int
check_annotations (struct policy_file *pf, const struct json_node *ann, const char *base,
                   ocg_error_t *err)
{
  const struct json_node *list = json_obj_get (pf->root, "engine_set_annotations");

  for (size_t i = 0; ann != NULL && i < ann->n; i++)
    {
      cleanup_free char *path = json_path_key (base, ann->keys[i]);

      if (!declared (list, ann->keys[i]))
        return policy_file_error_at (
            pf, ann->items[i], path, err,
            "annotation `%s` is not declared in `engine_set_annotations`: declare only keys "
            "every engine on this node sets itself, because `docker run --annotation` and "
            "`podman --annotation` let any user set any other key",
            ann->keys[i]);
    }
  return 0;
}

static int
check_profiles (struct policy_file *pf, const struct json_node *profiles, const char *base,
                ocg_error_t *err)
{
  for (size_t i = 0; profiles != NULL && i < profiles->n; i++)
    if (!policy_file_profile_exists (pf, profiles->items[i]->text))
      {
        cleanup_free char *path = json_path_index (base, i);
        cleanup_free char *what = policy_file_unknown_profile (pf, profiles->items[i]->text);
        return policy_file_error_at (pf, profiles->items[i], path, err, "unknown profile %s", what);
      }
  return 0;
}

static int
check_exemption (struct policy_file *pf, const char *name, const struct json_node *ex,
                 ocg_error_t *err)
{
  cleanup_free char *base = json_path_key ("$.exemptions", name);
  cleanup_free char *mpath = json_path_key (base, "match");
  cleanup_free char *apath = json_path_key (mpath, "annotations");
  cleanup_free char *ppath = json_path_key (mpath, "profiles");
  const struct json_node *match = json_obj_get (ex, "match");
  const struct json_node *ann = json_obj_get (match, "annotations");

  /* An exemption for every container is a profile or a mode, not an exemption.  */
  if (!non_empty (ann) && !non_empty (json_obj_get (match, "profiles"))
      && !non_empty (json_obj_get (match, "container_ids")))
    return policy_file_error_at (pf, match ? match : ex, match ? mpath : base, err,
                                 "an exemption must match on `annotations`, `profiles` or "
                                 "`container_ids`");
  if (!non_empty (json_obj_get (ex, "rules")))
    return policy_file_error_at (pf, ex, base, err, "the exemption grants nothing (no `rules`)");
  if (check_annotations (pf, ann, apath, err) < 0)
    return -1;
  return check_profiles (pf, json_obj_get (match, "profiles"), ppath, err);
}

int
policy_file_validate_exemptions (struct policy_file *pf, ocg_error_t *err)
{
  struct json_node *all = json_obj_get (pf->root, "exemptions");

  /* Collecting, an exemption found wrong is reported and dropped: it grants nothing.  */
  for (size_t i = 0; all != NULL && i < all->n;)
    if (check_exemption (pf, all->keys[i], all->items[i], err) == 0)
      i++;
    else if (!policy_file_keep_going (pf, err))
      return -1;
    else
      json_obj_remove (all, all->keys[i]);
  return 0;
}

/* ---- the in-memory form ---- */

static void
parse_one (struct policy_exemption *ex, const char *name, const struct json_node *node)
{
  const struct json_node *match = json_obj_get (node, "match");
  const struct json_node *ann = json_obj_get (match, "annotations");
  const struct json_node *rules = json_obj_get (node, "rules");

  ex->name = xstrdup (name);
  ex->n_annotations = ann ? ann->n : 0;
  ex->annotations = xreallocarray (NULL, ex->n_annotations + 1, sizeof (*ex->annotations));
  for (size_t i = 0; i < ex->n_annotations; i++)
    {
      ex->annotations[i].key = xstrdup (ann->keys[i]);
      ex->annotations[i].pattern = xstrdup (ann->items[i]->text);
    }
  ex->profiles = json_strv (json_obj_get (match, "profiles"));
  ex->container_ids = json_strv (json_obj_get (match, "container_ids"));
  ex->grants = xreallocarray (NULL, rules->n + 1, sizeof (*ex->grants));
  for (size_t i = 0; i < rules->n; i++)
    {
      struct policy_grant *g = &ex->grants[ex->n_grants];
      if (rules_find (rules->keys[i], &g->rule) != NULL
          && policy_action_parse (rules->items[i]->text, &g->action))
        ex->n_grants++;
    }
}

static int
compare_exemptions (const void *a, const void *b)
{
  return strcmp (((const struct policy_exemption *)a)->name,
                 ((const struct policy_exemption *)b)->name);
}

void
policy_file_parse_exemptions (struct policy_file *pf)
{
  const struct json_node *all = json_obj_get (pf->root, "exemptions");
  struct policy_exemptions *set = &pf->exemptions;

  set->engine_set_annotations = json_strv (json_obj_get (pf->root, "engine_set_annotations"));
  set->n = all ? all->n : 0;
  set->items = xzalloc ((set->n + 1) * sizeof (*set->items));
  for (size_t i = 0; i < set->n; i++)
    parse_one (&set->items[i], all->keys[i], all->items[i]);
  qsort (set->items, set->n, sizeof (*set->items), compare_exemptions);
}

void
policy_exemptions_release (struct policy_exemptions *set)
{
  for (size_t i = 0; i < set->n; i++)
    {
      struct policy_exemption *ex = &set->items[i];

      for (size_t k = 0; k < ex->n_annotations; k++)
        {
          free (ex->annotations[k].key);
          free (ex->annotations[k].pattern);
        }
      free (ex->annotations);
      strv_free (ex->profiles);
      strv_free (ex->container_ids);
      free (ex->grants);
      free (ex->name);
    }
  free (set->items);
  strv_free (set->engine_set_annotations);
  memset (set, 0, sizeof (*set));
}

/* ---- matching ---- */

/* "Most permissive" below is the enum's order.  */
_Static_assert(ACTION_OFF < ACTION_WARN && ACTION_WARN < ACTION_REWRITE
                   && ACTION_REWRITE < ACTION_DENY,
               "enum rule_action must be ordered from most to least permissive");

static bool
annotation_matches (const struct policy_exemptions *set, const struct policy_annotation_match *m,
                    const struct json_node *annotations)
{
  const struct json_node *v = json_obj_get (annotations, m->key);

  if (policy_annotation_names_ocigate (m->key)
      || !strv_contains ((const char *const *)set->engine_set_annotations, m->key))
    return false;
  /* fnmatch without flags: `*` also matches `/`, so an image pattern "docker.io/calico/node*"
   * matches "docker.io/calico/node:v3.26".  */
  return v != NULL && v->type == JSON_STRING && fnmatch (m->pattern, v->text, 0) == 0;
}

static bool
any_glob (char *const *patterns, const char *s)
{
  for (size_t i = 0; s != NULL && patterns[i] != NULL; i++)
    if (fnmatch (patterns[i], s, 0) == 0)
      return true;
  return false;
}

bool
policy_exemption_matches (const struct policy_exemptions *set, const struct policy_exemption *ex,
                          const struct policy_subject *subject)
{
  if (ex->n_annotations == 0 && ex->profiles == NULL && ex->container_ids == NULL)
    return false; /* never "everything" (refused at load) */
  for (size_t i = 0; i < ex->n_annotations; i++)
    if (!annotation_matches (set, &ex->annotations[i], subject->annotations))
      return false;
  if (ex->profiles != NULL && !strv_contains ((const char *const *)ex->profiles, subject->profile))
    return false;
  if (ex->container_ids != NULL && !any_glob (ex->container_ids, subject->container_id))
    return false;
  return true;
}

void
policy_exemptions_apply (const struct policy_exemptions *set, const struct policy_subject *subject,
                         struct policy *policy, char ***applied)
{
  size_t n_rules = 0, n = 0;
  cleanup_free bool *granted = NULL;
  cleanup_free enum rule_action *action = NULL;
  char **names = xzalloc ((set->n + 1) * sizeof (char *));

  rules_table (&n_rules);
  granted = xzalloc ((n_rules + 1) * sizeof (bool));
  action = xzalloc ((n_rules + 1) * sizeof (*action));
  for (size_t i = 0; i < set->n; i++)
    {
      const struct policy_exemption *ex = &set->items[i];

      if (!policy_exemption_matches (set, ex, subject))
        continue;
      names[n++] = xstrdup (ex->name);
      /* Grants add up: the most permissive wins, whatever order the files list them in.  */
      for (size_t g = 0; g < ex->n_grants; g++)
        {
          size_t r = ex->grants[g].rule;
          if (!granted[r] || ex->grants[g].action < action[r])
            action[r] = ex->grants[g].action;
          granted[r] = true;
        }
    }
  for (size_t r = 0; r < n_rules; r++)
    if (granted[r])
      policy->actions[r] = action[r];
  if (n == 0)
    free (names), names = NULL;
  *applied = names;
}
