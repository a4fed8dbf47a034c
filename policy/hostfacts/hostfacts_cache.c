/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy paths' answers kept from one call to the next: the canonical form of every path a
 * policy names (canonical_policy_path) and the object each sensitive entry's canonical form
 * resolves to (policy_path_object), in the root-only file the shim's store keeps (see
 * hostfacts.h, struct hostfacts_store).
 *
 * A create walks the same ~50 system paths the policy names and statx(2)es the same entries,
 * about 250 system calls that answer the same on every call until somebody changes those
 * directories or the mounts over them.  So the answers are kept with what they depend on, and
 * a later call trusts them only after checking each of those, by identity:
 *   - every directory a walk looked a name up in, by (device, inode, ctime), fstat(2)ed on the
 *     walk's own descriptor BEFORE the lookup: a symlink swapped, an entry created, removed or
 *     renamed, a directory replaced -- each changes the ctime of the directory the name is in
 *     (fs/namei.c: vfs_rename, vfs_unlink, vfs_symlink, vfs_mkdir update the parent's ctime), and
 *     ctime cannot be set from user space (utimensat sets atime and mtime only);
 *   - the mounts at any of those directories or objects (id, parent, device, root, mount point,
 *     type, in the kernel's order), by their SHA-256: a mount over a directory of the walk, or
 *     over an entry, changes what a name resolves to without changing a ctime;
 *   - the mount namespace we run in (the device and inode of /proc/self/ns/mnt).
 * Any difference, a malformed file, or anything this call could not be sure of drops the whole
 * cache: the paths are walked afresh, and the fresh answers replace it.
 *
 * An answer is only kept when it can be checked so: never when a walk met an error other than a
 * missing name (a spent budget, too many links, descriptors running out), when a directory of
 * the walk is on a filesystem whose ctime is not the kernel's own (procfs, sysfs, FUSE, network
 * filesystems: only ext2/3/4, XFS, btrfs, tmpfs, overlayfs, ZFS, f2fs and squashfs are), or when
 * a directory changed less than hostfacts_cache_settle_seconds ago: ctime has a clock tick's
 * granularity, and a change in the same tick as our fstat would leave it as it was.
 *
 * Owns: the cache's text, checking it, recording what a fresh walk depends on.
 * Must not: keep an answer about a document's path (a bind source is always walked afresh:
 * hostfacts_canonical_path), or answer "allow" to anything: it only ever stands in for a walk
 * or a statx that would have said the same.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "hostfacts.h"
#include "hostfacts_walk.h"
#include "sha256.h"
#include "util.h"

#define CACHE_MAGIC "ocigate hostfacts cache 1\n"

const struct hostfacts_store *hostfacts_policy_store;
long hostfacts_cache_settle_seconds = 2;
unsigned long hostfacts_policy_walks;

struct cached_dir
{
  char *path;
  dev_t dev;
  ino_t ino;
  struct timespec ctime;
};

struct cached_canon
{
  char *path;
  char *canon;
  bool used;
};

struct cached_obj
{
  char *path;
  bool ok;
  bool used;
  struct host_object obj;
};

struct cache_set
{
  struct cached_dir *dirs;
  size_t n_dirs;
  struct cached_canon *canons;
  size_t n_canons;
  struct cached_obj *objs;
  size_t n_objs;
  dev_t ns_dev;
  ino_t ns_ino;
  char digest[SHA256_HEX_SIZE];
};

static struct
{
  bool opened;
  bool recording; /* a store is set: fresh walks record what they depend on */
  bool doubt;     /* something this call saw forbids keeping its answers */
  bool dirty;     /* answers the store does not have yet */
  const struct host_mounts *table;
  struct host_mounts owned;
  struct cache_set set;
} cache;

static void
set_release (struct cache_set *s)
{
  for (size_t i = 0; i < s->n_dirs; i++)
    free (s->dirs[i].path);
  for (size_t i = 0; i < s->n_canons; i++)
    {
      free (s->canons[i].path);
      free (s->canons[i].canon);
    }
  for (size_t i = 0; i < s->n_objs; i++)
    free (s->objs[i].path);
  free (s->dirs);
  free (s->canons);
  free (s->objs);
  memset (s, 0, sizeof (*s));
}

void
hostfacts_cache_reset (void)
{
  set_release (&cache.set);
  hostfacts_mounts_release (&cache.owned);
  memset (&cache, 0, sizeof (cache));
}

/* ---- The text: one entry a line, every string as "<length> <bytes>" (a path may hold any byte
 * but NUL), every number in decimal.  */

static void
put_str (FILE *f, const char *s)
{
  fprintf (f, " %zu %s", strlen (s), s);
}

static char *
set_text (const struct cache_set *s)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&text, &len);

  fprintf (f, CACHE_MAGIC "mntns %ju %ju\nmounts %s\n", (uintmax_t)s->ns_dev, (uintmax_t)s->ns_ino,
           s->digest);
  for (size_t i = 0; i < s->n_dirs; i++)
    {
      const struct cached_dir *d = &s->dirs[i];
      fprintf (f, "dir %ju %ju %jd %ld", (uintmax_t)d->dev, (uintmax_t)d->ino,
               (intmax_t)d->ctime.tv_sec, d->ctime.tv_nsec);
      put_str (f, d->path);
      fputc ('\n', f);
    }
  for (size_t i = 0; i < s->n_canons; i++)
    if (s->canons[i].used)
      {
        fputs ("canon", f);
        put_str (f, s->canons[i].path);
        put_str (f, s->canons[i].canon);
        fputc ('\n', f);
      }
  for (size_t i = 0; i < s->n_objs; i++)
    if (s->objs[i].used)
      {
        const struct cached_obj *o = &s->objs[i];
        fprintf (f, "obj %d %d %ju %ju %u", o->ok ? 1 : 0, o->obj.mnt_id, (uintmax_t)o->obj.dev,
                 (uintmax_t)o->obj.ino, (unsigned)o->obj.mode);
        put_str (f, o->path);
        fputc ('\n', f);
      }
  fputs ("end\n", f);
  fclose (f);
  return text;
}

/* A cursor over the text; every reader fails (false) on anything unexpected.  */
struct cursor
{
  const char *p;
  const char *end;
};

static bool
take_word (struct cursor *c, const char *word)
{
  size_t n = strlen (word);

  if ((size_t)(c->end - c->p) < n || memcmp (c->p, word, n) != 0)
    return false;
  c->p += n;
  return true;
}

static bool
take_num (struct cursor *c, uintmax_t *v, bool negative_ok)
{
  char *stop = NULL;
  bool neg = c->p < c->end && *c->p == '-';

  if (c->p >= c->end || *c->p++ != ' ' || (neg && !negative_ok) || c->p >= c->end
      || !(*c->p == '-' || (*c->p >= '0' && *c->p <= '9')))
    return false;
  errno = 0;
  *v = neg ? (uintmax_t)strtoimax (c->p, &stop, 10) : strtoumax (c->p, &stop, 10);
  if (errno != 0 || stop == c->p || stop > c->end)
    return false;
  c->p = stop;
  return true;
}

static bool
take_str (struct cursor *c, char **out)
{
  uintmax_t n;

  if (!take_num (c, &n, false) || c->p >= c->end || *c->p++ != ' ' || n > (uintmax_t)(c->end - c->p)
      || memchr (c->p, '\0', n) != NULL)
    return false;
  *out = xstrndup (c->p, n);
  c->p += n;
  return true;
}

static bool
take_dir (struct cursor *c, struct cache_set *s)
{
  struct cached_dir d = { 0 };
  uintmax_t dev, ino, sec, nsec;

  if (!take_num (c, &dev, false) || !take_num (c, &ino, false) || !take_num (c, &sec, true)
      || !take_num (c, &nsec, false) || !take_str (c, &d.path))
    return false;
  d.dev = (dev_t)dev;
  d.ino = (ino_t)ino;
  d.ctime.tv_sec = (time_t)(intmax_t)sec;
  d.ctime.tv_nsec = (long)nsec;
  s->dirs = xreallocarray (s->dirs, s->n_dirs + 1, sizeof (*s->dirs));
  s->dirs[s->n_dirs++] = d;
  return true;
}

static bool
take_canon (struct cursor *c, struct cache_set *s)
{
  struct cached_canon e = { 0 };

  if (!take_str (c, &e.path) || !take_str (c, &e.canon))
    {
      free (e.path);
      return false;
    }
  s->canons = xreallocarray (s->canons, s->n_canons + 1, sizeof (*s->canons));
  s->canons[s->n_canons++] = e;
  return true;
}

static bool
take_obj (struct cursor *c, struct cache_set *s)
{
  struct cached_obj o = { 0 };
  uintmax_t ok, mnt, dev, ino, mode;

  if (!take_num (c, &ok, false) || !take_num (c, &mnt, true) || !take_num (c, &dev, false)
      || !take_num (c, &ino, false) || !take_num (c, &mode, false) || !take_str (c, &o.path))
    return false;
  o.ok = ok == 1;
  o.obj = (struct host_object){
    .mnt_id = (int)(intmax_t)mnt, .dev = (dev_t)dev, .ino = (ino_t)ino, .mode = (mode_t)mode
  };
  s->objs = xreallocarray (s->objs, s->n_objs + 1, sizeof (*s->objs));
  s->objs[s->n_objs++] = o;
  return true;
}

static bool
take_entry (struct cursor *c, struct cache_set *s)
{
  bool ok;

  if (take_word (c, "dir"))
    ok = take_dir (c, s);
  else if (take_word (c, "canon"))
    ok = take_canon (c, s);
  else if (take_word (c, "obj"))
    ok = take_obj (c, s);
  else
    return false;
  return ok && take_word (c, "\n");
}

static bool
set_parse (const char *text, size_t len, struct cache_set *s)
{
  struct cursor c = { text, text + len };
  uintmax_t dev, ino;

  if (!take_word (&c, CACHE_MAGIC) || !take_word (&c, "mntns") || !take_num (&c, &dev, false)
      || !take_num (&c, &ino, false) || !take_word (&c, "\nmounts ")
      || (size_t)(c.end - c.p) < SHA256_HEX_SIZE)
    return false;
  s->ns_dev = (dev_t)dev;
  s->ns_ino = (ino_t)ino;
  memcpy (s->digest, c.p, SHA256_HEX_SIZE - 1);
  s->digest[SHA256_HEX_SIZE - 1] = '\0';
  c.p += SHA256_HEX_SIZE - 1;
  if (!take_word (&c, "\n"))
    return false;
  while (!take_word (&c, "end\n"))
    if (!take_entry (&c, s))
      return false;
  return c.p == c.end;
}

/* ---- What the answers depend on.  */

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* SHA-256 of the mounts at any directory or object of the set, in the table's order.  */
static void
mounts_digest (const struct host_mounts *t, const struct cache_set *s, char out[SHA256_HEX_SIZE])
{
  size_t n = s->n_dirs + s->n_objs;
  cleanup_free const char **paths = xreallocarray (NULL, n + 1, sizeof (char *));
  struct sha256_ctx ctx;

  for (size_t i = 0; i < s->n_dirs; i++)
    paths[i] = s->dirs[i].path;
  for (size_t i = 0; i < s->n_objs; i++)
    paths[s->n_dirs + i] = s->objs[i].path;
  qsort (paths, n, sizeof (char *), cmp_str);
  sha256_init (&ctx);
  for (size_t i = 0; t != NULL && i < t->n; i++)
    {
      const struct host_mount *m = &t->items[i];
      cleanup_free char *line = NULL;

      if (bsearch (&m->point, paths, n, sizeof (char *), cmp_str) == NULL)
        continue;
      line = xasprintf ("%d %d %ju %zu %s %zu %s %s\n", m->id, m->parent, (uintmax_t)m->dev,
                        strlen (m->root), m->root, strlen (m->point), m->point, m->fstype);
      sha256_update (&ctx, line, strlen (line));
    }
  sha256_final_hex (&ctx, out);
}

static bool
dir_unchanged (const struct cached_dir *d)
{
  struct stat st;

  return fstatat (AT_FDCWD, d->path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR (st.st_mode)
         && st.st_dev == d->dev && st.st_ino == d->ino && st.st_ctim.tv_sec == d->ctime.tv_sec
         && st.st_ctim.tv_nsec == d->ctime.tv_nsec;
}

/* Do the loaded answers still hold, here and now?  */
static bool
set_holds (const struct host_facts *host, const struct cache_set *s)
{
  const struct host_ns_id *ns = hostfacts_own_ns (host, HOST_NS_MOUNT);
  char digest[SHA256_HEX_SIZE];

  if (!ns->known || ns->dev != s->ns_dev || ns->ino != s->ns_ino || cache.table == NULL)
    return false;
  for (size_t i = 0; i < s->n_dirs; i++)
    if (!dir_unchanged (&s->dirs[i]))
      return false;
  mounts_digest (cache.table, s, digest);
  return str_eq (digest, s->digest);
}

/* The first policy path of these facts: read the mount table first (what a fresh walk finds is
 * then at least as new as the table its answers are checked against next time), then the
 * store's answers, kept only if they hold.  */
static void
cache_open (const struct host_facts *host)
{
  cleanup_free char *text = NULL;
  struct cache_set loaded = { 0 };
  size_t len = 0;

  if (cache.opened)
    return;
  cache.opened = true;
  if (hostfacts_policy_store == NULL)
    return;
  cache.recording = true;
  cache.table = hostfacts_mount_table_borrow (host, &cache.owned);
  if (cache.table == NULL)
    cache.doubt = true;
  text = hostfacts_policy_store->load (&len);
  if (text != NULL && set_parse (text, len, &loaded) && set_holds (host, &loaded))
    {
      cache.set = loaded;
      return;
    }
  set_release (&loaded);
  cache.dirty = true;
}

bool
hostfacts_cache_canon (const struct host_facts *host, const char *path, char **canon)
{
  cache_open (host);
  for (size_t i = 0; i < cache.set.n_canons; i++)
    if (str_eq (cache.set.canons[i].path, path))
      {
        cache.set.canons[i].used = true;
        *canon = xstrdup (cache.set.canons[i].canon);
        return true;
      }
  return false;
}

bool
hostfacts_cache_recording (void)
{
  return cache.recording;
}

void
hostfacts_cache_add_canon (const char *path, const char *canon, bool sure)
{
  cache.set.canons
      = xreallocarray (cache.set.canons, cache.set.n_canons + 1, sizeof (*cache.set.canons));
  cache.set.canons[cache.set.n_canons++]
      = (struct cached_canon){ xstrdup (path), xstrdup (canon), true };
  cache.dirty = true;
  if (!sure)
    cache.doubt = true;
}

/* Filesystems that keep a directory's ctime themselves, on every change of its entries.  */
static bool
fs_keeps_ctime (int fd)
{
  static const unsigned long kinds[] = {
    0xEF53,     /* ext2, ext3, ext4 */
    0x58465342, /* xfs */
    0x9123683E, /* btrfs */
    0x01021994, /* tmpfs */
    0x794c7630, /* overlayfs */
    0x2fc12fc1, /* zfs */
    0xF2F52010, /* f2fs */
    0x73717368, /* squashfs */
  };
  struct statfs sf;

  if (fstatfs (fd, &sf) < 0)
    return false;
  for (size_t i = 0; i < ARRAY_SIZE (kinds); i++)
    if ((unsigned long)sf.f_type == kinds[i])
      return true;
  return false;
}

void
hostfacts_cache_record_dir (int dfd, const char *path)
{
  struct stat st;

  if (!cache.recording)
    return;
  for (size_t i = 0; i < cache.set.n_dirs; i++)
    if (str_eq (cache.set.dirs[i].path, path))
      return;
  if (dfd < 0 || fstat (dfd, &st) < 0 || !S_ISDIR (st.st_mode) || !fs_keeps_ctime (dfd))
    {
      cache.doubt = true;
      return;
    }
  cache.set.dirs = xreallocarray (cache.set.dirs, cache.set.n_dirs + 1, sizeof (*cache.set.dirs));
  cache.set.dirs[cache.set.n_dirs++]
      = (struct cached_dir){ xstrdup (path), st.st_dev, st.st_ino, st.st_ctim };
}

/* Is `path` the canonical form of a policy path of the set (the directories a statx of it
 * looks names up in are then the set's)?  */
static bool
is_policy_canon (const char *path)
{
  for (size_t i = 0; i < cache.set.n_canons; i++)
    if (str_eq (cache.set.canons[i].canon, path))
      return true;
  return false;
}

/* See hostfacts.h: path_object of a policy path's canonical form, kept like the canonical
 * form.  Only what places a path is kept (mount id, device, inode, file type): the permission
 * bits and the link count are not, fresh or kept, since a chmod changes no ctime of the
 * directory above.  */
bool
hostfacts_policy_path_object (const struct host_facts *host, const char *canon,
                              struct host_object *out)
{
  struct cached_obj o = { 0 };

  cache_open (host);
  for (size_t i = 0; i < cache.set.n_objs; i++)
    if (str_eq (cache.set.objs[i].path, canon))
      {
        cache.set.objs[i].used = true;
        *out = cache.set.objs[i].obj;
        return cache.set.objs[i].ok;
      }
  errno = 0;
  o.ok = host->path_object (host, canon, &o.obj);
  if (!o.ok)
    memset (&o.obj, 0, sizeof (o.obj));
  if (cache.recording
      && ((!o.ok && errno != ENOENT && errno != ENOTDIR) || !is_policy_canon (canon)))
    cache.doubt = true;
  o.obj.mode &= S_IFMT;
  o.obj.nlink = 0;
  o.path = xstrdup (canon);
  o.used = true;
  cache.set.objs = xreallocarray (cache.set.objs, cache.set.n_objs + 1, sizeof (*cache.set.objs));
  cache.set.objs[cache.set.n_objs++] = o;
  cache.dirty = true;
  *out = o.obj;
  return o.ok;
}

/* Has every directory the answers depend on been left alone long enough that a change in the
 * same clock tick as our look at it would show?  */
static bool
dirs_settled (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_REALTIME, &now) < 0)
    return false;
  for (size_t i = 0; i < cache.set.n_dirs; i++)
    if (cache.set.dirs[i].ctime.tv_sec + hostfacts_cache_settle_seconds >= now.tv_sec)
      return false;
  return true;
}

void
hostfacts_policy_cache_save (const struct host_facts *host)
{
  cleanup_free char *text = NULL;
  const struct host_ns_id *ns = NULL;

  if (!cache.recording || !cache.dirty || cache.doubt || hostfacts_walk_spent ()
      || !dirs_settled ())
    return;
  ns = hostfacts_own_ns (host, HOST_NS_MOUNT);
  if (!ns->known)
    return;
  cache.set.ns_dev = ns->dev;
  cache.set.ns_ino = ns->ino;
  mounts_digest (cache.table, &cache.set, cache.set.digest);
  text = set_text (&cache.set);
  hostfacts_policy_store->save (text);
  cache.dirty = false;
}
