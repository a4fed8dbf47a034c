/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy-file format, key by key (policy_file_schema.c).  Shared by the policy_file*.c files
 * only.  */
#ifndef OCG_POLICY_FILE_SCHEMA_H
#define OCG_POLICY_FILE_SCHEMA_H

#include "policy_file_tree.h"

/* Structural validation of one file's tree (strict keys, types, values, rule ids), normalising a
 * bare rule action into {"action": ...}.  pf->current names the file.  */
OCG_MUST_CHECK
int policy_file_validate_tree (struct policy_file *pf, struct json_node *root, ocg_error_t *err);

#endif
