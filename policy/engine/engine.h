/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule interface and the engine that runs the rule table over a document.
 *
 * A rule is one table-registered unit (policy/engine/rules.c holds the single ordered array; each
 * rule lives in policy/rules/<family>.c).  `check` is pure: it reads the spec, the facts about
 * the call (struct call), its own parameters (params.h) and the host facts, and appends findings.
 * `rewrite` (optional) mutates the spec through spec.h's mutators, so every change is recorded as a
 * JSON Patch operation.
 *
 * Engine order: every enabled rule is checked first, so a denial lists every violation; then, in
 * enforce mode and only if nothing is denied, the rewrites run in table order; then every rule is
 * checked again on the result, and a finding a rewrite should have fixed is an internal error
 * (rewrites must be idempotent and complete).  */
#ifndef OCG_ENGINE_H
#define OCG_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "hostfacts.h"
#include "params.h"
#include "policy.h"
#include "spec.h"

struct finding
{
  const struct rule *rule;
  char *path;    /* JSON Pointer into the document ("" for the whole document) */
  char *message; /* one line, lowercase, says what is wrong */
  bool fixable;  /* the rule's rewrite can fix this finding */
  bool note;     /* informational only (e.g. "SELinux not enabled on host"): never denies or
                    rewrites, whatever the rule's action; recorded in the audit trail */
};

struct findings
{
  struct finding *items;
  size_t n;
  size_t cap;
};

/* What the runtime will be asked to do with the judged document.  */
enum call_verb
{
  CALL_CREATE, /* create and run; `ocigate check` judges as create does */
  CALL_RUN,
  CALL_RESTORE, /* the process comes back from a checkpoint image, not from the document */
  CALL_EXEC,
  CALL_UPDATE,
};

/* The facts about the call being judged that are not in the document: they come from the argv
 * the engine built, the runtime ocigate found and the bundle it opened.  The shim fills them
 * (shim/police.c) beside the document it loaded, and rules read them as ctx->call.  Strings are
 * borrowed; an unknown fact is NULL (or false).  */
struct call
{
  enum call_verb verb;
  /* The canonical absolute bundle directory: the one runc chdir()s into, against which a
   * relative root.path or bind source is resolved.  */
  const char *bundle_dir;
  const char *runtime; /* the real runtime's path */
  /* The runtime's --root, or runc's and crun's own default when the engine passed none.  It
   * tells which engine calls: Docker users cannot choose it, containerd's CRI plugin always uses
   * <state>/runc/k8s.io.  */
  const char *runtime_root;
  /* The caller passed that --root itself (runc's and crun's own defaults, /run/runc and
   * /run/crun, are what Podman gets by passing none, and what CRI-O passes explicitly).  */
  bool runtime_root_explicit;
  /* The container's id (runc's positional argument): the engines name a container's own state
   * directories after it.  */
  const char *container_id;
  /* crun's `--cgroup-manager=disabled`: no memory, pids or device cgroup.  */
  bool cgroups_disabled;
};

struct rule_ctx
{
  const struct spec *spec;
  const struct call *call; /* never NULL: an unknown call is all zeros */
  const void *params;      /* the rule's own parameter block (its struct; NULL when it has none) */
  const struct host_facts *host;
  const struct rule *rule;     /* the rule being run, for finding_add */
  const struct policy *policy; /* another rule's parameter: policy_param () */
};

struct rule
{
  const char *id;    /* stable user-facing id: "privileged", "host-namespaces", ... */
  const char *title; /* one line */
  const char *cis;   /* CIS Docker Benchmark v1.6.0 recommendation id(s): "5.5", or NULL */
  const char *pss;   /* Pod Security Standards control(s): "privileged", or NULL */
  const char *hint;  /* what the user should change, one short clause */
  /* Which documents the rule applies to (bit per enum spec_kind).  */
  unsigned kinds;
  OCG_MUST_CHECK int (*check) (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err);
  /* NULL when the rule cannot fix what it finds.  */
  OCG_MUST_CHECK int (*rewrite) (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err);
  /* The rule's parameters (params.h), in the order `policy show` lists them, and the size of the
   * struct that holds their values: RULE_PARAMS below.  */
  const struct rule_param *params;
  size_t n_params;
  size_t params_size;
  /* The members of a config.json the check reads (JSON Pointers, NULL-terminated), or NULL for
   * "any".  The engine does not run the check again after the rewrites when none of them touched
   * these members and the rule's last answer was clean (engine.c, struct rule_seen): a promise
   * tests/unit/test_rule_reads.c holds every declaring rule to.  Documents other than a
   * config.json are always checked again.  */
  const char *const *reads;
};

/* `.reads` of a rule: RULE_READS ("/mounts", "/root").  */
#define RULE_READS(...)                                                                            \
  .reads = (const char *const[])                                                                   \
  {                                                                                                \
    __VA_ARGS__, NULL                                                                              \
  }

#define RULE_KIND(k) (1u << (k))
/* `.params`, `.n_params` and `.params_size` of a rule whose values are a `type` described by
 * the array `table`.  */
#define RULE_PARAMS(type, table)                                                                   \
  .params = (table), .n_params = sizeof (table) / sizeof ((table)[0]), .params_size = sizeof (type)

/* Append a finding for ctx->rule; takes a printf format for the message.  */
void finding_add (struct findings *out, const struct rule_ctx *ctx, const char *path, bool fixable,
                  const char *fmt, ...) __attribute__ ((format (printf, 5, 6)));
/* Append an informational note for ctx->rule (see struct finding.note).  */
void note_add (struct findings *out, const struct rule_ctx *ctx, const char *path, const char *fmt,
               ...) __attribute__ ((format (printf, 4, 5)));
/* `ocigate check --portable` (host_facts.portable): what the node would check in place of a fact
 * this machine cannot give, as a note ("... on the node ocigate checks <fmt>").  */
void node_note_add (struct findings *out, const struct rule_ctx *ctx, const char *path,
                    const char *fmt, ...) __attribute__ ((format (printf, 4, 5)));
void findings_clear (struct findings *f);

/* The registry (policy/engine/rules.c).  */
const struct rule *const *rules_table (size_t *count);
const struct rule *rules_find (const char *id, size_t *index);

/* The context `rule` runs in under `policy`, with its own parameter block (found by its place in
 * the registry): for code that runs one rule outside engine_evaluate.  */
struct rule_ctx engine_rule_ctx (const struct policy *policy, const struct host_facts *host,
                                 const struct call *call, const struct spec *spec,
                                 const struct rule *rule);

enum verdict
{
  VERDICT_ALLOW,   /* nothing to do */
  VERDICT_REWRITE, /* allowed after the recorded rewrites */
  VERDICT_DENY,
};

struct decision
{
  enum verdict verdict;
  struct findings denied; /* findings that deny (enforce) or would deny (audit) */
  struct findings fixed;  /* findings fixed by a rewrite (or that would be, in audit) */
  struct findings warned; /* findings of rules in warn mode */
  struct findings noted;  /* informational notes (struct finding.note) */
};

/* Run the policy over spec, the document of `call` (NULL: nothing is known about the call), and
 * mutate it in enforce mode when the verdict is REWRITE.  Returns -1 only for internal errors (a
 * rule failed, a rewrite left its finding in place).  */
OCG_MUST_CHECK
int engine_evaluate (const struct policy *policy, const struct host_facts *host,
                     const struct call *call, struct spec *spec, struct decision *out,
                     ocg_error_t *err);
void decision_release (struct decision *d);

/* The one-line denial text: `denied by policy "baseline": privileged (CIS Docker 1.6.0 5.5, PSS
 * privileged): ...; host-namespaces (CIS Docker 1.6.0 5.10): ...`.  malloc'd.  */
char *decision_denial_message (const struct policy *policy, const struct decision *d);

#endif
