/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the host facts keep the policy paths' answers between calls (hostfacts.h, struct
 * hostfacts_store; what is kept and how it is checked: policy/hostfacts/hostfacts_cache.c).
 *
 * Owns: OCG_RUN_DIR/hostfacts/policy-paths, one file behind a first line naming the ocigate
 * that wrote it (version, commit and the binary's build ID: another build may walk
 * differently).
 * Must not: keep anything for a non-root caller (there is no root-only place for it), or hand
 * on a file that is not a regular file owned by root and writable by nobody else, in the record
 * directory: any doubt means walking afresh.  */
#ifndef OCG_HOSTFACTS_STORE_H
#define OCG_HOSTFACTS_STORE_H

/* Set hostfacts_policy_store for the judgements of this process.  */
void hostfacts_store_enable (void);

#endif
