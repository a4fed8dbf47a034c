/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which policy applies to this invocation.
 *
 * Owns: the precedence of the settings that choose the policy: the file (--ocigate-policy,
 * OCIGATE_POLICY, the default file, or the built-in profiles when none exists), the profile
 * (--ocigate-profile, the invoked name `ocigate-<profile>`, the file's `profile`, "baseline"),
 * the exemptions that match this container, --ocigate-mode, the audit destination
 * (--ocigate-audit-log, OCIGATE_AUDIT_LOG, the file's `audit_log`, the built-in default), and
 * what `ocigate policy validate` checks beyond the files (cmd/policy_command.c).  The verbs that do
 * not judge never come here (see passthrough.h). Must not: judge anything.
 *
 * The invoked name selects a profile, never a file: one file (plus its drop-ins) is the one place
 * an operator reads to know what runs on the node, and every runtime call -- whatever name the
 * engine used -- must find the same `runtime` in it.  */
#ifndef OCG_POLICY_LOAD_H
#define OCG_POLICY_LOAD_H

#include <stdio.h>

#include "argv.h"
#include "err.h"
#include "policy.h"
#include "policy_file.h"
#include "runtime.h"
#include "spec.h"

/* The profile selected by the invoked name: "ocigate-restricted" -> "restricted"; NULL for any
 * other name (ocigate, runc, ...).  Returns a pointer into argv0.  */
const char *policy_profile_from_name (const char *argv0);

/* The policy files, located, checked and validated (policy_file_load); the error names
 * file:line:column.  Every verb that judges loads them exactly once.  */
OCG_MUST_CHECK
struct policy_file *policy_load_file (const struct runc_invocation *inv, ocg_error_t *err);

/* The effective policy of the profile selected for this invocation, with --ocigate-mode on top,
 * before any exemption: what the mode is, and which runtime and audit log the file names.
 * *audit_path gets a malloc'd path.  */
OCG_MUST_CHECK
int policy_load_profile (const struct runc_invocation *inv, const char *name_profile,
                         const struct policy_file *pf, struct policy **out, char **audit_path,
                         ocg_error_t *err);

/* Apply the exemptions that match this container.  Annotation conditions look at `annotations`:
 * the document's (create, run, check), or for exec and update, whose documents have none, the
 * ones the runtime recorded for the container at create time (state.h state_annotations).
 * Without annotations (NULL), annotation conditions never match: when an exemption matches on
 * annotations and `unread` says why they could not be read, *note gets that (malloc'd), for the
 * audit record.  *exemptions gets the names of the exemptions applied (malloc'd,
 * NULL-terminated, NULL when none).  */
void policy_load_exempt (const struct runc_invocation *inv, const char *name_profile,
                         const struct policy_file *pf, const struct json_node *annotations,
                         const char *unread, struct policy *policy, char ***exemptions,
                         char **note);

/* The three above in one, for `ocigate check`.  */
OCG_MUST_CHECK
int policy_load_for (const struct runc_invocation *inv, const char *name_profile,
                     const struct spec *spec, struct policy **out, char **audit_path,
                     char ***exemptions, ocg_error_t *err);

/* `ocigate policy validate [FILE]`: the files (FILE, or the usual search when NULL), every
 * profile, the profile selected by --ocigate-profile or the invoked name, and the runtime ocigate
 * would exec.  Errors and warnings go to `diag`, the summary to `out`; -1 when anything failed.  */
OCG_MUST_CHECK
int policy_load_validate (const struct runc_invocation *inv, const char *name_profile,
                          const char *file, FILE *out, FILE *diag, ocg_error_t *err);

/* Where audit records go: --ocigate-audit-log, OCIGATE_AUDIT_LOG, the file's `audit_log`
 * (`from_file`, may be NULL), the built-in default.  malloc'd.  */
char *policy_load_audit_destination (const struct runc_invocation *inv, const char *from_file);

#endif
