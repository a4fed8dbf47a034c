/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The file changes of one `ocigate runtime configure|unconfigure`, planned first, then printed
 * (--dry-run) or applied all or nothing: when a step fails, the steps before it are undone in
 * reverse order, so a refused or failed command leaves every file as it was.
 *
 * A file is written whole and atomically (a temporary file in the same directory, renamed over
 * the original: policy/spec/fsutil.c fsutil_atomic_replace_at, which keeps the original's owner and
 * mode); a new file gets the owner and mode the plan gives it.
 *
 * Owns: planning, printing (the result and a unified diff), applying and undoing.
 * Must not: decide what to change.  */
#ifndef OCG_CHANGESET_H
#define OCG_CHANGESET_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "err.h"

enum change_kind
{
  CHANGE_WRITE,   /* write a file (create or replace) */
  CHANGE_REMOVE,  /* remove a file */
  CHANGE_SYMLINK, /* make path a symlink to target (replacing what is there) */
  CHANGE_MKDIR,   /* create a directory */
  CHANGE_RMDIR,   /* remove a directory if it is empty */
};

struct change
{
  enum change_kind kind;
  char *path;
  char *data; /* CHANGE_WRITE: the new bytes */
  size_t len;
  mode_t mode;  /* a new file or directory: its mode (owner root:root) */
  char *target; /* CHANGE_SYMLINK */
  char *what;   /* one line for the summary */
  bool backup;  /* a backup copy: --dry-run names it without printing it */
  /* Filled while applying, for undoing.  */
  bool applied;
  bool existed;
  char *old;
  size_t old_len;
  char *old_link;
  mode_t old_mode;
  uid_t old_uid;
  gid_t old_gid;
};

struct changeset
{
  struct change *v;
  size_t n;
};

void changeset_write (struct changeset *cs, const char *path, const char *data, size_t len,
                      mode_t new_mode, const char *what);
/* A copy of a file's bytes before it changes, at `path` (mode 0600 when new).  */
void changeset_backup (struct changeset *cs, const char *path, const char *data, size_t len);
void changeset_remove (struct changeset *cs, const char *path, const char *what);
void changeset_symlink (struct changeset *cs, const char *path, const char *target,
                        const char *what);
void changeset_mkdir (struct changeset *cs, const char *path, const char *what);
void changeset_rmdir (struct changeset *cs, const char *path, const char *what);

/* --dry-run: for each change what it would do; for a file, its resulting content and the
 * unified diff against what is there now.  */
void changeset_print (const struct changeset *cs, FILE *out);

/* Apply every change in order; on failure undo the applied ones and return -1.  */
OCG_MUST_CHECK
int changeset_apply (struct changeset *cs, ocg_error_t *err);

/* Undo what changeset_apply applied (after a failed verification).  */
void changeset_undo (struct changeset *cs);

/* The one-line summaries, for the report of what was done.  */
void changeset_summary (const struct changeset *cs, FILE *out);

void changeset_release (struct changeset *cs);

/* The bytes of a regular file (at most 4 MiB; NULL with *exists false when it does not exist,
 * NULL with *exists true and an error when it cannot be read).  */
OCG_MUST_CHECK
char *changeset_read (const char *path, size_t *len, bool *exists, ocg_error_t *err);

#endif
