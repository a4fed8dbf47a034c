/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rules resource-limits (CIS Docker 1.6.0 5.11 memory, 5.12 CPU, 5.19 ulimits, 5.29 pids) and
 * oom-score-adj.
 *
 * Owns: judging `linux.resources` of a config.json and the LinuxResources document of `runc update
 * --resources`, `process.rlimits`, and `oomScoreAdj` of a config or an exec process; injecting the
 * policy defaults where a limit is missing.  Must not: do I/O, or raise anything above what the
 * caller already has -- runc applies rlimits and oom_score_adj from a process that inherited the
 * caller's limits, and without CAP_SYS_RESOURCE it cannot go above them (see
 * defaults_resources.h).
 *
 * The same LinuxResources members are read below `/linux/resources` in a config and at the root of
 * an update document; an update is judged but never rewritten (its bytes come from stdin and are
 * already consumed), so what would be injected at create time is only checked there.  */
#include <config.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "defaults_resources.h"
#include "engine.h"
#include "json.h"
#include "spec.h"
#include "util.h"

/* One cgroup limit that must exist and stay under the policy maximum.  */
struct limit
{
  const char *name;        /* for messages */
  const char *member;      /* pointer below the LinuxResources root */
  const char *unified_key; /* the cgroup v2 file that overrides it through `unified` */
  const char *cap_member;  /* a member that must not end up below the injected value, or NULL */
  bool suffixes;           /* the kernel parses that file with memparse (K, M, G, ...) */
  int64_t def;
  int64_t max;
};

enum
{
  LIMIT_MEMORY,
  LIMIT_PIDS,
  LIMIT_COUNT,
};

static void
limits_of (const struct policy_params *p, struct limit out[LIMIT_COUNT])
{
  out[LIMIT_MEMORY] = (struct limit){ .name = "memory",
                                      .member = "/memory/limit",
                                      .unified_key = "memory.max",
                                      .cap_member = "/memory/swap",
                                      .suffixes = true,
                                      .def = p->memory_default,
                                      .max = p->memory_max };
  out[LIMIT_PIDS] = (struct limit){ .name = "pids",
                                    .member = "/pids/limit",
                                    .unified_key = "pids.max",
                                    .cap_member = NULL,
                                    .suffixes = false,
                                    .def = p->pids_default,
                                    .max = p->pids_max };
}

/* Where LinuxResources lives in the judged document.  */
static const char *
resources_base (const struct spec *spec)
{
  return spec->kind == SPEC_RESOURCES ? "" : "/linux/resources";
}

static char *
resources_path (const struct spec *spec, const char *member)
{
  return xasprintf ("%s%s", resources_base (spec), member);
}

/* A config limit that the engine left out, or set to 0 or -1: runc treats 0 as "not set" and
 * both runc and crun write -1 as "unlimited" (libcontainer/cgroups/fs/memory.go, fs/pids.go).  */
static bool
limit_unset (const struct spec *spec, const struct limit *l, int64_t *value)
{
  cleanup_free char *path = resources_path (spec, l->member);
  *value = 0;
  return !spec_get_i64 (spec, path, value) || *value <= 0;
}

/* The value injected for l: the default, capped by the maximum and, for memory, by an existing
 * swap limit -- the kernel refuses memory.memsw.limit_in_bytes below memory.limit_in_bytes and
 * runc writes both (fs/memory.go setMemoryAndSwap).  */
static int64_t
limit_injected (const struct spec *spec, const struct limit *l)
{
  cleanup_free char *cap_path = l->cap_member ? resources_path (spec, l->cap_member) : NULL;
  int64_t v = l->def;
  int64_t cap = 0;

  if (l->max > 0 && v > l->max)
    v = l->max;
  if (cap_path != NULL && spec_get_i64 (spec, cap_path, &cap) && cap > 0 && cap < v)
    v = cap;
  return v;
}

static void
check_limit_config (const struct rule_ctx *ctx, struct findings *out, const struct limit *l)
{
  cleanup_free char *path = resources_path (ctx->spec, l->member);
  int64_t v = 0;

  if (!limit_unset (ctx->spec, l, &v))
    {
      if (l->max > 0 && v > l->max)
        finding_add (out, ctx, path, false,
                     "%s limit `%" PRId64 "` is above the policy maximum `%" PRId64 "`", l->name, v,
                     l->max);
      return;
    }
  if (l->def > 0)
    finding_add (out, ctx, path, true, "no %s limit%s", l->name,
                 v < 0 ? " (`-1` is unlimited)" : "");
  else if (l->max > 0)
    finding_add (out, ctx, path, false, "no %s limit, the policy maximum is `%" PRId64 "`", l->name,
                 l->max);
}

/* `runc update` leaves a member it does not find unchanged (update.go pre-fills zeros, and the
 * cgroup managers skip 0); -1 lifts the limit.  0 is refused too: crun writes it verbatim
 * (cgroup-resources.c write_memory), so the two runtimes disagree on what it means.  */
static void
check_limit_update (const struct rule_ctx *ctx, struct findings *out, const struct limit *l)
{
  cleanup_free char *path = resources_path (ctx->spec, l->member);
  int64_t v = 0;

  if (!spec_get_i64 (ctx->spec, path, &v) || (l->def == 0 && l->max == 0))
    return;
  if (v <= 0)
    finding_add (out, ctx, path, false, "update sets the %s limit to `%" PRId64 "`, removing it",
                 l->name, v);
  else if (l->max > 0 && v > l->max)
    finding_add (out, ctx, path, false,
                 "update raises the %s limit to `%" PRId64 "`, above the policy maximum `%" PRId64
                 "`",
                 l->name, v, l->max);
}

static unsigned
digit_value (char c)
{
  if (c >= '0' && c <= '9')
    return (unsigned)(c - '0');
  if (c >= 'a' && c <= 'f')
    return (unsigned)(c - 'a' + 10);
  if (c >= 'A' && c <= 'F')
    return (unsigned)(c - 'A' + 10);
  return 99;
}

/* memparse's suffixes (lib/cmdline.c): K, M, G, T, P, E in either case.  0 when c is none.  */
static unsigned
suffix_shift (char c)
{
  const char *suffixes = "KMGTPE";
  const char *p = c != '\0' ? strchr (suffixes, toupper ((unsigned char)c)) : NULL;
  return p != NULL ? 10u * (unsigned)(p - suffixes + 1) : 0;
}

/* Parse a number in C notation (the kernel's base 0: 0x hex, leading 0 octal) from [s, end),
 * refusing overflow where the kernel would silently wrap.  Returns the first unparsed char.  */
static const char *
parse_c_number (const char *s, const char *end, uint64_t *out, bool *ok)
{
  unsigned base = 10;
  uint64_t v = 0;
  const char *digits;

  if (s < end && *s == '0')
    base = 8;
  if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value (s[2]) < 16)
    {
      base = 16;
      s += 2;
    }
  for (digits = s; s < end && digit_value (*s) < base; s++)
    {
      unsigned d = digit_value (*s);
      if (v > (UINT64_MAX - d) / base)
        break;
      v = v * base + d;
    }
  *ok = s != digits;
  *out = v;
  return s;
}

/* A value for a cgroup v2 limit file as the kernel reads it after strstrip(): "max", or a
 * number (memory.max: memparse with suffixes; pids.max: kstrtoll base 0).  False when the kernel
 * would refuse it -- or silently wrap it: memparse does not check overflow, so a huge value can
 * land as a small one, or as 0.  */
static bool
cgroup_value_parse (const char *s, bool suffixes, uint64_t *out, bool *is_max)
{
  const char *end = s + strlen (s);
  bool ok = false;

  while (s < end && isspace ((unsigned char)*s))
    s++;
  while (end > s && isspace ((unsigned char)end[-1]))
    end--;
  *is_max = end - s == 3 && memcmp (s, "max", 3) == 0;
  if (*is_max)
    return true;
  if (!suffixes && s < end && *s == '+')
    s++;
  s = parse_c_number (s, end, out, &ok);
  if (ok && suffixes && s < end && suffix_shift (*s) != 0)
    {
      unsigned shift = suffix_shift (*s++);
      ok = *out <= (UINT64_MAX >> shift);
      *out <<= ok ? shift : 0;
    }
  return ok && s == end;
}

/* cgroup v2 `unified` entries are written after the regular limits and override them
 * (libcontainer/cgroups/fs2/fs2.go setUnified), so `"memory.max": "max"` undoes the limit.  */
static void
check_unified (const struct rule_ctx *ctx, struct findings *out, const struct limit *l)
{
  cleanup_free char *unified = resources_path (ctx->spec, "/unified");
  cleanup_free char *path = spec_ptr_join (unified, l->unified_key);
  cleanup_free char *shown = NULL;
  const char *s = NULL;
  uint64_t v = 0;
  bool is_max = false;

  if (!spec_get_string (ctx->spec, path, &s) || (l->def == 0 && l->max == 0))
    return;
  shown = json_quote_key (s);
  if (!cgroup_value_parse (s, l->suffixes, &v, &is_max))
    finding_add (out, ctx, path, false, "unified `%s` value `%s` is not a valid limit",
                 l->unified_key, shown);
  else if (is_max)
    finding_add (out, ctx, path, false, "unified `%s` = `max` overrides the %s limit",
                 l->unified_key, l->name);
  else if (l->max > 0 && v > (uint64_t)l->max)
    finding_add (out, ctx, path, false,
                 "unified `%s` = `%s` is above the policy maximum `%" PRId64 "`", l->unified_key,
                 shown, l->max);
}

/* CIS 5.12 is satisfied by either relative shares or an absolute quota.  */
static bool
cpu_unset (const struct spec *spec)
{
  uint64_t shares = 0;
  int64_t quota = 0;
  if (spec_get_u64 (spec, "/linux/resources/cpu/shares", &shares) && shares > 0)
    return false;
  return !(spec_get_i64 (spec, "/linux/resources/cpu/quota", &quota) && quota > 0);
}

static bool
rlimit_present (const struct spec *spec, const char *type)
{
  const struct json_node *list = spec_get_array (spec, "/process/rlimits");
  for (size_t i = 0; list != NULL && i < list->n; i++)
    {
      const struct json_node *t = json_obj_get (list->items[i], "type");
      if (t != NULL && t->type == JSON_STRING && strcmp (t->text, type) == 0)
        return true;
    }
  return false;
}

/* The rlimits injected when missing (soft = hard), in a stable order.  */
static size_t
rlimit_defaults (const struct policy_params *p, const char *types[2], uint64_t values[2])
{
  size_t n = 0;
  if (p->nofile_default > 0)
    {
      types[n] = "RLIMIT_NOFILE";
      values[n++] = p->nofile_default;
    }
  if (p->nproc_default > 0)
    {
      types[n] = "RLIMIT_NPROC";
      values[n++] = p->nproc_default;
    }
  return n;
}

/* An rlimit the runtime cannot apply here: its hard value is above the caller's hard limit and
 * the caller lacks CAP_SYS_RESOURCE (host facts).  runc then fails with "error setting rlimit
 * type 7" and the container never starts -- Podman's default NOFILE 1048576 on a host whose
 * runtime caller has 20000 (real-clients.md §5).  Lowering a limit is always allowed, so the
 * rewrite clamps it to the ceiling: the container runs with the most it could get anyway.  */
static bool
rlimit_over_ceiling (const struct rule_ctx *ctx, const struct json_node *rl,
                     unsigned long long *ceiling)
{
  const struct json_node *type = json_obj_get (rl, "type");
  uint64_t hard = 0;

  if (ctx->host->rlimit_ceiling == NULL || type == NULL || type->type != JSON_STRING
      || !json_number_u64 (json_obj_get (rl, "hard"), &hard))
    return false;
  return ctx->host->rlimit_ceiling (ctx->host, type->text, ceiling) && hard > *ceiling;
}

static void
check_rlimit_ceilings (const struct rule_ctx *ctx, struct findings *out)
{
  const struct json_node *list = spec_get_array (ctx->spec, "/process/rlimits");
  unsigned long long ceiling = 0;

  for (size_t i = 0; list != NULL && i < list->n; i++)
    if (rlimit_over_ceiling (ctx, list->items[i], &ceiling))
      {
        cleanup_free char *path = spec_ptr_index ("/process/rlimits", i);
        finding_add (out, ctx, path, true,
                     "`%s` hard limit is above %llu, the most the runtime may set on this host "
                     "(no CAP_SYS_RESOURCE)",
                     json_obj_get (list->items[i], "type")->text, ceiling);
      }
}

static int
clamp_rlimits (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  const struct json_node *list = spec_get_array (spec, "/process/rlimits");
  unsigned long long ceiling = 0;
  uint64_t soft = 0;

  for (size_t i = 0; list != NULL && i < list->n; i++)
    {
      const struct json_node *rl = list->items[i];
      cleanup_free char *base = spec_ptr_index ("/process/rlimits", i);
      cleanup_free char *hard_path = spec_ptr_join (base, "hard");
      cleanup_free char *soft_path = spec_ptr_join (base, "soft");

      if (!rlimit_over_ceiling (ctx, rl, &ceiling))
        continue;
      if (spec_set (spec, hard_path, json_new_uint (ceiling), err) < 0)
        return -1;
      if (json_number_u64 (json_obj_get (rl, "soft"), &soft) && soft > ceiling
          && spec_set (spec, soft_path, json_new_uint (ceiling), err) < 0)
        return -1;
    }
  return 0;
}

static void
check_config_only (const struct rule_ctx *ctx, struct findings *out)
{
  const char *types[2];
  uint64_t values[2];
  size_t n = rlimit_defaults (ctx->params, types, values);

  if (ctx->params->cpu_shares_default > 0 && cpu_unset (ctx->spec))
    finding_add (out, ctx, "/linux/resources/cpu/shares", true, "no CPU shares and no CPU quota");
  for (size_t i = 0; i < n; i++)
    if (!rlimit_present (ctx->spec, types[i]))
      finding_add (out, ctx, "/process/rlimits", true, "no `%s` in process.rlimits", types[i]);
  check_rlimit_ceilings (ctx, out);
}

static int
rule_resource_limits_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  struct limit limits[LIMIT_COUNT];
  bool update = ctx->spec->kind == SPEC_RESOURCES;

  limits_of (ctx->params, limits);
  for (size_t i = 0; i < LIMIT_COUNT; i++)
    {
      if (update)
        check_limit_update (ctx, out, &limits[i]);
      else
        check_limit_config (ctx, out, &limits[i]);
      check_unified (ctx, out, &limits[i]);
    }
  if (!update)
    check_config_only (ctx, out);
  return 0;
}

static int
append_rlimit (struct spec *spec, const char *type, uint64_t value, ocg_error_t *err)
{
  struct json_node *rl = json_new_object ();

  json_obj_set (rl, "type", json_new_string (type));
  json_obj_set (rl, "hard", json_new_uint (value));
  json_obj_set (rl, "soft", json_new_uint (value));
  return spec_append (spec, "/process/rlimits", rl, err);
}

static int
rule_resource_limits_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  struct limit limits[LIMIT_COUNT];
  const char *types[2];
  uint64_t values[2];
  size_t n = rlimit_defaults (ctx->params, types, values);
  int64_t v = 0;

  if (spec->kind != SPEC_CONFIG)
    return 0;
  limits_of (ctx->params, limits);
  for (size_t i = 0; i < LIMIT_COUNT; i++)
    if (limits[i].def > 0 && limit_unset (spec, &limits[i], &v))
      {
        cleanup_free char *path = resources_path (spec, limits[i].member);
        if (spec_set (spec, path, json_new_int (limit_injected (spec, &limits[i])), err) < 0)
          return -1;
      }
  if (ctx->params->cpu_shares_default > 0 && cpu_unset (spec)
      && spec_set (spec, "/linux/resources/cpu/shares",
                   json_new_uint (ctx->params->cpu_shares_default), err)
             < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (!rlimit_present (spec, types[i]) && append_rlimit (spec, types[i], values[i], err) < 0)
      return -1;
  return clamp_rlimits (ctx, spec, err);
}

const struct rule rule_resource_limits = {
  .id = "resource-limits",
  .title = "memory, pids and CPU limits and default rlimits are set",
  .cis = "5.11, 5.12, 5.19, 5.29",
  .pss = NULL,
  .hint = "set memory and pids limits within the policy maximum",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_RESOURCES),
  .check = rule_resource_limits_check,
  .rewrite = rule_resource_limits_rewrite,
};

/* oom-score-adj ----------------------------------------------------------------------------- */

static const char *
oom_path (const struct spec *spec)
{
  return spec->kind == SPEC_PROCESS ? "/oomScoreAdj" : "/process/oomScoreAdj";
}

static bool
oom_below_floor (const struct spec *spec, int floor, int64_t *value)
{
  return spec_get_i64 (spec, oom_path (spec), value) && *value < floor;
}

static int
rule_oom_score_adj_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  int64_t v = 0;
  int floor = ctx->params->oom_score_adj_floor;

  if (oom_below_floor (ctx->spec, floor, &v))
    finding_add (out, ctx, oom_path (ctx->spec), true,
                 "oomScoreAdj `%" PRId64 "` is below the floor `%d`", v, floor);
  return 0;
}

static int
rule_oom_score_adj_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  int64_t v = 0;
  int floor = ctx->params->oom_score_adj_floor;

  if (!oom_below_floor (spec, floor, &v))
    return 0;
  return spec_set (spec, oom_path (spec), json_new_int (floor), err);
}

const struct rule rule_oom_score_adj = {
  .id = "oom-score-adj",
  .title = "a container cannot make itself (nearly) unkillable by the OOM killer",
  .cis = NULL,
  .pss = NULL,
  .hint = "do not set oomScoreAdj below the policy floor",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_oom_score_adj_check,
  .rewrite = rule_oom_score_adj_rewrite,
};
