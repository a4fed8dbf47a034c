/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule restore: a container restored from a checkpoint image runs the process the image holds.
 *
 * `runc restore` loads config.json like create (so every other rule judges it), but the process
 * itself comes back from the CRIU image (runc libcontainer/container_linux.go Restore, which hands
 * CRIU the image directory): its credentials -- uid/gids, the permitted, effective, inheritable,
 * bounding and ambient capabilities, securebits, no_new_privs, the LSM profile (CRIU
 * images/creds.proto creds_entry, applied by criu/pie/restorer.c) --, its seccomp filters
 * (images/seccomp.proto, criu/seccomp.c), its rlimits and oom_score_adj, and which namespaces it
 * lives in.  What config.json still decides is the root filesystem, the bind mounts (handed to
 * CRIU as external mounts), the device nodes, the joined namespaces by path, the cgroup limits and
 * the hooks.  The process fields of config.json -- capabilities, seccomp, noNewPrivileges, user,
 * apparmorProfile, rlimits -- are not what the restored process gets, and a rewrite of them
 * changes nothing.  An image can come from anywhere (`podman container restore --import` takes a
 * tarball; runc takes any --image-path), so one dumped from a privileged container, or from a
 * host process, restores with all capabilities and no seccomp whatever config.json says.
 *
 * ocigate does not read CRIU images, so a restore is refused unless the policy allows it: set
 * this rule to `warn` or `off`, or grant it in an exemption, for the containers whose images come
 * from a checkpoint you trust.  crun 1.8.1 restores the same way (src/libcrun/criu.c) when it is
 * built with CRIU.  Must not: do I/O.  */
#include <config.h>

#include "engine.h"

static int
rule_restore_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  (void)err;
  if (ctx->call->verb == CALL_RESTORE)
    finding_add (out, ctx, "", false,
                 "the restored process takes its capabilities, user, seccomp filter, "
                 "no_new_privs and LSM profile from the checkpoint image, which ocigate does "
                 "not read; only config.json's mounts, devices, namespaces, limits and hooks "
                 "are judged");
  return 0;
}

const struct rule rule_restore = {
  .id = "restore",
  .title = "a container is restored from a checkpoint image only where the policy allows it",
  .cis = NULL,
  .pss = NULL,
  .hint = "set this rule to warn or off, or exempt the containers whose checkpoint you trust",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_restore_check,
  .rewrite = NULL,
};
