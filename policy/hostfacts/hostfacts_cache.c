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
#include "hostfacts_cache.h"
#include "hostfacts_walk.h"
#include "sha256.h"
#include "util.h"

const struct hostfacts_store *hostfacts_policy_store;
long hostfacts_cache_settle_seconds = 2;
unsigned long hostfacts_policy_walks;

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

void
hostfacts_cache_reset (void)
{
  cache_set_release (&cache.set);
  hostfacts_mounts_release (&cache.owned);
  memset (&cache, 0, sizeof (cache));
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
  struct cache_set loaded = { 0 };
  char *text = NULL;
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
  if (text != NULL && cache_set_parse (text, len, &loaded) && set_holds (host, &loaded))
    {
      cache.set = loaded;
      return;
    }
  if (loaded.text == NULL)
    free (text);
  cache_set_release (&loaded);
  cache.dirty = true;
}

static int
cmp_canon_key (const void *key, const void *item)
{
  return strcmp (key, ((const struct cached_canon *)item)->path);
}

/* Only the loaded answers are looked up (in order, by bsearch): a path walked afresh is in the
 * walks' memo from then on.  */
bool
hostfacts_cache_canon (const struct host_facts *host, const char *path, char **canon)
{
  struct cached_canon *e;

  cache_open (host);
  if (cache.set.n_sorted == 0) /* bsearch's base must not be NULL, even for no items */
    return false;
  e = bsearch (path, cache.set.canons, cache.set.n_sorted, sizeof (*e), cmp_canon_key);
  if (e == NULL)
    return false;
  *canon = xstrdup (e->canon);
  return true;
}

bool
hostfacts_cache_recording (void)
{
  return cache.recording;
}

void
hostfacts_cache_add_canon (const char *path, const char *canon, bool sure)
{
  struct cache_set *s = &cache.set;

  s->canons = cache_set_grow (s->canons, s->n_canons, &s->cap_canons, sizeof (*s->canons));
  s->canons[s->n_canons++]
      = (struct cached_canon){ cache_set_keep (s, path), cache_set_keep (s, canon) };
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
  cache.set.dirs = cache_set_grow (cache.set.dirs, cache.set.n_dirs, &cache.set.cap_dirs,
                                   sizeof (*cache.set.dirs));
  cache.set.dirs[cache.set.n_dirs++]
      = (struct cached_dir){ cache_set_keep (&cache.set, path), st.st_dev, st.st_ino, st.st_ctim };
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

static int
cmp_obj_key (const void *key, const void *item)
{
  return strcmp (key, ((const struct cached_obj *)item)->path);
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

  struct cached_obj *e;

  cache_open (host);
  e = cache.set.n_objs_sorted > 0 /* bsearch's base must not be NULL, even for no items */
          ? bsearch (canon, cache.set.objs, cache.set.n_objs_sorted, sizeof (*e), cmp_obj_key)
          : NULL;
  for (size_t i = cache.set.n_objs_sorted; e == NULL && i < cache.set.n_objs; i++)
    if (str_eq (cache.set.objs[i].path, canon))
      e = &cache.set.objs[i];
  if (e != NULL)
    {
      *out = e->obj;
      return e->ok;
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
  o.path = cache_set_keep (&cache.set, canon);
  cache.set.objs = cache_set_grow (cache.set.objs, cache.set.n_objs, &cache.set.cap_objs,
                                   sizeof (*cache.set.objs));
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
  size_t len = 0;

  if (!cache.recording || !cache.dirty || cache.doubt || hostfacts_walk_spent ()
      || !dirs_settled ())
    return;
  ns = hostfacts_own_ns (host, HOST_NS_MOUNT);
  if (!ns->known)
    return;
  cache.set.ns_dev = ns->dev;
  cache.set.ns_ino = ns->ino;
  mounts_digest (cache.table, &cache.set, cache.set.digest);
  text = cache_set_text (&cache.set, &len);
  hostfacts_policy_store->save (text, len);
  cache.dirty = false;
}
