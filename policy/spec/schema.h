/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime-spec schema as runc's Go decoder and crun's C decoder see it.
 *
 * Owns: the table of every struct field name and JSON type in the runtime-spec (a superset of
 * runc 1.1.5's specs-go and of crun's libocispec), and the walk that refuses any document whose
 * meaning could differ between ocigate, runc and crun (case-folded keys, Unicode-folded keys,
 * type mismatches Go would reject or coerce, null where Go and crun disagree, ...).
 * Must not: decide policy, do I/O.  */
#ifndef OCG_SCHEMA_H
#define OCG_SCHEMA_H

#include "err.h"
#include "json.h"

/* The documents ocigate judges, by the runtime-spec type runc decodes them into (spec.h loads
 * them).  */
enum spec_kind
{
  SPEC_CONFIG,    /* runtime-spec Spec: <bundle>/config.json */
  SPEC_PROCESS,   /* runtime-spec Process: runc exec --process FILE */
  SPEC_RESOURCES, /* runtime-spec LinuxResources: runc update --resources FILE|- */
};

/* Validate a freshly parsed tree for the given document kind.  `name` prefixes messages, which
 * name the JSON path: "config.json: key `Process` at $.Process would be read by runc as
 * `process` (Go matches keys case-insensitively)".  Returns 0 or -1.  */
OCG_MUST_CHECK
int schema_validate (const struct json_node *root, enum spec_kind kind, const char *name,
                     ocg_error_t *err);

#endif
