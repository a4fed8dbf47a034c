/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How Go's encoding/json matches an object key to a struct field name (see gofold.h).
 * Owns: the fold (schema.c applies it).  Must not: allocate, do I/O.  */
#include <config.h>

#include <stdbool.h>

#include "gofold.h"

static char
ascii_lower (unsigned char c)
{
  return (char)((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
}

/* Go 1.19 fold.go, for an ASCII field name against any key: ASCII letters match in either case
 * (simpleLetterEqualFold, asciiEqualFold), equalFoldRight also lets U+017F (C5 BF) match s/S and
 * U+212A (E2 84 AA) match k/K, and every other byte must be equal.  */
bool
gofold_equal (const char *name, const char *key)
{
  const unsigned char *k = (const unsigned char *)key;
  for (const char *n = name; *n != '\0'; n++)
    {
      char lower = ascii_lower ((unsigned char)*n);
      if (lower == 's' && k[0] == 0xc5 && k[1] == 0xbf)
        k += 2;
      else if (lower == 'k' && k[0] == 0xe2 && k[1] == 0x84 && k[2] == 0xaa)
        k += 3;
      else if (k[0] != '\0' && k[0] < 0x80 && ascii_lower (k[0]) == lower)
        k++;
      else
        return false;
    }
  return *k == '\0';
}

bool
gofold_is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((unsigned char)*s >= 0x80)
      return false;
  return true;
}
