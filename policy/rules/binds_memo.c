/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sensitive-mounts: the verdict on each bind, kept from one check of a judgement to the next.
 * See binds.h.
 *
 * The engine checks the rule again after the other rules' rewrites (policy/engine/engine.c,
 * engine_recheck), and judging a bind costs tens of thousands of instructions: 1000 binds were
 * judged twice.  A verdict is a function of the mount entry, the parts of the document the rule
 * reads besides it (annotations, linux.namespaces, root), the call, the rule's parameters and the
 * host facts -- so it is kept with all of them and handed out again only when each is the same:
 * the facts by their identity (the real facts of one judgement, hostfacts_docpaths_generation;
 * never a fake's, which a test may change between two evaluations), the document's parts and the
 * entry byte for byte (json_identical, after a rewrite of options by another rule too).
 *
 * Owns: the memo.  Must not: judge anything.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "binds.h"
#include "spec.h"
#include "util.h"

struct kept_verdict
{
  struct json_node *mount; /* the entry it was given for (a copy); NULL: none kept */
  struct bind_verdict verdict;
};

static struct
{
  unsigned long generation; /* 0: nothing kept */
  const struct host_facts *host;
  uid_t container_root;
  const void *params;
  const struct call *call;
  struct json_node *annotations, *namespaces, *root; /* copies, NULL when absent */
  struct kept_verdict *kept;
  size_t n;
} memo;

static struct json_node *
clone_or_null (const struct json_node *node)
{
  return node != NULL ? json_clone (node) : NULL;
}

static void
memo_clear (void)
{
  for (size_t i = 0; i < memo.n; i++)
    {
      json_free (memo.kept[i].mount);
      free (memo.kept[i].verdict.problem);
    }
  free (memo.kept);
  json_free (memo.annotations);
  json_free (memo.namespaces);
  json_free (memo.root);
  memset (&memo, 0, sizeof (memo));
}

/* Does the memo hold verdicts for this very judgement and this document's other parts?  */
static bool
memo_matches (const struct rule_ctx *ctx, unsigned long generation)
{
  return memo.generation == generation && memo.host == ctx->host
         && memo.container_root == ctx->host->container_root && memo.params == ctx->params
         && memo.call == ctx->call
         && json_identical (memo.annotations, spec_get (ctx->spec, "/annotations"))
         && json_identical (memo.namespaces, spec_get (ctx->spec, "/linux/namespaces"))
         && json_identical (memo.root, spec_get (ctx->spec, "/root"));
}

bool
bind_memo_begin (const struct rule_ctx *ctx, size_t n_mounts)
{
  unsigned long generation = hostfacts_docpaths_generation (ctx->host);

  if (generation == 0)
    return false;
  if (memo_matches (ctx, generation) && memo.n == n_mounts)
    return true;
  memo_clear ();
  memo.generation = generation;
  memo.host = ctx->host;
  memo.container_root = ctx->host->container_root;
  memo.params = ctx->params;
  memo.call = ctx->call;
  memo.annotations = clone_or_null (spec_get (ctx->spec, "/annotations"));
  memo.namespaces = clone_or_null (spec_get (ctx->spec, "/linux/namespaces"));
  memo.root = clone_or_null (spec_get (ctx->spec, "/root"));
  memo.kept = xzalloc ((n_mounts + 1) * sizeof (*memo.kept));
  memo.n = n_mounts;
  return true;
}

const struct bind_verdict *
bind_memo_find (size_t i, const struct json_node *mount)
{
  if (i >= memo.n || memo.kept[i].mount == NULL || !json_identical (memo.kept[i].mount, mount))
    return NULL;
  return &memo.kept[i].verdict;
}

void
bind_memo_keep (size_t i, const struct json_node *mount, const struct bind_verdict *verdict)
{
  struct kept_verdict *k;

  if (i >= memo.n)
    return;
  k = &memo.kept[i];
  json_free (k->mount);
  free (k->verdict.problem);
  k->mount = json_clone (mount);
  k->verdict = *verdict;
  k->verdict.problem = verdict->problem != NULL ? xstrdup (verdict->problem) : NULL;
}
