/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rules resource-limits (CIS Docker 1.6.0 5.11 memory, 5.12 CPU, 5.19 ulimits, 5.29 pids) and
 * oom-score-adj.
 *
 * Owns: judging `linux.resources` and `process.rlimits` of a config.json, the `rlimits` of an
 * exec process, and `oomScoreAdj` of a config or an exec process; injecting the policy defaults
 * where a limit is missing.  The LinuxResources document of `runc update --resources` is judged
 * in resources_update.c, cgroup v2 `unified` values in resources_unified.c.  Must not: do I/O, or
 * raise anything above what the caller already has -- runc applies rlimits and oom_score_adj from
 * a process that inherited the caller's limits, and without CAP_SYS_RESOURCE it cannot go above
 * them (see the defaults below).
 *
 * A limit is judged by what it does: 0 and -1 (runc's "not set" and "unlimited",
 * libcontainer/cgroups/fs/memory.go, fs/pids.go) and a value above what the host has (MemTotal,
 * kernel.pid_max: 9223372036854771712 is what an unlimited cgroup v1 memory.limit_in_bytes reads)
 * limit nothing, so they are replaced like a missing limit.  */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "json.h"
#include "resources_limits.h"
#include "spec.h"
#include "util.h"

/* The rule's parameters (policy file `rules.resource-limits`), struct resource_limits_params
 * (resources_limits.h), and why each default was chosen:
 *  - memory_default (CIS Docker 1.6.0 5.11): injected when the memory limit is missing, 0 or -1.
 *    2 GiB leaves room for the JVMs and build containers that engines run without a limit, and
 *    still stops one container from taking the whole host.  No maximum by default: explicit
 *    limits are the operator's decision.
 *  - pids_default (CIS 5.29): the pids cgroup is the per-container fork-bomb guard.  4096 is
 *    twice podman's default (2048) and far below the kernel's default pid_max (32768).
 *  - cpu_shares_default (CIS 5.12): the kernel's own default weight, made explicit.  Docker
 *    writes `shares: 0` (= unset) when --cpu-shares is not given.
 *  - nofile_default (CIS 5.19): RLIMIT_NOFILE soft = hard = 1024, containerd's own base-spec
 *    value.  runc sets rlimits with setrlimit(2) in the container's init, which inherits the
 *    caller's limits: raising a hard limit needs CAP_SYS_RESOURCE, and on hosts without it (this
 *    project's CI VM: bounding set 000001fffeffffff) a value above the caller's hard limit makes
 *    runc fail with "error setting rlimit type 7" -- podman's 1048576 does.  1024 is below the
 *    kernel's initial hard limit (4096, INR_OPEN_MAX), so any caller that did not lower its own
 *    limit can set it.
 *  - nproc_default: RLIMIT_NPROC is NOT injected by default (0).  The kernel counts it per real
 *    uid across the host and every container sharing that uid (kernel/fork.c
 *    is_rlimit_overlimit on the ucounts), and ignores it for uid 0: a fixed value either does
 *    nothing (root containers) or couples unrelated containers and host services that run as
 *    the same uid, and on small hosts it can exceed the caller's own hard limit (threads-max /
 *    2), which makes runc fail ("rlimit type 6").  The per-container pids limit is the control
 *    that works.  An operator who wants it sets `nproc_default` in the policy file.  */
static const struct rule_param resource_limits_param_table[] = {
  {
      .key = "memory_default",
      .type = PARAM_I64,
      .offset = offsetof (struct resource_limits_params, memory_default),
      .def.number = (int64_t)2 * 1024 * 1024 * 1024,
      .min = 0,
      .max = INT64_MAX,
  },
  {
      .key = "memory_max",
      .type = PARAM_I64,
      .offset = offsetof (struct resource_limits_params, memory_max),
      .def.number = 0,
      .min = 0,
      .max = INT64_MAX,
  },
  {
      .key = "pids_default",
      .type = PARAM_I64,
      .offset = offsetof (struct resource_limits_params, pids_default),
      .def.number = 4096,
      .min = 0,
      .max = INT64_MAX,
  },
  {
      .key = "pids_max",
      .type = PARAM_I64,
      .offset = offsetof (struct resource_limits_params, pids_max),
      .def.number = 0,
      .min = 0,
      .max = INT64_MAX,
  },
  {
      .key = "cpu_shares_default",
      .type = PARAM_U64,
      .offset = offsetof (struct resource_limits_params, cpu_shares_default),
      .def.unumber = 1024,
  },
  {
      .key = "nofile_default",
      .type = PARAM_U64,
      .offset = offsetof (struct resource_limits_params, nofile_default),
      .def.unumber = 1024,
  },
  {
      .key = "nproc_default",
      .type = PARAM_U64,
      .offset = offsetof (struct resource_limits_params, nproc_default),
      .def.unumber = 0,
  },
  {
      .key = "mandatory",
      .type = PARAM_BOOL,
      .offset = offsetof (struct resource_limits_params, mandatory),
      .def.number = 0,
  },
};

/* Above what the host has, a limit limits nothing.  */
static bool
above_host (const struct limit *l, int64_t v)
{
  return l->host > 0 && v > 0 && (uint64_t)v > l->host;
}

/* A config limit that is missing or no limit: absent, 0 (runc: not set), negative (-1 is
 * unlimited for both runc and crun), or above what the host has.  */
static bool
limit_unset (const struct spec *spec, const struct limit *l, int64_t *value)
{
  cleanup_free char *path = resources_path (spec, l->member);
  *value = 0;
  return !spec_get_i64 (spec, path, value) || *value <= 0 || above_host (l, *value);
}

/* The value injected for l: the default, capped by the maximum, by what the host has and, for
 * memory, by an existing swap limit -- the kernel refuses memory.memsw.limit_in_bytes below
 * memory.limit_in_bytes and runc writes both (fs/memory.go setMemoryAndSwap).  */
static int64_t
limit_injected (const struct spec *spec, const struct limit *l)
{
  cleanup_free char *cap_path = l->cap_member ? resources_path (spec, l->cap_member) : NULL;
  int64_t v = l->def;
  int64_t cap = 0;

  if (l->max > 0 && v > l->max)
    v = l->max;
  if (above_host (l, v))
    v = (int64_t)l->host;
  if (cap_path != NULL && spec_get_i64 (spec, cap_path, &cap) && cap > 0 && cap < v)
    v = cap;
  return v;
}

/* Why the runtime cannot write the cgroup `controller` of this container (rootless on cgroup
 * v1), malloc'd, or NULL.  Only a config without cgroupsPath: with one, runc and crun fail on
 * their own when they cannot create it (fs.go Apply ignores the error only for `c.Path == ""`).
 * runc then refuses to start with ANY value for that controller ("cannot set memory limit:
 * container could not join or create cgroup", fs.go Set), crun drops them all.  */
static char *
cgroup_unsettable (const struct rule_ctx *ctx, const struct spec *spec, const char *controller)
{
  const char *cg = NULL;

  if (ctx->host->cgroup_unsettable == NULL
      || (spec_get_string (spec, "/linux/cgroupsPath", &cg) && cg[0] != '\0'))
    return NULL;
  return ctx->host->cgroup_unsettable (ctx->host, controller);
}

/* A limit (`what`: "memory limit", "CPU shares") that cannot be set here: a note, or a denial
 * where the policy makes limits mandatory.  */
static void
report_unsettable (const struct rule_ctx *ctx, struct findings *out, const char *path,
                   const char *what, bool present, const char *why)
{
  if (((const struct resource_limits_params *)ctx->params)->mandatory)
    finding_add (out, ctx, path, false, "the %s %s: %s, and the policy makes limits mandatory",
                 what, present ? "cannot be set" : "is missing and cannot be set", why);
  else
    note_add (out, ctx, path, "the %s %s: %s (runc refuses such a limit, crun ignores it)", what,
              present ? "cannot be set" : "is not injected", why);
}

static void
report_missing (const struct rule_ctx *ctx, struct findings *out, const char *path,
                const struct limit *l, int64_t v)
{
  cleanup_free char *why = NULL;

  if (v < 0)
    why = xasprintf (" (`%" PRId64 "` is unlimited)", v);
  else if (above_host (l, v))
    why = xasprintf (" (`%" PRId64 "` is above %s, %" PRIu64 ": not a limit)", v, l->host_what,
                     l->host);
  if (l->def > 0)
    finding_add (out, ctx, path, true, "no %s limit%s", l->name, why ? why : "");
  else if (l->max > 0)
    finding_add (out, ctx, path, false, "no %s limit%s, the policy maximum is `%" PRId64 "`",
                 l->name, why ? why : "", l->max);
}

static void
check_limit_config (const struct rule_ctx *ctx, struct findings *out, const struct limit *l)
{
  cleanup_free char *path = resources_path (ctx->spec, l->member);
  cleanup_free char *unsettable = NULL;
  int64_t v = 0;
  bool unset = limit_unset (ctx->spec, l, &v);

  if (!unset && l->max > 0 && v > l->max)
    {
      finding_add (out, ctx, path, false,
                   "%s limit `%" PRId64 "` is above the policy maximum `%" PRId64 "`", l->name, v,
                   l->max);
      return;
    }
  if (!resources_limit_configured (l))
    return;
  unsettable = cgroup_unsettable (ctx, ctx->spec, l->controller);
  if (unsettable != NULL)
    {
      cleanup_free char *what = xasprintf ("%s limit", l->name);
      report_unsettable (ctx, out, path, what, !unset, unsettable);
    }
  else if (unset)
    report_missing (ctx, out, path, l, v);
}

/* crun's `--cgroup-manager=disabled` (Podman's --cgroups=disabled) creates no cgroup at all
 * (crun src/libcrun/cgroup.c, CGROUP_MANAGER_DISABLED): the process stays in the caller's
 * cgroups and no limit of the config is applied.  argv cannot be rewritten, so it is denied.  */
static void
check_cgroups_disabled (const struct rule_ctx *ctx, struct findings *out,
                        const struct limit limits[LIMIT_COUNT])
{
  bool configured = false;

  for (size_t i = 0; i < LIMIT_COUNT; i++)
    configured = configured || resources_limit_configured (&limits[i]);
  if (ctx->call->cgroups_disabled && configured)
    finding_add (out, ctx, "/linux/resources", false,
                 "the runtime is told `--cgroup-manager=disabled`: the container would get no "
                 "memory, pids or device cgroup, so no limit holds");
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

static void
check_cpu (const struct rule_ctx *ctx, struct findings *out)
{
  const struct resource_limits_params *p = ctx->params;
  cleanup_free char *unsettable = NULL;

  if (p->cpu_shares_default == 0 || !cpu_unset (ctx->spec))
    return;
  unsettable = cgroup_unsettable (ctx, ctx->spec, "cpu");
  if (unsettable != NULL)
    report_unsettable (ctx, out, "/linux/resources/cpu/shares", "CPU shares value", false,
                       unsettable);
  else
    finding_add (out, ctx, "/linux/resources/cpu/shares", true, "no CPU shares and no CPU quota");
}

/* ---- rlimits: `process.rlimits` of a config, `rlimits` of an exec process ----------------- */

/* `runc exec --process` starts a process that gets the rlimits of ITS document only (libcontainer
 * setupRlimits in init_linux.go; crun the same), not the container's: without them it inherits
 * the runtime caller's (dockerd's NOFILE, for instance).  So the exec document is judged and
 * completed exactly like the config's process.  */
static const char *
rlimits_path (const struct spec *spec)
{
  return spec->kind == SPEC_PROCESS ? "/rlimits" : "/process/rlimits";
}

static bool
rlimit_present (const struct spec *spec, const char *type)
{
  const struct json_node *list = spec_get_array (spec, rlimits_path (spec));
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
rlimit_defaults (const struct resource_limits_params *p, const char *types[2], uint64_t values[2])
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
 * type 7" and the container never starts -- Podman's default NOFILE 1048576 (Podman 4.3,
 * pkg/specgen/generate/oci.go, addRlimits: define.RLimitDefaultValue, not clamped for root) on a
 * host whose runtime caller has 20000.  Lowering a limit is always allowed, so the
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
  const struct json_node *list = spec_get_array (ctx->spec, rlimits_path (ctx->spec));
  unsigned long long ceiling = 0;

  for (size_t i = 0; list != NULL && i < list->n; i++)
    if (rlimit_over_ceiling (ctx, list->items[i], &ceiling))
      {
        cleanup_free char *path = spec_ptr_index (rlimits_path (ctx->spec), i);
        finding_add (out, ctx, path, true,
                     "`%s` hard limit is above %llu, the most the runtime may set on this host "
                     "(no CAP_SYS_RESOURCE)",
                     json_obj_get (list->items[i], "type")->text, ceiling);
      }
}

static int
clamp_rlimits (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  const struct json_node *list = spec_get_array (spec, rlimits_path (spec));
  unsigned long long ceiling = 0;
  uint64_t soft = 0;

  for (size_t i = 0; list != NULL && i < list->n; i++)
    {
      const struct json_node *rl = list->items[i];
      cleanup_free char *base = spec_ptr_index (rlimits_path (spec), i);
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
check_rlimits (const struct rule_ctx *ctx, struct findings *out)
{
  const char *types[2];
  uint64_t values[2];
  size_t n = rlimit_defaults (ctx->params, types, values);

  for (size_t i = 0; i < n; i++)
    if (!rlimit_present (ctx->spec, types[i]))
      finding_add (out, ctx, rlimits_path (ctx->spec), true, "no `%s` in %s", types[i],
                   ctx->spec->kind == SPEC_PROCESS ? "the exec process's rlimits"
                                                   : "process.rlimits");
  check_rlimit_ceilings (ctx, out);
}

static void
check_config (const struct rule_ctx *ctx, struct findings *out)
{
  struct limit limits[LIMIT_COUNT];

  resources_limits_of (ctx, limits);
  for (size_t i = 0; i < LIMIT_COUNT; i++)
    {
      check_limit_config (ctx, out, &limits[i]);
      resources_check_unified (ctx, out, &limits[i]);
    }
  check_cgroups_disabled (ctx, out, limits);
  check_cpu (ctx, out);
}

static int
rule_resource_limits_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  struct limit limits[LIMIT_COUNT];

  (void)err;
  switch (ctx->spec->kind)
    {
    case SPEC_CONFIG:
      check_config (ctx, out);
      check_rlimits (ctx, out);
      break;
    case SPEC_PROCESS:
      check_rlimits (ctx, out);
      break;
    case SPEC_RESOURCES:
      resources_limits_of (ctx, limits);
      resources_check_update (ctx, out, limits);
      break;
    }
  return 0;
}

static int
append_rlimit (struct spec *spec, const char *type, uint64_t value, ocg_error_t *err)
{
  struct json_node *rl = json_new_object ();

  json_obj_set (rl, "type", json_new_string (type));
  json_obj_set (rl, "hard", json_new_uint (value));
  json_obj_set (rl, "soft", json_new_uint (value));
  return spec_append (spec, rlimits_path (spec), rl, err);
}

static int
rewrite_rlimits (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  const char *types[2];
  uint64_t values[2];
  size_t n = rlimit_defaults (ctx->params, types, values);

  for (size_t i = 0; i < n; i++)
    if (!rlimit_present (spec, types[i]) && append_rlimit (spec, types[i], values[i], err) < 0)
      return -1;
  return clamp_rlimits (ctx, spec, err);
}

static int
inject_limit (const struct rule_ctx *ctx, struct spec *spec, const struct limit *l,
              ocg_error_t *err)
{
  cleanup_free char *path = resources_path (spec, l->member);
  cleanup_free char *unsettable = NULL;
  int64_t v = 0;

  if (l->def <= 0 || !limit_unset (spec, l, &v))
    return 0;
  unsettable = cgroup_unsettable (ctx, spec, l->controller);
  if (unsettable != NULL)
    return 0;
  return spec_set (spec, path, json_new_int (limit_injected (spec, l)), err);
}

static int
inject_cpu_shares (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  const struct resource_limits_params *p = ctx->params;
  cleanup_free char *unsettable = NULL;

  if (p->cpu_shares_default == 0 || !cpu_unset (spec))
    return 0;
  unsettable = cgroup_unsettable (ctx, spec, "cpu");
  if (unsettable != NULL)
    return 0;
  return spec_set (spec, "/linux/resources/cpu/shares", json_new_uint (p->cpu_shares_default), err);
}

static int
rewrite_config (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  struct limit limits[LIMIT_COUNT];

  resources_limits_of (ctx, limits);
  for (size_t i = 0; i < LIMIT_COUNT; i++)
    if (inject_limit (ctx, spec, &limits[i], err) < 0)
      return -1;
  if (inject_cpu_shares (ctx, spec, err) < 0)
    return -1;
  return rewrite_rlimits (ctx, spec, err);
}

static int
rule_resource_limits_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  switch (spec->kind)
    {
    case SPEC_CONFIG:
      return rewrite_config (ctx, spec, err);
    case SPEC_PROCESS:
      return rewrite_rlimits (ctx, spec, err);
    case SPEC_RESOURCES:
      return resources_rewrite_update (ctx, spec, err);
    }
  return 0;
}

const struct rule rule_resource_limits = {
  .id = "resource-limits",
  .title = "memory, pids and CPU limits and default rlimits are set",
  .cis = "5.11, 5.12, 5.19, 5.29",
  .pss = NULL,
  .hint = "set memory and pids limits within the policy maximum",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_RESOURCES) | RULE_KIND (SPEC_PROCESS),
  .check = rule_resource_limits_check,
  .rewrite = rule_resource_limits_rewrite,
  RULE_PARAMS (struct resource_limits_params, resource_limits_param_table),
};

/* oom-score-adj ----------------------------------------------------------------------------- */

/* The rule's parameters (policy file `rules.oom-score-adj`).  */
struct oom_score_adj_params
{
  int floor;
};

/* -999 lets the CRI pause container's -998 through (kubelet's sandbox value) and stops a
 * container from making itself unkillable (-1000 = OOM_SCORE_ADJ_MIN).  The bounds are
 * OOM_SCORE_ADJ_MIN .. OOM_SCORE_ADJ_MAX (include/uapi/linux/oom.h).  */
static const struct rule_param oom_score_adj_param_table[] = {
  {
      .key = "floor",
      .type = PARAM_INT,
      .offset = offsetof (struct oom_score_adj_params, floor),
      .def.number = -999,
      .min = -1000,
      .max = 1000,
  },
};

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
  int floor = ((const struct oom_score_adj_params *)ctx->params)->floor;

  (void)err;
  if (oom_below_floor (ctx->spec, floor, &v))
    finding_add (out, ctx, oom_path (ctx->spec), true,
                 "oomScoreAdj `%" PRId64 "` is below the floor `%d`", v, floor);
  return 0;
}

static int
rule_oom_score_adj_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  int64_t v = 0;
  int floor = ((const struct oom_score_adj_params *)ctx->params)->floor;

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
  RULE_PARAMS (struct oom_score_adj_params, oom_score_adj_param_table),
};
