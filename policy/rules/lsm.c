/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rules apparmor (CIS Docker 1.6.0 5.2, PSS appArmorProfile) and selinux (CIS 5.3, PSS
 * seLinuxOptions): the container runs confined by the host's LSM when the host has one.
 *
 * Owns: `process.apparmorProfile`, `process.selinuxLabel` and `linux.mountLabel` of a config, and
 * the same process members of an `exec --process` file.  Must not: do I/O (whether AppArmor or
 * SELinux is on, which profiles are loaded and which contexts are valid come from host facts), or
 * judge an LSM the host does not run: runc refuses a SELinux label on a host without SELinux
 * (libcontainer/configs/validate/validator.go security()), and an AppArmor profile cannot be
 * injected where it is not loaded.  On such hosts both rules find nothing.
 *
 * An exec process without a profile or label inherits the container's (runc container_linux.go
 * newInitConfig keeps c.config.AppArmorProfile / ProcessLabel unless the process sets one), so
 * only an explicit `unconfined`, a profile AppArmor does not enforce, or a forbidden type matters
 * there.  A named AppArmor profile is judged by the mode the kernel lists it in, not by its name:
 * one loaded in complain mode, or with flags=(unconfined), confines nothing.  */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "hostfacts.h"
#include "json.h"
#include "ruleutil.h"
#include "spec.h"
#include "util.h"

/* apparmor ---------------------------------------------------------------------------------- */

/* The rule's parameters (policy file `rules.apparmor`).  */
struct apparmor_params
{
  char *profile; /* the profile injected where it is loaded and enforced */
};

/* Docker's profile name; injected only when the host has it loaded.  */
static const struct rule_param apparmor_param_table[] = {
  {
      .key = "default",
      .type = PARAM_STRING,
      .offset = offsetof (struct apparmor_params, profile),
      .def.text = "docker-default",
  },
};

static const char *
apparmor_default (const struct apparmor_params *p)
{
  return p->profile;
}

/* A profile confines when AppArmor enforces it: mode `enforce`, or `kill` (which also kills on a
 * denial).  `complain` only logs, and a profile loaded with flags=(unconfined) shows mode
 * `unconfined`: the process runs unconfined under its name (security/apparmor/apparmorfs.c
 * seq_show_profile prints each loaded profile as "NAME (MODE)").  */
static bool
apparmor_mode_confines (const char *mode)
{
  return mode != NULL && (str_eq (mode, "enforce") || str_eq (mode, "kill"));
}

static char *
apparmor_mode (const struct host_facts *host, const char *name)
{
  return host->apparmor_profile_mode != NULL ? host->apparmor_profile_mode (host, name) : NULL;
}

/* The default can be injected only where AppArmor runs and the profile is loaded and enforced:
 * runc fails to start a container whose profile the kernel does not know.  */
static bool
apparmor_can_inject (const struct rule_ctx *ctx)
{
  cleanup_free char *mode = NULL;

  if (!ctx->host->apparmor_enabled)
    return false;
  mode = apparmor_mode (ctx->host, apparmor_default (ctx->params));
  return apparmor_mode_confines (mode);
}

enum apparmor_state
{
  APPARMOR_CONFINED,   /* a profile AppArmor enforces */
  APPARMOR_NONE,       /* none in a config: the runtime applies nothing */
  APPARMOR_INHERITED,  /* none in an exec process: it keeps the container's */
  APPARMOR_UNCONFINED, /* `unconfined` */
  APPARMOR_WEAK,       /* loaded, but not enforced (complain, unconfined mode) */
  APPARMOR_UNKNOWN,    /* not loaded: the runtime fails to apply it */
};

/* The kernel reads `exec NAME` from the runtime with surrounding white space removed
 * (security/apparmor/lsm.c apparmor_setprocattr: strim, skip_spaces), and NAME may stack
 * profiles, `a//&b`, or stack onto the current one, `&b` (aa_change_profile): the process is
 * confined by every profile of the stack, so one enforced profile is enough.  */
static enum apparmor_state
apparmor_judge (const struct host_facts *host, const char *profile, char **weak_mode)
{
  cleanup_free char *name = xstrndup (profile + strspn (profile, " \t\n\v\f\r"), strlen (profile));
  size_t len = strlen (name);
  bool loaded = false;

  while (len > 0 && strchr (" \t\n\v\f\r", name[len - 1]) != NULL)
    name[--len] = '\0';
  if (str_eq (name, "unconfined"))
    return APPARMOR_UNCONFINED;
  for (char *tok = name, *next; tok != NULL; tok = next)
    {
      cleanup_free char *mode = NULL;

      next = strstr (tok, "//&");
      if (next != NULL)
        {
          *next = '\0';
          next += 3;
        }
      mode = apparmor_mode (host, tok[0] == '&' ? tok + 1 : tok);
      if (apparmor_mode_confines (mode))
        return APPARMOR_CONFINED;
      loaded = loaded || mode != NULL;
      if (mode != NULL && *weak_mode == NULL)
        *weak_mode = steal_pointer (&mode);
    }
  return loaded ? APPARMOR_WEAK : APPARMOR_UNKNOWN;
}

static enum apparmor_state
apparmor_state_of (const struct rule_ctx *ctx, const struct spec *spec, const char **current,
                   char **weak_mode)
{
  cleanup_free char *path = ruleutil_process_ptr (spec, "/apparmorProfile");

  *current = NULL;
  *weak_mode = NULL;
  if (!spec_get_string (spec, path, current) || (*current)[0] == '\0')
    return spec->kind == SPEC_CONFIG ? APPARMOR_NONE : APPARMOR_INHERITED;
  return apparmor_judge (ctx->host, *current, weak_mode);
}

static bool
apparmor_wants_default (enum apparmor_state state)
{
  return state == APPARMOR_NONE || state == APPARMOR_UNCONFINED || state == APPARMOR_WEAK;
}

static int
rule_apparmor_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  cleanup_free char *path = ruleutil_process_ptr (ctx->spec, "/apparmorProfile");
  cleanup_free char *mode = NULL;
  cleanup_free char *shown = NULL;
  const char *current = NULL;
  enum apparmor_state state;

  (void)err;
  state = apparmor_state_of (ctx, ctx->spec, &current, &mode);
  if (ctx->host->portable && apparmor_wants_default (state))
    node_note_add (out, ctx, path, "whether AppArmor enforces `%s`, and injects it",
                   apparmor_default (ctx->params));
  if (!ctx->host->apparmor_enabled)
    {
      if (apparmor_wants_default (state) && !ctx->host->portable)
        note_add (out, ctx, path, "AppArmor not enabled on host");
      return 0;
    }
  shown = current != NULL ? json_quote_key (current) : NULL;
  if (state == APPARMOR_UNKNOWN)
    note_add (out, ctx, path, "AppArmor profile `%s` is not loaded: the runtime cannot apply it",
              shown);
  if (!apparmor_wants_default (state))
    return 0;
  /* Inject only a loaded, enforced profile -- runc refuses to start a container whose profile the
   * kernel does not know -- otherwise say so and leave the document alone.  */
  if (!apparmor_can_inject (ctx))
    note_add (out, ctx, path,
              "AppArmor profile `%s` is not loaded in enforce mode: nothing injected",
              apparmor_default (ctx->params));
  else if (state == APPARMOR_UNCONFINED)
    finding_add (out, ctx, path, true, "AppArmor profile is `unconfined`");
  else if (state == APPARMOR_WEAK)
    finding_add (out, ctx, path, true,
                 "AppArmor profile `%s` is loaded in `%s` mode: it does not confine", shown, mode);
  else
    finding_add (out, ctx, path, true, "no AppArmor profile");
  return 0;
}

static int
rule_apparmor_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  cleanup_free char *path = ruleutil_process_ptr (spec, "/apparmorProfile");
  cleanup_free char *mode = NULL;
  const char *current = NULL;

  if (!ctx->host->apparmor_enabled || !apparmor_can_inject (ctx)
      || !apparmor_wants_default (apparmor_state_of (ctx, spec, &current, &mode)))
    return 0;
  return spec_set (spec, path, json_new_string (apparmor_default (ctx->params)), err);
}

const struct rule rule_apparmor = {
  .id = "apparmor",
  .title = "the container runs under an AppArmor profile (AppArmor hosts)",
  .cis = "5.2",
  .pss = "appArmorProfile",
  .hint = "do not run containers with apparmor=unconfined",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_apparmor_check,
  .rewrite = rule_apparmor_rewrite,
  RULE_PARAMS (struct apparmor_params, apparmor_param_table),
};

/* selinux ----------------------------------------------------------------------------------- */

/* The rule's parameters (policy file `rules.selinux`).  */
struct selinux_params
{
  char **forbidden_types; /* process types a container must not run as */
};

/* spc_t is what podman / CRI-O give `label=disable` and privileged containers; unconfined_t is the
 * unconfined user domain.  Neither is confined by the container policy.  */
static const char *const selinux_default_forbidden_types[] = { "spc_t", "unconfined_t", NULL };

static const struct rule_param selinux_param_table[] = {
  {
      .key = "forbidden_types",
      .type = PARAM_STRINGS,
      .offset = offsetof (struct selinux_params, forbidden_types),
      .def.list = selinux_default_forbidden_types,
  },
};

/* The labels container-selinux ships in its lxc_contexts (`process = ...`, `file = ...`); a
 * per-container MCS category pair is appended to the level.  */
#define SELINUX_PROCESS_LABEL "system_u:system_r:container_t:s0"
#define SELINUX_MOUNT_LABEL "system_u:object_r:container_file_t:s0"

/* A context is user:role:type[:level]; the level may hold more colons (s0-s0:c0.c1023).  Returns
 * the start of field `n` (0-based) or NULL.  */
static const char *
selinux_field (const char *label, unsigned n)
{
  const char *p = label;
  for (unsigned i = 0; i < n && p != NULL; i++)
    {
      p = strchr (p, ':');
      p = p != NULL ? p + 1 : NULL;
    }
  return p;
}

static char *
selinux_type (const char *label)
{
  const char *type = selinux_field (label, 2);
  return type != NULL ? xstrndup (type, strcspn (type, ":")) : NULL;
}

static bool
selinux_forbidden (const struct selinux_params *p, const char *type)
{
  return strv_contains ((const char *const *)p->forbidden_types, type);
}

static bool
selinux_valid (const struct host_facts *host, const char *context)
{
  return host->selinux_context_valid != NULL && host->selinux_context_valid (host, context);
}

/* FNV-1a over what makes a container unique in every engine's config (cgroupsPath holds the
 * container id for Docker, containerd, CRI and podman), so the same config always gets the same
 * pair and a rewrite is idempotent.  Engines reserve pairs in-process; ocigate keeps no state, so
 * two containers share a pair only on a 64-bit hash collision modulo 523776 pairs.  */
static uint64_t
selinux_hash (const struct spec *spec)
{
  static const char *const members[] = { "/linux/cgroupsPath", "/hostname", "/root/path" };
  uint64_t h = UINT64_C (14695981039346656037);

  for (size_t i = 0; i < ARRAY_SIZE (members); i++)
    {
      const char *s = "";
      spec_get_string (spec, members[i], &s);
      for (const char *p = s;; p++)
        {
          h = (h ^ (unsigned char)*p) * UINT64_C (1099511628211);
          if (*p == '\0')
            break;
        }
    }
  return h;
}

/* The level for an injected label: the mount label's when the config has one (process and files
 * must agree), else the default's level plus a category pair c0..c1023, lower first.  */
static char *
selinux_level (const struct spec *spec, const char *default_label)
{
  const char *mount = NULL;
  const char *level = selinux_field (default_label, 3);
  uint64_t h = selinux_hash (spec);
  unsigned c1 = (unsigned)(h % 1024);
  unsigned c2 = (unsigned)((h >> 10) % 1023);

  if (spec_get_string (spec, "/linux/mountLabel", &mount) && selinux_field (mount, 3) != NULL)
    return xstrdup (selinux_field (mount, 3));
  if (level == NULL)
    return NULL;
  c2 += c2 >= c1;
  return xasprintf ("%s:c%u,c%u", level, c1 < c2 ? c1 : c2, c1 < c2 ? c2 : c1);
}

/* "user:role:type" of label + ":" + level (or label as is when level is NULL), malloc'd.  */
static char *
selinux_with_level (const char *label, const char *level)
{
  const char *old = selinux_field (label, 3);
  size_t head = old != NULL ? (size_t)(old - label - 1) : strlen (label);
  return level != NULL ? xasprintf ("%.*s:%s", (int)head, label, level) : xstrdup (label);
}

struct selinux_labels
{
  char *process;
  char *mount; /* NULL when the config has one already */
};

static void
selinux_labels_free (struct selinux_labels *l)
{
  free (l->process);
  free (l->mount);
}

/* The labels to inject into a config; false when the host's policy refuses them.  */
static bool
selinux_defaults (const struct rule_ctx *ctx, const struct spec *spec, struct selinux_labels *out)
{
  cleanup_free char *sys_process = NULL;
  cleanup_free char *sys_file = NULL;
  const char *process = SELINUX_PROCESS_LABEL;
  const char *file = SELINUX_MOUNT_LABEL;
  cleanup_free char *level = NULL;
  const char *mount = NULL;

  /* The system's container contexts (container-selinux's lxc_contexts) win over the built-in
   * container_t / container_file_t, as in the engines (go-selinux label.InitLabels).  */
  if (ctx->host->selinux_container_labels != NULL
      && ctx->host->selinux_container_labels (ctx->host, &sys_process, &sys_file))
    {
      process = sys_process;
      file = sys_file;
    }
  level = selinux_level (spec, process);
  out->process = selinux_with_level (process, level);
  out->mount = NULL;
  if (!spec_get_string (spec, "/linux/mountLabel", &mount) || mount[0] == '\0')
    out->mount = selinux_with_level (file, level);
  return selinux_valid (ctx->host, out->process)
         && (out->mount == NULL || selinux_valid (ctx->host, out->mount));
}

static void
selinux_check_label (const struct rule_ctx *ctx, struct findings *out, const char *path,
                     const char *label)
{
  cleanup_free char *type = selinux_type (label);
  cleanup_free char *shown = json_quote_key (label);

  if (type == NULL)
    finding_add (out, ctx, path, false, "SELinux label `%s` is not user:role:type[:level]", shown);
  else if (selinux_forbidden (ctx->params, type))
    finding_add (out, ctx, path, false, "SELinux type `%s` is not confined", type);
  else if (!ctx->host->portable && !selinux_valid (ctx->host, label))
    finding_add (out, ctx, path, false, "SELinux label `%s` is not valid on this host", shown);
}

static void
selinux_check_missing (const struct rule_ctx *ctx, struct findings *out, const char *path)
{
  struct selinux_labels l = { 0 };
  bool ok = selinux_defaults (ctx, ctx->spec, &l);

  if (ok)
    finding_add (out, ctx, path, true, "no SELinux process label");
  else
    finding_add (out, ctx, path, false,
                 "no SELinux process label, and the default `%s` is not valid on this host",
                 l.process);
  selinux_labels_free (&l);
}

static int
rule_selinux_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  cleanup_free char *path = ruleutil_process_ptr (ctx->spec, "/selinuxLabel");
  const char *label = NULL;
  const char *mount = NULL;

  (void)err;
  if (ctx->host->portable)
    {
      /* What the label says is judged here; whether the node's policy knows it is the node's.  */
      node_note_add (out, ctx, "",
                     "whether SELinux is on, that the labels are valid there, and "
                     "injects a container label");
      if (spec_get_string (ctx->spec, path, &label) && label[0] != '\0')
        selinux_check_label (ctx, out, path, label);
      return 0;
    }
  if (!ctx->host->selinux_enabled)
    {
      note_add (out, ctx, "", "SELinux not enabled on host");
      return 0;
    }
  if (spec_get_string (ctx->spec, path, &label) && label[0] != '\0')
    selinux_check_label (ctx, out, path, label);
  else if (ctx->spec->kind == SPEC_CONFIG)
    selinux_check_missing (ctx, out, path);
  if (ctx->spec->kind == SPEC_CONFIG && spec_get_string (ctx->spec, "/linux/mountLabel", &mount)
      && mount[0] != '\0' && !selinux_valid (ctx->host, mount))
    {
      cleanup_free char *shown = json_quote_key (mount);
      finding_add (out, ctx, "/linux/mountLabel", false,
                   "SELinux mount label `%s` is not valid on this host", shown);
    }
  return 0;
}

static int
rule_selinux_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  struct selinux_labels l = { 0 };
  const char *label = NULL;
  int ret = 0;

  if (!ctx->host->selinux_enabled || spec->kind != SPEC_CONFIG
      || (spec_get_string (spec, "/process/selinuxLabel", &label) && label[0] != '\0'))
    return 0;
  if (selinux_defaults (ctx, spec, &l))
    {
      ret = spec_set (spec, "/process/selinuxLabel", json_new_string (l.process), err);
      if (ret == 0 && l.mount != NULL)
        ret = spec_set (spec, "/linux/mountLabel", json_new_string (l.mount), err);
    }
  selinux_labels_free (&l);
  return ret;
}

const struct rule rule_selinux = {
  .id = "selinux",
  .title = "the container runs confined by SELinux (SELinux hosts)",
  .cis = "5.3",
  .pss = "seLinuxOptions",
  .hint = "do not disable SELinux labelling or use an unconfined type",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_selinux_check,
  .rewrite = rule_selinux_rewrite,
  RULE_PARAMS (struct selinux_params, selinux_param_table),
};
