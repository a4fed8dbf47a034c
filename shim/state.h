/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the runtime recorded about an existing container.
 *
 * Owns: reading runc's <root>/<id>/state.json (or crun's <root>/<id>/config.json copy) for the
 * verbs that act on a running container (exec, update): its annotations and the process it runs.
 * Only files root wrote and nobody else can have are read; anything else reads as absent.
 * Must not: judge anything.  */
#ifndef OCG_STATE_H
#define OCG_STATE_H

#include "argv.h"
#include "err.h"
#include "json.h"
#include "runtime.h"

/* The container's annotations as a JSON object (malloc'd tree), or NULL.  */
struct json_node *state_annotations (const struct runc_invocation *inv, const struct runtime *rt);

/* The config.json `process` object the runtime will start for `exec` without --process, read
 * where that runtime reads it: runc loads <bundle>/config.json again (exec.go getProcess, the
 * bundle from its state's "bundle=" label); crun uses the copy it saved at create.  A malloc'd
 * tree, or NULL with *err set.  */
struct json_node *state_exec_process (const struct runc_invocation *inv, const struct runtime *rt,
                                      ocg_error_t *err);

#endif
