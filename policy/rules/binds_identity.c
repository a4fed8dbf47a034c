/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sensitive-mounts: what is really mounted at a bind source.  See binds.h.
 *
 * A path string says nothing about what a bind shows: `podman volume create --opt type=none
 * --opt o=bind --opt device=/etc` (or Docker's local driver with the same options) bind-mounts
 * /etc onto <volumes>/<name>/_data, whose name is an engine's own, and a container read and wrote
 * /etc/shadow through it.  So each source is also judged by its place in the mount table: the
 * filesystem (device) of the mount the kernel resolves it on and the path inside that filesystem
 * (the mount's root and the rest of the path), compared with the same for every sensitive path.
 * A source whose place agrees with its name was judged by name already (mounts.c, including the
 * engines' exceptions); one whose place is a sensitive path's, or inside or around one, under
 * another name, is refused.  So is a source that is (or, with rbind, holds a mount of) a host
 * kernel interface, and one that holds a UNIX socket an engine or node daemon listens on --
 * wherever it is: a bind of the directory of a containerd socket in k3s's layout was allowed and
 * the socket answered.  Daemons are known by their executable's device and inode (or name, which
 * can only deny more), never by a path an attacker can reproduce.
 *
 * Owns: those comparisons.  Must not: do I/O other than through host facts.  */
#include <config.h>

#include <fnmatch.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "binds.h"
#include "pathmatch.h"
#include "ruleutil.h"
#include "util.h"

/* Host kernel interfaces: a mount of one of these shows the host's kernel state (proc's magic
 * links into other mount namespaces, sysfs, host devices and terminals, the host's message
 * queues, namespace files), whatever the path it is mounted at.  */
static const char *const kernel_fs_types[]
    = { "proc",       "sysfs",   "devtmpfs", "devpts",    "mqueue", "debugfs",     "tracefs",
        "securityfs", "bpf",     "configfs", "efivarfs",  "pstore", "binfmt_misc", "fusectl",
        "cgroup",     "cgroup2", "nsfs",     "selinuxfs", NULL };

/* Where a sensitive entry (a policy path's canonical form) lies: asked through
 * policy_path_object, which answers once per judgement and keeps the answer across calls while
 * it holds, rather than a statx of every entry on every check.  */
static void
policy_place (const struct rule_ctx *ctx, struct bind_lists *lists, const char *canon,
              struct bind_place *place)
{
  const struct host_facts *h = ctx->host;

  if (h->policy_path_object == NULL)
    {
      bind_locate (ctx, lists, canon, place);
      return;
    }
  memset (place, 0, sizeof (*place));
  if (h->policy_path_object (h, canon, &place->obj))
    place->known = hostfacts_locate (&lists->table, &place->obj, canon, &place->dev, &place->rel);
}

static void
ids_prepare (const struct rule_ctx *ctx, struct bind_lists *lists)
{
  const struct host_facts *h = ctx->host;

  if (lists->ids_ready)
    return;
  lists->ids_ready = true;
  lists->table_ok
      = h->mount_table != NULL && h->path_object != NULL && h->mount_table (h, &lists->table);
  lists->places = xzalloc ((lists->sensitive.n + 1) * sizeof (*lists->places));
  lists->kernel_fs = xzalloc (lists->table.n + 1);
  for (size_t i = 0; lists->table_ok && i < lists->table.n; i++)
    lists->kernel_fs[i] = strv_contains (kernel_fs_types, lists->table.items[i].fstype);
  for (size_t i = 0; lists->table_ok && i < lists->sensitive.n; i++)
    if (lists->sensitive.canon[i] != NULL)
      policy_place (ctx, lists, lists->sensitive.canon[i], &lists->places[i]);
}

void
bind_locate (const struct rule_ctx *ctx, struct bind_lists *lists, const char *canon,
             struct bind_place *place)
{
  memset (place, 0, sizeof (*place));
  ids_prepare (ctx, lists);
  if (!lists->table_ok || !ctx->host->path_object (ctx->host, canon, &place->obj))
    return;
  place->known = hostfacts_locate (&lists->table, &place->obj, canon, &place->dev, &place->rel);
}

/* bind_locate, with the mount the object lies on (the first of the table with its id, as
 * hostfacts_locate takes it), or NULL where place->known is false; place->rel is left NULL and
 * made by place_problem only when a sensitive entry lies on the same filesystem: most binds
 * compare with none.  */
static const struct host_mount *
bind_mount_of (const struct rule_ctx *ctx, struct bind_lists *lists, const char *canon,
               struct bind_place *place)
{
  const struct host_mount *m;

  memset (place, 0, sizeof (*place));
  ids_prepare (ctx, lists);
  if (!lists->table_ok || !ctx->host->path_object (ctx->host, canon, &place->obj))
    return NULL;
  if ((m = hostfacts_locate_mount (&lists->table, &place->obj, canon, &place->rest)) == NULL)
    return NULL;
  place->known = true;
  place->dev = m->dev;
  place->mount = m;
  return m;
}

/* Is the mount one of a host kernel interface's (kernel_fs_types)?  Decided once per mount of the
 * table (ids_prepare): every bind asks it of the mount it lies on.  */
static bool
kernel_fs (const struct bind_lists *lists, const struct host_mount *m)
{
  return m != NULL && lists->kernel_fs[m - lists->table.items];
}

/* Does a bind at host path `point`, showing `place`, show the sensitive entry i under another
 * name?  Returns a description of how (static), or NULL.  A path whose place agrees with its
 * name below an entry (the rest of the path is the rest inside the filesystem) was judged by
 * name; one around an entry by name was denied by name already.  */
static const char *
place_shows (const struct bind_lists *lists, size_t i, const char *point,
             const struct bind_place *place)
{
  const struct bind_place *s = &lists->places[i];
  const char *p = lists->sensitive.canon[i];
  const char *rest;

  if (!s->known || s->dev != place->dev)
    return NULL;
  if (strcmp (p, "/") == 0)
    return strcmp (point, "/") != 0 && str_eq (s->rel, place->rel) ? "is" : NULL;
  if (s->obj.ino == place->obj.ino && s->obj.dev == place->obj.dev && strcmp (p, point) != 0)
    return "is";
  if ((rest = hostfacts_path_rest (point, p)) != NULL)
    {
      cleanup_free char *expected
          = xasprintf ("%s%s", strcmp (s->rel, "/") == 0 && *rest ? "" : s->rel, rest);
      if (str_eq (expected, place->rel))
        return NULL;
    }
  else if (hostfacts_path_rest (p, point) != NULL)
    return NULL;
  if (hostfacts_path_rest (place->rel, s->rel) != NULL)
    return "is";
  if (hostfacts_path_rest (s->rel, place->rel) != NULL)
    return "holds";
  return NULL;
}

/* The sensitive entries whose place is known and on the filesystem dev, in list order: the only
 * ones place_shows can answer for.  Kept for the last filesystem asked (a thousand binds from one
 * filesystem ask the same).  */
static const size_t *
places_on (struct bind_lists *lists, dev_t dev, size_t *n)
{
  if (lists->places_on == NULL || lists->places_dev != dev)
    {
      if (lists->places_on == NULL)
        lists->places_on = xzalloc ((lists->sensitive.n + 1) * sizeof (size_t));
      lists->places_dev = dev;
      lists->n_places_on = 0;
      for (size_t i = 0; i < lists->sensitive.n; i++)
        if (lists->places[i].known && lists->places[i].dev == dev)
          lists->places_on[lists->n_places_on++] = i;
    }
  *n = lists->n_places_on;
  return lists->places_on;
}

static char *
place_problem (struct bind_lists *lists, const char *point, struct bind_place *place,
               const char *how, const char *what, const char *dest)
{
  size_t n = 0;
  const size_t *on = places_on (lists, place->dev, &n);

  /* bind_mount_of's place: its path inside the filesystem, now that an entry can need it.  */
  if (n > 0 && place->rel == NULL && place->mount != NULL)
    place->rel = hostfacts_mount_rel (place->mount, place->rest);
  for (size_t k = 0; k < n; k++)
    {
      size_t i = on[k];
      const char *shows = place_shows (lists, i, point, place);
      if (shows == NULL)
        continue;
      return xasprintf ("%s of %s at `%s` shows the sensitive host path `%s` under another "
                        "name: what is mounted at `%s` (`%s` of filesystem %u:%u) %s (CIS 5.6)",
                        how, what, dest, lists->sensitive.raw[i], point, place->rel,
                        major (place->dev), minor (place->dev),
                        strcmp (shows, "is") == 0 ? "is that path or lies below it"
                                                  : "holds that path");
    }
  return NULL;
}

static char *
kernel_fs_problem (const struct bind_lists *lists, const struct host_mount *m, const char *how,
                   const char *what, const char *dest)
{
  if (!kernel_fs (lists, m))
    return NULL;
  return xasprintf ("%s of %s at `%s` shows `%s`, a mount of the host's `%s` filesystem (a "
                    "host kernel interface) (CIS 5.6)",
                    how, what, dest, m->point, m->fstype);
}

/* Is the mount point strictly below the clean path canon (n its length)?  What
 * hostfacts_path_rest answers with a non-empty rest, without a strlen of canon per mount: every
 * rbind is compared with every mount of the table.  */
static bool
point_below (const char *point, const char *canon, size_t n)
{
  if (point[0] != '/')
    return false;
  if (n == 1)
    return point[1] != '\0';
  return point[1] == canon[1] && strncmp (point, canon, n) == 0 && point[n] == '/';
}

/* The mounts below the source that an rbind carries into the container.  */
static char *
submount_problems (const struct rule_ctx *ctx, struct bind_lists *lists, const char *canon,
                   const char *how, const char *what, const char *dest)
{
  size_t n = strlen (canon);

  for (size_t i = 0; i < lists->table.n; i++)
    {
      const struct host_mount *m = &lists->table.items[i];
      struct bind_place place;
      char *problem;

      if (!point_below (m->point, canon, n))
        continue;
      if ((problem = kernel_fs_problem (lists, m, how, what, dest)) != NULL)
        return problem;
      /* The mount's own root, not a stat: what the container sees there is what is mounted.  */
      place = (struct bind_place){ .known = true, .dev = m->dev, .rel = m->root };
      if ((problem = place_problem (lists, m->point, &place, how, what, dest)) != NULL)
        return problem;
    }
  (void)ctx;
  return NULL;
}

/* The engine daemons' executables, from engine_binaries (glob patterns), by device and inode.  */
static void
engines_prepare (const struct rule_ctx *ctx, struct bind_lists *lists)
{
  const struct sensitive_mounts_params *p = ctx->params;
  char *const *bins = p->engine_binaries;
  const struct host_facts *h = ctx->host;

  if (lists->engines_ready)
    return;
  lists->engines_ready = true;
  for (size_t i = 0; h->glob_paths != NULL && bins[i] != NULL; i++)
    {
      cleanup_strv char **paths = h->glob_paths (h, bins[i]);
      for (size_t j = 0; paths != NULL && paths[j] != NULL; j++)
        {
          struct host_object o;
          if (!h->path_object (h, paths[j], &o))
            continue;
          lists->engines
              = xreallocarray (lists->engines, lists->n_engines + 1, sizeof (*lists->engines));
          lists->engines[lists->n_engines++] = (struct bind_engine){ o.dev, o.ino };
        }
    }
}

/* The executable's name, without the " (deleted)" the kernel appends once a package upgrade
 * replaced the binary of a daemon that still runs.  malloc'd.  */
static char *
exe_name (const char *exe)
{
  const char *base = exe != NULL ? pathmatch_basename (exe) : "";
  size_t n = strlen (base);
  static const char deleted[] = " (deleted)";

  if (n > sizeof (deleted) - 1 && strcmp (base + n - (sizeof (deleted) - 1), deleted) == 0)
    n -= sizeof (deleted) - 1;
  return xstrndup (base, n);
}

/* Is the holder one of the engine daemons?  By its executable's identity; by its name too, which
 * an attacker can reproduce but which only ever refuses more.  */
static bool
holder_is_engine (const struct rule_ctx *ctx, const struct bind_lists *lists,
                  const struct host_socket_holder *h)
{
  const struct sensitive_mounts_params *p = ctx->params;
  char *const *bins = p->engine_binaries;
  cleanup_free char *name = exe_name (h->exe);

  for (size_t i = 0; h->exe_known && i < lists->n_engines; i++)
    if (lists->engines[i].dev == h->exe_dev && lists->engines[i].ino == h->exe_ino)
      return true;
  for (size_t i = 0; name[0] != '\0' && bins[i] != NULL; i++)
    if (fnmatch (pathmatch_basename (bins[i]), name, 0) == 0)
      return true;
  return false;
}

static char *
listener_problem (const struct host_listener *l, const struct host_socket_holder *h,
                  const char *how, const char *what, const char *dest)
{
  cleanup_free char *name = exe_name (h->exe);

  if (l->path == NULL)
    return xasprintf ("%s of %s at `%s` may expose a socket that `%s` (pid %d) listens on: it is "
                      "on a filesystem the bind shows and ocigate cannot tell where (CIS 5.32)",
                      how, what, dest, name, (int)h->pid);
  return xasprintf ("%s of %s at `%s` exposes the socket `%s` that `%s` (pid %d) listens on, an "
                    "engine or node control socket (CIS 5.32)",
                    how, what, dest, l->path, name, (int)h->pid);
}

static char *
socket_problem (const struct rule_ctx *ctx, struct bind_lists *lists, const char *canon,
                bool recursive, const char *how, const char *what, const char *dest)
{
  struct host_listeners ls = { 0 };
  char *problem = NULL;

  if (ctx->host->unix_listeners == NULL
      || !ctx->host->unix_listeners (ctx->host, canon, recursive, &ls))
    return xasprintf ("%s of %s at `%s`: ocigate cannot ask the kernel which sockets listen "
                      "there (sock_diag), so it cannot tell whether an engine's is one of them",
                      how, what, dest);
  engines_prepare (ctx, lists);
  for (size_t i = 0; i < ls.n && problem == NULL; i++)
    for (size_t j = 0; j < ls.items[i].n_holders && problem == NULL; j++)
      if (holder_is_engine (ctx, lists, &ls.items[i].holders[j]))
        problem = listener_problem (&ls.items[i], &ls.items[i].holders[j], how, what, dest);
  hostfacts_listeners_release (&ls);
  return problem;
}

char *
bind_identity_problem (const struct rule_ctx *ctx, struct bind_lists *lists,
                       const struct json_node *mount, const struct bind_words *w, const char *canon)
{
  const char *how = w->how, *what = w->what, *dest = w->dest;
  bool recursive = bind_mount_is_recursive (mount);
  struct bind_place place = { 0 };
  const struct host_mount *m = bind_mount_of (ctx, lists, canon, &place);
  char *problem = NULL;

  if (m == NULL)
    problem = xasprintf ("%s of %s at `%s`: ocigate cannot tell what is mounted there (no mount "
                         "table entry for it)",
                         how, what, dest);
  if (problem == NULL)
    problem = kernel_fs_problem (lists, m, how, what, dest);
  if (problem == NULL)
    problem = place_problem (lists, canon, &place, how, what, dest);
  if (problem == NULL && recursive)
    problem = submount_problems (ctx, lists, canon, how, what, dest);
  /* A regular file is no socket, and nothing is mounted below it.  */
  if (problem == NULL && !S_ISREG (place.obj.mode))
    problem = socket_problem (ctx, lists, canon, recursive, how, what, dest);
  bind_place_release (&place);
  return problem;
}
