/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the rule families: where the process object lives, capability names as the
 * runtimes read them, the engines' default hardening lists, small string-array edits.
 *
 * Owns: facts several rules must agree on (a capability name granted by one rule must be the
 * same capability to the next).  Must not: do I/O (host facts come through struct host_facts),
 * decide policy.  */
#ifndef OCG_RULEUTIL_H
#define OCG_RULEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* The process object: "/process" in config.json, the root ("") of an `exec --process` file.  */
const char *ruleutil_process_base (const struct spec *spec);
/* ruleutil_process_base() + suffix ("/capabilities/bounding"), malloc'd.  */
char *ruleutil_process_ptr (const struct spec *spec, const char *suffix);

enum ruleutil_capset
{
  RULEUTIL_CAP_BOUNDING,
  RULEUTIL_CAP_EFFECTIVE,
  RULEUTIL_CAP_PERMITTED,
  RULEUTIL_CAP_INHERITABLE,
  RULEUTIL_CAP_AMBIENT,
  RULEUTIL_CAPSET_COUNT,
};

/* "bounding", "effective", ...: the runtime-spec member names.  */
const char *ruleutil_capset_name (enum ruleutil_capset set);

typedef uint64_t capmask_t;
#define CAPMASK(cap) ((capmask_t)1 << (cap))

/* Number of capabilities the running kernel knows (cap_last_cap + 1, at most 64).  */
unsigned ruleutil_caps_known (const struct host_facts *host);

/* The capability a runtime grants for `name`, or -1 when every runtime ignores it.  See
 * ruleutil.c for why this is libcap's reading (crun) rather than runc's stricter one.  */
int ruleutil_cap_parse (const struct host_facts *host, const char *name);

/* "CAP_SYS_ADMIN" (the spelling runc requires), malloc'd.  */
char *ruleutil_cap_name (unsigned cap);

/* Capabilities granted by one set of the document, or by all five together.  */
capmask_t ruleutil_caps_in_set (const struct spec *spec, const struct host_facts *host,
                                enum ruleutil_capset set);
capmask_t ruleutil_caps_granted (const struct spec *spec, const struct host_facts *host);
/* Capabilities named by a list (policy parameters); unknown names are skipped.  */
capmask_t ruleutil_caps_from_names (const struct host_facts *host, const char *const *names);
unsigned ruleutil_caps_count (capmask_t mask);
/* "`CAP_A`, `CAP_B`", malloc'd.  */
char *ruleutil_caps_describe (capmask_t mask);
/* Keep only the names of one capability set that grant a capability in `keep` (original
 * spelling and order); names every runtime ignores are dropped too.  An absent set stays absent.
 * Records nothing when nothing changes.  */
OCG_MUST_CHECK
int ruleutil_caps_filter (struct spec *spec, const struct host_facts *host,
                          enum ruleutil_capset set, capmask_t keep, ocg_error_t *err);

/* Docker's 14 default capabilities (moby oci/caps/defaults.go; containerd's default is the same
 * list), NULL-terminated: what `privileged`'s rewrite keeps, and the default of
 * `capabilities.allow`.  */
extern const char *const ruleutil_docker_default_caps[];
/* Default linux.maskedPaths / linux.readonlyPaths (containerd pkg/oci/spec.go, moby
 * oci/defaults.go; /sys/devices/virtual/powercap since moby 23 / containerd 1.6.18).  */
extern const char *const ruleutil_default_masked_paths[];
extern const char *const ruleutil_default_readonly_paths[];

/* Entries of `want` missing from the string array at `ptr`: a malloc'd vector of pointers into
 * `want` (free only the vector), NULL when nothing is missing; *n gets the count.  */
const char **ruleutil_missing_strings (const struct spec *spec, const char *ptr,
                                       const char *const *want, size_t *n);
/* Append items to the string array at ptr (created when missing).  */
OCG_MUST_CHECK
int ruleutil_append_strings (struct spec *spec, const char *ptr, const char *const *items, size_t n,
                             ocg_error_t *err);
/* A new JSON array of strings.  */
struct json_node *ruleutil_string_array (const char *const *items, size_t n);
/* "`a`, `b`", malloc'd.  */
char *ruleutil_join_quoted (const char *const *items, size_t n);

#endif
