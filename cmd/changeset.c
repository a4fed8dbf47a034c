/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Planned file changes, applied all or nothing (see changeset.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "changeset.h"
#include "fsutil.h"
#include "textdiff.h"
#include "util.h"

#define CHANGESET_MAX_BYTES (4u * 1024u * 1024u)

static struct change *
add (struct changeset *cs, enum change_kind kind, const char *path, const char *what)
{
  struct change *c;

  cs->v = xreallocarray (cs->v, cs->n + 1, sizeof (*cs->v));
  c = &cs->v[cs->n++];
  memset (c, 0, sizeof (*c));
  c->kind = kind;
  c->path = xstrdup (path);
  c->what = xstrdup (what);
  return c;
}

void
changeset_write (struct changeset *cs, const char *path, const char *data, size_t len,
                 mode_t new_mode, const char *what)
{
  struct change *c = add (cs, CHANGE_WRITE, path, what);

  c->data = xmalloc (len + 1);
  memcpy (c->data, data, len);
  c->data[len] = '\0';
  c->len = len;
  c->mode = new_mode;
}

void
changeset_backup (struct changeset *cs, const char *path, const char *data, size_t len)
{
  cleanup_free char *what = xasprintf ("kept a backup in %s", path);

  changeset_write (cs, path, data, len, 0600, what);
  cs->v[cs->n - 1].backup = true;
}

void
changeset_remove (struct changeset *cs, const char *path, const char *what)
{
  add (cs, CHANGE_REMOVE, path, what);
}

void
changeset_symlink (struct changeset *cs, const char *path, const char *target, const char *what)
{
  add (cs, CHANGE_SYMLINK, path, what)->target = xstrdup (target);
}

void
changeset_mkdir (struct changeset *cs, const char *path, const char *what)
{
  add (cs, CHANGE_MKDIR, path, what)->mode = 0755;
}

void
changeset_rmdir (struct changeset *cs, const char *path, const char *what)
{
  add (cs, CHANGE_RMDIR, path, what);
}

char *
changeset_read (const char *path, size_t *len, bool *exists, ocg_error_t *err)
{
  cleanup_error ocg_error_t e = NULL;
  char *buf;

  *len = 0;
  buf = fsutil_read_at (AT_FDCWD, path, CHANGESET_MAX_BYTES, len, &e);
  *exists = buf != NULL || e->status != ENOENT;
  if (buf == NULL && *exists)
    {
      *err = steal_pointer (&e);
      return NULL;
    }
  return buf;
}

/* Split "/a/b/name" into an open directory and "name".  */
static int
open_parent (const char *path, const char **base, ocg_error_t *err)
{
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');
  int fd;

  if (slash == NULL || slash[1] == '\0')
    return ocg_error_set (err, EINVAL, "`%s` is not a file path", path);
  *base = path + (slash - dir) + 1;
  *slash = '\0';
  fd = open (dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return ocg_error_set (err, errno, "open directory `%s`", dir[0] ? dir : "/");
  return fd;
}

/* A new file with `mode` and owner uid:gid, appearing whole or not at all (RENAME_NOREPLACE: never
 * over a file that appeared meanwhile).  */
static int
atomic_create (const char *path, const char *data, size_t len, mode_t mode, uid_t uid, gid_t gid,
               ocg_error_t *err)
{
  const char *base;
  cleanup_close int dirfd = open_parent (path, &base, err);
  cleanup_free char *tmp = NULL;
  cleanup_close int fd = -1;

  if (dirfd < 0)
    return -1;
  tmp = xasprintf (".%s.ocigate-%d", base, (int)getpid ());
  fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return ocg_error_set (err, errno, "create a temporary file next to `%s`", path);
  if (fchown (fd, uid, gid) < 0 || fchmod (fd, mode) < 0 || fsutil_write_all (fd, data, len) < 0
      || fsync (fd) < 0 || renameat2 (dirfd, tmp, dirfd, base, RENAME_NOREPLACE) < 0)
    {
      int e = errno;
      unlinkat (dirfd, tmp, 0);
      return ocg_error_set (err, e, "write `%s`", path);
    }
  fsync (dirfd);
  return 0;
}

static int
replace (const char *path, const char *data, size_t len, ocg_error_t *err)
{
  const char *base;
  cleanup_close int dirfd = open_parent (path, &base, err);

  if (dirfd < 0)
    return -1;
  return fsutil_atomic_replace_at (dirfd, base, data, len, err);
}

/* A symlink swapped in with rename(2): the old name never disappears in between.  */
static int
atomic_symlink (const char *path, const char *target, ocg_error_t *err)
{
  cleanup_free char *tmp = xasprintf ("%s.ocigate-%d", path, (int)getpid ());

  unlink (tmp);
  if (symlink (target, tmp) < 0)
    return ocg_error_set (err, errno, "create the symlink `%s`", path);
  if (rename (tmp, path) < 0)
    {
      int e = errno;
      unlink (tmp);
      return ocg_error_set (err, e, "put the symlink `%s` in place", path);
    }
  return 0;
}

/* What is at c->path now, for undoing.  */
static int
remember (struct change *c, ocg_error_t *err)
{
  struct stat st;
  char link[4096];
  ssize_t n;

  c->existed = lstat (c->path, &st) == 0;
  if (!c->existed)
    return 0;
  c->old_mode = st.st_mode & 07777;
  c->old_uid = st.st_uid;
  c->old_gid = st.st_gid;
  if (S_ISLNK (st.st_mode))
    {
      n = readlink (c->path, link, sizeof (link) - 1);
      if (n < 0)
        return ocg_error_set (err, errno, "read the symlink `%s`", c->path);
      c->old_link = xstrndup (link, (size_t)n);
      return 0;
    }
  if (S_ISDIR (st.st_mode))
    return 0;
  c->old = fsutil_read_at (AT_FDCWD, c->path, CHANGESET_MAX_BYTES, &c->old_len, err);
  return c->old ? 0 : -1;
}

static int
apply_one (struct change *c, ocg_error_t *err)
{
  if (c->kind != CHANGE_MKDIR && c->kind != CHANGE_RMDIR && remember (c, err) < 0)
    return -1;
  switch (c->kind)
    {
    case CHANGE_WRITE:
      return c->existed ? replace (c->path, c->data, c->len, err)
                        : atomic_create (c->path, c->data, c->len, c->mode, 0, 0, err);
    case CHANGE_REMOVE:
      if (unlink (c->path) < 0 && errno != ENOENT)
        return ocg_error_set (err, errno, "remove `%s`", c->path);
      return 0;
    case CHANGE_SYMLINK:
      return atomic_symlink (c->path, c->target, err);
    case CHANGE_MKDIR:
      if (mkdir (c->path, c->mode) < 0)
        return ocg_error_set (err, errno, "create the directory `%s`", c->path);
      return 0;
    case CHANGE_RMDIR:
    default:
      c->existed = rmdir (c->path) == 0;
      return 0;
    }
}

static void
undo_one (struct change *c)
{
  cleanup_error ocg_error_t ignored = NULL;

  if (c->kind == CHANGE_MKDIR)
    rmdir (c->path);
  else if (c->kind == CHANGE_RMDIR && c->existed)
    mkdir (c->path, 0755);
  else if (c->old_link != NULL)
    atomic_symlink (c->path, c->old_link, &ignored);
  else if (c->old != NULL && c->kind == CHANGE_WRITE)
    replace (c->path, c->old, c->old_len, &ignored);
  else if (c->old != NULL)
    {
      /* A removed file, or one a symlink replaced: back with its mode and owner.  */
      unlink (c->path);
      atomic_create (c->path, c->old, c->old_len, c->old_mode, c->old_uid, c->old_gid, &ignored);
    }
  else if (!c->existed && c->kind != CHANGE_REMOVE)
    unlink (c->path);
  c->applied = false;
}

void
changeset_undo (struct changeset *cs)
{
  for (size_t i = cs->n; i-- > 0;)
    if (cs->v[i].applied)
      undo_one (&cs->v[i]);
}

int
changeset_apply (struct changeset *cs, ocg_error_t *err)
{
  for (size_t i = 0; i < cs->n; i++)
    {
      if (apply_one (&cs->v[i], err) < 0)
        {
          changeset_undo (cs);
          return -1;
        }
      cs->v[i].applied = true;
    }
  return 0;
}

static void
print_write (const struct change *c, FILE *out)
{
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  bool exists = false;
  cleanup_free char *old = changeset_read (c->path, &len, &exists, &err);
  cleanup_free char *diff = textdiff_unified (old ? old : "", old ? len : 0, c->data, c->len,
                                              exists ? c->path : "/dev/null", c->path);

  fprintf (out, "=== %s: %s\n", c->path, c->what);
  fprintf (out, "--- result\n%s%s", c->data, c->len && c->data[c->len - 1] != '\n' ? "\n" : "");
  fprintf (out, "--- diff\n%s", diff[0] ? diff : "(no change)\n");
}

void
changeset_print (const struct changeset *cs, FILE *out)
{
  for (size_t i = 0; i < cs->n; i++)
    {
      const struct change *c = &cs->v[i];

      if (c->kind == CHANGE_WRITE && c->backup)
        fprintf (out, "=== %s: %s\nwould copy the current file there\n", c->path, c->what);
      else if (c->kind == CHANGE_WRITE)
        print_write (c, out);
      else if (c->kind == CHANGE_SYMLINK)
        fprintf (out, "=== %s: %s\nwould link %s -> %s\n", c->path, c->what, c->path, c->target);
      else if (c->kind == CHANGE_REMOVE)
        fprintf (out, "=== %s: %s\nwould remove %s\n", c->path, c->what, c->path);
      else
        fprintf (out, "=== %s: %s\nwould %s the directory %s\n", c->path, c->what,
                 c->kind == CHANGE_MKDIR ? "create" : "remove (if empty)", c->path);
    }
}

void
changeset_summary (const struct changeset *cs, FILE *out)
{
  for (size_t i = 0; i < cs->n; i++)
    fprintf (out, "  %s\n", cs->v[i].what);
}

void
changeset_release (struct changeset *cs)
{
  for (size_t i = 0; i < cs->n; i++)
    {
      struct change *c = &cs->v[i];
      free (c->path);
      free (c->data);
      free (c->target);
      free (c->what);
      free (c->old);
      free (c->old_link);
    }
  free (cs->v);
  cs->v = NULL;
  cs->n = 0;
}
