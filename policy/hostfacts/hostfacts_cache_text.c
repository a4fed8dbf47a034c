/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text of the policy paths' kept answers (see hostfacts_cache.c): one entry a line, every
 * number in decimal, every string as "<length> <bytes>" followed by a NUL (a path may hold any
 * byte but NUL), so that a loaded string is used where it lies.
 *
 *   ocigate hostfacts cache 2
 *   mntns <dev> <ino>
 *   mounts <sha-256 hex>
 *   dir <dev> <ino> <ctime s> <ctime ns> <path>
 *   canon <path> <canonical form>          (in strcmp order of the path)
 *   obj <ok> <mnt_id> <dev> <ino> <file type> <path>   (likewise)
 *   end
 *
 * Owns: writing and parsing that text.  Must not: decide whether it holds.  */
#include <config.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostfacts_cache.h"
#include "util.h"

#define CACHE_MAGIC "ocigate hostfacts cache 2\n"

void
cache_set_release (struct cache_set *s)
{
  for (size_t i = 0; i < s->n_owned; i++)
    free (s->owned[i]);
  free (s->owned);
  free (s->dirs);
  free (s->canons);
  free (s->objs);
  free (s->text);
  memset (s, 0, sizeof (*s));
}

void *
cache_set_grow (void *items, size_t n, size_t *cap, size_t size)
{
  if (n < *cap)
    return items;
  *cap = *cap ? 2 * *cap : 16;
  return xreallocarray (items, *cap, size);
}

const char *
cache_set_keep (struct cache_set *s, const char *str)
{
  s->owned = xreallocarray (s->owned, s->n_owned + 1, sizeof (char *));
  return s->owned[s->n_owned++] = xstrdup (str);
}

static void
put_str (FILE *f, const char *s)
{
  fprintf (f, " %zu %s", strlen (s), s);
  fputc ('\0', f);
}

static int
cmp_canon (const void *a, const void *b)
{
  return strcmp (((const struct cached_canon *)a)->path, ((const struct cached_canon *)b)->path);
}

static void
put_canons (FILE *f, const struct cache_set *s)
{
  cleanup_free struct cached_canon *sorted
      = xreallocarray (NULL, s->n_canons + 1, sizeof (*sorted));
  size_t n = 0;

  for (size_t i = 0; i < s->n_canons; i++)
    sorted[n++] = s->canons[i];
  qsort (sorted, n, sizeof (*sorted), cmp_canon);
  for (size_t i = 0; i < n; i++)
    if (i == 0 || strcmp (sorted[i - 1].path, sorted[i].path) != 0)
      {
        fputs ("canon", f);
        put_str (f, sorted[i].path);
        put_str (f, sorted[i].canon);
        fputc ('\n', f);
      }
}

static int
cmp_obj (const void *a, const void *b)
{
  return strcmp (((const struct cached_obj *)a)->path, ((const struct cached_obj *)b)->path);
}

static void
put_objs (FILE *f, const struct cache_set *s)
{
  cleanup_free struct cached_obj *sorted = xreallocarray (NULL, s->n_objs + 1, sizeof (*sorted));
  size_t n = 0;

  for (size_t i = 0; i < s->n_objs; i++)
    sorted[n++] = s->objs[i];
  qsort (sorted, n, sizeof (*sorted), cmp_obj);
  for (size_t i = 0; i < n; i++)
    if (i == 0 || strcmp (sorted[i - 1].path, sorted[i].path) != 0)
      {
        const struct cached_obj *o = &sorted[i];
        fprintf (f, "obj %d %d %ju %ju %u", o->ok ? 1 : 0, o->obj.mnt_id, (uintmax_t)o->obj.dev,
                 (uintmax_t)o->obj.ino, (unsigned)o->obj.mode);
        put_str (f, o->path);
        fputc ('\n', f);
      }
}

char *
cache_set_text (const struct cache_set *s, size_t *len)
{
  char *text = NULL;
  FILE *f = open_memstream (&text, len);

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
  put_canons (f, s);
  put_objs (f, s);
  fputs ("end\n", f);
  fclose (f);
  return text;
}

/* A cursor over the text; every reader fails (false) on anything unexpected.  */
struct cursor
{
  char *p;
  char *end;
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

/* " <decimal>" that fits, a leading '-' only when `negative_ok` (the value then as intmax_t).  */
static bool
take_num (struct cursor *c, uintmax_t *v, bool negative_ok)
{
  bool neg;
  unsigned digits = 0;
  uintmax_t x = 0;

  if (c->p >= c->end || *c->p++ != ' ')
    return false;
  neg = c->p < c->end && *c->p == '-';
  if (neg && !negative_ok)
    return false;
  c->p += neg;
  for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++, digits++)
    {
      unsigned d = (unsigned)(*c->p - '0');
      if (x > (UINTMAX_MAX - d) / 10)
        return false;
      x = x * 10 + d;
    }
  if (digits == 0 || (neg && x > (uintmax_t)INTMAX_MAX))
    return false;
  *v = neg ? (uintmax_t) - (intmax_t)x : x;
  return true;
}

static bool
take_str (struct cursor *c, const char **out)
{
  uintmax_t n;

  if (!take_num (c, &n, false) || c->p >= c->end || *c->p++ != ' '
      || n >= (uintmax_t)(c->end - c->p) || c->p[n] != '\0' || memchr (c->p, '\0', n) != NULL)
    return false;
  *out = c->p;
  c->p += n + 1;
  return true;
}

static bool
take_dir (struct cursor *c, struct cache_set *s)
{
  struct cached_dir d = { 0 };
  uintmax_t dev, ino, sec, nsec;

  if (!take_num (c, &dev, false) || !take_num (c, &ino, false) || !take_num (c, &sec, true)
      || !take_num (c, &nsec, false) || nsec >= 1000000000u || !take_str (c, &d.path))
    return false;
  d.dev = (dev_t)dev;
  d.ino = (ino_t)ino;
  d.ctime.tv_sec = (time_t)(intmax_t)sec;
  d.ctime.tv_nsec = (long)nsec;
  s->dirs = cache_set_grow (s->dirs, s->n_dirs, &s->cap_dirs, sizeof (*s->dirs));
  s->dirs[s->n_dirs++] = d;
  return true;
}

/* Canons come in strcmp order of their path, each path once: looked up by bsearch.  */
static bool
take_canon (struct cursor *c, struct cache_set *s)
{
  struct cached_canon e = { 0 };

  if (!take_str (c, &e.path) || !take_str (c, &e.canon)
      || (s->n_canons > 0 && strcmp (s->canons[s->n_canons - 1].path, e.path) >= 0))
    return false;
  s->canons = cache_set_grow (s->canons, s->n_canons, &s->cap_canons, sizeof (*s->canons));
  s->canons[s->n_canons++] = e;
  s->n_sorted = s->n_canons;
  return true;
}

static bool
take_obj (struct cursor *c, struct cache_set *s)
{
  struct cached_obj o = { 0 };
  uintmax_t ok, mnt, dev, ino, mode;

  if (!take_num (c, &ok, false) || ok > 1 || !take_num (c, &mnt, true) || !take_num (c, &dev, false)
      || !take_num (c, &ino, false) || !take_num (c, &mode, false) || !take_str (c, &o.path)
      || (s->n_objs > 0 && strcmp (s->objs[s->n_objs - 1].path, o.path) >= 0))
    return false;
  o.ok = ok == 1;
  o.obj = (struct host_object){
    .mnt_id = (int)(intmax_t)mnt, .dev = (dev_t)dev, .ino = (ino_t)ino, .mode = (mode_t)mode
  };
  s->objs = cache_set_grow (s->objs, s->n_objs, &s->cap_objs, sizeof (*s->objs));
  s->objs[s->n_objs++] = o;
  s->n_objs_sorted = s->n_objs;
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

bool
cache_set_parse (char *text, size_t len, struct cache_set *s)
{
  struct cursor c = { text, text + len };
  uintmax_t dev, ino;

  s->text = text;
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
