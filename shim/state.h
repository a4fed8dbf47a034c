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
#include "spec.h"

/* runc's rule for container ids (libcontainer validateID in 1.1.5: `^[\w+-\.]+$`, where `+-\.` is
 * the range from `+` to `.` and so admits `,` too, and not `.` or `..`): the only ids a state or
 * record path is ever built from.  */
bool state_valid_id (const char *id);

/* The runtime's state directory for this call: --root, or runc's and crun's own default.  */
const char *state_root (const struct runc_invocation *inv, const struct runtime *rt);

/* Whether the runtime keeps state for inv's container: 1 yes, 0 no (its <root>/<id> does not
 * exist: the runtime will answer "container does not exist"), -1 cannot tell (an id runc would
 * refuse, or a rootless call without --root).  */
int state_container_present (const struct runc_invocation *inv, const struct runtime *rt);

/* runc's cgroup paths of the container (state.json `cgroup_paths`: controller -> absolute path),
 * or NULL.  */
struct json_node *state_runc_cgroup_paths (const struct runc_invocation *inv,
                                           const struct runtime *rt);

/* The container's annotations as a JSON object (malloc'd tree; empty when it has none), or NULL
 * with *err saying why they could not be read: a state file that is missing or not root's
 * alone, an id runc would refuse, a rootless call without --root.  */
OCG_MUST_CHECK
struct json_node *state_annotations (const struct runc_invocation *inv, const struct runtime *rt,
                                     ocg_error_t *err);

/* The config `exec` without --process starts from, loaded like a create's config.json: runc loads
 * <bundle>/config.json again (exec.go getProcess, the bundle from its state's "bundle=" label);
 * crun uses the copy it saved at create (<root>/<id>/config.json).  *bundle gets the bundle
 * directory (crun's from its status file; malloc'd, NULL when unknown), the create's fact for
 * rules that resolve paths against it (struct call).  */
OCG_MUST_CHECK
struct spec *state_exec_config (const struct runc_invocation *inv, const struct runtime *rt,
                                char **bundle, ocg_error_t *err);

#endif
