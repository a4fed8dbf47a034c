/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy files as the verbs that do not judge see them: start, state, kill, delete, pause,
 * resume, ps, events, list, features, --version, ...
 *
 * Those verbs cannot loosen a container, so a broken policy file (a typo, a file being replaced,
 * wrong permissions) must never stop them.  They need two things from the files, and get both
 * without the strict loader:
 *
 * - the top-level `runtime` and `audit_log` keys, read by a scanner that tolerates errors
 *   anywhere else in a file (the same files, in the same order, as policy_file.h locates them;
 *   a file that fails the ownership checks is skipped, never read);
 * - whether the files are valid, to say so: validated with the strict loader once per version of
 *   the files and remembered in a root-only stamp keyed by their identity (device, inode, size,
 *   mode, owner, mtime and ctime of the main file, its directory, the drop-in directory and every
 *   drop-in), so that the common call costs a few stat(2)s and one small read.
 *
 * Owns: the scanner (policy_peek.c), the stamps (policy_stamp.c, in OCG_RUN_DIR/policy).
 * Must not: judge, or fail a call.  */
#ifndef OCG_POLICY_PEEK_H
#define OCG_POLICY_PEEK_H

#include <stdbool.h>
#include <stddef.h>

struct policy_peek
{
  char *runtime;   /* the last file's `runtime` that is a string, or NULL */
  char *audit_log; /* the same for `audit_log` */
};

/* Read `runtime` and `audit_log` from the policy files (`explicit_path`: --ocigate-policy, or
 * NULL for OCIGATE_POLICY / the default, as policy_file_load).  Never fails: what cannot be read
 * is left NULL.  */
void policy_peek_read (const char *explicit_path, struct policy_peek *out);

void policy_peek_release (struct policy_peek *peek);

/* The scanner alone, over one file's text: sets the keys the text sets (a `null` clears).  */
void policy_peek_scan (const char *text, size_t len, struct policy_peek *out);

/* NULL when the policy files are valid or absent; else why not (malloc'd, what create would
 * say).  *fresh is set when they were validated by this call rather than known from a stamp:
 * the first call that meets a version of the files.  */
char *policy_peek_health (const char *explicit_path, bool *fresh);

/* The policy files as one pass-through call sees them: their identity and, when a stamp knows
 * that identity, the verdict and the `runtime` and `audit_log` the scanner read from that very
 * version.  Every pass-through call asks the stamp anyway (to say a broken policy); keeping the
 * scanner's values in it too spares the common call the trusted walk over every file (the stamp
 * is root's, in a root-only directory, like the records that choose the runtime).  The values
 * are added by the first call that needs them (validating alone reads every file once, and
 * scanning would read them again).  The identity is taken before the files are read, so a stamp
 * never pairs a version with a later content.  */
struct policy_view
{
  struct policy_peek peek; /* valid when `peeked` */
  bool peeked;
  int verdict; /* 1 valid or absent, 0 broken (`error`), -1 not known yet */
  char *error;
  char *id;   /* the identity text, NULL when there are no policy files */
  char *name; /* the stamp's name */
  int dir;    /* the stamp directory, or -1 */
};

/* Never fails: what cannot be known stays unknown (verdict -1, not peeked).  */
void policy_view_open (const char *explicit_path, struct policy_view *v);

/* The scanner's values: from the stamp, or read now.  */
const struct policy_peek *policy_view_peek (const char *explicit_path, struct policy_view *v);

/* As policy_peek_health; a version met for the first time is validated and stamped, with its
 * scanner values.  */
char *policy_view_health (const char *explicit_path, struct policy_view *v, bool *fresh);

void policy_view_release (struct policy_view *v);

/* Remove stamps of policy files that no longer exist.  Errors are ignored.  */
void policy_peek_sweep (void);

/* Shared with policy_stamp.c: where the files are, as policy_file.h locates them (the main
 * file, its directory, its drop-in directory), and the drop-in names in merge order.  */
struct policy_peek_location
{
  char *main;
  char *dir;
  char *dropins;
};

void policy_peek_locate (const char *explicit_path, struct policy_peek_location *loc);
void policy_peek_location_release (struct policy_peek_location *loc);
char **policy_peek_dropin_names (int dfd, size_t *n);

#endif
