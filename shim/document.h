/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The document a policed verb hands the runtime, found where the runtime will read it.
 *
 * Owns: config.json in the bundle runc chdir()s into (or crun's --config relative to the
 * caller's cwd), and who may have written it; an exec --process file; update's --resources file
 * or stdin; the documents exec and update build from their flags; and handing the judged bytes
 * back (the atomic write-back, or the same descriptor for a document that came through one).
 * Must not: judge, or record anything.  */
#ifndef OCG_DOCUMENT_H
#define OCG_DOCUMENT_H

#include <stdbool.h>
#include <sys/types.h>

#include "argv.h"
#include "engine.h"
#include "runtime.h"
#include "spec.h"
#include "stream_doc.h"

struct document
{
  struct spec *spec;
  char *bundle_dir;         /* a config's canonical bundle directory (struct call), or NULL */
  int dirfd;                /* where the document lives (AT_FDCWD or the bundle), or -1 */
  const char *name;         /* its name relative to dirfd; NULL for a stream or a synthetic one */
  const char *display;      /* how the user named it, for messages and the audit record */
  struct stream_doc stream; /* a document that came through a descriptor */
  bool synthetic;           /* built from flags: a rewrite cannot be handed on (argv is passed
                             * byte for byte) */
  bool in_bundle;           /* config.json of a bundle directory: a rewrite keeps the engine's
                             * file linked there (document_hand_on) */
};

#define DOCUMENT_INIT                                                                              \
  {                                                                                                \
    .dirfd = -1, .stream = STREAM_DOC_INIT                                                         \
  }

/* Load the document of a create, run, restore, exec or update call.  exec and update without a
 * document build it from their flags as the runtime `rt` does (exec_synth.h, update_flags.h);
 * `policy` and `host` serve exec's audit-mode reading (exec_synth_process).  A document that
 * came through a descriptor is in doc->stream even when it failed to load, so that its bytes
 * can still be handed on.  */
OCG_MUST_CHECK
int document_load (const struct runc_invocation *inv, const struct runtime *rt,
                   const struct policy *policy, const struct host_facts *host, struct document *doc,
                   ocg_error_t *err);

/* `ocigate check TARGET`: a bundle directory (its config.json), a config file, or `-` (stdin, in
 * a bundle that is the current directory).  */
OCG_MUST_CHECK
int document_load_check (const char *target, struct document *doc, ocg_error_t *err);

/* Give the runtime the judged document: with `rewritten`, the rewrite (written back atomically,
 * or put at the descriptor); without, a document that came through a descriptor gets its
 * original bytes back.  */
OCG_MUST_CHECK
int document_hand_on (struct document *doc, bool rewritten, ocg_error_t *err);

void document_release (struct document *doc);

/* The host uid a config's root is mapped to when it asks for a user namespace (the uidMappings
 * entry for containerID 0), or 0 when it does not.  Podman --uidmap and --userns=auto chown the
 * container's own directories (the bundle, userdata/) to it.  */
uid_t document_container_root (const struct spec *spec);

#endif
