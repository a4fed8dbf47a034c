/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What one syscall gets from an OCI `linux.seccomp` object, read the way runc 1.1.5 and crun
 * 1.8.1 build it into a libseccomp filter (runc libcontainer/seccomp/seccomp_linux.go matchCall,
 * crun src/libcrun/seccomp.c; libseccomp 2.5.4 src/db.c, checked by exporting filters with
 * seccomp_export_pfc):
 *  - the runtime adds one rule per group that names the syscall, in group order, and skips a
 *    rule whose action equals the default action (libseccomp would refuse it);
 *  - an unconditional rule then decides the syscall whatever the order -- the first one added
 *    when there are several -- and conditional rules only matter when there is none;
 *  - calls no rule matches get the default.
 * Owns: that reading, action strength and errno as the runtimes compute them.  Must not: decide
 * policy, do I/O.  */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "seccomp.h"
#include "seccomp_answer.h"
#include "seccomp_internal.h"
#include "util.h"

bool
sc_act_same (const struct sc_act *a, const struct sc_act *b)
{
  return a->rank == b->rank && a->ret == b->ret;
}

struct sc_act
sc_act_max (struct sc_act first, struct sc_act second)
{
  if (first.rank != second.rank)
    return first.rank > second.rank ? first : second;
  return second.stated && !first.stated ? second : first;
}

static int
act_read (const struct json_node *obj, const char *akey, const char *ekey, const char *where,
          struct sc_act *out, ocg_error_t *err)
{
  const struct json_node *e = json_obj_get (obj, ekey);
  const struct seccomp_action *a;
  const char *name;
  uint64_t v = EPERM;

  if (seccomp_opt_string (obj, akey, where, &name, err) < 0)
    return -1;
  a = name != NULL ? seccomp_action_lookup (name) : NULL;
  if (a == NULL)
    {
      cleanup_free char *shown = name ? json_quote_key (name) : NULL;
      return ocg_error_set (err, 0, "%s: %s `%s`", where,
                            name ? "neither runc nor crun knows the action" : "no",
                            name ? shown : akey);
    }
  if (e != NULL && e->type != JSON_NULL && !json_number_u64 (e, &v))
    return ocg_error_set (err, 0, "%s: `%s` must be an unsigned integer", where, ekey);
  /* runc: ActErrno.SetReturnCode(int16(*errnoRet)); libseccomp's SCMP_ACT_ERRNO keeps 16 bits.  */
  *out = (struct sc_act){ .name = a->name,
                          .rank = a->rank,
                          .ret = a->errno_ok ? (uint32_t)(v & 0xffff) : 0,
                          .errno_ok = a->errno_ok };
  return 0;
}

/* ---- one profile, indexed by syscall name ---- */

void
sc_profile_release (struct sc_profile *p)
{
  free (p->acts);
  free (p->refs);
}

static int
ref_cmp (const void *a, const void *b)
{
  const struct sc_ref *x = a, *y = b;
  int c = strcmp (x->name, y->name);
  return c != 0 ? c : (x->group > y->group) - (x->group < y->group);
}

/* Merge the sorted runs a[lo..mid) and a[mid..hi) through tmp.  */
static void
refs_merge (struct sc_ref *a, struct sc_ref *tmp, size_t lo, size_t mid, size_t hi)
{
  size_t i = lo, j = mid, k = lo;

  while (i < mid && j < hi)
    tmp[k++] = ref_cmp (&a[j], &a[i]) < 0 ? a[j++] : a[i++];
  while (i < mid)
    tmp[k++] = a[i++];
  while (j < hi)
    tmp[k++] = a[j++];
  memcpy (a + lo, tmp + lo, (hi - lo) * sizeof (*a));
}

/* The end of the ascending run that starts at lo.  */
static size_t
run_end (const struct sc_ref *a, size_t lo, size_t n)
{
  size_t i = lo + 1;

  while (i < n && ref_cmp (&a[i - 1], &a[i]) <= 0)
    i++;
  return i;
}

/* Sorted by ref_cmp, merging the ascending runs already there: a profile's names come group by
 * group, each group mostly in alphabetical order (moby's allow group holds 370 of them), and
 * qsort paid n log n comparisons and moves for them.  */
static void
refs_sort (struct sc_ref *a, size_t n)
{
  cleanup_free struct sc_ref *tmp = NULL;
  cleanup_free size_t *runs = NULL;
  size_t n_runs = 0;

  if (n < 2)
    return;
  runs = xreallocarray (NULL, n + 1, sizeof (*runs));
  for (size_t lo = 0; lo < n; lo = runs[n_runs - 1])
    runs[n_runs++] = run_end (a, lo, n);
  tmp = xreallocarray (NULL, n, sizeof (*tmp));
  /* runs[i] is the end of run i; merge neighbours until one run is left.  */
  while (n_runs > 1)
    {
      size_t out = 0;
      for (size_t i = 0; i < n_runs; i += 2)
        {
          size_t lo = i == 0 ? 0 : runs[i - 1];
          if (i + 1 < n_runs)
            refs_merge (a, tmp, lo, runs[i], runs[i + 1]);
          runs[out++] = runs[i + 1 < n_runs ? i + 1 : i];
        }
      n_runs = out;
    }
}

/* `args` as the runtimes accept them: at most index 5 (runc indexes a six-slot array), an
 * operator both know, 64-bit values.  */
static int
args_check (const struct json_node *args, const char *where, ocg_error_t *err)
{
  static const char *const u64_keys[] = { "index", "value", "valueTwo" };

  if (args == NULL || args->type == JSON_NULL)
    return 0;
  if (args->type != JSON_ARRAY)
    return ocg_error_set (err, 0, "%s: `args` must be an array", where);
  for (size_t i = 0; i < args->n; i++)
    {
      const struct json_node *a = args->items[i], *op = json_obj_get (a, "op");
      uint64_t v = 0;

      for (size_t k = 0; k < ARRAY_SIZE (u64_keys); k++)
        {
          const struct json_node *n = json_obj_get (a, u64_keys[k]);
          if (n != NULL && n->type != JSON_NULL && !json_number_u64 (n, &v))
            return ocg_error_set (err, 0, "%s: `args[%zu].%s` is not an unsigned integer", where, i,
                                  u64_keys[k]);
        }
      if (a->type != JSON_OBJECT || op == NULL || op->type != JSON_STRING
          || !seccomp_operator_known (op->text)
          || (json_number_u64 (json_obj_get (a, "index"), &v) && v > 5))
        return ocg_error_set (err, 0, "%s: `args[%zu]` is not an index 0-5 with a known operator",
                              where, i);
    }
  return 0;
}

static int
group_read (struct sc_profile *p, size_t g, ocg_error_t *err)
{
  const struct json_node *grp = p->groups->items[g], *names;
  cleanup_free char *where = seccomp_where ("$.syscalls", g, NULL);

  if (grp->type != JSON_OBJECT)
    return ocg_error_set (err, 0, "%s must be an object", where);
  if (act_read (grp, "action", "errnoRet", where, &p->acts[g], err) < 0
      || seccomp_opt_strings (grp, "names", where, &names, err) < 0
      || args_check (json_obj_get (grp, "args"), where, err) < 0)
    return -1;
  p->acts[g].stated = true;
  for (size_t i = 0; names != NULL && i < names->n; i++)
    {
      /* runc matchCall: "empty string is not a valid syscall" fails the container.  */
      if (names->items[i]->text[0] == '\0')
        return ocg_error_set (err, 0, "%s: `names[%zu]` is empty", where, i);
      p->refs = xreallocarray (p->refs, p->n_refs + 1, sizeof (*p->refs));
      p->refs[p->n_refs++] = (struct sc_ref){ names->items[i]->text, g };
    }
  return 0;
}

int
sc_profile_read (const struct json_node *obj, const char *what, struct sc_profile *p,
                 ocg_error_t *err)
{
  memset (p, 0, sizeof (*p));
  p->obj = obj;
  if (obj == NULL || obj->type != JSON_OBJECT)
    return ocg_error_set (err, 0, "%s: a seccomp object must be a JSON object", what);
  if (act_read (obj, "defaultAction", "defaultErrnoRet", what, &p->def, err) < 0)
    return -1;
  p->groups = json_obj_get (obj, "syscalls");
  if (p->groups != NULL && p->groups->type == JSON_NULL)
    p->groups = NULL;
  if (p->groups != NULL && p->groups->type != JSON_ARRAY)
    return ocg_error_set (err, 0, "%s: `syscalls` must be an array", what);
  p->acts = xzalloc ((p->groups ? p->groups->n : 0) * sizeof (*p->acts) + 1);
  for (size_t g = 0; p->groups != NULL && g < p->groups->n; g++)
    if (group_read (p, g, err) < 0)
      return ocg_error_wrap (err, "%s", what);
  refs_sort (p->refs, p->n_refs);
  return 0;
}

/* The first ref of `name` (index into refs) and how many there are.  */
static size_t
refs_find (const struct sc_profile *p, const char *name, size_t *count)
{
  size_t lo = 0, hi = p->n_refs, end;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (strcmp (p->refs[mid].name, name) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (end = lo; end < p->n_refs && str_eq (p->refs[end].name, name); end++)
    ;
  *count = end - lo;
  return lo;
}

static const struct json_node *
group_args (const struct sc_profile *p, size_t g)
{
  const struct json_node *args = json_obj_get (p->groups->items[g], "args");
  return args != NULL && args->type == JSON_ARRAY && args->n > 0 ? args : NULL;
}

/* ---- what one syscall gets ---- */

void
sc_treat_release (struct sc_treat *t)
{
  free (t->rules);
  json_free (t->built);
  memset (t, 0, sizeof (*t));
}

void
sc_treat_const (struct sc_treat *t, struct sc_act a)
{
  sc_treat_release (t);
  t->act = a;
}

void
sc_treat_add (struct sc_treat *t, const struct json_node *args, struct sc_act a)
{
  t->rules = xreallocarray (t->rules, t->n + 1, sizeof (*t->rules));
  t->rules[t->n++] = (struct sc_rule){ args, a };
}

/* What `name` gets from profile p when def is the filter's default action.  */
static bool
cond_void (const struct json_node *a)
{
  uint64_t mask = 1;
  const struct json_node *op = json_obj_get (a, "op");

  json_number_u64 (json_obj_get (a, "value"), &mask);
  return str_eq (op->text, "SCMP_CMP_MASKED_EQ") && mask == 0;
}

/* A new args array of the conditions of `args` at [from, to) that test something.  */
static const struct json_node *
args_keep (struct sc_treat *t, const struct json_node *args, size_t from, size_t to)
{
  struct json_node *kept = json_new_array ();

  for (size_t i = from; i < to; i++)
    if (!cond_void (args->items[i]))
      json_arr_append (kept, json_clone (args->items[i]));
  if (t->built == NULL)
    t->built = json_new_array ();
  json_arr_append (t->built, kept);
  return kept;
}

/* The rules the runtime adds for one group, as libseccomp keeps them: one rule with every
 * condition or, when an argument is tested twice, one rule per condition (runc matchCall
 * "hasMultipleArgs"); a SCMP_CMP_MASKED_EQ with a zero mask tests nothing (libseccomp drops it,
 * and compares (arg & mask) == (value & mask): checked with seccomp_export_pfc), so a rule left
 * with no condition is unconditional.  Returns true when the group is unconditional.  */
static bool
group_rules (struct sc_treat *t, const struct json_node *args, const struct sc_act *a)
{
  unsigned seen = 0, voids = 0;
  bool split = false, uncond = false;

  if (args == NULL)
    return true;
  for (size_t i = 0; i < args->n; i++)
    {
      uint64_t index = 0;
      json_number_u64 (json_obj_get (args->items[i], "index"), &index);
      split = split || (seen & (1u << index)) != 0;
      seen |= 1u << index;
      voids += cond_void (args->items[i]);
    }
  if (!split && voids == 0)
    sc_treat_add (t, args, *a);
  else if (!split && voids == args->n)
    uncond = true;
  else if (!split)
    sc_treat_add (t, args_keep (t, args, 0, args->n), *a);
  for (size_t i = 0; split && i < args->n; i++)
    if (cond_void (args->items[i]))
      uncond = true;
    else
      sc_treat_add (t, args_keep (t, args, i, i + 1), *a);
  return uncond;
}

void
sc_treat_of (const struct sc_profile *p, const char *name, const struct sc_act *def,
             struct sc_treat *t)
{
  size_t count = 0, first = refs_find (p, name, &count);
  bool uncond = false;
  struct sc_act first_uncond = { 0 };

  memset (t, 0, sizeof (*t));
  for (size_t i = first; i < first + count; i++)
    {
      const struct sc_act *a = &p->acts[p->refs[i].group];

      if (sc_act_same (a, def) || !group_rules (t, group_args (p, p->refs[i].group), a))
        continue;
      if (!uncond)
        first_uncond = *a;
      uncond = true;
    }
  if (uncond || t->n == 0)
    {
      struct sc_act a = uncond ? first_uncond : *def;
      a.stated = uncond;
      sc_treat_const (t, a);
      return;
    }
  t->cond = true;
  t->fall = *def;
  t->fall.stated = false;
}

unsigned
sc_treat_rank (const struct sc_treat *t, bool highest)
{
  unsigned r = t->cond ? t->fall.rank : t->act.rank;

  for (size_t i = 0; i < t->n; i++)
    if (highest ? t->rules[i].act.rank > r : t->rules[i].act.rank < r)
      r = t->rules[i].act.rank;
  return r;
}

struct sc_act
sc_treat_top (const struct sc_treat *t)
{
  struct sc_act top = t->cond ? t->fall : t->act;

  for (size_t i = 0; i < t->n; i++)
    top = sc_act_max (t->rules[i].act, top);
  return top;
}

/* All rules have one action (in *a).  */
bool
sc_treat_uniform (const struct sc_treat *t, struct sc_act *a)
{
  *a = t->rules[0].act;
  for (size_t i = 1; i < t->n; i++)
    if (!sc_act_same (&t->rules[i].act, a))
      return false;
  return true;
}

void
sc_treat_copy (const struct sc_treat *src, struct sc_treat *out)
{
  memset (out, 0, sizeof (*out));
  out->cond = src->cond;
  out->act = src->act;
  out->fall = src->fall;
  for (size_t i = 0; i < src->n; i++)
    sc_treat_add (out, src->rules[i].args, src->rules[i].act);
  out->built = src->built != NULL ? json_clone (src->built) : NULL;
  /* Built args are borrowed from `built`: point them at the copy.  */
  for (size_t i = 0; src->built != NULL && i < src->n; i++)
    for (size_t k = 0; k < src->built->n; k++)
      if (src->rules[i].args == src->built->items[k])
        out->rules[i].args = out->built->items[k];
}

/* ---- argument conditions ---- */

void
sc_cond_of (const struct json_node *a, struct sc_cond *c)
{
  c->index = c->v1 = c->v2 = 0;
  json_number_u64 (json_obj_get (a, "index"), &c->index);
  json_number_u64 (json_obj_get (a, "value"), &c->v1);
  json_number_u64 (json_obj_get (a, "valueTwo"), &c->v2);
  c->op = json_obj_get (a, "op")->text;
  if (str_eq (c->op, "SCMP_CMP_MASKED_EQ"))
    c->v2 &= c->v1; /* what libseccomp compares */
}

bool
sc_cond_equal (const struct sc_cond *x, const struct sc_cond *y)
{
  return x->index == y->index && x->v1 == y->v1 && x->v2 == y->v2 && str_eq (x->op, y->op);
}

bool
sc_args_equal (const struct json_node *x, const struct json_node *y)
{
  if (x->n != y->n)
    return false;
  for (size_t i = 0; i < x->n; i++)
    {
      struct sc_cond a, b;
      sc_cond_of (x->items[i], &a);
      sc_cond_of (y->items[i], &b);
      if (!sc_cond_equal (&a, &b))
        return false;
    }
  return true;
}

bool
sc_rules_equal (const struct sc_treat *a, const struct sc_treat *b)
{
  if (a->n != b->n)
    return false;
  for (size_t i = 0; i < a->n; i++)
    if (!sc_act_same (&a->rules[i].act, &b->rules[i].act)
        || !sc_args_equal (a->rules[i].args, b->rules[i].args))
      return false;
  return true;
}

bool
sc_treat_equal (const struct sc_treat *a, const struct sc_treat *b)
{
  if (a->cond != b->cond)
    return false;
  if (!a->cond)
    return sc_act_same (&a->act, &b->act);
  return sc_act_same (&a->fall, &b->fall) && sc_rules_equal (a, b);
}

int
seccomp_oci_validate (const struct json_node *oci, ocg_error_t *err)
{
  struct sc_profile p;
  int rc = sc_profile_read (oci, "seccomp object", &p, err);

  sc_profile_release (&p);
  return rc;
}
