/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policed verbs: create, run, exec, update.
 *
 * Owns: locating the document runc will read for this argv, judging it with the engine, writing
 * the rewrite back, recording the decision, and the final hand-over to the runtime.
 * Must not: parse argv (argv.c) or contain rule logic (policy/).  */
#ifndef OCG_POLICE_H
#define OCG_POLICE_H

#include "argv.h"
#include "runtime.h"

enum police_status
{
  POLICE_EXEC = 0,   /* allowed: exec the runtime */
  POLICE_DENIED = 1, /* denied by policy: exit 1 */
  POLICE_ERROR = 2,  /* internal error: exit 2 */
};

/* Settings that do not come from runc's argv: the profile chosen by the invoked name.  */
struct police_settings
{
  const char *profile; /* --ocigate-profile, else from argv[0] "ocigate-<profile>", else NULL */
};

/* Judge the invocation.  On POLICE_EXEC the document on disk (or the stdin bytes) is exactly what
 * was judged and the caller execs.  On DENIED/ERROR the reason has been reported already.  */
enum police_status police_invocation (const struct runc_invocation *inv,
                                      const struct police_settings *settings,
                                      const struct runtime *rt);

/* `ocigate [--ocigate-profile P] check BUNDLE|FILE`: judge without running anything and print
 * the decision record (verdict, findings, the JSON Patch a run would apply) to stdout.  Returns
 * the exit status: 0 allowed (maybe with rewrites), 1 denied, 2 error.  */
int police_check_command (const struct runc_invocation *inv, int argc, char **argv,
                          const struct police_settings *settings);

#endif
