/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The verbs that cannot loosen a container: start, state, kill, delete, pause, resume, ps,
 * events, checkpoint, list, features, spec, --version, help, and whatever else the runtime knows.
 *
 * Owns: reaching the runtime that created the container -- its record (record.h), else the
 * policy files' `runtime` read tolerantly (policy_peek.h), else the built-in list -- whatever
 * state the policy files are in, and saying when they are broken: one line on stderr (never on
 * the verbs whose output engines parse, see passthrough.c) and one audit record per version of
 * the files.  Must not: load the policy strictly, judge, or write to the engine's --log.  */
#ifndef OCG_PASSTHROUGH_H
#define OCG_PASSTHROUGH_H

#include "argv.h"
#include "err.h"
#include "runtime.h"

/* The runtime a call for inv would reach, without a record: for calls that name no container
 * (--version, list, `ocigate --ocigate-version`).  */
OCG_MUST_CHECK
int passthrough_runtime (const struct runc_invocation *inv, struct runtime *rt, ocg_error_t *err);

/* Exec the runtime for inv.  Returns only on failure, with *err set.  */
int passthrough_exec (struct runc_invocation *inv, ocg_error_t *err);

#endif
