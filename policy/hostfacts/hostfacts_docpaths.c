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
 * A path whose parent is known is not walked from "/" again: its last component is looked up in
 * the directory the parent reached (canonical_from_parent, trusted_from_parent), so a thousand
 * binds of <dir>/<name> walk <dir> once -- one lstat(2) each instead of two walks.
 *
 * The walk budget (hostfacts_walk.h) is kept: an answer handed out again spends the lookups its
 * walk spent, and when the budget cannot cover them the walk runs again (and fails where it would
 * have failed); an answer from the parent spends the parent's lookups and one more, as the walk
 * would.  Only where the shortcut gives up after asking the parent (a refusal, a magic link) are
 * the parent's lookups spent twice: a document can only be refused sooner.
 *
 * Owns: the memo, and wrapping the real callbacks with it.  Must not: judge anything, or answer
 * anything the wrapped callback would not have answered.  */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
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

/* What the memo keeps of a stat(2): a thousand binds keep two each.  */
struct file_id
{
  dev_t st_dev;
  ino_t st_ino;
  mode_t st_mode;
  uid_t st_uid;
};

static bool
stat_into (int r, const struct stat *st, struct file_id *out)
{
  if (r != 0)
    return false;
  *out = (struct file_id){ st->st_dev, st->st_ino, st->st_mode, st->st_uid };
  return true;
}

struct docpath
{
  char *path;
  size_t len; /* strlen (path) */
  bool canon_known;
  char *canon;
  unsigned canon_spent;
  bool stat_known, stat_ok;
  struct file_id st; /* stat(2): symlinks followed */
  bool lstat_known, lstat_ok;
  bool lstat_missing; /* lstat(2) failed with ENOENT: the last component is not there */
  struct file_id lst; /* lstat(2): the last component itself */
  bool object_known, object_ok;
  struct host_object object;
  bool split_known;
  struct docpath *parent; /* split_clean's parent, when the path is clean and not "/" */
  size_t name_at;         /* where its last component starts */
  bool trust0_used;
  struct trust_answer trust0; /* the first `also` asked */
  struct trust_answer *trust; /* one per other `also` asked */
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

/* The entries asked for last: one bind's questions go back and forth between its source, its
 * canonical form and its parent a dozen times, and a string comparison costs less than hashing
 * the path again.  */
#define RECENT 4
static struct docpath *recent[RECENT];

static void
docpath_free (struct docpath *d)
{
  if (d == NULL)
    return;
  for (size_t i = 0; i < d->n_trust; i++)
    free (d->trust[i].why);
  free (d->trust);
  free (d->trust0.why);
  free (d->canon);
  free (d); /* the path is in the same block */
}

static void
memo_clear (void)
{
  for (size_t i = 0; i < memo.cap; i++)
    docpath_free (memo.slots[i]);
  free (memo.slots);
  memo.slots = NULL;
  memo.cap = memo.n = 0;
  memset (recent, 0, sizeof (recent));
}

/* Eight bytes at a time (a path is hashed for every new bind source); the probe compares the
 * strings, so the hash only decides where to look.  */
static size_t
slot_of (struct docpath **slots, size_t cap, const char *path, size_t n)
{
  size_t i = 0;
  uint64_t h = 14695981039346656037u ^ n;

  for (uint64_t w; n - i >= sizeof (w); i += sizeof (w))
    {
      memcpy (&w, path + i, sizeof (w));
      h = (h ^ w) * 0x9e3779b97f4a7c15u;
      h ^= h >> 32;
    }
  for (; i < n; i++)
    h = (h ^ (unsigned char)path[i]) * 1099511628211u;
  /* MurmurHash3's fmix64: every input bit reaches the low bits the slot is taken from.  */
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53u;
  h ^= h >> 33;
  for (size_t k = (size_t)h & (cap - 1);; k = (k + 1) & (cap - 1))
    if (slots[k] == NULL || (slots[k]->len == n && memcmp (slots[k]->path, path, n) == 0))
      return k;
}

static void
memo_grow (void)
{
  size_t cap = memo.cap ? 2 * memo.cap : 64;
  struct docpath **slots = xzalloc (cap * sizeof (*slots));

  for (size_t i = 0; i < memo.cap; i++)
    if (memo.slots[i] != NULL)
      slots[slot_of (slots, cap, memo.slots[i]->path, memo.slots[i]->len)] = memo.slots[i];
  free (memo.slots);
  memo.slots = slots;
  memo.cap = cap;
}

/* By length and last byte first: the paths of one bind's questions share their directory with
 * each other and with the last bind's, and differ at their end.  */
static struct docpath *
recent_find (const char *path, size_t n)
{
  for (size_t i = 0; n > 0 && i < RECENT; i++)
    if (recent[i] != NULL && recent[i]->len == n && recent[i]->path[n - 1] == path[n - 1]
        && memcmp (recent[i]->path, path, n) == 0)
      return recent[i];
  return NULL;
}

static void
recent_put (struct docpath *d)
{
  memmove (recent + 1, recent, (RECENT - 1) * sizeof (recent[0]));
  recent[0] = d;
}

/* The memo's entry for the first n bytes of `path` (no NUL among them), made empty when there is
 * none: a parent is looked up in its child's text.  */
static struct docpath *
docpath_of_n (const char *path, size_t n)
{
  struct docpath *d = recent_find (path, n);
  size_t i;

  if (d != NULL)
    return d;
  if (2 * (memo.n + 1) > memo.cap)
    memo_grow ();
  i = slot_of (memo.slots, memo.cap, path, n);
  if (memo.slots[i] == NULL)
    {
      /* One block for the entry and its path.  */
      memo.slots[i] = xzalloc (sizeof (struct docpath) + n + 1);
      memo.slots[i]->path = (char *)(memo.slots[i] + 1);
      memcpy (memo.slots[i]->path, path, n);
      memo.slots[i]->len = n;
      memo.n++;
    }
  recent_put (memo.slots[i]);
  return memo.slots[i];
}

static struct docpath *
docpath_of (const char *path)
{
  return docpath_of_n (path, strlen (path));
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

/* stat(2) of the entry's path, symlinks followed, as path_exists and same_file take it.  */
static const struct docpath *
stat_of (struct docpath *d)
{
  struct stat st;

  if (!d->stat_known)
    {
      d->stat_known = true;
      /* What lstat(2) found there is no symlink: stat(2) follows nothing, and finds the same. */
      if (d->lstat_known && d->lstat_ok && !S_ISLNK (d->lst.st_mode))
        {
          d->stat_ok = true;
          d->st = d->lst;
        }
      else
        d->stat_ok = stat_into (stat (d->path, &st), &st, &d->st);
    }
  return d;
}

static const struct docpath *
memo_stat (const char *path)
{
  return stat_of (docpath_of (path));
}

static const struct docpath *
lstat_of (struct docpath *d)
{
  struct stat st;

  if (!d->lstat_known)
    {
      d->lstat_known = true;
      d->lstat_ok = stat_into (lstat (d->path, &st), &st, &d->lst);
      d->lstat_missing = !d->lstat_ok && errno == ENOENT;
    }
  return d;
}

static const char *canonical_ref_of (const struct host_facts *host, struct docpath *d);

/* The length of the parent of a clean absolute path other than "/" (1 for "/") and its last
 * component (borrowed from path), or 0 when the path is not clean (an empty, `.` or `..`
 * component, a trailing slash).  */
static size_t
split_clean (const char *path, const char **name)
{
  const char *slash;

  if (path[0] != '/' || path[1] == '\0')
    return 0;
  /* From slash to slash: each starts a component that is neither empty, `.` nor `..`.  */
  slash = path;
  for (const char *p = path; p != NULL; p = strchr (p + 1, '/'))
    {
      if (p[1] == '/' || p[1] == '\0'
          || (p[1] == '.'
              && (p[2] == '/' || p[2] == '\0' || (p[2] == '.' && (p[3] == '/' || p[3] == '\0')))))
        return 0;
      slash = p;
    }
  *name = slash + 1;
  return slash == path ? 1 : (size_t)(slash - path);
}

/* The entry of d's parent and d's last component, split once per entry (the canonical form and
 * the trust of a source both ask), or NULL when d's path is not clean or is "/".  */
static struct docpath *
parent_of (struct docpath *d, const char **name)
{
  const char *last = NULL;
  size_t ndir;

  if (!d->split_known)
    {
      d->split_known = true;
      if ((ndir = split_clean (d->path, &last)) > 0)
        {
          d->name_at = (size_t)(last - d->path);
          d->parent = docpath_of_n (d->path, ndir);
        }
    }
  *name = d->path + d->name_at;
  return d->parent;
}

/* Is the directory the kernel resolves `dir` to the one its canonical text `canon` names?  Not
 * when a magic link on the way was read as text (/proc/<pid>/root reads "/").  */
static bool
same_directory (struct docpath *dir, const char *canon)
{
  const struct docpath *a = stat_of (dir);
  /* Mostly the parent is canonical already: the same entry.  */
  const struct docpath *b = strcmp (dir->path, canon) == 0 ? a : memo_stat (canon);

  return a->stat_ok && b->stat_ok && S_ISDIR (a->st.st_mode) && a->st.st_dev == b->st.st_dev
         && a->st.st_ino == b->st.st_ino;
}

/* dir "/" name, malloc'd, without vasprintf's cost (every bind source).  */
static char *
join_name (const char *dir, const char *name)
{
  size_t n = strcmp (dir, "/") == 0 ? 0 : strlen (dir);
  size_t len = strlen (name);
  char *out = xmalloc (n + 1 + len + 1);

  memcpy (out, dir, n);
  out[n] = '/';
  memcpy (out + n + 1, name, len + 1);
  return out;
}

/* canonical_path of a clean path whose last component exists and is no symlink, or is missing,
 * from its parent's: hostfacts_canonical_path walks the parent, then looks that component up in
 * the directory it reached (one lookup from the budget) and appends it -- a missing one
 * lexically, as the walk appends what does not exist (a runtime --root before the runtime made
 * it).  A thousand binds of
 * <dir>/<name> walk <dir> once.  NULL when that does not hold -- the caller then walks, and
 * spends the parent's lookups a second time, which only ever refuses sooner.  */
static char *
canonical_from_parent (const struct host_facts *host, struct docpath *d)
{
  const char *name = NULL;
  struct docpath *dir = parent_of (d, &name);
  const char *cdir;
  const struct docpath *l;

  if (dir == NULL || strlen (name) > NAME_MAX)
    return NULL;
  l = lstat_of (d);
  if (l->lstat_ok ? S_ISLNK (l->lst.st_mode) : !l->lstat_missing)
    return NULL;
  cdir = canonical_ref_of (host, dir);
  if (cdir == NULL || !same_directory (dir, cdir))
    return NULL;
  /* A spent budget or a name past PATH_MAX: the walk appends it lexically, or not at all.  */
  hostfacts_walk_spend ();
  if (strlen (cdir) + 1 + strlen (name) + 1 > PATH_MAX)
    return xstrdup (cdir);
  return join_name (cdir, name);
}

/* memo_canonical_path of the entry's absolute path, borrowed from the memo (an entry's canonical
 * form lives as long as the entry, until it is asked again with the budget spent).  */
static const char *
canonical_ref_of (const struct host_facts *host, struct docpath *d)
{
  unsigned before;

  if (d->canon_known && respend (d->canon_spent))
    return d->canon;
  before = hostfacts_walk_left ();
  free (d->canon);
  d->canon = canonical_from_parent (host, d);
  if (d->canon == NULL)
    d->canon = memo.canonical_path (host, d->path);
  d->canon_spent = before - hostfacts_walk_left ();
  d->canon_known = d->canon != NULL;
  return d->canon;
}

static char *
memo_canonical_path (const struct host_facts *host, const char *path)
{
  const char *canon;

  if (path == NULL || path[0] != '/')
    return memo.canonical_path (host, path);
  canon = canonical_ref_of (host, docpath_of (path));
  return canon != NULL ? xstrdup (canon) : NULL;
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
  return sa->st.st_dev == sb->st.st_dev && sa->st.st_ino == sb->st.st_ino;
}

/* The answer for `also`: the first one asked lives in the entry (a path is nearly always asked
 * for one `also`), the others in d->trust.  */
static struct trust_answer *
trust_of (struct docpath *d, uid_t also)
{
  if (!d->trust0_used)
    {
      d->trust0_used = true;
      d->trust0 = (struct trust_answer){ .also = also, .spent = UINT32_MAX };
    }
  if (d->trust0.also == also)
    return &d->trust0;
  for (size_t i = 0; i < d->n_trust; i++)
    if (d->trust[i].also == also)
      return &d->trust[i];
  d->trust = xreallocarray (d->trust, d->n_trust + 1, sizeof (*d->trust));
  d->trust[d->n_trust] = (struct trust_answer){ .also = also, .spent = UINT32_MAX };
  return &d->trust[d->n_trust++];
}

static bool trusted_for_entry (const struct host_facts *host, struct docpath *d, uid_t also,
                               char **why);

/* path_trusted_for of a clean path whose last component exists and is no symlink, from its
 * parent's: the trust walk (hostfacts.c) walks the parent, then checks the one lookup of that
 * component in the directory it reached -- that directory's owner and mode, and in a sticky one
 * the entry's owner (fsutil_trust, as lookup_trusted) -- and spends one lookup.  Only when the
 * parent's canonical form is known and names the directory the kernel resolves it to.  1
 * trusted; 0 untrusted with *why, where the parent's walk failed (the path's walk fails at the
 * same step, for the same reason); -1 when this cannot tell (the caller walks the path: a
 * refusal's reason is the walk's own, and its lookups are spent a second time).  */
static int
trusted_from_parent (const struct host_facts *host, struct docpath *path, uid_t also, char **why)
{
  const struct fs_trust trust = { .euid = true, .also = also, .sticky = true };
  const char *name = NULL;
  struct docpath *parent = parent_of (path, &name);
  const struct docpath *l, *st;
  struct stat d = { 0 };

  if (parent == NULL)
    return -1;
  l = lstat_of (path);
  if (!l->lstat_ok || S_ISLNK (l->lst.st_mode) || !parent->canon_known
      || !same_directory (parent, parent->canon))
    return -1;
  if (!trusted_for_entry (host, parent, also, why))
    return 0;
  if (hostfacts_walk_left () == 0)
    return -1; /* the walk stops on the spent budget, and says so */
  hostfacts_walk_spend ();
  /* fsutil_trust judges a directory by its owner and mode (policy/spec/fsutil.c).  */
  st = stat_of (parent);
  d.st_mode = st->st.st_mode;
  d.st_uid = st->st.st_uid;
  switch (fsutil_trust (&d, &trust))
    {
    case FS_TRUSTED:
      return 1;
    case FS_STICKY:
      return fsutil_owner_trusted (l->lst.st_uid, &trust) ? 1 : -1;
    default:
      return -1;
    }
}

static bool
trusted_for_entry (const struct host_facts *host, struct docpath *d, uid_t also, char **why)
{
  struct trust_answer *t = trust_of (d, also);
  unsigned before;

  *why = NULL;
  if (t->spent != UINT32_MAX && respend (t->spent))
    {
      *why = t->why != NULL ? xstrdup (t->why) : NULL;
      return t->ok;
    }
  before = hostfacts_walk_left ();
  free (t->why);
  switch (trusted_from_parent (host, d, also, why))
    {
    case 1:
      t->ok = true;
      break;
    case 0:
      t->ok = false;
      break;
    default:
      t->ok = memo.path_trusted_for (host, d->path, also, why);
    }
  t->why = *why != NULL ? xstrdup (*why) : NULL;
  t->spent = before - hostfacts_walk_left ();
  return t->ok;
}

static bool
memo_path_trusted_for (const struct host_facts *host, const char *path, uid_t also, char **why)
{
  *why = NULL;
  if (path == NULL || path[0] != '/')
    return memo.path_trusted_for (host, path, also, why);
  return trusted_for_entry (host, docpath_of (path), also, why);
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
