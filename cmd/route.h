/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a runtime route lands: a binary named by an absolute path or looked up on a daemon's
 * PATH, resolved in that daemon's own root, and what the file found is (binid.h).
 *
 * Owns: combining hostproc's lookup with binid's classification.
 * Must not: decide severity.  */
#ifndef OCG_ROUTE_H
#define OCG_ROUTE_H

#include <stdbool.h>
#include <sys/types.h>

#include "binid.h"

/* systemd's default PATH for services (systemd.exec(5) "Environment variables in spawned
 * processes"), assumed for a daemon that does not run or whose environment cannot be read.  */
#define ROUTE_SYSTEMD_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct route_target
{
  char *path;      /* where it landed, in the daemon's view; NULL: nothing found */
  struct binid id; /* what it is */
};

void route_release (struct route_target *t);

/* Resolve `binary` for process `pid` (0: ours): an absolute path is opened in its root; a bare
 * name is looked up on `path_env` as Go's exec.LookPath does.  */
void route_resolve (pid_t pid, const char *path_env, const char *binary, struct route_target *t);

/* Does the route reach this ocigate (itself, not a copy)?  */
bool route_is_ocigate (const struct route_target *t);

/* "/usr/sbin/runc (not ocigate)" / "nothing (no `runc` on PATH ...)" for messages, malloc'd.  */
char *route_describe (const struct route_target *t, const char *binary);

#endif
