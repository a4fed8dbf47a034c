/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The byte-level helpers of json_parse (json_bytes.h): eight bytes at a time where a document is
 * plain ASCII, which nearly every byte of an engine's document is.
 *
 * Owns: word tests and the line/column cursor.  Must not: know JSON's grammar.  */
#include <config.h>

#include <string.h>

#include "json_bytes.h"

/* Does the word hold a byte equal to c (c repeated in every byte of `rep`)?  */
static bool
word_has_byte (uint64_t word, uint64_t rep)
{
  uint64_t x = word ^ rep;
  return ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0;
}

/* Eight bytes of printable ASCII, none of them a quote or a backslash?  (A byte below 0x20 is
 * found by the borrow of subtracting 0x20 from it, which is exact for bytes below 0x80.)  */
bool
json_word_plain (uint64_t word)
{
  return (word & 0x8080808080808080ull) == 0
         && ((word - 0x2020202020202020ull) & ~word & 0x8080808080808080ull) == 0
         && !word_has_byte (word, 0x2222222222222222ull)
         && !word_has_byte (word, 0x5c5c5c5c5c5c5c5cull);
}

/* Bytes from 0x80 up may borrow into their neighbour in the subtraction, but only where a byte
 * below 0x20 already made the word fail (bithacks "hasless": exact as a yes/no for n <= 128).  */
bool
json_word_unescaped (uint64_t word)
{
  return ((word - 0x2020202020202020ull) & ~word & 0x8080808080808080ull) == 0
         && !word_has_byte (word, 0x2222222222222222ull)
         && !word_has_byte (word, 0x5c5c5c5c5c5c5c5cull);
}

/* Move a position cursor to byte offset off.  Columns count characters, not bytes: UTF-8
 * continuation bytes do not start one.  Eight ASCII bytes without a newline at a time: every
 * value of a document moves it, and a 1 MiB document spent 12 M instructions here a byte at a
 * time.  */
void
json_pos_advance (const char *buf, struct json_pos *pos, size_t off)
{
  if (off < pos->off)
    *pos = (struct json_pos){ 0, 1, 1 };
  while (pos->off < off)
    {
      uint64_t word;
      unsigned char c;

      if (off - pos->off >= sizeof (word))
        {
          memcpy (&word, buf + pos->off, sizeof (word));
          if ((word & 0x8080808080808080ull) == 0 && !word_has_byte (word, 0x0a0a0a0a0a0a0a0aull))
            {
              pos->off += sizeof (word);
              pos->column += sizeof (word);
              continue;
            }
        }
      c = (unsigned char)buf[pos->off++];
      if (c == '\n')
        pos->line++, pos->column = 1;
      else if ((c & 0xC0) != 0x80)
        pos->column++;
    }
}
