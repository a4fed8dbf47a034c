/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real host fact `unix_listeners`: which listening UNIX sockets a bind of a host path would
 * show, and which processes hold them; hostfacts.h has the contract.
 *
 * The kernel is asked, not the file names: NETLINK_SOCK_DIAG (net/unix/diag.c, UDIAG_SHOW_VFS)
 * gives every listening socket's own file (device and inode) and the name it was bound to.  A
 * name is believed only when stat(2) of it is that very file; the file is then placed through the
 * mount table (so a socket directory bound elsewhere is found where it is bound).  A socket whose
 * name no longer names it, or that has other hard links, is searched for below the path (bounded);
 * if it cannot be found there for sure it is reported without a place.  The holders come from
 * /proc/<pid>/fd ("socket:[inode]").
 *
 * Owns: that I/O.  Must not: decide which daemons matter (the rule does).
 * Cheap: one netlink dump for the life of the facts; a path none of whose filesystems a listening
 * socket is on is answered without building anything (views_may_show_listener); the /proc scan
 * runs only when a socket is actually exposed.  */
#include <config.h>

#include <dirent.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hostfacts.h"
#include "hostfacts_walk.h"
#include "util.h"

/* include/net/tcp_states.h: a listening AF_UNIX socket reports TCP_LISTEN.  */
#define UNIX_STATE_LISTEN 10
/* The bounded search for a socket whose name says nothing: how deep and how many entries.  */
#define WALK_MAX_DEPTH 8
#define WALK_MAX_ENTRIES 8192

/* What a bind of the path shows: the filesystem `dev` from `root` (a path inside it) on, at the
 * host path `point`.  The bind source itself, then (rbind) every mount below it.  */
struct view
{
  dev_t dev;
  char *root;
  const char *point;
};

struct candidate
{
  unsigned long sock_ino;
  dev_t dev;
  ino_t ino;
  char *name;
};

struct scan
{
  struct view *views;
  size_t n_views;
  struct candidate *cands;
  size_t n_cands;
  unsigned long *found_ino; /* parallel to out->items */
  struct host_listeners *out;
};

static void
scan_release (struct scan *s)
{
  for (size_t i = 0; i < s->n_views; i++)
    free (s->views[i].root);
  free (s->views);
  for (size_t i = 0; i < s->n_cands; i++)
    free (s->cands[i].name);
  free (s->cands);
  free (s->found_ino);
}

static void
views_add (struct scan *s, dev_t dev, char *root, const char *point)
{
  s->views = xreallocarray (s->views, s->n_views + 1, sizeof (*s->views));
  s->views[s->n_views++] = (struct view){ dev, root, point };
}

static bool
views_build (const struct host_facts *host, const struct host_mounts *t, const char *path,
             bool recursive, struct scan *s)
{
  struct host_object obj;
  dev_t dev;
  char *rel = NULL;

  if (!host->path_object (host, path, &obj) || !hostfacts_locate (t, &obj, path, &dev, &rel))
    return false;
  views_add (s, dev, rel, path);
  for (size_t i = 0; recursive && i < t->n; i++)
    {
      const char *rest;
      /* hostfacts_path_rest's own first test, before the call: every bind, every mount.  */
      const char *point = t->items[i].point;
      if (path[0] == '/' && path[1] != '\0' && (point[0] != '/' || point[1] != path[1]))
        continue;
      rest = hostfacts_path_rest (point, path);
      if (rest != NULL && *rest != '\0')
        views_add (s, t->items[i].dev, xstrdup (t->items[i].root), t->items[i].point);
    }
  return true;
}

static bool
views_have_dev (const struct scan *s, dev_t dev)
{
  for (size_t i = 0; i < s->n_views; i++)
    if (s->views[i].dev == dev)
      return true;
  return false;
}

static void
candidate_add (struct scan *s, unsigned long sock_ino, dev_t dev, ino_t ino, const char *name)
{
  if (!views_have_dev (s, dev))
    return;
  s->cands = xreallocarray (s->cands, s->n_cands + 1, sizeof (*s->cands));
  s->cands[s->n_cands++]
      = (struct candidate){ sock_ino, dev, ino, name != NULL ? xstrdup (name) : NULL };
}

/* Every listening UNIX socket with a file, from one sock_diag dump for the life of these facts
 * (hostfacts_sockets_reset): the check and the recheck of every bind ask about the same sockets,
 * and 1000 binds made 2000 dumps.  Each call still keeps only the sockets on the filesystems its
 * bind shows, places them by name and finds their holders afresh.  */
static struct
{
  bool read;
  bool ok;
  struct candidate *items;
  size_t n;
} listening;

/* The mounts of our own mount table (hostfacts_mount_table_borrow's, read once for the life of
 * the facts, like the dump) whose filesystem a listening socket is on, found once: an rbind can
 * show a listening socket below it only through one of them.  */
static struct
{
  bool ready;
  size_t *idx;
  size_t n;
} listening_mounts;

void
hostfacts_sockets_reset (void)
{
  for (size_t i = 0; i < listening.n; i++)
    free (listening.items[i].name);
  free (listening.items);
  memset (&listening, 0, sizeof (listening));
  free (listening_mounts.idx);
  memset (&listening_mounts, 0, sizeof (listening_mounts));
}

static void
listening_add (unsigned long sock_ino, dev_t dev, ino_t ino, char *name)
{
  listening.items = xreallocarray (listening.items, listening.n + 1, sizeof (*listening.items));
  listening.items[listening.n++] = (struct candidate){ sock_ino, dev, ino, name };
}

/* One sock_diag reply message: a listening socket with its file, if it has one.  */
static void
diag_message (const struct nlmsghdr *h)
{
  const struct unix_diag_msg *m = NLMSG_DATA (h);
  int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH (sizeof (*m));
  cleanup_free char *name = NULL;
  const struct unix_diag_vfs *vfs = NULL;

  for (const struct rtattr *a = (const void *)(m + 1); RTA_OK (a, len); a = RTA_NEXT (a, len))
    if (a->rta_type == UNIX_DIAG_VFS && (size_t)RTA_PAYLOAD (a) >= sizeof (*vfs))
      vfs = RTA_DATA (a);
    else if (a->rta_type == UNIX_DIAG_NAME && RTA_PAYLOAD (a) > 0
             && ((const char *)RTA_DATA (a))[0] == '/')
      name = xstrndup (RTA_DATA (a), RTA_PAYLOAD (a));
  /* udiag_vfs_dev is the kernel's dev_t (MAJOR << 20 | MINOR), not stat(2)'s encoding.  */
  if (vfs != NULL)
    listening_add (m->udiag_ino, makedev (vfs->udiag_vfs_dev >> 20, vfs->udiag_vfs_dev & 0xfffff),
                   vfs->udiag_vfs_ino, steal_pointer (&name));
}

static bool
diag_dump (void)
{
  struct
  {
    struct nlmsghdr nlh;
    struct unix_diag_req req;
  } rq = { 0 };
  cleanup_close int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  char buf[32768] __attribute__ ((aligned (NLMSG_ALIGNTO)));
  ssize_t n;

  rq.nlh.nlmsg_len = sizeof (rq);
  rq.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  rq.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  rq.req.sdiag_family = AF_UNIX;
  rq.req.udiag_states = 1u << UNIX_STATE_LISTEN;
  rq.req.udiag_show = UDIAG_SHOW_VFS | UDIAG_SHOW_NAME;
  if (fd < 0 || send (fd, &rq, sizeof (rq), 0) < 0)
    return false;
  while ((n = recv (fd, buf, sizeof (buf), 0)) > 0)
    for (const struct nlmsghdr *h = (const void *)buf; NLMSG_OK (h, n); h = NLMSG_NEXT (h, n))
      {
        if (h->nlmsg_type == NLMSG_DONE)
          return true;
        if (h->nlmsg_type == NLMSG_ERROR)
          return false;
        diag_message (h);
      }
  return false;
}

static bool
listening_read (void)
{
  if (!listening.read)
    {
      listening.read = true;
      listening.ok = diag_dump ();
    }
  return listening.ok;
}

static bool
listening_on (dev_t dev)
{
  for (size_t i = 0; i < listening.n; i++)
    if (listening.items[i].dev == dev)
      return true;
  return false;
}

/* The mounts of t whose filesystem a listening socket is on (after listening_read): for our own
 * table kept in listening_mounts, for another (a test's) made in *made.  */
static const size_t *
mounts_listening (const struct host_mounts *t, bool own, size_t **made, size_t *n)
{
  size_t *idx;

  if (own && listening_mounts.ready)
    {
      *n = listening_mounts.n;
      return listening_mounts.idx;
    }
  idx = xzalloc ((t->n + 1) * sizeof (*idx));
  *n = 0;
  for (size_t i = 0; i < t->n; i++)
    if (listening_on (t->items[i].dev))
      idx[(*n)++] = i;
  if (!own)
    return *made = idx;
  listening_mounts.ready = true;
  listening_mounts.idx = idx;
  listening_mounts.n = *n;
  return idx;
}

/* Could a bind of `path` show a filesystem a listening socket is on?  1 when it could (the scan
 * runs), 0 when not (the scan would find no candidate: its answer is the empty list), -1 where
 * views_build or the dump fails.  The same tests as views_build and candidates_collect, without
 * an allocation (for our own table): most binds show no filesystem with a listening socket.  */
static int
views_may_show_listener (const struct host_facts *host, const struct host_mounts *t, bool own,
                         const char *path, bool recursive)
{
  struct host_object obj;
  const struct host_mount *m;
  const char *rest;
  cleanup_free size_t *made = NULL;
  const size_t *on;
  size_t n, n_on = 0;

  if (!host->path_object (host, path, &obj)
      || (m = hostfacts_locate_mount (t, &obj, path, &rest)) == NULL || !listening_read ())
    return -1;
  if (listening_on (m->dev))
    return 1;
  /* located: path is absolute.  A mount point strictly below it, as views_build's
   * hostfacts_path_rest with a non-empty rest.  */
  if (!recursive)
    return 0;
  n = strlen (path);
  on = mounts_listening (t, own, &made, &n_on);
  for (size_t k = 0; k < n_on; k++)
    {
      const char *point = t->items[on[k]].point;
      if (n == 1 ? point[0] == '/' && point[1] != '\0'
                 : point[0] == '/' && point[1] == path[1] && strncmp (point, path, n) == 0
                       && point[n] == '/')
        return 1;
    }
  return 0;
}

/* The candidates of this scan: the listening sockets on a filesystem the bind shows.  */
static bool
candidates_collect (struct scan *s)
{
  listening_read ();
  for (size_t i = 0; listening.ok && i < listening.n; i++)
    candidate_add (s, listening.items[i].sock_ino, listening.items[i].dev, listening.items[i].ino,
                   listening.items[i].name);
  return listening.ok;
}

static void
found_add (struct scan *s, unsigned long sock_ino, const char *path)
{
  struct host_listeners *o = s->out;

  for (size_t i = 0; i < o->n; i++)
    if (s->found_ino[i] == sock_ino)
      return;
  o->items = xreallocarray (o->items, o->n + 1, sizeof (*o->items));
  s->found_ino = xreallocarray (s->found_ino, o->n + 1, sizeof (*s->found_ino));
  o->items[o->n] = (struct host_listener){ path != NULL ? xstrdup (path) : NULL, 0, NULL };
  s->found_ino[o->n++] = sock_ino;
}

/* Where the bind shows the socket file named `name` (verified to be it), malloc'd, or NULL.  */
static char *
place_by_name (const struct host_facts *host, const struct host_mounts *t, const struct scan *s,
               const char *name)
{
  struct host_object obj;
  cleanup_free char *rel = NULL;
  dev_t dev;

  if (!host->path_object (host, name, &obj) || !hostfacts_locate (t, &obj, name, &dev, &rel))
    return NULL;
  for (size_t i = 0; i < s->n_views; i++)
    {
      const char *rest = hostfacts_path_rest (rel, s->views[i].root);
      if (s->views[i].dev == dev && rest != NULL)
        return xasprintf ("%s%s", strcmp (s->views[i].point, "/") == 0 ? "" : s->views[i].point,
                          rest);
    }
  return NULL;
}

/* Place each candidate by its name; returns how many still need the search.  */
static size_t
place_candidates (const struct host_facts *host, const struct host_mounts *t, struct scan *s,
                  bool *need)
{
  size_t left = 0;

  for (size_t i = 0; i < s->n_cands; i++)
    {
      const struct candidate *c = &s->cands[i];
      struct stat st;
      bool named = c->name != NULL && stat (c->name, &st) == 0 && st.st_dev == c->dev
                   && st.st_ino == c->ino;
      cleanup_free char *at = named ? place_by_name (host, t, s, c->name) : NULL;

      if (at != NULL)
        found_add (s, c->sock_ino, at);
      need[i] = at == NULL && (!named || st.st_nlink > 1);
      left += need[i];
    }
  return left;
}

struct walk
{
  struct scan *s;
  const bool *need;
  dev_t top_dev;
  bool recursive;
  size_t entries;
  bool complete;
};

static void
walk_dir (struct walk *w, const char *dir, unsigned depth)
{
  DIR *d = opendir (dir);
  struct dirent *e;

  if (d == NULL)
    {
      w->complete = false;
      return;
    }
  while ((e = readdir (d)) != NULL && w->complete)
    {
      cleanup_free char *p = NULL;
      struct stat st;

      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
        continue;
      p = xasprintf ("%s/%s", strcmp (dir, "/") == 0 ? "" : dir, e->d_name);
      if (++w->entries > WALK_MAX_ENTRIES || lstat (p, &st) < 0)
        {
          w->complete = false;
          break;
        }
      for (size_t i = 0; S_ISSOCK (st.st_mode) && i < w->s->n_cands; i++)
        if (w->need[i] && w->s->cands[i].dev == st.st_dev && w->s->cands[i].ino == st.st_ino)
          found_add (w->s, w->s->cands[i].sock_ino, p);
      /* Without rbind the runtime shows only the source's own mount.  */
      if (S_ISDIR (st.st_mode) && (w->recursive || st.st_dev == w->top_dev))
        {
          if (depth >= WALK_MAX_DEPTH)
            w->complete = false;
          else
            walk_dir (w, p, depth + 1);
        }
    }
  closedir (d);
}

/* The candidates the names could not place: search below the path; what the search cannot rule
 * out is reported without a place.  */
static void
search_candidates (struct scan *s, const char *path, bool recursive, const bool *need)
{
  struct stat top;
  struct walk w = { s, need, 0, recursive, 0, true };

  if (stat (path, &top) == 0 && S_ISDIR (top.st_mode))
    {
      w.top_dev = top.st_dev;
      walk_dir (&w, path, 1);
    }
  else if (stat (path, &top) < 0)
    w.complete = false;
  if (w.complete)
    return;
  for (size_t i = 0; i < s->n_cands; i++)
    if (need[i])
      found_add (s, s->cands[i].sock_ino, NULL);
}

/* "socket:[12345]" */
static unsigned long
fd_socket_ino (const char *link)
{
  unsigned long ino = 0;

  return sscanf (link, "socket:[%lu]", &ino) == 1 ? ino : 0;
}

static void
holder_add (struct host_listener *l, pid_t pid)
{
  cleanup_free char *exe = xasprintf ("/proc/%d/exe", (int)pid);
  struct host_socket_holder h = { .pid = pid };
  struct stat st;
  char buf[4096];
  ssize_t n;

  for (size_t i = 0; i < l->n_holders; i++)
    if (l->holders[i].pid == pid)
      return;
  if (stat (exe, &st) == 0)
    {
      h.exe_known = true;
      h.exe_dev = st.st_dev;
      h.exe_ino = st.st_ino;
    }
  n = readlink (exe, buf, sizeof (buf) - 1);
  h.exe = n > 0 ? xstrndup (buf, (size_t)n) : NULL;
  l->holders = xreallocarray (l->holders, l->n_holders + 1, sizeof (*l->holders));
  l->holders[l->n_holders++] = h;
}

static void
holders_of_pid (struct scan *s, pid_t pid)
{
  cleanup_free char *dir = xasprintf ("/proc/%d/fd", (int)pid);
  DIR *d = opendir (dir);
  struct dirent *e;

  while (d != NULL && (e = readdir (d)) != NULL)
    {
      cleanup_free char *fd = xasprintf ("%s/%s", dir, e->d_name);
      char buf[64];
      ssize_t n = readlink (fd, buf, sizeof (buf) - 1);
      unsigned long ino;

      if (n <= 0)
        continue;
      buf[n] = '\0';
      ino = fd_socket_ino (buf);
      for (size_t i = 0; ino != 0 && i < s->out->n; i++)
        if (s->found_ino[i] == ino)
          holder_add (&s->out->items[i], pid);
    }
  if (d != NULL)
    closedir (d);
}

static void
find_holders (struct scan *s)
{
  DIR *proc = s->out->n > 0 ? opendir ("/proc") : NULL;
  struct dirent *e;

  while (proc != NULL && (e = readdir (proc)) != NULL)
    {
      char *end = NULL;
      long pid = strtol (e->d_name, &end, 10);
      if (pid > 0 && *end == '\0')
        holders_of_pid (s, (pid_t)pid);
    }
  if (proc != NULL)
    closedir (proc);
}

bool
hostfacts_real_unix_listeners (const struct host_facts *host, const char *path, bool recursive,
                               struct host_listeners *out)
{
  struct host_mounts owned = { 0 };
  const struct host_mounts *t = hostfacts_mount_table_borrow (host, &owned);
  struct scan s = { .out = out };
  cleanup_free bool *need = NULL;
  int shows;
  bool ok;

  memset (out, 0, sizeof (*out));
  if (t != NULL && (shows = views_may_show_listener (host, t, t != &owned, path, recursive)) <= 0)
    {
      hostfacts_mounts_release (&owned);
      return shows == 0;
    }
  ok = t != NULL && views_build (host, t, path, recursive, &s) && candidates_collect (&s);
  /* No listening socket on a filesystem the bind shows: nothing to place, search or hold.  */
  if (ok && s.n_cands > 0)
    {
      need = xzalloc ((s.n_cands + 1) * sizeof (bool));
      if (place_candidates (host, t, &s, need) > 0)
        search_candidates (&s, path, recursive, need);
      find_holders (&s);
    }
  scan_release (&s);
  hostfacts_mounts_release (&owned);
  if (!ok)
    hostfacts_listeners_release (out);
  return ok;
}
