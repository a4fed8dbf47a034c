/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `--format text|json|sarif` (see outformat.h).  */
#include <config.h>

#include "outformat.h"
#include "util.h"

int
out_format_parse (const char *name, enum out_format *out, ocg_error_t *err)
{
  static const char *const names[] = { "text", "json", "sarif" };

  for (size_t i = 0; name != NULL && i < ARRAY_SIZE (names); i++)
    if (str_eq (name, names[i]))
      return *out = (enum out_format)i, 0;
  return ocg_error_set (err, 0, "unknown format `%.64s` (expected text, json or sarif)",
                        name ? name : "");
}
