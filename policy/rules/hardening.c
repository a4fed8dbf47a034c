/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rules that inject the engines' default protections when they are missing:
 *   `masked-paths`       the default linux.maskedPaths / linux.readonlyPaths (PSS procMount);
 *   `seccomp`            a confining seccomp filter (CIS Docker 1.6.0 5.22, PSS seccompProfile);
 *   `no-new-privileges`  process.noNewPrivileges (CIS 5.26, PSS allowPrivilegeEscalation).
 * Must not: do I/O.  The seccomp profile is the policy's (the `profile` parameter); what the rule
 * does with a container's own profile -- the policy's specialised for this container and merged
 * with it (seccomp_merge_oci): a rewrite adds restrictions, it never replaces one -- is its plan
 * (seccomp_plan.h), remembered within the process and across calls.  */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ruleutil.h"
#include "seccomp_plan.h"
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
  (void)err;
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
  (void)ctx;
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

/* native_arch_only: moby's default profile filters the native architecture and its
 * sub-architectures (archMap: x86_64 -> x86, x32), so a container may make 32-bit system calls
 * (int 0x80 on x86_64), each checked against a filter section of its own.  Dropping those
 * sections makes every 32-bit system call fail -- libseccomp answers a system call of an
 * architecture the filter does not list with its bad-architecture action, by default kill, which
 * neither runc nor crun changes: the process dies of SIGSYS -- which closes the 32-bit entry
 * points' kernel surface (the compat system call table) and makes the filter the
 * runtime compiles at every container start about a third of the size (runc 1.1.5
 * libcontainer/seccomp/seccomp_linux.go InitSeccomp adds every listed architecture to the
 * libseccomp filter).  Off by default: a container of 32-bit binaries (a multilib image, an
 * i386 userland) stops working; `restricted` turns it on.  Only what the policy injects is
 * restricted: a container's own confining profile keeps its architectures (the seccomp rule
 * then only tightens its host-global system calls).  */
static const struct rule_param seccomp_param_table[] = {
  {
      .key = "profile",
      .type = PARAM_SECCOMP,
      .offset = offsetof (struct seccomp_rule_params, profile),
      .def.text = "default",
  },
  {
      .key = "native_arch_only",
      .type = PARAM_BOOL,
      .offset = offsetof (struct seccomp_rule_params, native_arch_only),
      .def.number = false,
  },
};

static void
seccomp_listener_check (const struct rule_ctx *ctx, struct findings *out)
{
  const char *listener = NULL;

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
}

static void
seccomp_report (const struct rule_ctx *ctx, struct findings *out, const struct seccomp_plan *plan)
{
  const char *action = "?";
  cleanup_free char *names = NULL;

  spec_get_string (ctx->spec, "/linux/seccomp/defaultAction", &action);
  if (plan->refused != NULL)
    finding_add (out, ctx, "/linux/seccomp", false,
                 "the container's seccomp profile cannot be kept under the policy's (%s)",
                 plan->refused);
  else if (plan->merged.oci == NULL)
    return;
  else if (plan->current == NULL)
    finding_add (out, ctx, "/linux/seccomp", true, "no seccomp profile");
  else if (!plan->confines)
    finding_add (out, ctx, "/linux/seccomp", true,
                 "seccomp profile does not confine the container (defaultAction `%s`, or an "
                 "escape syscall allowed): the policy's profile is added, keeping every "
                 "restriction of its own",
                 action);
  else
    {
      const char *const *tightened = (const char *const *)plan->merged.tightened;

      names = ruleutil_join_quoted (tightened, strv_length (tightened));
      finding_add (out, ctx, "/linux/seccomp", true,
                   "seccomp profile allows %s, which reach state the host shares (keyrings, "
                   "user namespaces, BPF, perf events, userfaultfd): they get the policy's answer",
                   names);
    }
}

static int
rule_seccomp_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  struct seccomp_plan plan;

  seccomp_listener_check (ctx, out);
  if (seccomp_plan_make (ctx, ctx->spec, &plan, err) < 0)
    return -1;
  seccomp_report (ctx, out, &plan);
  seccomp_plan_release (&plan);
  return 0;
}

static int
rule_seccomp_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  struct seccomp_plan plan;
  int ret = 0;

  if (seccomp_plan_make (ctx, spec, &plan, err) < 0)
    return -1;
  if (plan.refused == NULL && plan.merged.oci != NULL)
    ret = spec_set (spec, "/linux/seccomp", steal_pointer (&plan.merged.oci), err);
  seccomp_plan_release (&plan);
  return ret;
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
  RULE_PARAMS (struct seccomp_rule_params, seccomp_param_table),
  /* The profile and the bounding set it is specialised for.  */
  RULE_READS ("/linux/seccomp", "/process/capabilities"),
};

/* ---- no-new-privileges ---- */

static int
rule_no_new_privileges_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (ctx->spec, "/noNewPrivileges");
  bool nnp = false;

  (void)err;
  if (!spec_get_bool (ctx->spec, ptr, &nnp) || !nnp)
    finding_add (out, ctx, ptr, true, "process may gain privileges (noNewPrivileges is not set)");
  return 0;
}

static int
rule_no_new_privileges_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (spec, "/noNewPrivileges");

  (void)ctx;
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
