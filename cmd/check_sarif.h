/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Judged documents as one SARIF 2.1.0 log (check_report.h, OUT_SARIF).  */
#ifndef OCG_CHECK_SARIF_H
#define OCG_CHECK_SARIF_H

#include "check_report.h"
#include "jsonout.h"

int check_sarif_write (FILE *out, const struct check_item *items, size_t n,
                       const struct check_report_options *opts, ocg_error_t *err);

/* "tool": {"driver": ...}: `tool` by name and version, and every rule of the registry as a
 * reportingDescriptor (id, title, CIS/PSS ids, hint), in the registry's order: a result's
 * ruleIndex is the rule's index there (rules_find).  `ocigate check` and `ocigate report`.  */
void check_sarif_driver (struct jsonout *o, const char *tool);

/* The artifactLocation.uri of `file`: a relative reference for a relative path (code scanning
 * resolves it against the repository's root), a file:// URI for an absolute one;
 * percent-encoded (RFC 3986).  malloc'd.  */
char *check_sarif_uri (const char *file);

#endif
