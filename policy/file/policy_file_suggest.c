/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Suggestions for misspelt names in a policy file: keys, rule ids, profile names.
 *
 * Owns: the edit distance and the rule for "close enough to suggest", and the list of profiles an
 * unknown profile name is reported with.  Must not: accept a misspelt name -- a suggestion only
 * ever appears in an error.  */
#include <config.h>

#include <ctype.h>
#include <stdint.h>

#include "policy_file_suggest.h"
#include "util.h"

/* Longer names are never misspellings of ours (the longest key is 22 characters).  */
#define SUGGEST_MAX_LEN 64

static size_t
min3 (size_t a, size_t b, size_t c)
{
  size_t m = a < b ? a : b;
  return m < c ? m : c;
}

/* Optimal string alignment distance, case-insensitive: insertions, deletions, substitutions and
 * transpositions of neighbours each count 1 ("capabilites" -> "capabilities" is 1, "mdoe" ->
 * "mode" is 1).  */
static size_t
distance (const char *a, const char *b)
{
  size_t n = strlen (a), m = strlen (b);
  size_t d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];

  if (n > SUGGEST_MAX_LEN || m > SUGGEST_MAX_LEN)
    return SIZE_MAX;
  for (size_t i = 0; i <= n; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= m; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++)
      {
        int x = tolower ((unsigned char)a[i - 1]), y = tolower ((unsigned char)b[j - 1]);
        d[i][j] = min3 (d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x != y));
        if (i > 1 && j > 1 && x == tolower ((unsigned char)b[j - 2])
            && tolower ((unsigned char)a[i - 2]) == y && d[i - 2][j - 2] + 1 < d[i][j])
          d[i][j] = d[i - 2][j - 2] + 1;
      }
  return d[n][m];
}

const char *
policy_file_closest (const char *word, const char *const *candidates)
{
  /* One edit per four characters, at most three: `mod` -> `mode`, `exemption` -> `exemptions`,
   * `engine_set_annotation` -> `engine_set_annotations`, never `on` -> `off`.  */
  size_t limit = 1 + strlen (word) / 4;
  const char *best = NULL;
  size_t best_d = SIZE_MAX;

  limit = limit > 3 ? 3 : limit;
  for (size_t i = 0; candidates != NULL && candidates[i] != NULL; i++)
    {
      size_t d = distance (word, candidates[i]);
      if (d < best_d && d <= limit && d < strlen (candidates[i]))
        {
          best = candidates[i];
          best_d = d;
        }
    }
  return best;
}

char *
policy_file_did_you_mean (const char *word, const char *const *candidates)
{
  const char *best = policy_file_closest (word, candidates);

  return best != NULL ? xasprintf ("; did you mean `%s`?", best) : xstrdup ("");
}

char **
policy_file_profile_names (const struct policy_file *pf)
{
  const struct json_node *own = json_obj_get (pf->root, "profiles");
  char **names = strv_dup (policy_builtin_names ());

  for (size_t i = 0; own != NULL && i < own->n; i++)
    if (!policy_is_builtin (own->keys[i]))
      strv_add (&names, own->keys[i]);
  return names;
}

bool
policy_file_profile_exists (const struct policy_file *pf, const char *name)
{
  return policy_is_builtin (name) || json_obj_get (json_obj_get (pf->root, "profiles"), name);
}

char *
policy_file_unknown_profile (const struct policy_file *pf, const char *name)
{
  cleanup_strv char **names = policy_file_profile_names (pf);
  cleanup_free char *list = NULL;
  cleanup_free char *hint = policy_file_did_you_mean (name, (const char *const *)names);

  for (size_t i = 0; names[i] != NULL; i++)
    {
      char *more = xasprintf ("%s%s`%s`", list ? list : "", list ? ", " : "", names[i]);
      free (list);
      list = more;
    }
  return xasprintf ("`%s` (profiles: %s)%s", name, list, hint);
}
