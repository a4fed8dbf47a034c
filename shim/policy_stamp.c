/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whether the policy files are valid, validated once per version of the files (see
 * policy_peek.h, policy_peek_health): the identity of every file the strict loader reads, and
 * the root-only stamp that remembers the verdict for it.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "policy_file.h"
#include "policy_peek.h"
#include "record.h"
#include "util.h"

/* The identity text, built without printf: every pass-through call builds it.  */
struct idbuf
{
  char *s;
  size_t len, cap;
};

static void
id_put (struct idbuf *b, const char *text, size_t n)
{
  if (b->len + n + 1 > b->cap)
    {
      b->cap = (b->len + n + 1) * 2;
      b->s = xrealloc (b->s, b->cap);
    }
  memcpy (b->s + b->len, text, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void
id_str (struct idbuf *b, const char *text)
{
  id_put (b, text, strlen (text));
}

static void
id_num (struct idbuf *b, unsigned long long v)
{
  char digits[24];
  size_t i = sizeof (digits);

  do
    digits[--i] = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  id_put (b, " ", 1);
  id_put (b, digits + i, sizeof (digits) - i);
}

/* A file's identity: what the strict loader reads from it (content, owner, mode).  A
 * directory's is only what the loader checks of it (owner, mode): files created next to the
 * policy must not make every call validate again.  `st` is NULL when the file does not exist.  */
static void
identity_line (struct idbuf *b, const char *label, const struct stat *st)
{
  id_str (b, label);
  if (st == NULL)
    {
      id_str (b, " -\n");
      return;
    }
  id_num (b, st->st_dev);
  id_num (b, st->st_ino);
  id_num (b, st->st_mode);
  id_num (b, st->st_uid);
  if (!S_ISDIR (st->st_mode))
    {
      id_num (b, (unsigned long long)st->st_size);
      id_num (b, (unsigned long long)st->st_mtim.tv_sec);
      id_num (b, (unsigned long long)st->st_mtim.tv_nsec);
      id_num (b, (unsigned long long)st->st_ctim.tv_sec);
      id_num (b, (unsigned long long)st->st_ctim.tv_nsec);
    }
  id_str (b, "\n");
}

static void
identity_at (struct idbuf *b, const char *label, int at, const char *name)
{
  struct stat st;

  identity_line (b, label, fstatat (at, name, &st, 0) == 0 ? &st : NULL);
}

/* The identity of every file the strict loader would read, or NULL when there is none.  */
static char *
identity (const struct policy_peek_location *loc)
{
  struct idbuf b = { 0 };
  cleanup_close int dfd = -1;
  cleanup_strv char **names = NULL;
  size_t n = 0;
  struct stat main_st, dropins_st;
  int main_r = stat (loc->main, &main_st), main_errno = errno;
  int dropins_r = stat (loc->dropins, &dropins_st);

  if (main_r < 0 && main_errno == ENOENT && dropins_r < 0 && errno == ENOENT)
    return NULL;
  id_str (&b, "ocigate policy stamp 2\npath ");
  id_str (&b, loc->main);
  id_str (&b, "\n");
  identity_line (&b, "main", main_r == 0 ? &main_st : NULL);
  identity_at (&b, "dir", AT_FDCWD, loc->dir);
  identity_line (&b, "dropins", dropins_r == 0 ? &dropins_st : NULL);
  dfd = dropins_r == 0 ? open (loc->dropins, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  names = dfd >= 0 ? policy_peek_dropin_names (dfd, &n) : NULL;
  for (size_t i = 0; i < n; i++)
    {
      id_str (&b, "dropin ");
      identity_at (&b, names[i], dfd, names[i]);
    }
  return b.s;
}

static char *
stamp_name (const char *main_path)
{
  uint64_t h = 14695981039346656037ull;
  char *name = xmalloc (17);

  for (const char *p = main_path; *p != '\0'; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211ull;
  for (int i = 15; i >= 0; i--, h >>= 4)
    name[i] = "0123456789abcdef"[h & 0xf];
  name[16] = '\0';
  return name;
}

/* A scanner value in the stamp: "KEY -" (none) or "KEY <length> <bytes>", one line.  The length
 * keeps any byte but NUL (which no value holds: policy_peek.c) in it.  */
static char *
value_text (const char *key, const char *value)
{
  if (value == NULL)
    return xasprintf ("%s -\n", key);
  return xasprintf ("%s %zu %s\n", key, strlen (value), value);
}

/* Reads "KEY ..." at *p (up to end) into *out; -1 when it is not there or broken.  */
static int
value_parse (const char **p, const char *end, const char *key, char **out)
{
  size_t k = strlen (key), len = 0;
  const char *q = *p + k + 1, *digits;

  if ((size_t)(end - *p) < k + 3 || memcmp (*p, key, k) != 0 || (*p)[k] != ' ')
    return -1;
  *out = NULL;
  if (q[0] == '-' && q[1] == '\n')
    {
      *p = q + 2;
      return 0;
    }
  digits = q;
  for (; q < end && *q >= '0' && *q <= '9' && len < (size_t)(end - *p); q++)
    len = len * 10 + (size_t)(*q - '0');
  if (q == digits || q >= end || *q != ' ' || (size_t)(end - q - 1) < len + 1 || q[1 + len] != '\n'
      || memchr (q + 1, '\0', len) != NULL)
    return -1;
  *out = xstrndup (q + 1, len);
  *p = q + 2 + len;
  return 0;
}

/* The stamp's verdict for exactly this identity, and the scanner's values for it: sets
 * v->verdict to 1 valid or 0 broken (v->error), and v->peek; leaves both when it knows nothing.  */
static void
stamp_lookup (struct policy_view *v)
{
  cleanup_close int fd = openat (v->dir, v->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = NULL;
  struct policy_peek peek = { 0 };
  struct stat st;
  size_t len = 0, n = strlen (v->id);
  const char *p;

  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_uid != 0
      || (st.st_mode & 022) != 0)
    return;
  text = fsutil_read_fd (fd, v->name, POLICY_FILE_MAX_BYTES, &len, &err);
  if (text == NULL || len < n || memcmp (text, v->id, n) != 0)
    return;
  p = text + n;
  if (str_has_prefix (p, "values -\n"))
    p += strlen ("values -\n"); /* a verdict without the scanner's values */
  else if (value_parse (&p, text + len, "runtime", &peek.runtime) < 0
           || value_parse (&p, text + len, "audit_log", &peek.audit_log) < 0)
    {
      policy_peek_release (&peek);
      return;
    }
  else
    v->peeked = true;
  if (str_eq (p, "verdict ok\n"))
    v->verdict = 1;
  else if (str_has_prefix (p, "verdict broken\nerror "))
    {
      v->verdict = 0;
      v->error = xstrdup (p + strlen ("verdict broken\nerror "));
      v->error[strcspn (v->error, "\n")] = '\0';
    }
  if (v->verdict < 0)
    v->peeked = false;
  if (v->peeked)
    v->peek = peek;
  else
    policy_peek_release (&peek);
}

static char *
validate (const char *explicit_path)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_policy_file struct policy_file *pf = policy_file_load (explicit_path, &err);

  return pf == NULL ? ocg_error_text (err) : NULL;
}

static void
stamp_store (const struct policy_view *v)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *flat = v->error != NULL ? xstrdup (v->error) : NULL;
  cleanup_free char *runtime = v->peeked ? value_text ("runtime", v->peek.runtime) : NULL;
  cleanup_free char *audit_log = v->peeked ? value_text ("audit_log", v->peek.audit_log) : NULL;
  cleanup_free char *values = v->peeked ? xasprintf ("%s%s", runtime, audit_log) : NULL;
  cleanup_free char *text = NULL;

  for (char *p = flat; p != NULL && *p != '\0'; p++)
    *p = *p == '\n' ? ' ' : *p;
  /* Without the scanner's values when this call did not need them: validating reads every file
   * once, and scanning them would read them again.  The first call that needs them adds them.  */
  text = flat != NULL ? xasprintf ("%s%sverdict broken\nerror %s\n", v->id,
                                   values ? values : "values -\n", flat)
                      : xasprintf ("%s%sverdict ok\n", v->id, values ? values : "values -\n");
  /* A stamp that cannot be written only costs the next call another validation.  */
  ocg_ignore_result (record_write_file (v->dir, v->name, text, &err));
}

void
policy_view_open (const char *explicit_path, struct policy_view *v)
{
  cleanup_error ocg_error_t err = NULL;
  struct policy_peek_location loc = { 0 };

  *v = (struct policy_view){ .verdict = -1, .dir = -1 };
  policy_peek_locate (explicit_path, &loc);
  v->id = identity (&loc);
  v->name = stamp_name (loc.main);
  policy_peek_location_release (&loc);
  if (v->id == NULL)
    {
      /* No policy files: healthy, and nothing to read.  */
      v->verdict = 1;
      v->peeked = true;
      return;
    }
  /* Opened without creating it: only a stamp that is written needs the directory made.  */
  v->dir = geteuid () == 0 ? record_open_dir ("policy", false, &err) : -1;
  if (v->dir >= 0)
    stamp_lookup (v);
}

const struct policy_peek *
policy_view_peek (const char *explicit_path, struct policy_view *v)
{
  if (v->peeked)
    return &v->peek;
  policy_peek_read (explicit_path, &v->peek);
  v->peeked = true;
  /* A stamp that knew the verdict but not the values: complete it, once.  */
  if (v->verdict >= 0 && v->dir >= 0)
    stamp_store (v);
  return &v->peek;
}

char *
policy_view_health (const char *explicit_path, struct policy_view *v, bool *fresh)
{
  cleanup_error ocg_error_t err = NULL;

  *fresh = false;
  if (v->verdict >= 0)
    return v->error != NULL ? xstrdup (v->error) : NULL;
  *fresh = true;
  v->error = validate (explicit_path);
  v->verdict = v->error == NULL;
  if (v->dir < 0 && geteuid () == 0)
    v->dir = record_open_dir ("policy", true, &err);
  if (v->dir >= 0)
    stamp_store (v);
  return v->error != NULL ? xstrdup (v->error) : NULL;
}

void
policy_view_release (struct policy_view *v)
{
  policy_peek_release (&v->peek);
  free (v->error);
  free (v->id);
  free (v->name);
  if (v->dir >= 0)
    close (v->dir);
  *v = (struct policy_view){ .verdict = -1, .dir = -1 };
}

char *
policy_peek_health (const char *explicit_path, bool *fresh)
{
  struct policy_view v;
  char *broken;

  policy_view_open (explicit_path, &v);
  broken = policy_view_health (explicit_path, &v, fresh);
  policy_view_release (&v);
  return broken;
}

static void
sweep_stamp (int dir, const char *name)
{
  cleanup_close int fd = openat (dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = NULL;
  struct policy_peek_location loc = { 0 };
  size_t len = 0;
  char *path, *end;
  struct stat st;

  text = fd >= 0 ? fsutil_read_fd (fd, name, POLICY_FILE_MAX_BYTES, &len, &err) : NULL;
  path = text != NULL ? strstr (text, "\npath ") : NULL;
  if (path == NULL || (end = strchr (path + 6, '\n')) == NULL)
    return;
  *end = '\0';
  policy_peek_locate (path + 6, &loc);
  if (stat (loc.main, &st) < 0 && errno == ENOENT && stat (loc.dropins, &st) < 0 && errno == ENOENT)
    unlinkat (dir, name, 0);
  policy_peek_location_release (&loc);
}

void
policy_peek_sweep (void)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int dir = geteuid () == 0 ? record_open_dir ("policy", false, &err) : -1;
  int scan = dir >= 0 ? dup (dir) : -1;
  DIR *d = scan >= 0 ? fdopendir (scan) : NULL;
  struct dirent *e;

  if (d == NULL)
    {
      if (scan >= 0)
        close (scan);
      return;
    }
  while ((e = readdir (d)) != NULL)
    if (e->d_name[0] != '.')
      sweep_stamp (dir, e->d_name);
  closedir (d);
}
