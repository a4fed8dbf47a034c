/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Remembered seccomp plans (see seccomp_plan_cache.h).  */
#include <config.h>

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "ocg-commit.h"
#include "record.h"
#include "seccomp_canon.h"
#include "seccomp_plan.h"
#include "seccomp_plan_cache.h"
#include "util.h"

#define CACHE_DIR "seccomp-plans"
/* The cache is bounded, on a tmpfs, whatever documents come: at most CACHE_SLOTS entries (a new
 * entry replaces whatever held its slot) of at most CACHE_MAX_BYTES each, 64 MiB in all.  The
 * entry of Docker's default config is 6 KiB, one with a policy profile named by path (whose whole
 * tree is in the key) about 25 KiB; a larger one is not kept, its plan is computed each time.  */
#define CACHE_SLOTS 1024
#define CACHE_MAX_BYTES (64u << 10)

/* The GNU build ID in the PT_NOTE segment `ph` of the program: its bytes as hex, or NULL.  */
static char *
note_build_id (const struct dl_phdr_info *info, const ElfW (Phdr) * ph)
{
  static const char hex[] = "0123456789abcdef";
  size_t align = ph->p_align == 8 ? 8 : 4;
  const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;

  while ((size_t)(end - p) >= sizeof (ElfW (Nhdr)))
    {
      const ElfW (Nhdr) *n = (const void *)p;
      const char *name = p + sizeof (*n);
      const unsigned char *desc
          = (const unsigned char *)name + ((n->n_namesz + align - 1) & ~(align - 1));
      char *out;

      if ((const char *)desc + n->n_descsz > end)
        return NULL;
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp (name, "GNU", 4) == 0
          && n->n_descsz > 0)
        {
          out = xmalloc (2 * n->n_descsz + 1);
          for (size_t i = 0; i < n->n_descsz; i++)
            out[2 * i] = hex[desc[i] >> 4], out[2 * i + 1] = hex[desc[i] & 15];
          out[2 * n->n_descsz] = '\0';
          return out;
        }
      p = (const char *)desc + ((n->n_descsz + align - 1) & ~(align - 1));
    }
  return NULL;
}

/* dl_iterate_phdr's first object is the program itself: its build ID in *data.  */
static int
program_build_id (struct dl_phdr_info *info, size_t size, void *data)
{
  (void)size;
  for (size_t i = 0; i < info->dlpi_phnum && *(char **)data == NULL; i++)
    if (info->dlpi_phdr[i].p_type == PT_NOTE)
      *(char **)data = note_build_id (info, &info->dlpi_phdr[i]);
  return 1;
}

/* The binary's identity, the entry's first item: "" when it cannot be read (then nothing is
 * remembered or trusted).  Once per process.  The linker's build ID is a hash of the program's
 * contents, read from memory without a system call; a binary without one is named by the file
 * /proc/self/exe opens, the one running (valgrind answers stat(2) of that name with its own tool's
 * file, an open(2) of it with the program's).  */
static const char *
binary_identity (void)
{
  static char *id;
  cleanup_free char *build_id = NULL;
  cleanup_close int fd = -1;
  struct stat exe;

  if (id != NULL)
    return id;
  dl_iterate_phdr (program_build_id, &build_id);
  if (build_id != NULL)
    return id = xasprintf ("ocigate seccomp plan cache 1 ocigate %s %s build-id %s",
                           PACKAGE_VERSION, OCG_COMMIT, build_id);
  fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &exe) < 0)
    return id = xstrdup ("");
  return id = xasprintf ("ocigate seccomp plan cache 1 ocigate %s %s %llu %llu %lld %lld.%09ld "
                         "%lld.%09ld",
                         PACKAGE_VERSION, OCG_COMMIT, (unsigned long long)exe.st_dev,
                         (unsigned long long)exe.st_ino, (long long)exe.st_size,
                         (long long)exe.st_mtim.tv_sec, exe.st_mtim.tv_nsec,
                         (long long)exe.st_ctim.tv_sec, exe.st_ctim.tv_nsec);
}

/* The entry's head: the binary, then the key whole.  */
static void
entry_head (struct canon *c, const char *key, size_t key_len)
{
  canon_str (c, 'B', binary_identity ());
  canon_bytes (c, 'K', key, key_len);
}

/* Where the entry of the head lies: its slot, a 64-bit hash of it (FNV-1a's multiply over 8-byte
 * words: a key is about 6 KiB, byte by byte would cost 25 k instructions) modulo CACHE_SLOTS, in
 * hex.  Not a digest: the entry holds the head whole and is compared with it.  */
static void
entry_name (const struct canon *head, char name[4])
{
  static const char hex[] = "0123456789abcdef";
  uint64_t h = 14695981039346656037ull;
  size_t i = 0;

  for (; i + 8 <= head->len; i += 8)
    {
      uint64_t w;
      memcpy (&w, head->buf + i, sizeof (w));
      h = (h ^ w) * 1099511628211ull;
      h ^= h >> 29;
    }
  for (; i < head->len; i++)
    h = (h ^ (unsigned char)head->buf[i]) * 1099511628211ull;
  h %= CACHE_SLOTS;
  for (int k = 2; k >= 0; k--, h >>= 4)
    name[k] = hex[h & 15];
  name[3] = '\0';
}

/* Only root stores entries (no one else has a root-only place for them); reading needs no such
 * test: a caller that may not open the directory gets no entry, and one that may reads only what
 * root wrote (record_open_dir and entry_read check it).  */
static int
cache_dir (bool create)
{
  cleanup_error ocg_error_t err = NULL;

  return !create || geteuid () == 0 ? record_open_dir (CACHE_DIR, create, &err) : -1;
}

/* The text of the entry `name` in dir when it is root's alone, or NULL.  One read of the size
 * fstat gave and one byte more: a file that changed size meanwhile is not trusted.  */
static char *
entry_read (int dir, const char *name, size_t *len)
{
  cleanup_close int fd = openat (dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  cleanup_free char *text = NULL;
  struct stat st;
  ssize_t n;

  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_uid != 0
      || (st.st_mode & 022) != 0 || st.st_size > (off_t)CACHE_MAX_BYTES)
    return NULL;
  text = xmalloc ((size_t)st.st_size + 2);
  n = read (fd, text, (size_t)st.st_size + 1);
  if (n != (ssize_t)st.st_size)
    return NULL;
  text[n] = '\0';
  *len = (size_t)n;
  return steal_pointer (&text);
}

char *
seccomp_plan_cache_recall (const char *key, size_t key_len, size_t *len)
{
  struct canon head = { 0 };
  cleanup_close int dir = -1;
  cleanup_free char *text = NULL;
  char name[4];
  size_t n = 0;
  struct uncanon u;
  const char *value = NULL;
  char *out = NULL;

  if (binary_identity ()[0] == '\0' || (dir = cache_dir (false)) < 0)
    return NULL;
  entry_head (&head, key, key_len);
  entry_name (&head, name);
  text = entry_read (dir, name, &n);
  u = (struct uncanon){ text != NULL ? text + head.len : NULL, text != NULL ? text + n : NULL };
  /* The head byte for byte, then the value with its length, then nothing.  */
  if (text != NULL && n >= head.len && memcmp (text, head.buf, head.len) == 0
      && uncanon_bytes (&u, 'W', &value, len) && u.p == u.end)
    {
      out = xmalloc (*len + 1);
      memcpy (out, value, *len);
      out[*len] = '\0';
    }
  canon_release (&head);
  return out;
}

void
seccomp_plan_cache_remember (const char *key, size_t key_len, const char *value, size_t len)
{
  cleanup_close int dir = -1;
  cleanup_error ocg_error_t err = NULL;
  struct canon entry = { 0 };
  char name[4];

  if (binary_identity ()[0] == '\0')
    return;
  entry_head (&entry, key, key_len);
  entry_name (&entry, name);
  canon_bytes (&entry, 'W', value, len);
  /* An entry that cannot be written only costs the next call the computation.  */
  if (entry.len <= CACHE_MAX_BYTES && (dir = cache_dir (true)) >= 0)
    ocg_ignore_result (record_write_bytes (dir, name, entry.buf, entry.len, &err));
  canon_release (&entry);
}

static const struct seccomp_plan_store store = {
  .recall = seccomp_plan_cache_recall,
  .remember = seccomp_plan_cache_remember,
};

void
seccomp_plan_cache_enable (void)
{
  seccomp_plan_store = &store;
}
