/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seccomp profiles a policy names by path that passed seccomp_check_profile, remembered in
 * root-only files so that the check (compiling every architecture and capability variant with
 * libseccomp, hundreds of milliseconds) runs once per version of the profile and of what judged
 * it.
 *
 * Owns: OCG_RUN_DIR/seccomp/<sha-256 of the key>, each holding the key and "verdict ok".  The key
 * is everything the check's answer depends on: the profile's bytes (SHA-256 and length), the
 * kernel (uname release and version), libseccomp (version and API level), the architecture and
 * the ocigate binary that judged it (its version, commit and the identity of /proc/self/exe).
 * Only passes are remembered: a profile that fails is checked again every time and says why.
 * Must not: remember anything for a non-root caller (there is no root-only place for it), or
 * trust an entry that is not exactly the key followed by the verdict, in a regular file owned by
 * root and writable by nobody else, in the record directory: any doubt means checking again.  */
#ifndef OCG_SECCOMP_CACHE_H
#define OCG_SECCOMP_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* Did these exact bytes pass the check here, under this kernel, libseccomp and binary?  */
bool seccomp_cache_known_good (const char *buf, size_t len);

/* Remember that they did.  Errors are ignored: the next call checks again.  */
void seccomp_cache_remember (const char *buf, size_t len);

/* Hand the cache to the policy builder (policy_file_seccomp_cache).  */
void seccomp_cache_enable (void);

#endif
