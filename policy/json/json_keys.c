/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The keys of a JSON tree: the names of the OCI runtime spec's config.json (and of a seccomp
 * profile) shared from one static pool instead of a malloc'd copy each.
 *
 * Owns: json_key_new, json_key_dup, json_key_free, json_find_duplicate_key (json_bytes.h).
 * Must not: hand out a pool entry anywhere but as an object's key (a key is never written to).
 *
 * Why: a config.json repeats a few dozen names over and over (every mount has "destination",
 * "type", "source" and "options"; every device rule "allow", "type", "major", "minor",
 * "access"), and a malloc and its copy cost about 200 instructions a key: 1000 bind mounts
 * spent 0.9 M instructions on 4000 copies of the same four names.  A key that is in the pool is
 * the pool's; every other key is malloc'd as before.  Only json_key_free frees a key, and it
 * leaves the pool alone: a tree's owner never sees the difference.  */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "json.h"
#include "json_bytes.h"
#include "util.h"

/* The names, each NUL-terminated, in one array: a key is the pool's when it points into it.  */
static const char pool[] = "access\0action\0additionalGids\0allow\0ambient\0annotations\0"
                           "apparmorProfile\0architectures\0args\0blockIO\0bounding\0burst\0"
                           "capabilities\0cgroupsPath\0class\0classID\0closID\0commandLine\0"
                           "consoleSize\0containerID\0cpu\0cpus\0createContainer\0"
                           "createRuntime\0cwd\0defaultAction\0defaultErrnoRet\0destination\0"
                           "devices\0disableOOMKiller\0domain\0domainname\0effective\0env\0"
                           "errnoRet\0fileMode\0flags\0gid\0gidMappings\0hard\0height\0hooks\0"
                           "hostID\0hostname\0hugepageLimits\0includes\0excludes\0caps\0arches\0"
                           "minKernel\0inheritable\0intelRdt\0ioPriority\0kernel\0kernelTCP\0"
                           "leafWeight\0limit\0linux\0listenerMetadata\0listenerPath\0major\0"
                           "maskedPaths\0memory\0mems\0minor\0mountLabel\0mounts\0name\0names\0"
                           "namespaces\0network\0noNewPrivileges\0ociVersion\0oomScoreAdj\0op\0"
                           "options\0pageSize\0path\0period\0permitted\0personality\0pids\0"
                           "poststart\0poststop\0prestart\0priorities\0priority\0process\0quota\0"
                           "readonly\0readonlyPaths\0realtimePeriod\0realtimeRuntime\0"
                           "reservation\0resources\0rlimits\0root\0rootfsPropagation\0scheduler\0"
                           "seccomp\0selinuxLabel\0shares\0size\0soft\0source\0startContainer\0"
                           "subArchitectures\0swap\0swappiness\0syscalls\0sysctl\0terminal\0"
                           "timeout\0type\0uid\0uidMappings\0umask\0unified\0user\0username\0"
                           "value\0valueTwo\0weight\0weightDevice\0width\0index\0architecture\0"
                           "containerPath\0";

/* Open addressing over the pool's names, built on first use (about 140 names: a few thousand
 * instructions, against some 200 for each key it spares a malloc).  A slot holds an offset into
 * the pool plus one, 0 for empty.  */
#define SLOTS 512
static uint16_t slots[SLOTS];
static uint8_t slot_len[SLOTS]; /* the length of the name in the slot */
static bool slots_ready;

static size_t
key_hash (const char *s, size_t len)
{
  return (len * 131u + (unsigned char)s[0] * 31u + (unsigned char)s[len - 1] * 7u
          + (unsigned char)s[len / 2])
         & (SLOTS - 1);
}

static void
slots_build (void)
{
  for (size_t off = 0; off < sizeof (pool) - 1; off += strlen (pool + off) + 1)
    {
      size_t len = strlen (pool + off), h = key_hash (pool + off, len);

      while (slots[h] != 0 && strcmp (pool + slots[h] - 1, pool + off) != 0)
        h = (h + 1) & (SLOTS - 1);
      if (slots[h] == 0)
        slots[h] = (uint16_t)(off + 1), slot_len[h] = (uint8_t)len;
    }
  slots_ready = true;
}

/* The pool's copy of s[0..len), NULL when it has none.  */
static const char *
pool_find (const char *s, size_t len)
{
  size_t h;

  if (len == 0 || len > 24)
    return NULL;
  if (!slots_ready)
    slots_build ();
  for (h = key_hash (s, len); slots[h] != 0; h = (h + 1) & (SLOTS - 1))
    {
      const char *k = pool + slots[h] - 1;
      if (slot_len[h] == len && k[0] == s[0] && memcmp (k, s, len) == 0)
        return k;
    }
  return NULL;
}

static bool
in_pool (const char *key)
{
  return (uintptr_t)key - (uintptr_t)pool < sizeof (pool);
}

char *
json_key_new (const char *s, size_t len)
{
  const char *k = pool_find (s, len);

  /* A pool entry is never written to or freed (json_key_free): the cast only fits the type of
   * json_node.keys.  */
  return k != NULL ? (char *)k : xstrndup (s, len);
}

char *
json_key_dup (const char *key)
{
  return in_pool (key) ? (char *)key : json_key_new (key, strlen (key));
}

void
json_key_free (char *key)
{
  if (!in_pool (key))
    free (key);
}

struct key_ref
{
  const char *key;
  size_t index;
};

static int
key_ref_cmp (const void *a, const void *b)
{
  const struct key_ref *x = a, *y = b;
  int c = strcmp (x->key, y->key);
  return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* The index of the first member (in source order) whose key repeats an earlier one, or -1.
 * Sorting keeps this O(n log n) whatever the keys are; small objects are compared pairwise.  */
ssize_t
json_find_duplicate_key (const struct json_node *obj)
{
  cleanup_free struct key_ref *refs = NULL;
  ssize_t found = -1;

  if (obj->n <= 8)
    {
      for (size_t i = 1; i < obj->n; i++)
        for (size_t j = 0; j < i; j++)
          if (strcmp (obj->keys[i], obj->keys[j]) == 0)
            return (ssize_t)i;
      return -1;
    }
  refs = xreallocarray (NULL, obj->n, sizeof (*refs));
  for (size_t i = 0; i < obj->n; i++)
    refs[i] = (struct key_ref){ obj->keys[i], i };
  qsort (refs, obj->n, sizeof (*refs), key_ref_cmp);
  for (size_t i = 1; i < obj->n; i++)
    if (strcmp (refs[i - 1].key, refs[i].key) == 0 && (found < 0 || refs[i].index < (size_t)found))
      found = (ssize_t)refs[i].index;
  return found;
}
