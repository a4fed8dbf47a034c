/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing `ocigate doctor`'s findings as text, JSON or SARIF 2.1.0 (shapes in README "ocigate
 * doctor").
 *
 * Owns: the three output formats.
 * Must not: decide anything about the host.  */
#ifndef OCG_DOCTOR_REPORT_H
#define OCG_DOCTOR_REPORT_H

#include <stdio.h>

#include "err.h"
#include "outformat.h"
#include "findings.h"

/* Write the (sorted) findings to `out` in `format`.  */
OCG_MUST_CHECK
int doctor_report_write (FILE *out, enum out_format format, const struct findings_list *l,
                         ocg_error_t *err);

/* A file:// URI for an absolute path, percent-encoding what RFC 3986 does not allow in a path.
 * malloc'd.  */
char *doctor_file_uri (const char *path);

#endif
