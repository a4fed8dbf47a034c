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
 * policy must not make every call validate again.  */
static void
identity_line (struct idbuf *b, const char *label, int at, const char *name)
{
  struct stat st;

  id_str (b, label);
  if (fstatat (at, name, &st, 0) < 0)
    {
      id_str (b, " -\n");
      return;
    }
  id_num (b, st.st_dev);
  id_num (b, st.st_ino);
  id_num (b, st.st_mode);
  id_num (b, st.st_uid);
  if (!S_ISDIR (st.st_mode))
    {
      id_num (b, (unsigned long long)st.st_size);
      id_num (b, (unsigned long long)st.st_mtim.tv_sec);
      id_num (b, (unsigned long long)st.st_mtim.tv_nsec);
      id_num (b, (unsigned long long)st.st_ctim.tv_sec);
      id_num (b, (unsigned long long)st.st_ctim.tv_nsec);
    }
  id_str (b, "\n");
}

/* The identity of every file the strict loader would read, or NULL when there is none.  */
static char *
identity (const struct policy_peek_location *loc)
{
  struct idbuf b = { 0 };
  cleanup_close int dfd = -1;
  cleanup_strv char **names = NULL;
  size_t n = 0;
  struct stat st;

  if (stat (loc->main, &st) < 0 && errno == ENOENT && stat (loc->dropins, &st) < 0
      && errno == ENOENT)
    return NULL;
  id_str (&b, "ocigate policy stamp 1\npath ");
  id_str (&b, loc->main);
  id_str (&b, "\n");
  identity_line (&b, "main", AT_FDCWD, loc->main);
  identity_line (&b, "dir", AT_FDCWD, loc->dir);
  identity_line (&b, "dropins", AT_FDCWD, loc->dropins);
  dfd = open (loc->dropins, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  names = dfd >= 0 ? policy_peek_dropin_names (dfd, &n) : NULL;
  for (size_t i = 0; i < n; i++)
    {
      id_str (&b, "dropin ");
      identity_line (&b, names[i], dfd, names[i]);
    }
  return b.s;
}

static char *
stamp_name (const char *main_path)
{
  uint64_t h = 14695981039346656037ull;

  for (const char *p = main_path; *p != '\0'; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211ull;
  return xasprintf ("%016llx", (unsigned long long)h);
}

/* The stamp's verdict for exactly this identity: 1 valid, 0 broken (*error set), -1 unknown.  */
static int
stamp_lookup (int dir, const char *name, const char *id, char **error)
{
  cleanup_close int fd = openat (dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = NULL;
  struct stat st;
  size_t len = 0, n = strlen (id);

  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_uid != 0
      || (st.st_mode & 022) != 0)
    return -1;
  text = fsutil_read_fd (fd, name, POLICY_FILE_MAX_BYTES, &len, &err);
  if (text == NULL || len < n || memcmp (text, id, n) != 0)
    return -1;
  if (str_eq (text + n, "verdict ok\n"))
    return 1;
  if (!str_has_prefix (text + n, "verdict broken\nerror "))
    return -1;
  *error = xstrdup (text + n + strlen ("verdict broken\nerror "));
  (*error)[strcspn (*error, "\n")] = '\0';
  return 0;
}

static char *
validate (const char *explicit_path)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_policy_file struct policy_file *pf = policy_file_load (explicit_path, &err);

  return pf == NULL ? ocg_error_text (err) : NULL;
}

static void
stamp_store (int dir, const char *name, const char *id, const char *error)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *flat = error != NULL ? xstrdup (error) : NULL;
  cleanup_free char *text = NULL;

  for (char *p = flat; p != NULL && *p != '\0'; p++)
    *p = *p == '\n' ? ' ' : *p;
  text = flat != NULL ? xasprintf ("%sverdict broken\nerror %s\n", id, flat)
                      : xasprintf ("%sverdict ok\n", id);
  /* A stamp that cannot be written only costs the next call another validation.  */
  ocg_ignore_result (record_write_file (dir, name, text, &err));
}

char *
policy_peek_health (const char *explicit_path, bool *fresh)
{
  cleanup_error ocg_error_t err = NULL;
  struct policy_peek_location loc = { 0 };
  cleanup_free char *id = NULL;
  cleanup_free char *name = NULL;
  cleanup_close int dir = -1;
  char *error = NULL;

  *fresh = false;
  policy_peek_locate (explicit_path, &loc);
  id = identity (&loc);
  name = stamp_name (loc.main);
  policy_peek_location_release (&loc);
  if (id == NULL)
    return NULL;
  dir = geteuid () == 0 ? record_open_dir ("policy", true, &err) : -1;
  if (dir >= 0 && stamp_lookup (dir, name, id, &error) >= 0)
    return error;
  *fresh = true;
  error = validate (explicit_path);
  if (dir >= 0)
    stamp_store (dir, name, id, error);
  return error;
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
