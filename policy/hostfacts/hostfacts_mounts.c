/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real host facts about mounts: the mount table, which mount a path resolves on, what another
 * process has mounted at a path, and glob(3) of executable paths; hostfacts.h has the contract.
 *
 * Owns: reading /proc/self/mountinfo and /proc/<pid>/mountinfo (proc(5)), the mnt_id of a path
 * (statx(2) STATX_MNT_ID, or an O_PATH descriptor's /proc/self/fdinfo on kernels before 5.8), and
 * freeing these facts.
 * Must not: judge anything, or write anything.
 * Cheap by design: nothing runs until a rule asks, and only for a bind mount.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hostfacts.h"
#include "hostfacts_walk.h"
#include "util.h"

void
hostfacts_mount_release (struct host_mount *m)
{
  if (m == NULL)
    return;
  free (m->root);
  free (m->point);
  free (m->fstype);
  memset (m, 0, sizeof (*m));
}

void
hostfacts_mounts_release (struct host_mounts *m)
{
  for (size_t i = 0; m != NULL && i < m->n; i++)
    hostfacts_mount_release (&m->items[i]);
  if (m != NULL)
    {
      free (m->items);
      m->items = NULL;
      m->n = 0;
    }
}

void
hostfacts_listeners_release (struct host_listeners *l)
{
  for (size_t i = 0; l != NULL && i < l->n; i++)
    {
      for (size_t j = 0; j < l->items[i].n_holders; j++)
        free (l->items[i].holders[j].exe);
      free (l->items[i].holders);
      free (l->items[i].path);
    }
  if (l != NULL)
    {
      free (l->items);
      l->items = NULL;
      l->n = 0;
    }
}

/* mountinfo escapes space, tab, newline and backslash as \ooo (fs/proc_namespace.c mangle).  */
static char *
mountinfo_unescape (const char *s)
{
  char *out = xmalloc (strlen (s) + 1);
  size_t n = 0;

  for (const char *p = s; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0'
          && p[3] <= '7')
        {
          out[n++] = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
          p += 3;
        }
      else
        out[n++] = *p;
    }
  out[n] = '\0';
  return out;
}

/* One line: `ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS`.  */
static bool
mountinfo_parse_line (char *line, struct host_mount *m)
{
  char *save = NULL;
  char *f[5];
  unsigned maj = 0, min = 0;
  char *t;

  for (size_t i = 0; i < ARRAY_SIZE (f); i++)
    if ((f[i] = strtok_r (i == 0 ? line : NULL, " \n", &save)) == NULL)
      return false;
  while ((t = strtok_r (NULL, " \n", &save)) != NULL && strcmp (t, "-") != 0)
    ;
  t = t != NULL ? strtok_r (NULL, " \n", &save) : NULL;
  if (t == NULL || sscanf (f[2], "%u:%u", &maj, &min) != 2)
    return false;
  m->id = atoi (f[0]);
  m->parent = atoi (f[1]);
  m->dev = makedev (maj, min);
  m->root = mountinfo_unescape (f[3]);
  m->point = mountinfo_unescape (f[4]);
  m->fstype = xstrdup (t);
  return true;
}

/* Read through a buffer of our own, large enough for most tables at once: stdio's would be
 * sized by an fstat(2) (st_blksize) and take several reads.  The kernel fills a read of a
 * mountinfo file with as many whole lines as fit (fs/seq_file.c seq_read_iter).  */
#define MOUNTINFO_BUFFER 65536

static bool
mountinfo_read (const char *file, struct host_mounts *out)
{
  /* Static: a malloc of it would move the break twice; one table is read at a time.  */
  static char buf[MOUNTINFO_BUFFER];
  cleanup_file FILE *f = fopen (file, "re");
  cleanup_free char *line = NULL;
  size_t cap = 0, alloc = 0;

  memset (out, 0, sizeof (*out));
  if (f == NULL || setvbuf (f, buf, _IOFBF, MOUNTINFO_BUFFER) != 0)
    return false;
  while (getline (&line, &cap, f) > 0)
    {
      struct host_mount m = { 0 };
      if (!mountinfo_parse_line (line, &m))
        continue;
      if (out->n == alloc)
        out->items = xreallocarray (out->items, alloc = alloc ? alloc * 2 : 64, sizeof (m));
      out->items[out->n++] = m;
    }
  return out->n > 0;
}

/* Our own mount table, read once for the life of these facts (hostfacts_init_mounts empties
 * it), like the walks' memo of policy paths: the sensitive-mounts rule locates every sensitive
 * path and every bind source in it, and the socket scan of each bind needs it again -- the check
 * and the recheck of 1000 binds read and parsed it 2000 times.  A mount made after it was read
 * has an id it does not hold, and what cannot be located is refused.  */
static struct
{
  bool read;
  bool ok;
  struct host_mounts table;
} own_table;

static const struct host_mounts *
own_mount_table (void)
{
  if (!own_table.read)
    {
      own_table.read = true;
      own_table.ok = mountinfo_read ("/proc/self/mountinfo", &own_table.table);
    }
  return own_table.ok ? &own_table.table : NULL;
}

static bool
real_mount_table (const struct host_facts *host, struct host_mounts *out)
{
  const struct host_mounts *t = own_mount_table ();

  (void)host;
  memset (out, 0, sizeof (*out));
  if (t == NULL)
    return false;
  out->items = xreallocarray (NULL, t->n, sizeof (*out->items));
  for (size_t i = 0; i < t->n; i++)
    out->items[i] = (struct host_mount){ t->items[i].id,
                                         t->items[i].parent,
                                         t->items[i].dev,
                                         xstrdup (t->items[i].root),
                                         xstrdup (t->items[i].point),
                                         xstrdup (t->items[i].fstype) };
  out->n = t->n;
  return true;
}

const struct host_mounts *
hostfacts_mount_table_borrow (const struct host_facts *host, struct host_mounts *owned)
{
  memset (owned, 0, sizeof (*owned));
  if (host->mount_table == real_mount_table)
    return own_mount_table ();
  if (host->mount_table == NULL || !host->mount_table (host, owned))
    return NULL;
  return owned;
}

static int
fdinfo_mnt_id (int fd)
{
  cleanup_free char *path = xasprintf ("/proc/self/fdinfo/%d", fd);
  cleanup_file FILE *f = fopen (path, "re");
  char line[128];
  int id = -1;

  while (f != NULL && fgets (line, sizeof (line), f) != NULL)
    if (sscanf (line, "mnt_id: %d", &id) == 1)
      return id;
  return -1;
}

/* One statx(2) answers what open(O_PATH), fstat(2) and the fdinfo file answer in seven system
 * calls, from the same single lookup: stx_mnt_id (Linux 5.8) is the mount's id as fdinfo and
 * mountinfo show it (fs/stat.c cp_statx and fs/proc_namespace.c both print mnt->mnt_id).
 * AT_NO_AUTOMOUNT, because an O_PATH open does not trigger an automount either (fs/namei.c
 * follow_automount: no LOOKUP_OPEN intent for O_PATH).  1, 0 when the path does not resolve, -1
 * when the kernel cannot say (no statx, or no mount id): the caller asks the old way.  */
static int
statx_path_object (const char *path, struct host_object *out)
{
  const unsigned int want = STATX_TYPE | STATX_MODE | STATX_INO | STATX_NLINK | STATX_MNT_ID;
  struct statx stx;

  if (statx (AT_FDCWD, path, AT_NO_AUTOMOUNT, want, &stx) < 0)
    return errno == ENOSYS ? -1 : 0;
  if ((stx.stx_mask & want) != want)
    return -1;
  out->mnt_id = (int)stx.stx_mnt_id;
  out->dev = makedev (stx.stx_dev_major, stx.stx_dev_minor);
  out->ino = (ino_t)stx.stx_ino;
  out->mode = stx.stx_mode;
  out->nlink = stx.stx_nlink;
  return 1;
}

static bool
real_path_object (const struct host_facts *host, const char *path, struct host_object *out)
{
  cleanup_close int fd = -1;
  struct stat st;
  int r;

  (void)host;
  memset (out, 0, sizeof (*out));
  if (path == NULL)
    return false;
  if ((r = statx_path_object (path, out)) >= 0)
    return r == 1 && out->mnt_id >= 0;
  memset (out, 0, sizeof (*out));
  fd = open (path, O_PATH | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0)
    return false;
  out->mnt_id = fdinfo_mnt_id (fd);
  out->dev = st.st_dev;
  out->ino = st.st_ino;
  out->mode = st.st_mode;
  out->nlink = st.st_nlink;
  return out->mnt_id >= 0;
}

/* The top of the stack of mounts at `dest`: the one no other mount at the same point sits on.  */
static const struct host_mount *
mounts_top_at (const struct host_mounts *t, const char *dest)
{
  const struct host_mount *top = NULL;

  for (size_t i = 0; i < t->n; i++)
    {
      bool covered = false;
      if (strcmp (t->items[i].point, dest) != 0)
        continue;
      for (size_t j = 0; j < t->n && !covered; j++)
        covered = j != i && t->items[j].parent == t->items[i].id
                  && strcmp (t->items[j].point, dest) == 0;
      if (!covered)
        top = &t->items[i];
    }
  return top;
}

static bool
real_process_mount (const struct host_facts *host, pid_t pid, const char *dest,
                    struct host_mount *out)
{
  cleanup_free char *file = xasprintf ("/proc/%d/mountinfo", (int)pid);
  struct host_mounts t = { 0 };
  const struct host_mount *top;
  bool ok = false;

  (void)host;
  memset (out, 0, sizeof (*out));
  if (pid <= 0 || dest == NULL || !mountinfo_read (file, &t))
    return false;
  top = mounts_top_at (&t, dest);
  if (top != NULL)
    {
      *out = (struct host_mount){ top->id,
                                  top->parent,
                                  top->dev,
                                  xstrdup (top->root),
                                  xstrdup (top->point),
                                  xstrdup (top->fstype) };
      ok = true;
    }
  hostfacts_mounts_release (&t);
  return ok;
}

static char **
real_glob_paths (const struct host_facts *host, const char *pattern)
{
  glob_t g;
  char **out;

  (void)host;
  memset (&g, 0, sizeof (g));
  if (pattern == NULL || glob (pattern, GLOB_NOESCAPE, NULL, &g) != 0)
    {
      globfree (&g);
      return NULL;
    }
  out = xzalloc ((g.gl_pathc + 1) * sizeof (char *));
  for (size_t i = 0; i < g.gl_pathc; i++)
    out[i] = xstrdup (g.gl_pathv[i]);
  globfree (&g);
  return out;
}

void
hostfacts_init_mounts (struct host_facts *host)
{
  hostfacts_mounts_release (&own_table.table);
  memset (&own_table, 0, sizeof (own_table));
  hostfacts_sockets_reset ();
  host->mount_table = real_mount_table;
  host->path_object = real_path_object;
  host->policy_path_object = hostfacts_policy_path_object;
  host->unix_listeners = hostfacts_real_unix_listeners;
  host->process_mount = real_process_mount;
  host->glob_paths = real_glob_paths;
  hostfacts_docpaths_init (host);
}

const char *
hostfacts_path_rest (const char *path, const char *base)
{
  size_t n;

  if (path == NULL || base == NULL || path[0] != '/' || base[0] != '/')
    return NULL;
  if (strcmp (base, "/") == 0)
    return strcmp (path, "/") == 0 ? path + 1 : path;
  /* Most paths differ from most bases in their first name: every bind is compared with every
   * mount of the table.  */
  if (path[1] != base[1])
    return NULL;
  n = strlen (base);
  if (strncmp (path, base, n) != 0 || (path[n] != '\0' && path[n] != '/'))
    return NULL;
  return path + n;
}

/* a followed by b, malloc'd, without vasprintf's cost: every bind source is located twice.  */
static char *
concat (const char *a, const char *b)
{
  size_t na = strlen (a), nb = strlen (b);
  char *out = xmalloc (na + nb + 1);

  memcpy (out, a, na);
  memcpy (out + na, b, nb + 1);
  return out;
}

const struct host_mount *
hostfacts_locate_mount (const struct host_mounts *table, const struct host_object *obj,
                        const char *path, const char **rest)
{
  *rest = NULL;
  for (size_t i = 0; table != NULL && i < table->n; i++)
    {
      const struct host_mount *m = &table->items[i];

      if (m->id != obj->mnt_id)
        continue;
      *rest = hostfacts_path_rest (path, m->point);
      /* A mount whose root was deleted shows "//deleted": nothing to compare with ("/", the
       * root of most mounts, cannot hold it).  */
      if (*rest == NULL || m->root[0] != '/'
          || (m->root[1] != '\0' && strstr (m->root, "//deleted") != NULL))
        return NULL;
      return m;
    }
  return NULL;
}

char *
hostfacts_mount_rel (const struct host_mount *m, const char *rest)
{
  if (*rest == '\0')
    return xstrdup (m->root);
  return concat (strcmp (m->root, "/") == 0 ? "" : m->root, rest);
}

bool
hostfacts_locate (const struct host_mounts *table, const struct host_object *obj, const char *path,
                  dev_t *dev, char **rel)
{
  const char *rest;
  const struct host_mount *m = hostfacts_locate_mount (table, obj, path, &rest);

  *rel = NULL;
  if (m == NULL)
    return false;
  *dev = m->dev;
  *rel = hostfacts_mount_rel (m, rest);
  return true;
}
