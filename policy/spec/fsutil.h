/* SPDX-License-Identifier: GPL-2.0-or-later */
/* File I/O for documents ocigate judges and rewrites: bounded reads relative to a directory fd,
 * and an atomic, durable replace that keeps the original's mode and owner.
 *
 * Owns: every open/read/write/rename of a bundle file.
 * Must not: parse, decide policy, log.  */
#ifndef OCG_FSUTIL_H
#define OCG_FSUTIL_H

#include <stddef.h>

#include "err.h"

/* Read `name` relative to dirfd (AT_FDCWD allowed).  Opened with O_NOFOLLOW (a symlink as the last
 * component is refused) and O_NONBLOCK (a FIFO cannot block us), then it must be a regular file of
 * at most max_bytes; the cap also holds if the file grows while we read it.  Returns a malloc'd,
 * NUL-terminated buffer (length in *len), or NULL.  */
char *fsutil_read_at (int dirfd, const char *name, size_t max_bytes, size_t *len, ocg_error_t *err);

/* Read fd to its end (stdin for `update --resources -`), refusing more than max_bytes.  `name` is
 * for messages.  Same result contract as fsutil_read_at.  */
char *fsutil_read_fd (int fd, const char *name, size_t max_bytes, size_t *len, ocg_error_t *err);

/* Atomically replace the regular file `name` (a single path component) in dirfd with buf[0..len):
 * temp file `.<name>.XXXXXX` created in the same directory with O_CREAT|O_EXCL|O_NOFOLLOW, given
 * the original's owner and mode, written whole, fsync'd, swapped in with renameat2, and the
 * directory fsync'd.  On any failure the temp file is unlinked and `name` still holds the
 * original bytes.  Returns 0 or -1.  */
/* Write all of buf, retrying EINTR and short writes; a write of zero bytes is EIO.  Returns 0, or
 * -1 with errno set (no error object: callers add their own context).  The test fault hook
 * applies to each write(2).  */
int fsutil_write_all (int fd, const void *buf, size_t len);

int fsutil_atomic_replace_at (int dirfd, const char *name, const void *buf, size_t len,
                              ocg_error_t *err);

/* FOR TESTS ONLY: the steps of fsutil_atomic_replace_at at which a failure can be injected.  */
enum fsutil_step
{
  FSUTIL_STEP_OPEN,    /* create the temp file */
  FSUTIL_STEP_WRITE,   /* each write(2) */
  FSUTIL_STEP_FSYNC,   /* fsync the temp file */
  FSUTIL_STEP_RENAME,  /* swap it in */
  FSUTIL_STEP_DIRSYNC, /* fsync the directory */
};

/* FOR TESTS ONLY (tests/unit/test_atomic.c): when set, called before each step; a non-zero return
 * is an errno value that step then fails with, as if the system call had.  Production code never
 * sets it.  */
extern int (*fsutil_fault_hook) (enum fsutil_step step);

#endif
