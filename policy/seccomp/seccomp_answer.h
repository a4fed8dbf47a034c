/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by seccomp_answer.c, seccomp_combine.c and seccomp_merge.c only: what one syscall gets
 * from an OCI seccomp object, as runc 1.1.5 and crun 1.8.1 build it (seccomp_answer.c), and how
 * two such answers combine (seccomp_combine.c).  Not part of the module's interface.  */
#ifndef OCG_SECCOMP_ANSWER_H
#define OCG_SECCOMP_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "json.h"

/* One answer as the runtime builds it.  */
struct sc_act
{
  const char *name; /* the action table's spelling: SCMP_ACT_KILL stays SCMP_ACT_KILL */
  unsigned rank;
  uint32_t ret;  /* the errno of ERRNO and TRACE (EPERM when not given, as in both runtimes) */
  bool errno_ok; /* ERRNO or TRACE */
  bool stated;   /* a rule for the syscall says it, not the default action */
};

/* One name of one group.  */
struct sc_ref
{
  const char *name;
  size_t group;
};

/* An OCI seccomp object indexed by syscall name.  */
struct sc_profile
{
  const struct json_node *obj;
  const struct json_node *groups; /* `syscalls`, or NULL */
  struct sc_act def;
  struct sc_act *acts; /* one per group */
  struct sc_ref *refs; /* every name of every group, by name then group */
  size_t n_refs;
};

/* One conditional rule for one syscall.  */
struct sc_rule
{
  const struct json_node *args; /* borrowed from a profile or from treat.built */
  struct sc_act act;
};

/* Everything one syscall gets: one action whatever the arguments, or conditional rules and
 * the action of the calls none of them matches.  */
struct sc_treat
{
  bool cond;
  struct sc_act act;     /* !cond: every call */
  struct sc_rule *rules; /* cond: in the runtime's order */
  size_t n;
  struct sc_act fall;      /* cond: calls no rule matches */
  struct json_node *built; /* args made by an intersection */
};

/* One argument condition; SCMP_CMP_MASKED_EQ is (arg & v1) == v2.  */
struct sc_cond
{
  uint64_t index, v1, v2;
  const char *op;
};

bool sc_act_same (const struct sc_act *a, const struct sc_act *b);
/* The stricter of two answers; on a tie a stated one over a default, then `first`.  */
struct sc_act sc_act_max (struct sc_act first, struct sc_act second);

/* Read obj as the runtimes would (`what` names it in messages); release even on failure.  */
OCG_MUST_CHECK
int sc_profile_read (const struct json_node *obj, const char *what, struct sc_profile *p,
                     ocg_error_t *err);
void sc_profile_release (struct sc_profile *p);

/* What `name` gets from p when def is the filter's default action.  */
void sc_treat_of (const struct sc_profile *p, const char *name, const struct sc_act *def,
                  struct sc_treat *t);
void sc_treat_release (struct sc_treat *t);
void sc_treat_const (struct sc_treat *t, struct sc_act a);
void sc_treat_add (struct sc_treat *t, const struct json_node *args, struct sc_act a);
void sc_treat_copy (const struct sc_treat *src, struct sc_treat *out);
/* The highest (or lowest) rank t can answer.  */
unsigned sc_treat_rank (const struct sc_treat *t, bool highest);
/* The strongest answer t can give (a stated one on a tie).  */
struct sc_act sc_treat_top (const struct sc_treat *t);
/* All rules of a conditional t have one action (in *a).  */
bool sc_treat_uniform (const struct sc_treat *t, struct sc_act *a);
/* Same answers: actions compared by rank and errno, conditions by value.  */
bool sc_treat_equal (const struct sc_treat *a, const struct sc_treat *b);
bool sc_rules_equal (const struct sc_treat *a, const struct sc_treat *b);
bool sc_args_equal (const struct json_node *x, const struct json_node *y);
void sc_cond_of (const struct json_node *a, struct sc_cond *c);
bool sc_cond_equal (const struct sc_cond *x, const struct sc_cond *y);

/* seccomp_combine.c: an answer at least as strict as both, written for a filter whose default
 * action is def (a call no rule matches gets def).  -1 when no such answer can be written without
 * loosening one side.  */
int sc_combine (const struct sc_treat *own, const struct sc_treat *pol, const struct sc_act *def,
                struct sc_treat *out);

#endif
