/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small, lossless JSON tree built from yajl's event parser.
 *
 * Owns: parsing bytes into a tree, generic node constructors/mutators, serialising a tree back.
 * Must not: know anything about the OCI schema (that is spec.c / schema.c) or do file I/O.
 *
 * Why not yajl_tree: it silently keeps duplicate keys (and yajl_tree_get returns the first while
 * Go's encoding/json keeps the last), it turns comments on, it has no depth limit, and it leaks on
 * its error path (lloyd/yajl#250, CVE-2023-33460).  Building our own tree from the event API lets
 * the parser refuse what runc and crun could read differently (see spec.c) and keep numbers as
 * their original text, so `18446744073709551615`, `-1` and `1e3` round-trip byte for byte.
 *
 * Memory: every node and every string in it is owned by its parent; json_free() frees a subtree.
 * An object's keys may be names from a static pool (json_keys.c): never write to a key, and free
 * one only through json_free / json_obj_remove (json_key_free).
 * Constructors return new nodes owned by the caller until they are attached with json_obj_set /
 * json_arr_append, which take ownership.  */
#ifndef OCG_JSON_H
#define OCG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum json_type
{
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_OBJECT,
  JSON_ARRAY,
};

struct json_node
{
  enum json_type type;
  bool boolean;      /* JSON_BOOL */
  bool text_inline;  /* text was allocated with the node, right after it (json.c node_new_text):
                        freed with it, unless text has been pointed elsewhere since */
  bool items_inline; /* items (and an object's keys) are the slots allocated with the node
                        (json.c node_new): freed with it */
  char *text;        /* JSON_STRING: the decoded UTF-8 value, NUL-terminated (never contains NUL);
                        JSON_NUMBER: the number exactly as written in the source */
  size_t n;          /* JSON_OBJECT / JSON_ARRAY: number of members */
  size_t cap;        /* allocated slots in keys/items */
  char **keys;       /* JSON_OBJECT: keys[i] names items[i]; order is source order */
  struct json_node **items;
  size_t line; /* 1-based source position of the value, 0 when built in memory */
  size_t column;
};

struct json_parse_opts
{
  const char *source;    /* name used in error messages, e.g. "config.json" */
  size_t max_depth;      /* nesting cap; 0 means the default (JSON_DEFAULT_MAX_DEPTH) */
  bool allow_comments;   /* policy files only: Go's decoder rejects comments in config.json */
  bool allow_duplicates; /* never for OCI documents */
  size_t max_bytes;      /* refuse longer input; 0 means no cap */
};

#define JSON_DEFAULT_MAX_DEPTH 64
/* yajl_gen refuses to open a 128th container (yajl_common.h YAJL_MAX_DEPTH), so a tree deeper
 * than this could be parsed but never written back: a larger max_depth is clamped to it.  The
 * recursive helpers (json_clone, json_equal, json_serialize) rely on this bound.  */
#define JSON_MAX_DEPTH_LIMIT 127

/* Parse exactly one JSON document from buf[0..len).  Refuses (with an error naming the source,
 * the line:column and, for duplicates, the JSON path): invalid UTF-8, trailing data, nesting
 * deeper than max_depth, duplicate keys in one object, strings or keys containing U+0000, and
 * \u escapes that are lone surrogates.  Returns a new tree owned by the caller, or NULL.  */
OCG_MUST_CHECK
struct json_node *json_parse (const char *buf, size_t len, const struct json_parse_opts *opts,
                              ocg_error_t *err);

/* The tree json_parse() makes, for JSON ocigate itself ships (json_trusted.c): NULL for anything
 * outside its small subset, which the caller then parses with json_parse().  Never for input
 * from outside the binary.  */
struct json_node *json_parse_trusted (const char *buf, size_t len);

void json_free (struct json_node *node);
#define cleanup_json __attribute__ ((cleanup (json_freep)))
void json_freep (struct json_node **node);

/* Serialise with two-space indentation; numbers are written from their original text.  Returns
 * a malloc'd NUL-terminated buffer (length in *len if len != NULL), or NULL on error.  The bytes
 * are yajl_gen's (beautified, indent "  "), written without it (json_print.c).  */
OCG_MUST_CHECK
char *json_serialize (const struct json_node *node, size_t *len, ocg_error_t *err);

/* Receives the text json_print writes, a buffer at a time (at most 64 KiB, the last one
 * shorter); returns 0, or -1 with err set, which stops the writing.  */
typedef int (*json_print_flush_fn) (void *ctx, const char *buf, size_t len, ocg_error_t *err);

/* The bytes json_serialize returns, handed to flush through one fixed buffer: the text is never
 * held whole.  Returns 0, or -1 with err set (by flush, or for a tree that cannot be written,
 * after flush may have had part of it).  */
OCG_MUST_CHECK
int json_print (const struct json_node *node, json_print_flush_fn flush, void *ctx,
                ocg_error_t *err);

/* Emit node as one value into a yajl generator the caller owns (for records that embed a tree,
 * such as the audit trail's JSON Patch), with the same checks as json_serialize.  Returns 0, or
 * -1 when the tree holds an invalid number or string.  */
struct yajl_gen_t;
int json_gen_value (struct yajl_gen_t *gen, const struct json_node *node);

/* A yajl generator that refuses invalid UTF-8, beautified with two-space indentation when
 * `pretty`; aborts when out of memory.  Every yajl_gen_* call returns a status that must be
 * checked: yajl keeps no error state after a refused string, it just leaves the value out.  */
struct yajl_gen_t *json_gen_new (bool pretty);
void json_gen_freep (struct yajl_gen_t **gen);
#define cleanup_yajl_gen __attribute__ ((cleanup (json_gen_freep)))

/* Constructors (the caller owns the result).  */
struct json_node *json_new_null (void);
struct json_node *json_new_bool (bool value);
struct json_node *json_new_string (const char *value);
/* The string s[0..len), which must hold no NUL: one allocation for the node and its text.  */
struct json_node *json_new_string_len (const char *s, size_t len);
struct json_node *json_new_int (int64_t value);
struct json_node *json_new_uint (uint64_t value);
/* True when text is a JSON number (RFC 8259 grammar).  */
bool json_number_text_valid (const char *text);
/* NULL when text is not a JSON number (RFC 8259 grammar): it is written back verbatim.  */
struct json_node *json_new_number_text (const char *text);
/* The same for text[0..len) (no NUL needed after it).  */
struct json_node *json_new_number_len (const char *text, size_t len);
struct json_node *json_new_object (void);
struct json_node *json_new_array (void);
struct json_node *json_clone (const struct json_node *node);
/* Semantic equality: object members compare regardless of order; numbers compare by their text,
 * because `1e3` and `1000` are different documents to Go (strconv.ParseInt refuses `1e3`).  */
bool json_equal (const struct json_node *a, const struct json_node *b);
/* The same tree: json_equal with object members in the same order too, so that what is built
 * from one is byte for byte what would be built from the other.  */
bool json_identical (const struct json_node *a, const struct json_node *b);

/* Lookups: return NULL when node is NULL, not an object/array, or the member is missing.  */
struct json_node *json_obj_get (const struct json_node *obj, const char *key);
struct json_node *json_arr_get (const struct json_node *arr, size_t index);

/* The string elements of an array as a malloc'd string vector (util.h strv_free), other
 * elements skipped; NULL when arr is not an array.  */
char **json_strv (const struct json_node *arr);

/* Number conversions: true only when the text is an integer literal (no fraction, no exponent)
 * that fits the type -- the same literals Go's strconv.ParseInt / ParseUint accept.  */
bool json_number_i64 (const struct json_node *node, int64_t *out);
bool json_number_u64 (const struct json_node *node, uint64_t *out);

/* Mutators (take ownership of value).  json_obj_set replaces an existing member in place, keeping
 * its position, or appends a new one.  Removal returns false when there was nothing to remove.  */
void json_obj_set (struct json_node *obj, const char *key, struct json_node *value);
bool json_obj_remove (struct json_node *obj, const char *key);
void json_arr_append (struct json_node *arr, struct json_node *value);
/* Append a member WITHOUT looking for an existing one: for builders that refuse duplicates
 * themselves (the parser).  Takes ownership of key (malloc'd, or
 * json_key_new's) and value.  */
void json_obj_append (struct json_node *obj, char *key, struct json_node *value);
bool json_arr_remove (struct json_node *arr, size_t index);

/* The node JSON Pointer `ptr` (RFC 6901) names in `root`, or, when it names nothing (a member a
 * rewrite would add), its nearest ancestor that exists: a finding's place in the source, through
 * the node's line and column.  `root` itself for "" or a pointer that is not one.  */
const struct json_node *json_pointer_nearest (const struct json_node *root, const char *ptr);

/* True when s[0..len) is strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF) -- the bytes Go's utf8.Valid accepts.  */
bool json_utf8_valid (const char *s, size_t len);
/* Length of the strict UTF-8 sequence starting at s (at most avail bytes), 0 when invalid.  */
size_t json_utf8_sequence_length (const char *s, size_t avail);

/* The bytes yajl writes for the string s, quotes excluded (its escapes counted).  */
size_t json_escaped_length (const char *s);
/* What a string cut short ends with: the number of bytes cut.  */
#define JSON_CUT_MARKER "...[%zu bytes cut]"
/* s cut so that what yajl writes for it, JSON_CUT_MARKER included, takes at most `max` bytes
 * (quotes excluded), never inside a UTF-8 sequence; NULL when s fits as it is.  `max` must leave
 * room for the marker (32 bytes).  malloc'd.  */
char *json_cut_string (const char *s, size_t max);

/* A key made safe for a one-line message (quotes, backslashes and control characters escaped,
 * cut after 64 bytes with "..."), without the surrounding quotes.  malloc'd.  */
char *json_quote_key (const char *key);

/* Build a path for messages: json_path_key ("$", "process") is "$.process", a key that is not a
 * plain identifier is quoted ("$.annotations[\"io.k8s/x\"]"), json_path_index ("$.a", 2) is
 * "$.a[2]".  Control characters and quotes in keys are escaped, long keys shortened.  malloc'd.  */
char *json_path_key (const char *base, const char *key);
char *json_path_index (const char *base, size_t index);
/* A position in a tree as a chain of frames up to the root, for walks that name a position only
 * in an error message: json_where_text writes it out as json_path_key / json_path_index would
 * have built it ("$" at the root).  */
struct json_where
{
  const struct json_where *up; /* NULL at the root */
  const char *key;             /* a member's key, or NULL for an array element */
  size_t index;
};
char *json_where_text (const struct json_where *at);

#endif
