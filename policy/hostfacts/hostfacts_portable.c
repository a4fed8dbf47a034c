/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host facts of `ocigate check --portable` (see hostfacts.h, hostfacts_init_portable): the
 * config is judged on a machine that is not the node it will run on (a CI job), so nothing about
 * this machine may count -- its files, namespaces, daemons and LSMs are not the node's.
 *
 * Owns: the lexical canonical form of a host path, and the facts every node shares.
 * Must not: make a syscall about the host, or be used by the shim (which judges with the real
 * facts: a portable verdict allows what only the node could refuse).  */
#include <config.h>

#include <linux/capability.h>

#include "hostfacts.h"
#include "util.h"

/* Symlinks every distribution the engines run on has made since systemd's /run (Debian 7,
 * Fedora 15, Ubuntu 11.10: /var/run -> /run, /var/lock -> /run/lock): the sensitive-path and
 * engine-socket lists are written in their /run form (policy/rules/mounts.c), and a bind of
 * /var/run/docker.sock must still be the engine's socket.  */
static const char *const portable_links[][2] = {
  { "/var/run", "/run" },
  { "/var/lock", "/run/lock" },
};

/* Append component `name` (`len` bytes) to the absolute path `out` (a buffer of `cap` bytes that
 * holds `*n` of them), as the kernel would look it up: `.` stays, `..` climbs, a known link is
 * replaced by its target before the next component.  */
static void
portable_step (char *out, size_t *n, const char *name, size_t len)
{
  if (len == 0 || (len == 1 && name[0] == '.'))
    return;
  if (len == 2 && name[0] == '.' && name[1] == '.')
    {
      while (*n > 0 && out[*n - 1] != '/')
        (*n)--;
      if (*n > 0)
        (*n)--;
      out[*n] = '\0';
      return;
    }
  out[(*n)++] = '/';
  memcpy (out + *n, name, len);
  *n += len;
  out[*n] = '\0';
  for (size_t i = 0; i < ARRAY_SIZE (portable_links); i++)
    if (strcmp (out, portable_links[i][0]) == 0)
      {
        *n = strlen (portable_links[i][1]);
        memcpy (out, portable_links[i][1], *n + 1);
      }
}

/* The canonical form of an absolute path without asking the filesystem: `.`, `..` and `//`
 * removed component by component, and the links every node has followed.  A link only the node
 * has stays unresolved: the node canonicalises again when it judges.  */
static char *
portable_canonical_path (const struct host_facts *host, const char *path)
{
  /* A link target is at most as long as the name it replaces plus 5 bytes ("/run/lock").  */
  size_t cap = 2 * strlen (path ? path : "") + 16, n = 0;
  char *out;

  (void)host;
  if (path == NULL || path[0] != '/')
    return NULL;
  out = xzalloc (cap);
  for (const char *p = path; *p != '\0';)
    {
      const char *end = strchrnul (p + 1, '/');
      portable_step (out, &n, p[0] == '/' ? p + 1 : p, (size_t)(end - p) - (p[0] == '/'));
      p = end;
    }
  if (n == 0)
    memcpy (out, "/", 2);
  return out;
}

void
hostfacts_init_portable (struct host_facts *host)
{
  memset (host, 0, sizeof (*host));
  host->portable = true;
  /* The runtimes ignore a capability the node's kernel does not know; judge every capability
   * Linux has, so that none is overlooked (CAP_LAST_CAP of the kernel headers built against).  */
  host->cap_last_cap = CAP_LAST_CAP;
  host->canonical_path = portable_canonical_path;
}
