/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding the real runtime and handing the process over to it (see runtime.h).
 *
 * Owns: the lookup order, the "never ourselves" check, the loop guard and the execve.
 * Must not: consult $PATH, fork, or touch argv beyond argv[0].  */
#include <config.h>

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"
#include "util.h"

extern char **environ;

/* Absolute candidates, most specific first: a locally built runtime wins over the distribution's,
 * runc wins over crun (engines default to runc).  No PATH search: Podman spawns runtimes with an
 * almost empty environment, and PATH is not ours to trust when we run as root for every
 * container.  */
static const char *const builtin_candidates[] = {
  "/usr/local/sbin/runc", "/usr/local/bin/runc", "/usr/sbin/runc",      "/usr/bin/runc",
  "/sbin/runc",           "/bin/runc",           "/usr/local/bin/crun", "/usr/bin/crun",
  "/usr/sbin/crun",       "/bin/crun",
};

enum runtime_flavor
runtime_flavor_of (const char *path)
{
  const char *base = strrchr (path, '/');

  base = base ? base + 1 : path;
  if (strstr (base, "crun") != NULL)
    return RUNTIME_CRUN;
  if (strstr (base, "runc") != NULL)
    return RUNTIME_RUNC;
  return RUNTIME_UNKNOWN;
}

/* Same file as /proc/self/exe?  stat() follows symlinks, so a `runc -> ocigate` symlink, a hard
 * link or a bind mount of ocigate over /usr/sbin/runc all compare equal.  */
static bool
is_self (const struct stat *st)
{
  struct stat self;

  if (stat ("/proc/self/exe", &self) < 0)
    return false;
  return st->st_dev == self.st_dev && st->st_ino == self.st_ino;
}

static int
check_candidate (const char *path, ocg_error_t *err)
{
  struct stat st;

  if (path[0] != '/')
    return ocg_error_set (err, 0, "runtime `%s` is not an absolute path", path);
  if (stat (path, &st) < 0)
    return ocg_error_set (err, errno, "runtime `%s`", path);
  if (!S_ISREG (st.st_mode) || access (path, X_OK) < 0)
    return ocg_error_set (err, EACCES, "runtime `%s` is not an executable file", path);
  if (is_self (&st))
    return ocg_error_set (err, 0, "runtime `%s` is ocigate itself", path);
  return 0;
}

static int
use_path (const char *path, struct runtime *rt, ocg_error_t *err)
{
  if (check_candidate (path, err) < 0)
    return -1;
  rt->path = xstrdup (path);
  rt->flavor = runtime_flavor_of (path);
  return 0;
}

const char *const *
runtime_builtin_candidates (size_t *n)
{
  *n = ARRAY_SIZE (builtin_candidates);
  return builtin_candidates;
}

static int
search_builtin (struct runtime *rt, ocg_error_t *err)
{
  cleanup_free char *tried = xstrdup ("");

  for (size_t i = 0; i < ARRAY_SIZE (builtin_candidates); i++)
    {
      ocg_error_t ignored = NULL;
      char *more;

      if (use_path (builtin_candidates[i], rt, &ignored) == 0)
        return 0;
      ocg_error_free (&ignored);
      more = xasprintf ("%s%s%s", tried, i > 0 ? ", " : "", builtin_candidates[i]);
      free (tried);
      tried = more;
    }
  return ocg_error_set (err, ENOENT,
                        "no runtime found (looked for %s, skipping ocigate itself); set "
                        "--ocigate-runtime or OCIGATE_RUNTIME",
                        tried);
}

/* A source that may be unusable without failing the call.  */
static bool
try_path (const char *path, struct runtime *rt)
{
  cleanup_error ocg_error_t ignored = NULL;

  return path != NULL && use_path (path, rt, &ignored) == 0;
}

int
runtime_resolve (const struct runtime_sources *from, struct runtime *rt, ocg_error_t *err)
{
  const char *env = getenv ("OCIGATE_RUNTIME");

  rt->path = NULL;
  rt->flavor = RUNTIME_UNKNOWN;
  /* Seeing our own guard means the runtime we exec'd led back to ocigate: stop here instead of
   * exec'ing in a circle forever.  */
  if (getenv (OCG_LOOP_GUARD_ENV) != NULL)
    return ocg_error_set (err, ELOOP,
                          "runtime loop: ocigate was started by the runtime it exec'd (is the "
                          "configured runtime a wrapper around ocigate?)");
  if (from->explicit_path != NULL)
    return use_path (from->explicit_path, rt, err);
  if (env != NULL && env[0] != '\0')
    return use_path (env, rt, err);
  if (try_path (from->record, rt))
    return 0;
  if (from->policy != NULL && !from->policy_may_fail)
    return use_path (from->policy, rt, err);
  if (try_path (from->policy, rt))
    return 0;
  return search_builtin (rt, err);
}

void
runtime_release (struct runtime *rt)
{
  free (rt->path);
  rt->path = NULL;
}

/* environ plus the loop guard, which the runtime itself never reads.  */
static char **
env_with_guard (void)
{
  size_t n = 0;
  char **envp;

  while (environ != NULL && environ[n] != NULL)
    n++;
  envp = xreallocarray (NULL, n + 2, sizeof (char *));
  for (size_t i = 0; i < n; i++)
    envp[i] = environ[i];
  envp[n] = (char *)OCG_LOOP_GUARD_ENV "=1";
  envp[n + 1] = NULL;
  return envp;
}

int
runtime_exec (const struct runtime *rt, char **argv, ocg_error_t *err)
{
  cleanup_free char **envp = env_with_guard ();

  argv[0] = rt->path;
  execve (rt->path, argv, envp);
  return ocg_error_set (err, errno, "exec runtime `%s`", rt->path);
}
