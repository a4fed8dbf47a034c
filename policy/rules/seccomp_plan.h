/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the seccomp rule (hardening.c) does with a document's seccomp object -- its plan --
 * computed, remembered within the process and, through a store the caller hands in, across
 * calls.
 *
 * The plan is a function of: the document's `linux.seccomp` object, its bounding set, the
 * policy's profile, the rule's parameter native_arch_only, the native architecture, the running
 * kernel's version and whether unprivileged users may create user namespaces -- and of the code
 * that computes it.  Its key (seccomp_plan_key) is the canonical encoding (seccomp_canon.h) of
 * all of these but the code; the store adds the identity of the binary.  A remembered plan is
 * used only when its key equals this call's byte for byte: no digest stands in for an input, so
 * no collision can hand one document another's plan.
 *
 * Owns: the plan, its key and its stored form, the within-process memo (kept with the policy's
 * profile parameter).  Must not: do I/O (the store is the caller's: shim/seccomp_plan_cache.c).  */
#ifndef OCG_SECCOMP_PLAN_H
#define OCG_SECCOMP_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "seccomp.h"
#include "seccomp_canon.h"

/* The seccomp rule's parameters (policy file `rules.seccomp`).  */
struct seccomp_rule_params
{
  struct param_seccomp profile; /* the policy's profile, loaded by the policy */
  bool native_arch_only;        /* inject it for the native architecture alone */
};

/* What the rule does with a document's seccomp object.  */
struct seccomp_plan
{
  const struct json_node *current;    /* the container's own, or NULL */
  bool confines;                      /* current is restrictive (seccomp_is_restrictive) */
  struct seccomp_merge_result merged; /* .oci NULL: leave the document as it is */
  char *refused;                      /* why no merged object can keep the container's own */
};

/* The plan for spec under ctx (the seccomp rule's): from the memo, the store or computed.  */
OCG_MUST_CHECK
int seccomp_plan_make (const struct rule_ctx *ctx, const struct spec *spec,
                       struct seccomp_plan *plan, ocg_error_t *err);
void seccomp_plan_release (struct seccomp_plan *plan);

/* The key of spec's plan under ctx, appended to *key; false when the policy's profile is not
 * loaded (no plan is remembered for it: computing one fails and says why).  */
bool seccomp_plan_key (const struct rule_ctx *ctx, const struct spec *spec, struct canon *key);

/* Plans remembered across calls.  recall: the value stored under exactly key[0..key_len),
 * malloc'd and NUL-terminated, or NULL; remember: store one (errors ignored).  */
struct seccomp_plan_store
{
  char *(*recall) (const char *key, size_t key_len, size_t *len);
  void (*remember) (const char *key, size_t key_len, const char *value, size_t len);
};
/* NULL (the default): plans are only remembered within the process.  */
extern const struct seccomp_plan_store *seccomp_plan_store;

/* A plan's stored form and back (false when value is not one: the plan is then computed).  */
void seccomp_plan_encode (const struct seccomp_plan *plan, struct canon *value);
bool seccomp_plan_decode (const char *value, size_t len, struct seccomp_plan *plan);

#endif
