/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audit trail: one JSON line per decision, with every finding and every change, saying when,
 * on which host, by which ocigate and under which policy files it was taken.
 *
 * Owns: the decision record (also printed by `ocigate check`), its bound (audit.c), and writing
 * it to the audit destination: a file or syslog (audit_sink.c).
 * Must not: write into the engine's --log file (report.c owns that) or to stdout.  */
#ifndef OCG_AUDIT_H
#define OCG_AUDIT_H

#include "engine.h"
#include "err.h"
#include "json.h"

#define OCG_DEFAULT_AUDIT_LOG "/var/log/ocigate/audit.log"

/* A record is at most this many bytes (its newline, in a file, makes a line of at most 8000).
 * Log agents take such a line whole (Fluent Bit's tail buffers 32 KiB, Vector's file source
 * 100 KiB, a datagram to rsyslog's imuxsock 8 KiB with the syslog header).  */
#define AUDIT_RECORD_MAX 7999u

/* The destination that means syslog: "syslog" (its socket, AUDIT_SYSLOG_SOCKET), or
 * "syslog:/path/of/socket".  Anything else is a file.  */
#define AUDIT_SYSLOG "syslog"
#define AUDIT_SYSLOG_SOCKET "/dev/log"
#define AUDIT_SYSLOG_FACILITY (10 << 3) /* LOG_AUTHPRIV */

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
  /* The container's annotations, for the workload, when the document has none (exec and update:
   * the ones the runtime recorded at create).  NULL: the document's.  */
  const struct json_node *annotations;
  /* Nothing cut, whatever the size (`ocigate check` prints the record, it logs nothing).  */
  bool whole;
};

/* The decision as one JSON object (no trailing newline), malloc'd, of at most AUDIT_RECORD_MAX
 * bytes: strings too long are cut with a marker (JSON_CUT_MARKER), a patch value too long is
 * written as its length and SHA-256, and when that is not enough the lists lose their last
 * elements; "truncated" and "omitted" then say so.  NULL when it cannot be written (a string of
 * the patch that is not UTF-8): a decision that cannot be recorded is not taken.  */
OCG_MUST_CHECK
char *audit_record (const struct audit_subject *subject, const struct policy *policy,
                    const struct spec *spec, const struct decision *d, bool executed,
                    ocg_error_t *err);

/* The record of a broken policy met by a verb that does not need it (start, kill, delete, ...):
 * the verb still went to `runtime`.  `digest`: of the files as they could be read (NULL: none).
 * Written once per version of the policy files.  NULL when it cannot be written.  */
OCG_MUST_CHECK
char *audit_policy_error_record (const char *verb, const char *container_id, const char *runtime,
                                 const char *error, const char *digest, ocg_error_t *err);

/* Append `record` + "\n" to `path` (created 0600, its directory 0700 when missing) with a single
 * O_APPEND write, so concurrent runtimes never interleave lines.  The file is opened for every
 * record: rotation needs no signal.  */
OCG_MUST_CHECK
int audit_append (const char *path, const char *record, ocg_error_t *err);

/* The syslog socket `destination` names, or NULL when it is a file.  Borrowed.  */
const char *audit_syslog_socket (const char *destination);

/* Write `record` to `destination`: a file (audit_append), or one datagram to the syslog socket,
 * facility authpriv, ident "ocigate", severity warning when `warning` (a denial, an error), else
 * info.  */
OCG_MUST_CHECK
int audit_write (const char *destination, const char *record, bool warning, ocg_error_t *err);

/* Could audit_write write to `destination` now?  A file: opens it for appending when it exists
 * (writing nothing), else checks that the directory audit_append would create it in exists, or
 * that it could make that directory, and that the file could be created there.  Syslog: the
 * socket takes a connection.  Changes nothing (`ocigate doctor`).  */
OCG_MUST_CHECK
int audit_check_writable (const char *destination, ocg_error_t *err);

#endif
