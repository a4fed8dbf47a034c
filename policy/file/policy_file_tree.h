/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy files as loaded: the merged tree, which file each of its values came from, and the
 * errors that name `file:line:column`.  Shared by the policy_file*.c files only.
 *
 * The folder stands in floors, each file on the ones below it and never on one above:
 *   policy_file_path.c     opening a file only root can have written (bottom)
 *   policy_file_tree.c     this header: the tree, its origins, errors, collect mode
 *   policy_file_suggest.c  profile names and "did you mean"
 *   policy_file_exempt.c   exemptions: their checks, matching, grants
 *   policy_file_schema.c   the format of one file, key by key
 *   policy_file_build.c    profiles: `extends` chains, the policy of one profile
 *   policy_file.c          finding, reading and merging the files (policy_file.h)
 *   policy_file_show.c, policy_file_validate.c   the `ocigate policy` commands (top)  */
#ifndef OCG_POLICY_FILE_TREE_H
#define OCG_POLICY_FILE_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "json.h"
#include "policy.h"
#include "sha256.h"

/* A node of the merged tree and the source file it was copied from.  */
struct policy_file_origin
{
  const struct json_node *node;
  size_t source;
};

struct policy_file
{
  char **sources; /* NULL-terminated */
  size_t n_sources;
  struct json_node *root; /* the merged document: an object */
  struct policy_file_origin *origins;
  size_t n_origins;
  size_t cap_origins;
  const char *current; /* the file validated on its own, before merging */
  struct policy_exemptions exemptions;
  char *searched; /* the main file and the drop-in pattern, for messages */
  bool collect;   /* policy_file_load_all: keep every error and go on */
  char **errors;  /* the errors kept (NULL-terminated, or NULL) */
  size_t n_errors;
  /* The bytes of every file read, in load order (policy_file_digest).  */
  struct sha256_ctx digest;
  size_t n_digested;
};

/* "sha256:<hex>": the SHA-256 of the bytes of every file read, one after the other in load order
 * (the main file, then the drop-ins in strcmp order of their names) -- what `cat` of the same
 * files in the same order gives to sha256sum.  NULL when no file was read (the built-in profiles
 * apply).  malloc'd.  */
char *policy_file_digest (const struct policy_file *pf);

/* Remember that `node` and everything below it came from source file number `source`.  */
void policy_file_origins_add (struct policy_file *pf, const struct json_node *node, size_t source);

/* In collect mode, move the error in *err (if any) to pf->errors and return true: the caller
 * drops what was wrong and goes on.  Otherwise return false: the caller returns -1.  */
bool policy_file_keep_going (struct policy_file *pf, ocg_error_t *err);

/* "FILE:LINE:COLUMN: PATH: message" for a value of the merged tree (or of the file being
 * validated), then return -1.  */
int policy_file_error_at (const struct policy_file *pf, const struct json_node *node,
                          const char *path, ocg_error_t *err, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));

#endif
