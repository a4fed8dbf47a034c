/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "At least as strict", field by field, for the property test that no rewrite loosens what a
 * container asked for (test_no_loosen.c).  strict_compare() lists every field on which the
 * document `after` a rewrite is weaker than `before`, as the runtimes read each field:
 *
 *  capabilities      every set of after is a subset of before's (absent = empty, as runc reads)
 *  noNewPrivileges   true stays true
 *  rlimits           every type before sets is still set, soft and hard each <= before's
 *  oomScoreAdj       when set before: still set and >= (more likely to be killed)
 *  apparmorProfile   a confining profile (enforce or kill mode on an AppArmor host; any name on
 *                    a host without AppArmor) stays as it is; `unconfined`, none, or a profile in
 *                    complain or unconfined mode may become anything
 *  selinuxLabel,     a label stays as it is
 *  mountLabel
 *  user              uid: unchanged, or root made 65534; gid: unchanged, or 0 or anything made
 *                    65534 (the kernel's overflow id, owning nothing); additionalGids: a subset;
 *                    umask: every bit of before's kept; username unchanged
 *  root              readonly true stays true; path unchanged
 *  maskedPaths,      a superset
 *  readonlyPaths
 *  seccomp           when before has one: after has one, libseccomp builds it, and on every probe
 *                    call it answers at least as strictly (bpf_emu_compare)
 *  resources         memory limit/swap/reservation/kernel/kernelTCP and pids limit: a limit
 *                    (> 0) before is still a limit and <= it; cpu shares <= before's when set;
 *                    a cpu quota before stays, its quota/period ratio <= before's; devices: every
 *                    (type, major, minor, access) the rules allow after, they allowed before
 *                    (rules in order, the last that matches decides, as runc's emulator does);
 *                    hugepage limits kept and <=; every other member unchanged
 *  devices           a subset of before's nodes
 *  namespaces        every type before has is still there, with the same path or a new one
 *  rootfsPropagation propagation no wider (shared > slave > private; absent is runc's rslave)
 *  mounts            same mounts in the same order; ro/nosuid/nodev/noexec as effective (the
 *                    last of each pair wins) never dropped; propagation no wider; every other
 *                    option unchanged
 *  sysctl, hooks,    a subset of before's (same values)
 *  annotations
 *  anything else     unchanged (args, env, cwd, hostname, cgroupsPath, ...)
 */
#ifndef OCG_STRICTNESS_H
#define OCG_STRICTNESS_H

#include <stddef.h>

#include "hostfacts.h"
#include "spec.h"

struct strict_report
{
  char **lines;
  size_t n;
};

/* Append one line per loosened field to r.  */
void strict_compare (const struct spec *before, const struct spec *after,
                     const struct host_facts *host, struct strict_report *r);
void strict_report_release (struct strict_report *r);

#endif
