/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate check` (see police_check.h).  */
#include <config.h>

#include "audit.h"
#include "police_check.h"
#include "policy_load.h"
#include "util.h"

static int
check_policy (const struct runc_invocation *inv, const struct police_check_options *opts,
              struct police_check *c, ocg_error_t *err)
{
  cleanup_free char *audit_path = NULL;

  return policy_load_for (inv, opts->profile, c->doc.spec, &c->policy, &audit_path, &c->exemptions,
                          err);
}

int
police_check_judge (const struct runc_invocation *inv, const char *target,
                    const struct police_check_options *opts, struct police_check *out,
                    ocg_error_t *err)
{
  struct audit_subject subject = { .verb = "check" };

  if (document_load_check (target, &out->doc, err) < 0 || check_policy (inv, opts, out, err) < 0)
    return -1;
  /* `ocigate --root R check` judges as a create with that runtime root would be judged, and as
   * the container ID would be: its own engine state directories are its own.  */
  out->call = (struct call){ .verb = CALL_CREATE,
                             .bundle_dir = out->doc.bundle_dir,
                             .runtime_root = inv->root,
                             .runtime_root_explicit = inv->root != NULL,
                             .container_id = opts->container_id };
  /* Only here are the portable facts ever chosen: police_invocation always takes the real ones.  */
  if (opts->portable)
    hostfacts_init_portable (&out->host);
  else
    hostfacts_init_real (&out->host);
  out->host.container_root = document_container_root (out->doc.spec);
  out->original = json_clone (out->doc.spec->root);
  /* The mode is the policy's (or --ocigate-mode's): audit mode rewrites nothing, as on the node.
   * Nothing is written: the rewrite stays in memory (--print-config).  */
  if (engine_evaluate (out->policy, &out->host, &out->call, out->doc.spec, &out->decision, err) < 0)
    return -1;
  subject.document = out->doc.display;
  subject.exemptions = (const char *const *)out->exemptions;
  out->record = audit_record (&subject, out->policy, out->doc.spec, &out->decision, false, err);
  return out->record != NULL ? 0 : -1;
}

int
police_check_status (const struct police_check *c)
{
  return c->policy != NULL && c->policy->mode == MODE_ENFORCE && c->decision.verdict == VERDICT_DENY
             ? 1
             : 0;
}

void
police_check_release (struct police_check *c)
{
  document_release (&c->doc);
  policy_free (c->policy);
  strv_free (c->exemptions);
  decision_release (&c->decision);
  json_free (c->original);
  free (c->record);
  *c = (struct police_check)POLICE_CHECK_INIT;
}
