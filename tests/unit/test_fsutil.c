/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/spec/fsutil.c: the atomic replace keeps the original's mode and owner, a
 * failure injected at each step leaves the original byte-identical with no temp file behind, and
 * the bounded readers refuse oversize input even when it arrives through a pipe.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "err.h"
#include "fsutil.h"
#include "util.h"

static const char original[] = "{\n  \"original\": true\n}\n";
static const char replacement[] = "{\n  \"replacement\": 18446744073709551615\n}\n";

struct fixture
{
  char *dir;
  int dirfd;
};

static int
setup (void **state)
{
  struct fixture *f = xzalloc (sizeof (*f));
  cleanup_close int fd = -1;

  f->dir = xstrdup ("/tmp/ocg-test-atomic-XXXXXX");
  if (mkdtemp (f->dir) == NULL)
    return -1;
  f->dirfd = open (f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  fd = openat (f->dirfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, original, strlen (original)) != (ssize_t)strlen (original))
    return -1;
  /* An unusual mode and, when we can, an owner that is not ours: both must survive.  */
  if (fchmod (fd, 0640) < 0)
    return -1;
  if (geteuid () == 0 && fchown (fd, 1234, 5678) < 0)
    return -1;
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  struct fixture *f = *state;
  DIR *d = opendir (f->dir);
  struct dirent *de;

  fsutil_fault_hook = NULL;
  while (d != NULL && (de = readdir (d)) != NULL)
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      unlinkat (f->dirfd, de->d_name, 0);
  if (d != NULL)
    closedir (d);
  close (f->dirfd);
  rmdir (f->dir);
  free (f->dir);
  free (f);
  return 0;
}

static char *
read_name (int dirfd, const char *name)
{
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  char *buf = fsutil_read_at (dirfd, name, 1 << 20, &len, &err);

  if (buf == NULL)
    fail_msg ("read %s: %s", name, err ? err->msg : "?");
  assert_int_equal (strlen (buf), len);
  return buf;
}

/* Every directory entry but config.json (a leftover temp file would show up here).  */
static size_t
count_other_entries (const struct fixture *f)
{
  DIR *d = opendir (f->dir);
  struct dirent *de;
  size_t n = 0;

  assert_non_null (d);
  while ((de = readdir (d)) != NULL)
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, "..") && strcmp (de->d_name, "config.json"))
      n++;
  closedir (d);
  return n;
}

static void
assert_mode_and_owner (const struct fixture *f)
{
  struct stat st;

  assert_int_equal (fstatat (f->dirfd, "config.json", &st, AT_SYMLINK_NOFOLLOW), 0);
  assert_true (S_ISREG (st.st_mode));
  assert_int_equal (st.st_mode & 07777, 0640);
  if (geteuid () == 0)
    {
      assert_int_equal (st.st_uid, 1234);
      assert_int_equal (st.st_gid, 5678);
    }
}

static enum fsutil_step steps_seen[64];
static size_t n_steps_seen;
static enum fsutil_step fail_step;
static int fail_errno;
static int fail_times;

static int
recording_hook (enum fsutil_step step)
{
  if (n_steps_seen < ARRAY_SIZE (steps_seen))
    steps_seen[n_steps_seen++] = step;
  if (step == fail_step && fail_times != 0)
    {
      fail_times--;
      return fail_errno;
    }
  return 0;
}

static void
arm (enum fsutil_step step, int e, int times)
{
  n_steps_seen = 0;
  fail_step = step;
  fail_errno = e;
  fail_times = times;
  fsutil_fault_hook = recording_hook;
}

static void
test_replace_keeps_mode_and_owner (void **state)
{
  struct fixture *f = *state;
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *now = NULL;
  static const enum fsutil_step expected[]
      = { FSUTIL_STEP_OPEN, FSUTIL_STEP_WRITE, FSUTIL_STEP_FSYNC, FSUTIL_STEP_RENAME,
          FSUTIL_STEP_DIRSYNC };

  arm (FSUTIL_STEP_OPEN, 0, 0);
  assert_int_equal (
      fsutil_atomic_replace_at (f->dirfd, "config.json", replacement, strlen (replacement), &err),
      0);
  assert_null (err);
  now = read_name (f->dirfd, "config.json");
  assert_string_equal (now, replacement);
  assert_mode_and_owner (f);
  assert_int_equal (count_other_entries (f), 0);
  /* The steps ran in the documented order, once each.  */
  assert_int_equal (n_steps_seen, ARRAY_SIZE (expected));
  for (size_t i = 0; i < ARRAY_SIZE (expected); i++)
    assert_int_equal (steps_seen[i], expected[i]);
}

static void
test_fault_at_each_step (void **state)
{
  struct fixture *f = *state;
  static const enum fsutil_step steps[] = { FSUTIL_STEP_OPEN, FSUTIL_STEP_WRITE, FSUTIL_STEP_FSYNC,
                                            FSUTIL_STEP_RENAME, FSUTIL_STEP_DIRSYNC };

  for (size_t i = 0; i < ARRAY_SIZE (steps); i++)
    {
      cleanup_error ocg_error_t err = NULL;
      cleanup_free char *now = NULL;

      arm (steps[i], EIO, -1);
      assert_int_equal (fsutil_atomic_replace_at (f->dirfd, "config.json", replacement,
                                                  strlen (replacement), &err),
                        -1);
      assert_non_null (err);
      assert_int_equal (err->status, EIO);
      assert_non_null (strstr (err->msg, "`config.json`"));
      fsutil_fault_hook = NULL;
      now = read_name (f->dirfd, "config.json");
      assert_string_equal (now, original);
      assert_mode_and_owner (f);
      if (count_other_entries (f) != 0)
        fail_msg ("a temp file was left behind after a fault at step %zu", i);
      /* The injected step really was reached.  */
      assert_int_equal (steps_seen[n_steps_seen - 1], steps[i]);
    }
}

/* The documents of a runtime call are replaced without fsync (fsutil_replace_at): the fsync steps
 * are never reached, so a failing fsync cannot fail it, and the replace is still whole.  */
static void
test_replace_without_fsync (void **state)
{
  struct fixture *f = *state;
  static const enum fsutil_step expected[]
      = { FSUTIL_STEP_OPEN, FSUTIL_STEP_WRITE, FSUTIL_STEP_RENAME };
  static const enum fsutil_step syncs[] = { FSUTIL_STEP_FSYNC, FSUTIL_STEP_DIRSYNC };

  for (size_t i = 0; i < ARRAY_SIZE (syncs); i++)
    {
      cleanup_error ocg_error_t err = NULL;
      cleanup_free char *now = NULL;

      arm (syncs[i], EIO, -1);
      assert_int_equal (
          fsutil_replace_at (f->dirfd, "config.json", replacement, strlen (replacement), &err), 0);
      assert_null (err);
      fsutil_fault_hook = NULL;
      now = read_name (f->dirfd, "config.json");
      assert_string_equal (now, replacement);
      assert_mode_and_owner (f);
      assert_int_equal (count_other_entries (f), 0);
      assert_int_equal (n_steps_seen, ARRAY_SIZE (expected));
      for (size_t k = 0; k < ARRAY_SIZE (expected); k++)
        assert_int_equal (steps_seen[k], expected[k]);
    }
}

static void
replace_with (const struct fixture *f, const char *text)
{
  cleanup_error ocg_error_t err = NULL;

  assert_int_equal (fsutil_replace_at (f->dirfd, "config.json", text, strlen (text), &err), 0);
}

static void
assert_slot_holds (const struct fixture *f, int slot, const char *text)
{
  char name[64];
  cleanup_free char *now = NULL;

  snprintf (name, sizeof (name), ".config.json.ocigate-orig.%d", slot);
  now = read_name (f->dirfd, name);
  assert_string_equal (now, text);
}

/* fsutil_keep_at before a replace: the replaced file stays linked, as the very inode the engine
 * wrote (its bytes, mode and owner), under the first free slot; the replace is otherwise what it
 * was, with no temp file left.  */
static void
test_keep_links_the_replaced_inode (void **state)
{
  struct fixture *f = *state;
  struct stat before, kept;

  assert_int_equal (fstatat (f->dirfd, "config.json", &before, 0), 0);
  assert_int_equal (fsutil_keep_at (f->dirfd, "config.json", 0), 0);
  replace_with (f, replacement);
  {
    cleanup_free char *now = read_name (f->dirfd, "config.json");
    assert_string_equal (now, replacement);
  }
  assert_mode_and_owner (f);
  assert_int_equal (fstatat (f->dirfd, ".config.json.ocigate-orig.0", &kept, 0), 0);
  assert_int_equal (kept.st_ino, before.st_ino);
  assert_int_equal (kept.st_nlink, 1);
  assert_slot_holds (f, 0, original);
  assert_int_equal (count_other_entries (f), 1);
}

/* At most FSUTIL_KEEP_SLOTS are kept.  With every slot kept after `clean_before`, none is dropped
 * (that would wait for its writeback): the next replace drops the old file as before.  */
static void
test_keep_is_bounded (void **state)
{
  struct fixture *f = *state;
  char text[32];

  for (int i = 0; i < FSUTIL_KEEP_SLOTS; i++)
    {
      assert_int_equal (fsutil_keep_at (f->dirfd, "config.json", 0), i);
      snprintf (text, sizeof (text), "{\"n\": %d}\n", i);
      replace_with (f, text);
    }
  assert_int_equal (fsutil_keep_at (f->dirfd, "config.json", 0), -1);
  replace_with (f, replacement);
  assert_int_equal (count_other_entries (f), FSUTIL_KEEP_SLOTS);
  assert_slot_holds (f, 0, original);
  for (int i = 1; i < FSUTIL_KEEP_SLOTS; i++)
    {
      snprintf (text, sizeof (text), "{\"n\": %d}\n", i - 1);
      assert_slot_holds (f, i, text);
    }
}

/* Once every slot is taken, the one kept longest ago is reused when it was kept before
 * `clean_before`; a slot name held by anything but a regular file is never touched.  */
static void
test_keep_reuses_the_oldest_clean_slot (void **state)
{
  struct fixture *f = *state;
  time_t later = time (NULL) + 3600;
  struct stat st;
  char text[32];

  assert_int_equal (symlinkat ("config.json", f->dirfd, ".config.json.ocigate-orig.0"), 0);
  for (int i = 1; i < FSUTIL_KEEP_SLOTS; i++)
    {
      assert_int_equal (fsutil_keep_at (f->dirfd, "config.json", 0), i);
      snprintf (text, sizeof (text), "{\"n\": %d}\n", i);
      replace_with (f, text);
    }
  assert_int_equal (fsutil_keep_at (f->dirfd, "config.json", later), 1);
  assert_slot_holds (f, 1, text);
  assert_int_equal (fstatat (f->dirfd, ".config.json.ocigate-orig.0", &st, AT_SYMLINK_NOFOLLOW), 0);
  assert_true (S_ISLNK (st.st_mode));
  assert_int_equal (count_other_entries (f), FSUTIL_KEEP_SLOTS);
}

/* A name whose slot would not fit in a file name is not kept (and nothing is created).  */
static void
test_keep_long_name (void **state)
{
  struct fixture *f = *state;
  char name[NAME_MAX + 1];

  memset (name, 'n', NAME_MAX - 10);
  name[NAME_MAX - 10] = '\0';
  assert_int_equal (fsutil_keep_at (f->dirfd, name, 0), -1);
  assert_int_equal (fsutil_keep_at (f->dirfd, "missing.json", 0), -1);
  assert_int_equal (count_other_entries (f), 0);
}

/* EINTR from write(2) is retried, not reported.  */
static void
test_write_eintr_retried (void **state)
{
  struct fixture *f = *state;
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *now = NULL;

  arm (FSUTIL_STEP_WRITE, EINTR, 3);
  assert_int_equal (
      fsutil_atomic_replace_at (f->dirfd, "config.json", replacement, strlen (replacement), &err),
      0);
  now = read_name (f->dirfd, "config.json");
  assert_string_equal (now, replacement);
  assert_int_equal (count_other_entries (f), 0);
}

static void
test_refuses_odd_targets (void **state)
{
  struct fixture *f = *state;
  static const char *const names[] = { "", "a/b", ".", "..", "missing.json", "link", "dir" };

  assert_int_equal (symlinkat ("config.json", f->dirfd, "link"), 0);
  assert_int_equal (mkdirat (f->dirfd, "dir", 0755), 0);
  for (size_t i = 0; i < ARRAY_SIZE (names); i++)
    {
      cleanup_error ocg_error_t err = NULL;
      if (fsutil_atomic_replace_at (f->dirfd, names[i], "x", 1, &err) == 0)
        fail_msg ("replaced `%s`", names[i]);
      assert_non_null (err);
    }
  unlinkat (f->dirfd, "link", 0);
  unlinkat (f->dirfd, "dir", AT_REMOVEDIR);
  {
    cleanup_free char *now = read_name (f->dirfd, "config.json");
    assert_string_equal (now, original);
  }
  assert_int_equal (count_other_entries (f), 0);
}

/* An empty document is written whole too (no write(2) at all).  */
static void
test_replace_empty (void **state)
{
  struct fixture *f = *state;
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *now = NULL;

  assert_int_equal (fsutil_atomic_replace_at (f->dirfd, "config.json", "", 0, &err), 0);
  now = read_name (f->dirfd, "config.json");
  assert_string_equal (now, "");
  assert_mode_and_owner (f);
}

/* A writer that feeds `len` bytes into a pipe after a pause, so the reader meets EAGAIN first on
 * a non-blocking read end.  */
static pid_t
slow_writer (int fds[2], size_t len)
{
  pid_t pid;

  assert_int_equal (pipe (fds), 0);
  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      char chunk[4096];
      close (fds[0]);
      memset (chunk, 'x', sizeof (chunk));
      usleep (100 * 1000);
      for (size_t done = 0; done < len;)
        {
          size_t n = len - done < sizeof (chunk) ? len - done : sizeof (chunk);
          ssize_t w = write (fds[1], chunk, n);
          if (w <= 0)
            _exit (1);
          done += (size_t)w;
        }
      _exit (0);
    }
  close (fds[1]);
  return pid;
}

static void
test_read_fd_cap (void **state)
{
  int fds[2];
  pid_t pid;
  size_t len = 0;
  char *buf;

  (void)state;
  pid = slow_writer (fds, 100000);
  assert_int_equal (fcntl (fds[0], F_SETFL, O_NONBLOCK), 0);
  {
    cleanup_error ocg_error_t err = NULL;
    buf = fsutil_read_fd (fds[0], "stdin", 100000, &len, &err);
    assert_non_null (buf);
    assert_int_equal (len, 100000);
    assert_int_equal (buf[len], '\0');
    free (buf);
  }
  close (fds[0]);
  waitpid (pid, NULL, 0);

  /* More than the cap through a pipe, where no fstat size can warn us.  */
  pid = slow_writer (fds, 100001);
  {
    cleanup_error ocg_error_t err = NULL;
    assert_null (fsutil_read_fd (fds[0], "stdin", 100000, &len, &err));
    assert_string_equal (err->msg, "`stdin` is larger than 100000 bytes");
  }
  close (fds[0]);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
}

static void
test_read_at_cap (void **state)
{
  struct fixture *f = *state;
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  cleanup_free char *buf = NULL;

  buf = fsutil_read_at (f->dirfd, "config.json", strlen (original), &len, &err);
  assert_non_null (buf);
  assert_int_equal (len, strlen (original));
  assert_null (fsutil_read_at (f->dirfd, "config.json", strlen (original) - 1, &len, &err));
  assert_non_null (strstr (err->msg, "is larger than"));
}

/* fsutil_trust: root always; the caller's euid and one more uid only for the callers that trust
 * them; a shared directory only with the sticky bit, and only for the callers that accept one.  */
static void
test_trust (void **state)
{
  const struct fs_trust root_only = { .euid = false, .also = (uid_t)-1, .sticky = true };
  const struct fs_trust caller = { .euid = true, .also = 1234, .sticky = false };
  struct stat st = { .st_uid = 0, .st_mode = S_IFREG | 0644 };

  (void)state;
  assert_int_equal (fsutil_trust (&st, &root_only), FS_TRUSTED);
  assert_int_equal (fsutil_trust (&st, &caller), FS_TRUSTED);
  st.st_mode = S_IFREG | 0664;
  assert_int_equal (fsutil_trust (&st, &root_only), FS_SHARED);
  st.st_mode = S_IFREG | 01666; /* the sticky bit means nothing on a file */
  assert_int_equal (fsutil_trust (&st, &root_only), FS_SHARED);
  st.st_mode = S_IFDIR | 01777;
  assert_int_equal (fsutil_trust (&st, &root_only), FS_STICKY);
  assert_int_equal (fsutil_trust (&st, &caller), FS_SHARED);
  st.st_mode = S_IFDIR | 0755;
  st.st_uid = 1234;
  assert_int_equal (fsutil_trust (&st, &root_only), FS_OTHER_OWNER);
  assert_int_equal (fsutil_trust (&st, &caller), FS_TRUSTED);
  st.st_uid = 4321;
  assert_int_equal (fsutil_trust (&st, &caller), geteuid () == 4321 ? FS_TRUSTED : FS_OTHER_OWNER);
  assert_true (fsutil_owner_trusted (geteuid (), &caller));
  assert_true (fsutil_owner_trusted (0, &root_only));
  assert_true (geteuid () == 0 || !fsutil_owner_trusted (geteuid (), &root_only));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_replace_keeps_mode_and_owner, setup, teardown),
    cmocka_unit_test_setup_teardown (test_fault_at_each_step, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replace_without_fsync, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keep_links_the_replaced_inode, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keep_is_bounded, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keep_reuses_the_oldest_clean_slot, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keep_long_name, setup, teardown),
    cmocka_unit_test_setup_teardown (test_write_eintr_retried, setup, teardown),
    cmocka_unit_test_setup_teardown (test_refuses_odd_targets, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replace_empty, setup, teardown),
    cmocka_unit_test (test_read_fd_cap),
    cmocka_unit_test_setup_teardown (test_read_at_cap, setup, teardown),
    cmocka_unit_test (test_trust),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
