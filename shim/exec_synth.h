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
struct spec *exec_synth_process (const struct runc_invocation *inv, const struct runtime *rt,
                                 const struct policy *policy, const struct host_facts *host,
                                 const char **basis, ocg_error_t *err);

/* The first --cgroup value that moves the process out of the container's own cgroup (NULL when
 * none does).  runc 1.1.5 (libcontainer/container_linux.go newSetnsProcess) only checks that the
 * joined path starts with the container's path as a string, so `../<sibling with the same
 * prefix>` passes; crun 1.8.1 (linux.c join_process_parent_helper) appends the value unchecked,
 * so `../..` reaches the root cgroup.  A value leaves when, read component by component, it ever
 * climbs above its start.  */
const char *exec_synth_cgroup_escape (const struct runc_invocation *inv, const struct runtime *rt);

#endif
