/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A JSON document written with yajl, for the reports of `ocigate report` and `ocigate audit
 * summary`.  yajl keeps no error state after a value it refuses (a string that is not UTF-8): it
 * leaves the value out and goes on, so the first failure is kept here and the document is
 * refused whole (as doctor_report.c does).
 *
 * Owns: the generator, its first failure and the final write.  */
#ifndef OCG_JSONOUT_H
#define OCG_JSONOUT_H

#include <stdbool.h>
#include <stdio.h>

#include <yajl/yajl_gen.h>

#include "err.h"
#include "json.h"

struct jout
{
  yajl_gen g;
  yajl_gen_status st;
};

void jout_init (struct jout *o);
void jo_open (struct jout *o, bool map);
void jo_close (struct jout *o, bool map);
void jo_str (struct jout *o, const char *s); /* NULL writes null */
void jo_kv (struct jout *o, const char *key, const char *value);
void jo_kn (struct jout *o, const char *key, long long value);
void jo_kb (struct jout *o, const char *key, bool value);
/* A tree as it is (NULL writes null).  */
void jo_value (struct jout *o, const struct json_node *v);
/* `{"text": TEXT}` under `key` (SARIF's message and description objects).  */
void jo_text (struct jout *o, const char *key, const char *text);
/* Write the document and a newline to `out`, and free the generator.  */
int jout_finish (struct jout *o, FILE *out, const char *what, ocg_error_t *err);

#endif
