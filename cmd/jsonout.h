/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing one JSON document with yajl for the operator commands' reports (`ocigate doctor`,
 * `ocigate check`, `ocigate report`, `ocigate audit summary`): JSON and SARIF.
 *
 * yajl keeps no error state after a value it refuses (a string that is not UTF-8): it leaves the
 * value out and goes on.  So the first refusal is kept here, and jsonout_write refuses the whole
 * document rather than write a report with a hole in it.
 * Owns: the generator, the kept status, writing the document out.  Must not: know any report's
 * shape.  */
#ifndef OCG_JSONOUT_H
#define OCG_JSONOUT_H

#include <stdbool.h>
#include <stdio.h>

#include <yajl/yajl_gen.h>

#include "err.h"
#include "json.h"

struct jsonout
{
  yajl_gen g;
  yajl_gen_status st;
};

/* A new document, beautified with two-space indentation when `pretty`.  */
void jsonout_init (struct jsonout *o, bool pretty);
void jsonout_release (struct jsonout *o);

/* Keep the first status that is not ok.  */
void jsonout_keep (struct jsonout *o, yajl_gen_status st);
/* A string, or null for NULL.  */
void jsonout_str (struct jsonout *o, const char *s);
/* Members: "k": "v" (null for NULL), "k": n, "k": true|false.  */
void jsonout_kv (struct jsonout *o, const char *k, const char *v);
void jsonout_kn (struct jsonout *o, const char *k, long long n);
void jsonout_kb (struct jsonout *o, const char *k, bool b);
/* Open an object or array, as the member `key` of the enclosing object, or as a value (NULL).  */
void jsonout_map_open (struct jsonout *o, const char *key);
void jsonout_map_close (struct jsonout *o);
void jsonout_array_open (struct jsonout *o, const char *key);
void jsonout_array_close (struct jsonout *o);
/* A tree as it is (null for NULL).  */
void jsonout_value (struct jsonout *o, const struct json_node *v);
/* "key": {"text": text}: SARIF's message and multiformatMessageString.  */
void jsonout_text (struct jsonout *o, const char *key, const char *text);

/* jsonout_write, then jsonout_release.  */
int jsonout_finish (struct jsonout *o, FILE *out, const char *what, ocg_error_t *err);
/* Write the document and a newline to `out`; -1 (naming `what`) when a value was refused or the
 * write failed.  */
int jsonout_write (struct jsonout *o, FILE *out, const char *what, ocg_error_t *err);

#endif
