/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A canonical byte encoding of values and JSON trees, for the seccomp rule's remembered plans:
 * the key of a plan is the encoding of every input the plan depends on, and a remembered plan is
 * trusted only when its stored key equals the key of this call byte for byte.
 *
 * The encoding is injective: every item starts with a tag and carries its own end -- a string
 * (which never holds a NUL: JSON strings, numbers, keys and the rule's texts cannot) ends with
 * its NUL, other bytes are preceded by their decimal length and ':' like a netstring, a count by
 * ';' -- so no two different sequences of items encode to the same bytes.  A tree is encoded
 * with everything json_identical compares (types, number texts as written, strings, object
 * members in order, array elements) and nothing else (not the source positions).  The buffer
 * always ends with one more NUL, past `len`.
 *
 * Owns: the encoding and its decoder.  Must not: do I/O, decide anything.  */
#ifndef OCG_SECCOMP_CANON_H
#define OCG_SECCOMP_CANON_H

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

/* A growing buffer, always NUL-terminated once anything was added.  */
struct canon
{
  char *buf;
  size_t len, cap;
};

void canon_release (struct canon *c);
/* Tag `tag` then "<len>:" and the bytes.  */
void canon_bytes (struct canon *c, char tag, const char *s, size_t len);
/* Tag `tag` then the string and its NUL.  */
void canon_str (struct canon *c, char tag, const char *s);
/* Tag then "<decimal>;".  */
void canon_uint (struct canon *c, char tag, unsigned long long v);
/* A tree, or '-' for none.  */
void canon_tree (struct canon *c, const struct json_node *node);

/* Reading an encoding back; every function returns false (and reads nothing sure) when the bytes
 * are not what it expects.  */
struct uncanon
{
  const char *p, *end;
};

bool uncanon_bytes (struct uncanon *u, char tag, const char **s, size_t *len);
/* A malloc'd copy of a string.  */
bool uncanon_str (struct uncanon *u, char tag, char **out);
bool uncanon_uint (struct uncanon *u, char tag, unsigned long long *v);
/* A tree built with json.h's constructors (no source positions), *out NULL for '-'.  At most
 * JSON_MAX_DEPTH_LIMIT deep.  */
bool uncanon_tree (struct uncanon *u, struct json_node **out);
/* Does the text at u hold canon_tree's encoding of node (then u is past it)?  The same answer as
 * comparing with canon_tree's output, without writing it.  */
bool canon_tree_matches (struct uncanon *u, const struct json_node *node);

#endif
