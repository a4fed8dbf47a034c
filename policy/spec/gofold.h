/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Go 1.19 encoding/json key folding, for schema.c's refusal of keys runc would read as a field
 * that crun and ocigate do not.  */
#ifndef OCG_GOFOLD_H
#define OCG_GOFOLD_H

#include <stdbool.h>

/* Does Go's decoder match `key` to the ASCII field name `name` (fold.go foldFunc)?  */
bool gofold_equal (const char *name, const char *key);

/* Is every byte of s ASCII?  */
bool gofold_is_ascii (const char *s);

#endif
