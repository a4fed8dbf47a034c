/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The profiles a policy file can select, and suggestions for misspelt names
 * (policy_file_suggest.c).  Shared by the policy_file*.c files only.  */
#ifndef OCG_POLICY_FILE_SUGGEST_H
#define OCG_POLICY_FILE_SUGGEST_H

#include <stdbool.h>

#include "policy_file_tree.h"

/* The closest of `candidates` (NULL-terminated) to a misspelt `word`, or NULL when none is
 * close enough to be what was meant.  */
const char *policy_file_closest (const char *word, const char *const *candidates);

/* "; did you mean `X`?" for the closest candidate, or "" (malloc'd either way).  */
char *policy_file_did_you_mean (const char *word, const char *const *candidates);

/* Every profile name the file can select, built-ins first (malloc'd, NULL-terminated).  */
char **policy_file_profile_names (const struct policy_file *pf);

/* A profile the file defines or a built-in one?  */
bool policy_file_profile_exists (const struct policy_file *pf, const char *name);

/* "unknown profile `x` (profiles: a, b, c; did you mean `b`?)" for an error message.  */
char *policy_file_unknown_profile (const struct policy_file *pf, const char *name);

#endif
