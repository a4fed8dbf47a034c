/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy paths' answers, kept in a root-only file (see hostfacts_store.h).  */
#include <config.h>

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "hostfacts.h"
#include "hostfacts_store.h"
#include "ocg-commit.h"
#include "record.h"
#include "util.h"

#define STORE_DIR "hostfacts"
#define STORE_FILE "policy-paths"
#define STORE_MAX_BYTES (1024 * 1024)

/* The first line: the ocigate that wrote the file, down to its binary (a development build keeps
 * the commit of its last commit), since another build may walk differently.  NULL when
 * /proc/self/exe cannot be stat'd (then nothing is kept).  */
static char *
store_key (void)
{
  struct stat exe;

  if (stat ("/proc/self/exe", &exe) < 0)
    return NULL;
  return xasprintf ("ocigate %s %s %llu %llu %lld %lld.%09ld %lld.%09ld\n", PACKAGE_VERSION,
                    OCG_COMMIT, (unsigned long long)exe.st_dev, (unsigned long long)exe.st_ino,
                    (long long)exe.st_size, (long long)exe.st_mtim.tv_sec, exe.st_mtim.tv_nsec,
                    (long long)exe.st_ctim.tv_sec, exe.st_ctim.tv_nsec);
}

static char *
store_load (size_t *len)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int dir = -1;
  cleanup_close int fd = -1;
  cleanup_free char *text = NULL;
  cleanup_free char *key = NULL;
  struct stat st;
  size_t n = 0;

  if (geteuid () != 0 || (key = store_key ()) == NULL
      || (dir = record_open_dir (STORE_DIR, false, &err)) < 0)
    return NULL;
  fd = openat (dir, STORE_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_uid != 0
      || (st.st_mode & 022) != 0)
    return NULL;
  text = fsutil_read_fd (fd, STORE_FILE, STORE_MAX_BYTES, &n, &err);
  if (text == NULL || n < strlen (key) || memcmp (text, key, strlen (key)) != 0)
    return NULL;
  *len = n - strlen (key);
  memmove (text, text + strlen (key), *len + 1);
  return steal_pointer (&text);
}

static void
store_save (const char *text)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int dir = -1;
  cleanup_free char *whole = NULL;
  cleanup_free char *key = NULL;

  if (geteuid () != 0 || (key = store_key ()) == NULL
      || (dir = record_open_dir (STORE_DIR, true, &err)) < 0)
    return;
  whole = xasprintf ("%s%s", key, text);
  /* A file that cannot be written only costs the next call the walks.  */
  ocg_ignore_result (record_write_file (dir, STORE_FILE, whole, &err));
}

static const struct hostfacts_store store = {
  .load = store_load,
  .save = store_save,
};

void
hostfacts_store_enable (void)
{
  hostfacts_policy_store = &store;
}
