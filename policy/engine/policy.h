/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy in memory: global mode, profile, one action per rule, and the rules' parameters.
 *
 * Owns: the data model and the built-in profiles (baseline, restricted, privileged) that are used
 * when no policy file exists -- a supported configuration.  The file format and its loader live in
 * policy_file.c.  Must not: do I/O (apart from policy_file.c), know about argv.  */
#ifndef OCG_POLICY_H
#define OCG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

enum rule_action
{
  ACTION_OFF,
  ACTION_WARN,    /* report, change nothing, never deny */
  ACTION_REWRITE, /* fix what the rule can fix; what it cannot fix is denied */
  ACTION_DENY,    /* every finding denies */
};

enum policy_mode
{
  MODE_ENFORCE,
  MODE_AUDIT, /* evaluate and record everything, change nothing, always run */
};

/* A NULL-terminated list of malloc'd strings.  */
typedef char **strv_t;

struct policy_params
{
  /* capabilities */
  strv_t cap_allow; /* allowlist, e.g. Docker's 14 defaults */
  strv_t cap_deny;  /* always denied */
  /* sensitive-mounts */
  strv_t sensitive_paths;    /* host paths; a bind of one of these or of anything below */
  strv_t engine_sockets;     /* basenames of engine sockets: denied even via a parent dir */
  strv_t engine_owned_paths; /* glob patterns of per-container engine paths that are allowed */
  strv_t cri_runtime_roots;  /* runtime --root values of containerd's CRI plugin: only then are
                                io.kubernetes.cri.* annotations trusted in engine_owned_paths */
  strv_t crio_runtime_roots; /* runtime --root values CRI-O passes: only then are its
                                io.kubernetes.cri-o.* and io.kubernetes.pod.* annotations trusted */
  strv_t engine_binaries;    /* executables (glob patterns) of engine and node daemons: a socket
                                they listen on is never bound into a container */
  /* devices */
  strv_t device_allow; /* extra host device paths allowed (e.g. /dev/fuse) */
  /* resource-limits: 0 means "none configured" */
  int64_t memory_default; /* bytes */
  int64_t memory_max;
  int64_t pids_default;
  int64_t pids_max;
  uint64_t cpu_shares_default;
  uint64_t nofile_default; /* RLIMIT_NOFILE soft = hard */
  uint64_t nproc_default;
  bool limits_mandatory; /* deny, rather than note, a limit the runtime cannot set (rootless) */
  /* oom-score-adj */
  int oom_score_adj_floor;
  /* sysctls */
  strv_t sysctl_allow;
  /* hooks: each entry is "PATH-GLOB [ARGV-GLOB...]" */
  strv_t hook_allow;
  bool hook_allow_docker_setkey; /* dockerd's libnetwork-setkey prestart hook */
  /* annotations: fnmatch(3) patterns of runtime-read keys (run.oci.*, ...) that are allowed */
  strv_t annotation_allow;
  /* seccomp */
  const char *seccomp_profile_name;  /* "default" or "strict" (embedded), or a file path */
  struct json_node *seccomp_profile; /* the Docker-format profile, loaded */
  char *seccomp_profile_error;       /* why the embedded one did not load (with it NULL) */
  /* LSMs */
  char *apparmor_default;         /* e.g. "docker-default" */
  strv_t selinux_forbidden_types; /* spc_t, unconfined_t, ... */
  /* cgroup-parent */
  strv_t cgroup_parents; /* allowed cgroupsPath prefixes */
};

struct policy
{
  char *name; /* profile name shown in messages: "baseline" */
  enum policy_mode mode;
  char *runtime;             /* real runtime path from the policy file, or NULL */
  char *audit_log;           /* audit destination, or NULL for the default */
  enum rule_action *actions; /* indexed like rules_table() */
  struct policy_params params;
};

/* Build one of the built-in profiles ("baseline", "restricted", "privileged").  Returns NULL for
 * an unknown name.  */
struct policy *policy_builtin (const char *profile);
void policy_free (struct policy *policy);
void policy_freep (struct policy **policy);
#define cleanup_policy __attribute__ ((cleanup (policy_freep)))

const char *policy_action_name (enum rule_action action);
bool policy_action_parse (const char *name, enum rule_action *out);

/* ---- Exemptions: named grants of other rule actions to the containers they match.  Parsed from
 * the policy file and applied by policy_file_exempt.c (see policy_file.h for the trust model).  */

/* The annotation `key` is present and its value matches the fnmatch(3) pattern `pattern`.  */
struct policy_annotation_match
{
  char *key;
  char *pattern;
};

/* Rule `rule` (an index into rules_table()) gets `action` in matching containers.  */
struct policy_grant
{
  size_t rule;
  enum rule_action action;
};

/* Every condition given must hold (an absent condition holds); within a list, any entry may.  */
struct policy_exemption
{
  char *name;
  struct policy_annotation_match *annotations; /* all must match */
  size_t n_annotations;
  strv_t profiles;      /* the profile selected for the invocation is one of these; NULL: any */
  strv_t container_ids; /* the container id matches one of these fnmatch(3) patterns; NULL: any */
  struct policy_grant *grants;
  size_t n_grants;
};

struct policy_exemptions
{
  strv_t engine_set_annotations;  /* the only annotation keys an exemption may match on */
  struct policy_exemption *items; /* sorted by name */
  size_t n;
};

#endif
