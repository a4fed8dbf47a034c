/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Exemptions: named grants of other rule actions to the containers they match
 * (policy_file_exempt.c).
 *
 * What an exemption can match on.  Trust model: `profile` and `container_id` come from the
 * command line the engine built; annotations come from the document, where `docker run
 * --annotation` and `podman --annotation` let any user set any key.  So an annotation condition
 * is only ever honoured for a key the root-owned policy declares in `engine_set_annotations`
 * (keys the operator knows every engine on the node sets itself), and never for a key naming
 * ocigate.  */
#ifndef OCG_POLICY_FILE_EXEMPT_H
#define OCG_POLICY_FILE_EXEMPT_H

#include <stdbool.h>

#include "err.h"
#include "json.h"
#include "policy.h"

struct policy_file;

struct policy_subject
{
  const char *profile;                 /* the profile selected for this invocation */
  const char *container_id;            /* NULL when there is none (`ocigate check`) */
  const struct json_node *annotations; /* the document's `annotations` object, or NULL */
};

/* True when every condition of `ex` holds for `subject` (and every annotation key it uses is
 * declared engine-set in `set`).  */
bool policy_exemption_matches (const struct policy_exemptions *set,
                               const struct policy_exemption *ex,
                               const struct policy_subject *subject);

/* Apply every matching exemption to policy->actions: a rule named by matching exemptions gets the
 * most permissive action they grant (off < warn < rewrite < deny), whatever the profile said.
 * *applied gets the names of the matching exemptions (malloc'd, NULL-terminated; NULL when none
 * matched), for the audit record.  */
void policy_exemptions_apply (const struct policy_exemptions *set,
                              const struct policy_subject *subject, struct policy *policy,
                              char ***applied);

void policy_exemptions_release (struct policy_exemptions *set);

/* True for an annotation key that names ocigate ("ocigate" anywhere in it, in any case): such a
 * key can never grant an exemption, whoever declares it.  */
bool policy_annotation_names_ocigate (const char *key);

/* For the loader: the exemptions' cross-references in the merged tree (engine-set keys, profile
 * names, non-empty conditions), then pf->exemptions filled from it.  */
OCG_MUST_CHECK
int policy_file_validate_exemptions (struct policy_file *pf, ocg_error_t *err);
void policy_file_parse_exemptions (struct policy_file *pf);

#endif
