/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy paths' answers, kept in a root-only file (see hostfacts_store.h).  */
#include <config.h>

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostfacts.h"
#include "hostfacts_store.h"
#include "ocg-commit.h"
#include "record.h"
#include "util.h"

#define STORE_DIR "hostfacts"
#define STORE_FILE "policy-paths"
#define STORE_MAX_BYTES (1024 * 1024)

/* The first line: the ocigate that wrote the file, down to its build (the GNU build ID the
 * linker put in the binary's notes: a development build keeps the id of its last commit), since
 * another build may walk differently.  Read from our own program headers, so it costs no system
 * call and is the same under valgrind, whose /proc/self/exe is valgrind's.  */
static int
note_build_id (struct dl_phdr_info *info, size_t size, void *data)
{
  char *out = data;

  (void)size;
  for (size_t i = 0; i < info->dlpi_phnum; i++)
    {
      const ElfW (Phdr) *ph = &info->dlpi_phdr[i];
      const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
      const char *end = p + ph->p_memsz;

      while (ph->p_type == PT_NOTE && p + sizeof (ElfW (Nhdr)) <= end)
        {
          const ElfW (Nhdr) *nh = (const ElfW (Nhdr) *)p;
          const unsigned char *desc
              = (const unsigned char *)(p + sizeof (*nh) + ((nh->n_namesz + 3) & ~3u));

          if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && memcmp (nh + 1, "GNU", 4) == 0
              && nh->n_descsz <= 64 && (const char *)desc + nh->n_descsz <= end)
            {
              for (size_t k = 0; k < nh->n_descsz; k++)
                {
                  out[2 * k] = "0123456789abcdef"[desc[k] >> 4];
                  out[2 * k + 1] = "0123456789abcdef"[desc[k] & 15];
                }
              return 1;
            }
          p = (const char *)desc + ((nh->n_descsz + 3) & ~3u);
        }
    }
  return 1; /* the first object is the program itself */
}

static char *
store_key (void)
{
  char id[129] = "";

  dl_iterate_phdr (note_build_id, id);
  return xasprintf ("ocigate %s %s %s\n", PACKAGE_VERSION, OCG_COMMIT, id[0] ? id : "-");
}

/* The file whole, in one read(2): it is written under another name and renamed over the old
 * one, never changed in place, so the size fstat(2) gives is its size (a read short of it, or
 * past it, means another file: nothing is used).  */
static char *
read_whole (int fd, const struct stat *st, size_t *len)
{
  cleanup_free char *text = NULL;
  ssize_t n;

  if (st->st_size <= 0 || st->st_size > STORE_MAX_BYTES)
    return NULL;
  text = xmalloc ((size_t)st->st_size + 2);
  n = read (fd, text, (size_t)st->st_size + 1);
  if (n != st->st_size)
    return NULL;
  text[n] = '\0';
  *len = (size_t)n;
  return steal_pointer (&text);
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

  if (geteuid () != 0 || (dir = record_open_dir (STORE_DIR, false, &err)) < 0)
    return NULL;
  fd = openat (dir, STORE_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_uid != 0
      || (st.st_mode & 022) != 0)
    return NULL;
  key = store_key ();
  text = read_whole (fd, &st, &n);
  if (text == NULL || n < strlen (key) || memcmp (text, key, strlen (key)) != 0)
    return NULL;
  *len = n - strlen (key);
  memmove (text, text + strlen (key), *len + 1);
  return steal_pointer (&text);
}

static void
store_save (const char *text, size_t len)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int dir = -1;
  cleanup_free char *whole = NULL;
  cleanup_free char *key = NULL;

  if (geteuid () != 0 || (dir = record_open_dir (STORE_DIR, true, &err)) < 0)
    return;
  key = store_key ();
  whole = xmalloc (strlen (key) + len + 1);
  memcpy (whole, key, strlen (key));
  memcpy (whole + strlen (key), text, len);
  /* A file that cannot be written only costs the next call the walks.  */
  ocg_ignore_result (record_write_bytes (dir, STORE_FILE, whole, strlen (key) + len, &err));
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
