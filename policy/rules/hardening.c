/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rules that inject the engines' default protections when they are missing:
 *   `masked-paths`       the default linux.maskedPaths / linux.readonlyPaths (PSS procMount);
 *   `seccomp`            a confining seccomp filter (CIS Docker 1.6.0 5.22, PSS seccompProfile);
 *   `no-new-privileges`  process.noNewPrivileges (CIS 5.26, PSS allowPrivilegeEscalation).
 * Must not: do I/O.  The seccomp profile is parsed once by the policy (params->seccomp_profile);
 * here it is only specialised for this container.  */
#include <config.h>

#include <seccomp.h> /* libseccomp's <seccomp.h>: seccomp_arch_native () */

#include "ruleutil.h"
#include "seccomp.h"
#include "util.h"

/* ---- masked-paths ---- */

static void
masked_check_one (const struct rule_ctx *ctx, struct findings *out, const char *ptr,
                  const char *const *want, const char *what)
{
  size_t n = 0;
  cleanup_free const char **missing = ruleutil_missing_strings (ctx->spec, ptr, want, &n);
  cleanup_free char *list = NULL;

  if (n == 0)
    return;
  list = ruleutil_join_quoted (missing, n);
  finding_add (out, ctx, ptr, true, "%s paths missing: %s", what, list);
}

static int
rule_masked_paths_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  masked_check_one (ctx, out, "/linux/maskedPaths", ruleutil_default_masked_paths, "masked");
  masked_check_one (ctx, out, "/linux/readonlyPaths", ruleutil_default_readonly_paths, "read-only");
  return 0;
}

static int
masked_fix_one (struct spec *spec, const char *ptr, const char *const *want, ocg_error_t *err)
{
  size_t n = 0;
  cleanup_free const char **missing = ruleutil_missing_strings (spec, ptr, want, &n);

  return n ? ruleutil_append_strings (spec, ptr, missing, n, err) : 0;
}

/* Append what is missing; keep what the engine added (podman masks more, e.g. /proc/interrupts
 * in newer Docker).  */
static int
rule_masked_paths_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  if (masked_fix_one (spec, "/linux/maskedPaths", ruleutil_default_masked_paths, err) < 0)
    return -1;
  return masked_fix_one (spec, "/linux/readonlyPaths", ruleutil_default_readonly_paths, err);
}

const struct rule rule_masked_paths = {
  .id = "masked-paths",
  .title = "kernel interfaces under /proc and /sys are masked or read-only",
  .cis = NULL,
  .pss = "procMount",
  .hint = "keep the engine's default masked paths (no --security-opt systempaths=unconfined)",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_masked_paths_check,
  .rewrite = rule_masked_paths_rewrite,
};

/* ---- seccomp ---- */

/* The policy's profile specialised like moby's setupSeccomp does it: for the container's final
 * bounding set (the capabilities rule ran before this one), the native architecture (libseccomp's
 * build architecture, which is also what runc's and crun's libseccomp use) and the running
 * kernel.  A new tree, or NULL.  */
static struct json_node *
seccomp_wanted (const struct rule_ctx *ctx, const struct spec *spec, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (spec, "/capabilities/bounding");
  size_t n_caps = 0;
  cleanup_free const char **caps = spec_get_strv (spec, ptr, &n_caps);

  if (ctx->params->seccomp_profile == NULL)
    return ocg_error_set (err, 0, "seccomp profile `%s` is not loaded",
                          ctx->params->seccomp_profile_name ? ctx->params->seccomp_profile_name
                                                            : "default"),
           NULL;
  return seccomp_specialise (ctx->params->seccomp_profile, caps, n_caps, seccomp_arch_native (),
                             ctx->host->kernel_major, ctx->host->kernel_minor, err);
}

/* A profile that is not restrictive on its own may still be exactly the policy's own profile
 * specialised for capabilities the policy allows (CAP_SYS_ADMIN unlocks bpf, mount, ...): that
 * is the policy's choice, and judging it again would make the rewrite fail its own re-check.  */
static int
seccomp_acceptable (const struct rule_ctx *ctx, const struct json_node *current, bool *ok,
                    ocg_error_t *err)
{
  cleanup_json struct json_node *wanted = NULL;

  *ok = seccomp_is_restrictive (current);
  if (*ok || current == NULL || ctx->params->seccomp_profile == NULL)
    return 0;
  wanted = seccomp_wanted (ctx, ctx->spec, err);
  if (wanted == NULL)
    return -1;
  *ok = json_equal (current, wanted);
  return 0;
}

static int
rule_seccomp_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const struct json_node *current = spec_get_object (ctx->spec, "/linux/seccomp");
  const char *action = NULL;
  const char *listener = NULL;
  bool ok = false;

  /* runc and crun connect to listenerPath on the host, as root, and hand whoever listens there
   * the container's seccomp notify fd and its state: the listener then decides the container's
   * syscalls.  Any host socket would be dialled; no rewrite can tell a trusted agent apart.  */
  if (spec_get_string (ctx->spec, "/linux/seccomp/listenerPath", &listener) && listener[0] != '\0')
    {
      cleanup_free char *shown = json_quote_key (listener);
      finding_add (out, ctx, "/linux/seccomp/listenerPath", false,
                   "seccomp listenerPath `%s` hands the container's syscalls to a host socket",
                   shown);
    }
  if (seccomp_acceptable (ctx, current, &ok, err) < 0)
    return -1;
  if (ok)
    return 0;
  if (current == NULL)
    finding_add (out, ctx, "/linux/seccomp", true, "no seccomp profile");
  else
    {
      if (!spec_get_string (ctx->spec, "/linux/seccomp/defaultAction", &action))
        action = "?";
      finding_add (out, ctx, "/linux/seccomp", true,
                   "seccomp profile does not confine the container (defaultAction `%s`, or an "
                   "escape syscall allowed)",
                   action);
    }
  return 0;
}

static int
rule_seccomp_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  struct json_node *oci = seccomp_wanted (ctx, spec, err);

  if (oci == NULL)
    return -1;
  return spec_set (spec, "/linux/seccomp", oci, err);
}

const struct rule rule_seccomp = {
  .id = "seccomp",
  .title = "a confining seccomp profile is applied",
  .cis = "5.22",
  .pss = "seccompProfile",
  .hint = "do not run with --security-opt seccomp=unconfined",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_seccomp_check,
  .rewrite = rule_seccomp_rewrite,
};

/* ---- no-new-privileges ---- */

static int
rule_no_new_privileges_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (ctx->spec, "/noNewPrivileges");
  bool nnp = false;

  if (!spec_get_bool (ctx->spec, ptr, &nnp) || !nnp)
    finding_add (out, ctx, ptr, true, "process may gain privileges (noNewPrivileges is not set)");
  return 0;
}

static int
rule_no_new_privileges_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (spec, "/noNewPrivileges");

  return spec_set (spec, ptr, json_new_bool (true), err);
}

/* Also for exec: runc 1.1.5 takes noNewPrivileges of an `exec --process` document as given (it
 * does not inherit the container's), and Docker's process.json never sets it.  */
const struct rule rule_no_new_privileges = {
  .id = "no-new-privileges",
  .title = "processes cannot gain privileges through setuid binaries or file capabilities",
  .cis = "5.26",
  .pss = "allowPrivilegeEscalation",
  .hint = "run with --security-opt no-new-privileges",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_no_new_privileges_check,
  .rewrite = rule_no_new_privileges_rewrite,
};
