/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Telling ocigate, its copies and other programs apart (see binid.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "binid.h"
#include "fsutil.h"
#include "util.h"

/* Looked for in other files' bytes.  `used`: the linker must keep it even though no code reads
 * it at run time except binid itself.  */
__attribute__ ((used)) const char binid_marker[] = "ocigate-ident:" PACKAGE_VERSION ":";

#define MARKER_PREFIX "ocigate-ident:"
/* runtime.h OCG_LOOP_GUARD_ENV: in every ocigate build, marker or not.  */
#define FINGERPRINT "OCIGATE_LOOP_GUARD"
/* A runtime binary is a few MiB; more is not worth reading.  */
#define BINID_MAX_BYTES (256u * 1024u * 1024u)

void
binid_release (struct binid *b)
{
  free (b->version);
  b->version = NULL;
}

char *
binid_self_path (void)
{
  char buf[4096];
  ssize_t n = readlink ("/proc/self/exe", buf, sizeof (buf) - 1);

  return n > 0 ? xstrndup (buf, (size_t)n) : NULL;
}

int
binid_version_cmp (const char *a, const char *b)
{
  while (*a != '\0' || *b != '\0')
    {
      char *ea, *eb;
      unsigned long x = strtoul (a, &ea, 10), y = strtoul (b, &eb, 10);

      if (x != y)
        return x < y ? -1 : 1;
      if (ea == a || eb == b)
        return strcmp (ea, eb) < 0 ? -1 : strcmp (ea, eb) > 0;
      a = *ea == '.' ? ea + 1 : ea;
      b = *eb == '.' ? eb + 1 : eb;
    }
  return 0;
}

static const char *
memfind (const char *hay, size_t n, const char *needle)
{
  size_t m = strlen (needle);

  for (const char *p = hay; p != NULL && (size_t)(p - hay) + m <= n;)
    {
      if (memcmp (p, needle, m) == 0)
        return p;
      p = memchr (p + 1, needle[0], n - (size_t)(p + 1 - hay));
    }
  return NULL;
}

/* Our own bytes' digest, computed once.  */
static const char *
self_digest (void)
{
  static char digest[SHA256_HEX_SIZE];
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *buf = NULL;
  cleanup_close int fd = -1;
  size_t len = 0;

  /* /proc/self/exe is a magic link: opened through, not refused like fsutil_read_at's
   * O_NOFOLLOW would.  */
  if (digest[0] == '\0' && (fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC)) >= 0
      && (buf = fsutil_read_fd (fd, "/proc/self/exe", BINID_MAX_BYTES, &len, &err)) != NULL)
    sha256_hex (buf, len, digest);
  return digest;
}

/* The version in another build's marker, or NULL.  The prefix also appears alone (the string
 * this function searches for), so every occurrence is tried until one is followed by a version
 * and its closing colon.  */
static char *
marker_version (const char *buf, size_t len)
{
  const size_t plen = strlen (MARKER_PREFIX);

  for (const char *m = memfind (buf, len, MARKER_PREFIX); m != NULL;
       m = memfind (m + 1, len - (size_t)(m + 1 - buf), MARKER_PREFIX))
    {
      const char *v = m + plen, *end = v;

      while ((size_t)(end - buf) < len && end - v <= 64
             && ((*end >= '0' && *end <= '9') || *end == '.' || (*end >= 'a' && *end <= 'z')
                 || *end == '-' || *end == '+'))
        end++;
      if (end > v && (size_t)(end - buf) < len && *end == ':')
        return xstrndup (v, (size_t)(end - v));
    }
  return NULL;
}

static void
classify_bytes (const char *buf, size_t len, struct binid *out)
{
  sha256_hex (buf, len, out->sha256);
  if (strcmp (out->sha256, self_digest ()) == 0)
    {
      out->kind = BINID_COPY_SAME;
      return;
    }
  if (memfind (buf, len, FINGERPRINT) == NULL)
    {
      out->kind = BINID_OTHER;
      return;
    }
  out->kind = BINID_COPY_OTHER;
  out->version = marker_version (buf, len);
  /* A build without the marker predates this one.  */
  out->order = out->version ? binid_version_cmp (out->version, PACKAGE_VERSION) : -1;
}

void
binid_classify_fd (int fd, struct binid *out)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *buf = NULL;
  cleanup_free char *again = xasprintf ("/proc/self/fd/%d", fd);
  cleanup_close int rfd = -1;
  struct stat self, st;
  size_t len = 0;

  memset (out, 0, sizeof (*out));
  if (fstat (fd, &st) < 0)
    {
      out->kind = BINID_MISSING;
      return;
    }
  if (stat ("/proc/self/exe", &self) == 0 && self.st_dev == st.st_dev && self.st_ino == st.st_ino)
    {
      out->kind = BINID_SELF;
      return;
    }
  rfd = S_ISREG (st.st_mode) ? open (again, O_RDONLY | O_CLOEXEC | O_NONBLOCK) : -1;
  if (rfd < 0 || (buf = fsutil_read_fd (rfd, again, BINID_MAX_BYTES, &len, &err)) == NULL)
    {
      out->kind = BINID_OTHER;
      return;
    }
  classify_bytes (buf, len, out);
}

void
binid_classify_path (const char *path, struct binid *out)
{
  cleanup_close int fd = open (path, O_PATH | O_CLOEXEC);

  memset (out, 0, sizeof (*out));
  if (fd < 0)
    {
      out->kind = BINID_MISSING;
      return;
    }
  binid_classify_fd (fd, out);
}

char *
binid_describe (const struct binid *b)
{
  switch (b->kind)
    {
    case BINID_MISSING:
      return xstrdup ("nothing");
    case BINID_SELF:
      return xstrdup ("this ocigate");
    case BINID_COPY_SAME:
      return xstrdup ("a copy of this ocigate (the same bytes, another file)");
    case BINID_COPY_OTHER:
      if (b->version == NULL)
        return xstrdup ("a copy of an older ocigate (a build without a version marker)");
      return xasprintf ("a copy of %s ocigate %s (this one is %s)",
                        b->order < 0   ? "an older"
                        : b->order > 0 ? "a newer"
                                       : "another build of",
                        b->version, PACKAGE_VERSION);
    case BINID_OTHER:
    default:
      return xstrdup ("not ocigate");
    }
}
