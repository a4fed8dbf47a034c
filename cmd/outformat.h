/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output formats the operator commands share (`ocigate check`, `doctor`, `report`):
 * `--format text|json|sarif`.  */
#ifndef OCG_OUTFORMAT_H
#define OCG_OUTFORMAT_H

#include "err.h"

enum out_format
{
  OUT_TEXT,
  OUT_JSON,
  OUT_SARIF,
};

/* `name` as a format; -1 (naming the valid ones) for anything else.  */
OCG_MUST_CHECK
int out_format_parse (const char *name, enum out_format *out, ocg_error_t *err);

#endif
