/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TOML 1.0, as containerd's (pelletier/go-toml v1) and Podman's (BurntSushi/toml) configuration
 * files use it, read into the JSON tree of policy/json/json.h and written back from one.
 *
 * Mapping: a table is an object, an array an array, a string a string, a boolean a boolean; an
 * integer, a float or a date-time is a JSON_NUMBER node whose text is the TOML token exactly as
 * written (`0o755`, `1_000`, `inf`, `1979-05-27T07:32:00Z`), so that it is written back as it was.
 * Such a tree must not be given to json_serialize.
 *
 * The parser also reports where the document's top-level `imports` array and first table header
 * are, so that `ocigate runtime configure` can add or remove one import in config.toml by editing
 * those bytes alone and keep every comment and every other byte of the operator's file.
 *
 * Owns: the TOML grammar, the table/array-of-tables rules, duplicate refusal, the writer.
 * Must not: know containerd's or Podman's schema.  */
#ifndef OCG_TOML_H
#define OCG_TOML_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "json.h"

struct toml_span
{
  size_t start; /* byte offsets into the parsed buffer, [start, end) */
  size_t end;
};

/* Landmarks of the top level (before the first table header).  */
struct toml_top
{
  size_t first_header; /* offset of the first `[`/`[[` header line, or the buffer length */
  bool has_imports;    /* a top-level `imports = [...]` */
  struct toml_span imports_line; /* from the start of its line to after its newline */
  size_t imports_open;           /* offset of its `[` */
  size_t imports_close;          /* offset of its `]` */
  size_t n_elems;
  struct toml_span *elems; /* each element's bytes */
};

void toml_top_release (struct toml_top *top);

/* Parse buf[0..len).  `source` names it in errors ("config.toml:3:7: ...").  `top` may be NULL.
 * Refuses what TOML refuses: a key or a table defined twice, invalid escapes and UTF-8, control
 * characters, a value of unknown form.  Returns the root table or NULL.  */
OCG_MUST_CHECK
struct json_node *toml_parse (const char *buf, size_t len, const char *source, struct toml_top *top,
                              ocg_error_t *err);

/* Read and parse a file (at most 4 MiB).  NULL with ENOENT in the error when it does not exist.  */
OCG_MUST_CHECK
struct json_node *toml_parse_file (const char *path, struct toml_top *top, size_t *len_out,
                                   char **text_out, ocg_error_t *err);

/* Write `root` (an object) as a TOML document: each table's scalar and array members first, then
 * its sub-tables under `[dotted.header]` lines (arrays of tables as `[[...]]`), indented two
 * spaces per level as `containerd config dump` does.  `header_comment` (may be NULL) is written
 * first, each line prefixed with "# ".  Returns a malloc'd string.  */
char *toml_write (const struct json_node *root, const char *header_comment);

/* A TOML basic string for `s`, quotes included (malloc'd).  */
char *toml_quote (const char *s);

/* A key as TOML needs it: bare when it is only [A-Za-z0-9_-], quoted otherwise (malloc'd).  */
char *toml_key (const char *key);

/* Path lookup in a parsed tree: toml_get (root, "plugins", "io.containerd.grpc.v1.cri",
 * "containerd", NULL).  NULL when any step is missing or not a table.  */
struct json_node *toml_get (const struct json_node *root, ...) __attribute__ ((sentinel));

#endif
