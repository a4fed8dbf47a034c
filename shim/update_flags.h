/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `update` with individual flags (`--memory 512m`, `--pids-limit -1`, ...) as a resources
 * document, so it is judged like `update --resources`.
 *
 * Owns: what each runtime makes of the flags -- runc 1.1.5 parses them (update.go) into a
 * specs.LinuxResources whose zero members its cgroup managers leave unchanged; crun 1.8.1 pastes
 * them into a JSON text (src/update.c, libcrun_container_update_from_values) that it then parses
 * like a --resources file.  Must not: judge (the engine does), or read files.  */
#ifndef OCG_UPDATE_FLAGS_H
#define OCG_UPDATE_FLAGS_H

#include "argv.h"
#include "err.h"
#include "runtime.h"
#include "spec.h"

/* The document the runtime will apply (a SPEC_RESOURCES spec), or NULL with *err set where the
 * runtime would refuse the flags (or ocigate cannot tell what it would do with them).  */
OCG_MUST_CHECK
struct spec *update_flags_document (const struct runc_invocation *inv, const struct runtime *rt,
                                    ocg_error_t *err);

/* runc's document as JSON text (malloc'd), for tests.  */
OCG_MUST_CHECK
char *update_flags_runc_text (const struct runc_invocation *inv, ocg_error_t *err);

/* crun's document as JSON text, byte for byte what crun 1.8.1 generates (malloc'd).  */
OCG_MUST_CHECK
char *update_flags_crun_text (const struct runc_invocation *inv, ocg_error_t *err);

#endif
