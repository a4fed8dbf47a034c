/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the shim's unit tests share: a fresh temp dir per test, files in it, reading them back,
 * capturing what a function writes to stdout or stderr, and saying why a test that needs root
 * is skipped.  Failures are cmocka assertions.  */
#ifndef OCG_TEST_SCRATCH_H
#define OCG_TEST_SCRATCH_H

#include <stdbool.h>
#include <sys/types.h>

/* The test's temp dir, made by scratch_setup and removed by scratch_teardown (cmocka fixtures).  */
extern char *scratch_dir;
int scratch_setup (void **state);
int scratch_teardown (void **state);

/* mkdtemp of /tmp/ocg-test-WHAT-XXXXXX, mode 0755 (trusted when root runs the test): malloc'd,
 * or NULL.  */
char *scratch_make (const char *what);

/* Remove the tree and free the name.  */
void scratch_remove (char *dir);

/* DIR/NAME holding TEXT with MODE; a missing parent is made 0700 (as runc makes <root>/<id>).
 * Returns the path, malloc'd.  */
char *scratch_put (const char *dir, const char *name, const char *text, mode_t mode);

/* The whole file, malloc'd.  */
char *scratch_read (const char *path);

/* Send FD (STDOUT_FILENO, STDERR_FILENO) to FILE until scratch_capture_end, which returns what
 * was written there, malloc'd.  */
int scratch_capture_begin (int fd, const char *file);
char *scratch_capture_end (int fd, int saved, const char *file);

/* True when root runs the test; else prints why the test is skipped (the caller skips).  */
bool scratch_have_root (const char *why);

#endif
