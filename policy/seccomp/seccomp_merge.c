/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccomp_merge_oci: the container's own `linux.seccomp` and the policy's specialised profile
 * made into one object that answers every system call at least as strictly as each of them.
 *
 * Owns: which syscalls are combined (all, or the ones asked for), editing the base object
 * (the policy's for a whole merge, the container's for a partial one) so that every other
 * syscall keeps its exact groups, and the header of a whole merge.  How one syscall is read and
 * combined is seccomp_answer.c's and seccomp_combine.c's.  Must not: decide policy, do I/O.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <seccomp.h> /* libseccomp: SCMP_ARCH_* */

#include "json.h"
#include "seccomp.h"
#include "seccomp_answer.h"
#include "seccomp_internal.h"
#include "util.h"

struct change
{
  const char *name;
  struct sc_treat t;
};

struct merge
{
  struct sc_profile own, pol;
  const struct sc_profile *base; /* the object the result is edited from */
  struct sc_act def;             /* the result's default action */
  struct change *changes;        /* sorted by name */
  size_t n_changes;
  char **tightened; /* names whose answer is stricter than the container's own */
  size_t n_tightened;
};

static void
merge_release (struct merge *m)
{
  sc_profile_release (&m->own);
  sc_profile_release (&m->pol);
  for (size_t i = 0; i < m->n_changes; i++)
    sc_treat_release (&m->changes[i].t);
  free (m->changes);
  for (size_t i = 0; i < m->n_tightened; i++)
    free (m->tightened[i]);
  free (m->tightened);
}

/* i386 multiplexes the socket and SysV IPC calls.  libseccomp adds every rule for a member to the
 * multiplexer too, as `arg0 == number` with the member's arguments dropped, and an unconditional
 * rule on the multiplexer overrides all of those (src/arch-x86.c sys_socketcall and sys_ipc;
 * checked with seccomp_export_pfc).  So what socketcall answers for a call number is not the
 * answer of the name `socketcall` alone.  */
static const char *const socketcall_family[]
    = { "socket",     "bind",    "connect", "listen",  "accept",   "getsockname", "getpeername",
        "socketpair", "send",    "recv",    "sendto",  "recvfrom", "shutdown",    "setsockopt",
        "getsockopt", "sendmsg", "recvmsg", "accept4", "recvmmsg", "sendmmsg",    NULL };
static const char *const ipc_family[]
    = { "semop",  "semget", "semctl", "semtimedop", "msgsnd", "msgrcv", "msgget",
        "msgctl", "shmat",  "shmdt",  "shmget",     "shmctl", NULL };
static const struct
{
  const char *name;
  const char *const *family;
} muxes[] = { { "socketcall", socketcall_family }, { "ipc", ipc_family } };

static const char *const *
mux_family (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (muxes); i++)
    if (str_eq (muxes[i].name, name))
      return muxes[i].family;
  return NULL;
}

/* The multiplexer as one answer for every call number: its unconditional rule, or else the
 * strongest answer of it and of its members.  */
static void
mux_effective (const struct sc_profile *p, const char *name, const char *const *family,
               struct sc_treat *t)
{
  struct sc_act top;

  sc_treat_of (p, name, &p->def, t);
  if (!t->cond && t->act.stated)
    return;
  top = sc_treat_top (t);
  for (size_t i = 0; family[i] != NULL; i++)
    {
      struct sc_treat member;
      sc_treat_of (p, family[i], &p->def, &member);
      top = sc_act_max (top, sc_treat_top (&member));
      sc_treat_release (&member);
    }
  sc_treat_const (t, top);
}

static int
merge_name (struct merge *m, const char *name, ocg_error_t *err)
{
  const char *const *family = m->base == &m->pol ? mux_family (name) : NULL;
  struct sc_treat own, pol, base, out;
  bool changed = false, tighter = false;
  int rc;

  sc_treat_of (&m->own, name, &m->own.def, &own);
  sc_treat_of (&m->pol, name, &m->pol.def, &pol);
  if (family != NULL)
    {
      sc_treat_release (&own);
      sc_treat_release (&pol);
      mux_effective (&m->own, name, family, &own);
      mux_effective (&m->pol, name, family, &pol);
    }
  rc = sc_combine (&own, &pol, &m->def, &out);
  /* A partial merge only adds restrictions: an answer as strict as the container's own (another
   * errno, say) leaves the container's.  */
  if (rc == 0 && m->base == &m->own && !out.cond && !own.cond && out.act.rank == own.act.rank)
    {
      sc_treat_release (&out);
      sc_treat_copy (&own, &out);
    }
  if (rc == 0)
    {
      sc_treat_of (m->base, name, &m->def, &base);
      changed = !sc_treat_equal (&out, &base);
      tighter = out.cond || own.cond ? !sc_treat_equal (&out, &own) : out.act.rank > own.act.rank;
      sc_treat_release (&base);
    }
  sc_treat_release (&own);
  sc_treat_release (&pol);
  if (rc < 0)
    {
      cleanup_free char *shown = json_quote_key (name);
      return ocg_error_set (err, 0,
                            "`%s`: its conditional rules cannot be combined with the policy's for "
                            "it without loosening either",
                            shown);
    }
  if (tighter)
    {
      m->tightened = xreallocarray (m->tightened, m->n_tightened + 2, sizeof (*m->tightened));
      m->tightened[m->n_tightened++] = xstrdup (name);
      m->tightened[m->n_tightened] = NULL;
    }
  if (!changed)
    {
      sc_treat_release (&out);
      return 0;
    }
  m->changes = xreallocarray (m->changes, m->n_changes + 1, sizeof (*m->changes));
  m->changes[m->n_changes++] = (struct change){ name, out };
  return 0;
}

static int
str_ptr_cmp (const void *a, const void *b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Every name of both profiles (full merge) or of `only`, sorted, each once.  */
static const char **
merge_names (const struct merge *m, const char *const *only, size_t *n)
{
  const char **names = NULL;
  size_t k = 0;

  if (only != NULL)
    for (; only[k] != NULL; k++)
      ;
  else
    k = m->own.n_refs + m->pol.n_refs + ARRAY_SIZE (muxes);
  names = xzalloc ((k + 1) * sizeof (*names));
  *n = 0;
  for (size_t i = 0; only != NULL && only[i] != NULL; i++)
    names[(*n)++] = only[i];
  for (size_t i = 0; only == NULL && i < m->own.n_refs; i++)
    names[(*n)++] = m->own.refs[i].name;
  for (size_t i = 0; only == NULL && i < m->pol.n_refs; i++)
    names[(*n)++] = m->pol.refs[i].name;
  for (size_t i = 0; only == NULL && i < ARRAY_SIZE (muxes); i++)
    names[(*n)++] = muxes[i].name;
  if (*n > 1)
    qsort (names, *n, sizeof (*names), str_ptr_cmp);
  k = 0;
  for (size_t i = 0; i < *n; i++)
    if (k == 0 || !str_eq (names[k - 1], names[i]))
      names[k++] = names[i];
  *n = k;
  return names;
}

static bool
name_changed (const struct merge *m, const char *name)
{
  size_t lo = 0, hi = m->n_changes;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      int c = strcmp (m->changes[mid].name, name);
      if (c == 0)
        return true;
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return false;
}

static struct json_node *
group_new (const char *name, const struct sc_act *a, const struct json_node *args)
{
  struct json_node *g = json_new_object (), *names = json_new_array ();

  json_arr_append (names, json_new_string (name));
  json_obj_set (g, "names", names);
  json_obj_set (g, "action", json_new_string (a->name));
  if (a->errno_ok)
    json_obj_set (g, "errnoRet", json_new_uint (a->ret));
  if (args != NULL)
    json_obj_set (g, "args", json_clone (args));
  return g;
}

/* The base's groups without the changed names, then one group per changed answer.  */
static struct json_node *
merge_groups (const struct merge *m)
{
  struct json_node *out = json_new_array ();

  for (size_t g = 0; m->base->groups != NULL && g < m->base->groups->n; g++)
    {
      const struct json_node *src = m->base->groups->items[g];
      const struct json_node *names = json_obj_get (src, "names");
      struct json_node *kept = json_new_array (), *copy;

      for (size_t i = 0; names != NULL && names->type == JSON_ARRAY && i < names->n; i++)
        if (!name_changed (m, names->items[i]->text))
          json_arr_append (kept, json_clone (names->items[i]));
      if (kept->n == 0 && names != NULL && names->type == JSON_ARRAY && names->n > 0)
        {
          json_free (kept); /* every name it had is answered by a new group */
          continue;
        }
      copy = json_clone (src);
      if (names != NULL && names->type == JSON_ARRAY && kept->n != names->n)
        json_obj_set (copy, "names", kept);
      else
        json_free (kept);
      json_arr_append (out, copy);
    }
  for (size_t i = 0; i < m->n_changes; i++)
    {
      const struct sc_treat *t = &m->changes[i].t;
      if (!t->cond && !sc_act_same (&t->act, &m->def))
        json_arr_append (out, group_new (m->changes[i].name, &t->act, NULL));
      for (size_t r = 0; t->cond && r < t->n; r++)
        json_arr_append (out, group_new (m->changes[i].name, &t->rules[r].act, t->rules[r].args));
    }
  return out;
}

static void
copy_member (struct json_node *out, const struct json_node *from, const char *key)
{
  const struct json_node *v = json_obj_get (from, key);

  if (v != NULL)
    json_obj_set (out, key, json_clone (v));
  else
    json_obj_remove (out, key);
}

/* The policy's architectures that the container's object lists too, and the native one, which
 * seccomp_init always includes: a call from an architecture a filter does not list is killed
 * (libseccomp's bad-architecture action), so only the architectures both accept stay open.  */
static struct json_node *
merge_architectures (const struct merge *m, uint32_t native)
{
  const struct json_node *pol = json_obj_get (m->pol.obj, "architectures");
  const struct json_node *own = json_obj_get (m->own.obj, "architectures");
  const struct seccomp_arch *n = seccomp_arch_by_token (native);
  struct json_node *out = json_new_array ();

  for (size_t i = 0; pol != NULL && pol->type == JSON_ARRAY && i < pol->n; i++)
    if ((n != NULL && str_eq (pol->items[i]->text, n->oci))
        || (own != NULL && own->type == JSON_ARRAY
            && seccomp_strings_contain (own, pol->items[i]->text)))
      json_arr_append (out, json_clone (pol->items[i]));
  return out;
}

/* The header of a full merge: the stricter default, the common architectures, the container's
 * flags and listener (the seccomp rule refuses a listenerPath before this runs).  */
static void
merge_header (const struct merge *m, struct json_node *out, uint32_t native)
{
  const struct json_node *winner = sc_act_same (&m->def, &m->own.def) ? m->own.obj : m->pol.obj;
  const struct json_node *own_flags = json_obj_get (m->own.obj, "flags");
  const struct json_node *pol_flags = json_obj_get (m->pol.obj, "flags");
  struct json_node *flags = json_new_array ();

  copy_member (out, winner, "defaultAction");
  copy_member (out, winner, "defaultErrnoRet");
  if (json_obj_get (m->pol.obj, "architectures") != NULL)
    json_obj_set (out, "architectures", merge_architectures (m, native));
  for (size_t i = 0; own_flags != NULL && own_flags->type == JSON_ARRAY && i < own_flags->n; i++)
    json_arr_append (flags, json_clone (own_flags->items[i]));
  for (size_t i = 0; pol_flags != NULL && pol_flags->type == JSON_ARRAY && i < pol_flags->n; i++)
    if (!seccomp_strings_contain (flags, pol_flags->items[i]->text))
      json_arr_append (flags, json_clone (pol_flags->items[i]));
  if (flags->n > 0)
    json_obj_set (out, "flags", flags);
  else
    {
      json_free (flags);
      json_obj_remove (out, "flags");
    }
  copy_member (out, m->own.obj, "listenerPath");
  copy_member (out, m->own.obj, "listenerMetadata");
}

/* What `name` gets in the merged object.  */
static void
merged_treat (const struct merge *m, const char *name, struct sc_treat *t)
{
  for (size_t i = 0; i < m->n_changes; i++)
    if (str_eq (m->changes[i].name, name))
      {
        sc_treat_copy (&m->changes[i].t, t);
        return;
      }
  sc_treat_of (m->base, name, &m->def, t);
}

/* The lowest (or highest) rank i386 can get for a member's number through its multiplexer.  */
static unsigned
mux_rank (const struct sc_treat *mux, const struct sc_treat *member, const struct sc_act *def,
          bool highest)
{
  unsigned r = highest ? 0 : 7;
  bool any = false;

  if (!mux->cond && mux->act.stated)
    return mux->act.rank;
  for (size_t i = 0; i < member->n; i++, any = true)
    r = highest ? (member->rules[i].act.rank > r ? member->rules[i].act.rank : r)
                : (member->rules[i].act.rank < r ? member->rules[i].act.rank : r);
  if (!member->cond && member->act.stated)
    return any ? r : member->act.rank;
  for (size_t i = 0; i < mux->n; i++)
    r = highest ? (mux->rules[i].act.rank > r ? mux->rules[i].act.rank : r)
                : (mux->rules[i].act.rank < r ? mux->rules[i].act.rank : r);
  if (!any)
    r = highest ? (def->rank > r ? def->rank : r) : (def->rank < r ? def->rank : r);
  return r;
}

/* The highest rank profile p can give member f of mux on i386.  */
static unsigned
mux_rank_of (const struct sc_profile *p, const char *mux, const char *f)
{
  struct sc_treat tm, tf;
  unsigned r;

  sc_treat_of (p, mux, &p->def, &tm);
  sc_treat_of (p, f, &p->def, &tf);
  r = mux_rank (&tm, &tf, &p->def, true);
  sc_treat_release (&tm);
  sc_treat_release (&tf);
  return r;
}

/* Every member of a multiplexer, called through it on i386, gets an answer at least as strict as
 * from either object.  */
static int
muxes_check (const struct merge *m, ocg_error_t *err)
{
  for (size_t i = 0; i < ARRAY_SIZE (muxes); i++)
    for (const char *const *f = muxes[i].family; *f != NULL; f++)
      {
        struct sc_treat tm, tf;
        unsigned low, own = mux_rank_of (&m->own, muxes[i].name, *f);
        unsigned pol = mux_rank_of (&m->pol, muxes[i].name, *f);

        merged_treat (m, muxes[i].name, &tm);
        merged_treat (m, *f, &tf);
        low = mux_rank (&tm, &tf, &m->def, false);
        sc_treat_release (&tm);
        sc_treat_release (&tf);
        if (low < own || low < pol)
          return ocg_error_set (err, 0,
                                "`%s`: through `%s` (the i386 ABI) the merged filter would answer "
                                "it more weakly than one of the two",
                                *f, muxes[i].name);
      }
  return 0;
}

/* Can a process on a `native` host make calls as architecture `oci` (a compat ABI)?  */
static bool
arch_reachable (uint32_t native, const char *oci)
{
  static const struct
  {
    uint32_t native;
    const char *compat;
  } compat[] = {
    { SCMP_ARCH_X86_64, "SCMP_ARCH_X86" },
    { SCMP_ARCH_X86_64, "SCMP_ARCH_X32" },
    { SCMP_ARCH_AARCH64, "SCMP_ARCH_ARM" },
  };

  for (size_t i = 0; i < ARRAY_SIZE (compat); i++)
    if (compat[i].native == native && str_eq (compat[i].compat, oci))
      return true;
  return false;
}

/* A dropped architecture gets libseccomp's bad-architecture action, SCMP_ACT_KILL (a thread):
 * weaker than a container's own SCMP_ACT_KILL_PROCESS on that architecture.  */
static int
architectures_check (const struct merge *m, const struct json_node *out, uint32_t native,
                     ocg_error_t *err)
{
  const struct json_node *own = json_obj_get (m->own.obj, "architectures");
  const struct json_node *archs = json_obj_get (out, "architectures");
  bool kills = m->own.def.rank == 7;

  for (size_t g = 0; m->own.groups != NULL && g < m->own.groups->n; g++)
    kills = kills || m->own.acts[g].rank == 7;
  for (size_t i = 0; kills && own != NULL && own->type == JSON_ARRAY && i < own->n; i++)
    if (arch_reachable (native, own->items[i]->text)
        && !seccomp_strings_contain (archs, own->items[i]->text))
      return ocg_error_set (err, 0,
                            "`%s`: the container's profile kills the process there, the policy's "
                            "does not list that architecture and only kills the thread",
                            own->items[i]->text);
  return 0;
}

/* Does the header of the full merge differ from the container's own: another default, an
 * architecture it listed gone, a flag added?  */
static bool
header_changed (const struct merge *m, const struct json_node *out, uint32_t native)
{
  const struct json_node *own_archs = json_obj_get (m->own.obj, "architectures");
  const struct json_node *archs = json_obj_get (out, "architectures");
  const struct json_node *own_flags = json_obj_get (m->own.obj, "flags");
  const struct json_node *flags = json_obj_get (out, "flags");
  const struct seccomp_arch *n = seccomp_arch_by_token (native);

  if (!sc_act_same (&m->def, &m->own.def))
    return true;
  for (size_t i = 0; own_archs != NULL && own_archs->type == JSON_ARRAY && i < own_archs->n; i++)
    if ((n == NULL || !str_eq (own_archs->items[i]->text, n->oci))
        && seccomp_arch_by_oci (own_archs->items[i]->text) != NULL
        && !seccomp_strings_contain (archs, own_archs->items[i]->text))
      return true;
  for (size_t i = 0; flags != NULL && i < flags->n; i++)
    if (own_flags == NULL || own_flags->type != JSON_ARRAY
        || !seccomp_strings_contain (own_flags, flags->items[i]->text))
      return true;
  return false;
}

/* seccomp_merge_oci, and seccomp_merge_oci_changed when `lazy`.  */
static int
merge_oci (const struct json_node *own, const struct json_node *policy, const char *const *only,
           uint32_t native_arch, bool lazy, struct seccomp_merge_result *res, ocg_error_t *err)
{
  struct merge m = { 0 };
  cleanup_free const char **names = NULL;
  size_t n = 0;
  int ret = -1;

  memset (res, 0, sizeof (*res));
  if (sc_profile_read (own, "the container's seccomp object", &m.own, err) < 0
      || sc_profile_read (policy, "the policy's seccomp profile", &m.pol, err) < 0)
    goto done;
  m.base = only != NULL ? &m.own : &m.pol;
  m.def = only != NULL ? m.own.def : sc_act_max (m.own.def, m.pol.def);
  names = merge_names (&m, only, &n);
  for (size_t i = 0; i < n; i++)
    if (merge_name (&m, names[i], err) < 0)
      goto done;
  /* Merging only some names changes the object exactly when one of them was tightened: with none,
   * the copy of the container's object would be built only to be thrown away.  */
  if (lazy && only != NULL && m.n_tightened == 0)
    {
      ret = 0;
      goto done;
    }
  res->oci = json_clone (m.base->obj);
  if (only == NULL)
    merge_header (&m, res->oci, native_arch);
  if (only == NULL
      && (architectures_check (&m, res->oci, native_arch, err) < 0 || muxes_check (&m, err) < 0))
    goto done;
  if (m.base->groups != NULL || m.n_changes > 0)
    json_obj_set (res->oci, "syscalls", merge_groups (&m));
  res->changed = m.n_tightened > 0 || (only == NULL && header_changed (&m, res->oci, native_arch));
  res->tightened = m.tightened;
  m.tightened = NULL;
  m.n_tightened = 0;
  ret = 0;
done:
  merge_release (&m);
  if (ret < 0)
    seccomp_merge_result_release (res);
  return ret;
}

int
seccomp_merge_oci (const struct json_node *own, const struct json_node *policy,
                   const char *const *only, uint32_t native_arch, struct seccomp_merge_result *res,
                   ocg_error_t *err)
{
  return merge_oci (own, policy, only, native_arch, false, res, err);
}

int
seccomp_merge_oci_changed (const struct json_node *own, const struct json_node *policy,
                           const char *const *only, uint32_t native_arch,
                           struct seccomp_merge_result *res, ocg_error_t *err)
{
  return merge_oci (own, policy, only, native_arch, true, res, err);
}

void
seccomp_merge_result_release (struct seccomp_merge_result *res)
{
  json_free (res->oci);
  strv_free (res->tightened);
  memset (res, 0, sizeof (*res));
}
