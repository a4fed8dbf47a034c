/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opening a file only root can have written (policy_file_path.c): the policy files, their
 * drop-in directory, a seccomp profile they name, and the runtimes' state files that the shim
 * reads with the same rule.  */
#ifndef OCG_POLICY_FILE_PATH_H
#define OCG_POLICY_FILE_PATH_H

#include <stdbool.h>

#include "err.h"

/* Open a file only root can have written: relative to dirfd, O_NOFOLLOW, a regular file (or a
 * directory when `directory`), owned by root, not writable by group or others.  `display` names
 * it in messages.  Returns the fd or -1.  */
OCG_MUST_CHECK
int policy_file_open_trusted (int dirfd, const char *name, const char *display, bool directory,
                              ocg_error_t *err);

/* The trust rule of every policy file (see policy_file.h), on an opened descriptor.  */
OCG_MUST_CHECK
int policy_file_check_trusted (int fd, const char *display, bool directory, ocg_error_t *err);
/* From now on, also accept policy files (and links and directories on their way) owned by this
 * process's effective uid.  Only for `ocigate check`, which decides nothing: a CI job judges
 * configs with the policy in its own checkout, owned by the job's user.  Never called on a path
 * that runs the runtime: there the policy decides what runs as root, and must be root's.  */
void policy_file_trust_caller (void);

/* Open `name` -- absolute, or relative to dirfd (AT_FDCWD or a directory shown as dir_shown) --
 * for reading, through the trusted walk of policy_file_path.c: every directory passed, every
 * symlink followed and the file (a directory when `directory`) itself must be root's and not
 * writable by group or others.  Returns the descriptor or -1.  */
OCG_MUST_CHECK
int policy_file_open_path (int dirfd, const char *dir_shown, const char *name, bool directory,
                           ocg_error_t *err);

#endif
