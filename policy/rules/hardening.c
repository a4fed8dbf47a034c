/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rules that inject the engines' default protections when they are missing:
 *   `masked-paths`       the default linux.maskedPaths / linux.readonlyPaths (PSS procMount);
 *   `seccomp`            a confining seccomp filter (CIS Docker 1.6.0 5.22, PSS seccompProfile);
 *   `no-new-privileges`  process.noNewPrivileges (CIS 5.26, PSS allowPrivilegeEscalation).
 * Must not: do I/O.  The seccomp profile is parsed once by the policy (the `profile` parameter);
 * here it is only specialised for this container and merged with the container's own
 * (seccomp_merge_oci): a rewrite adds restrictions, it never replaces one.  */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h> /* libseccomp's <seccomp.h>: seccomp_arch_native () */

#include "ruleutil.h"
#include "seccomp.h"
#include "util.h"

/* ---- masked-paths ---- */

static void
masked_check_one (const struct rule_ctx *ctx, struct findings *out, const char *ptr,
                  const char *const *want, const char *what)
{
  size_t n = 0;
  cleanup_free const char **missing = ruleutil_missing_strings (ctx->spec, ptr, want, &n);
  cleanup_free char *list = NULL;

  if (n == 0)
    return;
  list = ruleutil_join_quoted (missing, n);
  finding_add (out, ctx, ptr, true, "%s paths missing: %s", what, list);
}

static int
rule_masked_paths_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  (void)err;
  masked_check_one (ctx, out, "/linux/maskedPaths", ruleutil_default_masked_paths, "masked");
  masked_check_one (ctx, out, "/linux/readonlyPaths", ruleutil_default_readonly_paths, "read-only");
  return 0;
}

static int
masked_fix_one (struct spec *spec, const char *ptr, const char *const *want, ocg_error_t *err)
{
  size_t n = 0;
  cleanup_free const char **missing = ruleutil_missing_strings (spec, ptr, want, &n);

  return n ? ruleutil_append_strings (spec, ptr, missing, n, err) : 0;
}

/* Append what is missing; keep what the engine added (podman masks more, e.g. /proc/interrupts
 * in newer Docker).  */
static int
rule_masked_paths_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  (void)ctx;
  if (masked_fix_one (spec, "/linux/maskedPaths", ruleutil_default_masked_paths, err) < 0)
    return -1;
  return masked_fix_one (spec, "/linux/readonlyPaths", ruleutil_default_readonly_paths, err);
}

const struct rule rule_masked_paths = {
  .id = "masked-paths",
  .title = "kernel interfaces under /proc and /sys are masked or read-only",
  .cis = NULL,
  .pss = "procMount",
  .hint = "keep the engine's default masked paths (no --security-opt systempaths=unconfined)",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_masked_paths_check,
  .rewrite = rule_masked_paths_rewrite,
};

/* ---- seccomp ---- */

/* The rule's parameters (policy file `rules.seccomp`).  */
struct seccomp_rule_params
{
  struct param_seccomp profile; /* the policy's profile, loaded by the policy */
  bool native_arch_only;        /* inject it for the native architecture alone */
};

/* native_arch_only: moby's default profile filters the native architecture and its
 * sub-architectures (archMap: x86_64 -> x86, x32), so a container may make 32-bit system calls
 * (int 0x80 on x86_64), each checked against a filter section of its own.  Dropping those
 * sections makes every 32-bit system call fail -- libseccomp answers a system call of an
 * architecture the filter does not list with its bad-architecture action, by default kill, which
 * neither runc nor crun changes: the process dies of SIGSYS -- which closes the 32-bit entry
 * points' kernel surface (the compat system call table) and makes the filter the
 * runtime compiles at every container start about a third of the size (runc 1.1.5
 * libcontainer/seccomp/seccomp_linux.go InitSeccomp adds every listed architecture to the
 * libseccomp filter).  Off by default: a container of 32-bit binaries (a multilib image, an
 * i386 userland) stops working; `restricted` turns it on.  Only what the policy injects is
 * restricted: a container's own confining profile keeps its architectures (the seccomp rule
 * then only tightens its host-global system calls).  */
static const struct rule_param seccomp_param_table[] = {
  {
      .key = "profile",
      .type = PARAM_SECCOMP,
      .offset = offsetof (struct seccomp_rule_params, profile),
      .def.text = "default",
  },
  {
      .key = "native_arch_only",
      .type = PARAM_BOOL,
      .offset = offsetof (struct seccomp_rule_params, native_arch_only),
      .def.number = false,
  },
};

/* `architectures` of the policy's profile cut to the native one (native_arch_only).  */
static void
seccomp_native_only (struct json_node *wanted)
{
  const struct seccomp_arch *native = seccomp_arch_by_token (seccomp_arch_native ());
  struct json_node *archs = json_new_array ();

  json_arr_append (archs, json_new_string (native->oci));
  json_obj_set (wanted, "architectures", archs);
}

/* The policy's profile specialised like moby's setupSeccomp does it: for the container's final
 * bounding set (the capabilities rule ran before this one), the native architecture (libseccomp's
 * build architecture, which is also what runc's and crun's libseccomp use) and the running
 * kernel.  A new tree, or NULL.  */
static struct json_node *
seccomp_wanted (const struct rule_ctx *ctx, const struct spec *spec, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (spec, "/capabilities/bounding");
  size_t n_caps = 0;
  cleanup_free const char **caps = spec_get_strv (spec, ptr, &n_caps);
  const struct seccomp_rule_params *p = ctx->params;
  const struct param_seccomp *profile = &p->profile;
  struct json_node *wanted;

  if (profile->profile == NULL)
    return ocg_error_set (err, 0, "seccomp profile `%s` is not loaded%s%s",
                          profile->name ? profile->name : "default", profile->error ? ": " : "",
                          profile->error ? profile->error : ""),
           NULL;
  wanted = seccomp_specialise (profile->profile, caps, n_caps, seccomp_arch_native (),
                               ctx->host->kernel_major, ctx->host->kernel_minor, err);
  if (wanted != NULL && p->native_arch_only)
    seccomp_native_only (wanted);
  return wanted;
}

/* Syscalls that reach state the host shares with every container, which an engine's profile may
 * still allow (containers/common, the profile of Podman and CRI-O, allows keyctl, unshare, clone
 * and clone3 outright): the keyrings, which are not namespaced (the container's root is the host
 * root's user keyring), BPF, perf events and userfaultfd.  A profile that confines the rest keeps
 * everything else it says; these get the policy's answer when it is stricter.  */
static const char *const seccomp_host_global[]
    = { "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", NULL };
/* ... and, where the host lets a process without CAP_SYS_ADMIN create a user namespace, the
 * calls that create one: inside it the container holds every capability over new mount,
 * network and other namespaces -- the kernel surface user namespaces open.  */
static const char *const seccomp_host_global_userns[]
    = { "keyctl",      "add_key", "request_key", "bpf",    "perf_event_open",
        "userfaultfd", "unshare", "clone",       "clone3", NULL };

/* What the rule does with a document's seccomp object.  */
struct seccomp_plan
{
  const struct json_node *current;    /* the container's own, or NULL */
  bool confines;                      /* current is restrictive (seccomp_is_restrictive) */
  struct seccomp_merge_result merged; /* .oci NULL: leave the document as it is */
  char *refused;                      /* why no merged object can keep the container's own */
};

static void
seccomp_plan_release (struct seccomp_plan *plan)
{
  seccomp_merge_result_release (&plan->merged);
  free (plan->refused);
}

/* A missing object becomes the policy's.  One that does not confine is merged with the policy's
 * whole (every restriction of the container's own kept); one that confines only gets the policy's
 * answer for the host-global syscalls.  A merge that cannot keep the container's restrictions is
 * a refusal, never a replacement.  */
static int
seccomp_plan_compute (const struct rule_ctx *ctx, const struct spec *spec,
                      struct seccomp_plan *plan, ocg_error_t *err)
{
  cleanup_json struct json_node *wanted = NULL;
  cleanup_error ocg_error_t why = NULL;
  const char *const *only = NULL;

  wanted = seccomp_wanted (ctx, spec, err);
  if (wanted == NULL)
    return -1;
  if (plan->current == NULL)
    {
      plan->merged.oci = steal_pointer (&wanted);
      plan->merged.changed = true;
      return 0;
    }
  plan->confines = seccomp_is_restrictive (plan->current);
  if (plan->confines)
    only = ctx->host->userns_unprivileged ? seccomp_host_global_userns : seccomp_host_global;
  if (seccomp_merge_oci_changed (plan->current, wanted, only, seccomp_arch_native (), &plan->merged,
                                 &why)
      < 0)
    plan->refused = ocg_error_text (why);
  else if (!plan->merged.changed)
    seccomp_merge_result_release (&plan->merged);
  return 0;
}

/* The plan is a function of the document's seccomp object, its bounding set, the policy's
 * profile and parameters and the host's kernel facts -- nothing else.  The engine checks the rule
 * up to four times per document (check, check before the rewrite, the rewrite, the recheck), and
 * a specialisation and merge of Docker's 370-name profile costs millions of instructions each
 * time, so the last plan is kept with its inputs and handed out again only when every input is
 * the same, byte for byte (json_identical): a copy, so that the result cannot differ.  */
struct seccomp_memo
{
  const struct json_node *profile; /* the policy's profile it was computed with (owned there) */
  bool native_arch_only;
  unsigned kernel_major, kernel_minor;
  bool userns_unprivileged;
  struct json_node *current; /* the document's seccomp object (a copy), NULL when it had none */
  char **caps;               /* its bounding set, NULL-terminated */
  struct seccomp_plan plan;  /* .current unused */
};

static void
seccomp_memo_free (void *memo)
{
  struct seccomp_memo *m = memo;

  if (m == NULL)
    return;
  json_free (m->current);
  strv_free (m->caps);
  seccomp_plan_release (&m->plan);
  free (m);
}

static bool
seccomp_memo_hit (const struct seccomp_memo *m, const struct rule_ctx *ctx,
                  const struct json_node *current, const char *const *caps, size_t n_caps)
{
  const struct seccomp_rule_params *p = ctx->params;

  if (m == NULL || m->profile != p->profile.profile || m->native_arch_only != p->native_arch_only
      || m->kernel_major != ctx->host->kernel_major || m->kernel_minor != ctx->host->kernel_minor
      || m->userns_unprivileged != ctx->host->userns_unprivileged
      || strv_length ((const char *const *)m->caps) != n_caps)
    return false;
  for (size_t i = 0; i < n_caps; i++)
    if (strcmp (m->caps[i], caps[i]) != 0)
      return false;
  return json_identical (m->current, current);
}

static void
seccomp_plan_copy (const struct seccomp_plan *from, struct seccomp_plan *to)
{
  to->confines = from->confines;
  to->merged.oci = from->merged.oci != NULL ? json_clone (from->merged.oci) : NULL;
  to->merged.tightened = from->merged.tightened != NULL
                             ? strv_dup ((const char *const *)from->merged.tightened)
                             : NULL;
  to->merged.changed = from->merged.changed;
  to->refused = from->refused != NULL ? xstrdup (from->refused) : NULL;
}

static void
seccomp_memo_keep (const struct rule_ctx *ctx, const struct seccomp_plan *plan,
                   const char *const *caps, size_t n_caps)
{
  const struct seccomp_rule_params *p = ctx->params;
  struct param_seccomp *slot = (struct param_seccomp *)&p->profile;
  struct seccomp_memo *m = xzalloc (sizeof (*m));

  m->profile = p->profile.profile;
  m->native_arch_only = p->native_arch_only;
  m->kernel_major = ctx->host->kernel_major;
  m->kernel_minor = ctx->host->kernel_minor;
  m->userns_unprivileged = ctx->host->userns_unprivileged;
  m->current = plan->current != NULL ? json_clone (plan->current) : NULL;
  m->caps = xreallocarray (NULL, n_caps + 1, sizeof (char *));
  for (size_t i = 0; i < n_caps; i++)
    m->caps[i] = xstrdup (caps[i]);
  m->caps[n_caps] = NULL;
  seccomp_plan_copy (plan, &m->plan);
  if (slot->memo_free != NULL)
    slot->memo_free (slot->memo);
  slot->memo = m;
  slot->memo_free = seccomp_memo_free;
}

static int
seccomp_plan_make (const struct rule_ctx *ctx, const struct spec *spec, struct seccomp_plan *plan,
                   ocg_error_t *err)
{
  const struct seccomp_rule_params *p = ctx->params;
  cleanup_free char *ptr = ruleutil_process_ptr (spec, "/capabilities/bounding");
  size_t n_caps = 0;
  cleanup_free const char **caps = spec_get_strv (spec, ptr, &n_caps);

  memset (plan, 0, sizeof (*plan));
  plan->current = spec_get_object (spec, "/linux/seccomp");
  if (seccomp_memo_hit (p->profile.memo, ctx, plan->current, caps, n_caps))
    {
      seccomp_plan_copy (&((const struct seccomp_memo *)p->profile.memo)->plan, plan);
      return 0;
    }
  if (seccomp_plan_compute (ctx, spec, plan, err) < 0)
    return -1;
  seccomp_memo_keep (ctx, plan, caps, n_caps);
  return 0;
}

static void
seccomp_listener_check (const struct rule_ctx *ctx, struct findings *out)
{
  const char *listener = NULL;

  /* runc and crun connect to listenerPath on the host, as root, and hand whoever listens there
   * the container's seccomp notify fd and its state: the listener then decides the container's
   * syscalls.  Any host socket would be dialled; no rewrite can tell a trusted agent apart.  */
  if (spec_get_string (ctx->spec, "/linux/seccomp/listenerPath", &listener) && listener[0] != '\0')
    {
      cleanup_free char *shown = json_quote_key (listener);
      finding_add (out, ctx, "/linux/seccomp/listenerPath", false,
                   "seccomp listenerPath `%s` hands the container's syscalls to a host socket",
                   shown);
    }
}

static void
seccomp_report (const struct rule_ctx *ctx, struct findings *out, const struct seccomp_plan *plan)
{
  const char *action = "?";
  cleanup_free char *names = NULL;

  spec_get_string (ctx->spec, "/linux/seccomp/defaultAction", &action);
  if (plan->refused != NULL)
    finding_add (out, ctx, "/linux/seccomp", false,
                 "the container's seccomp profile cannot be kept under the policy's (%s)",
                 plan->refused);
  else if (plan->merged.oci == NULL)
    return;
  else if (plan->current == NULL)
    finding_add (out, ctx, "/linux/seccomp", true, "no seccomp profile");
  else if (!plan->confines)
    finding_add (out, ctx, "/linux/seccomp", true,
                 "seccomp profile does not confine the container (defaultAction `%s`, or an "
                 "escape syscall allowed): the policy's profile is added, keeping every "
                 "restriction of its own",
                 action);
  else
    {
      const char *const *tightened = (const char *const *)plan->merged.tightened;

      names = ruleutil_join_quoted (tightened, strv_length (tightened));
      finding_add (out, ctx, "/linux/seccomp", true,
                   "seccomp profile allows %s, which reach state the host shares (keyrings, "
                   "user namespaces, BPF, perf events, userfaultfd): they get the policy's answer",
                   names);
    }
}

static int
rule_seccomp_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  struct seccomp_plan plan;

  seccomp_listener_check (ctx, out);
  if (seccomp_plan_make (ctx, ctx->spec, &plan, err) < 0)
    return -1;
  seccomp_report (ctx, out, &plan);
  seccomp_plan_release (&plan);
  return 0;
}

static int
rule_seccomp_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  struct seccomp_plan plan;
  int ret = 0;

  if (seccomp_plan_make (ctx, spec, &plan, err) < 0)
    return -1;
  if (plan.refused == NULL && plan.merged.oci != NULL)
    ret = spec_set (spec, "/linux/seccomp", steal_pointer (&plan.merged.oci), err);
  seccomp_plan_release (&plan);
  return ret;
}

const struct rule rule_seccomp = {
  .id = "seccomp",
  .title = "a confining seccomp profile is applied",
  .cis = "5.22",
  .pss = "seccompProfile",
  .hint = "do not run with --security-opt seccomp=unconfined",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_seccomp_check,
  .rewrite = rule_seccomp_rewrite,
  RULE_PARAMS (struct seccomp_rule_params, seccomp_param_table),
  /* The profile and the bounding set it is specialised for.  */
  RULE_READS ("/linux/seccomp", "/process/capabilities"),
};

/* ---- no-new-privileges ---- */

static int
rule_no_new_privileges_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (ctx->spec, "/noNewPrivileges");
  bool nnp = false;

  (void)err;
  if (!spec_get_bool (ctx->spec, ptr, &nnp) || !nnp)
    finding_add (out, ctx, ptr, true, "process may gain privileges (noNewPrivileges is not set)");
  return 0;
}

static int
rule_no_new_privileges_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (spec, "/noNewPrivileges");

  (void)ctx;
  return spec_set (spec, ptr, json_new_bool (true), err);
}

/* Also for exec: runc 1.1.5 takes noNewPrivileges of an `exec --process` document as given (it
 * does not inherit the container's), and Docker's process.json never sets it.  */
const struct rule rule_no_new_privileges = {
  .id = "no-new-privileges",
  .title = "processes cannot gain privileges through setuid binaries or file capabilities",
  .cis = "5.26",
  .pss = "allowPrivilegeEscalation",
  .hint = "run with --security-opt no-new-privileges",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_no_new_privileges_check,
  .rewrite = rule_no_new_privileges_rewrite,
};
