/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the policy_file*.c files only: the loaded-file object, where each value came from,
 * and the table of rule parameters.  */
#ifndef OCG_POLICY_FILE_INTERNAL_H
#define OCG_POLICY_FILE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "policy_file.h"

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
};

/* In collect mode, move the error in *err (if any) to pf->errors and return true: the caller
 * drops what was wrong and goes on.  Otherwise return false: the caller returns -1.  */
bool policy_file_keep_going (struct policy_file *pf, ocg_error_t *err);

/* The trust rule of every policy file (see policy_file.h), on an opened descriptor.  */
int policy_file_check_trusted (int fd, const char *display, bool directory, ocg_error_t *err);

/* Open `name` -- absolute, or relative to dirfd (AT_FDCWD or a directory shown as dir_shown) --
 * for reading, through the trusted walk of policy_file_path.c: every directory passed, every
 * symlink followed and the file (a directory when `directory`) itself must be root's and not
 * writable by group or others.  Returns the descriptor or -1.  */
int policy_file_open_path (int dirfd, const char *dir_shown, const char *name, bool directory,
                           ocg_error_t *err);

/* The closest of `candidates` (NULL-terminated) to a misspelt `word`, or NULL when none is
 * close enough to be what was meant.  */
const char *policy_file_closest (const char *word, const char *const *candidates);

/* "; did you mean `X`?" for the closest candidate, or "" (malloc'd either way).  */
char *policy_file_did_you_mean (const char *word, const char *const *candidates);

/* Every profile name the file can select, built-ins first (malloc'd, NULL-terminated).  */
char **policy_file_profile_names (const struct policy_file *pf);

/* "unknown profile `x` (profiles: a, b, c; did you mean `b`?)" for an error message.  */
char *policy_file_unknown_profile (const struct policy_file *pf, const char *name);

/* "FILE:LINE:COLUMN: PATH: message" for a value of the merged tree (or of the file being
 * validated), then return -1.  */
int policy_file_error_at (const struct policy_file *pf, const struct json_node *node,
                          const char *path, ocg_error_t *err, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));

enum policy_param_type
{
  PARAM_CAPS,    /* array of capability names, CAP_ spelling */
  PARAM_PATHS,   /* array of absolute paths */
  PARAM_STRINGS, /* array of non-empty strings (patterns) */
  PARAM_I64,     /* integer in [min, max] */
  PARAM_U64,     /* integer >= 0 */
  PARAM_INT,     /* integer in [min, max] */
  PARAM_BOOL,
  PARAM_STRING,  /* non-empty string */
  PARAM_SECCOMP, /* "default", "strict" or an absolute path */
};

/* One parameter: `rules.<rule>.<key>` in a profile sets the struct policy_params member at
 * `offset`.  A list left NULL by the profile means the rule's own default, `fallback`.  */
struct policy_param
{
  const char *rule;
  const char *key;
  enum policy_param_type type;
  size_t offset;
  const char *const *fallback;
  const char *fallback_string;
  int64_t min;
  int64_t max;
};

const struct policy_param *policy_param_table (size_t *n);
const struct policy_param *policy_param_find (const char *rule, const char *key);

/* Structural validation of one file's tree (strict keys, types, values, rule ids), normalising a
 * bare rule action into {"action": ...}.  pf->current names the file.  */
int policy_file_validate_tree (struct policy_file *pf, struct json_node *root, ocg_error_t *err);
/* Cross-references of the merged tree: profile names, `extends` chains, exemption conditions.  */
int policy_file_validate_merged (struct policy_file *pf, ocg_error_t *err);
/* The exemptions' cross-references (engine-set keys, profile names, non-empty conditions).  */
int policy_file_validate_exemptions (struct policy_file *pf, ocg_error_t *err);
/* Fill pf->exemptions from the validated merged tree.  */
void policy_file_parse_exemptions (struct policy_file *pf);

/* A profile the file defines or a built-in one?  */
bool policy_file_profile_exists (const struct policy_file *pf, const char *name);

#endif
