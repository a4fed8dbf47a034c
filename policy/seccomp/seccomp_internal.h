/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the seccomp_*.c files only: the action/operator tables and the typed readers they
 * all use to read a profile the same way (seccomp.c), and the state of one `seccomp check` run.
 * Not part of the module's interface.  */
#ifndef OCG_SECCOMP_INTERNAL_H
#define OCG_SECCOMP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "json.h"

struct seccomp_action
{
  const char *name;
  bool denies;   /* the syscall does not run and nothing in the container can make it run */
  bool errno_ok; /* errnoRet allowed (SCMP_ACT_ERRNO, SCMP_ACT_TRACE) */
  /* Strictness: the kernel's precedence among the return values of stacked filters
   * (kernel/seccomp.c seccomp_run_filters keeps the lowest SECCOMP_RET_ACTION_FULL):
   * ALLOW 0 < LOG 1 < TRACE 2 < USER_NOTIF 3 < ERRNO 4 < TRAP 5 < KILL_THREAD 6 < KILL_PROCESS 7.
   * SCMP_ACT_KILL is KILL_THREAD to both runtimes.  */
  unsigned rank;
};

/* NULL for a name neither runc 1.1.5 nor crun 1.8.1 knows.  */
const struct seccomp_action *seccomp_action_lookup (const char *name);
bool seccomp_operator_known (const char *name);

/* "<base>[index]" or "<base>[index].key", malloc'd, for messages.  */
char *seccomp_where (const char *base, size_t index, const char *key);

/* Refuse keys Go would fold onto a known member name (see seccomp.c).  known ends with NULL.  */
OCG_MUST_CHECK
int seccomp_keys_exact (const struct json_node *obj, const char *const *known, const char *where,
                        ocg_error_t *err);

/* Typed optional members: absent and null read as absent (*out NULL / *present false).  */
OCG_MUST_CHECK
int seccomp_opt_string (const struct json_node *obj, const char *key, const char *where,
                        const char **out, ocg_error_t *err);
OCG_MUST_CHECK
int seccomp_opt_strings (const struct json_node *obj, const char *key, const char *where,
                         const struct json_node **out, ocg_error_t *err);
OCG_MUST_CHECK
int seccomp_opt_errno (const struct json_node *obj, const char *key, const char *where,
                       bool *present, uint64_t *out, ocg_error_t *err);

/* One `seccomp check` run: problems make the profile invalid, notes do not.  */
#define SECCOMP_CHECK_MAX_ARCHS 32
struct seccomp_check_state
{
  FILE *report;
  unsigned problems;
  uint32_t named[SECCOMP_CHECK_MAX_ARCHS]; /* architectures whose names were already resolved */
  size_t n_named;
  char **noted; /* keys of notes already given (seccomp_check_once) */
  size_t n_noted;
  unsigned max_insns;
  bool foreign; /* checking an archMap entry for another kind of host than this one */
};

/* seccomp_compile.c, which reports into it first: one report line, "error: ..." when problem
 * (counted) or "note: ...".  */
void seccomp_check_say (struct seccomp_check_state *st, bool problem, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
/* True when key was already seen in this run; remembers it otherwise.  */
bool seccomp_check_once (struct seccomp_check_state *st, const char *key);

/* seccomp_compile.c: build one specialised OCI object into a libseccomp filter as a runtime on a
 * `native` host would, export it to BPF, report what libseccomp refuses and the size.  */
struct seccomp_arch;
void seccomp_compile_oci (struct seccomp_check_state *st, const struct json_node *oci,
                          const struct seccomp_arch *native, const char *context);
/* Note unconditional rules that meet a rule with another action for the same syscall.  */
void seccomp_compile_conflicts (struct seccomp_check_state *st, const struct json_node *oci,
                                const char *context);

/* seccomp_answer.c: 0 when `oci` is an OCI seccomp object both runtimes would build (known
 * actions and operators, argument index 0-5, no empty syscall name).  */
OCG_MUST_CHECK
int seccomp_oci_validate (const struct json_node *oci, ocg_error_t *err);

/* seccomp.c: true when the JSON array arr holds the string s (a profile's names / arches
 * lists).  */
bool seccomp_strings_contain (const struct json_node *arr, const char *s);

#endif
