/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to policy/json/: the byte-level helpers of json_parse (json_bytes.c).  */
#ifndef OCG_JSON_BYTES_H
#define OCG_JSON_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A position in a document: byte offset, 1-based line and column.  */
struct json_pos
{
  size_t off;
  size_t line;
  size_t column;
};

/* Eight bytes of printable ASCII, none of them a quote or a backslash?  */
bool json_word_plain (uint64_t word);

/* Eight bytes that a JSON string holds as they are: none of them a control character (below
 * 0x20), a quote or a backslash.  Bytes from 0x80 up pass.  */
bool json_word_unescaped (uint64_t word);

/* Move a position cursor to byte offset off (back to the start first when off is behind it).
 * Columns count characters, not bytes: UTF-8 continuation bytes do not start one.  */
void json_pos_advance (const char *buf, struct json_pos *pos, size_t off);

#endif
