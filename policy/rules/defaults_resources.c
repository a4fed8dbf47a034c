/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Default parameter data of the resource and host-interface rules (see defaults_resources.h for
 * the reasoning behind each value).
 *
 * Owns: the default lists and resources_defaults_fill().  Must not: read the policy file or the
 * host -- profiles and policy files override these in policy.c / policy_file.c.  */
#include <config.h>

#include <stdlib.h>

#include "defaults_resources.h"
#include "policy.h"
#include "util.h"

/* kubernetes/pod-security-admission policy/check_sysctls.go, baseline, Kubernetes 1.32.  */
const char *const resources_default_sysctl_allow[] = {
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
  NULL,
};

const char *const resources_default_hook_allow[] = {
  NULL,
};

/* spc_t is what podman / CRI-O give `label=disable` and privileged containers; unconfined_t is the
 * unconfined user domain.  Neither is confined by the container policy.  */
const char *const resources_default_selinux_forbidden_types[] = {
  "spc_t",
  "unconfined_t",
  NULL,
};

void
resources_defaults_fill (struct policy_params *params)
{
  params->memory_default = RESOURCES_DEFAULT_MEMORY;
  params->memory_max = RESOURCES_DEFAULT_MEMORY_MAX;
  params->pids_default = RESOURCES_DEFAULT_PIDS;
  params->pids_max = RESOURCES_DEFAULT_PIDS_MAX;
  params->cpu_shares_default = RESOURCES_DEFAULT_CPU_SHARES;
  params->nofile_default = RESOURCES_DEFAULT_NOFILE;
  params->nproc_default = RESOURCES_DEFAULT_NPROC;
  params->oom_score_adj_floor = RESOURCES_DEFAULT_OOM_SCORE_ADJ_FLOOR;
  params->hook_allow_docker_setkey = RESOURCES_DEFAULT_HOOK_ALLOW_DOCKER_SETKEY;

  strv_free (params->sysctl_allow);
  params->sysctl_allow = strv_dup (resources_default_sysctl_allow);
  strv_free (params->hook_allow);
  params->hook_allow = strv_dup (resources_default_hook_allow);
  strv_free (params->selinux_forbidden_types);
  params->selinux_forbidden_types = strv_dup (resources_default_selinux_forbidden_types);
  free (params->apparmor_default);
  params->apparmor_default = xstrdup (RESOURCES_DEFAULT_APPARMOR);
}
