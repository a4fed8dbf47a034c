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

/* The host facts canonical_path and canonical_policy_path (see hostfacts.h); the memo of the
 * latter is emptied by hostfacts_walk_reset.  */
char *hostfacts_canonical_path (const struct host_facts *host, const char *path);
char *hostfacts_canonical_policy_path (const struct host_facts *host, const char *path);

#endif
