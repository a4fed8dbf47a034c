/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule annotations: `annotations` are free-form metadata to the runtime-spec, but runc and crun
 * act on some of them, and `docker --annotation`, `podman --annotation` and `ctr --annotation`
 * let whoever starts a container set any key.  crun 1.8.1 replaces the seccomp filter with
 * `run.oci.seccomp_bpf_data` (container.c libcrun_container_run_internal), dlopen()s the
 * libraries of `run.oci.seccomp.plugins` on the host as root, and opens the paths of
 * `run.oci.hooks.stdout`/`stderr` on the host with O_CREAT as root; runc 1.1.5 and crun turn every
 * `org.systemd.property.<Name>` into a property of the container's systemd unit (specconv
 * initSystemdProps, cgroup-systemd.c), where DeviceAllow= or Delegate= widen the container.
 *
 * Owns: denying every annotation key in a namespace runc or crun acts on (`run.oci.*`,
 * `org.systemd.property.*`, `module.wasm.image/...`, `org.criu.*`) unless the `allow` parameter
 * names it, and every key that contains `=`.  Keys outside those namespaces
 * (io.kubernetes.cri.*, io.podman.*, org.opencontainers.*) carry no instruction for the runtime
 * and pass.  Matching is exact and case-sensitive, as both runtimes compare keys with strcmp /
 * Go map lookups; the JSON reader already refuses duplicate keys and \u0000 in them.
 * Must not: do I/O, or rewrite -- removing an annotation can change what the workload asked for
 * (a wasm handler, a stop timeout), so a denied key is the user's to drop or the operator's to
 * allow.  */
#include <config.h>

#include <fnmatch.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "engine.h"
#include "ruleutil.h"
#include "spec.h"
#include "util.h"

/* The rule's parameters (policy file `rules.annotations`).  */
struct annotations_params
{
  char **allow; /* fnmatch(3) patterns of runtime-read keys that are allowed anyway */
};

/* Set on every container by the engines, and harmless: they only say how systemd stops the
 * container's scope and when it garbage-collects it.  Podman (libpod container_internal_linux.go,
 * since 4.x) sets KillSignal and TimeoutStopUSec from the stop signal and timeout; CRI-O
 * (server/container_create_linux.go) sets TimeoutStopUSec, CollectMode, DefaultDependencies and
 * After=crio.service with its systemd cgroup manager.  */
static const char *const annotations_default_allow[] = {
  "org.systemd.property.KillSignal",  "org.systemd.property.TimeoutStopUSec",
  "org.systemd.property.CollectMode", "org.systemd.property.DefaultDependencies",
  "org.systemd.property.After",       NULL,
};

static const struct rule_param annotations_param_table[] = {
  {
      .key = "allow",
      .type = PARAM_STRINGS,
      .offset = offsetof (struct annotations_params, allow),
      .def.list = annotations_default_allow,
  },
};

struct annotations_effect
{
  const char *key; /* the exact key, or a prefix when `prefix` */
  bool prefix;
  const char *effect; /* completes "annotation `KEY` ..." */
};

/* Exact keys first (crun 1.8.1 src/libcrun: every find_annotation call; runc 1.1.5
 * libcontainer/container_linux.go handleCriuConfigurationFile), then the namespaces, so a key a
 * later runtime version adds is denied too.  */
static const struct annotations_effect annotations_effects[] = {
  { "run.oci.seccomp_bpf_data", false,
    "makes crun replace the container's seccomp filter with the BPF program it carries "
    "(CIS 5.22)" },
  { "run.oci.seccomp.plugins", false,
    "makes crun dlopen() the listed libraries on the host, as root (CIS 5.22)" },
  { "run.oci.seccomp.receiver", false,
    "makes crun hand the container's seccomp notification fd to a host socket (CIS 5.22)" },
  { "run.oci.seccomp_fail_unknown_syscall", false,
    "changes how crun builds the container's seccomp filter (CIS 5.22)" },
  { "run.oci.hooks.stdout", false,
    "makes crun create and append to that host path, as root, when the config has hooks" },
  { "run.oci.hooks.stderr", false,
    "makes crun create and append to that host path, as root, when the config has hooks" },
  { "run.oci.handler", false, "makes crun run the container through another handler (krun, wasm)" },
  { "module.wasm.image/variant", false, "makes crun run the container through a wasm handler" },
  { "run.oci.pidfd_receiver", false, "makes crun hand a pidfd of the container to a host socket" },
  { "run.oci.keep_original_groups", false,
    "makes crun keep the runtime's supplementary groups instead of process.user's" },
  { "run.oci.delegate-cgroup", false, "makes crun delegate a cgroup subtree to the container" },
  { "run.oci.systemd.subgroup", false, "changes the cgroup crun places the container in" },
  { "run.oci.systemd.force_cgroup_v1", false,
    "changes which cgroup hierarchy crun mounts in the container" },
  { "run.oci.timens_offset", false, "sets the clocks of the container's time namespace" },
  { "run.oci.mount_context_type", false,
    "changes the SELinux context option crun adds to the container's mounts" },
  { "org.criu.config", false,
    "names the CRIU configuration file for checkpoint and restore (its action scripts run on "
    "the host as root)" },
  { "run.oci.", true, "is in crun's namespace: crun acts on these keys" },
  { "org.systemd.property.", true,
    "sets a property of the container's systemd unit (runc and crun with the systemd cgroup "
    "driver): DeviceAllow, Delegate or a limit widens the container" },
  { "module.wasm.image/", true, "is in crun's wasm handler namespace" },
  { "org.criu.", true, "is in CRIU's namespace, read on checkpoint and restore" },
};

static const char *
annotations_effect_of (const char *key)
{
  for (size_t i = 0; i < ARRAY_SIZE (annotations_effects); i++)
    {
      const struct annotations_effect *e = &annotations_effects[i];
      if (e->prefix ? str_has_prefix (key, e->key) : strcmp (key, e->key) == 0)
        return e->effect;
    }
  return NULL;
}

static bool
annotations_allowed (const struct annotations_params *p, const char *key)
{
  for (char **allow = p->allow; *allow != NULL; allow++)
    if (fnmatch (*allow, key, 0) == 0)
      return true;
  return false;
}

static void
annotations_check_one (const struct rule_ctx *ctx, struct findings *out, const char *key)
{
  cleanup_free char *ptr = spec_ptr_join ("/annotations", key);
  cleanup_free char *shown = json_quote_key (key);
  const char *effect = NULL;

  /* runc 1.1.5 keeps annotations as "key=value" labels of its state and splits them back at the
   * first `=` (libcontainer/utils Annotations): `org.criu.config=/x` becomes org.criu.config,
   * and any engine-set key can be shadowed.  No engine writes such a key.  */
  if (strchr (key, '=') != NULL)
    {
      cleanup_free char *alias = xstrndup (key, strcspn (key, "="));
      cleanup_free char *alias_shown = json_quote_key (alias);
      finding_add (out, ctx, ptr, false,
                   "annotation key `%s` contains `=`: runc reads it back as the annotation `%s`",
                   shown, alias_shown);
      return;
    }
  effect = annotations_effect_of (key);
  if (effect != NULL && !annotations_allowed (ctx->params, key))
    finding_add (out, ctx, ptr, false, "annotation `%s` %s", shown, effect);
}

static int
rule_annotations_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const struct json_node *annotations = spec_get_object (ctx->spec, "/annotations");

  (void)err;
  for (size_t i = 0; annotations != NULL && i < annotations->n; i++)
    annotations_check_one (ctx, out, annotations->keys[i]);
  return 0;
}

const struct rule rule_annotations = {
  .id = "annotations",
  .title = "no annotations that instruct the runtime (crun run.oci.*, systemd unit properties)",
  /* No CIS recommendation covers annotations; the seccomp keys say "CIS 5.22" in their message,
   * as host-namespaces does per namespace.  */
  .cis = NULL,
  .pss = NULL,
  .hint = "remove the annotation, or allow its key in the policy's `annotations.allow`",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_annotations_check,
  .rewrite = NULL,
  RULE_PARAMS (struct annotations_params, annotations_param_table),
};
