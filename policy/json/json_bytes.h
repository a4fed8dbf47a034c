/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to policy/json/: the byte-level helpers of json_parse (json_bytes.c).  */
#ifndef OCG_JSON_BYTES_H
#define OCG_JSON_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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

/* The high bit of every byte of the word equal to c (in every byte of `rep`), and maybe of bytes
 * after such a byte (the borrow): the first byte it marks is always a match.  */
static inline uint64_t
json_word_byte_mask (uint64_t word, uint64_t rep)
{
  uint64_t x = word ^ rep;
  return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

/* The bytes a string scan must look at one by one, marked as json_word_byte_mask marks them (the
 * first byte marked is one): bytes from 0x80 up, control characters (below 0x20: only a byte
 * below 0x20 borrows), quotes and backslashes: 0 for eight bytes of printable ASCII without either.
 */
static inline uint64_t
json_word_string_special (uint64_t word)
{
  return (word & 0x8080808080808080ull)
         | ((word - 0x2020202020202020ull) & ~word & 0x8080808080808080ull)
         | json_word_byte_mask (word, 0x2222222222222222ull)
         | json_word_byte_mask (word, 0x5c5c5c5c5c5c5c5cull);
}

/* The bytes the scan between tokens must look at one by one, marked the same way: bytes from 0x80
 * up, quotes, slashes (a comment may start), vertical tabs and form feeds.  */
static inline uint64_t
json_word_outside_special (uint64_t word)
{
  return (word & 0x8080808080808080ull) | json_word_byte_mask (word, 0x2222222222222222ull)
         | json_word_byte_mask (word, 0x2f2f2f2f2f2f2f2full)
         | json_word_byte_mask (word, 0x0b0b0b0b0b0b0b0bull)
         | json_word_byte_mask (word, 0x0c0c0c0c0c0c0c0cull);
}

/* How many bytes of a word read from memory (memcpy) come before the first byte a non-zero mask
 * of the functions above marks.  The borrow only ever marks bytes of higher significance than a
 * match, which come later in memory on a little-endian machine; elsewhere, 0 (the scan then
 * looks at each byte).  */
static inline size_t
json_word_skip (uint64_t mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return (size_t)__builtin_ctzll (mask) / 8;
#else
  (void)mask;
  return 0;
#endif
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
/* The same when every byte of buf before off is ASCII (below 0x80).  */
void json_pos_advance_ascii (const char *buf, struct json_pos *pos, size_t off);

/* Object keys (json_keys.c): the names of the OCI spec come from one static pool, every other key
 * is malloc'd.  A key made by these is freed only by json_key_free.  json_key_new takes
 * s[0..len), which holds no NUL.  */
char *json_key_new (const char *s, size_t len);
char *json_key_dup (const char *key);
void json_key_free (char *key);
/* The index of the first member of obj (in source order) whose key repeats an earlier one, or
 * -1.  */
struct json_node;
ssize_t json_find_duplicate_key (const struct json_node *obj);

#endif
