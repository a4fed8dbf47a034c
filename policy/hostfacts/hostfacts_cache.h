/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to policy/hostfacts/hostfacts_cache*.c: the kept answers of the policy paths and
 * their text (hostfacts_cache_text.c).  See hostfacts_cache.c.  */
#ifndef OCG_HOSTFACTS_CACHE_H
#define OCG_HOSTFACTS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "hostfacts.h"
#include "sha256.h"

/* A directory a walk looked a name up in, as fstat(2) saw it before the lookup.  */
struct cached_dir
{
  const char *path;
  dev_t dev;
  ino_t ino;
  struct timespec ctime;
};

struct cached_canon
{
  const char *path;
  const char *canon;
};

struct cached_obj
{
  const char *path;
  bool ok;
  struct host_object obj;
};

/* Every string points into `text` (a loaded cache) or is one of `owned` (an answer of this
 * call).  canons[0..n_sorted) and objs[0..n_objs_sorted) (the loaded ones) are in strcmp order
 * of their path.  */
struct cache_set
{
  struct cached_dir *dirs;
  size_t n_dirs, cap_dirs;
  struct cached_canon *canons;
  size_t n_canons, cap_canons, n_sorted;
  struct cached_obj *objs;
  size_t n_objs, cap_objs, n_objs_sorted;
  dev_t ns_dev;
  ino_t ns_ino;
  char digest[SHA256_HEX_SIZE];
  char *text;
  char **owned;
  size_t n_owned;
};

void cache_set_release (struct cache_set *s);
/* A copy of `s` that lives as long as the set.  */
const char *cache_set_keep (struct cache_set *s, const char *str);
/* Room for one more element of an array of the set (doubling).  */
void *cache_set_grow (void *items, size_t n, size_t *cap, size_t size);

/* The text of the set (malloc'd, its length in *len): its canons and objects written in strcmp
 * order of their path.  A set holds the loaded answers only when they held (all were checked),
 * and the answers of this call: a policy that names fewer paths than the last one does not drop
 * the others (`ocigate-restricted` and `baseline` calls take turns), a change that voids the
 * loaded answers does.  */
char *cache_set_text (const struct cache_set *s, size_t *len);
/* Parse `text` (len bytes, NUL-terminated, taken over by the set) into the empty set `s`; false
 * on anything unexpected (then release `s`).  */
bool cache_set_parse (char *text, size_t len, struct cache_set *s);

#endif
