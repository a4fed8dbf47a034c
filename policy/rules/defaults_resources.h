/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Default parameters of the resource and host-interface rules (resource-limits, oom-score-adj,
 * sysctls, hooks, apparmor, selinux) and why each value was chosen.
 *
 * policy.c fills struct policy_params from these with resources_defaults_fill().  The rules also
 * fall back to the lists below when a list parameter is NULL (not set by the profile or the policy
 * file); an explicitly empty list means "none".  Scalar parameters have no such fallback: 0 means
 * "none configured" (policy.h), so a profile that does not call resources_defaults_fill() gets no
 * injection at all.  */
#ifndef OCG_DEFAULTS_RESOURCES_H
#define OCG_DEFAULTS_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>

struct policy_params;

/* resource-limits (CIS Docker 1.6.0 5.11): injected when the memory limit is missing, 0 or -1.
 * 2 GiB leaves room for the JVMs and build containers that engines run without a limit, and
 * still stops one container from taking the whole host.  No maximum by default: explicit limits
 * are the operator's decision.  */
#define RESOURCES_DEFAULT_MEMORY ((int64_t)2 * 1024 * 1024 * 1024)
#define RESOURCES_DEFAULT_MEMORY_MAX ((int64_t)0)

/* resource-limits (CIS 5.29): the pids cgroup is the per-container fork-bomb guard.  4096 is
 * twice podman's default (2048) and far below the kernel's default pid_max (32768).  */
#define RESOURCES_DEFAULT_PIDS ((int64_t)4096)
#define RESOURCES_DEFAULT_PIDS_MAX ((int64_t)0)

/* resource-limits (CIS 5.12): the kernel's own default weight, made explicit.  Docker writes
 * `shares: 0` (= unset) when --cpu-shares is not given.  */
#define RESOURCES_DEFAULT_CPU_SHARES ((uint64_t)1024)

/* resource-limits (CIS 5.19): RLIMIT_NOFILE soft = hard = 1024, containerd's own base-spec value.
 * runc sets rlimits with setrlimit(2) in the container's init, which inherits the caller's limits:
 * raising a hard limit needs CAP_SYS_RESOURCE, and on hosts without it (this project's CI VM:
 * bounding set 000001fffeffffff) a value above the caller's hard limit makes runc fail with "error
 * setting rlimit type 7" -- podman's 1048576 does.  1024 is below the kernel's initial hard limit
 * (4096, INR_OPEN_MAX), so any caller that did not lower its own limit can set it.  */
#define RESOURCES_DEFAULT_NOFILE ((uint64_t)1024)

/* resource-limits: RLIMIT_NPROC is NOT injected by default (0).  The kernel counts it per real
 * uid across the host and every container sharing that uid (kernel/fork.c
 * is_rlimit_overlimit on the ucounts), and ignores it for uid 0: a fixed value either does
 * nothing (root containers) or couples unrelated containers and host services that run as the
 * same uid, and on small hosts it can exceed the caller's own hard limit (threads-max / 2),
 * which makes runc fail ("rlimit type 6").  The per-container pids limit above is the control
 * that works.  An operator who wants it sets `nproc_default` in the policy file.  */
#define RESOURCES_DEFAULT_NPROC ((uint64_t)0)

/* oom-score-adj: -999 lets the CRI pause container's -998 through (kubelet's sandbox value) and
 * stops a container from making itself unkillable (-1000 = OOM_SCORE_ADJ_MIN).  */
#define RESOURCES_DEFAULT_OOM_SCORE_ADJ_FLOOR (-999)

/* hooks: dockerd's own libnetwork-setkey prestart hook is allowed by default (every Docker
 * container with a network namespace has it).  */
#define RESOURCES_DEFAULT_HOOK_ALLOW_DOCKER_SETKEY true

/* apparmor: Docker's profile name; injected only when the host has it loaded.  */
#define RESOURCES_DEFAULT_APPARMOR "docker-default"

/* selinux: the labels container-selinux ships in its lxc_contexts (`process = ...`,
 * `file = ...`); a per-container MCS category pair is appended to the level.  */
#define RESOURCES_DEFAULT_SELINUX_PROCESS_LABEL "system_u:system_r:container_t:s0"
#define RESOURCES_DEFAULT_SELINUX_MOUNT_LABEL "system_u:object_r:container_file_t:s0"

/* sysctls `sysctl_allow`: the Pod Security Standards baseline "safe" list (as of Kubernetes
 * 1.32).  Namespaced net.* (private network namespace) and IPC sysctls (private IPC namespace)
 * are allowed in addition by the rule itself.  Entries are fnmatch(3) patterns on the dotted
 * name.  */
extern const char *const resources_default_sysctl_allow[];

/* hooks `hook_allow`: `PATH-GLOB [ARGV-GLOB...]`, empty by default.  */
extern const char *const resources_default_hook_allow[];

/* selinux `selinux_forbidden_types`: process types that are unconfined by design.  */
extern const char *const resources_default_selinux_forbidden_types[];

/* Fill the parameters above into *params (strings and lists are newly allocated; whatever the
 * fields held before is freed).  For policy.c's built-in profiles.  */
void resources_defaults_fill (struct policy_params *params);

#endif
