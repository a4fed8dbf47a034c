/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The process `exec` starts when it is given flags instead of a --process file, and the
 * sub-cgroup `exec --cgroup` moves it into.
 *
 * Owns: building that process exactly as each runtime does -- runc 1.1.5 (exec.go getProcess)
 * starts from the config's process and applies the flags on top; crun 1.8.1 (src/exec.c,
 * libcrun_container_exec_with_options) builds a new process from the flags alone and takes only
 * the environment, capabilities and LSM labels from the config -- and reading `--cgroup` as they
 * resolve it.  Must not: judge (the engine does), or change anything on disk.  */
#ifndef OCG_EXEC_SYNTH_H
#define OCG_EXEC_SYNTH_H

#include "argv.h"
#include "engine.h"
#include "err.h"
#include "runtime.h"
#include "spec.h"

/* The process as a SPEC_PROCESS spec, or NULL with *err set (also where the runtime would refuse
 * the flags).  With `policy` in audit mode the config is first rewritten as enforce's create
 * would have rewritten it, so that the decision is the one enforce would take; *basis then says
 * what the process was built from, for the audit record (a static string).  */
OCG_MUST_CHECK
struct spec *exec_synth_process (const struct runc_invocation *inv, const struct runtime *rt,
                                 const struct policy *policy, const struct host_facts *host,
                                 const char **basis, ocg_error_t *err);

/* The first --cgroup value that moves the process out of the container's own cgroup (NULL when
 * none does, or when the runtime refuses the values itself).  runc 1.1.5 (libcontainer/
 * container_linux.go newSetnsProcess) joins each value to the container's cgroup path and only
 * checks that the result starts with that path as a string: `..` is refused, but
 * `../<sibling with the same prefix>` passes.  crun 1.8.1 (linux.c join_process_parent_helper)
 * appends the last value unchecked, so `../..` reaches the root cgroup.  For runc the container's
 * paths come from its state.json (cgroup_paths); without them, a value that ever climbs above
 * its start is taken as leaving.  */
const char *exec_synth_cgroup_escape (const struct runc_invocation *inv, const struct runtime *rt);

/* The same decision with runc's cgroup_paths given (NULL: unknown), for tests.  */
const char *exec_synth_cgroup_escape_with (const struct argv_list *values, bool crun,
                                           const struct json_node *runc_paths);

#endif
