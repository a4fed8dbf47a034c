/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Documents that arrive through an inherited descriptor (see stream_doc.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "stream_doc.h"
#include "util.h"

/* "N" with nothing after it, N an open descriptor.  */
static int
fd_number (const char *s)
{
  char *end = NULL;
  long n;

  if (*s < '0' || *s > '9')
    return -1;
  n = strtol (s, &end, 10);
  if (*end != '\0' || n > INT_MAX || fcntl ((int)n, F_GETFD) < 0)
    return -1;
  return (int)n;
}

/* A root-owned symlink with exactly this target (udev and systemd create /dev/fd and /dev/stdin
 * this way): then the runtime's open() of a name below it reaches our own descriptor table.  */
static bool
is_proc_link (const char *path, const char *target)
{
  char buf[64];
  struct stat st;
  ssize_t n;

  if (lstat (path, &st) < 0 || !S_ISLNK (st.st_mode) || st.st_uid != 0)
    return false;
  n = readlink (path, buf, sizeof (buf) - 1);
  if (n < 0)
    return false;
  buf[n] = '\0';
  return str_eq (buf, target);
}

int
stream_doc_fd_of_path (const char *path)
{
  if (str_eq (path, "/dev/stdin"))
    return is_proc_link (path, "/proc/self/fd/0") ? fd_number ("0") : -1;
  if (str_has_prefix (path, "/dev/fd/"))
    return is_proc_link ("/dev/fd", "/proc/self/fd") ? fd_number (path + strlen ("/dev/fd/")) : -1;
  if (str_has_prefix (path, "/proc/self/fd/"))
    return fd_number (path + strlen ("/proc/self/fd/"));
  if (str_has_prefix (path, "/proc/thread-self/fd/"))
    return fd_number (path + strlen ("/proc/thread-self/fd/"));
  return -1;
}

/* A caller may hand us a non-blocking descriptor: wait for it instead of failing.  */
static int
wait_readable (int fd)
{
  struct pollfd p = { .fd = fd, .events = POLLIN };

  return poll (&p, 1, -1) < 0 ? -1 : 0;
}

static void
keep (struct stream_doc *d, const char *buf, size_t n, size_t max_bytes)
{
  size_t room = max_bytes + 1 - d->len;

  if (n > room)
    {
      n = room;
      d->too_big = true;
    }
  memcpy (d->bytes + d->len, buf, n);
  d->len += n;
  d->bytes[d->len] = '\0';
}

int
stream_doc_read (struct stream_doc *d, int fd, bool reopen, size_t max_bytes, ocg_error_t *err)
{
  struct stat st;
  char buf[65536];
  off_t off = 0;
  bool positioned;

  if (fstat (fd, &st) < 0)
    return ocg_error_set (err, errno, "stat descriptor %d", fd);
  positioned = reopen && S_ISREG (st.st_mode);
  d->hand_on_offset = !reopen ? 0 : positioned ? lseek (fd, 0, SEEK_CUR) : -1;
  d->fd = fd;
  d->memfd = memfd_create ("ocigate-document", MFD_CLOEXEC);
  if (d->memfd < 0)
    return ocg_error_set (err, errno, "memfd_create");
  d->bytes = xmalloc (max_bytes + 2);
  d->bytes[0] = '\0';
  for (;;)
    {
      ssize_t n = positioned ? pread (fd, buf, sizeof (buf), off) : read (fd, buf, sizeof (buf));

      if (n < 0 && (errno == EINTR || (errno == EAGAIN && wait_readable (fd) == 0)))
        continue;
      if (n < 0)
        return ocg_error_set (err, errno, "read descriptor %d", fd);
      if (n == 0)
        return 0;
      off += n;
      if (d->len <= max_bytes)
        keep (d, buf, (size_t)n, max_bytes);
      if (fsutil_write_all (d->memfd, buf, (size_t)n) < 0)
        return ocg_error_set (err, errno, "keep descriptor %d's bytes", fd);
    }
}

int
stream_doc_hand_on (struct stream_doc *d, const char *replacement, size_t len, ocg_error_t *err)
{
  cleanup_close int fd = -1;

  if (replacement != NULL)
    {
      fd = memfd_create ("ocigate-document", MFD_CLOEXEC);
      if (fd < 0 || fsutil_write_all (fd, replacement, len) < 0)
        return ocg_error_set (err, errno, "write the judged document");
    }
  /* dup2 leaves the new descriptor without FD_CLOEXEC: the runtime inherits it.  */
  if ((d->hand_on_offset < 0 ? lseek (fd >= 0 ? fd : d->memfd, 0, SEEK_END)
                             : lseek (fd >= 0 ? fd : d->memfd, d->hand_on_offset, SEEK_SET))
          < 0
      || dup2 (fd >= 0 ? fd : d->memfd, d->fd) < 0)
    return ocg_error_set (err, errno, "hand descriptor %d on", d->fd);
  return 0;
}

void
stream_doc_release (struct stream_doc *d)
{
  if (d->memfd >= 0)
    close (d->memfd);
  free (d->bytes);
  *d = (struct stream_doc)STREAM_DOC_INIT;
}
