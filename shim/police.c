/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policed verbs (see police.h).
 *
 * Owns: judging the document the runtime will read with the engine, what audit mode does
 * instead of refusing, the audit record, and the denial message.
 * Must not: parse argv, find documents (document.c), hold rule logic, print an error (the caller
 * does), or print to stdout (except `ocigate check`).  */
#include <config.h>

#include "audit.h"
#include "document.h"
#include "engine.h"
#include "exec_synth.h"
#include "hostfacts_store.h"
#include "police.h"
#include "policy_load.h"
#include "state.h"
#include "util.h"

/* Sanitizer builds free everything, so that LeakSanitizer sees the same heap whether or not the
 * exec happens; the others leave the judged tree to the exec (police_invocation).  */
#if defined(__SANITIZE_ADDRESS__)
#define FREE_BEFORE_EXEC true
#else
#define FREE_BEFORE_EXEC false
#endif

/* Everything one judgement needs, released in one place.  */
struct judgement
{
  struct policy *policy;  /* the caller's */
  const char *audit_path; /* the caller's */
  struct host_facts host;
  struct document doc;
  struct call call;  /* the facts about the call, beside the document */
  char **exemptions; /* names of the exemptions applied, for the audit record */
  char *refused;     /* audit mode: why enforce would have refused before judging */
  char *state_note;  /* why the runtime's record of the container could not be read */
  /* exec, update: the annotations the runtime recorded for the container, or NULL and why not */
  struct json_node *recorded;
  char *unrecorded;
  struct decision decision;
};

static void
judgement_release (struct judgement *j)
{
  document_release (&j->doc);
  strv_free (j->exemptions);
  free (j->refused);
  free (j->state_note);
  json_free (j->recorded);
  free (j->unrecorded);
  decision_release (&j->decision);
}

static int
record (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j,
        bool executed, ocg_error_t *err)
{
  struct audit_subject subject = {
    .verb = inv->verb_name,
    .container_id = inv->container_id,
    .document = j->doc.display,
    .runtime = rt ? rt->path : NULL,
    .exemptions = (const char *const *)j->exemptions,
    .error = j->refused,
    .notes = (const char *const[]){ j->state_note, NULL },
    .annotations = j->recorded,
  };
  cleanup_free char *line
      = audit_record (&subject, j->policy, j->doc.spec, &j->decision, executed, err);

  if (line == NULL)
    return -1;
  /* A denial -- or in audit mode one that would be -- and an error stand out in syslog.  */
  return audit_write (j->audit_path, line,
                      j->refused != NULL || j->decision.verdict == VERDICT_DENY, err);
}

/* The denial line users see in `docker run` and kubelet events, handed back like an error (the
 * caller prints both).  */
static enum police_status
denied (const struct judgement *j, ocg_error_t *err)
{
  cleanup_free char *msg = decision_denial_message (j->policy, &j->decision);

  ocg_error_set (err, 0, "%s", msg);
  return POLICE_DENIED;
}

static void
deny (struct judgement *j, const struct rule *rule, const char *path, const char *message)
{
  struct rule_ctx ctx = { .rule = rule };

  finding_add (&j->decision.denied, &ctx, path, false, "%s", message);
  j->decision.verdict = VERDICT_DENY;
}

/* Flags cannot be rewritten (argv is passed byte for byte), so anything a rewrite would fix in a
 * document built from them denies instead.  */
static void
synthetic_rewrite_denies (struct judgement *j)
{
  const struct findings *fixed = &j->decision.fixed;

  for (size_t i = 0; j->doc.synthetic && i < fixed->n; i++)
    deny (j, fixed->items[i].rule, fixed->items[i].path, fixed->items[i].message);
}

/* `exec --cgroup` that leaves the container's cgroup leaves its memory and pids limits too: a
 * resource-limits finding, under that rule's action.  */
static void
judge_exec_cgroup (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j)
{
  const char *bad = inv->verb == RUNC_VERB_EXEC ? exec_synth_cgroup_escape (inv, rt) : NULL;
  size_t idx = 0;
  const struct rule *rule = bad != NULL ? rules_find ("resource-limits", &idx) : NULL;
  cleanup_free char *msg = NULL;

  if (rule == NULL || j->policy->actions[idx] == ACTION_OFF)
    return;
  msg = xasprintf ("exec --cgroup `%.128s` moves the process out of the container's cgroup and "
                   "its limits",
                   bad);
  if (j->policy->actions[idx] == ACTION_WARN)
    {
      struct rule_ctx ctx = { .rule = rule };
      finding_add (&j->decision.warned, &ctx, "", false, "%s", msg);
      return;
    }
  deny (j, rule, "", msg);
}

static enum police_status
judge (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j,
       ocg_error_t *err)
{
  bool enforce = j->policy->mode == MODE_ENFORCE;

  if (engine_evaluate (j->policy, &j->host, &j->call, j->doc.spec, &j->decision, err) < 0)
    return POLICE_ERROR;
  synthetic_rewrite_denies (j);
  judge_exec_cgroup (inv, rt, j);
  if (enforce && j->decision.verdict == VERDICT_DENY)
    {
      if (record (inv, rt, j, false, err) < 0)
        return POLICE_ERROR;
      return denied (j, err);
    }
  /* Audit mode changes nothing: a document that came through a descriptor gets its own bytes
   * back, every one of them.  */
  if (document_hand_on (&j->doc, enforce, err) < 0 || record (inv, rt, j, true, err) < 0)
    return POLICE_ERROR;
  return POLICE_EXEC;
}

/* Enforce mode refuses a call it cannot judge; audit mode records why enforce would have, and
 * runs it with every byte of its input.  */
static enum police_status
cannot_judge (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j,
              ocg_error_t *err)
{
  if (j->policy->mode != MODE_AUDIT)
    return POLICE_ERROR;
  j->refused = ocg_error_text (*err);
  ocg_error_free (err);
  if ((j->doc.stream.fd >= 0 && document_hand_on (&j->doc, false, err) < 0)
      || record (inv, rt, j, true, err) < 0)
    return POLICE_ERROR;
  return POLICE_EXEC;
}

static int
check_runtime_flags (const struct runc_invocation *inv, const struct runtime *rt, ocg_error_t *err)
{
  /* crun's --config moves the document out of the bundle; runc has no such flag and would reject
   * it, but only after we had judged the wrong file (containers/crun#461).  */
  if (inv->config != NULL && rt->flavor != RUNTIME_CRUN)
    return ocg_error_set (err, 0, "`--config` is only understood by crun, and the runtime is `%s`",
                          rt->path);
  if (inv->crun_only && rt->flavor != RUNTIME_CRUN)
    return ocg_error_set (err, 0, "a flag only crun understands was given, and the runtime is `%s`",
                          rt->path);
  /* `-b=X` and `-bundle=X` mean bundle X to Go's flag package but `=X` and `undle=X` to crun's
   * getopt (checked with crun 1.8.1): we would judge one bundle and crun would run another.  */
  if (inv->go_only_syntax && rt->flavor == RUNTIME_CRUN)
    return ocg_error_set (err, 0,
                          "flag spelling `-x=value` / `-long` is read differently by crun; use "
                          "`--long value`");
  return 0;
}

static enum call_verb
call_verb_of (enum runc_verb verb)
{
  switch (verb)
    {
    case RUNC_VERB_RUN:
      return CALL_RUN;
    case RUNC_VERB_RESTORE:
      return CALL_RESTORE; /* the `restore` rule judges what the image brings */
    case RUNC_VERB_EXEC:
      return CALL_EXEC;
    case RUNC_VERB_UPDATE:
      return CALL_UPDATE;
    default:
      return CALL_CREATE;
    }
}

/* The facts about this call that the rules read beside the document (struct call).  */
static void
call_fill (struct judgement *j, const struct runc_invocation *inv, const struct runtime *rt)
{
  j->call = (struct call){
    .verb = call_verb_of (inv->verb),
    .bundle_dir = j->doc.bundle_dir,
    .runtime = rt->path,
    /* runc's and crun's own defaults when the engine passes no --root (Podman).  */
    .runtime_root = state_root (inv, rt),
    .runtime_root_explicit = inv->root != NULL,
    .container_id = inv->container_id,
    .cgroups_disabled = inv->cgroups_disabled,
  };
}

static bool
on_existing_container (const struct runc_invocation *inv)
{
  return inv->verb == RUNC_VERB_EXEC || inv->verb == RUNC_VERB_UPDATE;
}

/* exec and update act on a container that exists.  When the runtime keeps no state for it, it
 * can loosen nothing: the runtime answers ("container does not exist"), in both modes.  A
 * container created between this look and the runtime's own would meet an unjudged call, but
 * only from a caller who already runs the runtime as root: engines exec into and update
 * containers they started.  */
static bool
aimed_at_nothing (const struct runc_invocation *inv, const struct runtime *rt)
{
  return on_existing_container (inv) && state_container_present (inv, rt) == 0;
}

/* The annotations the runtime recorded for the container at create (runc's state.json labels,
 * crun's copy of the config): read only when root's alone (state.h).  */
static void
read_recorded (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j)
{
  cleanup_error ocg_error_t err = NULL;

  j->recorded = state_annotations (inv, rt, &err);
  if (j->recorded == NULL)
    j->unrecorded = ocg_error_text (err);
}

enum police_status
police_invocation (const struct runc_invocation *inv, const struct police_settings *settings,
                   const struct runtime *rt, ocg_error_t *err)
{
  struct judgement j
      = { .policy = settings->policy, .audit_path = settings->audit_path, .doc = DOCUMENT_INIT };
  enum police_status status;

  if (aimed_at_nothing (inv, rt))
    return POLICE_EXEC;
  hostfacts_store_enable ();
  hostfacts_init_real (&j.host);
  /* exec and update documents carry no annotations: their exemptions and the workload of their
   * record come from the runtime's state, and the exemptions apply before the document is built
   * (audit mode rebuilds create's rewrite).  */
  if (on_existing_container (inv))
    {
      read_recorded (inv, rt, &j);
      policy_load_exempt (inv, settings->profile, settings->pf, j.recorded, j.unrecorded, j.policy,
                          &j.exemptions, &j.state_note);
    }
  /* The mode is known before the document is read, so audit mode can run what it cannot read.  */
  if (check_runtime_flags (inv, rt, err) < 0
      || document_load (inv, rt, j.policy, &j.host, &j.doc, err) < 0)
    status = cannot_judge (inv, rt, &j, err);
  else
    {
      /* A config's exemptions depend on its annotations; the directories its own mapped root
       * owns are its own (document_container_root).  */
      if (!on_existing_container (inv))
        {
          policy_load_exempt (inv, settings->profile, settings->pf,
                              spec_get_object (j.doc.spec, "/annotations"), NULL, j.policy,
                              &j.exemptions, &j.state_note);
          j.host.container_root = document_container_root (j.doc.spec);
        }
      call_fill (&j, inv, rt);
      status = judge (inv, rt, &j, err);
      /* The policy paths' answers are the host's, whatever the verdict.  */
      hostfacts_policy_cache_save (&j.host);
      if (status == POLICE_ERROR && j.policy->mode == MODE_AUDIT && j.refused == NULL)
        status = cannot_judge (inv, rt, &j, err);
    }
  /* The runtime replaces this process next: freeing the judged tree node by node only delays it.
   * Its descriptors are still closed (document_release).  */
  if (status == POLICE_EXEC && !FREE_BEFORE_EXEC)
    j.doc.spec = NULL;
  judgement_release (&j);
  return status;
}
