/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded reads of bundle files and their atomic, durable replacement.
 *
 * Owns: every open, read, write and rename of a document ocigate judges or rewrites, so that the
 * bytes judged are the bytes of the regular file the runtime will open (no symlink, FIFO, device
 * or unbounded read), and a rewrite is all-or-nothing and keeps the original's owner and mode.
 * Must not: parse JSON, decide policy, log.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "util.h"

int (*fsutil_fault_hook) (enum fsutil_step step) = NULL;

/* Tests only: fail `step` with the errno the hook returns.  */
static int
inject (enum fsutil_step step)
{
  int e;

  if (fsutil_fault_hook == NULL || (e = fsutil_fault_hook (step)) == 0)
    return 0;
  errno = e;
  return -1;
}

/* stdin may have been left O_NONBLOCK by whoever started us: wait instead of failing.  */
static int
wait_readable (int fd)
{
  struct pollfd p = { .fd = fd, .events = POLLIN };
  int r;

  while ((r = poll (&p, 1, -1)) < 0 && errno == EINTR)
    ;
  return r < 0 ? -1 : 0;
}

/* Read to the end in a buffer first sized for `expect` bytes (what fstat said; 0 unknown), so
 * that a file read whole takes two reads: its bytes, then the end.  */
static char *
read_fd_sized (int fd, const char *name, size_t max_bytes, size_t expect, size_t *len,
               ocg_error_t *err)
{
  size_t used = 0, alloc = expect > 0 && expect <= max_bytes ? expect + 2 : 4096;
  cleanup_free char *buf = xmalloc (alloc);

  for (;;)
    {
      size_t want;
      ssize_t r;

      if (used + 1 >= alloc)
        buf = xrealloc (buf, alloc *= 2);
      want = alloc - used - 1;
      /* Ask for one byte more than the cap at most: getting it is how we learn the input is too
       * big, even when it grew after fstat.  */
      want = want < max_bytes + 1 - used ? want : max_bytes + 1 - used;
      r = read (fd, buf + used, want);
      if (r < 0 && (errno == EINTR || (errno == EAGAIN && wait_readable (fd) == 0)))
        continue;
      if (r < 0)
        return ocg_error_set (err, errno, "read `%s`", name), NULL;
      if (r == 0)
        break;
      used += (size_t)r;
      if (used > max_bytes)
        return ocg_error_set (err, 0, "`%s` is larger than %zu bytes", name, max_bytes), NULL;
    }
  buf[used] = '\0';
  *len = used;
  return steal_pointer (&buf);
}

char *
fsutil_read_fd (int fd, const char *name, size_t max_bytes, size_t *len, ocg_error_t *err)
{
  return read_fd_sized (fd, name, max_bytes, 0, len, err);
}

/* O_NOFOLLOW fails with ELOOP on a symlink; say so plainly rather than "too many levels of
 * symbolic links".  */
static void
open_error (int dirfd, const char *name, int saved, ocg_error_t *err)
{
  struct stat st;

  if (saved == ELOOP && fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISLNK (st.st_mode))
    ocg_error_set (err, 0, "`%s` is a symbolic link", name);
  else
    ocg_error_set (err, saved, "open `%s`", name);
}

char *
fsutil_read_at (int dirfd, const char *name, size_t max_bytes, size_t *len, ocg_error_t *err)
{
  cleanup_close int fd = -1;
  struct stat st;

  /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.  O_NOCTTY: a tty
   * must not become our controlling terminal before fstat refuses it.  */
  fd = openat (dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return open_error (dirfd, name, errno, err), NULL;
  if (fstat (fd, &st) < 0)
    return ocg_error_set (err, errno, "stat `%s`", name), NULL;
  if (!S_ISREG (st.st_mode))
    return ocg_error_set (err, 0, "`%s` is not a regular file", name), NULL;
  if ((uintmax_t)st.st_size > max_bytes)
    return ocg_error_set (err, 0, "`%s` is larger than %zu bytes", name, max_bytes), NULL;
  return read_fd_sized (fd, name, max_bytes, (size_t)st.st_size, len, err);
}

/* The temp name only has to be unique: O_EXCL makes a collision fail safely, and we retry.  */
static void
random_suffix (char out[7])
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static unsigned counter;
  unsigned char bytes[6];
  struct timespec ts;

  if (getrandom (bytes, sizeof (bytes), GRND_NONBLOCK) != (ssize_t)sizeof (bytes))
    {
      /* Only before the kernel's pool is ready (early boot): any varying value will do.  */
      unsigned long v;
      clock_gettime (CLOCK_MONOTONIC, &ts);
      v = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid () << 16) ^ counter++;
      for (size_t i = 0; i < sizeof (bytes); i++, v = v * 2654435761u + 1)
        bytes[i] = (unsigned char)(v >> 13);
    }
  for (size_t i = 0; i < sizeof (bytes); i++)
    out[i] = alphabet[bytes[i] % (sizeof (alphabet) - 1)];
  out[6] = '\0';
}

/* Create `.<name>.XXXXXX` next to name.  On success *tmp names it; on failure *tmp is NULL, so the
 * caller never unlinks a file that is not ours.  */
static int
tmp_create (int dirfd, const char *name, char **tmp, ocg_error_t *err)
{
  for (int attempt = 0; attempt < 100; attempt++)
    {
      char suffix[7];
      int fd = -1;

      random_suffix (suffix);
      free (*tmp);
      *tmp = xasprintf (".%s.%s", name, suffix);
      if (inject (FSUTIL_STEP_OPEN) == 0)
        fd = openat (dirfd, *tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd >= 0)
        return fd;
      if (errno != EEXIST)
        break;
    }
  ocg_error_set (err, errno, "create a temporary file next to `%s`", name);
  free (*tmp);
  *tmp = NULL;
  return -1;
}

int
fsutil_write_all (int fd, const void *data, size_t len)
{
  const char *buf = data;

  while (len > 0)
    {
      ssize_t w = inject (FSUTIL_STEP_WRITE) < 0 ? -1 : write (fd, buf, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return -1;
      if (w == 0)
        {
          errno = EIO;
          return -1;
        }
      buf += w;
      len -= (size_t)w;
    }
  return 0;
}

/* The contents of fsutil_replace_at: one buffer.  */
struct fill_buf
{
  const void *buf;
  size_t len;
  const char *name;
};

static int
fill_from_buf (int fd, void *ctx, ocg_error_t *err)
{
  const struct fill_buf *b = ctx;

  if (fsutil_write_all (fd, b->buf, b->len) < 0)
    return ocg_error_set (err, errno, "write the new `%s`", b->name);
  return 0;
}

/* Owner first, then mode: chown(2) clears the set-user-ID and set-group-ID bits.  The temp file
 * was created 0600, so it is never readable by more users than the original.  */
static int
tmp_fill (int fd, const struct stat *orig, fsutil_fill_fn fill, void *ctx, const char *name,
          bool durable, ocg_error_t *err)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return ocg_error_set (err, errno, "stat the new `%s`", name);
  if ((st.st_uid != orig->st_uid || st.st_gid != orig->st_gid)
      && fchown (fd, orig->st_uid, orig->st_gid) < 0)
    return ocg_error_set (err, errno, "give the new `%s` owner %u:%u", name, (unsigned)orig->st_uid,
                          (unsigned)orig->st_gid);
  if (fchmod (fd, orig->st_mode & 07777) < 0)
    return ocg_error_set (err, errno, "set the mode of the new `%s`", name);
  if (fill (fd, ctx, err) < 0)
    return -1;
  if (durable && (inject (FSUTIL_STEP_FSYNC) < 0 || fsync (fd) < 0))
    return ocg_error_set (err, errno, "fsync the new `%s`", name);
  return 0;
}

static int
dir_sync (int dirfd)
{
  int fd, saved;

  if (inject (FSUTIL_STEP_DIRSYNC) < 0)
    return -1;
  fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  if (fsync (fd) == 0)
    return close (fd), 0;
  saved = errno;
  close (fd);
  errno = saved;
  return -1;
}

/* Swap the temp file and `name` with renameat2 RENAME_EXCHANGE rather than renameat, so that even
 * a failed directory fsync can be undone by swapping back: until then the original sits under the
 * temp name.  A filesystem without RENAME_EXCHANGE (EINVAL) gets a plain rename, after which a
 * directory fsync failure is still reported but can no longer be undone.  */
static int
tmp_commit (int dirfd, const char *tmp, const char *name, bool durable, ocg_error_t *err)
{
  bool swapped = true;
  int r, saved;

  if (inject (FSUTIL_STEP_RENAME) < 0)
    return ocg_error_set (err, errno, "rename the new `%s` into place", name);
  r = renameat2 (dirfd, tmp, dirfd, name, RENAME_EXCHANGE);
  if (r < 0 && (errno == EINVAL || errno == ENOSYS))
    {
      swapped = false;
      r = renameat (dirfd, tmp, dirfd, name);
    }
  if (r < 0)
    return ocg_error_set (err, errno, "rename the new `%s` into place", name);
  if (!durable || dir_sync (dirfd) == 0)
    {
      /* The old bytes: a crash before this unlink only leaves a stale hidden file.  */
      if (swapped)
        unlinkat (dirfd, tmp, 0);
      return 0;
    }
  saved = errno;
  if (swapped && renameat2 (dirfd, tmp, dirfd, name, RENAME_EXCHANGE) == 0)
    return ocg_error_set (err, saved, "fsync the directory of `%s`", name);
  return ocg_error_set (err, saved, "fsync the directory of `%s` (it keeps the new contents)",
                        name);
}

static int
replace_at (int dirfd, const char *name, fsutil_fill_fn fill, void *ctx, bool durable,
            ocg_error_t *err)
{
  cleanup_free char *tmp = NULL;
  cleanup_close int fd = -1;
  struct stat orig;

  if (*name == '\0' || strchr (name, '/') != NULL || str_eq (name, ".") || str_eq (name, ".."))
    return ocg_error_set (err, EINVAL, "replace `%s`: not a file name", name);
  if (fstatat (dirfd, name, &orig, AT_SYMLINK_NOFOLLOW) < 0)
    return ocg_error_set (err, errno, "stat `%s`", name);
  if (!S_ISREG (orig.st_mode))
    return ocg_error_set (err, 0, "`%s` is not a regular file", name);
  fd = tmp_create (dirfd, name, &tmp, err);
  if (fd < 0)
    return -1;
  if (tmp_fill (fd, &orig, fill, ctx, name, durable, err) < 0
      || tmp_commit (dirfd, tmp, name, durable, err) < 0)
    {
      unlinkat (dirfd, tmp, 0);
      return -1;
    }
  return 0;
}

int
fsutil_atomic_replace_at (int dirfd, const char *name, const void *buf, size_t len,
                          ocg_error_t *err)
{
  struct fill_buf b = { buf, len, name };

  return replace_at (dirfd, name, fill_from_buf, &b, true, err);
}

int
fsutil_replace_at (int dirfd, const char *name, const void *buf, size_t len, ocg_error_t *err)
{
  struct fill_buf b = { buf, len, name };

  return replace_at (dirfd, name, fill_from_buf, &b, false, err);
}

int
fsutil_replace_with_at (int dirfd, const char *name, fsutil_fill_fn fill, void *ctx,
                        ocg_error_t *err)
{
  return replace_at (dirfd, name, fill, ctx, false, err);
}

/* `.<name>.ocigate-orig.<slot>` into out, or false when it would not fit a file name.  */
static bool
kept_name (char out[NAME_MAX + 1], const char *name, int slot)
{
  int n = snprintf (out, NAME_MAX + 1, ".%s.ocigate-orig.%d", name, slot);

  return n > 0 && n <= NAME_MAX;
}

/* The slot to link into: the first free one, else the oldest when its ctime (the link count last
 * changed: when it was kept) is before `clean_before`, which is then unlinked.  -1 when every slot
 * holds a file kept too recently: dropping one would be the very wait this avoids.  A slot name
 * taken by anything but a regular file is never touched.  */
static int
kept_slot (int dirfd, const char *name, time_t clean_before)
{
  char slot[NAME_MAX + 1];
  struct timespec oldest = { 0, 0 };
  int victim = -1;

  for (int i = 0; i < FSUTIL_KEEP_SLOTS; i++)
    {
      struct stat st;

      if (!kept_name (slot, name, i))
        return -1;
      if (fstatat (dirfd, slot, &st, AT_SYMLINK_NOFOLLOW) < 0)
        {
          if (errno == ENOENT)
            return i;
          continue;
        }
      if (S_ISREG (st.st_mode) && st.st_ctim.tv_sec < clean_before
          && (victim < 0 || st.st_ctim.tv_sec < oldest.tv_sec
              || (st.st_ctim.tv_sec == oldest.tv_sec && st.st_ctim.tv_nsec < oldest.tv_nsec)))
        victim = i, oldest = st.st_ctim;
    }
  if (victim < 0 || !kept_name (slot, name, victim)
      || (unlinkat (dirfd, slot, 0) < 0 && errno != ENOENT))
    return -1;
  return victim;
}

int
fsutil_keep_at (int dirfd, const char *name, time_t clean_before)
{
  char slot[NAME_MAX + 1];
  int i;

  /* The first slot is nearly always free (a bundle is made for one container): linkat(2) finds
   * out, where kept_slot would stat it first.  */
  if (!kept_name (slot, name, 0))
    return -1;
  if (linkat (dirfd, name, dirfd, slot, 0) == 0)
    return 0;
  if (errno != EEXIST)
    return -1;
  i = kept_slot (dirfd, name, clean_before);
  if (i < 0 || !kept_name (slot, name, i) || linkat (dirfd, name, dirfd, slot, 0) < 0)
    return -1;
  return i;
}

bool
fsutil_owner_trusted (uid_t uid, const struct fs_trust *trust)
{
  return uid == 0 || (trust->euid && uid == geteuid ())
         || (trust->also != (uid_t)-1 && uid == trust->also);
}

enum fs_verdict
fsutil_trust (const struct stat *st, const struct fs_trust *trust)
{
  if (!fsutil_owner_trusted (st->st_uid, trust))
    return FS_OTHER_OWNER;
  if ((st->st_mode & (S_IWGRP | S_IWOTH)) == 0)
    return FS_TRUSTED;
  if (trust->sticky && S_ISDIR (st->st_mode) && (st->st_mode & S_ISVTX) != 0)
    return FS_STICKY;
  return FS_SHARED;
}
