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
 * entry byte for byte (json_identical, or the entry's fingerprint: after a rewrite of its options
 * by another rule too).
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
  char *print; /* the entry it was given for (fingerprint below); NULL: none kept */
  size_t len;
  struct bind_verdict verdict;
};

/* A growing byte buffer, or (cmp set) a comparison with bytes made before.  */
struct print_buf
{
  char *s;
  size_t len, cap;
  const char *cmp; /* compare with cmp[0..cap) instead of writing */
  bool differs;
};

static void
put (struct print_buf *b, const char *bytes, size_t n)
{
  if (b->cmp != NULL)
    {
      b->differs = b->differs || b->len + n > b->cap || memcmp (b->cmp + b->len, bytes, n) != 0;
      b->len += b->differs ? 0 : n;
      return;
    }
  if (b->len + n > b->cap)
    {
      b->cap = b->len + n > 2 * b->cap ? b->len + n + 64 : 2 * b->cap;
      b->s = xrealloc (b->s, b->cap);
    }
  memcpy (b->s + b->len, bytes, n);
  b->len += n;
}

/* The entry as bytes that are equal exactly when json_identical holds: a type byte, then a
 * string's or number's text with its NUL (a decoded string holds none), an object's members in
 * order each as `k`, its key and NUL, and its value, an array's items, and `e` at the end of
 * either.  Every element starts with a byte that says what it is (`e` is no type's), so no two
 * trees give the same bytes.  A copy of the tree to compare with costs more for every bind.  */
static void
fingerprint (const struct json_node *n, struct print_buf *b)
{
  char tag = n->type == JSON_NULL     ? 'n'
             : n->type == JSON_BOOL   ? (n->boolean ? 'T' : 'F')
             : n->type == JSON_NUMBER ? 'N'
             : n->type == JSON_STRING ? 's'
             : n->type == JSON_OBJECT ? 'o'
             : n->type == JSON_ARRAY  ? 'a'
                                      : '?';

  put (b, &tag, 1);
  if (n->type == JSON_NUMBER || n->type == JSON_STRING)
    put (b, n->text, strlen (n->text) + 1);
  if (n->type != JSON_OBJECT && n->type != JSON_ARRAY)
    return;
  for (size_t i = 0; i < n->n; i++)
    {
      if (n->type == JSON_OBJECT)
        {
          put (b, "k", 1);
          put (b, n->keys[i], strlen (n->keys[i]) + 1);
        }
      fingerprint (n->items[i], b);
    }
  put (b, "e", 1);
}

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
      free (memo.kept[i].print);
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
  struct print_buf b = { 0 };

  if (i >= memo.n || memo.kept[i].print == NULL)
    return NULL;
  b.cmp = memo.kept[i].print;
  b.cap = memo.kept[i].len;
  fingerprint (mount, &b);
  return !b.differs && b.len == b.cap ? &memo.kept[i].verdict : NULL;
}

void
bind_memo_keep (size_t i, const struct json_node *mount, const struct bind_verdict *verdict)
{
  struct kept_verdict *k;
  struct print_buf b = { 0 };

  if (i >= memo.n)
    return;
  k = &memo.kept[i];
  free (k->print);
  free (k->verdict.problem);
  fingerprint (mount, &b);
  k->print = b.s;
  k->len = b.len;
  k->verdict = *verdict;
  k->verdict.problem = verdict->problem != NULL ? xstrdup (verdict->problem) : NULL;
}
