/* SPDX-License-Identifier: GPL-2.0-or-later */
/* THE rule registry: one explicit, ordered array (no constructors, no linker sections), like
 * crun's commands[] and bubblewrap's NsInfo.
 *
 * Owns: which rules exist and the order they are checked and rewritten in.  Must not: contain
 * rule logic.  Order matters for rewrites only: `privileged` first (its rewrite turns a
 * privileged container into a default one, which the later rules then finish), `capabilities`
 * before `seccomp` (the injected seccomp profile is specialised for the FINAL capability set, as
 * moby's seccomp loader does with the bounding set).  Adding a rule: HACKING.md, "Adding a rule"
 * (one line here).  */
#include <config.h>

#include "engine.h"
#include "util.h"

/* Evaluation order, one line per rule: `R (x)` registers `const struct rule rule_x`, which the
 * rule's own file defines.  */
#define RULES(R)                                                                                   \
  R (privileged)                                                                                   \
  R (capabilities)                                                                                 \
  R (host_namespaces)                                                                              \
  R (rootfs)                                                                                       \
  R (sensitive_mounts)                                                                             \
  R (mount_propagation)                                                                            \
  R (masked_paths)                                                                                 \
  R (devices)                                                                                      \
  R (sysctls)                                                                                      \
  R (hooks)                                                                                        \
  R (annotations)                                                                                  \
  R (resource_limits)                                                                              \
  R (oom_score_adj)                                                                                \
  R (apparmor)                                                                                     \
  R (selinux)                                                                                      \
  R (seccomp) /* after capabilities: specialised for the final capability set */                   \
  R (no_new_privileges)                                                                            \
  R (root_user)                                                                                    \
  R (readonly_rootfs)                                                                              \
  R (sshd)                                                                                         \
  R (cgroup_parent)                                                                                \
  R (restore)

#define RULE_DECLARE(x) extern const struct rule rule_##x;
#define RULE_ENTRY(x) &rule_##x,

RULES (RULE_DECLARE)

static const struct rule *const rules[] = { RULES (RULE_ENTRY) };

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
