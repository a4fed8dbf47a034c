/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The verbs that cannot loosen a container (see passthrough.h).  */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "audit.h"
#include "passthrough.h"
#include "policy_load.h"
#include "policy_peek.h"
#include "record.h"
#include "util.h"

/* Verbs whose output engines read as data, stderr included: containerd's go-runc reads `state`
 * and `ps` with their stderr merged into the JSON it decodes (runc.go State, Ps: cmdOutput (cmd,
 * true)).  A warning there would break the engine, so they stay silent; the audit record still
 * says it.  */
static bool
output_is_data (const struct runc_invocation *inv)
{
  static const char *const quiet[] = { "state", "ps", "list", "events", "features", "spec" };

  if (inv->verb != RUNC_VERB_OTHER || inv->help)
    return true;
  for (size_t i = 0; i < ARRAY_SIZE (quiet); i++)
    if (str_eq (inv->verb_name, quiet[i]))
      return true;
  return false;
}

/* A broken policy stops create, run, restore, exec and update, never this call: say so.  */
static void
report_policy_health (const struct runc_invocation *inv, const struct runtime *rt,
                      struct policy_view *view)
{
  cleanup_error ocg_error_t err = NULL;
  bool fresh = false;
  cleanup_free char *broken = policy_view_health (inv->ocg_policy, view, &fresh);
  cleanup_free char *dest = NULL;
  cleanup_free char *digest = NULL;
  cleanup_free char *line = NULL;
  const char *audit_log = NULL;

  if (broken == NULL)
    return;
  if (!output_is_data (inv))
    fprintf (stderr, "ocigate: policy error (`%s` goes to %s anyway): %s\n", inv->verb_name,
             rt->path, broken);
  if (!fresh)
    return;
  if (inv->ocg_audit_log == NULL)
    audit_log = policy_view_peek (inv->ocg_policy, view)->audit_log;
  dest = policy_load_audit_destination (inv, audit_log);
  digest = policy_file_read_digest (inv->ocg_policy);
  line = audit_policy_error_record (inv->verb_name, inv->container_id, rt->path, broken, digest,
                                    &err);
  /* Nothing may stop this call: a record that cannot be written is only left out.  */
  if (line != NULL)
    ocg_ignore_result (audit_write (dest, line, true, &err));
}

static bool
runtime_given (const struct runc_invocation *inv)
{
  const char *env = getenv ("OCIGATE_RUNTIME");

  return inv->ocg_runtime != NULL || (env != NULL && env[0] != '\0');
}

int
passthrough_runtime (const struct runc_invocation *inv, struct runtime *rt, ocg_error_t *err)
{
  struct runtime_sources from = { .explicit_path = inv->ocg_runtime, .policy_may_fail = true };
  struct policy_peek peek = { 0 };
  int r;

  if (!runtime_given (inv))
    policy_peek_read (inv->ocg_policy, &peek);
  from.policy = peek.runtime;
  r = runtime_resolve (&from, rt, err);
  policy_peek_release (&peek);
  return r;
}

/* The policy files are looked at once (policy_peek.h, struct policy_view): their stamp gives
 * both what this call says about them and, unless a record or ocigate's own flag names the
 * runtime, the policy's `runtime`, without reading the files again.  */
int
passthrough_exec (struct runc_invocation *inv, ocg_error_t *err)
{
  struct runtime_sources from = { .explicit_path = inv->ocg_runtime, .policy_may_fail = true };
  struct runtime rt = { 0 };
  struct policy_view view;
  bool state_gone = false;
  cleanup_free char *recorded = NULL;

  if (!runtime_given (inv) && (inv->container_id != NULL || str_eq (inv->verb_name, "list")))
    recorded = record_read (inv, &state_gone);
  policy_view_open (inv->ocg_policy, &view);
  if (!runtime_given (inv) && recorded == NULL)
    from.policy = policy_view_peek (inv->ocg_policy, &view)->runtime;
  from.record = recorded;
  if (runtime_resolve (&from, &rt, err) < 0)
    {
      policy_view_release (&view);
      return -1;
    }
  report_policy_health (inv, &rt, &view);
  policy_view_release (&view);
  /* The runtime's own state is gone: nothing will ask for this container again.  */
  if (state_gone && str_eq (inv->verb_name, "delete"))
    record_forget (inv);
  runtime_exec (&rt, inv->argv, err);
  runtime_release (&rt);
  return -1;
}
