/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/json/json_bytes.c: the line/column cursor, which counts newlines eight
 * bytes at a time and characters after the last one, gives what a byte-by-byte walk gives, for
 * every start and end offset of generated text with newlines, UTF-8 sequences and bytes next to
 * the newline byte (0x09, 0x0b, 0x8a), and when moved forward in steps or backward.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json_bytes.h"

/* The cursor as json_parse has always defined it, one byte at a time.  */
static struct json_pos
reference (const char *buf, size_t off)
{
  struct json_pos pos = { 0, 1, 1 };

  for (; pos.off < off; pos.off++)
    {
      unsigned char c = (unsigned char)buf[pos.off];
      if (c == '\n')
        pos.line++, pos.column = 1;
      else if ((c & 0xC0) != 0x80)
        pos.column++;
    }
  return pos;
}

static void
assert_pos (struct json_pos got, struct json_pos want)
{
  assert_int_equal (got.off, want.off);
  assert_int_equal (got.line, want.line);
  assert_int_equal (got.column, want.column);
}

/* Text of the pieces below, or of its ASCII pieces only (the first `ascii_pieces`).  */
static void
fill_from (char *buf, size_t len, uint64_t seed, bool ascii)
{
  static const char *const pieces[] = { "\n",
                                        "a",
                                        "\t",
                                        "\x0b",
                                        "\n\n",
                                        "        ",
                                        "\"k\": 1,",
                                        "\x8a",
                                        "\xc3\xa9",
                                        "\xe2\x82\xac",
                                        "\xf0\x9f\x98\x80" };
  const size_t ascii_pieces = 7, n = ascii ? ascii_pieces : sizeof (pieces) / sizeof (*pieces);
  size_t i = 0;

  while (i < len)
    {
      const char *p;
      seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
      p = pieces[seed % n];
      for (; *p != '\0' && i < len; p++)
        buf[i++] = *p;
    }
}

static void
fill (char *buf, size_t len, uint64_t seed)
{
  fill_from (buf, len, seed, false);
}

static void
test_every_offset (void **state)
{
  char buf[300];

  (void)state;
  for (uint64_t seed = 1; seed <= 20; seed++)
    {
      fill (buf, sizeof (buf), seed * 0x9e3779b97f4a7c15ull);
      for (size_t from = 0; from <= sizeof (buf); from += 7)
        for (size_t to = from; to <= sizeof (buf); to++)
          {
            struct json_pos pos = reference (buf, from);
            json_pos_advance (buf, &pos, to);
            assert_pos (pos, reference (buf, to));
          }
    }
}

static void
test_steps_and_back (void **state)
{
  char buf[4096];
  struct json_pos pos = { 0, 1, 1 };

  (void)state;
  fill (buf, sizeof (buf), 42);
  for (size_t to = 0; to <= sizeof (buf); to += 1 + to % 13)
    {
      json_pos_advance (buf, &pos, to);
      assert_pos (pos, reference (buf, to));
    }
  json_pos_advance (buf, &pos, 100); /* backward: from the start again */
  assert_pos (pos, reference (buf, 100));
}

/* json_pos_advance_ascii, on ASCII text, is json_pos_advance: from every start to every end,
 * in steps, and backward.  */
static void
test_ascii_cursor (void **state)
{
  char buf[300], big[4096];
  struct json_pos pos = { 0, 1, 1 };

  (void)state;
  for (uint64_t seed = 1; seed <= 20; seed++)
    {
      fill_from (buf, sizeof (buf), seed * 0x9e3779b97f4a7c15ull, true);
      for (size_t from = 0; from <= sizeof (buf); from += 7)
        for (size_t to = from; to <= sizeof (buf); to++)
          {
            struct json_pos got = reference (buf, from);
            json_pos_advance_ascii (buf, &got, to);
            assert_pos (got, reference (buf, to));
          }
    }
  fill_from (big, sizeof (big), 42, true);
  for (size_t to = 0; to <= sizeof (big); to += 1 + to % 13)
    {
      json_pos_advance_ascii (big, &pos, to);
      assert_pos (pos, reference (big, to));
    }
  json_pos_advance_ascii (big, &pos, 100);
  assert_pos (pos, reference (big, 100));
}

static bool
string_special (unsigned char c)
{
  return c >= 0x80 || c < 0x20 || c == '"' || c == '\\';
}

static bool
outside_special (unsigned char c)
{
  return c >= 0x80 || c == '"' || c == '/' || c == '\v' || c == '\f';
}

/* A word's mask is 0 exactly when none of its bytes is special, and json_word_skip passes over
 * ordinary bytes only, stopping (on a little-endian machine) at a special one: the scans of
 * json_parse skip what they skip by it.  Words of bytes next to each boundary, every mix.  */
static void
check_word (const unsigned char b[8])
{
  uint64_t word;
  uint64_t masks[2];
  bool (*special[2]) (unsigned char) = { string_special, outside_special };

  memcpy (&word, b, sizeof (word));
  masks[0] = json_word_string_special (word);
  masks[1] = json_word_outside_special (word);
  for (size_t k = 0; k < 2; k++)
    {
      size_t first = 8, skip;
      for (size_t j = 8; j-- > 0;)
        if (special[k](b[j]))
          first = j;
      assert_true ((masks[k] == 0) == (first == 8));
      if (masks[k] == 0)
        continue;
      skip = json_word_skip (masks[k]);
      assert_true (skip <= first);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      assert_int_equal (skip, first);
#endif
    }
}

static void
test_word_masks (void **state)
{
  static const unsigned char bytes[] = {
    0x00, 0x01, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1f, 0x20, 0x21, '"',  0x23, '.',  '/',  '0',
    '[',  '\\', ']',  'a',  0x7e, 0x7f, 0x80, 0x81, 0xa0, 0xbf, 0xc3, 0xdf, 0xe2, 0xf0, 0xff
  };
  const size_t nb = sizeof (bytes);
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  unsigned char b[8];

  (void)state;
  /* Every byte at every place among ordinary ones, and after every other byte.  */
  for (size_t x = 0; x < nb; x++)
    for (size_t y = 0; y < nb; y++)
      for (size_t at = 0; at < 8; at++)
        {
          memset (b, ' ', sizeof (b));
          b[at] = bytes[x];
          b[(at + 1) % 8] = bytes[y];
          check_word (b);
        }
  for (size_t n = 0; n < 200000; n++)
    {
      for (size_t j = 0; j < 8; j++)
        {
          seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
          b[j] = bytes[seed % nb];
        }
      check_word (b);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_every_offset),
    cmocka_unit_test (test_steps_and_back),
    cmocka_unit_test (test_ascii_cursor),
    cmocka_unit_test (test_word_masks),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
