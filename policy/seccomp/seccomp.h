/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp profiles: Docker-format profiles turned into the OCI `linux.seccomp` object, checked
 * against libseccomp, and judged "restrictive" or not.
 *
 * Owns: the conditional-rule semantics of Docker-format profiles (archMap, includes, excludes),
 * the architecture name tables, profile validation with libseccomp, the embedded copies of
 * seccomp-profiles/default.json and strict.json.
 * Must not: decide policy (the seccomp rule in policy/rules/ does), touch a bundle, load a filter
 * into the kernel.  */
#ifndef OCG_SECCOMP_H
#define OCG_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "json.h"

/* One architecture under its three names: the OCI/libseccomp constant ("SCMP_ARCH_X86_64"),
 * moby's name used in includes/excludes `arches` ("amd64"), and libseccomp's token.  */
struct seccomp_arch
{
  const char *oci;
  const char *moby;
  uint32_t token;
  bool runc_knows; /* runc 1.1.5 libcontainer/seccomp/config.go `archs` lists it */
};

/* Lookups in the table; NULL when unknown.  */
const struct seccomp_arch *seccomp_arch_by_oci (const char *oci_name);
const struct seccomp_arch *seccomp_arch_by_token (uint32_t token);

/* Turn a Docker-format profile (moby profiles/seccomp: defaultAction, defaultErrnoRet, archMap,
 * syscalls[] with includes/excludes) into the OCI `linux.seccomp` object for one container, the
 * way moby's setupSeccomp does:
 *  - a group is kept when every `includes` condition holds (native arch listed in `arches`, ALL
 *    `caps` present, running kernel >= `minKernel`) and no `excludes` condition holds (native arch
 *    listed, ANY of the `caps` present, running kernel >= `minKernel`);
 *  - `architectures` = the archMap entry of native_arch (a SCMP_ARCH_* token) and its
 *    sub-architectures; a profile with an archMap but no entry for native_arch is an error
 *    (moby would silently filter the native architecture only);
 *  - output keys are the OCI ones: defaultAction, defaultErrnoRet, architectures, flags,
 *    listenerPath, listenerMetadata, syscalls[{names, action, errnoRet, args}].
 * caps: the container's FINAL bounding set (moby matches process.capabilities.bounding), after
 * the capability policy ran.  Keys that Go would match only case-insensitively are refused.
 * Returns a new tree owned by the caller, or NULL.  */
OCG_MUST_CHECK
struct json_node *seccomp_specialise (const struct json_node *profile, const char *const *caps,
                                      size_t n_caps, uint32_t native_arch, unsigned kernel_major,
                                      unsigned kernel_minor, ocg_error_t *err);

/* Validate a Docker-format or OCI-format profile as runc 1.1.5 and crun 1.8.1 would read it:
 * actions, operators, errno values, architectures; every syscall name resolves in libseccomp for
 * every listed architecture; the filter compiles (seccomp_init/arch_add/rule_add_array/
 * export_bpf) and fits the kernel's 4096-instruction limit.  A Docker-format profile is compiled
 * once per archMap entry and per capability set (none, each capability it names, all of them).
 * Problems and notes go to `report` (one line each; NULL to discard).  Returns 0 when valid, -1
 * when invalid or on error (err says which).  */
OCG_MUST_CHECK
int seccomp_check_profile (const struct json_node *profile, FILE *report, ocg_error_t *err);

/* Read and parse `path` (at most 4 MiB, no symlink as last component) and check it.  */
OCG_MUST_CHECK
int seccomp_check_file (const char *path, FILE *report, ocg_error_t *err);

/* Is an OCI `linux.seccomp` object a real confinement?  True iff
 *  1. defaultAction denies: SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD,
 *     SCMP_ACT_KILL_PROCESS or SCMP_ACT_TRAP (not ALLOW, LOG, NOTIFY, or TRACE, which a process
 *     in the container can satisfy by tracing its own child), and
 *  2. no rule with a non-denying action names a syscall of the escape set: kexec_load,
 *     kexec_file_load, init_module, finit_module, delete_module, open_by_handle_at, bpf,
 *     perf_event_open, userfaultfd, add_key, request_key.
 * A defaultAction ALLOW profile with a deny list is never restrictive.  See
 * seccomp-profiles/README.md for why the set is exactly this.  NULL is not restrictive.  */
bool seccomp_is_restrictive (const struct json_node *oci_seccomp);

/* Merge a container's own OCI `linux.seccomp` object with the policy's specialised one
 * (seccomp_specialise's output) into an object that answers every system call at least as
 * strictly as each of them, for runc 1.1.5 and crun 1.8.1 (seccomp_merge.c explains how each
 * syscall is read and combined):
 *  - only == NULL: the whole filter.  The result is the policy's object with the stricter default
 *    action, the architectures both list (plus the native one), the container's flags and
 *    listener, and, for every syscall either names, the stricter answer of the two;
 *  - only != NULL (NULL-terminated names): the container's object with just those syscalls
 *    given the stricter answer; an answer of the same strength (another errno) stays the
 *    container's.
 * Returns -1 when an object is not one the runtimes would build, or when the two cannot be
 * combined without loosening one of them (conditional rules of several actions on both sides):
 * err names the syscall.  */
struct seccomp_merge_result
{
  struct json_node *oci; /* the merged object */
  char **tightened;      /* NULL-terminated: syscalls answered more strictly than by `own` (another
                            action, or conditions where it had one answer) */
  bool changed; /* the merged object differs in effect from `own` (an answer, the default, an
                   architecture or a flag); false means `own` already is the merge */
};
OCG_MUST_CHECK
int seccomp_merge_oci (const struct json_node *own, const struct json_node *policy,
                       const char *const *only, uint32_t native_arch,
                       struct seccomp_merge_result *res, ocg_error_t *err);
/* seccomp_merge_oci for a caller that uses the merged object only when it changed: res->oci may
 * be left NULL when res->changed is false.  */
int seccomp_merge_oci_changed (const struct json_node *own, const struct json_node *policy,
                               const char *const *only, uint32_t native_arch,
                               struct seccomp_merge_result *res, ocg_error_t *err);
void seccomp_merge_result_release (struct seccomp_merge_result *res);

/* The classic BPF program a runtime would load for an OCI `linux.seccomp` object on this host:
 * built with libseccomp exactly as seccomp_check does (rules equal to the default skipped, names
 * resolved for the native architecture, a repeated argument split into OR'ed rules), without
 * runc's ENOSYS stub for syscalls newer than libseccomp (patchbpf).  Returns the struct
 * sock_filter array (malloc'd, *len bytes), or NULL when the object is invalid or libseccomp
 * refuses it.  */
OCG_MUST_CHECK
void *seccomp_bpf_export (const struct json_node *oci, size_t *len, ocg_error_t *err);

/* The embedded copy of seccomp-profiles/<name>.json ("default" or "strict"): NUL-terminated
 * static bytes (length in *len when len != NULL), or NULL for an unknown name.  */
const char *seccomp_embedded_profile (const char *name, size_t *len);
/* The SHA-256 of those bytes in lowercase hex, computed when the binary was built; NULL for an
 * unknown name.  */
const char *seccomp_embedded_sha256 (const char *name);

/* Parse the embedded profile `name`.  Returns a new tree or NULL.  */
OCG_MUST_CHECK
struct json_node *seccomp_load_embedded (const char *name, ocg_error_t *err);

/* The running kernel's version as moby reads it ("%d.%d" of uname's release).  */
OCG_MUST_CHECK
int seccomp_host_kernel (unsigned *major, unsigned *minor, ocg_error_t *err);

#endif
