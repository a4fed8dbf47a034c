/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Remembered seccomp profile checks (see seccomp_cache.h).  */
#include <config.h>

#include <fcntl.h>
#include <seccomp.h> /* libseccomp's: seccomp_version, seccomp_api_get, seccomp_arch_native */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fsutil.h"
#include "ocg-commit.h"
#include "policy_file_build.h"
#include "record.h"
#include "seccomp_cache.h"
#include "sha256.h"
#include "util.h"

#define CACHE_DIR "seccomp"
#define CACHE_MAX_BYTES 4096
#define VERDICT "verdict ok\n"

/* The key: one line per input the check's answer depends on.  NULL when one cannot be read
 * (then nothing is remembered or trusted).  */
static char *
cache_key (const char *buf, size_t len)
{
  const struct scmp_version *v = seccomp_version ();
  char digest[SHA256_HEX_SIZE];
  struct utsname u;
  struct stat exe;

  if (uname (&u) < 0 || stat ("/proc/self/exe", &exe) < 0 || v == NULL)
    return NULL;
  sha256_hex (buf, len, digest);
  return xasprintf (
      "ocigate seccomp check 1\n"
      "ocigate %s %s %llu %llu %lld %lld.%09ld %lld.%09ld\n"
      "kernel %s %s %s\n"
      "libseccomp %u.%u.%u api %u arch %u\n"
      "profile %s %zu\n",
      PACKAGE_VERSION, OCG_COMMIT, (unsigned long long)exe.st_dev, (unsigned long long)exe.st_ino,
      (long long)exe.st_size, (long long)exe.st_mtim.tv_sec, exe.st_mtim.tv_nsec,
      (long long)exe.st_ctim.tv_sec, exe.st_ctim.tv_nsec, u.release, u.version, u.machine, v->major,
      v->minor, v->micro, seccomp_api_get (), seccomp_arch_native (), digest, len);
}

static char *
cache_name (const char *key)
{
  char digest[SHA256_HEX_SIZE];

  sha256_hex (key, strlen (key), digest);
  return xstrdup (digest);
}

static int
cache_dir (bool create)
{
  cleanup_error ocg_error_t err = NULL;

  return geteuid () == 0 ? record_open_dir (CACHE_DIR, create, &err) : -1;
}

bool
seccomp_cache_known_good (const char *buf, size_t len)
{
  cleanup_free char *key = cache_key (buf, len);
  cleanup_free char *name = NULL;
  cleanup_free char *text = NULL;
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int dir = -1;
  cleanup_close int fd = -1;
  struct stat st;
  size_t n = 0;

  if (key == NULL || (dir = cache_dir (false)) < 0)
    return false;
  name = cache_name (key);
  fd = openat (dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_uid != 0
      || (st.st_mode & 022) != 0)
    return false;
  text = fsutil_read_fd (fd, name, CACHE_MAX_BYTES, &n, &err);
  return text != NULL && n == strlen (key) + strlen (VERDICT) && str_has_prefix (text, key)
         && str_eq (text + strlen (key), VERDICT);
}

void
seccomp_cache_remember (const char *buf, size_t len)
{
  cleanup_free char *key = cache_key (buf, len);
  cleanup_free char *name = NULL;
  cleanup_free char *text = NULL;
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int dir = -1;

  if (key == NULL || (dir = cache_dir (true)) < 0)
    return;
  name = cache_name (key);
  text = xasprintf ("%s%s", key, VERDICT);
  /* An entry that cannot be written only costs the next call another check.  */
  ocg_ignore_result (record_write_file (dir, name, text, &err));
}

static const struct seccomp_check_cache cache = {
  .known_good = seccomp_cache_known_good,
  .remember = seccomp_cache_remember,
};

void
seccomp_cache_enable (void)
{
  policy_file_seccomp_cache = &cache;
}
