/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The TOML reader's shared state and lexer, for toml.c (tables, the document), toml_lex.c
 * (whitespace, strings, keys) and toml_value.c (values).  Not for other modules.  */
#ifndef OCG_TOML_INTERNAL_H
#define OCG_TOML_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "toml.h"

struct tp
{
  const char *buf;
  size_t len;
  size_t pos;
  const char *source;
  struct json_node *root;
  struct json_node *cur;      /* the table key/value lines go into */
  struct json_node **defined; /* tables a header defined, arrays of tables, inline tables */
  size_t n_defined;
  struct toml_top *top;
  bool seen_header;
  unsigned depth; /* nesting of arrays and inline tables */
  ocg_error_t *err;
};

/* Error at the current position ("source:line:col: message"); returns -1.  */
int tp_fail (struct tp *p, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

char tp_peek_at (const struct tp *p, size_t off);
char tp_peek (const struct tp *p);
bool tp_eof (const struct tp *p);
bool tp_at_newline (const struct tp *p);
void tp_skip_newline (struct tp *p);
/* Spaces and tabs.  */
void tp_skip_ws (struct tp *p);
/* Spaces, tabs, comments and newlines.  */
void tp_skip_blank (struct tp *p);
/* Optional whitespace and comment, then a newline or the end of the document.  */
int tp_end_of_line (struct tp *p);

/* A string of any of the four kinds, its opening quote at p->pos.  malloc'd, or NULL.  */
char *tp_string (struct tp *p);
/* dotted.key."quoted": NULL-terminated vector of the parts, or NULL.  */
char **tp_key (struct tp *p);

bool tp_is_defined (const struct tp *p, const struct json_node *t);
void tp_mark_defined (struct tp *p, const struct json_node *t);

/* A value at p->pos.  With `landmarks`, the array's brackets and elements are recorded in
 * p->top (the top-level `imports`).  */
struct json_node *tp_value (struct tp *p, bool landmarks);

#endif
