/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whole-component path comparison shared by the isolation rules (mounts.c, devices.c).
 *
 * Owns: lexical cleaning of container paths and component-wise pattern matching.  Must not: touch
 * the file system (host paths reach this module already canonicalised by host facts), know about
 * the OCI schema or policy.  */
#include <config.h>

#include <fnmatch.h>
#include <string.h>

#include "pathmatch.h"
#include "util.h"

/* The next component at or after p (skipping slashes), or NULL at the end; *len gets its
 * length.  */
static const char *
next_component (const char *p, size_t *len)
{
  while (*p == '/')
    p++;
  if (*p == '\0')
    return NULL;
  *len = strcspn (p, "/");
  return p;
}

char *
pathmatch_clean (const char *path)
{
  if (path == NULL || path[0] != '/')
    return NULL;

  size_t size = strlen (path) + 2;
  char *out = xmalloc (size);
  size_t n = 0;
  size_t len = 0;

  for (const char *c = next_component (path, &len); c != NULL; c = next_component (c + len, &len))
    {
      if (len == 1 && c[0] == '.')
        continue;
      if (len == 2 && c[0] == '.' && c[1] == '.')
        {
          /* Drop the last component; at the root `..` stays at the root.  */
          while (n > 0 && out[n - 1] != '/')
            n--;
          if (n > 0)
            n--;
          continue;
        }
      out[n++] = '/';
      memcpy (out + n, c, len);
      n += len;
    }
  if (n == 0)
    out[n++] = '/';
  out[n] = '\0';
  return out;
}

bool
pathmatch_is_clean (const char *path)
{
  if (path == NULL || path[0] != '/')
    return false;
  if (strcmp (path, "/") == 0)
    return true;

  size_t len = 0;
  for (const char *c = path + 1;; c += len + 1)
    {
      /* strcspn with one byte: strchrnul finds the same end without strcspn's byte table.  */
      len = (size_t)(strchrnul (c, '/') - c);
      if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
        return false;
      if (c[len] == '\0')
        return true;
    }
}

const char pathmatch_any[] = "*";

/* Is c a byte that fnmatch(3) without flags, or a `{NAME}` component, gives a meaning to?  */
static bool
pattern_byte (char c)
{
  return c == '*' || c == '?' || c == '[' || c == '\\' || c == '{';
}

/* Does s[0..n) hold none of those bytes?  */
static bool
plain_component (const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (pattern_byte (s[i]))
      return false;
  return true;
}

/* Does one pattern component match one path component?  `{NAME}` matches exactly the non-empty
 * value of annotation NAME; anything else is an fnmatch(3) pattern (a component holds no `/`, so
 * `*` never crosses components).  */
static bool
component_match (const char *pat, size_t plen, const char *comp, size_t clen,
                 const struct pathmatch_vars *vars)
{
  cleanup_free char *p = NULL;
  cleanup_free char *c = NULL;

  /* Nearly every component of a policy path is a plain name, which fnmatch(3) (no flags, the C
   * locale: ocigate never calls setlocale) matches to the same bytes only: compared in place,
   * without the two copies fnmatch needs for its NUL-terminated arguments.  */
  /* A plain first byte is matched by itself only (fnmatch without flags): most comparisons of a
   * path with a policy path's component end here, before the scan below.  */
  if (plen > 0 && clen > 0 && !pattern_byte (pat[0]) && pat[0] != comp[0])
    return false;
  if (plain_component (pat, plen))
    return plen == clen && memcmp (pat, comp, plen) == 0;
  p = xstrndup (pat, plen);
  c = xstrndup (comp, clen);

  if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}')
    {
      p[plen - 1] = '\0';
      const char *value
          = vars != NULL && vars->lookup != NULL ? vars->lookup (p + 1, vars->data) : NULL;
      if (value == pathmatch_any)
        return clen > 0;
      return value != NULL && value[0] != '\0' && strcmp (value, c) == 0;
    }
  return fnmatch (p, c, 0) == 0;
}

/* common_components_match without a pattern: both strings walked once, byte by byte, with no
 * copy and no call per component.  The sensitive-mounts rule compares every bind source with a
 * few dozen policy paths, nearly all plain, and most comparisons end at the first or second
 * component.  1 or 0 (match or mismatch of the common components, *_left set as below), or -1
 * when a pattern byte is reached before a mismatch: then only component_match can tell (a plain
 * byte before it matches itself only, so a mismatch there is one for fnmatch(3) too).  */
static int
plain_components_match (const char *p, const char *c, bool *pattern_left, bool *path_left)
{
  for (;;)
    {
      while (*p == '/')
        p++;
      while (*c == '/')
        c++;
      if (*p == '\0' || *c == '\0')
        {
          *pattern_left = *p != '\0';
          *path_left = *c != '\0';
          return 1;
        }
      for (; *p != '/' && *p != '\0'; p++, c++)
        {
          if (pattern_byte (*p))
            return -1;
          if (*p != *c)
            return 0;
        }
      if (*c != '/' && *c != '\0')
        return 0;
    }
}

/* Walk pattern and path together.  Returns false on a mismatch in their common components;
 * otherwise tells which one (if any) has components left.  */
static bool
common_components_match (const char *pattern, const char *path, const struct pathmatch_vars *vars,
                         bool *pattern_left, bool *path_left)
{
  size_t plen = 0, clen = 0;
  int plain = plain_components_match (pattern, path, pattern_left, path_left);
  const char *p, *c;

  if (plain >= 0)
    return plain == 1;
  p = next_component (pattern, &plen);
  c = next_component (path, &clen);
  while (p != NULL && c != NULL)
    {
      if (!component_match (p, plen, c, clen, vars))
        return false;
      p = next_component (p + plen, &plen);
      c = next_component (c + clen, &clen);
    }
  *pattern_left = p != NULL;
  *path_left = c != NULL;
  return true;
}

bool
pathmatch_at_or_below (const char *path, const char *pattern, const struct pathmatch_vars *vars)
{
  bool pattern_left = false, path_left = false;

  if (path == NULL || pattern == NULL || path[0] != '/' || pattern[0] != '/')
    return false;
  if (!common_components_match (pattern, path, vars, &pattern_left, &path_left))
    return false;
  return !pattern_left;
}

bool
pathmatch_contains (const char *dir, const char *pattern, const struct pathmatch_vars *vars)
{
  bool pattern_left = false, path_left = false;

  if (dir == NULL || pattern == NULL || dir[0] != '/' || pattern[0] != '/')
    return false;
  if (!common_components_match (pattern, dir, vars, &pattern_left, &path_left))
    return false;
  return !path_left;
}

const char *
pathmatch_basename (const char *path)
{
  const char *slash = strrchr (path, '/');
  return slash == NULL ? path : slash + 1;
}
