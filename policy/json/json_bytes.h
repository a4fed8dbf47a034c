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

/* The word tests are inline: they run once per eight bytes of every string parsed and written,
 * and a call each cost a 1 MiB document 6 M instructions.  */

/* Does the word hold a byte equal to c (c repeated in every byte of `rep`)?  */
static inline bool
json_word_has_byte (uint64_t word, uint64_t rep)
{
  uint64_t x = word ^ rep;
  return ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0;
}

/* Eight bytes of printable ASCII, none of them a quote or a backslash?  (A byte below 0x20 is
 * found by the borrow of subtracting 0x20 from it, which is exact for bytes below 0x80.)  */
static inline bool
json_word_plain (uint64_t word)
{
  return (word & 0x8080808080808080ull) == 0
         && ((word - 0x2020202020202020ull) & ~word & 0x8080808080808080ull) == 0
         && !json_word_has_byte (word, 0x2222222222222222ull)
         && !json_word_has_byte (word, 0x5c5c5c5c5c5c5c5cull);
}

/* Eight bytes that a JSON string holds as they are: none of them a control character (below
 * 0x20), a quote or a backslash.  Bytes from 0x80 up pass.  They may borrow into their neighbour
 * in the subtraction, but only where a byte below 0x20 already made the word fail (bithacks
 * "hasless": exact as a yes/no for n <= 128).  */
static inline bool
json_word_unescaped (uint64_t word)
{
  return ((word - 0x2020202020202020ull) & ~word & 0x8080808080808080ull) == 0
         && !json_word_has_byte (word, 0x2222222222222222ull)
         && !json_word_has_byte (word, 0x5c5c5c5c5c5c5c5cull);
}

/* Move a position cursor to byte offset off (back to the start first when off is behind it).
 * Columns count characters, not bytes: UTF-8 continuation bytes do not start one.  */
void json_pos_advance (const char *buf, struct json_pos *pos, size_t off);

#endif
