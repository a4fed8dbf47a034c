/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running a helper program and collecting what it prints: `containerd config dump`, a runtime's
 * `--version`, the engine CLIs of `ocigate doctor --probe`, `systemctl restart`.
 *
 * Owns: fork + execve of an absolute path, bounded capture of stdout and stderr, a deadline.
 * Must not: search PATH or run a shell; never used on a runtime call (those execve the runtime). */
#ifndef OCG_SPAWN_H
#define OCG_SPAWN_H

#include <stddef.h>

#include "err.h"

struct spawn_result
{
  int status; /* exit status, or 128 + signal */
  char *out;  /* stdout, NUL-terminated (malloc'd) */
  size_t out_len;
  char *err; /* stderr, NUL-terminated (malloc'd) */
};

void spawn_result_release (struct spawn_result *r);

/* Run argv[0] (an absolute path) with `envp` (NULL: ours), feeding `input` (may be NULL) on
 * stdin, and wait for it at most `timeout_s` seconds (then it is killed and this fails).  Output
 * beyond `max_out` bytes per stream is an error.  Returns 0 whatever the exit status, -1 when the
 * program could not be run or waited for.  */
OCG_MUST_CHECK
int spawn_run (const char *const *argv, char *const *envp, const void *input, size_t input_len,
               size_t max_out, unsigned timeout_s, struct spawn_result *r, ocg_error_t *err);

/* The first line of r->out (or of r->err when stdout is empty), malloc'd, at most 200 bytes.  */
char *spawn_first_line (const struct spawn_result *r);

#endif
