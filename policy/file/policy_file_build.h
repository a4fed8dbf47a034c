/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From the policy files to the policy of one profile (policy_file_build.c).  */
#ifndef OCG_POLICY_FILE_BUILD_H
#define OCG_POLICY_FILE_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "policy.h"

struct policy_file;

/* The effective policy of `profile` (a built-in or one the file defines): the built-in or
 * `extends` chain with the file's settings applied, the mode (the nearest `mode` in the chain,
 * else the file's `mode`, else the built-in's), `runtime` and `audit_log`, and the seccomp
 * profile loaded (and checked with seccomp_check_profile when named by path).  No exemption is
 * applied.  Returns a new policy or NULL.  */
OCG_MUST_CHECK
struct policy *policy_file_build (const struct policy_file *pf, const char *profile,
                                  ocg_error_t *err);

/* Where a seccomp profile named by path that passed seccomp_check_profile is remembered, so that
 * the same bytes are not checked again (shim/seccomp_cache.h; the builder knows only this
 * interface).  NULL, the default: every profile is checked every time.  */
struct seccomp_check_cache
{
  bool (*known_good) (const char *buf, size_t len); /* these exact bytes passed before */
  void (*remember) (const char *buf, size_t len);   /* they passed now */
};
extern const struct seccomp_check_cache *policy_file_seccomp_cache;

/* For the loader: the profiles' cross-references in the merged tree (the default profile, each
 * `extends` and its chain).  */
OCG_MUST_CHECK
int policy_file_validate_profiles (struct policy_file *pf, ocg_error_t *err);

#endif
