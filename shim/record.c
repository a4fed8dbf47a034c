/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which runtime created a container (see record.h).
 *
 * A record is the file <run dir>/containers/<key>-<id>, where <key> is the FNV-1a hash of the
 * --root the engine passed (or of its absence), holding:
 *
 *   ocigate runtime record 1
 *   runtime <absolute path>
 *   root <the --root as passed>        (only when one was passed)
 *   state <the runtime's state directory for the container>
 *
 * The root is stored too, and must match on reading: the hash only keeps names short.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "record.h"
#include "state.h"
#include "util.h"

const char *record_run_dir = OCG_RUN_DIR;

#define RECORD_MAGIC "ocigate runtime record 1\n"
#define RECORD_MAX_BYTES 8192
#define SWEEP_EVERY_SECONDS 60

/* Root's, and writable by nobody else.  */
static int
check_root_only (int fd, const char *what, bool directory, ocg_error_t *err)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return ocg_error_set (err, errno, "stat `%s`", what);
  if (directory ? !S_ISDIR (st.st_mode) : !S_ISREG (st.st_mode))
    return ocg_error_set (err, 0, "`%s` is not a %s", what, directory ? "directory" : "file");
  if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return ocg_error_set (err, 0, "`%s` is not root's alone", what);
  return 0;
}

static int
open_checked_dir (int at, const char *name, const char *what, bool create, ocg_error_t *err)
{
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  cleanup_close int fd = openat (at, name, flags);

  /* Made once: every later call finds it, and pays no mkdir.  */
  if (fd < 0 && errno == ENOENT && create)
    {
      if (mkdirat (at, name, 0700) < 0 && errno != EEXIST)
        return ocg_error_set (err, errno, "create `%s`", what);
      fd = openat (at, name, flags);
    }
  if (fd < 0)
    return ocg_error_set (err, errno, "open `%s`", what);
  if (check_root_only (fd, what, true, err) < 0)
    return -1;
  return steal_fd (&fd);
}

/* The run directory, opened and checked once per process (a create opens the hostfacts store,
 * its record and the sweep's directory below it): the descriptor names the directory that
 * passed the check, whatever happens to the path since.  Reopened when record_run_dir changes
 * (tests).  */
static struct
{
  char *path;
  int fd;
} run_dir = { NULL, -1 };

static int
run_dir_fd (bool create, ocg_error_t *err)
{
  if (run_dir.fd >= 0 && str_eq (run_dir.path, record_run_dir))
    return run_dir.fd;
  if (run_dir.fd >= 0)
    close (run_dir.fd);
  free (run_dir.path);
  run_dir.path = NULL;
  run_dir.fd = open_checked_dir (AT_FDCWD, record_run_dir, record_run_dir, create, err);
  if (run_dir.fd >= 0)
    run_dir.path = xstrdup (record_run_dir);
  return run_dir.fd;
}

int
record_open_dir (const char *name, bool create, ocg_error_t *err)
{
  int top = run_dir_fd (create, err);
  cleanup_free char *what = xasprintf ("%s/%s", record_run_dir, name);

  if (top < 0)
    return -1;
  return open_checked_dir (top, name, what, create, err);
}

static uint64_t
fnv1a (const char *s, uint64_t h)
{
  for (; *s != '\0'; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* "<key>-": every record of containers under this --root starts with it.  */
static char *
root_prefix (const struct runc_invocation *inv)
{
  uint64_t h = 14695981039346656037ull;

  h = inv->root != NULL ? fnv1a (inv->root, fnv1a ("1", h)) : fnv1a ("0", h);
  return xasprintf ("%016llx-", (unsigned long long)h);
}

/* NULL when this container cannot have a record.  */
static char *
record_name (const struct runc_invocation *inv)
{
  cleanup_free char *prefix = NULL;

  if (!state_valid_id (inv->container_id) || strlen (inv->container_id) > 200)
    return NULL;
  prefix = root_prefix (inv);
  return xasprintf ("%s%s", prefix, inv->container_id);
}

static bool
one_line (const char *s)
{
  return s != NULL && strchr (s, '\n') == NULL;
}

int
record_write_file (int dir, const char *name, const char *text, ocg_error_t *err)
{
  return record_write_bytes (dir, name, text, strlen (text), err);
}

/* Create this process's temporary file `tmp` in dir, 0600.  -1 with errno.  */
static int
tmp_create (int dir, const char *tmp)
{
  int fd = openat (dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

  /* A leftover of an earlier process with our pid: nobody else writes this name.  */
  if (fd < 0 && errno == EEXIST && unlinkat (dir, tmp, 0) == 0)
    fd = openat (dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  return fd;
}

int
record_write_bytes (int dir, const char *name, const char *buf, size_t len, ocg_error_t *err)
{
  cleanup_free char *tmp = xasprintf (".tmp-%ld", (long)getpid ());
  cleanup_close int fd = tmp_create (dir, tmp);
  int saved;

  if (fd < 0)
    return ocg_error_set (err, errno, "create `%s/%s`", record_run_dir, tmp);
  if (fsutil_write_all (fd, buf, len) == 0 && renameat (dir, tmp, dir, name) == 0)
    return 0;
  saved = errno;
  unlinkat (dir, tmp, 0);
  return ocg_error_set (err, saved, "write `%s/%s`", record_run_dir, name);
}

/* Does `name` in dir hold exactly text?  */
static bool
record_says (int dir, const char *name, const char *text)
{
  size_t len = strlen (text);
  cleanup_close int fd = openat (dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_free char *buf = xmalloc (len + 1);
  ssize_t got = fd >= 0 ? read (fd, buf, len + 1) : -1;

  return got == (ssize_t)len && memcmp (buf, text, len) == 0;
}

/* A container's record, written as record_write_file does -- unless it is already there.
 * Replacing a file by rename makes ext4 write the new file's data out first (auto_da_alloc:
 * fs/ext4/namei.c ext4_rename -> ext4_alloc_da_blocks), which queues behind other writers' I/O:
 * up to 78 ms of a create measured while another process filled the page cache, when a
 * container is created again under the same id and --root (Podman's restart, runc's own tests,
 * a caller that names the runtime, whose delete leaves the record).  So the new record is
 * linked in only where there is none (RENAME_NOREPLACE), an identical one is left alone, and
 * only a different one is replaced.  */
static int
record_put (int dir, const char *name, const char *text, ocg_error_t *err)
{
  cleanup_free char *tmp = xasprintf (".tmp-%ld", (long)getpid ());
  cleanup_close int fd = tmp_create (dir, tmp);

  if (fd < 0 || fsutil_write_all (fd, text, strlen (text)) < 0)
    {
      if (fd >= 0)
        unlinkat (dir, tmp, 0);
      return record_write_file (dir, name, text, err);
    }
  if (renameat2 (dir, tmp, dir, name, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno == EEXIST && record_says (dir, name, text))
    {
      unlinkat (dir, tmp, 0);
      return 0;
    }
  unlinkat (dir, tmp, 0);
  return record_write_file (dir, name, text, err);
}

static char *
record_text (const struct runc_invocation *inv, const struct runtime *rt)
{
  cleanup_free char *root = inv->root ? xasprintf ("root %s\n", inv->root) : xstrdup ("");

  return xasprintf (RECORD_MAGIC "runtime %s\n%sstate %s/%s\n", rt->path, root,
                    state_root (inv, rt), inv->container_id);
}

/* The record's name, or NULL when inv's container gets none (see record_write).  */
static char *
record_name_kept (const struct runc_invocation *inv, const struct runtime *rt)
{
  if (!one_line (rt->path) || (inv->root != NULL && !one_line (inv->root)))
    return NULL;
  return record_name (inv);
}

int
record_write (const struct runc_invocation *inv, const struct runtime *rt, ocg_error_t *err)
{
  cleanup_free char *name = geteuid () == 0 ? record_name_kept (inv, rt) : NULL;
  cleanup_free char *text = NULL;
  cleanup_close int dir = -1;

  if (name == NULL)
    return 0;
  dir = record_open_dir ("containers", true, err);
  if (dir < 0)
    return -1;
  text = record_text (inv, rt);
  return record_put (dir, name, text, err);
}

/* The value of "KEY value\n" in text, or NULL (malloc'd).  */
static char *
field (const char *text, const char *key)
{
  cleanup_free char *want = xasprintf ("\n%s ", key);
  const char *p = strstr (text, want);
  const char *end;

  if (p == NULL)
    return NULL;
  p += strlen (want);
  end = strchr (p, '\n');
  return end != NULL ? xstrndup (p, (size_t)(end - p)) : NULL;
}

static char *
read_record (int dir, const char *name)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int fd
      = openat (dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  cleanup_free char *text = NULL;
  size_t len = 0;

  if (fd < 0 || check_root_only (fd, name, false, &err) < 0)
    return NULL;
  text = fsutil_read_fd (fd, name, RECORD_MAX_BYTES, &len, &err);
  if (text == NULL || !str_has_prefix (text, RECORD_MAGIC) || strlen (text) != len)
    return NULL;
  return steal_pointer (&text);
}

static bool
exists (const char *path)
{
  struct stat st;

  return lstat (path, &st) == 0 || errno != ENOENT;
}

/* The runtime of the record `name` when it is one of this --root's.  */
static char *
runtime_of (int dir, const char *name, const struct runc_invocation *inv, bool *state_gone)
{
  cleanup_free char *text = read_record (dir, name);
  cleanup_free char *root = text != NULL ? field (text, "root") : NULL;
  cleanup_free char *state = text != NULL ? field (text, "state") : NULL;

  if (text == NULL || (root == NULL) != (inv->root == NULL)
      || (root != NULL && !str_eq (root, inv->root)))
    return NULL;
  *state_gone = state != NULL && !exists (state);
  return field (text, "runtime");
}

/* `list` names no container, but every record under its --root names the runtime that keeps
 * that state directory: the first one found.  */
static char *
any_runtime_of_root (int dir, const struct runc_invocation *inv)
{
  cleanup_free char *prefix = root_prefix (inv);
  int scan = dup (dir);
  DIR *d = scan >= 0 ? fdopendir (scan) : NULL;
  struct dirent *e;
  char *runtime = NULL;
  bool gone = false;

  if (d == NULL)
    {
      if (scan >= 0)
        close (scan);
      return NULL;
    }
  while (runtime == NULL && (e = readdir (d)) != NULL)
    if (str_has_prefix (e->d_name, prefix))
      runtime = runtime_of (dir, e->d_name, inv, &gone);
  closedir (d);
  return runtime;
}

char *
record_read (const struct runc_invocation *inv, bool *state_gone)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *name = inv->container_id != NULL ? record_name (inv) : NULL;
  cleanup_close int dir = -1;

  *state_gone = false;
  if (inv->container_id != NULL && name == NULL)
    return NULL;
  dir = record_open_dir ("containers", false, &err);
  if (dir < 0)
    return NULL;
  return name != NULL ? runtime_of (dir, name, inv, state_gone) : any_runtime_of_root (dir, inv);
}

char **
record_state_dirs (void)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int dir = record_open_dir ("containers", false, &err);
  int scan = dir >= 0 ? dup (dir) : -1;
  DIR *d = scan >= 0 ? fdopendir (scan) : NULL;
  char **out = xzalloc (sizeof (char *));
  struct dirent *e;

  if (d == NULL)
    {
      if (scan >= 0)
        close (scan);
      return out;
    }
  while ((e = readdir (d)) != NULL)
    {
      cleanup_free char *text = e->d_name[0] != '.' ? read_record (dir, e->d_name) : NULL;
      cleanup_free char *state = text != NULL ? field (text, "state") : NULL;

      if (state != NULL && !strv_contains ((const char *const *)out, state))
        strv_add (&out, state);
    }
  closedir (d);
  return out;
}

void
record_forget (const struct runc_invocation *inv)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *name = record_name (inv);
  cleanup_close int dir = name != NULL ? record_open_dir ("containers", false, &err) : -1;

  if (dir >= 0)
    unlinkat (dir, name, 0);
}

/* The sweep stamp's mtime says when the last sweep ran.  */
static bool
sweep_due (int dir)
{
  struct stat st;
  cleanup_close int fd = -1;

  if (fstatat (dir, ".swept", &st, AT_SYMLINK_NOFOLLOW) == 0
      && time (NULL) - st.st_mtime < SWEEP_EVERY_SECONDS)
    return false;
  fd = openat (dir, ".swept", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0)
    futimens (fd, NULL);
  return true;
}

static void
sweep_one (int dir, const char *name, time_t oldest)
{
  struct stat st;
  cleanup_free char *text = NULL;
  cleanup_free char *state = NULL;

  if (fstatat (dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_mtime > oldest)
    return;
  if (str_has_prefix (name, ".tmp-"))
    {
      unlinkat (dir, name, 0);
      return;
    }
  text = read_record (dir, name);
  state = text != NULL ? field (text, "state") : NULL;
  if (text == NULL || (state != NULL && !exists (state)))
    unlinkat (dir, name, 0);
}

static bool
sweep_in (int dir, long grace_seconds)
{
  cleanup_close int scan = -1;
  time_t oldest = time (NULL) - grace_seconds;
  DIR *d;
  struct dirent *e;

  if (dir < 0 || !sweep_due (dir) || (scan = dup (dir)) < 0 || (d = fdopendir (scan)) == NULL)
    return false;
  scan = -1;
  while ((e = readdir (d)) != NULL)
    if (e->d_name[0] != '.' || str_has_prefix (e->d_name, ".tmp-"))
      sweep_one (dir, e->d_name, oldest);
  closedir (d);
  return true;
}

bool
record_sweep (long grace_seconds)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int dir = geteuid () == 0 ? record_open_dir ("containers", false, &err) : -1;

  return sweep_in (dir, grace_seconds);
}

bool
record_keep (const struct runc_invocation *inv, const struct runtime *rt, long grace_seconds)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *name = NULL, *text = NULL;
  cleanup_close int dir = -1;

  if (geteuid () != 0)
    return false;
  name = record_name_kept (inv, rt);
  dir = record_open_dir ("containers", name != NULL, &err);
  if (dir >= 0 && name != NULL)
    {
      text = record_text (inv, rt);
      ocg_ignore_result (record_put (dir, name, text, &err));
    }
  return sweep_in (dir, grace_seconds);
}
