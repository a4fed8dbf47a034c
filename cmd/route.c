/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a runtime route lands (see route.h).  */
#include <config.h>

#include "hostproc.h"
#include "route.h"
#include "util.h"

void
route_release (struct route_target *t)
{
  free (t->path);
  t->path = NULL;
  binid_release (&t->id);
}

void
route_resolve (pid_t pid, const char *path_env, const char *binary, struct route_target *t)
{
  cleanup_close int fd = -1;
  dev_t dev;
  ino_t ino;

  memset (t, 0, sizeof (*t));
  t->id.kind = BINID_MISSING;
  if (binary == NULL || binary[0] == '\0')
    return;
  if (binary[0] == '/')
    {
      if (hostproc_stat_in_root (pid, binary, &dev, &ino))
        t->path = xstrdup (binary);
    }
  else if (strchr (binary, '/') == NULL)
    hostproc_lookpath (pid, path_env, binary, &t->path, &dev, &ino);
  if (t->path == NULL)
    return;
  fd = hostproc_open_in_root (pid, t->path);
  if (fd < 0)
    return;
  binid_classify_fd (fd, &t->id);
}

bool
route_is_ocigate (const struct route_target *t)
{
  return t->path != NULL && t->id.kind == BINID_SELF;
}

char *
route_describe (const struct route_target *t, const char *binary)
{
  cleanup_free char *what = NULL;

  if (t->path == NULL)
    return binary != NULL && binary[0] == '/'
               ? xasprintf ("`%s`, which does not exist", binary)
               : xasprintf ("no `%s` at all (not found on the PATH)", binary ? binary : "?");
  what = binid_describe (&t->id);
  return xasprintf ("%s (%s)", t->path, what);
}
