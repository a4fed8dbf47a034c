/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rules about how the container's process runs, mostly advisory in the baseline profile:
 *   `root-user`        process.user.uid 0 (CIS Docker 1.6.0 4.1, for exec 5.24; PSS runAsNonRoot);
 *   `readonly-rootfs`  root.readonly (CIS 5.13);
 *   `sshd`             the container runs an ssh daemon (CIS 5.7);
 *   `cgroup-parent`    linux.cgroupsPath outside the engines' parents (CIS 5.25).
 * Must not: do I/O.  */
#include <config.h>

#include <stddef.h>
#include <string.h>

#include "ruleutil.h"
#include "util.h"

/* ---- root-user ---- */

/* The uid/gid of `nobody` on Debian, Fedora and Alpine, and the kubelet's conventional non-root
 * fallback: the rewrite needs an id that exists nowhere as a privileged owner.  */
#define ROOT_USER_REWRITE_ID 65534

static int
rule_root_user_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (ctx->spec, "/user/uid");
  int64_t uid = 0;

  (void)err;
  /* An absent uid is 0: Go's zero value, and crun's default.  */
  if (!spec_get_i64 (ctx->spec, ptr, &uid))
    uid = 0;
  if (uid == 0)
    finding_add (out, ctx, ptr, true, "%s runs as root (uid 0)",
                 ctx->spec->kind == SPEC_PROCESS ? "exec process (CIS Docker 1.6.0 5.24)"
                                                 : "container process");
  return 0;
}

/* uid/gid 65534 and no supplementary group 0: a non-root user still in group root could read and
 * write root-group files.  */
static int
rule_root_user_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  cleanup_free char *uid = ruleutil_process_ptr (spec, "/user/uid");
  cleanup_free char *gid = ruleutil_process_ptr (spec, "/user/gid");
  cleanup_free char *groups_ptr = ruleutil_process_ptr (spec, "/user/additionalGids");
  const struct json_node *groups = spec_get_array (spec, groups_ptr);
  struct json_node *kept = NULL;

  (void)ctx;
  if (spec_set (spec, uid, json_new_int (ROOT_USER_REWRITE_ID), err) < 0
      || spec_set (spec, gid, json_new_int (ROOT_USER_REWRITE_ID), err) < 0)
    return -1;
  if (groups == NULL)
    return 0;
  kept = json_new_array ();
  for (size_t i = 0; i < groups->n; i++)
    {
      int64_t g = -1;
      if (!json_number_i64 (groups->items[i], &g) || g != 0)
        json_arr_append (kept, json_clone (groups->items[i]));
    }
  return spec_set (spec, groups_ptr, kept, err);
}

const struct rule rule_root_user = {
  .id = "root-user",
  .title = "the container process does not run as root",
  .cis = "4.1",
  .pss = "runAsNonRoot",
  .hint = "run as a non-root user (--user, USER in the image)",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_root_user_check,
  .rewrite = rule_root_user_rewrite,
};

/* ---- readonly-rootfs ---- */

static int
rule_readonly_rootfs_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  bool ro = false;

  (void)err;
  if (!spec_get_bool (ctx->spec, "/root/readonly", &ro) || !ro)
    finding_add (out, ctx, "/root/readonly", true, "root filesystem is writable");
  return 0;
}

static int
rule_readonly_rootfs_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  (void)ctx;
  return spec_set (spec, "/root/readonly", json_new_bool (true), err);
}

const struct rule rule_readonly_rootfs = {
  .id = "readonly-rootfs",
  .title = "the root filesystem is read-only",
  .cis = "5.13",
  .pss = NULL,
  .hint = "run with --read-only and mount writable volumes where needed",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_readonly_rootfs_check,
  .rewrite = rule_readonly_rootfs_rewrite,
};

/* ---- sshd ---- */

static const char *
base_name (const char *path)
{
  const char *slash = strrchr (path, '/');
  return slash ? slash + 1 : path;
}

static bool
is_sshd (const char *word, size_t len)
{
  static const char name[] = "sshd";
  const char *start = word;

  for (size_t i = 0; i < len; i++)
    if (word[i] == '/')
      start = word + i + 1;
  return (size_t)(word + len - start) == sizeof (name) - 1
         && memcmp (start, name, sizeof (name) - 1) == 0;
}

/* The program that ends up running: args[0], or what an init wrapper (docker-init / tini /
 * dumb-init / catatonit) or `sh -c "[exec] PROG ..."` starts.  A heuristic: the check only warns.
 */
static bool
args_run_sshd (const char *const *args, size_t n)
{
  static const char *const inits[] = { "docker-init", "tini", "dumb-init", "catatonit", NULL };
  static const char *const shells[] = { "sh", "bash", "ash", "dash", NULL };
  size_t i = 0;

  if (n > 0 && strv_contains (inits, base_name (args[0])))
    for (i = 1; i < n && args[i][0] == '-'; i++)
      ;
  if (i >= n)
    return false;
  if (i + 2 < n && strv_contains (shells, base_name (args[i])) && str_eq (args[i + 1], "-c"))
    {
      const char *cmd = args[i + 2] + strspn (args[i + 2], " \t");
      if (str_has_prefix (cmd, "exec "))
        cmd += 5 + strspn (cmd + 5, " \t");
      return is_sshd (cmd, strcspn (cmd, " \t;&|"));
    }
  return is_sshd (args[i], strlen (args[i]));
}

static int
rule_sshd_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (ctx->spec, "/args");
  size_t n = 0;
  cleanup_free const char **args = spec_get_strv (ctx->spec, ptr, &n);

  (void)err;
  if (args != NULL && args_run_sshd (args, n))
    finding_add (out, ctx, ptr, false, "process runs an ssh daemon (`%s`)", args[0]);
  return 0;
}

const struct rule rule_sshd = {
  .id = "sshd",
  .title = "no ssh daemon inside containers",
  .cis = "5.7",
  .pss = NULL,
  .hint = "use docker exec / kubectl exec instead of sshd",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_sshd_check,
  .rewrite = NULL,
};

/* ---- cgroup-parent ---- */

/* The rule's parameters (policy file `rules.cgroup-parent`).  */
struct cgroup_parent_params
{
  char **parents; /* allowed cgroupsPath prefixes */
};

/* Engines' cgroupsPath when no --cgroup-parent is given:
 *   docker (cgroupfs) /docker/<id>, (systemd) system.slice:docker:<id>;
 *   containerd ctr (cgroupfs) /<namespace>/<id>: /default, /k8s.io, /moby (docker 23+ on
 *   containerd's image store);
 *   kubelet (cgroupfs) /kubepods/..., (systemd) kubepods-<qos>-pod<uid>.slice:cri-containerd:<id>
 *   or :crio:<id>; podman (cgroupfs) /libpod_parent/libpod-<id>, (systemd)
 *   machine.slice:libpod:<id>, rootless user.slice:...; runc itself, without cgroupsPath, picks
 *   /<id> (no finding: the rule only looks at an explicit path).  */
static const char *const cgroup_parent_default_parents[] = {
  "/docker",    "/kubepods", "/libpod_parent", "/machine.slice", "/system.slice",  "/user.slice",
  "/default",   "/k8s.io",   "/moby",          "system.slice",   "kubepods.slice", "machine.slice",
  "user.slice", NULL,
};

static const struct rule_param cgroup_parent_param_table[] = {
  {
      .key = "parents",
      .type = PARAM_STRINGS,
      .offset = offsetof (struct cgroup_parent_params, parents),
      .def.list = cgroup_parent_default_parents,
  },
};

/* cgroupfs form "/docker/<id>": a parent "/docker" covers itself and everything below.  */
static bool
cgroup_under (const char *path, const char *parent)
{
  size_t n = strlen (parent);

  while (n > 1 && parent[n - 1] == '/')
    n--;
  return strncmp (path, parent, n) == 0 && (path[n] == '\0' || path[n] == '/' || n == 1);
}

/* systemd form "slice:prefix:name" (runc libcontainer/cgroups/systemd): "kubepods.slice" covers
 * itself and its children "kubepods-burstable-pod<uid>.slice"; an empty slice is system.slice.  */
static bool
slice_under (const char *slice, size_t len, const char *parent)
{
  size_t n = strlen (parent);

  if (len == 0)
    {
      slice = "system.slice";
      len = strlen (slice);
    }
  if (len == n && memcmp (slice, parent, n) == 0)
    return true;
  if (n <= 6 || strcmp (parent + n - 6, ".slice") != 0)
    return false;
  return len > n - 6 && memcmp (slice, parent, n - 6) == 0 && slice[n - 6] == '-';
}

static bool
cgroup_allowed (const char *path, const char *const *parents)
{
  const char *colon = strchr (path, ':');

  for (size_t i = 0; parents != NULL && parents[i] != NULL; i++)
    {
      if (colon != NULL && path[0] != '/' && parents[i][0] != '/'
          && slice_under (path, (size_t)(colon - path), parents[i]))
        return true;
      if (path[0] == '/' && parents[i][0] == '/' && cgroup_under (path, parents[i]))
        return true;
    }
  return false;
}

static int
rule_cgroup_parent_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const struct cgroup_parent_params *p = ctx->params;
  const char *path = NULL;

  (void)err;
  /* No cgroupsPath: runc picks /<container-id> itself.  */
  if (!spec_get_string (ctx->spec, "/linux/cgroupsPath", &path))
    return 0;
  if (!cgroup_allowed (path, (const char *const *)p->parents))
    finding_add (out, ctx, "/linux/cgroupsPath", false,
                 "cgroup `%s` is outside the configured cgroup parents", path);
  return 0;
}

const struct rule rule_cgroup_parent = {
  .id = "cgroup-parent",
  .title = "containers stay in the engines' cgroup parents",
  .cis = "5.25",
  .pss = NULL,
  .hint = "do not use --cgroup-parent",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_cgroup_parent_check,
  .rewrite = NULL,
  RULE_PARAMS (struct cgroup_parent_params, cgroup_parent_param_table),
};
