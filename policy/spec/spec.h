/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An OCI document (config.json, an `exec --process` file, or an `update --resources` document)
 * as ocigate judges it, plus the typed accessors, the recorded mutations and the write-back.
 *
 * Owns: loading from a bundle dirfd or a buffer, refusing anything runc's Go decoder or crun's C
 * decoder could read differently (see spec.c and schema.c), JSON Pointer accessors, recording
 * every mutation as an RFC 6902 operation, and the atomic write-back.
 * Must not: decide policy, log, or exec.
 *
 * Paths are RFC 6901 JSON Pointers ("/linux/resources/memory/limit"; "~1" is "/", "~0" is "~").
 * A missing member, or a member of another type than asked for, reads as absent: accessors never
 * crash on an unexpected shape.  (A document whose types disagree with the runtime-spec is refused
 * at load time anyway.)  */
#ifndef OCG_SPEC_H
#define OCG_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "json.h"
#include "schema.h"

/* Size cap for any document we load: runc has none, but a config bigger than this is not
 * something an engine writes, and reading it whole must stay cheap and bounded.  */
#define SPEC_MAX_BYTES (4u * 1024u * 1024u)
#define SPEC_MAX_DEPTH 64u

struct spec_patch_op
{
  const char *op;          /* "add", "replace" or "remove" (static string) */
  char *path;              /* JSON Pointer */
  struct json_node *value; /* a copy of the new value; NULL for "remove" */
};

struct spec
{
  enum spec_kind kind;
  char *name;             /* for messages: "config.json", "process.json", "resources" */
  struct json_node *root; /* always a JSON object after a successful load */
  struct spec_patch_op *ops;
  size_t n_ops;
};

/* Load `name` relative to dirfd: opened with O_NOFOLLOW (a symlink at the last component is
 * refused), must be a regular file no bigger than SPEC_MAX_BYTES.  */
OCG_MUST_CHECK
struct spec *spec_load_at (int dirfd, const char *name, enum spec_kind kind, ocg_error_t *err);

/* Load from bytes already read (stdin for `update --resources -`).  `name` is for messages.  */
OCG_MUST_CHECK
struct spec *spec_load_buffer (const char *buf, size_t len, const char *name, enum spec_kind kind,
                               ocg_error_t *err);

void spec_free (struct spec *spec);
void spec_freep (struct spec **spec);
#define cleanup_spec __attribute__ ((cleanup (spec_freep)))

/* Readers.  All return false / NULL when the member is absent or of another type.  */
const struct json_node *spec_get (const struct spec *spec, const char *ptr);
/* Not defined in ocigate: a test that defines it sees every pointer spec_get (and so every
 * spec_get_* reader) resolves -- tests/unit/test_rule_reads.c holds the rules' `.reads` to what
 * they read.  A weak reference, so that no writable function pointer exists.  */
extern void spec_read_seen (const struct spec *spec, const char *ptr) __attribute__ ((weak));
const struct json_node *spec_get_object (const struct spec *spec, const char *ptr);
const struct json_node *spec_get_array (const struct spec *spec, const char *ptr);
bool spec_get_string (const struct spec *spec, const char *ptr, const char **out);
bool spec_get_bool (const struct spec *spec, const char *ptr, bool *out);
bool spec_get_i64 (const struct spec *spec, const char *ptr, int64_t *out);
bool spec_get_u64 (const struct spec *spec, const char *ptr, uint64_t *out);
/* A string array: returns a malloc'd NULL-terminated vector of borrowed pointers (free only the
 * vector), skipping non-string elements; NULL when absent.  *count gets the length.  */
const char **spec_get_strv (const struct spec *spec, const char *ptr, size_t *count);

/* Mutators.  Each records one RFC 6902 operation in spec->ops.  spec_set creates missing parent
 * objects (recorded as one "add" of the outermost missing member) and takes ownership of value.
 * spec_append creates the array when missing and records "add" at ".../<index>".  A mutation that
 * leaves the tree unchanged (setting an equal value) records nothing.  Returns -1 only when the
 * path crosses a non-object / out-of-range element.  */
OCG_MUST_CHECK
int spec_set (struct spec *spec, const char *ptr, struct json_node *value, ocg_error_t *err);
OCG_MUST_CHECK
int spec_append (struct spec *spec, const char *array_ptr, struct json_node *value,
                 ocg_error_t *err);
bool spec_remove (struct spec *spec, const char *ptr);

static inline bool
spec_changed (const struct spec *spec)
{
  return spec->n_ops > 0;
}

/* The recorded operations as a JSON Patch document (a JSON array) into a yajl generator the
 * caller owns: the one writer of the patch, which the audit record embeds (shim/audit.c) and
 * spec_patch_json wraps.  Every string is checked as json_serialize checks it.  Returns 0, or -1
 * when an operation cannot be written.  */
struct yajl_gen_t;
int spec_patch_gen (struct yajl_gen_t *gen, const struct spec *spec);

/* How much of the patch a bounded record may hold (the audit trail's, shim/audit.c).  */
struct spec_patch_bound
{
  size_t str_max;   /* a path longer than this, escaped, is cut (json_cut_string) */
  size_t value_max; /* a value whose compact JSON text is longer is written as its length and
                       SHA-256 instead: {"op", "path", "value_bytes", "value_sha256"} */
  size_t ops_max;   /* the operations after this many are left out */
  size_t omitted;   /* out: how many operations were left out */
  size_t cut;       /* out: how many paths were cut and values replaced by their digest */
};

/* spec_patch_gen within `bound`.  An operation whose value is replaced has no "value": applying
 * it fails rather than setting something else.  */
int spec_patch_gen_bounded (struct yajl_gen_t *gen, const struct spec *spec,
                            struct spec_patch_bound *bound);

/* The same, as an indented text of its own (malloc'd), or NULL when it cannot be written.  */
char *spec_patch_json (const struct spec *spec);

/* Build "<base>/<escaped key>" (RFC 6901 escaping of ~ and /).  malloc'd.  */
char *spec_ptr_join (const char *base, const char *key);
char *spec_ptr_index (const char *base, size_t index);

/* Serialise the judged tree and atomically replace `name` relative to dirfd: temp file created
 * in the same directory with O_CREAT|O_EXCL|O_NOFOLLOW and the original's mode and owner, written
 * whole and renamed over `name`, without fsync (fsutil_replace_at says why).  On any failure the
 * temp file is unlinked and the original is untouched.  */
OCG_MUST_CHECK
int spec_write_at (int dirfd, const char *name, const struct spec *spec, ocg_error_t *err);

#endif
