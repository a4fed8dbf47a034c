/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policed verbs: create, run, restore, exec, update.
 *
 * Owns: judging the document the runtime will read for this argv (document.h finds it), what
 * audit mode does where enforce would refuse, and recording the decision.
 * Must not: parse argv (argv.c), load the policy (the caller did, once), or contain rule logic
 * (policy/).  */
#ifndef OCG_POLICE_H
#define OCG_POLICE_H

#include "argv.h"
#include "policy_file.h"
#include "runtime.h"

enum police_status
{
  POLICE_EXEC = 0,   /* allowed: exec the runtime */
  POLICE_DENIED = 1, /* denied by policy: exit 1 */
  POLICE_ERROR = 2,  /* internal error: exit 2 */
};

/* What the caller settled before judging.  */
struct police_settings
{
  const char *profile;          /* the profile chosen by the invoked name "ocigate-<profile>" */
  const struct policy_file *pf; /* the policy files, loaded once (exemptions) */
  struct policy *policy;        /* the selected profile, mode applied; exemptions are added */
  const char *audit_path;       /* where the decision is recorded */
};

/* Judge the invocation.  On POLICE_EXEC the document on disk (or at its descriptor) is exactly
 * what was judged -- in audit mode, exactly what was given -- and the caller execs.  On
 * POLICE_DENIED *err holds the denial message users see (`docker run`, kubelet events), on
 * POLICE_ERROR the reason: the caller prints either.  exec and update aimed at a container the
 * runtime does not know return POLICE_EXEC without judging: the runtime says it does not exist.
 * In audit mode nothing is refused: a document or flag enforce could not judge is recorded with
 * verdict "error" and run.  */
OCG_MUST_CHECK
enum police_status police_invocation (const struct runc_invocation *inv,
                                      const struct police_settings *settings,
                                      const struct runtime *rt, ocg_error_t *err);

#endif
