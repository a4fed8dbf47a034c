/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing judged documents -- the decisions of `ocigate check`, or of any command that judges
 * configs with the engine -- as text, JSON or SARIF 2.1.0.
 *
 * Owns: the three formats, colour, and where in its file a finding's JSON Pointer is.
 * Must not: judge, load anything, or print an error of its own (an item that could not be judged
 * carries its reason and is written as such).  */
#ifndef OCG_CHECK_REPORT_H
#define OCG_CHECK_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "engine.h"
#include "err.h"
#include "outformat.h"
#include "json.h"
#include "policy.h"

/* One judged document.  Everything is borrowed.  */
struct check_item
{
  const char *display;              /* how it was named: "deploy/config.json", "-" */
  const char *file;                 /* the file the findings point into, or NULL (stdin) */
  const struct json_node *original; /* the document as read (line and column); may be NULL */
  const struct policy *policy;      /* NULL when it could not be judged */
  const struct decision *decision;  /* NULL when it could not be judged */
  const char *record;               /* the JSON decision record (OUT_JSON), or NULL */
  const char *error;                /* why it could not be judged, or NULL */
  int status;                       /* 0 allowed, 1 denied, 2 error */
};

struct check_report_options
{
  const char *tool; /* the SARIF driver's name and the text's, "ocigate check" */
  bool color;       /* ANSI colours in text (check_report_color) */
};

/* Colour for `out`: a terminal, and NO_COLOR not set at all (https://no-color.org).  */
bool check_report_color (FILE *out);

/* Write the items: text (a verdict per item, then its findings grouped by denied, rewritten,
 * warned and notes), JSON (one decision record per line; an item that could not be judged as
 * {"document", "verdict": "error", "error"}), or one SARIF log with a result per finding.  */
int check_report_write (FILE *out, enum out_format format, const struct check_item *items, size_t n,
                        const struct check_report_options *opts, ocg_error_t *err);

/* Where `ptr` points in `original` (json_pointer_nearest): 1-based line and column, 0 when
 * unknown.  */
void check_report_position (const struct json_node *original, const char *ptr, size_t *line,
                            size_t *column);

#endif
