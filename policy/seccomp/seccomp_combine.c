/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Two answers for one syscall made into one at least as strict as both.
 *
 * "At least as strict" is the kernel's own order among stacked filters (seccomp_internal.h
 * `rank`, kernel/seccomp.c seccomp_run_filters): the result answers each call as the kernel would
 * if both filters were installed, except that a call no conditional rule matches gets the merged
 * default, which is never weaker.  On equal strictness an answer a rule states wins over a
 * default, then the container's over the policy's: its errno is what its programs expect.
 *
 * Overlapping conditional rules with different actions are resolved by the order of libseccomp's
 * decision tree, not by strictness (src/db.c; an unconditional rule beats every conditional one),
 * so two sides' conditional rules of different actions are never mixed: the combination takes
 * one side's rules as they are, raises the action of a rule set that has one action, or
 * intersects two such sets condition by condition, and refuses the rest.
 * Owns: that algebra.  Must not: decide policy, do I/O.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "seccomp_answer.h"
#include "util.h"

/* The conditions of one rule, false when it tests an argument twice: the runtimes then add one
 * rule per condition (runc matchCall "hasMultipleArgs"), an OR this module does not combine.  */
static bool
conds_read (const struct json_node *args, struct sc_cond out[6], size_t *n)
{
  unsigned seen = 0;

  *n = 0;
  for (size_t i = 0; i < args->n; i++)
    {
      if (*n == 6)
        return false;
      sc_cond_of (args->items[i], &out[*n]);
      if (seen & (1u << out[*n].index))
        return false;
      seen |= 1u << out[(*n)++].index;
    }
  return true;
}

/* Does the value v satisfy c?  */
static bool
cond_holds (const struct sc_cond *c, uint64_t v)
{
  if (str_eq (c->op, "SCMP_CMP_NE"))
    return v != c->v1;
  if (str_eq (c->op, "SCMP_CMP_LT"))
    return v < c->v1;
  if (str_eq (c->op, "SCMP_CMP_LE"))
    return v <= c->v1;
  if (str_eq (c->op, "SCMP_CMP_EQ"))
    return v == c->v1;
  if (str_eq (c->op, "SCMP_CMP_GE"))
    return v >= c->v1;
  if (str_eq (c->op, "SCMP_CMP_GT"))
    return v > c->v1;
  return (v & c->v1) == (c->v2 & c->v1); /* SCMP_CMP_MASKED_EQ, as libseccomp compares it */
}

/* The values an ordering condition lets through, as [*lo, *hi] (empty when *lo > *hi); false
 * for EQ, NE and MASKED_EQ.  */
static bool
cond_range (const struct sc_cond *c, uint64_t *lo, uint64_t *hi)
{
  *lo = 0;
  *hi = UINT64_MAX;
  if (str_eq (c->op, "SCMP_CMP_LT") || str_eq (c->op, "SCMP_CMP_LE"))
    {
      *hi = c->v1 - (str_eq (c->op, "SCMP_CMP_LT") ? 1 : 0);
      *lo = str_eq (c->op, "SCMP_CMP_LT") && c->v1 == 0 ? 1 : 0;
      return true;
    }
  if (str_eq (c->op, "SCMP_CMP_GT") || str_eq (c->op, "SCMP_CMP_GE"))
    {
      *lo = c->v1 + (str_eq (c->op, "SCMP_CMP_GT") ? 1 : 0);
      *hi = str_eq (c->op, "SCMP_CMP_GT") && c->v1 == UINT64_MAX ? 0 : UINT64_MAX;
      return true;
    }
  return false;
}

/* Two ordering conditions: the one that implies the other, a single value, or nothing.  */
static int
range_and (struct sc_cond *x, const struct sc_cond *y, uint64_t xl, uint64_t xh, uint64_t yl,
           uint64_t yh)
{
  uint64_t lo = xl > yl ? xl : yl, hi = xh < yh ? xh : yh;

  if (lo > hi || xl > xh || yl > yh)
    return 0;
  if (lo == xl && hi == xh)
    return 1;
  if (lo == yl && hi == yh)
    *x = *y;
  else if (lo == hi)
    *x = (struct sc_cond){ x->index, lo, 0, "SCMP_CMP_EQ" };
  else
    return -1;
  return 1;
}

/* x AND y on one argument as one condition: 1 done (in *x), 0 nothing can match both, -1 no
 * single condition says it (the runtimes would OR two conditions on one argument).  */
static int
cond_and (struct sc_cond *x, const struct sc_cond *y)
{
  bool x_mask = str_eq (x->op, "SCMP_CMP_MASKED_EQ"), y_mask = str_eq (y->op, "SCMP_CMP_MASKED_EQ");
  uint64_t xl, xh, yl, yh;
  bool x_range = cond_range (x, &xl, &xh), y_range = cond_range (y, &yl, &yh);

  if (sc_cond_equal (x, y))
    return 1;
  if (str_eq (x->op, "SCMP_CMP_EQ"))
    return cond_holds (y, x->v1) ? 1 : 0;
  if (str_eq (y->op, "SCMP_CMP_EQ"))
    {
      if (!cond_holds (x, y->v1))
        return 0;
      *x = *y;
      return 1;
    }
  if (x_mask && y_mask)
    {
      /* (a & m1) == d1 and (a & m2) == d2: the bits both masks test must agree.  */
      if ((x->v2 & ~x->v1) != 0 || (y->v2 & ~y->v1) != 0 || ((x->v2 ^ y->v2) & x->v1 & y->v1) != 0)
        return 0;
      x->v1 |= y->v1;
      x->v2 |= y->v2;
      return 1;
    }
  if (x_range && y_range)
    return range_and (x, y, xl, xh, yl, yh);
  /* NE next to a range it does not cut: the range alone.  */
  if (str_eq (x->op, "SCMP_CMP_NE") && y_range && (x->v1 < yl || x->v1 > yh))
    {
      *x = *y;
      return 1;
    }
  if (str_eq (y->op, "SCMP_CMP_NE") && x_range && (y->v1 < xl || y->v1 > xh))
    return 1;
  return -1;
}

static struct json_node *
conds_to_json (const struct sc_cond *c, size_t n)
{
  struct json_node *arr = json_new_array ();

  for (size_t i = 0; i < n; i++)
    {
      struct json_node *a = json_new_object ();
      json_obj_set (a, "index", json_new_uint (c[i].index));
      json_obj_set (a, "value", json_new_uint (c[i].v1));
      if (c[i].v2 != 0 || str_eq (c[i].op, "SCMP_CMP_MASKED_EQ"))
        json_obj_set (a, "valueTwo", json_new_uint (c[i].v2));
      json_obj_set (a, "op", json_new_string (c[i].op));
      json_arr_append (arr, a);
    }
  return arr;
}

/* The conditions of x AND y as one rule: 1 (in *out), 0 nothing matches both, -1 inexpressible. */
static int
rule_and (const struct json_node *x, const struct json_node *y, struct json_node **out)
{
  struct sc_cond a[6], b[6];
  size_t na = 0, nb = 0;

  if (!conds_read (x, a, &na) || !conds_read (y, b, &nb))
    return -1;
  for (size_t j = 0; j < nb; j++)
    {
      size_t i = 0;
      while (i < na && a[i].index != b[j].index)
        i++;
      if (i == na)
        a[na++] = b[j];
      else
        {
          int rc = cond_and (&a[i], &b[j]);
          if (rc <= 0)
            return rc;
        }
    }
  *out = conds_to_json (a, na);
  return 1;
}

/* ---- combining two answers ---- */

/* Every rule one condition, all on one argument: libseccomp 2.5.4 never returns from
 * seccomp_rule_add when a syscall gets two-condition rules that share the first condition and
 * overlap in the second ({a0 < 38, a1 > 0} then {a0 < 38, a1 == 0x10000000}: checked with
 * seccomp_dump --check), and a runtime would hang on it.  Pairs of multi-condition rules are the
 * shape that produces it, so the intersection gives them up.  */
#define INTERSECT_MAX_RULES 64

static bool
intersection_buildable (const struct json_node *built)
{
  uint64_t index = 0, first = 0;

  if (built->n > INTERSECT_MAX_RULES)
    return false;
  for (size_t k = 0; k < built->n; k++)
    {
      if (built->items[k]->n != 1)
        return false;
      json_number_u64 (json_obj_get (built->items[k]->items[0], "index"), &index);
      if (k == 0)
        first = index;
      else if (index != first)
        return false;
    }
  return true;
}

/* Allow lists of one action on both sides: the calls both allow, every pair of rules ANDed.  */
static int
combine_intersect (const struct sc_treat *a, const struct sc_treat *b, struct sc_act act,
                   struct sc_treat *out)
{
  memset (out, 0, sizeof (*out));
  /* Bounded before any work: a container's profile may name one syscall in thousands of
   * groups, and every pair is compared with every result.  */
  if ((uint64_t)a->n * b->n > INTERSECT_MAX_RULES * 4)
    return -1;
  out->cond = true;
  out->built = json_new_array ();
  for (size_t i = 0; i < a->n; i++)
    for (size_t j = 0; j < b->n; j++)
      {
        struct json_node *both = NULL;
        int rc = rule_and (a->rules[i].args, b->rules[j].args, &both);
        bool dup = false;

        if (rc < 0)
          return -1;
        for (size_t k = 0; rc > 0 && k < out->built->n && !dup; k++)
          dup = sc_args_equal (out->built->items[k], both);
        if (rc == 0 || dup)
          {
            json_free (both);
            continue;
          }
        json_arr_append (out->built, both);
      }
  if (!intersection_buildable (out->built))
    return -1;
  for (size_t k = 0; k < out->built->n; k++)
    sc_treat_add (out, out->built->items[k], act);
  return 0;
}

/* A constant answer c (the container's when c_own) against conditional answers x.  */
static int
combine_const (struct sc_act c, bool c_own, const struct sc_treat *x, struct sc_treat *out)
{
  struct sc_act a;

  memset (out, 0, sizeof (*out));
  if (c.rank >= sc_treat_rank (x, true))
    {
      out->act = c;
      return 0;
    }
  if (sc_treat_uniform (x, &a))
    {
      sc_treat_copy (x, out);
      for (size_t i = 0; i < out->n; i++)
        out->rules[i].act = c_own ? sc_act_max (c, a) : sc_act_max (a, c);
      out->fall = c_own ? sc_act_max (c, x->fall) : sc_act_max (x->fall, c);
      return 0;
    }
  if (c.rank > sc_treat_rank (x, false))
    return -1;
  sc_treat_copy (x, out);
  return 0;
}

static int
combine_cond (const struct sc_treat *own, const struct sc_treat *pol, struct sc_treat *out)
{
  struct sc_act a, b;

  memset (out, 0, sizeof (*out));
  if (sc_rules_equal (own, pol))
    {
      sc_treat_copy (own, out);
      out->fall = sc_act_max (own->fall, pol->fall);
      return 0;
    }
  /* Two allow lists (each one action, weaker than where its calls fall through): a call both
   * lists take gets the stricter of the two actions, any other call at least one fallthrough,
   * and the merged default is no weaker than either.  */
  if (sc_treat_uniform (own, &a) && sc_treat_uniform (pol, &b) && a.rank < own->fall.rank
      && b.rank < pol->fall.rank)
    {
      if (combine_intersect (own, pol, sc_act_max (a, b), out) < 0)
        return -1;
      out->fall = sc_act_max (own->fall, pol->fall);
      return 0;
    }
  if (sc_treat_rank (own, true) <= sc_treat_rank (pol, false))
    sc_treat_copy (pol, out);
  else if (sc_treat_rank (pol, true) <= sc_treat_rank (own, false))
    sc_treat_copy (own, out);
  else
    return -1;
  return 0;
}

/* The answer as the merged filter gives it, with `def` its default: a call no rule matches gets
 * def, so def must not be weaker than what those calls should get; rules whose action is def are
 * dropped, as the runtimes drop them.  -1 when the result cannot be written exactly.  */
static int
treat_settle (struct sc_treat *t, const struct sc_act *def)
{
  struct sc_act a;
  bool uniform;
  size_t kept = 0;

  if (!t->cond)
    return 0;
  if (t->n == 0) /* an intersection nothing can match: every call falls through */
    {
      sc_treat_const (t, t->fall);
      return 0;
    }
  if (t->fall.rank > def->rank)
    return -1;
  uniform = sc_treat_uniform (t, &a);
  for (size_t i = 0; i < t->n; i++)
    if (!sc_act_same (&t->rules[i].act, def))
      t->rules[kept++] = t->rules[i];
  /* Dropping one action out of several would change how libseccomp resolves overlaps.  */
  if (kept != t->n && !uniform)
    return -1;
  t->n = kept;
  t->fall = *def;
  t->fall.stated = false;
  if (kept == 0)
    sc_treat_const (t, *def);
  return 0;
}

int
sc_combine (const struct sc_treat *own, const struct sc_treat *pol, const struct sc_act *def,
            struct sc_treat *out)
{
  int rc;

  if (!own->cond && !pol->cond)
    {
      memset (out, 0, sizeof (*out));
      out->act = sc_act_max (own->act, pol->act);
      /* Two stated answers of one strength: the one the merged default does not already give,
       * so that it stays stated (a rule) and a second merge picks it again.  */
      if (own->act.stated && pol->act.stated && sc_act_same (&out->act, def)
          && !sc_act_same (&pol->act, def) && own->act.rank == pol->act.rank)
        out->act = pol->act;
      return 0;
    }
  if (!own->cond)
    rc = combine_const (own->act, true, pol, out);
  else if (!pol->cond)
    rc = combine_const (pol->act, false, own, out);
  else
    rc = combine_cond (own, pol, out);
  if (rc == 0)
    rc = treat_settle (out, def);
  if (rc < 0)
    sc_treat_release (out);
  return rc;
}
