/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The field-by-field "at least as strict" of the no-loosening property test: see strictness.h
 * for the definition of each field.  */
#include <config.h>

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bpf_emu.h"
#include "json.h"
#include "ruleutil.h"
#include "seccomp.h"
#include "strictness.h"
#include "util.h"

struct cmp
{
  const struct spec *b, *a; /* before, after */
  const struct host_facts *host;
  const char *proc; /* the process object's pointer */
  struct strict_report *r;
};

static void __attribute__ ((format (printf, 2, 3))) say (struct cmp *c, const char *fmt, ...)
{
  va_list ap;
  char *line = NULL;

  va_start (ap, fmt);
  if (vasprintf (&line, fmt, ap) < 0)
    fail_msg ("vasprintf");
  va_end (ap);
  c->r->lines = xreallocarray (c->r->lines, c->r->n + 1, sizeof (*c->r->lines));
  c->r->lines[c->r->n++] = line;
}

void
strict_report_release (struct strict_report *r)
{
  for (size_t i = 0; i < r->n; i++)
    free (r->lines[i]);
  free (r->lines);
  memset (r, 0, sizeof (*r));
}

static char *
pp (const struct cmp *c, const char *suffix)
{
  return xasprintf ("%s%s", c->proc, suffix);
}

static bool
get_i64 (const struct spec *s, const char *ptr, int64_t *v)
{
  *v = 0;
  return spec_get_i64 (s, ptr, v);
}

/* ---- the process ---- */

static void
check_caps (struct cmp *c)
{
  for (int set = 0; set < RULEUTIL_CAPSET_COUNT; set++)
    {
      capmask_t b = ruleutil_caps_in_set (c->b, c->host, (enum ruleutil_capset)set);
      capmask_t a = ruleutil_caps_in_set (c->a, c->host, (enum ruleutil_capset)set);
      if ((a & ~b) != 0)
        {
          cleanup_free char *more = ruleutil_caps_describe (a & ~b);
          say (c, "capabilities.%s gains %s", ruleutil_capset_name ((enum ruleutil_capset)set),
               more);
        }
    }
}

static void
check_nnp_oom (struct cmp *c)
{
  cleanup_free char *nnp = pp (c, "/noNewPrivileges");
  cleanup_free char *oom = pp (c, "/oomScoreAdj");
  bool vb = false, va = false;
  int64_t ob = 0, oa = 0;

  if (spec_get_bool (c->b, nnp, &vb) && vb && !(spec_get_bool (c->a, nnp, &va) && va))
    say (c, "noNewPrivileges was true");
  if (get_i64 (c->b, oom, &ob) && !(get_i64 (c->a, oom, &oa) && oa >= ob))
    say (c, "oomScoreAdj %" PRId64 " became %" PRId64, ob, oa);
}

/* The last entry of `type` in an rlimits array (runc applies them in order).  */
static const struct json_node *
rlimit_of (const struct json_node *list, const char *type)
{
  const struct json_node *found = NULL;

  for (size_t i = 0; list != NULL && i < list->n; i++)
    {
      const struct json_node *t = json_obj_get (list->items[i], "type");
      if (t != NULL && t->type == JSON_STRING && str_eq (t->text, type))
        found = list->items[i];
    }
  return found;
}

static void
check_rlimits (struct cmp *c)
{
  cleanup_free char *ptr = pp (c, "/rlimits");
  const struct json_node *b = spec_get_array (c->b, ptr), *a = spec_get_array (c->a, ptr);

  for (size_t i = 0; b != NULL && i < b->n; i++)
    {
      const char *type = json_obj_get (b->items[i], "type")->text;
      const struct json_node *rb = rlimit_of (b, type), *ra = rlimit_of (a, type);
      uint64_t hb = 0, sb = 0, ha = UINT64_MAX, sa = UINT64_MAX;

      json_number_u64 (json_obj_get (rb, "hard"), &hb);
      json_number_u64 (json_obj_get (rb, "soft"), &sb);
      if (ra != NULL)
        {
          json_number_u64 (json_obj_get (ra, "hard"), &ha);
          json_number_u64 (json_obj_get (ra, "soft"), &sa);
        }
      if (ha > hb || sa > sb)
        say (c, "rlimit %s %" PRIu64 "/%" PRIu64 " became %s", type, sb, hb,
             ra ? "higher" : "unset");
    }
}

/* Does the profile name confine on this host?  */
static bool
apparmor_confining (const struct host_facts *host, const char *name)
{
  cleanup_free char *mode = NULL;

  if (name == NULL || name[0] == '\0' || str_eq (name, "unconfined"))
    return false;
  if (!host->apparmor_enabled || host->apparmor_profile_mode == NULL)
    return true;
  mode = host->apparmor_profile_mode (host, name);
  return mode != NULL && (str_eq (mode, "enforce") || str_eq (mode, "kill"));
}

static void
check_labels (struct cmp *c)
{
  cleanup_free char *aa = pp (c, "/apparmorProfile");
  cleanup_free char *se = pp (c, "/selinuxLabel");
  const char *const ptrs[] = { se, "/linux/mountLabel" };
  const char *b = NULL, *a = NULL;

  spec_get_string (c->b, aa, &b);
  spec_get_string (c->a, aa, &a);
  if (apparmor_confining (c->host, b) && !str_eq (a ? a : "", b))
    say (c, "apparmorProfile `%s` became `%s`", b, a ? a : "");
  for (size_t i = 0; i < ARRAY_SIZE (ptrs); i++)
    {
      b = a = NULL;
      if (spec_get_string (c->b, ptrs[i], &b) && b[0] != '\0'
          && !(spec_get_string (c->a, ptrs[i], &a) && str_eq (a, b)))
        say (c, "%s `%s` changed", ptrs[i], b);
    }
}

static bool
gids_subset (const struct json_node *a, const struct json_node *b)
{
  for (size_t i = 0; a != NULL && i < a->n; i++)
    {
      bool found = false;
      for (size_t j = 0; b != NULL && j < b->n && !found; j++)
        found = json_equal (a->items[i], b->items[j]);
      if (!found)
        return false;
    }
  return true;
}

static void
check_user (struct cmp *c)
{
  cleanup_free char *uid = pp (c, "/user/uid"), *gid = pp (c, "/user/gid");
  cleanup_free char *gids = pp (c, "/user/additionalGids"), *umask = pp (c, "/user/umask");
  cleanup_free char *name = pp (c, "/user/username");
  int64_t ub = 0, ua = 0, gb = 0, ga = 0, mb = 0, ma = 0;
  const char *nb = NULL, *na = NULL;

  get_i64 (c->b, uid, &ub);
  get_i64 (c->a, uid, &ua);
  get_i64 (c->b, gid, &gb);
  get_i64 (c->a, gid, &ga);
  if (ua != ub && !(ub == 0 && ua == 65534))
    say (c, "uid %" PRId64 " became %" PRId64, ub, ua);
  if (ga != gb && ga != 65534)
    say (c, "gid %" PRId64 " became %" PRId64, gb, ga);
  if (!gids_subset (spec_get_array (c->a, gids), spec_get_array (c->b, gids)))
    say (c, "additionalGids gained a group");
  if (get_i64 (c->b, umask, &mb) && !(get_i64 (c->a, umask, &ma) && (ma & mb) == mb))
    say (c, "umask lost bits");
  spec_get_string (c->b, name, &nb);
  spec_get_string (c->a, name, &na);
  if (!str_eq (nb ? nb : "", na ? na : ""))
    say (c, "username changed");
}

/* ---- the filesystem ---- */

static bool
has_string (const struct json_node *arr, const char *s)
{
  for (size_t i = 0; arr != NULL && arr->type == JSON_ARRAY && i < arr->n; i++)
    if (arr->items[i]->type == JSON_STRING && str_eq (arr->items[i]->text, s))
      return true;
  return false;
}

static bool
strings_superset (const struct json_node *a, const struct json_node *b)
{
  for (size_t i = 0; b != NULL && i < b->n; i++)
    if (a == NULL || !has_string (a, b->items[i]->text))
      return false;
  return true;
}

static void
check_root_paths (struct cmp *c)
{
  static const char *const lists[] = { "/linux/maskedPaths", "/linux/readonlyPaths" };
  const char *pb = NULL, *pa = NULL;
  bool rb = false, ra = false;

  if (spec_get_bool (c->b, "/root/readonly", &rb) && rb
      && !(spec_get_bool (c->a, "/root/readonly", &ra) && ra))
    say (c, "root.readonly was true");
  spec_get_string (c->b, "/root/path", &pb);
  spec_get_string (c->a, "/root/path", &pa);
  if (!str_eq (pb ? pb : "", pa ? pa : ""))
    say (c, "root.path changed");
  for (size_t i = 0; i < ARRAY_SIZE (lists); i++)
    if (!strings_superset (spec_get_array (c->a, lists[i]), spec_get_array (c->b, lists[i])))
      say (c, "%s lost an entry", lists[i]);
}

/* shared 2 > slave 1 > private, unbindable 0; -1 when `opt` is no propagation.  */
static int
propagation_rank (const char *opt)
{
  static const struct
  {
    const char *name;
    int rank;
  } table[] = { { "shared", 2 },  { "rshared", 2 },  { "slave", 1 },      { "rslave", 1 },
                { "private", 0 }, { "rprivate", 0 }, { "unbindable", 0 }, { "runbindable", 0 } };

  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    if (str_eq (table[i].name, opt))
      return table[i].rank;
  return -1;
}

/* The effective state of the flag pairs (1 on, 0 off, -1 unsaid; the last word wins) and the
 * propagation rank (-1 unsaid) of a mount's options.  */
struct mount_state
{
  int flags[4];
  int prop;
};

static const char *const flag_on[] = { "ro", "nosuid", "nodev", "noexec" };
static const char *const flag_off[] = { "rw", "suid", "dev", "exec" };

static bool
mount_word (struct mount_state *st, const char *w)
{
  for (size_t f = 0; f < ARRAY_SIZE (flag_on); f++)
    if (str_eq (w, flag_on[f]) || str_eq (w, flag_off[f]))
      {
        st->flags[f] = str_eq (w, flag_on[f]);
        return true;
      }
  if (propagation_rank (w) < 0)
    return false;
  st->prop = propagation_rank (w);
  return true;
}

static void
check_one_mount (struct cmp *c, size_t i, const struct json_node *b, const struct json_node *a)
{
  static const char *const same[]
      = { "destination", "type", "source", "uidMappings", "gidMappings" };
  const struct json_node *ob = json_obj_get (b, "options"), *oa = json_obj_get (a, "options");
  struct mount_state sb = { { -1, -1, -1, -1 }, -1 }, sa = { { -1, -1, -1, -1 }, -1 };
  cleanup_json struct json_node *rest_b = json_new_array ();
  cleanup_json struct json_node *rest_a = json_new_array ();

  for (size_t k = 0; k < ARRAY_SIZE (same); k++)
    if (!json_equal (json_obj_get (b, same[k]) ? json_obj_get (b, same[k]) : rest_b,
                     json_obj_get (a, same[k]) ? json_obj_get (a, same[k]) : rest_b))
      say (c, "mounts[%zu].%s changed", i, same[k]);
  for (size_t k = 0; ob != NULL && k < ob->n; k++)
    if (!mount_word (&sb, ob->items[k]->text) && !has_string (rest_b, ob->items[k]->text))
      json_arr_append (rest_b, json_new_string (ob->items[k]->text));
  for (size_t k = 0; oa != NULL && k < oa->n; k++)
    if (!mount_word (&sa, oa->items[k]->text) && !has_string (rest_a, oa->items[k]->text))
      json_arr_append (rest_a, json_new_string (oa->items[k]->text));
  for (size_t f = 0; f < ARRAY_SIZE (flag_on); f++)
    if (sb.flags[f] == 1 && sa.flags[f] != 1)
      say (c, "mounts[%zu] lost `%s`", i, flag_on[f]);
  /* An unsaid propagation on a bind may be the source's shared peer group: the widest.  */
  if ((sa.prop < 0 ? 2 : sa.prop) > (sb.prop < 0 ? 2 : sb.prop))
    say (c, "mounts[%zu] propagation widened", i);
  if (!strings_superset (rest_b, rest_a) || !strings_superset (rest_a, rest_b))
    say (c, "mounts[%zu] options changed", i);
}

static void
check_mounts (struct cmp *c)
{
  const struct json_node *b = spec_get_array (c->b, "/mounts"),
                         *a = spec_get_array (c->a, "/mounts");
  const char *pb = NULL, *pa = NULL;
  int rb, ra;

  if ((b ? b->n : 0) != (a ? a->n : 0))
    say (c, "mounts: %zu became %zu", b ? b->n : 0, a ? a->n : 0);
  else
    for (size_t i = 0; b != NULL && i < b->n; i++)
      check_one_mount (c, i, b->items[i], a->items[i]);
  /* runc makes the root rslave when rootfsPropagation is unsaid (rootfs_linux.go prepareRoot). */
  rb = spec_get_string (c->b, "/linux/rootfsPropagation", &pb) ? propagation_rank (pb) : 1;
  ra = spec_get_string (c->a, "/linux/rootfsPropagation", &pa) ? propagation_rank (pa) : 1;
  if ((ra < 0 ? 2 : ra) > (rb < 0 ? 2 : rb))
    say (c, "rootfsPropagation widened");
}

/* ---- subsets of lists and maps ---- */

static bool
items_subset (const struct json_node *a, const struct json_node *b)
{
  for (size_t i = 0; a != NULL && i < a->n; i++)
    {
      bool found = false;
      for (size_t j = 0; b != NULL && j < b->n && !found; j++)
        found = json_equal (a->items[i], b->items[j]);
      if (!found)
        return false;
    }
  return true;
}

static bool
map_subset (const struct json_node *a, const struct json_node *b)
{
  for (size_t i = 0; a != NULL && a->type == JSON_OBJECT && i < a->n; i++)
    if (!json_equal (a->items[i], json_obj_get (b, a->keys[i])))
      return false;
  return true;
}

static void
check_subsets (struct cmp *c)
{
  static const char *const hooks[] = { "prestart",       "createRuntime", "createContainer",
                                       "startContainer", "poststart",     "poststop" };

  if (!map_subset (spec_get (c->a, "/linux/sysctl"), spec_get (c->b, "/linux/sysctl")))
    say (c, "linux.sysctl gained an entry");
  if (!map_subset (spec_get (c->a, "/annotations"), spec_get (c->b, "/annotations")))
    say (c, "annotations gained an entry");
  if (!items_subset (spec_get_array (c->a, "/linux/devices"),
                     spec_get_array (c->b, "/linux/devices")))
    say (c, "linux.devices gained a node");
  for (size_t i = 0; i < ARRAY_SIZE (hooks); i++)
    {
      cleanup_free char *ptr = xasprintf ("/hooks/%s", hooks[i]);
      if (!items_subset (spec_get_array (c->a, ptr), spec_get_array (c->b, ptr)))
        say (c, "hooks.%s gained a hook", hooks[i]);
    }
}

static void
check_namespaces (struct cmp *c)
{
  const struct json_node *b = spec_get_array (c->b, "/linux/namespaces");
  const struct json_node *a = spec_get_array (c->a, "/linux/namespaces");

  for (size_t i = 0; b != NULL && i < b->n; i++)
    {
      const struct json_node *type = json_obj_get (b->items[i], "type");
      const struct json_node *path = json_obj_get (b->items[i], "path");
      bool kept = false;

      for (size_t j = 0; a != NULL && j < a->n && !kept; j++)
        {
          const struct json_node *pa = json_obj_get (a->items[j], "path");
          kept = json_equal (type, json_obj_get (a->items[j], "type"))
                 && (pa == NULL || pa->text[0] == '\0' || json_equal (pa, path));
        }
      if (!kept)
        say (c, "namespace `%s` lost or joined elsewhere", type ? type->text : "?");
    }
}

/* ---- seccomp ---- */

struct verdict_cache
{
  uint64_t *keys;
  char **whys;
  size_t n;
};

static struct verdict_cache seccomp_cache;

static uint64_t
fnv (const char *a, const char *b)
{
  uint64_t h = UINT64_C (14695981039346656037);
  for (const char *p = a; *p; p++)
    h = (h ^ (unsigned char)*p) * UINT64_C (1099511628211);
  h = (h ^ 0xff) * UINT64_C (1099511628211);
  for (const char *p = b; *p; p++)
    h = (h ^ (unsigned char)*p) * UINT64_C (1099511628211);
  return h;
}

/* NULL when `after` answers every probe at least as strictly as `before`.  */
static char *
seccomp_weaker (const struct json_node *before, const struct json_node *after)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *tb = json_serialize (before, NULL, &err);
  cleanup_free char *ta = json_serialize (after, NULL, &err);
  uint64_t key = fnv (tb, ta);
  size_t lb = 0, la = 0;
  void *bb = NULL, *ba = NULL;
  char *why = NULL;

  for (size_t i = 0; i < seccomp_cache.n; i++)
    if (seccomp_cache.keys[i] == key)
      return seccomp_cache.whys[i] ? xstrdup (seccomp_cache.whys[i]) : NULL;
  bb = seccomp_bpf_export (before, &lb, &err);
  ba = bb != NULL ? seccomp_bpf_export (after, &la, &err) : NULL;
  if (bb != NULL && ba == NULL)
    why = xasprintf ("libseccomp refuses the rewritten profile");
  else if (bb != NULL)
    {
      struct bpf_prog pb = { bb, lb / sizeof (struct sock_filter) };
      struct bpf_prog pa = { ba, la / sizeof (struct sock_filter) };
      why = bpf_emu_compare (&pa, &pb);
    }
  free (bb);
  free (ba);
  seccomp_cache.keys = xreallocarray (seccomp_cache.keys, seccomp_cache.n + 1, sizeof (uint64_t));
  seccomp_cache.whys = xreallocarray (seccomp_cache.whys, seccomp_cache.n + 1, sizeof (char *));
  seccomp_cache.keys[seccomp_cache.n] = key;
  seccomp_cache.whys[seccomp_cache.n++] = why ? xstrdup (why) : NULL;
  return why;
}

static void
check_seccomp (struct cmp *c)
{
  const struct json_node *b = spec_get (c->b, "/linux/seccomp");
  const struct json_node *a = spec_get (c->a, "/linux/seccomp");
  cleanup_free char *why = NULL;

  if (b == NULL || b->type == JSON_NULL || json_equal (a, b))
    return;
  if (a == NULL || a->type != JSON_OBJECT)
    {
      say (c, "linux.seccomp removed");
      return;
    }
  why = seccomp_weaker (b, a);
  if (why != NULL)
    say (c, "linux.seccomp answers more weakly: %s", why);
}

/* ---- resources ---- */

static void
check_limit (struct cmp *c, const char *ptr)
{
  int64_t b = 0, a = 0;

  if (get_i64 (c->b, ptr, &b) && b > 0 && !(get_i64 (c->a, ptr, &a) && a > 0 && a <= b))
    say (c, "%s %" PRId64 " became %" PRId64, ptr, b, a);
}

static void
check_cpu (struct cmp *c)
{
  uint64_t sb = 0, sa = 0, pb = 100000, pa = 100000;
  int64_t qb = 0, qa = 0;

  /* Unset shares are the kernel's 1024.  */
  if (!spec_get_u64 (c->b, "/linux/resources/cpu/shares", &sb) || sb == 0)
    sb = 1024;
  if (spec_get_u64 (c->a, "/linux/resources/cpu/shares", &sa) && sa > sb)
    say (c, "cpu.shares %" PRIu64 " became %" PRIu64, sb, sa);
  if (!(get_i64 (c->b, "/linux/resources/cpu/quota", &qb) && qb > 0))
    return;
  spec_get_u64 (c->b, "/linux/resources/cpu/period", &pb);
  spec_get_u64 (c->a, "/linux/resources/cpu/period", &pa);
  if (!(get_i64 (c->a, "/linux/resources/cpu/quota", &qa) && qa > 0)
      || (unsigned __int128)qa * pb > (unsigned __int128)qb * pa)
    say (c, "cpu quota %" PRId64 "/%" PRIu64 " widened", qb, pb);
}

static void
check_hugepages (struct cmp *c)
{
  const struct json_node *b = spec_get_array (c->b, "/linux/resources/hugepageLimits");
  const struct json_node *a = spec_get_array (c->a, "/linux/resources/hugepageLimits");

  for (size_t i = 0; b != NULL && i < b->n; i++)
    {
      uint64_t lb = 0, la = UINT64_MAX;
      json_number_u64 (json_obj_get (b->items[i], "limit"), &lb);
      for (size_t j = 0; a != NULL && j < a->n; j++)
        if (json_equal (json_obj_get (a->items[j], "pageSize"),
                        json_obj_get (b->items[i], "pageSize")))
          json_number_u64 (json_obj_get (a->items[j], "limit"), &la);
      if (la > lb)
        say (c, "hugepageLimits[%zu] widened", i);
    }
}

/* Is (type, major, minor, access) allowed: the last rule that matches decides, from allow-all.  */
static bool
device_allowed (const struct json_node *rules, char type, int64_t major, int64_t minor, char acc)
{
  bool allowed = true;

  for (size_t i = 0; rules != NULL && i < rules->n; i++)
    {
      const struct json_node *r = rules->items[i], *t = json_obj_get (r, "type");
      const struct json_node *access = json_obj_get (r, "access");
      const struct json_node *allow = json_obj_get (r, "allow");
      int64_t ma = -1, mi = -1;

      if (json_number_i64 (json_obj_get (r, "major"), &ma) && ma >= 0 && ma != major)
        continue;
      if (json_number_i64 (json_obj_get (r, "minor"), &mi) && mi >= 0 && mi != minor)
        continue;
      if (t != NULL && t->type == JSON_STRING && t->text[0] != '\0' && !str_eq (t->text, "a")
          && t->text[0] != type)
        continue;
      if (access != NULL && access->type == JSON_STRING && access->text[0] != '\0'
          && strchr (access->text, acc) == NULL)
        continue;
      allowed = allow != NULL && allow->type == JSON_BOOL && allow->boolean;
    }
  return allowed;
}

static void
check_device_rules (struct cmp *c)
{
  static const int64_t nums[] = { 0, 1, 3, 4, 5, 7, 8, 10, 136, 200, 254 };
  const struct json_node *b = spec_get_array (c->b, "/linux/resources/devices");
  const struct json_node *a = spec_get_array (c->a, "/linux/resources/devices");
  static const char types[] = { 'c', 'b' }, accs[] = { 'r', 'w', 'm' };

  for (size_t t = 0; t < ARRAY_SIZE (types); t++)
    for (size_t x = 0; x < ARRAY_SIZE (nums); x++)
      for (size_t y = 0; y < ARRAY_SIZE (nums); y++)
        for (size_t k = 0; k < ARRAY_SIZE (accs); k++)
          if (device_allowed (a, types[t], nums[x], nums[y], accs[k])
              && !device_allowed (b, types[t], nums[x], nums[y], accs[k]))
            {
              say (c, "device rules allow %c %" PRId64 ":%" PRId64 " %c", types[t], nums[x],
                   nums[y], accs[k]);
              return;
            }
}

static void
check_resources (struct cmp *c)
{
  static const char *const limits[]
      = { "/linux/resources/memory/limit",       "/linux/resources/memory/swap",
          "/linux/resources/memory/reservation", "/linux/resources/memory/kernel",
          "/linux/resources/memory/kernelTCP",   "/linux/resources/pids/limit" };

  for (size_t i = 0; i < ARRAY_SIZE (limits); i++)
    check_limit (c, limits[i]);
  check_cpu (c);
  check_hugepages (c);
  check_device_rules (c);
}

/* ---- everything else ---- */

static void
ptr_remove (struct json_node *root, const char *ptr)
{
  cleanup_free char *copy = xstrdup (ptr);
  struct json_node *node = root;
  char *save = NULL, *last = NULL;

  for (char *tok = strtok_r (copy, "/", &save); tok != NULL; tok = strtok_r (NULL, "/", &save))
    {
      if (last != NULL)
        node = json_obj_get (node, last);
      last = tok;
    }
  if (node != NULL && last != NULL)
    json_obj_remove (node, last);
}

/* Members whose value became an empty object are dropped (a rewrite that adds `memory.limit`
 * to a config without `memory` leaves `memory: {}` once the judged member is taken out).  */
static void
prune_empty (struct json_node *n)
{
  for (size_t i = 0; n != NULL && n->type == JSON_OBJECT && i < n->n;)
    {
      prune_empty (n->items[i]);
      if (n->items[i]->type == JSON_OBJECT && n->items[i]->n == 0)
        json_obj_remove (n, n->keys[i]);
      else
        i++;
    }
}

static const char *const judged_process[]
    = { "/capabilities",    "/noNewPrivileges", "/rlimits", "/oomScoreAdj",
        "/apparmorProfile", "/selinuxLabel",    "/user" };
static const char *const judged_config[] = { "/root",
                                             "/linux/maskedPaths",
                                             "/linux/readonlyPaths",
                                             "/linux/seccomp",
                                             "/linux/devices",
                                             "/linux/namespaces",
                                             "/linux/rootfsPropagation",
                                             "/linux/mountLabel",
                                             "/linux/sysctl",
                                             "/mounts",
                                             "/hooks",
                                             "/annotations",
                                             "/linux/resources/memory/limit",
                                             "/linux/resources/memory/swap",
                                             "/linux/resources/memory/reservation",
                                             "/linux/resources/memory/kernel",
                                             "/linux/resources/memory/kernelTCP",
                                             "/linux/resources/pids/limit",
                                             "/linux/resources/cpu/shares",
                                             "/linux/resources/cpu/quota",
                                             "/linux/resources/cpu/period",
                                             "/linux/resources/hugepageLimits",
                                             "/linux/resources/devices" };

static struct json_node *
rest_of (const struct cmp *c, const struct spec *s)
{
  struct json_node *root = json_clone (s->root);

  for (size_t i = 0; i < ARRAY_SIZE (judged_process); i++)
    {
      cleanup_free char *ptr = pp (c, judged_process[i]);
      ptr_remove (root, ptr);
    }
  for (size_t i = 0; s->kind == SPEC_CONFIG && i < ARRAY_SIZE (judged_config); i++)
    ptr_remove (root, judged_config[i]);
  prune_empty (root);
  return root;
}

static void
check_rest (struct cmp *c)
{
  cleanup_json struct json_node *b = rest_of (c, c->b);
  cleanup_json struct json_node *a = rest_of (c, c->a);

  if (json_equal (a, b))
    return;
  for (size_t i = 0; i < a->n || i < b->n; i++)
    {
      const char *key = i < a->n ? a->keys[i] : b->keys[i];
      if (!json_equal (json_obj_get (a, key), json_obj_get (b, key)))
        {
          say (c, "`%s` changed", key);
          return;
        }
    }
  say (c, "a member was removed");
}

void
strict_compare (const struct spec *before, const struct spec *after, const struct host_facts *host,
                struct strict_report *r)
{
  struct cmp c = { before, after, host, ruleutil_process_base (before), r };

  check_caps (&c);
  check_nnp_oom (&c);
  check_rlimits (&c);
  check_labels (&c);
  check_user (&c);
  check_rest (&c);
  if (before->kind != SPEC_CONFIG)
    return;
  check_root_paths (&c);
  check_mounts (&c);
  check_subsets (&c);
  check_namespaces (&c);
  check_seccomp (&c);
  check_resources (&c);
}
