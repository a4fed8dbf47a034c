/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule `capabilities` (CIS Docker 1.6.0 5.4; PSS capabilities_baseline / capabilities_restricted).
 *
 * Judges the union of all five sets (bounding, effective, permitted, inheritable, ambient) as the
 * runtime will apply them (ruleutil_cap_parse): a capability on the policy's denylist denies; one
 * outside the allowlist is dropped by the rewrite; inheritable and ambient must be empty
 * (CVE-2022-24769: a non-empty inheritable set let a file capability of an exec'd binary raise
 * its permitted set, GHSA-f3fp-gc8g-vw66); a name no runtime understands is not a grant -- runc
 * 1.1.5 warns "ignoring unknown or unavailable capabilities" and skips it -- so it only yields a
 * fixable finding that removes the noise.  Applies to `exec --process` documents too, where
 * `docker exec --privileged` asks for every capability (CIS 5.23).
 * Must not: do I/O.  */
#include <config.h>

#include <stdbool.h>
#include <stddef.h>

#include "ruleutil.h"
#include "util.h"

/* The rule's parameters (policy file `rules.capabilities`).  */
struct capabilities_params
{
  char **allow; /* the allowlist */
  char **deny;  /* always denied, allowed or not */
};

/* Capabilities that break the container boundary on their own (denied, not silently dropped):
 * SYS_ADMIN (mount, most namespace and device operations), SYS_MODULE (load kernel code),
 * SYS_PTRACE (inject into any process the container can see; with a shared pid namespace, the
 * host's), SYS_RAWIO (iopl/ioperm, /dev/mem), BPF and PERFMON (kernel memory and tracing),
 * NET_ADMIN (the host's network when combined with host networking; iptables, interfaces),
 * DAC_READ_SEARCH (open_by_handle_at: the "shocker" escape), SYS_BOOT (reboot the host when in the
 * initial pid namespace; kexec_load), SYS_TIME (the clock is not namespaced), MAC_ADMIN and
 * MAC_OVERRIDE (change or bypass the LSM policy), SYSLOG (kernel log and kptr_restrict-protected
 * addresses), AUDIT_CONTROL (the audit subsystem is host-wide: it can switch off the host's
 * auditing).  Deliberately NOT here, only dropped by the allowlist: SYS_RESOURCE,
 * LINUX_IMMUTABLE, CHECKPOINT_RESTORE, SYS_NICE, IPC_LOCK and the rest -- they weaken resource or
 * file-attribute controls inside what the container can already touch, and some real workloads
 * ask for them (databases: IPC_LOCK/SYS_NICE; CRIU: CHECKPOINT_RESTORE).  */
static const char *const capabilities_default_deny[] = {
  "CAP_SYS_ADMIN", "CAP_SYS_MODULE",   "CAP_SYS_PTRACE",      "CAP_SYS_RAWIO",     "CAP_BPF",
  "CAP_PERFMON",   "CAP_NET_ADMIN",    "CAP_DAC_READ_SEARCH", "CAP_SYS_BOOT",      "CAP_SYS_TIME",
  "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_SYSLOG",          "CAP_AUDIT_CONTROL", NULL,
};

static const struct rule_param capabilities_param_table[] = {
  {
      .key = "allow",
      .type = PARAM_CAPS,
      .offset = offsetof (struct capabilities_params, allow),
      .def.list = ruleutil_docker_default_caps,
  },
  {
      .key = "deny",
      .type = PARAM_CAPS,
      .offset = offsetof (struct capabilities_params, deny),
      .def.list = capabilities_default_deny,
  },
};

static capmask_t
capabilities_allow (const struct rule_ctx *ctx)
{
  const struct capabilities_params *p = ctx->params;

  return ruleutil_caps_from_names (ctx->host, (const char *const *)p->allow);
}

static capmask_t
capabilities_deny (const struct rule_ctx *ctx)
{
  const struct capabilities_params *p = ctx->params;

  return ruleutil_caps_from_names (ctx->host, (const char *const *)p->deny);
}

/* The unknown names a finding quotes: enough to fix the config, and a bound on the work per
 * element (each name is compared with at most this many).  */
#define CAPABILITIES_SHOWN 8

/* Names in any set that no runtime grants: the first CAPABILITIES_SHOWN distinct ones in *shown
 * (borrowed pointers, NULL-terminated), *more when there are others, the number of unknown
 * entries in all sets returned.  */
static size_t
capabilities_ignored (const struct rule_ctx *ctx, const char **shown, size_t *n_shown, bool *more)
{
  size_t total = 0;

  *n_shown = 0;
  shown[0] = NULL;
  for (int set = 0; set < RULEUTIL_CAPSET_COUNT; set++)
    {
      cleanup_free char *suffix
          = xasprintf ("/capabilities/%s", ruleutil_capset_name ((enum ruleutil_capset)set));
      cleanup_free char *ptr = ruleutil_process_ptr (ctx->spec, suffix);
      const struct json_node *names = spec_get_array (ctx->spec, ptr);

      for (size_t i = 0; names != NULL && i < names->n; i++)
        {
          const char *name = names->items[i]->type == JSON_STRING ? names->items[i]->text : NULL;
          if (name == NULL || ruleutil_cap_parse (ctx->host, name) >= 0)
            continue;
          total++;
          if (strv_contains (shown, name))
            continue;
          if (*n_shown == CAPABILITIES_SHOWN)
            *more = true;
          else
            {
              shown[(*n_shown)++] = name;
              shown[*n_shown] = NULL;
            }
        }
    }
  return total;
}

static void
capabilities_check_ignored (const struct rule_ctx *ctx, const char *path, struct findings *out)
{
  const char *shown[CAPABILITIES_SHOWN + 1];
  size_t n = 0;
  bool more = false;
  size_t total = capabilities_ignored (ctx, shown, &n, &more);
  cleanup_free char *list = NULL;

  if (total == 0)
    return;
  list = ruleutil_join_quoted (shown, n);
  finding_add (out, ctx, path, true,
               "%zu unknown capability names (%s%s) are ignored by the runtime (runc warns and "
               "skips them)",
               total, list, more ? ", ..." : "");
}

static int
rule_capabilities_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  capmask_t deny = capabilities_deny (ctx);
  capmask_t allow = capabilities_allow (ctx) & ~deny;
  capmask_t granted = ruleutil_caps_granted (ctx->spec, ctx->host);
  capmask_t inherit = ruleutil_caps_in_set (ctx->spec, ctx->host, RULEUTIL_CAP_INHERITABLE)
                      | ruleutil_caps_in_set (ctx->spec, ctx->host, RULEUTIL_CAP_AMBIENT);
  cleanup_free char *path = ruleutil_process_ptr (ctx->spec, "/capabilities");
  cleanup_free char *denied = ruleutil_caps_describe (granted & deny);
  cleanup_free char *extra = ruleutil_caps_describe (granted & ~allow & ~deny);
  cleanup_free char *inh = ruleutil_caps_describe (inherit & allow);

  (void)err;
  if (granted & deny)
    finding_add (out, ctx, path, false, "denied capabilities %s", denied);
  if (granted & ~allow & ~deny)
    finding_add (out, ctx, path, true, "capabilities outside the allowlist %s", extra);
  if (inherit & allow)
    finding_add (out, ctx, path, true,
                 "inheritable or ambient capabilities %s (must be empty, CVE-2022-24769)", inh);
  capabilities_check_ignored (ctx, path, out);
  return 0;
}

/* Keep the allowed capabilities in bounding/effective/permitted, empty inheritable and ambient,
 * drop names no runtime understands.  */
static int
rule_capabilities_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  capmask_t allow = capabilities_allow (ctx) & ~capabilities_deny (ctx);

  for (int s = 0; s < RULEUTIL_CAPSET_COUNT; s++)
    {
      enum ruleutil_capset set = (enum ruleutil_capset)s;
      bool empty = set == RULEUTIL_CAP_INHERITABLE || set == RULEUTIL_CAP_AMBIENT;

      if (ruleutil_caps_filter (spec, ctx->host, set, empty ? 0 : allow, err) < 0)
        return -1;
    }
  return 0;
}

const struct rule rule_capabilities = {
  .id = "capabilities",
  .title = "capabilities restricted to the allowlist",
  .cis = "5.4",
  .pss = "capabilities",
  .hint = "drop --cap-add of the denied capabilities",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_capabilities_check,
  .rewrite = rule_capabilities_rewrite,
  RULE_PARAMS (struct capabilities_params, capabilities_param_table),
  RULE_READS ("/process/capabilities"),
};
