/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The byte-level helpers of json_parse (json_bytes.h) and json_print: eight bytes at a time where
 * a document is plain ASCII, which nearly every byte of an engine's document is.
 *
 * Owns: word tests, the line/column cursor, and strict UTF-8 (json_utf8_valid,
 * json_utf8_sequence_length of json.h).  Must not: know JSON's grammar.  */
#include <config.h>

#include <string.h>

#include "json.h"
#include "json_bytes.h"

/* One bit (the top one) in each byte of the word that equals c repeated in `rep`: exact, unlike
 * json_word_has_byte's test, whose borrow may mark a byte next to a match.  */
static uint64_t
word_byte_mask (uint64_t word, uint64_t rep)
{
  const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
  uint64_t x = word ^ rep;

  return ~(((x & low7) + low7) | x) & ~low7;
}

/* The characters of buf[0..len): the bytes that are not UTF-8 continuation bytes (10xxxxxx).  */
static size_t
count_chars (const char *buf, size_t len)
{
  size_t n = len, i = 0;

  for (uint64_t word; len - i >= sizeof (word); i += sizeof (word))
    {
      memcpy (&word, buf + i, sizeof (word));
      /* Bit 7 set and bit 6 clear: shifting by one brings each byte's bit 6 under its bit 7.
       * Nearly every word of a document has none (a popcount is a call without -mpopcnt).  */
      uint64_t cont = word & ~(word << 1) & 0x8080808080808080ull;
      if (cont != 0)
        n -= (size_t)__builtin_popcountll (cont);
    }
  for (; i < len; i++)
    n -= ((unsigned char)buf[i] & 0xC0) == 0x80;
  return n;
}

/* The index of the last byte of the loaded word that word_byte_mask marked in m (m != 0).  */
static size_t
last_marked_byte (uint64_t m)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return 7 - (size_t)__builtin_ctzll (m) / 8;
#else
  return (size_t)(63 - __builtin_clzll (m)) / 8;
#endif
}

/* Move a position cursor to byte offset off.  Columns count characters, not bytes: UTF-8
 * continuation bytes do not start one.  The newlines are counted eight bytes at a time, and
 * characters only after the last of them: every value of a document moves the cursor, and a
 * byte at a time a 1 MiB document spent 12 M instructions here.  */
void
json_pos_advance (const char *buf, struct json_pos *pos, size_t off)
{
  const uint64_t newlines = 0x0a0a0a0a0a0a0a0aull;
  size_t i, from;

  if (off < pos->off)
    *pos = (struct json_pos){ 0, 1, 1 };
  from = i = pos->off;
  for (uint64_t word, m; off - i >= sizeof (word); i += sizeof (word))
    {
      memcpy (&word, buf + i, sizeof (word));
      if ((m = word_byte_mask (word, newlines)) == 0)
        continue;
      from = i + last_marked_byte (m) + 1;
      /* One newline per word, mostly: counted by clearing the lowest mark.  */
      for (; m != 0; m &= m - 1)
        pos->line++;
      pos->column = 1;
    }
  for (; i < off; i++)
    if (buf[i] == '\n')
      pos->line++, pos->column = 1, from = i + 1;
  pos->column += count_chars (buf + from, off - from);
  pos->off = off;
}

/* json_pos_advance for a buffer whose bytes before off are all ASCII, where a column is a byte:
 * the newlines found by memchr and memrchr, which a value of a beautified document, one newline
 * after the last, mostly has one of.  About a third of json_pos_advance's instructions.  */
void
json_pos_advance_ascii (const char *buf, struct json_pos *pos, size_t off)
{
  const char *first, *last;

  if (off < pos->off)
    *pos = (struct json_pos){ 0, 1, 1 };
  first = memchr (buf + pos->off, '\n', off - pos->off);
  if (first == NULL)
    {
      pos->column += off - pos->off;
      pos->off = off;
      return;
    }
  last = memrchr (first, '\n', (size_t)(buf + off - first));
  pos->line++;
  for (const char *p = first + 1;
       p <= last && (p = memchr (p, '\n', (size_t)(last - p) + 1)) != NULL; p++)
    pos->line++;
  pos->column = 1 + (size_t)(buf + off - last - 1);
  pos->off = off;
}

/* Strict UTF-8 (The Unicode Standard, table 3-7): the second byte's range depends on the lead
 * byte, which is what excludes overlong forms (C0, C1, E0 80-9F, F0 80-8F), UTF-16 surrogates
 * (ED A0-BF) and code points above U+10FFFF (F4 90-BF, F5-FF).  Returns the sequence length, or 0
 * when the bytes at s are not a valid sequence.  */
static size_t
utf8_sequence_length (const unsigned char *s, size_t avail)
{
  unsigned char lo = 0x80, hi = 0xBF;
  size_t n;

  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF)
    n = 2;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF)
    n = 3, lo = s[0] == 0xE0 ? 0xA0 : lo, hi = s[0] == 0xED ? 0x9F : hi;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4)
    n = 4, lo = s[0] == 0xF0 ? 0x90 : lo, hi = s[0] == 0xF4 ? 0x8F : hi;
  else
    return 0;
  if (avail < n || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t k = 2; k < n; k++)
    if ((s[k] & 0xC0) != 0x80)
      return 0;
  return n;
}

size_t
json_utf8_sequence_length (const char *s, size_t avail)
{
  return avail == 0 ? 0 : utf8_sequence_length ((const unsigned char *)s, avail);
}

bool
json_utf8_valid (const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, n;

  while (i < len)
    {
      uint64_t word;

      /* ASCII, eight bytes at a time: nearly every byte of an engine's document.  */
      if (len - i >= sizeof (word))
        {
          memcpy (&word, u + i, sizeof (word));
          if ((word & 0x8080808080808080ull) == 0)
            {
              i += sizeof (word);
              continue;
            }
        }
      if (u[i] < 0x80)
        n = 1;
      else if ((n = utf8_sequence_length (u + i, len - i)) == 0)
        return false;
      i += n;
    }
  return true;
}
