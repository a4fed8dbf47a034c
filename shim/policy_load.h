/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which policy applies to this invocation.
 *
 * Owns: the precedence of the settings that choose the policy: the file (--ocigate-policy,
 * OCIGATE_POLICY, the default file, or the built-in profiles when none exists), the profile
 * (--ocigate-profile, the invoked name `ocigate-<profile>`, the file's `profile`, "baseline"),
 * the exemptions that match this container, --ocigate-mode, the audit destination
 * (--ocigate-audit-log, OCIGATE_AUDIT_LOG, the file's `audit_log`, the built-in default), the
 * runtime named by the file, and the `ocigate policy` command line.
 * Must not: judge anything.
 *
 * The invoked name selects a profile, never a file: one file (plus its drop-ins) is the one place
 * an operator reads to know what runs on the node, and every runtime call -- whatever name the
 * engine used -- must find the same `runtime` in it.  */
#ifndef OCG_POLICY_LOAD_H
#define OCG_POLICY_LOAD_H

#include "argv.h"
#include "err.h"
#include "policy.h"
#include "runtime.h"
#include "spec.h"

/* The profile selected by the invoked name: "ocigate-restricted" -> "restricted"; NULL for any
 * other name (ocigate, runc, ...).  Returns a pointer into argv0.  */
const char *policy_profile_from_name (const char *argv0);

/* Resolve and load the effective policy for this invocation and this document, with the
 * matching exemptions applied and --ocigate-mode on top.  Annotation conditions look at the
 * document's annotations (create, run, check); for exec and update, whose documents have none,
 * at the annotations the runtime recorded for the container at create time (runc's
 * <root>/<id>/state.json labels, crun's <root>/<id>/config.json), read only when root-owned; `rt`
 * says which runtime (NULL: none).  Without annotations, annotation conditions never match.
 * *audit_path gets a malloc'd path, *exemptions the names of the exemptions applied (malloc'd,
 * NULL-terminated, NULL when none).  */
int policy_load_for (const struct runc_invocation *inv, const char *name_profile,
                     const struct spec *spec, const struct runtime *rt, struct policy **out,
                     char **audit_path, char ***exemptions, ocg_error_t *err);

/* Where this invocation's audit records go: --ocigate-audit-log, OCIGATE_AUDIT_LOG, the policy's
 * `audit_log`, or OCG_DEFAULT_AUDIT_LOG.  malloc'd.  */
char *policy_load_audit_log (const struct runc_invocation *inv, const struct policy *policy);

/* The policy file's `runtime` for runtime_resolve(), or NULL in *runtime.  Reads nothing when
 * --ocigate-runtime or OCIGATE_RUNTIME decides anyway, or when no policy file exists.  */
int policy_load_runtime (const struct runc_invocation *inv, char **runtime, ocg_error_t *err);

/* `ocigate policy show [--profile P] [FILE]` and `ocigate policy validate [FILE]`; argv starts
 * after "policy".  FILE defaults to --ocigate-policy, then OCIGATE_POLICY, then the default;
 * the profile to --ocigate-profile, then the invoked name, then the file's.  Returns the exit
 * status: 0 ok, 1 invalid policy (the reason on stderr), 2 usage.  */
int policy_load_command (const struct runc_invocation *inv, const char *name_profile, int argc,
                         char **argv);

#endif
