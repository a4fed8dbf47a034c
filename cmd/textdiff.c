/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unified diffs (see textdiff.h).  The files compared are configuration files of a few hundred
 * lines: a plain O(n*m) longest-common-subsequence table is enough; above a bound every line
 * counts as changed, which is still a correct (if long) diff.  */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "textdiff.h"
#include "util.h"

#define DIFF_CONTEXT 3
#define DIFF_MAX_CELLS (16u * 1024u * 1024u)

struct line
{
  const char *s;
  size_t len; /* without the newline */
  bool nl;    /* ends with a newline */
};

struct lines
{
  struct line *v;
  size_t n;
};

static struct lines
split (const char *t, size_t len)
{
  struct lines l = { 0 };

  for (size_t i = 0; i < len;)
    {
      const char *nl = memchr (t + i, '\n', len - i);
      size_t end = nl ? (size_t)(nl - t) : len;

      l.v = xreallocarray (l.v, l.n + 1, sizeof (*l.v));
      l.v[l.n++] = (struct line){ t + i, end - i, nl != NULL };
      i = end + (nl != NULL);
    }
  return l;
}

static bool
same (const struct line *x, const struct line *y)
{
  return x->len == y->len && x->nl == y->nl && memcmp (x->s, y->s, x->len) == 0;
}

/* ops[k]: '=' keep, '-' delete from a, '+' insert from b, in order.  */
static char *
edit_script (const struct lines *a, const struct lines *b, size_t *n_ops)
{
  size_t n = a->n, m = b->n, k = 0;
  char *ops = xmalloc (n + m + 1);
  uint32_t *t;

  if ((n + 1) * (m + 1) > DIFF_MAX_CELLS)
    {
      memset (ops, '-', n);
      memset (ops + n, '+', m);
      *n_ops = n + m;
      return ops;
    }
  /* t[i][j]: LCS length of a[i..] and b[j..].  */
  t = xzalloc ((n + 1) * (m + 1) * sizeof (uint32_t));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      t[i * (m + 1) + j]
          = same (&a->v[i], &b->v[j])
                ? t[(i + 1) * (m + 1) + j + 1] + 1
                : (t[(i + 1) * (m + 1) + j] > t[i * (m + 1) + j + 1] ? t[(i + 1) * (m + 1) + j]
                                                                     : t[i * (m + 1) + j + 1]);
  for (size_t i = 0, j = 0; i < n || j < m;)
    if (i < n && j < m && same (&a->v[i], &b->v[j]))
      ops[k++] = '=', i++, j++;
    else if (i < n && (j == m || t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1]))
      ops[k++] = '-', i++;
    else
      ops[k++] = '+', j++;
  free (t);
  *n_ops = k;
  return ops;
}

static void
put_line (FILE *f, char tag, const struct line *l)
{
  fprintf (f, "%c%.*s\n", tag, (int)l->len, l->s);
  if (!l->nl)
    fputs ("\\ No newline at end of file\n", f);
}

/* Lines of a and b before op k.  */
static void
position (const char *ops, size_t k, size_t *ia, size_t *ib)
{
  *ia = *ib = 0;
  for (size_t i = 0; i < k; i++)
    {
      *ia += ops[i] != '+';
      *ib += ops[i] != '-';
    }
}

/* diff(1)'s range: "start,count", or just "start" for one line.  */
static void
range (FILE *f, size_t start, size_t count)
{
  if (count == 1)
    fprintf (f, "%zu", start);
  else
    fprintf (f, "%zu,%zu", start, count);
}

/* One hunk: ops[from..to).  */
static void
hunk (FILE *f, const char *ops, size_t from, size_t to, const struct lines *a,
      const struct lines *b)
{
  size_t ia, ib, na = 0, nb = 0;

  position (ops, from, &ia, &ib);
  for (size_t k = from; k < to; k++)
    {
      na += ops[k] != '+';
      nb += ops[k] != '-';
    }
  fputs ("@@ -", f);
  range (f, na ? ia + 1 : ia, na);
  fputs (" +", f);
  range (f, nb ? ib + 1 : ib, nb);
  fputs (" @@\n", f);
  for (size_t k = from; k < to; k++)
    {
      if (ops[k] == '+')
        put_line (f, '+', &b->v[ib++]);
      else if (ops[k] == '-')
        put_line (f, '-', &a->v[ia++]);
      else
        put_line (f, ' ', &a->v[ia++]), ib++;
    }
}

/* The end of the hunk that starts at change `k`: where DIFF_CONTEXT*2 unchanged ops follow.  */
static size_t
hunk_end (const char *ops, size_t n, size_t k)
{
  size_t run = 0, last = k;

  for (size_t i = k; i < n; i++)
    {
      if (ops[i] != '=')
        last = i, run = 0;
      else if (++run > 2 * DIFF_CONTEXT)
        break;
    }
  return last + 1 + DIFF_CONTEXT < n ? last + 1 + DIFF_CONTEXT : n;
}

char *
textdiff_unified (const char *a, size_t alen, const char *b, size_t blen, const char *old_name,
                  const char *new_name)
{
  struct lines la = split (a, alen), lb = split (b, blen);
  size_t n_ops = 0;
  cleanup_free char *ops = edit_script (&la, &lb, &n_ops);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);

  if (f == NULL)
    ocg_oom ();
  if (memchr (ops, '+', n_ops) != NULL || memchr (ops, '-', n_ops) != NULL)
    fprintf (f, "--- %s\n+++ %s\n", old_name, new_name);
  for (size_t k = 0; k < n_ops;)
    {
      size_t end;

      if (ops[k] == '=')
        {
          k++;
          continue;
        }
      end = hunk_end (ops, n_ops, k);
      hunk (f, ops, k > DIFF_CONTEXT ? k - DIFF_CONTEXT : 0, end, &la, &lb);
      k = end;
    }
  if (fclose (f) != 0)
    ocg_oom ();
  free (la.v);
  free (lb.v);
  return buf;
}
