/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to policy/hostfacts/hostfacts*.c: the path walks' shared pieces (hostfacts_walk.c).  */
#ifndef OCG_HOSTFACTS_WALK_H
#define OCG_HOSTFACTS_WALK_H

#include <stdbool.h>

#include "hostfacts.h"

/* The kernel gives up after 40 symlinks in one path walk (fs/namei.c MAXSYMLINKS, ELOOP).  */
#define HOSTFACTS_MAX_LINKS 40u

/* Path components the walks may look up for one judgement, in all: a bind source of a few dozen
 * components is walked a few times, so real documents use a few thousand; 4096 mounts of
 * 2000-component paths with symlinks would otherwise cost minutes.  Past it a walk fails, and a
 * failed walk is never a trusted one.  Reset by hostfacts_init_real.  */
#define HOSTFACTS_WALK_BUDGET 262144u

/* Take one lookup from the budget; false when it is spent.  hostfacts_walk_reset refills it.  */
bool hostfacts_walk_spend (void);
void hostfacts_walk_reset (void);
/* What is left of the budget.  */
unsigned hostfacts_walk_left (void);

/* hostfacts_docpaths.c: put the memo of the document's path facts in front of host's
 * canonical_path, path_exists, same_file, path_trusted(_for) and path_object, emptied; called by
 * hostfacts_init_mounts, after the other groups are wired.  */
void hostfacts_docpaths_init (struct host_facts *host);

/* Is the budget spent (a walk may have stopped short)?  */
bool hostfacts_walk_spent (void);

/* hostfacts_cache.c: the policy paths' answers kept across calls (see hostfacts.h,
 * hostfacts_policy_store).  Emptied by hostfacts_walk_reset.  */
void hostfacts_cache_reset (void);
/* The kept canonical form of the policy path `path` (malloc'd in *canon), once the kept answers
 * are known to hold; false when there is none (walk it).  */
bool hostfacts_cache_canon (const struct host_facts *host, const char *path, char **canon);
/* Do fresh walks of policy paths record what they depend on?  */
bool hostfacts_cache_recording (void);
/* A fresh walk's answer; `sure`: every lookup that failed found the name missing.  */
void hostfacts_cache_add_canon (const char *path, const char *canon, bool sure);
/* A fresh walk of a policy path looks names up in the directory `dfd`, whose canonical form is
 * `path`: remember its identity (before the lookup).  */
void hostfacts_cache_record_dir (int dfd, const char *path);
/* The host fact policy_path_object.  */
bool hostfacts_policy_path_object (const struct host_facts *host, const char *canon,
                                   struct host_object *out);

/* The host facts canonical_path and canonical_policy_path (see hostfacts.h); the memo of the
 * latter is emptied by hostfacts_walk_reset.  */
char *hostfacts_canonical_path (const struct host_facts *host, const char *path);
char *hostfacts_canonical_policy_path (const struct host_facts *host, const char *path);

/* hostfacts_mounts.c: the mount table of host->mount_table without a copy when it is the real
 * one (read once for the life of the facts); otherwise host->mount_table's, filled into *owned,
 * which the caller releases either way.  NULL when there is none.  */
const struct host_mounts *hostfacts_mount_table_borrow (const struct host_facts *host,
                                                        struct host_mounts *owned);
/* hostfacts_sockets.c: forget the listening sockets read for the previous facts.  */
void hostfacts_sockets_reset (void);

#endif
