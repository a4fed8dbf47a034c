/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The operator's policy file: where it lives, who may have written it, its strict format, the
 * drop-ins merged over it, the profiles it defines and the exemptions it grants.
 *
 * Files.  The main file is, in this order: the path given explicitly (--ocigate-policy, or the
 * FILE argument of `ocigate policy`), $OCIGATE_POLICY, or OCG_SYSCONFDIR/ocigate/policy.json.
 * Its drop-ins are the `*.json` files of the directory named like the main file with `.json`
 * replaced by `.d` (policy.json -> policy.d/), applied in strcmp order of their names.  When the
 * default main file does not exist the drop-ins still apply; when neither exists the built-in
 * profiles apply (a supported configuration).  An explicitly named file must exist.
 *
 * Trust.  Every file read (the main file, the drop-in directory, each drop-in, a seccomp profile
 * named by path), every directory on its path and every symlink followed to reach it must be
 * owned by root, and no file or directory may be writable by group or others (a directory with
 * the sticky bit may be).  Symlinks are followed only that way -- as a Kubernetes ConfigMap
 * volume presents its files (`policy.json -> ..data/policy.json`) -- and each component is
 * checked with fstat on the descriptor opened for it (policy_file_path.c).  Anything else is an
 * error naming the component: ocigate refuses to run containers rather than follow a policy
 * someone else could have written.
 *
 * Merge.  Each file is an RFC 7396 JSON Merge Patch over the files before it: objects merge key
 * by key (so per-rule settings merge per key), anything else replaces (so lists replace), and
 * `null` deletes what an earlier file set.  A rule given as a bare action ("deny") is read as
 * {"action": "deny"} before merging.
 *
 * Errors name `file:line:column` and the key path ("$.profiles.web.rules.capabilities.allow").  */
#ifndef OCG_POLICY_FILE_H
#define OCG_POLICY_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "json.h"
#include "policy.h"
#include "policy_file_build.h"
#include "policy_file_exempt.h"
#include "policy_file_path.h"

#define POLICY_FILE_ENV "OCIGATE_POLICY"
#define POLICY_FILE_DEFAULT OCG_SYSCONFDIR "/ocigate/policy.json"
/* A policy is a few KiB; this only bounds what a broken file can make us read.  */
#define POLICY_FILE_MAX_BYTES (1024u * 1024u)

/* FOR TESTS ONLY (tests/unit/test_policy_file.c): the default main file.  Production code never
 * changes it from POLICY_FILE_DEFAULT.  */
extern const char *policy_file_default_path;

/* The merged, validated policy files.  Opaque.  */
struct policy_file;

/* Locate, check, read, merge and validate the policy files.  `path` is an explicitly named main
 * file or NULL (then $OCIGATE_POLICY, then the default).  Never returns NULL without an error:
 * with no file at all the result holds no sources and every build is a built-in profile.
 * Validation covers everything but seccomp profile files, which are read and checked when a
 * profile using them is built.  The caller owns the result.  */
OCG_MUST_CHECK
struct policy_file *policy_file_load (const char *path, ocg_error_t *err);
/* For `policy validate`: like policy_file_load, but goes on after an error, dropping the value
 * that was wrong, so that one run finds every error (policy_file_errors).  Never NULL.  */
struct policy_file *policy_file_load_all (const char *path);
/* The errors policy_file_load_all kept (NULL-terminated; NULL when there were none).  */
const char *const *policy_file_errors (const struct policy_file *pf);
/* Where the files were looked for: the main file, then the drop-in pattern.  Borrowed.  */
const char *policy_file_searched (const struct policy_file *pf);
void policy_file_free (struct policy_file *pf);
void policy_file_freep (struct policy_file **pf);
#define cleanup_policy_file __attribute__ ((cleanup (policy_file_freep)))

/* The files that were merged, in order (NULL-terminated; empty when the built-ins apply).  */
const char *const *policy_file_sources (const struct policy_file *pf);

/* The digest of the policy files `path` names (as policy_file_load finds them) that could be read,
 * in load order, as a built policy carries it (struct policy.digest, "sha256:<hex>"), or NULL
 * when none could: for the record of a policy that does not load.  malloc'd.  */
char *policy_file_read_digest (const char *path);

/* The file's `profile`, or "baseline".  Borrowed.  */
const char *policy_file_default_profile (const struct policy_file *pf);

/* The exemptions of the file (never NULL; empty without a file).  Borrowed.  */
const struct policy_exemptions *policy_file_exemptions (const struct policy_file *pf);

/* The fast path for every runtime call (start, state, kill, ...): find the policy files like
 * policy_file_load, with the same ownership checks and the same validation (a policy create
 * would refuse must not steer the other verbs), and return its `runtime` (the last file that sets
 * it wins).  When no file exists this costs two failed open(2) calls and opens nothing.
 * *runtime gets a malloc'd absolute path, or NULL when no file sets one.  */
OCG_MUST_CHECK
int policy_file_runtime (const char *path, char **runtime, ocg_error_t *err);

/* "loaded A, B (searched MAIN, DIR/\*.json)", or "no policy file (searched ...): the built-in
 * profiles apply": every message about which policy applies names where it looked.  malloc'd.  */
char *policy_file_describe_sources (const struct policy_file *pf);

/* `ocigate policy show`: print the effective policy of `profile` (NULL: the file's default) on
 * `out` as a policy file that would produce exactly it, every rule and parameter spelled out, and
 * which files made it on `info` (one line).  */
OCG_MUST_CHECK
int policy_command_show (const char *file_or_null, const char *profile, FILE *out, FILE *info,
                         ocg_error_t *err);

/* What `ocigate policy validate` checks besides the files.  */
struct policy_validate
{
  const char *file;        /* named explicitly, or NULL for the usual search */
  const char *profile;     /* selected by --ocigate-profile or the invoked name, or NULL */
  const char *profile_how; /* how, for the message: "the invoked name `ocigate-web`" */
  /* The runtime ocigate would exec under this policy, whose `runtime` is `policy_runtime` (NULL
   * when it sets none): fail when the file's runtime is missing, not executable or ocigate
   * itself, or when none would be found; else *used gets the path (malloc'd).  NULL: no check.  */
  OCG_MUST_CHECK int (*runtime) (void *ctx, const char *policy_runtime, char **used,
                                 ocg_error_t *err);
  void *ctx;
};

/* `ocigate policy validate`: load everything, going on after errors; build every profile (so
 * seccomp profile files are checked too); check the selected profile and the runtime.  Prints
 * every error and warning on `diag` ("ocigate: ..." lines) and the summary -- files searched and
 * loaded, profiles, exemptions, runtime -- on `out`.  Returns -1 with the count in *err when
 * there was any error; warnings alone pass.  */
OCG_MUST_CHECK
int policy_command_validate (const struct policy_validate *v, FILE *out, FILE *diag,
                             ocg_error_t *err);

#endif
