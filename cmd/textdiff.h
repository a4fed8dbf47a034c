/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A unified diff (`diff -u` format) of two texts, for `ocigate runtime configure --dry-run`.
 *
 * Owns: splitting into lines, the longest common subsequence, the hunks.
 * Must not: read or write files.  */
#ifndef OCG_TEXTDIFF_H
#define OCG_TEXTDIFF_H

#include <stddef.h>

/* The unified diff turning a[0..alen) into b[0..blen), with 3 lines of context, headed
 * "--- old_name" / "+++ new_name".  Empty string when the texts are equal.  A text without a
 * final newline gets "\ No newline at end of file" as diff(1) writes it.  malloc'd.  */
char *textdiff_unified (const char *a, size_t alen, const char *b, size_t blen,
                        const char *old_name, const char *new_name);

#endif
