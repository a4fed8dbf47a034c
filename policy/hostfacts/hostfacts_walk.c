/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The canonical form of a host path (the host facts canonical_path and canonical_policy_path),
 * and the budget every path walk of one judgement draws from.
 *
 * Owns: resolving a path component by component as the kernel would, each one looked up relative
 * to the file reached so far, so the cost is linear in the path and its symlinks; the shared
 * count of component lookups.
 * Must not: judge anything.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostfacts.h"
#include "hostfacts_walk.h"
#include "util.h"

static unsigned walk_budget = HOSTFACTS_WALK_BUDGET;

unsigned
hostfacts_walk_left (void)
{
  return walk_budget;
}

bool
hostfacts_walk_spent (void)
{
  return walk_budget == 0;
}

bool
hostfacts_walk_spend (void)
{
  if (walk_budget == 0)
    return false;
  walk_budget--;
  return true;
}

/* The memo of hostfacts_canonical_policy_path: open addressing over the path's FNV-1a hash,
 * half full at most.  */
struct canon_memo
{
  char **keys;
  char **values;
  size_t cap; /* 0 or a power of two */
  size_t n;
};

static struct canon_memo memo;

static void
memo_clear (void)
{
  for (size_t i = 0; i < memo.cap; i++)
    {
      free (memo.keys[i]);
      free (memo.values[i]);
    }
  free (memo.keys);
  free (memo.values);
  memset (&memo, 0, sizeof (memo));
}

static void prefixes_clear (void);

void
hostfacts_walk_reset (void)
{
  walk_budget = HOSTFACTS_WALK_BUDGET;
  memo_clear ();
  prefixes_clear ();
  hostfacts_cache_reset ();
}

static size_t
memo_slot (const struct canon_memo *m, const char *key)
{
  uint64_t h = 14695981039346656037u;

  for (const unsigned char *p = (const unsigned char *)key; *p != '\0'; p++)
    h = (h ^ *p) * 1099511628211u;
  for (size_t i = (size_t)h & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
    if (m->keys[i] == NULL || strcmp (m->keys[i], key) == 0)
      return i;
}

static void
memo_put (struct canon_memo *m, char *key, char *value)
{
  size_t i;

  if (2 * (m->n + 1) > m->cap)
    {
      struct canon_memo bigger = { .cap = m->cap ? 2 * m->cap : 64 };

      bigger.keys = xzalloc (bigger.cap * sizeof (char *));
      bigger.values = xzalloc (bigger.cap * sizeof (char *));
      for (size_t k = 0; k < m->cap; k++)
        if (m->keys[k] != NULL)
          memo_put (&bigger, m->keys[k], m->values[k]);
      free (m->keys);
      free (m->values);
      *m = bigger;
    }
  i = memo_slot (m, key);
  m->keys[i] = key;
  m->values[i] = value;
  m->n++;
}

/* Append one component to a canonical path, lexically: "." is nothing, ".." drops the last
 * component (never above "/").  */
static void
path_push (char *out, size_t size, const char *comp, size_t len)
{
  size_t n = strlen (out);

  if (len == 1 && comp[0] == '.')
    return;
  if (len == 2 && comp[0] == '.' && comp[1] == '.')
    {
      char *slash = strrchr (out, '/');
      if (slash != NULL)
        slash[slash == out ? 1 : 0] = '\0';
      return;
    }
  if (n + 1 + len + 1 > size)
    return;
  if (n > 1)
    out[n++] = '/';
  memcpy (out + n, comp, len);
  out[n + len] = '\0';
}

/* A canonical walk: `out` is the canonical text of the file reached so far and `dfd` that file
 * (O_PATH), so every component costs ONE lookup relative to it.  realpath(3) lstat()s each prefix
 * of the path from "/" again, n^2 lookups for n components, and calling it for every prefix as
 * this fallback once did made a single 1900-component bind source cost minutes (n^3).  */
struct canon_walk
{
  char out[PATH_MAX];
  int dfd;
  bool borrowed; /* dfd belongs to the prefix memo (policy paths): never closed by the walk */
  bool record;   /* a policy path's walk for the cache: note each directory looked in */
  unsigned links;
};

static void
walk_release (struct canon_walk *w)
{
  if (w->dfd >= 0 && !w->borrowed)
    close (w->dfd);
  w->dfd = -1;
  w->borrowed = false;
}

static void
walk_move (struct canon_walk *w, int fd)
{
  walk_release (w);
  w->dfd = fd;
}

static bool canon_walk (struct canon_walk *w, const char *rest, const char **stop, bool tail);

static bool
canon_step_up (struct canon_walk *w)
{
  int fd = openat (w->dfd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return false;
  walk_move (w, fd);
  path_push (w->out, sizeof (w->out), "..", 2);
  return true;
}

/* A symlink is read and its target walked from here (or from "/"), as realpath(3) does: a /proc
 * magic link reads as its text.  If the target does not resolve whole, the walk stays before the
 * link, which then counts as missing (what realpath(3) of the prefix plus the link said).  */
static bool
canon_step_link (struct canon_walk *w, const char *name, bool final)
{
  struct canon_walk saved = *w;
  const char *ignored = NULL;
  char buf[PATH_MAX];
  ssize_t n = readlinkat (w->dfd, name, buf, sizeof (buf) - 1);

  if (n <= 0 || ++w->links > HOSTFACTS_MAX_LINKS)
    {
      errno = n < 0 ? errno : ELOOP;
      return false;
    }
  buf[n] = '\0';
  if (!saved.borrowed && (saved.dfd = dup (w->dfd)) < 0)
    return false;
  if (buf[0] == '/')
    {
      walk_move (w, open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
      memcpy (w->out, "/", 2);
    }
  if (w->dfd >= 0 && canon_walk (w, buf, &ignored, final))
    {
      walk_release (&saved);
      return true;
    }
  walk_release (w);
  *w = saved;
  return false;
}

/* A component that is not the last one is a directory, or a symlink, for the walk to go on:
 * open it as a directory at once (O_NOFOLLOW: a symlink fails with ENOTDIR, as does a file), one
 * lookup instead of an lstat and an open.  true with the walk moved, false with errno set.  */
static bool
canon_step_dir (struct canon_walk *w, const char *name, size_t len)
{
  int fd = openat (w->dfd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return false;
  if (strlen (w->out) + 1 + len + 1 > sizeof (w->out))
    {
      close (fd);
      errno = ENAMETOOLONG;
      return false;
    }
  walk_move (w, fd);
  path_push (w->out, sizeof (w->out), name, len);
  return true;
}

/* One component.  The last one of the whole walk (`final`) is only looked at: nothing is looked
 * up relative to it, so it is never opened.  */
static bool
canon_step (struct canon_walk *w, const char *comp, size_t len, bool final)
{
  char name[NAME_MAX + 1];
  struct stat st;
  int fd;

  if (len > NAME_MAX || !hostfacts_walk_spend ())
    {
      errno = len > NAME_MAX ? ENAMETOOLONG : E2BIG;
      return false;
    }
  if (w->record)
    hostfacts_cache_record_dir (w->dfd, w->out);
  memcpy (name, comp, len);
  name[len] = '\0';
  if (str_eq (name, "."))
    return true;
  if (str_eq (name, ".."))
    return canon_step_up (w);
  if (!final && canon_step_dir (w, name, len))
    return true;
  if (!final && errno != ENOTDIR)
    return false;
  if (fstatat (w->dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return false;
  if (S_ISLNK (st.st_mode))
    return canon_step_link (w, name, final);
  if (strlen (w->out) + 1 + len + 1 > sizeof (w->out))
    {
      errno = ENAMETOOLONG;
      return false;
    }
  if (!final)
    {
      fd = openat (w->dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        return false;
      walk_move (w, fd);
    }
  path_push (w->out, sizeof (w->out), comp, len);
  return true;
}

/* Is the component of length len at p the last of `rest`?  */
static bool
last_component (const char *p, size_t len)
{
  return p[len + strspn (p + len, "/")] == '\0';
}

/* Walk `rest` from where w stands; false (with *stop at the first component that did not
 * resolve) when part of it does not exist.  `tail`: what `rest` ends with ends the whole walk.  */
static bool
canon_walk (struct canon_walk *w, const char *rest, const char **stop, bool tail)
{
  for (const char *p = rest;;)
    {
      size_t len;

      p += strspn (p, "/");
      len = strcspn (p, "/");
      if (len == 0)
        return true;
      if (!canon_step (w, p, len, tail && last_component (p, len)))
        {
          *stop = p;
          return false;
        }
      p += len;
    }
}

/* The rest of a path that did not resolve, appended lexically.  */
static void
walk_append_lexically (struct canon_walk *w, const char *stop)
{
  for (const char *p = stop; *p != '\0';)
    {
      size_t len;

      p += strspn (p, "/");
      len = strcspn (p, "/");
      if (len == 0)
        break;
      path_push (w->out, sizeof (w->out), p, len);
      p += len;
    }
}

/* realpath(3) of the path when it exists; otherwise the canonical form of its longest existing
 * part (each component resolved as the kernel would, so ".." after a symlink goes where the
 * kernel goes) with the rest appended lexically.  Linear in the path and its symlinks.  */
char *
hostfacts_canonical_path (const struct host_facts *host, const char *path)
{
  struct canon_walk w = { .out = "/", .dfd = -1 };
  const char *stop = NULL;

  (void)host;
  if (path == NULL || path[0] != '/')
    return NULL;
  w.dfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (w.dfd < 0)
    stop = path;
  if (stop != NULL || !canon_walk (&w, path, &stop, true))
    walk_append_lexically (&w, stop);
  walk_release (&w);
  return xstrdup (w.out);
}

/* The policy's paths share their first components (/var/lib/..., /run/...): each directory a
 * policy path walks through is kept open, under the text of the path up to it, and a later policy
 * path that starts with the same text goes on from there.  The walk from a kept directory is the
 * walk from "/" minus the lookups already made, for the life of these facts like the memo above;
 * a document's paths never use it (hostfacts_canonical_path walks them whole, every time).  */
struct prefix_dir
{
  char *key;            /* the policy path's text up to the end of a component ("" for "/") */
  struct canon_walk at; /* dfd -1: the last component of key does not exist (ENOENT), and `at`
                           stands before it */
  size_t missing_at;    /* then: the offset in key where that component starts */
};

static struct
{
  struct prefix_dir *items;
  size_t n;
} prefixes;

static void
prefixes_clear (void)
{
  for (size_t i = 0; i < prefixes.n; i++)
    {
      free (prefixes.items[i].key);
      prefixes.items[i].at.borrowed = false;
      walk_release (&prefixes.items[i].at);
    }
  free (prefixes.items);
  memset (&prefixes, 0, sizeof (prefixes));
}

/* Start w at the longest kept directory whose text `path` starts with (a whole component); the
 * length of that text, or -1 when none is kept (not even "/").  When that text ends in a
 * component that did not exist, *stop is set to where it starts in path.  */
static ssize_t
prefix_start (struct canon_walk *w, const char *path, const char **stop)
{
  const struct prefix_dir *best = NULL;
  size_t best_len = 0;

  for (size_t i = 0; i < prefixes.n; i++)
    {
      size_t k = strlen (prefixes.items[i].key);
      if ((best == NULL || k > best_len) && strncmp (path, prefixes.items[i].key, k) == 0
          && (path[k] == '/' || path[k] == '\0'))
        best = &prefixes.items[i], best_len = k;
    }
  if (best == NULL)
    return -1;
  *w = best->at;
  w->borrowed = true;
  if (w->dfd < 0)
    *stop = path + best->missing_at;
  return (ssize_t)best_len;
}

static void
prefix_add (const struct canon_walk *w, const char *path, size_t len, size_t missing_at)
{
  prefixes.items = xreallocarray (prefixes.items, prefixes.n + 1, sizeof (*prefixes.items));
  prefixes.items[prefixes.n].key = xstrndup (path, len);
  prefixes.items[prefixes.n].at = *w;
  prefixes.items[prefixes.n].missing_at = missing_at;
  prefixes.n++;
}

/* Keep the directory w stands on under path[0..len), when w owns it.  */
static void
prefix_keep (struct canon_walk *w, const char *path, size_t len)
{
  if (w->dfd < 0 || w->borrowed)
    return;
  prefix_add (w, path, len, 0);
  w->borrowed = true;
}

/* Keep that the component at path[from..len) does not exist where w stands: another policy path
 * through it stops there too.  Only a plain ENOENT (not a spent budget, not a loop).  */
static void
prefix_keep_missing (const struct canon_walk *w, const char *path, size_t from, size_t len)
{
  struct canon_walk at = *w;

  at.dfd = -1;
  at.borrowed = true;
  prefix_add (&at, path, len, from);
}

/* canonical_path for a policy path, through the kept directories.  *sure: every lookup that
 * failed found its name missing (nothing else, such as a spent budget, shaped the answer).  */
static char *
canonical_policy_walk (const char *path, bool *sure)
{
  struct canon_walk w = { .out = "/", .dfd = -1 };
  const char *stop = NULL;
  ssize_t from = prefix_start (&w, path, &stop);

  if (from < 0)
    {
      w.dfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
      prefix_keep (&w, path, 0);
      from = 0;
    }
  *sure = w.dfd >= 0 || stop != NULL;
  if (w.dfd < 0 && stop == NULL)
    stop = path;
  w.record = hostfacts_cache_recording ();
  for (const char *p = path + from; stop == NULL;)
    {
      size_t len;
      bool final;

      p += strspn (p, "/");
      len = strcspn (p, "/");
      if (len == 0)
        break;
      final = last_component (p, len);
      errno = 0;
      if (!canon_step (&w, p, len, final))
        {
          stop = p;
          *sure = *sure && (errno == ENOENT || errno == ENOTDIR);
          if (!final && errno == ENOENT)
            prefix_keep_missing (&w, path, (size_t)(p - path), (size_t)(p + len - path));
        }
      else if (!final)
        prefix_keep (&w, path, (size_t)(p + len - path));
      p += len;
    }
  if (stop != NULL)
    walk_append_lexically (&w, stop);
  walk_release (&w);
  return xstrdup (w.out);
}

char *
hostfacts_canonical_policy_path (const struct host_facts *host, const char *path)
{
  char *canon = NULL;
  bool sure = false;

  if (path == NULL || path[0] != '/')
    return NULL;
  if (memo.cap > 0)
    {
      size_t i = memo_slot (&memo, path);
      if (memo.keys[i] != NULL)
        return xstrdup (memo.values[i]);
    }
  if (!hostfacts_cache_canon (host, path, &canon))
    {
      hostfacts_policy_walks++;
      canon = canonical_policy_walk (path, &sure);
      if (hostfacts_cache_recording ())
        hostfacts_cache_add_canon (path, canon, sure);
    }
  memo_put (&memo, xstrdup (path), xstrdup (canon));
  return canon;
}
