/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opening a policy file, a drop-in directory or a drop-in through symlinks that only root could
 * have made.
 *
 * Kubernetes projects a ConfigMap as a symlink farm (kubelet pkg/volume/util/atomic_writer.go):
 * `policy.json -> ..data/policy.json`, `..data -> ..2026_12_07_10_00_00.123456789`, and it
 * publishes a new version by renaming a new `..data` link over the old one.  Such a file is as
 * trustworthy as a plain one when root made every link, directory and file the lookup passes and
 * nobody else can change them.  So the walk opens each component itself (O_PATH | O_NOFOLLOW),
 * checks what it opened with fstat, reads a link through the very descriptor it checked
 * (readlinkat with an empty path), and goes on from descriptors: a path string is never looked
 * up twice, so nothing can be swapped between the check and the use.
 *
 * Owns: the trust rule of every policy file (root-owned, not writable by group or others; a
 * sticky directory may be writable), and the walk.  Must not: parse what it opens.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "policy_file_path.h"
#include "util.h"

/* The kernel gives up after 40 symlinks in one lookup (fs/namei.c MAXSYMLINKS, ELOOP).  */
#define WALK_MAX_LINKS 40u

/* Owned by root and writable by nobody else: the policy decides what runs as root on this host,
 * so a file (or a directory entry) another user could have changed is no policy at all, whoever
 * runs ocigate.  A sticky directory (/tmp) is accepted: the walk checks every entry it passes
 * there, and each must be root's too.  */
static struct fs_trust policy_trust = { .euid = false, .also = (uid_t)-1, .sticky = true };

void
policy_file_trust_caller (void)
{
  policy_trust.euid = true;
}

int
policy_file_check_trusted (int fd, const char *display, bool directory, ocg_error_t *err)
{
  const char *what = directory ? "directory" : "file";
  struct stat st;

  if (fstat (fd, &st) < 0)
    return ocg_error_set (err, errno, "stat policy %s `%s`", what, display);
  if (directory ? !S_ISDIR (st.st_mode) : !S_ISREG (st.st_mode))
    return ocg_error_set (err, 0, "policy %s `%s` is not a regular %s", what, display,
                          directory ? "directory" : "file");
  switch (fsutil_trust (&st, &policy_trust))
    {
    case FS_OTHER_OWNER:
      return ocg_error_set (err, 0,
                            "policy %s `%s` is owned by uid %u, not root: refusing to use a "
                            "policy another user could have written",
                            what, display, (unsigned)st.st_uid);
    case FS_SHARED:
      return ocg_error_set (err, 0,
                            "policy %s `%s` is writable by group or others (mode %04o): refusing "
                            "to use a policy another user could have written",
                            what, display, (unsigned)(st.st_mode & 07777));
    case FS_TRUSTED:
    case FS_STICKY:
      break;
    }
  return 0;
}

static int
open_at (int dirfd, const char *name, bool directory)
{
  int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (directory ? O_DIRECTORY : O_NONBLOCK);

  return openat (dirfd, name, flags);
}

int
policy_file_open_trusted (int dirfd, const char *name, const char *display, bool directory,
                          ocg_error_t *err)
{
  cleanup_close int fd = open_at (dirfd, name, directory);

  if (fd < 0)
    return ocg_error_set (err, errno, "open policy %s `%s`", directory ? "directory" : "file",
                          display);
  if (policy_file_check_trusted (fd, display, directory, err) < 0)
    return -1;
  return steal_fd (&fd);
}

/* Where the walk stands: `dir` (O_PATH, checked) is the directory reached, `shown` its path as
 * resolved so far, `rest` what is left to look up, `links` the links followed ("`a` -> `b`").  */
struct walk
{
  int dir;
  char *shown;
  char *rest;
  char *links;
  unsigned n_links;
};

static void
walk_release (struct walk *w)
{
  if (w->dir >= 0)
    close (w->dir);
  free (w->shown);
  free (w->rest);
  free (w->links);
}

static char *
path_join (const char *dir, const char *name)
{
  if (str_eq (dir, "."))
    return xstrdup (name);
  if (str_eq (dir, "/"))
    return xasprintf ("/%s", name);
  return xasprintf ("%s/%s", dir, name);
}

/* Move to the directory `fd` (checked here) shown as `shown`; takes both.  */
static int
walk_enter (struct walk *w, int fd, char *shown, ocg_error_t *err)
{
  if (w->dir >= 0)
    close (w->dir);
  free (w->shown);
  w->dir = fd;
  w->shown = shown;
  return policy_file_check_trusted (fd, shown, true, err);
}

/* Start at "/" (absolute) or at dirfd, shown as `shown`.  */
static int
walk_start (struct walk *w, int dirfd, const char *shown, bool absolute, ocg_error_t *err)
{
  int fd = absolute ? open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC)
                    : openat (dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (absolute)
    shown = "/";
  if (fd < 0)
    return ocg_error_set (err, errno, "open policy directory `%s`", shown);
  return walk_enter (w, fd, xstrdup (shown), err);
}

/* Cut the next component off w->rest; NULL when nothing is left.  *last: nothing after it.  */
static char *
walk_next (struct walk *w, bool *last)
{
  const char *p = w->rest + strspn (w->rest, "/");
  size_t len = strcspn (p, "/");
  char *comp = len ? xstrndup (p, len) : NULL;
  char *rest = xstrdup (p + len);

  free (w->rest);
  w->rest = rest;
  *last = w->rest[strspn (w->rest, "/")] == '\0';
  return comp;
}

/* A link: read it through the descriptor that was checked, refuse it unless root made it, and
 * put its target in front of what is left -- from "/" when absolute, from the link's directory
 * otherwise, as the kernel resolves it.  A link's own mode means nothing (always 0777): who can
 * replace it is decided by its directory, checked already.  */
static int
walk_follow (struct walk *w, int fd, const struct stat *st, const char *shown, ocg_error_t *err)
{
  char target[4096];
  ssize_t n = readlinkat (fd, "", target, sizeof (target));
  char *joined;

  if (n < 0 || (size_t)n >= sizeof (target))
    return ocg_error_set (err, n < 0 ? errno : ENAMETOOLONG, "read symbolic link `%s`", shown);
  target[n] = '\0';
  joined = xasprintf ("%s%s`%s` -> `%s`", w->links ? w->links : "", w->links ? ", " : "", shown,
                      target);
  free (w->links);
  w->links = joined;
  if (!fsutil_owner_trusted (st->st_uid, &policy_trust))
    return ocg_error_set (err, 0,
                          "symbolic link `%s` is owned by uid %u, not root: refusing to follow a "
                          "link another user could have made",
                          shown, (unsigned)st->st_uid);
  if (++w->n_links > WALK_MAX_LINKS)
    return ocg_error_set (err, ELOOP, "follow `%s`", shown);
  joined = xasprintf ("%s/%s", target, w->rest);
  free (w->rest);
  w->rest = joined;
  return target[0] == '/' ? walk_start (w, -1, NULL, true, err) : 0;
}

/* The final component, a checked O_PATH descriptor: open it for reading, and make sure the name
 * still leads to the same inode (only root can have changed it in between).  */
static int
walk_finish (struct walk *w, int fd, const char *comp, const char *shown, bool directory,
             ocg_error_t *err)
{
  int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | (directory ? O_DIRECTORY : O_NONBLOCK);
  cleanup_close int rfd = -1;
  struct stat a, b;

  if (policy_file_check_trusted (fd, shown, directory, err) < 0)
    return -1;
  rfd = directory ? openat (fd, ".", flags) : openat (w->dir, comp, flags);
  if (rfd < 0)
    return ocg_error_set (err, errno, "open policy %s `%s`", directory ? "directory" : "file",
                          shown);
  if (fstat (fd, &a) < 0 || fstat (rfd, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
    return ocg_error_set (err, 0, "policy file `%s` changed while it was opened", shown);
  return steal_fd (&rfd);
}

/* The path of `comp` looked up in w->dir, for messages.  */
static char *
walk_shown (const struct walk *w, const char *comp)
{
  const char *slash = strrchr (w->shown, '/');

  if (str_eq (comp, "..") && slash != NULL && !str_eq (w->shown, "/"))
    return slash == w->shown ? xstrdup ("/") : xstrndup (w->shown, slash - w->shown);
  return path_join (w->shown, comp);
}

/* One component: a directory to enter, a link to follow, or (last) the file itself, whose
 * descriptor goes to *out.  Returns 1 when *out is set, 0 to go on, -1 on error.  */
static int
walk_step (struct walk *w, const char *comp, bool last, bool directory, int *out, ocg_error_t *err)
{
  cleanup_free char *shown = walk_shown (w, comp);
  cleanup_close int fd = openat (w->dir, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;

  if (fd < 0 || fstat (fd, &st) < 0)
    return ocg_error_set (err, errno, "open `%s`", shown);
  if (S_ISLNK (st.st_mode))
    return walk_follow (w, fd, &st, shown, err);
  if (last)
    return (*out = walk_finish (w, fd, comp, shown, directory, err)) < 0 ? -1 : 1;
  if (!S_ISDIR (st.st_mode))
    return ocg_error_set (err, ENOTDIR, "open `%s`", shown);
  return walk_enter (w, steal_fd (&fd), steal_pointer (&shown), err);
}

/* Is the first link followed `display` itself?  */
static bool
links_start_at (const char *links, const char *display)
{
  size_t n = strlen (display);

  return links[0] == '`' && strncmp (links + 1, display, n) == 0 && links[n + 1] == '`';
}

int
policy_file_open_path (int dirfd, const char *dir_shown, const char *name, bool directory,
                       ocg_error_t *err)
{
  struct walk w = { .dir = -1, .rest = xstrdup (name) };
  cleanup_free char *display
      = name[0] == '/' ? xstrdup (name) : path_join (dir_shown ? dir_shown : ".", name);
  int ret = walk_start (&w, dirfd, dir_shown ? dir_shown : ".", name[0] == '/', err);
  int fd = -1;

  while (ret == 0)
    {
      bool last = false;
      cleanup_free char *comp = walk_next (&w, &last);

      if (comp == NULL)
        ret = ocg_error_set (err, EISDIR, "open policy file `%s`", display);
      else if (!str_eq (comp, ".") || last)
        ret = walk_step (&w, comp, last, directory, &fd, err);
    }
  if (ret < 0 && w.links != NULL)
    ocg_error_wrap (err, "policy %s `%s` is %s (%s)", directory ? "directory" : "file", display,
                    links_start_at (w.links, display) ? "a symbolic link"
                                                      : "reached through a symbolic link",
                    w.links);
  walk_release (&w);
  return ret < 0 ? -1 : fd;
}
