/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy files as loaded (policy_file_tree.h): which file each value of the merged tree came
 * from, the errors that name it, collect mode, and the digest of the files read.
 *
 * Owns: `file:line:column` in every policy-file error.  Must not: read files, or know a key of
 * the format.  */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "policy_file_tree.h"
#include "util.h"

char *
policy_file_digest (const struct policy_file *pf)
{
  struct sha256_ctx copy = pf->digest; /* finishing a digest ends it */
  char hex[SHA256_HEX_SIZE];

  if (pf->n_digested == 0)
    return NULL;
  sha256_final_hex (&copy, hex);
  return xasprintf ("sha256:%s", hex);
}

void
policy_file_origins_add (struct policy_file *pf, const struct json_node *node, size_t source)
{
  if (pf->n_origins == pf->cap_origins)
    {
      pf->cap_origins = pf->cap_origins ? pf->cap_origins * 2 : 64;
      pf->origins = xreallocarray (pf->origins, pf->cap_origins, sizeof (*pf->origins));
    }
  pf->origins[pf->n_origins++] = (struct policy_file_origin){ node, source };
  for (size_t i = 0; i < node->n; i++)
    policy_file_origins_add (pf, node->items[i], source);
}

static const char *
source_of (const struct policy_file *pf, const struct json_node *node)
{
  if (pf->current != NULL)
    return pf->current;
  /* Newest first: a node freed by a later merge step can have its address reused by a node
   * registered after it.  */
  for (size_t i = pf->n_origins; i-- > 0;)
    if (pf->origins[i].node == node)
      return pf->sources[pf->origins[i].source];
  return pf->n_sources > 0 ? pf->sources[0] : "policy";
}

int
policy_file_error_at (const struct policy_file *pf, const struct json_node *node, const char *path,
                      ocg_error_t *err, const char *fmt, ...)
{
  cleanup_free char *what = NULL;
  const char *source = source_of (pf, node);
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&what, fmt, ap) < 0)
    ocg_oom ();
  va_end (ap);
  if (node != NULL && node->line > 0)
    return ocg_error_set (err, 0, "%s:%zu:%zu: %s: %s", source, node->line, node->column, path,
                          what);
  return ocg_error_set (err, 0, "%s: %s: %s", source, path, what);
}

bool
policy_file_keep_going (struct policy_file *pf, ocg_error_t *err)
{
  if (!pf->collect)
    return false;
  if (*err != NULL)
    {
      pf->errors = xreallocarray (pf->errors, pf->n_errors + 2, sizeof (char *));
      pf->errors[pf->n_errors++] = ocg_error_text (*err);
      pf->errors[pf->n_errors] = NULL;
      ocg_error_free (err);
    }
  return true;
}
