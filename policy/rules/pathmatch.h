/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whole-component path comparison for the isolation rules (sensitive-mounts, devices).
 *
 * String prefixes are how sensitive-mount checks go wrong: `/etc` must not match `/etcetera`,
 * `/lib` must not match `/library` (docker/docker-bench-security#212).  Everything here works on
 * path components.  Patterns may use fnmatch(3) wildcards inside one component (`*` matches
 * exactly one component, never a `/`), and a component written `{ANNOTATION}` matches only the
 * value of that annotation of the judged config.  No I/O: callers canonicalise through host facts
 * first.  */
#ifndef OCG_PATHMATCH_H
#define OCG_PATHMATCH_H

#include <stdbool.h>

/* Lexically clean an absolute path: collapse `//`, drop `.`, apply `..` (never above `/`), drop a
 * trailing `/`.  malloc'd; NULL when path is not absolute.  For paths inside the container, which
 * runc resolves inside the rootfs where `..` cannot climb above `/`.  */
char *pathmatch_clean (const char *path);

/* True when path is absolute and has no `.`/`..` components, no `//` and no trailing `/`
 * (except "/" itself).  */
bool pathmatch_is_clean (const char *path);

/* Resolves `{ANNOTATION}` components: returns the annotation's value or NULL when absent.  */
typedef const char *(*pathmatch_lookup_fn) (const char *name, const void *data);

/* A lookup's answer meaning "any non-empty component": `ocigate check --portable` without the
 * container's id matches the engines' per-container patterns for whichever container it is, and
 * notes that the node checks the id.  */
extern const char pathmatch_any[];

struct pathmatch_vars
{
  pathmatch_lookup_fn lookup;
  const void *data;
};

/* Is `path` (clean, absolute) the path `pattern` names, or below it?  Every path is at or below
 * the pattern "/" (callers that mean "/ itself" compare that themselves).  vars may be NULL.  */
bool pathmatch_at_or_below (const char *path, const char *pattern,
                            const struct pathmatch_vars *vars);

/* Is the directory `dir` (clean, absolute) the path `pattern` names, or one of its parents?  A
 * bind of such a directory exposes whatever the pattern names.  */
bool pathmatch_contains (const char *dir, const char *pattern, const struct pathmatch_vars *vars);

/* The last component of a clean path ("" for "/"), borrowed from path.  */
const char *pathmatch_basename (const char *path);

#endif
