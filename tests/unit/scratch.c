/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the shim's unit tests share (see scratch.h).  */
#include <config.h>

#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsutil.h"
#include "scratch.h"
#include "util.h"

char *
scratch_make (const char *what)
{
  char *dir = xasprintf ("/tmp/ocg-test-%s-XXXXXX", what);

  if (mkdtemp (dir) == NULL || chmod (dir, 0755) < 0)
    {
      free (dir);
      return NULL;
    }
  return dir;
}

char *scratch_dir;

int
scratch_setup (void **state)
{
  (void)state;
  scratch_dir = scratch_make ("shim");
  return scratch_dir == NULL ? -1 : 0;
}

int
scratch_teardown (void **state)
{
  (void)state;
  scratch_remove (scratch_dir);
  scratch_dir = NULL;
  return 0;
}

static int
rm_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st, (void)flag, (void)ftw;
  return remove (path);
}

void
scratch_remove (char *dir)
{
  if (dir != NULL)
    nftw (dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free (dir);
}

char *
scratch_put (const char *dir, const char *name, const char *text, mode_t mode)
{
  char *path = xasprintf ("%s/%s", dir, name);
  cleanup_free char *parent = xstrdup (path);
  cleanup_close int fd = -1;

  *strrchr (parent, '/') = '\0';
  mkdir (parent, 0700);
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  assert_true (fd >= 0);
  assert_int_equal (write (fd, text, strlen (text)), (ssize_t)strlen (text));
  assert_int_equal (fchmod (fd, mode), 0);
  return path;
}

char *
scratch_read (const char *path)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  char *text;

  assert_true (fd >= 0);
  text = fsutil_read_fd (fd, path, 1 << 22, &len, &err);
  assert_non_null (text);
  return text;
}

int
scratch_capture_begin (int fd, const char *file)
{
  int saved = dup (fd);
  cleanup_close int to = open (file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  assert_true (saved >= 0 && to >= 0);
  fflush (NULL);
  assert_int_equal (dup2 (to, fd), fd);
  return saved;
}

char *
scratch_capture_end (int fd, int saved, const char *file)
{
  fflush (NULL);
  assert_int_equal (dup2 (saved, fd), fd);
  close (saved);
  return scratch_read (file);
}

bool
scratch_have_root (const char *why)
{
  if (geteuid () == 0)
    return true;
  print_message ("# SKIPPED: needs root: %s\n", why);
  return false;
}
