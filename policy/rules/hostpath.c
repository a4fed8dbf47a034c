/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host paths shared by the isolation rules: sensitive-mounts (mounts.c) judges bind sources with
 * them, rootfs (rootfs.c) the container's root filesystem.  See hostpath.h.
 *
 * Owns: canonicalising policy path lists through host facts, the "exposes a sensitive path"
 * comparison (the path itself, below it, or a parent of it), and resolving root.path the way
 * runc does.  Must not: do I/O other than through host facts, add findings, or know about
 * mounts[] entries.  */
#include <config.h>

#include <string.h>

#include "hostpath.h"
#include "pathmatch.h"
#include "util.h"

/* The length of the leading components of the clean path `p` that hold no byte pathmatch gives
 * a meaning to (`*?[\\{`).  */
static size_t
plain_prefix (const char *p)
{
  size_t end = 0;

  for (size_t i = 1;; i++)
    switch (p[i])
      {
      case '*':
      case '?':
      case '[':
      case '\\':
      case '{':
        return end;
      case '/':
        end = i;
        break;
      case '\0':
        return i;
      default:
        break;
      }
}

void
hostpath_list_init (struct hostpath_list *l, const struct host_facts *host, const char *const *raw)
{
  l->raw = raw;
  l->n = strv_length (raw);
  l->canon = xzalloc ((l->n + 1) * sizeof (char *));
  l->plain = xzalloc ((l->n + 1) * sizeof (bool));
  l->len = xzalloc ((l->n + 1) * sizeof (size_t));
  l->prefix = NULL;
  hostpath_list_index_dirs (l);
  for (size_t i = 0; i < l->n; i++)
    if (raw[i][0] == '/')
      {
        cleanup_free char *first = xstrndup (raw[i], strcspn (raw[i], " \t"));
        l->canon[i] = host->canonical_policy_path != NULL
                          ? host->canonical_policy_path (host, first)
                          : host->canonical_path (host, first);
        l->plain[i] = l->canon[i] != NULL && pathmatch_is_clean (l->canon[i])
                      && strpbrk (l->canon[i], "*?[\\{") == NULL;
        l->len[i] = l->plain[i] ? strlen (l->canon[i]) : 0;
      }
}

/* The entries that may answer for the paths of one directory, for the last directory asked: a
 * thousand binds from one directory are compared with the few entries that can lie above,
 * at or below it.  Each candidate is still compared with the path itself.  */
struct hostpath_dircache
{
  char *dir;
  size_t dir_n;
  size_t *cands;
  size_t n_cands;
};

void
hostpath_list_index_dirs (struct hostpath_list *l)
{
  l->below = xzalloc (sizeof (*l->below));
  l->exposed = xzalloc (sizeof (*l->exposed));
}

static void
dircache_free (struct hostpath_dircache *c)
{
  if (c == NULL)
    return;
  free (c->dir);
  free (c->cands);
  free (c);
}

/* The candidates for the clean path canon, whose directory is canon[0..dn) (dn > 0), kept by
 * `keep` (asked once per entry whenever the directory changes).  */
static const size_t *
dircache_candidates (const struct hostpath_list *l, struct hostpath_dircache *c, const char *canon,
                     size_t dn,
                     bool (*keep) (const struct hostpath_list *, size_t, const char *, size_t),
                     size_t *n)
{
  if (c->dir == NULL || c->dir_n != dn || memcmp (c->dir, canon, dn) != 0)
    {
      free (c->dir);
      c->dir = xstrndup (canon, dn);
      c->dir_n = dn;
      c->n_cands = 0;
      if (c->cands == NULL)
        c->cands = xzalloc ((l->n + 1) * sizeof (size_t));
      for (size_t i = 0; i < l->n; i++)
        if (l->canon[i] != NULL && keep (l, i, c->dir, dn))
          c->cands[c->n_cands++] = i;
    }
  *n = c->n_cands;
  return c->cands;
}

/* The length of the directory part of a clean path other than "/" or a first-level name ("/x"),
 * or 0.  */
static size_t
dir_length (const char *canon)
{
  const char *slash = strrchr (canon, '/');

  return slash != NULL ? (size_t)(slash - canon) : 0;
}

void
hostpath_list_index (struct hostpath_list *l)
{
  free (l->prefix);
  l->prefix = xzalloc ((l->n + 1) * sizeof (size_t));
  for (size_t i = 0; i < l->n; i++)
    if (l->canon[i] != NULL && pathmatch_is_clean (l->canon[i]))
      l->prefix[i] = plain_prefix (l->canon[i]);
}

bool
hostpath_may_be_below (const struct hostpath_list *l, size_t i, const char *canon)
{
  size_t k = l->prefix != NULL ? l->prefix[i] : 0;

  if (k <= 1)
    return true; /* no such component, or the entry is "/" */
  return canon[1] == l->canon[i][1] && strncmp (canon, l->canon[i], k) == 0
         && (canon[k] == '/' || canon[k] == '\0');
}

/* May a path in the directory d (clean, not "/", of length n) be at or below entry i?  An entry
 * whose plain leading components (k bytes) end within d decides by d itself (the path's byte
 * after d is a slash); a longer one must continue d with a slash.  */
static bool
dir_may_hold_below (const struct hostpath_list *l, size_t i, const char *d, size_t n)
{
  size_t k = l->prefix[i];

  if (k <= n)
    return hostpath_may_be_below (l, i, d);
  return memcmp (l->canon[i], d, n) == 0 && l->canon[i][n] == '/';
}

const size_t *
hostpath_below_candidates (struct hostpath_list *l, const char *canon, size_t *n)
{
  size_t dn = dir_length (canon);

  *n = l->n;
  if (l->prefix == NULL || l->below == NULL || dn == 0)
    return NULL;
  return dircache_candidates (l, l->below, canon, dn, dir_may_hold_below, n);
}

void
hostpath_list_release (struct hostpath_list *l)
{
  dircache_free (l->below);
  dircache_free (l->exposed);
  l->below = NULL;
  l->exposed = NULL;
  for (size_t i = 0; l->canon != NULL && i < l->n; i++)
    free (l->canon[i]);
  free (l->canon);
  free (l->plain);
  free (l->len);
  free (l->prefix);
  l->canon = NULL;
  l->plain = NULL;
  l->len = NULL;
  l->prefix = NULL;
  l->n = 0;
}

char *
hostpath_describe (const char *raw, const char *canon)
{
  size_t n = strlen (raw);
  char *out;

  if (strcmp (raw, canon) != 0)
    return xasprintf ("`%s` (`%s`)", raw, canon);
  /* Every bind source is described so, for the messages it may get.  */
  out = xmalloc (n + 3);
  out[0] = '`';
  memcpy (out + 1, raw, n);
  out[n + 1] = '`';
  out[n + 2] = '\0';
  return out;
}

bool
hostpath_clean_at_or_below (const char *path, size_t np, const char *base, size_t n)
{
  if (n == 1)
    return true; /* base is "/" */
  return np >= n && memcmp (path, base, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool
hostpath_at_or_below_n (const char *canon, size_t nc, const char *p, size_t n)
{
  return n > 0 ? hostpath_clean_at_or_below (canon, nc, p, n)
               : pathmatch_at_or_below (canon, p, NULL);
}

bool
hostpath_holds_n (const char *canon, size_t nc, const char *p, size_t n)
{
  return n > 0 ? hostpath_clean_at_or_below (p, n, canon, nc) : pathmatch_contains (canon, p, NULL);
}

bool
hostpath_plain (const char *path)
{
  return path != NULL && pathmatch_is_clean (path) && strpbrk (path, "*?[\\{") == NULL;
}

bool
hostpath_within (const struct hostpath_list *l, size_t i, const char *path, size_t n)
{
  const char *p = l->canon[i];

  if (p == NULL)
    return false;
  if (l->plain == NULL || !l->plain[i] || l->len == NULL)
    return pathmatch_contains (path, p, NULL);
  return (path[1] == '\0' || path[1] == p[1]) && hostpath_clean_at_or_below (p, l->len[i], path, n);
}

/* Does entry i match canon (below: canon is at or below it; otherwise: canon holds it)?  */
static bool
entry_matches (const struct hostpath_list *sensitive, size_t i, const char *canon, size_t nc,
               bool clean, bool below)
{
  const char *p = sensitive->canon[i];

  if (p[0] == '/' && p[1] == '\0')
    return strcmp (canon, "/") == 0;
  if (clean && sensitive->plain != NULL && sensitive->plain[i])
    {
      /* Two clean paths other than "/" share their first byte after the slash, or neither is at
       * or below the other: most entries end here, before any length is taken.  */
      size_t np = sensitive->len != NULL ? sensitive->len[i] : strlen (p);
      if (canon[1] != '\0' && canon[1] != p[1])
        return false;
      return below ? hostpath_clean_at_or_below (canon, nc, p, np)
                   : hostpath_clean_at_or_below (p, np, canon, nc);
    }
  return below ? pathmatch_at_or_below (canon, p, NULL) : pathmatch_contains (canon, p, NULL);
}

/* One pass of hostpath_exposed_sensitive over the entries `idx` (all when NULL): entries canon
 * is at or below, or entries it holds.  */
static char *
exposed_pass (const struct hostpath_list *sensitive, const size_t *idx, size_t n, const char *canon,
              size_t nc, bool clean, bool below)
{
  for (size_t k = 0; k < n; k++)
    {
      size_t i = idx != NULL ? idx[k] : k;
      if (sensitive->canon[i] != NULL && entry_matches (sensitive, i, canon, nc, clean, below))
        return hostpath_describe (sensitive->raw[i], sensitive->canon[i]);
    }
  return NULL;
}

/* Can entry i expose a path of the directory d (clean, not "/", of length n)?  A path of d is at
 * or below an entry at or above d, or is (or holds) an entry below d; "/" only exposes "/" itself
 * (entry_matches); what is not compared as a string is matched as a pattern.  */
static bool
dir_may_expose (const struct hostpath_list *l, size_t i, const char *d, size_t n)
{
  const char *p = l->canon[i];
  size_t np;

  if (p[0] == '/' && p[1] == '\0')
    return false;
  if (l->plain == NULL || !l->plain[i])
    return true;
  np = l->len != NULL ? l->len[i] : strlen (p);
  return hostpath_clean_at_or_below (d, n, p, np)
         || (np > n && memcmp (p, d, n) == 0 && p[n] == '/');
}

/* The entry canon is at or below comes first, so that /usr is reported as `/usr`, not as the
 * parent of `/bin` (`/usr/bin`).  A clean path is compared only with the entries that can expose
 * a path of its directory (every bind source is judged so).  */
static char *
exposed_sensitive (const struct hostpath_list *sensitive, const char *canon, size_t nc, bool clean)
{
  size_t n = sensitive->n, dn = clean ? dir_length (canon) : 0;
  const size_t *idx = NULL;
  char *hit;

  if (dn > 0 && sensitive->exposed != NULL)
    idx = dircache_candidates (sensitive, sensitive->exposed, canon, dn, dir_may_expose, &n);
  hit = exposed_pass (sensitive, idx, n, canon, nc, clean, true);
  return hit != NULL ? hit : exposed_pass (sensitive, idx, n, canon, nc, clean, false);
}

char *
hostpath_exposed_sensitive (const struct hostpath_list *sensitive, const char *canon)
{
  return exposed_sensitive (sensitive, canon, strlen (canon), pathmatch_is_clean (canon));
}

char *
hostpath_exposed_sensitive_clean (const struct hostpath_list *sensitive, const char *canon,
                                  size_t nc)
{
  return exposed_sensitive (sensitive, canon, nc, true);
}

bool
hostpath_holds_sensitive (const struct hostpath_list *sensitive, const char *dir)
{
  for (size_t i = 0; i < sensitive->n; i++)
    if (sensitive->canon[i] != NULL && pathmatch_contains (dir, sensitive->canon[i], NULL))
      return true;
  return false;
}

/* runc (libcontainer/specconv CreateLibcontainerConfig) joins a relative root.path to its working
 * directory, the bundle it chdir()ed into; crun resolves it against the bundle too.  Its
 * validator then refuses a rootfs whose path goes through a symlink, but we judge where the
 * kernel would go anyway (canonical_path), which is stricter.  */
char *
hostpath_rootfs (const struct spec *spec, const struct call *call, const struct host_facts *host,
                 char **problem)
{
  const char *path = NULL;
  cleanup_free char *joined = NULL;
  char *canon;

  *problem = NULL;
  if (!spec_get_string (spec, "/root/path", &path))
    {
      *problem = xstrdup ("the config has no `root.path`: runc refuses to create a container "
                          "without a root filesystem");
      return NULL;
    }
  if (path[0] == '\0')
    {
      *problem = xstrdup ("`root.path` is empty");
      return NULL;
    }
  if (path[0] == '/')
    joined = xstrdup (path);
  else if (call->bundle_dir != NULL)
    joined = xasprintf ("%s/%s", call->bundle_dir, path);
  else
    {
      *problem = xasprintf ("the relative `root.path` `%s` cannot be resolved: the bundle "
                            "directory is unknown",
                            path);
      return NULL;
    }
  canon = host->canonical_path (host, joined);
  if (canon == NULL || !pathmatch_is_clean (canon))
    {
      *problem = xasprintf ("cannot resolve `root.path` `%s`", path);
      free (canon);
      return NULL;
    }
  return canon;
}
