/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Numbers as runc and crun read them from their command lines (see gonum.h).  Each function
 * follows the named upstream function step by step, so that a value is refused here exactly
 * where the runtime refuses it.  */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gonum.h"

static char
lower (char c)
{
  return (char)(c | ('x' - 'X'));
}

/* go1.19 strconv.underscoreOK: underscores only between digits (a base prefix counts as one).  */
static bool
underscore_ok (const char *s)
{
  char saw = '^';
  bool hex = false;

  if (*s == '-' || *s == '+')
    s++;
  if (s[0] == '0' && s[1] != '\0' && strchr ("box", lower (s[1])) != NULL)
    {
      hex = lower (s[1]) == 'x';
      saw = '0';
      s += 2;
    }
  for (; *s != '\0'; s++)
    {
      if ((*s >= '0' && *s <= '9') || (hex && lower (*s) >= 'a' && lower (*s) <= 'f'))
        saw = '0';
      else if (*s == '_' && saw != '0')
        return false;
      else if (*s == '_')
        saw = '_';
      else if (saw == '_')
        return false;
      else
        saw = '!';
    }
  return saw != '_';
}

/* strconv.ParseUint's base-0 prefix: 0b, 0o, 0x (each needs a third character), else a leading
 * 0 means octal.  */
static const char *
base_prefix (const char *s, int *base)
{
  *base = 10;
  if (s[0] != '0')
    return s;
  if (strlen (s) >= 3 && strchr ("box", lower (s[1])) != NULL)
    {
      *base = lower (s[1]) == 'b' ? 2 : lower (s[1]) == 'o' ? 8 : 16;
      return s + 2;
    }
  *base = 8;
  return s + 1;
}

static int
digit_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (lower (c) >= 'a' && lower (c) <= 'z')
    return lower (c) - 'a' + 10;
  return 99;
}

int
gonum_parse_uint (const char *s, int base, uint64_t *out)
{
  const char *s0 = s;
  bool base0 = base == 0, underscores = false;
  uint64_t n = 0;

  if (*s == '\0' || (base != 0 && base != 10))
    return -1;
  if (base0)
    s = base_prefix (s, &base);
  for (; *s != '\0'; s++)
    {
      int d = digit_value (*s);

      if (*s == '_' && base0)
        {
          underscores = true;
          continue;
        }
      if (d >= base || n > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
        return -1;
      n = n * (uint64_t)base + (uint64_t)d;
    }
  if (underscores && !underscore_ok (s0))
    return -1;
  *out = n;
  return 0;
}

int
gonum_parse_int (const char *s, int base, int64_t *out)
{
  bool neg = *s == '-';
  uint64_t un = 0;

  if (*s == '-' || *s == '+')
    s++;
  if (gonum_parse_uint (s, base, &un) < 0)
    return -1;
  if (neg ? un > (uint64_t)INT64_MAX + 1 : un > (uint64_t)INT64_MAX)
    return -1;
  *out = neg ? (int64_t)(0 - un) : (int64_t)un;
  return 0;
}

/* `\d+(\.\d+)*`: the length of the number, and how many dots it has, or 0.  */
static size_t
size_number (const char *s, int *dots)
{
  size_t i = 0;

  *dots = 0;
  while (s[i] >= '0' && s[i] <= '9')
    i++;
  while (i > 0 && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
    {
      (*dots)++;
      for (i++; s[i] >= '0' && s[i] <= '9'; i++)
        ;
    }
  return i;
}

/* ` ?([kKmMgGtTpP])?[iI]?[bB]?$`: the unit's power of 1024 in *shift, or -1.  */
static int
size_suffix (const char *s, int *shift)
{
  static const char units[] = "kmgtp";
  const char *u;

  *shift = 0;
  if (*s == ' ')
    s++;
  if (*s != '\0' && (u = strchr (units, lower (*s))) != NULL)
    {
      *shift = 10 * (int)(u - units + 1);
      s++;
    }
  if (lower (*s) == 'i')
    s++;
  if (lower (*s) == 'b')
    s++;
  return *s == '\0' ? 0 : -1;
}

/* Go's int64(f) for a float64 f >= 0, as the machine's instruction does it: cvttsd2si (x86-64)
 * gives the "integer indefinite" INT64_MIN out of range, fcvtzs (arm64) saturates.  */
static int64_t
go_float_to_int64 (double f)
{
  if (f < 9223372036854775808.0)
    return (int64_t)f;
#if defined(__aarch64__)
  return INT64_MAX;
#else
  return INT64_MIN;
#endif
}

int
gonum_ram_in_bytes (const char *s, int64_t *out)
{
  int dots = 0, shift = 0;
  size_t len = size_number (s, &dots);
  double f;

  /* More than one dot matches the regexp, but strconv.ParseFloat refuses it.  */
  if (len == 0 || dots > 1 || size_suffix (s + len, &shift) < 0)
    return -1;
  /* The suffix cannot continue a decimal number, so strtod stops where the regexp's number does
   * (ocigate never calls setlocale: the decimal point is '.').  ParseFloat fails on overflow
   * (+Inf, ErrRange) and rounds an underflow without error, as strtod does.  */
  errno = 0;
  f = strtod (s, NULL);
  if (errno == ERANGE && isinf (f))
    return -1;
  *out = go_float_to_int64 (f * (double)(1ull << shift));
  return 0;
}

int
gonum_crun_id (const char *s, uint32_t *out, const char **end)
{
  char *stop = NULL;
  long v;

  errno = 0;
  v = strtol (s, &stop, 10);
  if (errno == ERANGE)
    return -1;
  *out = (uint32_t)(unsigned long)v;
  *end = stop;
  return 0;
}
