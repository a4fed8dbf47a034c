/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate audit summary`: the audit trail summed up by rule and by workload -- what audit mode
 * would have denied or rewritten, and which workloads trigger which rules, counted -- and the
 * narrowest exemptions that would let enforce mode run the workloads it would deny
 * (audit_suggest.c).
 *
 * A workload is a Kubernetes identity when the record's "workload" gives one (every restart of a
 * pod's container is the same workload), else the container id.  Every judged call counts (create,
 * run, restore, exec, update); "policy-error" records (a broken policy met by a verb that does not
 * judge) are counted apart.
 *
 * Owns: the sums, their text and JSON forms, the drop-in.
 * Must not: read files (audit_command.c does) or apply anything.  */
#ifndef OCG_AUDIT_SUMMARY_H
#define OCG_AUDIT_SUMMARY_H

#include <stdio.h>

#include "audit_trail.h"
#include "err.h"
#include "policy.h"

struct summary_rule
{
  char *rule;
  size_t denied, denied_audit; /* findings in records that deny; of them, in audit mode (ran) */
  size_t rewritten, warned;
  size_t workloads; /* how many workloads it denied, rewrote or warned (totals only) */
};

enum summary_verdict
{
  SUMMARY_ALLOW,
  SUMMARY_REWRITE,
  SUMMARY_DENY,
  SUMMARY_ERROR,
  SUMMARY_N_VERDICTS,
};

struct summary_workload
{
  char *name;
  struct json_node *identity; /* the record's "workload" object (a copy), or NULL */
  char **ids;                 /* its container ids, in order of appearance */
  char *profile;              /* the policy (profile) of its latest record */
  char *error;                /* the latest reason enforce could not judge it, or NULL */
  size_t records, audit_records, verdicts[SUMMARY_N_VERDICTS];
  struct summary_rule *rules;
  size_t n_rules;
};

struct summary
{
  size_t records, skipped, audit, enforce, policy_errors;
  size_t verdicts[SUMMARY_N_VERDICTS];
  char *first, *last; /* the first and last record's time */
  struct summary_rule *rules;
  size_t n_rules;
  struct summary_workload *workloads;
  size_t n_workloads;
};

/* Count one record (trail_read's callback; ctx is the summary).  */
void summary_add (void *ctx, const struct trail_record *r);
/* Sort rules by how often they deny, then rewrite, then by id; workloads by name.  */
void summary_finish (struct summary *s);
void summary_release (struct summary *s);

int summary_write_text (FILE *out, const struct summary *s, const char *source, ocg_error_t *err);
int summary_write_json (FILE *out, const struct summary *s, const char *source, ocg_error_t *err);

/* The drop-in of suggested exemptions, commented, for a person to review (audit_suggest.c).
 * `existing` is the policy's own: its declared annotation keys are repeated (a drop-in is a JSON
 * merge patch: a list in it replaces the file's), its exemption names are not reused.
 * `dropin_dir` is where the comment says to install it (the policy file's policy.d/).  */
int summary_write_suggestion (FILE *out, const struct summary *s, const char *source,
                              const struct policy_exemptions *existing, const char *dropin_dir,
                              ocg_error_t *err);

#endif
