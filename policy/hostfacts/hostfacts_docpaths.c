/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real host facts about the DOCUMENT's paths (bind sources, root.path, the runtime's state
 * directory), asked once per path for the life of the facts: canonical_path, path_exists,
 * same_file, path_trusted / path_trusted_for and path_object.  hostfacts.h has the contract.
 *
 * Why: the engine checks sensitive-mounts and rootfs again after the rewrites, and each check
 * asked the same questions of the same paths -- a canonical walk, a trust walk, three stat(2) and
 * a statx(2) of every bind source, about 50 system calls each time.  The facts are one judgement's
 * (hostfacts_init_mounts empties this memo, like the mount table it is compared with), so every
 * check of that judgement sees one consistent answer; what could change it in between is what the
 * trust walk is there to refuse (a path anybody but root can swap is denied whatever it names).
 *
 * The walk budget (hostfacts_walk.h) is kept exactly: an answer handed out again spends the
 * lookups its walk spent, and when the budget cannot cover them the walk runs again (and fails
 * where it would have failed).
 *
 * Owns: the memo, and wrapping the real callbacks with it.  Must not: judge anything, or answer
 * anything the wrapped callback would not have answered.  */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostfacts.h"
#include "hostfacts_walk.h"
#include "util.h"

/* What the real facts answered about one path (each part asked at most once).  */
struct trust_answer
{
  uid_t also;
  bool ok;
  char *why;
  unsigned spent; /* lookups of the walk budget its walk took */
};

struct docpath
{
  char *path;
  bool canon_known;
  char *canon;
  unsigned canon_spent;
  bool stat_known, stat_ok;
  dev_t dev;
  ino_t ino;
  bool object_known, object_ok;
  struct host_object object;
  struct trust_answer *trust; /* one per `also` asked */
  size_t n_trust;
};

/* The callbacks the memo stands in front of, and the memo: open addressing over the path's
 * FNV-1a hash, half full at most.  */
static struct
{
  char *(*canonical_path) (const struct host_facts *, const char *);
  bool (*path_trusted_for) (const struct host_facts *, const char *, uid_t, char **);
  bool (*path_object) (const struct host_facts *, const char *, struct host_object *);
  struct docpath **slots;
  size_t cap; /* 0 or a power of two */
  size_t n;
  unsigned long generation; /* of the facts last wrapped */
} memo;

static void
docpath_free (struct docpath *d)
{
  if (d == NULL)
    return;
  for (size_t i = 0; i < d->n_trust; i++)
    free (d->trust[i].why);
  free (d->trust);
  free (d->canon);
  free (d->path);
  free (d);
}

static void
memo_clear (void)
{
  for (size_t i = 0; i < memo.cap; i++)
    docpath_free (memo.slots[i]);
  free (memo.slots);
  memo.slots = NULL;
  memo.cap = memo.n = 0;
}

static size_t
slot_of (struct docpath **slots, size_t cap, const char *path)
{
  uint64_t h = 14695981039346656037u;

  for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++)
    h = (h ^ *p) * 1099511628211u;
  for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1))
    if (slots[i] == NULL || strcmp (slots[i]->path, path) == 0)
      return i;
}

static void
memo_grow (void)
{
  size_t cap = memo.cap ? 2 * memo.cap : 64;
  struct docpath **slots = xzalloc (cap * sizeof (*slots));

  for (size_t i = 0; i < memo.cap; i++)
    if (memo.slots[i] != NULL)
      slots[slot_of (slots, cap, memo.slots[i]->path)] = memo.slots[i];
  free (memo.slots);
  memo.slots = slots;
  memo.cap = cap;
}

/* The memo's entry for `path`, made empty when there is none.  */
static struct docpath *
docpath_of (const char *path)
{
  size_t i;

  if (2 * (memo.n + 1) > memo.cap)
    memo_grow ();
  i = slot_of (memo.slots, memo.cap, path);
  if (memo.slots[i] == NULL)
    {
      memo.slots[i] = xzalloc (sizeof (struct docpath));
      memo.slots[i]->path = xstrdup (path);
      memo.n++;
    }
  return memo.slots[i];
}

/* Spend again the lookups a remembered walk took; false (nothing spent) when the budget cannot
 * cover them: the walk must then run, and fail where it fails.  */
static bool
respend (unsigned spent)
{
  if (hostfacts_walk_left () < spent)
    return false;
  for (unsigned i = 0; i < spent; i++)
    hostfacts_walk_spend ();
  return true;
}

static char *
memo_canonical_path (const struct host_facts *host, const char *path)
{
  struct docpath *d;
  unsigned before;

  if (path == NULL || path[0] != '/')
    return memo.canonical_path (host, path);
  d = docpath_of (path);
  if (d->canon_known && respend (d->canon_spent))
    return xstrdup (d->canon);
  before = hostfacts_walk_left ();
  free (d->canon);
  d->canon = memo.canonical_path (host, path);
  d->canon_spent = before - hostfacts_walk_left ();
  d->canon_known = d->canon != NULL;
  return d->canon != NULL ? xstrdup (d->canon) : NULL;
}

/* stat(2) of the path, symlinks followed, as path_exists and same_file take it.  */
static const struct docpath *
memo_stat (const char *path)
{
  struct docpath *d = docpath_of (path);
  struct stat st;

  if (!d->stat_known)
    {
      d->stat_known = true;
      d->stat_ok = stat (path, &st) == 0;
      d->dev = d->stat_ok ? st.st_dev : 0;
      d->ino = d->stat_ok ? st.st_ino : 0;
    }
  return d;
}

static bool
memo_path_exists (const struct host_facts *host, const char *path)
{
  (void)host;
  return path != NULL && memo_stat (path)->stat_ok;
}

/* stat(2) of each, not realpath(3): see real_same_file (hostfacts.c).  */
static bool
memo_same_file (const struct host_facts *host, const char *a, const char *b)
{
  const struct docpath *sa, *sb;

  (void)host;
  if (a == NULL || b == NULL || !(sa = memo_stat (a))->stat_ok || !(sb = memo_stat (b))->stat_ok)
    return false;
  return sa->dev == sb->dev && sa->ino == sb->ino;
}

static struct trust_answer *
trust_of (struct docpath *d, uid_t also)
{
  for (size_t i = 0; i < d->n_trust; i++)
    if (d->trust[i].also == also)
      return &d->trust[i];
  d->trust = xreallocarray (d->trust, d->n_trust + 1, sizeof (*d->trust));
  d->trust[d->n_trust] = (struct trust_answer){ .also = also, .spent = UINT32_MAX };
  return &d->trust[d->n_trust++];
}

static bool
memo_path_trusted_for (const struct host_facts *host, const char *path, uid_t also, char **why)
{
  struct trust_answer *t;
  unsigned before;

  *why = NULL;
  if (path == NULL || path[0] != '/')
    return memo.path_trusted_for (host, path, also, why);
  t = trust_of (docpath_of (path), also);
  if (t->spent != UINT32_MAX && respend (t->spent))
    {
      *why = t->why != NULL ? xstrdup (t->why) : NULL;
      return t->ok;
    }
  before = hostfacts_walk_left ();
  free (t->why);
  t->ok = memo.path_trusted_for (host, path, also, why);
  t->why = *why != NULL ? xstrdup (*why) : NULL;
  t->spent = before - hostfacts_walk_left ();
  return t->ok;
}

/* As real_path_trusted (hostfacts.c): the judged container's mapped root is trusted too.  */
static bool
memo_path_trusted (const struct host_facts *host, const char *path, char **why)
{
  return memo_path_trusted_for (host, path,
                                host->container_root != 0 ? host->container_root : (uid_t)-1, why);
}

static bool
memo_path_object (const struct host_facts *host, const char *path, struct host_object *out)
{
  struct docpath *d;

  if (path == NULL)
    return memo.path_object (host, path, out);
  d = docpath_of (path);
  if (!d->object_known)
    {
      d->object_known = true;
      d->object_ok = memo.path_object (host, path, &d->object);
    }
  *out = d->object;
  return d->object_ok;
}

unsigned long
hostfacts_docpaths_generation (const struct host_facts *host)
{
  return host != NULL && host->canonical_path == memo_canonical_path ? memo.generation : 0;
}

void
hostfacts_docpaths_init (struct host_facts *host)
{
  memo_clear ();
  memo.generation++;
  if (host->canonical_path == NULL || host->path_trusted_for == NULL || host->path_object == NULL
      || host->canonical_path == memo_canonical_path)
    return;
  memo.canonical_path = host->canonical_path;
  memo.path_trusted_for = host->path_trusted_for;
  memo.path_object = host->path_object;
  host->canonical_path = memo_canonical_path;
  host->path_exists = memo_path_exists;
  host->same_file = memo_same_file;
  host->path_trusted = memo_path_trusted;
  host->path_trusted_for = memo_path_trusted_for;
  host->path_object = memo_path_object;
}
