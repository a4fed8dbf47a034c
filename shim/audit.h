/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audit trail: one JSON line per decision, with every finding and every change.
 *
 * Owns: the decision record (also printed by `ocigate check`) and appending it to the audit log.
 * Must not: write into the engine's --log file (report.c owns that) or to stdout.  */
#ifndef OCG_AUDIT_H
#define OCG_AUDIT_H

#include "engine.h"
#include "err.h"

#define OCG_DEFAULT_AUDIT_LOG "/var/log/ocigate/audit.log"

struct audit_subject
{
  const char *verb;              /* create, run, exec, update, check */
  const char *container_id;      /* may be NULL */
  const char *document;          /* path of the judged document */
  const char *runtime;           /* real runtime path, may be NULL */
  const char *const *exemptions; /* names of the policy exemptions applied, may be NULL */
  /* Audit mode only: why enforce would have refused the call before judging it (a document it
   * cannot load, a flag it cannot judge).  The record then says verdict "error".  */
  const char *error;
  /* What ocigate itself noticed and could not act on, outside any rule (the runtime's state it
   * could not read, so exemptions on annotations could not match): listed under "notes" with
   * rule, cis and pss null.  NULL-terminated, may be NULL.  */
  const char *const *notes;
};

/* The decision as one JSON object (no trailing newline), malloc'd; NULL when it cannot be
 * written (a string of the patch that is not UTF-8): a decision that cannot be recorded is not
 * taken.  */
OCG_MUST_CHECK
char *audit_record (const struct audit_subject *subject, const struct policy *policy,
                    const struct spec *spec, const struct decision *d, bool executed,
                    ocg_error_t *err);

/* The record of a broken policy met by a verb that does not need it (start, kill, delete, ...):
 * the verb still went to `runtime`.  Written once per version of the policy files.  NULL when it
 * cannot be written.  */
OCG_MUST_CHECK
char *audit_policy_error_record (const char *verb, const char *container_id, const char *runtime,
                                 const char *error, ocg_error_t *err);

/* Append `record` + "\n" to `path` (created 0600, its directory 0700 when missing) with a single
 * O_APPEND write, so concurrent runtimes never interleave lines.  */
OCG_MUST_CHECK
int audit_append (const char *path, const char *record, ocg_error_t *err);

/* Could audit_append write to `path` now?  Opens it for appending when it exists (writing
 * nothing), else checks that the directory audit_append would create it in exists, or that it
 * could make that directory, and that the file could be created there.  Changes nothing
 * (`ocigate doctor`).  */
OCG_MUST_CHECK
int audit_check_writable (const char *path, ocg_error_t *err);

#endif
