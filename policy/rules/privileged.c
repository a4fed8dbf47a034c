/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule `privileged` (CIS Docker 1.6.0 5.5 and, for exec, 5.23; PSS privileged).
 *
 * OCI has no "privileged" bit: engines expand --privileged into several fields (moby
 * daemon/oci_linux.go, containerd pkg/oci WithPrivileged, podman pkg/specgen), so this rule infers
 * it from the signals, as captured from docker 20.10, ctr, CRI and podman 4.3 on this VM:
 *   - (nearly) every capability the kernel knows: docker 20.10 lists the 38 it knows (0..37),
 *     containerd and podman the caller's bounding set (40 here: CAP_SYS_RESOURCE is missing);
 *   - no (confining) seccomp profile;  - an allow-all device cgroup rule;  - no masked / read-only
 * paths;
 *   - /sys (and the cgroup mount) read-write;  - the host's devices copied into linux.devices.
 * The capability signal alone is privileged.  Without it, three of the five other signals are:
 * a CRI app container legitimately has no seccomp and no masked paths (two signals), and
 * `--cap-add SYS_ADMIN` has none of them (the capabilities rule handles that one).
 * The rewrite turns the container into a default one (Docker's defaults); the later rules then
 * inject seccomp, no-new-privileges and so on.
 * Must not: do I/O.  */
#include <config.h>

#include <string.h>

#include "ruleutil.h"
#include "seccomp.h"
#include "util.h"

/* How many of the kernel's capabilities a "full" set may lack: docker 20.10 knows 38 of this
 * kernel's 41.  A set missing more is judged by the capabilities rule alone.  */
#define PRIVILEGED_CAP_SLACK 3
/* Other signals needed without the capability signal.  */
#define PRIVILEGED_MIN_SIGNALS 3
/* --device adds a few devices; --privileged adds all of them (102 on this small VM).  */
#define PRIVILEGED_MANY_DEVICES 8

struct privileged_signals
{
  enum spec_kind kind;
  unsigned caps, known;
  bool all_caps, no_seccomp, allow_all_devices, no_masked, rw_sys;
  size_t host_devices;
  unsigned others;
};

static bool
json_wildcard_number (const struct json_node *obj, const char *key)
{
  const struct json_node *v = json_obj_get (obj, key);
  int64_t n = 0;

  return v == NULL || v->type == JSON_NULL || (json_number_i64 (v, &n) && n == -1);
}

/* {"allow": true} with no type (or "a") and no major/minor: every device.  */
static bool
privileged_allow_all_devices (const struct spec *spec)
{
  const struct json_node *rules = spec_get_array (spec, "/linux/resources/devices");

  for (size_t i = 0; rules != NULL && i < rules->n; i++)
    {
      const struct json_node *r = rules->items[i];
      const struct json_node *allow = json_obj_get (r, "allow");
      const struct json_node *type = json_obj_get (r, "type");

      if (allow == NULL || allow->type != JSON_BOOL || !allow->boolean)
        continue;
      if (type != NULL && type->type == JSON_STRING && !str_eq (type->text, "a")
          && *type->text != '\0')
        continue;
      if (json_wildcard_number (r, "major") && json_wildcard_number (r, "minor"))
        return true;
    }
  return false;
}

/* Mount options: the last of ro/rw wins, as in runc's parseMountOptions.  */
static bool
mount_is_readonly (const struct json_node *mount)
{
  const struct json_node *opts = json_obj_get (mount, "options");
  bool ro = false;

  for (size_t i = 0; opts != NULL && opts->type == JSON_ARRAY && i < opts->n; i++)
    if (opts->items[i]->type == JSON_STRING)
      {
        if (str_eq (opts->items[i]->text, "ro"))
          ro = true;
        else if (str_eq (opts->items[i]->text, "rw"))
          ro = false;
      }
  return ro;
}

static bool
mount_is_kernel_sys (const struct json_node *mount)
{
  const struct json_node *type = json_obj_get (mount, "type");
  const struct json_node *dest;

  /* The type first: most mounts are no sysfs or cgroup, and need no look at their destination
   * (every mount of every check).  */
  if (type == NULL || type->type != JSON_STRING
      || (!str_eq (type->text, "sysfs") && !str_eq (type->text, "cgroup")
          && !str_eq (type->text, "cgroup2")))
    return false;
  dest = json_obj_get (mount, "destination");
  if (dest == NULL || dest->type != JSON_STRING)
    return false;
  return str_eq (dest->text, "/sys") || str_eq (dest->text, "/sys/")
         || str_eq (dest->text, "/sys/fs/cgroup") || str_eq (dest->text, "/sys/fs/cgroup/");
}

static bool
privileged_rw_sys (const struct spec *spec)
{
  const struct json_node *mounts = spec_get_array (spec, "/mounts");

  for (size_t i = 0; mounts != NULL && i < mounts->n; i++)
    if (mount_is_kernel_sys (mounts->items[i]) && !mount_is_readonly (mounts->items[i]))
      return true;
  return false;
}

static size_t
array_len (const struct spec *spec, const char *ptr)
{
  const struct json_node *a = spec_get_array (spec, ptr);
  return a ? a->n : 0;
}

static void
privileged_read (const struct rule_ctx *ctx, struct privileged_signals *s)
{
  const struct spec *spec = ctx->spec;

  memset (s, 0, sizeof (*s));
  s->kind = spec->kind;
  s->known = ruleutil_caps_known (ctx->host);
  s->caps = ruleutil_caps_count (ruleutil_caps_granted (spec, ctx->host));
  s->all_caps = s->known > PRIVILEGED_CAP_SLACK && s->caps >= s->known - PRIVILEGED_CAP_SLACK;
  if (spec->kind != SPEC_CONFIG)
    return;
  s->no_seccomp = !seccomp_is_restrictive (spec_get_object (spec, "/linux/seccomp"));
  s->allow_all_devices = privileged_allow_all_devices (spec);
  s->no_masked = array_len (spec, "/linux/maskedPaths") == 0
                 && array_len (spec, "/linux/readonlyPaths") == 0;
  s->rw_sys = privileged_rw_sys (spec);
  s->host_devices = array_len (spec, "/linux/devices");
  s->others = s->no_seccomp + s->allow_all_devices + s->no_masked + s->rw_sys
              + (s->host_devices >= PRIVILEGED_MANY_DEVICES);
}

static char *
privileged_describe (const struct privileged_signals *s)
{
  cleanup_free char *caps = xasprintf ("%u of the kernel's %u capabilities", s->caps, s->known);
  cleanup_free char *devs = xasprintf (", %zu host devices", s->host_devices);

  if (s->kind != SPEC_CONFIG)
    return xasprintf ("exec process is privileged (exec --privileged, CIS Docker 1.6.0 5.23): %s",
                      caps);
  return xasprintf ("container is privileged: %s%s%s%s%s%s", caps,
                    s->no_seccomp ? ", no confining seccomp profile" : "",
                    s->allow_all_devices ? ", allow-all device cgroup rule" : "",
                    s->no_masked ? ", no masked or read-only paths" : "",
                    s->rw_sys ? ", writable /sys" : "",
                    s->host_devices >= PRIVILEGED_MANY_DEVICES ? devs : "");
}

static int
rule_privileged_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  struct privileged_signals s;
  cleanup_free char *msg = NULL;
  cleanup_free char *path = NULL;

  (void)err;
  privileged_read (ctx, &s);
  if (!s.all_caps && s.others < PRIVILEGED_MIN_SIGNALS)
    return 0;
  msg = privileged_describe (&s);
  path = s.all_caps ? ruleutil_process_ptr (ctx->spec, "/capabilities") : xstrdup ("");
  finding_add (out, ctx, path, true, "%s", msg);
  return 0;
}

/* ---- rewrite: back to Docker's defaults ---- */

static struct json_node *
device_rule (bool allow, const char *type, int64_t major, int64_t minor)
{
  struct json_node *r = json_new_object ();

  json_obj_set (r, "allow", json_new_bool (allow));
  if (type != NULL)
    {
      json_obj_set (r, "type", json_new_string (type));
      json_obj_set (r, "major", json_new_int (major));
      json_obj_set (r, "minor", json_new_int (minor));
    }
  json_obj_set (r, "access", json_new_string ("rwm"));
  return r;
}

/* moby oci/defaults.go: deny everything, allow the null/zero/full-free character devices and the
 * tty/console, deny /dev/fuse; runc appends its own default allow list (pts, ptmx, ...).  */
static struct json_node *
docker_default_device_rules (void)
{
  static const int64_t allowed[][2]
      = { { 1, 5 }, { 1, 3 }, { 1, 9 }, { 1, 8 }, { 5, 0 }, { 5, 1 } };
  struct json_node *rules = json_new_array ();

  json_arr_append (rules, device_rule (false, NULL, 0, 0));
  for (size_t i = 0; i < ARRAY_SIZE (allowed); i++)
    json_arr_append (rules, device_rule (true, "c", allowed[i][0], allowed[i][1]));
  json_arr_append (rules, device_rule (false, "c", 10, 229));
  return rules;
}

/* options without ro/rw, then "ro".  */
static struct json_node *
options_readonly (const struct json_node *mount)
{
  const struct json_node *opts = json_obj_get (mount, "options");
  struct json_node *out = json_new_array ();

  for (size_t i = 0; opts != NULL && opts->type == JSON_ARRAY && i < opts->n; i++)
    {
      const struct json_node *o = opts->items[i];
      if (o->type == JSON_STRING && (str_eq (o->text, "ro") || str_eq (o->text, "rw")))
        continue;
      json_arr_append (out, json_clone (o));
    }
  json_arr_append (out, json_new_string ("ro"));
  return out;
}

static int
privileged_fix_sys (struct spec *spec, ocg_error_t *err)
{
  const struct json_node *mounts = spec_get_array (spec, "/mounts");

  for (size_t i = 0; mounts != NULL && i < mounts->n; i++)
    {
      cleanup_free char *base = NULL;
      cleanup_free char *ptr = NULL;

      if (!mount_is_kernel_sys (mounts->items[i]) || mount_is_readonly (mounts->items[i]))
        continue;
      base = spec_ptr_index ("/mounts", i);
      ptr = spec_ptr_join (base, "options");
      if (spec_set (spec, ptr, options_readonly (mounts->items[i]), err) < 0)
        return -1;
    }
  return 0;
}

static int
privileged_fix_paths (struct spec *spec, const char *ptr, const char *const *want, ocg_error_t *err)
{
  size_t n = 0;
  cleanup_free const char **missing = ruleutil_missing_strings (spec, ptr, want, &n);

  return n ? ruleutil_append_strings (spec, ptr, missing, n, err) : 0;
}

static int
rule_privileged_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  capmask_t keep = ruleutil_caps_from_names (ctx->host, ruleutil_docker_default_caps);

  for (int set = 0; set < RULEUTIL_CAPSET_COUNT; set++)
    if (ruleutil_caps_filter (spec, ctx->host, (enum ruleutil_capset)set, keep, err) < 0)
      return -1;
  if (spec->kind != SPEC_CONFIG)
    return 0;
  if (privileged_fix_paths (spec, "/linux/maskedPaths", ruleutil_default_masked_paths, err) < 0
      || privileged_fix_paths (spec, "/linux/readonlyPaths", ruleutil_default_readonly_paths, err)
             < 0
      || privileged_fix_sys (spec, err) < 0)
    return -1;
  if (privileged_allow_all_devices (spec)
      && spec_set (spec, "/linux/resources/devices", docker_default_device_rules (), err) < 0)
    return -1;
  spec_remove (spec, "/linux/devices");
  return 0;
}

const struct rule rule_privileged = {
  .id = "privileged",
  .title = "no privileged containers or exec sessions",
  .cis = "5.5",
  .pss = "privileged",
  .hint = "run without --privileged; add single capabilities or devices instead",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS),
  .check = rule_privileged_check,
  .rewrite = rule_privileged_rewrite,
};
