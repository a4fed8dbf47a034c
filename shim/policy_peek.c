/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy files as the verbs that do not judge see them (see policy_peek.h).  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "policy_file.h"
#include "policy_peek.h"
#include "record.h"
#include "util.h"

void
policy_peek_locate (const char *explicit_path, struct policy_peek_location *loc)
{
  const char *env = getenv (POLICY_FILE_ENV);
  const char *path = explicit_path;
  const char *slash, *base;
  size_t n;

  if (path == NULL)
    path = env != NULL && env[0] != '\0' ? env : policy_file_default_path;
  slash = strrchr (path, '/');
  base = slash != NULL ? slash + 1 : path;
  n = strlen (base);
  loc->main = xstrdup (path);
  loc->dir = slash == NULL ? xstrdup (".") : xstrndup (path, slash == path ? 1 : slash - path);
  if (n > 5 && strcmp (base + n - 5, ".json") == 0)
    loc->dropins = xasprintf ("%s/%.*s.d", loc->dir, (int)(n - 5), base);
  else
    loc->dropins = xasprintf ("%s/%s.d", loc->dir, base);
}

void
policy_peek_location_release (struct policy_peek_location *loc)
{
  free (loc->main);
  free (loc->dir);
  free (loc->dropins);
}

/* ---- the tolerant scanner ---- */

struct scanner
{
  const char *p, *end;
};

static void
skip_blank (struct scanner *s)
{
  while (s->p < s->end)
    {
      if (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
        s->p++;
      else if (s->end - s->p >= 2 && s->p[0] == '/' && s->p[1] == '/')
        while (s->p < s->end && *s->p != '\n')
          s->p++;
      else if (s->end - s->p >= 2 && s->p[0] == '/' && s->p[1] == '*')
        {
          const char *close = memmem (s->p + 2, (size_t)(s->end - s->p - 2), "*/", 2);
          s->p = close != NULL ? close + 2 : s->end;
        }
      else
        return;
    }
}

static int
hex4 (const char *p, const char *end)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      char c = p + i < end ? p[i] : 'x';
      int d = c >= '0' && c <= '9'                     ? c - '0'
              : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                       : -1;
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

static void
put_utf8 (char *out, size_t *n, unsigned cp)
{
  if (cp < 0x80)
    out[(*n)++] = (char)cp;
  else if (cp < 0x800)
    {
      out[(*n)++] = (char)(0xc0 | (cp >> 6));
      out[(*n)++] = (char)(0x80 | (cp & 0x3f));
    }
  else if (cp < 0x10000)
    {
      out[(*n)++] = (char)(0xe0 | (cp >> 12));
      out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
      out[(*n)++] = (char)(0x80 | (cp & 0x3f));
    }
  else
    {
      out[(*n)++] = (char)(0xf0 | (cp >> 18));
      out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
      out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
      out[(*n)++] = (char)(0x80 | (cp & 0x3f));
    }
}

/* \uXXXX at s->p, with a following low surrogate when it is a high one: the code point, or
 * -1.  */
static long
unicode_escape (struct scanner *s)
{
  int hi = hex4 (s->p + 2, s->end), lo;

  if (hi < 0)
    return -1;
  s->p += 6;
  if (hi < 0xd800 || hi > 0xdbff)
    return hi >= 0xdc00 && hi <= 0xdfff ? -1 : hi;
  if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u'
      || (lo = hex4 (s->p + 2, s->end)) < 0xdc00 || lo > 0xdfff)
    return -1;
  s->p += 6;
  return 0x10000 + ((long)(hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* One escape after the backslash at s->p: appends its bytes, or returns -1.  */
static int
escape (struct scanner *s, char *out, size_t *n)
{
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  const char *e = s->p + 1 < s->end ? strchr (from, s->p[1]) : NULL;
  long cp;

  if (e != NULL && *e != '\0')
    {
      out[(*n)++] = to[e - from];
      s->p += 2;
      return 0;
    }
  if (s->p + 1 >= s->end || s->p[1] != 'u' || (cp = unicode_escape (s)) <= 0)
    return -1; /* a NUL can be in no path */
  put_utf8 (out, n, (unsigned)cp);
  return 0;
}

/* Past the string at s->p (a '"'): its raw length (without the quotes), or -1 when it does not
 * end.  */
static long
skip_string (struct scanner *s)
{
  const char *start = ++s->p;

  while (s->p < s->end && *s->p != '"')
    s->p += *s->p == '\\' && s->p + 1 < s->end ? 2 : 1;
  if (s->p >= s->end)
    return -1;
  return (long)(s->p++ - start);
}

/* The string at s->p (a '"'), decoded; NULL when it is broken (then s->p has moved on).  Only
 * the top level's keys and values are decoded: the rest is skipped.  */
static char *
scan_string (struct scanner *s)
{
  struct scanner raw = *s;
  long len = skip_string (s);
  cleanup_free char *out = NULL;
  size_t n = 0;

  if (len < 0)
    return NULL;
  /* An escape never decodes to more bytes than it takes (\uXXXX: 6 for at most 3, a pair: 12
   * for 4).  */
  out = xmalloc ((size_t)len + 1);
  raw.end = raw.p + 1 + len;
  for (raw.p++; raw.p < raw.end;)
    {
      if (*raw.p != '\\')
        out[n++] = *raw.p++;
      else if (escape (&raw, out, &n) < 0)
        return NULL;
    }
  out[n] = '\0';
  return strlen (out) == n ? steal_pointer (&out) : NULL;
}

static void
assign (struct policy_peek *out, const char *key, char *value)
{
  char **slot = str_eq (key, "runtime")     ? &out->runtime
                : str_eq (key, "audit_log") ? &out->audit_log
                                            : NULL;

  if (slot == NULL)
    {
      free (value);
      return;
    }
  free (*slot);
  *slot = value;
}

/* What the scanner expects at the top level of the outermost object.  */
struct scan_state
{
  int depth;
  bool want_key, want_value;
  char *key;
};

/* A string token: a key or a value at the top level, anything else deeper.  */
static void
scan_string_token (struct scanner *s, struct scan_state *st, struct policy_peek *out)
{
  bool top = st->depth == 1;
  char *str = top && (st->want_key || st->want_value) ? scan_string (s) : NULL;

  if (str == NULL && !(top && (st->want_key || st->want_value)))
    skip_string (s);
  if (top && st->want_key)
    {
      free (st->key);
      st->key = str;
    }
  else if (top && st->want_value && str != NULL)
    assign (out, st->key, str);
  else
    free (str);
  st->want_key = st->want_value = false;
}

/* A number, literal or stray byte: only `null` as a top-level value matters (it clears).  */
static void
scan_word (struct scanner *s, struct scan_state *st, struct policy_peek *out)
{
  size_t n = 0;

  while (s->p + n < s->end && strchr (",:{}[]\" \t\r\n/", s->p[n]) == NULL)
    n++;
  if (st->depth == 1 && st->want_value && n == 4 && memcmp (s->p, "null", 4) == 0)
    assign (out, st->key, NULL);
  st->want_key = st->want_value = false;
  s->p += n > 0 ? n : 1;
}

static void
scan_token (struct scanner *s, struct scan_state *st, struct policy_peek *out)
{
  char c = *s->p;
  bool top = st->depth == 1;

  if (c == '"' || strchr ("{[}],:", c) == NULL || c == '\0')
    {
      if (c == '"')
        scan_string_token (s, st, out);
      else
        scan_word (s, st, out);
      return;
    }
  s->p++;
  if (c == '{' || c == '[')
    st->want_key = ++st->depth == 1 && c == '{';
  else if (c == '}' || c == ']')
    st->depth--;
  else
    st->want_key = top && c == ',';
  st->want_value = top && c == ':' && st->key != NULL;
}

void
policy_peek_scan (const char *text, size_t len, struct policy_peek *out)
{
  struct scanner s = { text, text + len };
  struct scan_state st = { 0 };

  for (skip_blank (&s); s.p < s.end; skip_blank (&s))
    scan_token (&s, &st, out);
  free (st.key);
}

/* ---- reading the files ---- */

static void
peek_fd (int fd, const char *display, struct policy_peek *out)
{
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  cleanup_free char *text = fsutil_read_fd (fd, display, POLICY_FILE_MAX_BYTES, &len, &err);

  if (text != NULL)
    policy_peek_scan (text, len, out);
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The `*.json` names of the drop-in directory, not hidden, in strcmp order (policy_file.c).  */
char **
policy_peek_dropin_names (int dfd, size_t *n)
{
  char **names = xzalloc (sizeof (char *));
  int scan = dup (dfd);
  DIR *d = scan >= 0 ? fdopendir (scan) : NULL;
  struct dirent *e;

  *n = 0;
  if (d == NULL)
    {
      if (scan >= 0)
        close (scan);
      return names;
    }
  while ((e = readdir (d)) != NULL)
    {
      size_t len = strlen (e->d_name);
      if (e->d_name[0] == '.' || len <= 5 || strcmp (e->d_name + len - 5, ".json") != 0)
        continue;
      names = xreallocarray (names, *n + 2, sizeof (char *));
      names[(*n)++] = xstrdup (e->d_name);
      names[*n] = NULL;
    }
  closedir (d);
  qsort (names, *n, sizeof (char *), compare_names);
  return names;
}

void
policy_peek_read (const char *explicit_path, struct policy_peek *out)
{
  cleanup_error ocg_error_t err = NULL;
  struct policy_peek_location loc = { 0 };
  cleanup_close int fd = -1, dfd = -1;
  cleanup_strv char **names = NULL;
  size_t n = 0;

  out->runtime = out->audit_log = NULL;
  policy_peek_locate (explicit_path, &loc);
  /* The same trusted walk as the strict loader (a ConfigMap's symlinks are followed when every
   * one of them is root's).  */
  fd = policy_file_open_path (AT_FDCWD, NULL, loc.main, false, &err);
  if (fd >= 0)
    peek_fd (fd, loc.main, out);
  dfd = policy_file_open_path (AT_FDCWD, NULL, loc.dropins, true, &err);
  names = dfd >= 0 ? policy_peek_dropin_names (dfd, &n) : NULL;
  for (size_t i = 0; i < n; i++)
    {
      cleanup_close int f = policy_file_open_path (dfd, loc.dropins, names[i], false, &err);
      if (f >= 0)
        peek_fd (f, names[i], out);
    }
  policy_peek_location_release (&loc);
}

void
policy_peek_release (struct policy_peek *peek)
{
  free (peek->runtime);
  free (peek->audit_log);
  peek->runtime = peek->audit_log = NULL;
}
