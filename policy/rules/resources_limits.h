/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The limits of the resource-limits rule as the policy and the host set them, and where
 * LinuxResources lives in a document (resources_limits.c): the floor its other files stand on --
 * resources.c (the rule, config.json and exec process documents), resources_update.c (`runc
 * update --resources` documents) and resources_unified.c (cgroup v2 `unified` values).  Not for
 * other rules.  */
#ifndef OCG_RESOURCES_LIMITS_H
#define OCG_RESOURCES_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

/* The rule's parameters (policy file `rules.resource-limits`; declared in resources.c).  0 means
 * "none configured".  */
struct resource_limits_params
{
  int64_t memory_default; /* bytes */
  int64_t memory_max;
  int64_t pids_default;
  int64_t pids_max;
  uint64_t cpu_shares_default;
  uint64_t nofile_default; /* RLIMIT_NOFILE soft = hard */
  uint64_t nproc_default;
  bool mandatory; /* deny, rather than note, a limit the runtime cannot set (rootless) */
};

/* One cgroup limit that must exist and stay under the policy maximum and what the host has.  */
struct limit
{
  const char *name;        /* for messages */
  const char *controller;  /* the cgroup v1 controller that holds it */
  const char *member;      /* pointer below the LinuxResources root */
  const char *unified_key; /* the cgroup v2 file that overrides it through `unified` */
  const char *cap_member;  /* a member that must not end up below the injected value, or NULL */
  bool suffixes;           /* the kernel parses that file with memparse (K, M, G, ...) */
  int64_t def;
  int64_t max;
  uint64_t host;         /* what the host has (MemTotal, kernel.pid_max); 0 when unknown */
  const char *host_what; /* how the host bound is named in messages */
};

enum
{
  LIMIT_MEMORY,
  LIMIT_PIDS,
  LIMIT_COUNT,
};

/* The memory and pids limits of the policy (ctx->params) on this host.  */
void resources_limits_of (const struct rule_ctx *ctx, struct limit out[LIMIT_COUNT]);

/* Does the policy configure limit l at all (a default or a maximum)?  */
static inline bool
resources_limit_configured (const struct limit *l)
{
  return l->def > 0 || l->max > 0;
}

/* "<base><member>" where base is where LinuxResources lives in the judged document.  malloc'd.  */
char *resources_path (const struct spec *spec, const char *member);

/* cgroup v2 `unified` overrides of l (resources_unified.c).  */
void resources_check_unified (const struct rule_ctx *ctx, struct findings *out,
                              const struct limit *l);

/* `runc update --resources` documents (resources_update.c).  */
void resources_check_update (const struct rule_ctx *ctx, struct findings *out,
                             const struct limit limits[LIMIT_COUNT]);
OCG_MUST_CHECK
int resources_rewrite_update (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err);

#endif
