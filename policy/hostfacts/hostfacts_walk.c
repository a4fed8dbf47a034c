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

void
hostfacts_walk_reset (void)
{
  walk_budget = HOSTFACTS_WALK_BUDGET;
  memo_clear ();
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
  unsigned links;
};

static bool canon_walk (struct canon_walk *w, const char *rest, const char **stop);

static bool
canon_step_up (struct canon_walk *w)
{
  int fd = openat (w->dfd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return false;
  close (w->dfd);
  w->dfd = fd;
  path_push (w->out, sizeof (w->out), "..", 2);
  return true;
}

/* A symlink is read and its target walked from here (or from "/"), as realpath(3) does: a /proc
 * magic link reads as its text.  If the target does not resolve whole, the walk stays before the
 * link, which then counts as missing (what realpath(3) of the prefix plus the link said).  */
static bool
canon_step_link (struct canon_walk *w, const char *name)
{
  struct canon_walk saved = *w;
  const char *ignored = NULL;
  char buf[PATH_MAX];
  ssize_t n = readlinkat (w->dfd, name, buf, sizeof (buf) - 1);

  if (n <= 0 || ++w->links > HOSTFACTS_MAX_LINKS)
    return false;
  buf[n] = '\0';
  saved.dfd = dup (w->dfd);
  if (saved.dfd < 0)
    return false;
  if (buf[0] == '/')
    {
      close (w->dfd);
      w->dfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
      memcpy (w->out, "/", 2);
    }
  if (w->dfd >= 0 && canon_walk (w, buf, &ignored))
    return close (saved.dfd), true;
  if (w->dfd >= 0)
    close (w->dfd);
  *w = saved;
  return false;
}

static bool
canon_step (struct canon_walk *w, const char *comp, size_t len)
{
  char name[NAME_MAX + 1];
  struct stat st;
  int fd;

  if (len > NAME_MAX || !hostfacts_walk_spend ())
    return false;
  memcpy (name, comp, len);
  name[len] = '\0';
  if (str_eq (name, "."))
    return true;
  if (str_eq (name, ".."))
    return canon_step_up (w);
  if (fstatat (w->dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return false;
  if (S_ISLNK (st.st_mode))
    return canon_step_link (w, name);
  if (strlen (w->out) + 1 + len + 1 > sizeof (w->out))
    return false;
  fd = openat (w->dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return false;
  close (w->dfd);
  w->dfd = fd;
  path_push (w->out, sizeof (w->out), comp, len);
  return true;
}

/* Walk `rest` from where w stands; false (with *stop at the first component that did not
 * resolve) when part of it does not exist.  */
static bool
canon_walk (struct canon_walk *w, const char *rest, const char **stop)
{
  for (const char *p = rest;;)
    {
      size_t len;

      p += strspn (p, "/");
      len = strcspn (p, "/");
      if (len == 0)
        return true;
      if (!canon_step (w, p, len))
        {
          *stop = p;
          return false;
        }
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
  if (stop != NULL || !canon_walk (&w, path, &stop))
    for (const char *p = stop; *p != '\0';)
      {
        size_t len;

        p += strspn (p, "/");
        len = strcspn (p, "/");
        if (len == 0)
          break;
        path_push (w.out, sizeof (w.out), p, len);
        p += len;
      }
  if (w.dfd >= 0)
    close (w.dfd);
  return xstrdup (w.out);
}

char *
hostfacts_canonical_policy_path (const struct host_facts *host, const char *path)
{
  char *canon;

  if (path == NULL || path[0] != '/')
    return NULL;
  if (memo.cap > 0)
    {
      size_t i = memo_slot (&memo, path);
      if (memo.keys[i] != NULL)
        return xstrdup (memo.values[i]);
    }
  canon = hostfacts_canonical_path (host, path);
  memo_put (&memo, xstrdup (path), xstrdup (canon));
  return canon;
}
