/* SPDX-License-Identifier: GPL-2.0-or-later */
/* THE rule registry: one explicit, ordered array (no constructors, no linker sections), like
 * crun's commands[] and bubblewrap's NsInfo.
 *
 * Owns: which rules exist and the order they are checked and rewritten in.  Must not: contain
 * rule logic.  Order matters for rewrites only: `privileged` first (its rewrite turns a
 * privileged container into a default one, which the later rules then finish), `capabilities`
 * before `seccomp` (the injected seccomp profile is specialised for the FINAL capability set, as
 * moby's seccomp loader does with the bounding set).  Adding a rule = one line here, one line in
 * policy/rules/local.am, one action per built-in profile in policy.c.  */
#include <config.h>

#include "engine.h"
#include "util.h"

/* Every rule id of the catalogue is declared here once, so registering a rule is ONE line in the
 * array below (an extern that nothing references needs no definition).  */
extern const struct rule rule_privileged;
extern const struct rule rule_capabilities;
extern const struct rule rule_host_namespaces;
extern const struct rule rule_rootfs;
extern const struct rule rule_sensitive_mounts;
extern const struct rule rule_mount_propagation;
extern const struct rule rule_masked_paths;
extern const struct rule rule_devices;
extern const struct rule rule_sysctls;
extern const struct rule rule_hooks;
extern const struct rule rule_annotations;
extern const struct rule rule_resource_limits;
extern const struct rule rule_oom_score_adj;
extern const struct rule rule_apparmor;
extern const struct rule rule_selinux;
extern const struct rule rule_seccomp;
extern const struct rule rule_no_new_privileges;
extern const struct rule rule_root_user;
extern const struct rule rule_readonly_rootfs;
extern const struct rule rule_sshd;
extern const struct rule rule_cgroup_parent;
extern const struct rule rule_restore;

/* Evaluation order.  Slots of rules that live in other families are kept in their place: add the
 * `&rule_x,` line where its comment is.  */
static const struct rule *const rules[] = {
  &rule_privileged,
  &rule_capabilities,
  &rule_host_namespaces,
  &rule_rootfs,
  &rule_sensitive_mounts,
  &rule_mount_propagation,
  &rule_masked_paths,
  &rule_devices,
  &rule_sysctls,
  &rule_hooks,
  &rule_annotations,
  &rule_resource_limits,
  &rule_oom_score_adj,
  &rule_apparmor,
  &rule_selinux,
  &rule_seccomp, /* after capabilities: specialised for the final capability set */
  &rule_no_new_privileges,
  &rule_root_user,
  &rule_readonly_rootfs,
  &rule_sshd,
  &rule_cgroup_parent,
  &rule_restore,
};

const struct rule *const *
rules_table (size_t *count)
{
  *count = ARRAY_SIZE (rules);
  return rules;
}

const struct rule *
rules_find (const char *id, size_t *index)
{
  for (size_t i = 0; i < ARRAY_SIZE (rules); i++)
    if (str_eq (rules[i]->id, id))
      {
        if (index != NULL)
          *index = i;
        return rules[i];
      }
  return NULL;
}
