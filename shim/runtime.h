/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding the real runtime and handing the process over to it.
 *
 * Owns: the runtime lookup order (--ocigate-runtime, OCIGATE_RUNTIME, the record of the runtime
 * that created the container, the policy file, a built-in list of absolute candidates), refusing
 * ourselves as a candidate (same st_dev/st_ino as /proc/self/exe), the loop guard, and the final
 * execve. Must not: consult $PATH -- Podman calls runtimes with an almost empty environment, and a
 * PATH lookup would let whoever controls PATH choose the runtime.  */
#ifndef OCG_RUNTIME_H
#define OCG_RUNTIME_H

#include <stdbool.h>

#include "err.h"

enum runtime_flavor
{
  RUNTIME_RUNC,
  RUNTIME_CRUN,
  RUNTIME_UNKNOWN,
};

struct runtime
{
  char *path; /* absolute */
  enum runtime_flavor flavor;
};

/* Environment variable that marks "this process was exec'd by ocigate".  Seeing it on entry means
 * the runtime we were given leads back to us (e.g. a wrapper script around ocigate installed as
 * the real runtime), so we stop instead of looping forever.  */
#define OCG_LOOP_GUARD_ENV "OCIGATE_LOOP_GUARD"

/* Where the runtime may come from, strongest first.  */
struct runtime_sources
{
  const char *explicit_path; /* --ocigate-runtime, or NULL */
  /* (OCIGATE_RUNTIME comes next, read from the environment.)  */
  const char *record;   /* the runtime that created the container (record.h), or NULL */
  const char *policy;   /* the policy files' `runtime`, or NULL */
  bool policy_may_fail; /* a pass-through verb: an unusable `runtime` from the policy falls
                         * back to the built-in list instead of failing the call */
};

/* Resolve the runtime: --ocigate-runtime, OCIGATE_RUNTIME, the record, the policy, the built-in
 * list.  A record whose runtime is no longer usable is passed over.  Fills *rt.  */
OCG_MUST_CHECK
int runtime_resolve (const struct runtime_sources *from, struct runtime *rt, ocg_error_t *err);

void runtime_release (struct runtime *rt);

/* The built-in list, in the order it is searched (README "Finding the real runtime").  */
const char *const *runtime_builtin_candidates (size_t *n);

/* Classify a runtime by its file name ("crun" anywhere in the basename -> crun).  */
enum runtime_flavor runtime_flavor_of (const char *path);

/* Replace this process with the runtime: argv[0] becomes rt->path, everything else is passed
 * byte for byte, the environment is ours plus the loop guard.  Returns only on failure.  */
int runtime_exec (const struct runtime *rt, char **argv, ocg_error_t *err);

#endif
