/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host paths as the isolation rules judge them (sensitive-mounts, rootfs): policy path lists in
 * canonical form, "does this host path expose a sensitive one", and the container's root
 * filesystem as a canonical host path.  All I/O goes through host facts; comparisons are by whole
 * components (pathmatch.h).  */
#ifndef OCG_HOSTPATH_H
#define OCG_HOSTPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "hostfacts.h"
#include "engine.h"

/* A policy list with every path entry canonicalised like the host paths it is compared with
 * (only the first field of `PATTERN [field...]` entries).  canon[i] is NULL for an entry that is
 * not a path (a socket basename).  Built once per check: canonicalising costs syscalls.  */
struct hostpath_list
{
  const char *const *raw;
  char **canon;
  bool *plain;    /* canon[i] is clean and holds no pattern: compared as a string */
  size_t *len;    /* strlen (canon[i]) of those; NULL: taken when needed */
  size_t *prefix; /* length of canon[i]'s leading whole components without a pattern, when it is
                     clean (0: none); NULL until hostpath_list_index */
  /* The entries that may answer for the paths of the last directory asked, by
   * hostpath_below_candidates and hostpath_exposed_sensitive; NULL: every entry is asked.  */
  struct hostpath_dircache *below, *exposed;
  size_t n;
};

void hostpath_list_init (struct hostpath_list *l, const struct host_facts *host,
                         const char *const *raw);
void hostpath_list_release (struct hostpath_list *l);

/* Let hostpath_below_candidates and hostpath_exposed_sensitive sort the entries out once per
 * directory of the paths asked.  hostpath_list_init calls it.  */
void hostpath_list_index_dirs (struct hostpath_list *l);

/* Fill l->prefix (hostpath_may_be_below), for a list that is compared with many paths.  */
void hostpath_list_index (struct hostpath_list *l);

/* false only when the clean path `canon` is surely not at or below entry i, because it does not
 * start with the entry's components before its first pattern: a string comparison that spares
 * most entries the component-wise match.  */
bool hostpath_may_be_below (const struct hostpath_list *l, size_t i, const char *canon);

/* The entries i for which hostpath_may_be_below (l, i, canon) may hold (canon clean), in list order
 * (*n of them; a superset: each is asked again), or NULL when that is every entry.  The entries are
 * sorted out once per directory of the clean path canon, for an indexed list: a thousand binds
 * from one directory are compared with the few entries that can lie above that directory.  */
const size_t *hostpath_below_candidates (struct hostpath_list *l, const char *canon, size_t *n);

/* Is the clean path `path` (of length np) at or below the clean path `base` (of length n)?
 * Between clean paths (no empty, `.` or `..` component, no trailing slash) whose components hold
 * no pattern (hostpath_plain), this is what pathmatch_at_or_below (path, base) and
 * pathmatch_contains (base, path) answer, without walking both byte by byte.  */
bool hostpath_clean_at_or_below (const char *path, size_t np, const char *base, size_t n);

/* pathmatch_at_or_below (canon, p) and pathmatch_contains (canon, p) for the clean path canon (of
 * length nc) and a path p given with its length n when it is plain (hostpath_plain), 0 when it is
 * to be matched as a pattern.  sensitive-mounts compares every bind source with the rootfs,
 * config.json and the state directory, which share a long prefix with a source next to the
 * bundle.  */
bool hostpath_at_or_below_n (const char *canon, size_t nc, const char *p, size_t n);
bool hostpath_holds_n (const char *canon, size_t nc, const char *p, size_t n);

/* Is `path` clean and free of the bytes pathmatch gives a meaning to (`*?[\\{`)?  */
bool hostpath_plain (const char *path);

/* Is entry i at or below the clean path `path` (of length n), i.e. does a bind of `path` hold
 * it?  pathmatch_contains, as a string comparison for a plain entry.  */
bool hostpath_within (const struct hostpath_list *l, size_t i, const char *path, size_t n);

/* "`/var/run/x` (`/run/x`)", or just "`/run/x`" when the path was canonical already.  malloc'd.  */
char *hostpath_describe (const char *raw, const char *canon);

/* The sensitive path that `canon` (a canonical host path) exposes, described for a message
 * (malloc'd), or NULL: canon is that path, lies below it, or is one of its parents.  The entry
 * "/" is special: only "/" itself is "/".  */
char *hostpath_exposed_sensitive (const struct hostpath_list *sensitive, const char *canon);
/* The same for a canon the caller knows is clean (pathmatch_is_clean), of length nc: every bind
 * source is, and asking again cost as much as the comparisons.  */
char *hostpath_exposed_sensitive_clean (const struct hostpath_list *sensitive, const char *canon,
                                        size_t nc);

/* Is `dir` (canonical) a sensitive path itself or a parent of one?  (Lying below one does not
 * count: containerd's bundles live below /run/containerd.)  */
bool hostpath_holds_sensitive (const struct hostpath_list *sensitive, const char *dir);

/* The container's root filesystem as a canonical host path (malloc'd), resolved as runc does:
 * a relative root.path is taken relative to the call's bundle directory, which runc chdir()s
 * into.  NULL with *problem (malloc'd, for a finding) when there is no root.path, it is empty, or
 * it is relative and the bundle directory is unknown.  */
char *hostpath_rootfs (const struct spec *spec, const struct call *call,
                       const struct host_facts *host, char **problem);

#endif
