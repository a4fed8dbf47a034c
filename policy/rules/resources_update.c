/* SPDX-License-Identifier: GPL-2.0-or-later */
/* resource-limits: the LinuxResources document of `runc update --resources FILE|-`, judged as
 * the runtime that receives it applies it.
 *
 * runc 1.1.5 (update.go) decodes the document into a LinuxResources whose memory, cpu, blockIO
 * and pids members are pre-filled with 0 and "", then copies exactly these into the container's
 * cgroup configuration: memory.limit, .reservation, .swap; cpu.shares, .quota, .period,
 * .realtimeRuntime, .realtimePeriod, .cpus, .mems; blockIO.weight; pids.limit; unified.  Its
 * cgroup managers skip a 0 or "" (libcontainer/cgroups/fs/memory.go setMemoryAndSwap, cpu.go,
 * cpuset.go, blkio.go, pids.go; fs2 the same): 0 leaves the value as it was.  Everything else
 * in the document is ignored -- devices (update sets SkipDevices), hugepageLimits, network,
 * rdma, memory.kernel and .kernelTCP (only warned about), swappiness, disableOOMKiller, ...
 *
 * crun 1.8.1 (libcrun_container_update, cgroup-resources.c update_cgroup_v1_resources) writes
 * every member that is present, 0 included, and most of the members runc ignores:
 * `memory.limit: 0` goes into memory.limit_in_bytes (the kernel answers EBUSY, and the update
 * fails), the devices list is rewritten.  Docker (daemon/update_linux.go toContainerdResources)
 * and the CRI (UpdateContainerResources) send 0 for every limit they do not set.
 *
 * So the two are made to agree in the safe direction: the document handed on keeps only the
 * members runc applies, without their zeros.  runc then does exactly what it would have done,
 * and crun leaves unchanged what runc leaves unchanged.  The removals are a rewrite, recorded as
 * a JSON Patch in the audit trail.  What remains is judged: -1 lifts a limit, and a limit above
 * the policy maximum or above what the host has is no limit.  */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "resources_limits.h"
#include "spec.h"
#include "util.h"

/* The members runc's update.go copies into the cgroup configuration, per section.  */
static const char *const applied_memory[] = { "limit", "reservation", "swap", NULL };
static const char *const applied_cpu[] = {
  "shares", "quota", "period", "realtimeRuntime", "realtimePeriod", "cpus", "mems", NULL,
};
static const char *const applied_blockio[] = { "weight", NULL };
static const char *const applied_pids[] = { "limit", NULL };

static const struct
{
  const char *section;
  const char *const *members;
} applied[] = {
  { "memory", applied_memory },
  { "cpu", applied_cpu },
  { "blockIO", applied_blockio },
  { "pids", applied_pids },
};

/* The members runc applies in `section`, or NULL for a section it ignores.  "unified" is
 * applied whole.  */
static const char *const *
applied_members (const char *section)
{
  for (size_t i = 0; i < ARRAY_SIZE (applied); i++)
    if (str_eq (applied[i].section, section))
      return applied[i].members;
  return NULL;
}

/* runc's "leave unchanged": a number 0 or an empty string.  */
static bool
value_unchanged (const struct json_node *v)
{
  int64_t i = 0;
  uint64_t u = 0;

  if (v->type == JSON_STRING)
    return v->text[0] == '\0';
  return (json_number_i64 (v, &i) && i == 0) || (json_number_u64 (v, &u) && u == 0);
}

static bool
member_kept (const char *const *members, const char *key, const struct json_node *v)
{
  for (size_t i = 0; members[i] != NULL; i++)
    if (str_eq (members[i], key))
      return !value_unchanged (v);
  return false;
}

/* Append "/section/key" (or "/section" when nothing of it stays) for every member dropped.  */
static void
collect_section (const char *section, const struct json_node *obj, strv_t *drops, size_t *n)
{
  const char *const *members = applied_members (section);
  cleanup_free char *base = spec_ptr_join ("", section);
  size_t first = *n;
  size_t kept = 0;

  for (size_t i = 0; members != NULL && obj->type == JSON_OBJECT && i < obj->n; i++)
    {
      if (member_kept (members, obj->keys[i], obj->items[i]))
        {
          kept++;
          continue;
        }
      *drops = xreallocarray (*drops, *n + 2, sizeof (char *));
      (*drops)[(*n)++] = spec_ptr_join (base, obj->keys[i]);
    }
  if (kept > 0)
    return;
  /* Nothing of the section stays: drop it whole (crun's parser also wants pids.limit).  */
  for (size_t i = first; i < *n; i++)
    free ((*drops)[i]);
  *n = first;
  *drops = xreallocarray (*drops, *n + 2, sizeof (char *));
  (*drops)[(*n)++] = steal_pointer (&base);
}

/* The JSON Pointers of every member to drop, in document order; NULL-terminated, or NULL.  */
static strv_t
update_drops (const struct spec *spec, size_t *count)
{
  const struct json_node *root = spec->root;
  strv_t drops = NULL;
  size_t n = 0;

  for (size_t i = 0; i < root->n; i++)
    if (!str_eq (root->keys[i], "unified"))
      collect_section (root->keys[i], root->items[i], &drops, &n);
  if (drops != NULL)
    drops[n] = NULL;
  *count = n;
  return drops;
}

static void
check_drops (const struct rule_ctx *ctx, struct findings *out)
{
  size_t n = 0;
  strv_t drops = update_drops (ctx->spec, &n);
  cleanup_free char *shown = NULL;

  if (n == 0)
    return;
  for (size_t i = 0; i < n && i < 4; i++)
    {
      char *next = xasprintf ("%s%s`%s`", shown ? shown : "", shown ? ", " : "", drops[i]);
      free (shown);
      shown = next;
    }
  finding_add (out, ctx, drops[0], true,
               "update members runc leaves unchanged (0, \"\", or not applied by runc update) are "
               "dropped so that crun leaves them unchanged too: %s%s",
               shown, n > 4 ? " and more" : "");
  strv_free (drops);
}

/* -1 (and any negative value: runc writes "max" for it, fs/pids.go) lifts the limit; above the
 * policy maximum or what the host has, the new value limits nothing.  0 was dropped above.  */
static void
check_limit (const struct rule_ctx *ctx, struct findings *out, const struct limit *l)
{
  cleanup_free char *path = resources_path (ctx->spec, l->member);
  int64_t v = 0;

  if (!spec_get_i64 (ctx->spec, path, &v) || v == 0 || !resources_limit_configured (l))
    return;
  if (v < 0)
    finding_add (out, ctx, path, false, "update sets the %s limit to `%" PRId64 "`, removing it",
                 l->name, v);
  else if (l->max > 0 && v > l->max)
    finding_add (out, ctx, path, false,
                 "update raises the %s limit to `%" PRId64 "`, above the policy maximum `%" PRId64
                 "`",
                 l->name, v, l->max);
  else if (l->host > 0 && (uint64_t)v > l->host)
    finding_add (out, ctx, path, false,
                 "update sets the %s limit to `%" PRId64 "`, above %s (%" PRIu64 "): not a limit",
                 l->name, v, l->host_what, l->host);
}

void
resources_check_update (const struct rule_ctx *ctx, struct findings *out,
                        const struct limit limits[LIMIT_COUNT])
{
  check_drops (ctx, out);
  for (size_t i = 0; i < LIMIT_COUNT; i++)
    {
      check_limit (ctx, out, &limits[i]);
      resources_check_unified (ctx, out, &limits[i]);
    }
}

int
resources_rewrite_update (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  size_t n = 0;
  strv_t drops = update_drops (spec, &n);

  (void)ctx;
  (void)err;
  for (size_t i = 0; i < n; i++)
    spec_remove (spec, drops[i]);
  strv_free (drops);
  return 0;
}
