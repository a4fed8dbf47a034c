/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The limits of the resource-limits rule (see resources_limits.h).  Must not: do I/O.  */
#include <config.h>

#include "resources_limits.h"
#include "spec.h"
#include "util.h"

void
resources_limits_of (const struct rule_ctx *ctx, struct limit out[LIMIT_COUNT])
{
  const struct resource_limits_params *p = ctx->params;

  out[LIMIT_MEMORY] = (struct limit){ .name = "memory",
                                      .controller = "memory",
                                      .member = "/memory/limit",
                                      .unified_key = "memory.max",
                                      .cap_member = "/memory/swap",
                                      .suffixes = true,
                                      .def = p->memory_default,
                                      .max = p->memory_max,
                                      .host = ctx->host->memory_total,
                                      .host_what = "the host's memory (MemTotal)" };
  out[LIMIT_PIDS] = (struct limit){ .name = "pids",
                                    .controller = "pids",
                                    .member = "/pids/limit",
                                    .unified_key = "pids.max",
                                    .cap_member = NULL,
                                    .suffixes = false,
                                    .def = p->pids_default,
                                    .max = p->pids_max,
                                    .host = ctx->host->pid_max,
                                    .host_what = "the host's kernel.pid_max" };
}

/* Where LinuxResources lives in the judged document.  */
static const char *
resources_base (const struct spec *spec)
{
  return spec->kind == SPEC_RESOURCES ? "" : "/linux/resources";
}

char *
resources_path (const struct spec *spec, const char *member)
{
  return xasprintf ("%s%s", resources_base (spec), member);
}
