/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seccomp rule's plans (policy/rules/seccomp_plan.h) remembered across calls in root-only
 * files, so that a create whose seccomp object, bounding set, policy profile and host were seen
 * before neither parses the policy's profile nor specialises and merges it (about 2.5 M
 * instructions for Docker's default config).
 *
 * Owns: OCG_RUN_DIR/seccomp-plans/<slot: 3 hex digits>, at most 1024 of at most 64 KiB, each
 * holding the identity of the ocigate binary that computed it (version, commit, and the
 * linker's build ID, a hash of its contents; without one the device, inode, size and times of
 * /proc/self/exe), the rule's key whole, and the plan.  An entry is used
 * only when the binary and the key are exactly this call's: the file name (a hash of both) only
 * says where to look, so a document made to collide with another's slot can at worst evict its
 * entry, never be handed its plan.
 * Must not: remember anything for a non-root caller (there is no root-only place for it), or
 * trust an entry that is not exactly what this code writes, in a regular file owned by root and
 * writable by nobody else, in the record directory: any doubt means computing the plan again.  */
#ifndef OCG_SECCOMP_PLAN_CACHE_H
#define OCG_SECCOMP_PLAN_CACHE_H

#include <stddef.h>

/* The plan remembered under exactly key[0..key_len) by this binary (malloc'd, length in *len),
 * or NULL.  */
char *seccomp_plan_cache_recall (const char *key, size_t key_len, size_t *len);

/* Remember one.  Errors are ignored: the next call computes it again.  */
void seccomp_plan_cache_remember (const char *key, size_t key_len, const char *value, size_t len);

/* Hand the cache to the seccomp rule (seccomp_plan_store).  */
void seccomp_plan_cache_enable (void);

#endif
