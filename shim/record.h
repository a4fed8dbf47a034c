/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which runtime created a container, remembered by ocigate itself.
 *
 * A verb that cannot loosen a container (start, state, kill, delete, ...) must reach the runtime
 * that created it whatever state the policy files are in -- a policy being edited must never
 * strand a running container.  So create, run and restore leave a small record, written by root
 * for root only, right before they exec the runtime; every later call for the same container
 * (the same runtime --root as the engine passed it, or none, and the same id) reads it back.
 *
 * Owns: the record directory (OCG_RUN_DIR/containers, root-owned 0700), the record format, the
 * identity checks on reading (O_NOFOLLOW, fstat: a regular file owned by root and writable by
 * nobody else, in a directory that is the same), and removing records whose container is gone.
 * Must not: choose the runtime (runtime.c weighs the record against the other sources).  */
#ifndef OCG_RECORD_H
#define OCG_RECORD_H

#include <stdbool.h>

#include "argv.h"
#include "err.h"
#include "runtime.h"

#define OCG_RUN_DIR "/run/ocigate"

/* FOR TESTS ONLY (tests/unit/test_shim_lifecycle.c): the directory of the records and the policy
 * stamps.  Production code never changes it from OCG_RUN_DIR.  */
extern const char *record_run_dir;

/* Open (creating it when `create`, mode 0700) a directory below record_run_dir that only root
 * can have written: the fd, or -1.  Used for the records and for the policy stamps.  */
OCG_MUST_CHECK
int record_open_dir (const char *name, bool create, ocg_error_t *err);

/* Replace `name` in `dir` (a record_open_dir directory) with `text`, written under a temporary
 * name and renamed over it, so that a reader sees the old or the new file whole.  */
OCG_MUST_CHECK
int record_write_file (int dir, const char *name, const char *text, ocg_error_t *err);
/* The same with buf[0..len), which may hold NULs.  */
OCG_MUST_CHECK
int record_write_bytes (int dir, const char *name, const char *buf, size_t len, ocg_error_t *err);

/* Remember that `rt` runs inv's container.  Only root keeps records (a non-root caller has no
 * root-owned place for them, and gets the other sources of runtime.c); a container id runc
 * would refuse gets none.  Replaces an earlier record of the same container.  */
OCG_MUST_CHECK
int record_write (const struct runc_invocation *inv, const struct runtime *rt, ocg_error_t *err);

/* The runtime recorded for inv's container (malloc'd), or NULL when there is no trustworthy
 * record.  *state_gone is set when the record names a runtime state directory that no longer
 * exists.  A call that names no container (`list`) gets the runtime of any container recorded
 * under the same --root: one state directory belongs to one runtime.  */
char *record_read (const struct runc_invocation *inv, bool *state_gone);

/* The runtime state directories every trustworthy record names (`ocigate report` finds the
 * runtime roots engines passed as --root through them): malloc'd, NULL-terminated, empty when
 * there are none.  */
char **record_state_dirs (void);

/* Drop inv's record (a pass-through `delete` whose container's state is already gone).  */
void record_forget (const struct runc_invocation *inv);

/* Remove records older than `grace_seconds` whose runtime state directory is gone (a container
 * deleted, or a create that failed).  At most once a minute: returns whether it ran this time.
 * Errors are ignored.  */
bool record_sweep (long grace_seconds);

/* record_write, then record_sweep, through one opening of the records' directory: what a
 * judged create does before it execs the runtime.  Errors are ignored (without a record, later
 * verbs fall back to the policy's runtime); returns whether the sweep ran.  */
bool record_keep (const struct runc_invocation *inv, const struct runtime *rt, long grace_seconds);

#endif
