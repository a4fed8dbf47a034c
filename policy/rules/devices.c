/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule family "devices": devices (CIS Docker 1.6.0 5.18, host devices not exposed).
 *
 * Owns: comparing `linux.devices` (device nodes runc creates in the container) and the device
 * cgroup allow rules (`linux.resources.devices`, also in `runc update --resources` documents)
 * with what every runtime grants anyway, plus the `allow` parameter.
 *
 * The defaults are runc's own: libcontainer/specconv AllowedDevices appends, after the config's
 * rules, mknod of any char/block device and rwm on null, zero, full, random, urandom, tty, ptmx
 * and the /dev/pts/<n> ptys (createDevices leaves out a default whose path linux.devices names,
 * which is why engines repeat those rules), so a config allowing exactly those gains nothing.
 * /dev/console (c 5:1) is in Docker's and containerd's default lists.  Deny rules never widen
 * anything. Must not: do I/O, or rewrite (dropping a device silently breaks the workload).
 *
 * Under a user namespace a device entry is not a node at all: runc bind-mounts the HOST's file at
 * the entry's path over it (libcontainer/rootfs_linux.go createDevices: useBindMount when the
 * config has a user namespace or runc runs in one; createDeviceNode -> bindMountDeviceNode does
 * mount(node.Path, dest) -- the type and numbers written in the entry play no part), and crun does
 * the same whenever it could not pre-create the node (linux.c libcrun_create_dev with binds and no
 * pre-made fd; always when crun itself runs in a user namespace).  So there, the entry is judged
 * by the host file it names: a /dev/pts/N is the host's terminal (a node made by mknod outside a
 * devpts instance cannot be opened, the host's devpts entry can), a FIFO entry binds any host
 * file, and a path that is missing, relative, swappable or another device binds something else
 * than the entry says.  Without a user namespace runc still falls back to the bind when mknod
 * fails with EPERM (createDeviceNode), and a config provokes that with a cgroupsPath naming an
 * existing cgroup whose device rules refuse mknod (a hardened service's): runc writes the
 * container's own device rules only after the rootfs is set up (process_linux.go, procReady).
 * So a pty entry is denied everywhere (a node made by mknod is useless anyway), and so is an
 * entry whose path is relative or where the host has another file.  */
#include <config.h>

#include <fnmatch.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "engine.h"
#include "pathmatch.h"
#include "spec.h"
#include "util.h"

/* The rule's parameters (policy file `rules.devices`).  */
struct devices_params
{
  /* container device paths allowed beyond the runtime defaults, as `PATH-GLOB [TYPE
   * MAJOR:MINOR]` (`*` allowed for MAJOR/MINOR); empty by default */
  char **allow;
};

static const char *const devices_default_allow[] = { NULL };

static const struct rule_param devices_param_table[] = {
  {
      .key = "allow",
      .type = PARAM_STRINGS,
      .offset = offsetof (struct devices_params, allow),
      .def.list = devices_default_allow,
  },
};

#define WILDCARD (-1)

struct device
{
  char type;            /* 'a', 'c', 'b', 'p'; 'u' is read as 'c' */
  int64_t major, minor; /* WILDCARD for "*" or absent */
  const char *path;     /* linux.devices only */
  const char *access;   /* cgroup rules only */
};

static const struct device default_nodes[] = {
  { 'c', 1, 3, "/dev/null", NULL },           { 'c', 1, 5, "/dev/zero", NULL },
  { 'c', 1, 7, "/dev/full", NULL },           { 'c', 1, 8, "/dev/random", NULL },
  { 'c', 1, 9, "/dev/urandom", NULL },        { 'c', 5, 0, "/dev/tty", NULL },
  { 'c', 5, 1, "/dev/console", NULL },        { 'c', 5, 2, "/dev/ptmx", NULL },
  { 'c', 136, WILDCARD, "/dev/pts/*", NULL },
};

static const struct device default_rules[] = {
  { 'c', WILDCARD, WILDCARD, NULL, "m" },
  { 'b', WILDCARD, WILDCARD, NULL, "m" },
  { 'c', 1, 3, NULL, "rwm" },
  { 'c', 1, 5, NULL, "rwm" },
  { 'c', 1, 7, NULL, "rwm" },
  { 'c', 1, 8, NULL, "rwm" },
  { 'c', 1, 9, NULL, "rwm" },
  { 'c', 5, 0, NULL, "rwm" },
  { 'c', 5, 1, NULL, "rwm" },
  { 'c', 5, 2, NULL, "rwm" },
  { 'c', 136, WILDCARD, NULL, "rwm" },
};

static int64_t
device_number (const struct json_node *obj, const char *key)
{
  int64_t v = WILDCARD;
  /* runc: an absent major/minor, or -1, is the wildcard.  */
  if (!json_number_i64 (json_obj_get (obj, key), &v) || v < 0)
    return WILDCARD;
  return v;
}

static const char *
object_string (const struct json_node *obj, const char *key)
{
  const struct json_node *v = json_obj_get (obj, key);
  return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

/* Read one entry.  A type runc would not accept becomes '?', which matches nothing.  runc reads
 * an empty cgroup-rule type as "a" (all devices).  */
static struct device
device_read (const struct json_node *obj, bool cgroup_rule)
{
  const char *type = object_string (obj, "type");
  struct device d = { '?', device_number (obj, "major"), device_number (obj, "minor"),
                      object_string (obj, "path"), object_string (obj, "access") };

  if (type == NULL || type[0] == '\0')
    d.type = cgroup_rule ? 'a' : '?';
  else if (type[1] == '\0' && strchr (cgroup_rule ? "acb" : "cubp", type[0]) != NULL)
    d.type = type[0] == 'u' ? 'c' : type[0];
  /* An empty access string: judge it as the widest, never as nothing.  */
  if (d.access == NULL || d.access[0] == '\0')
    d.access = "rwm";
  return d;
}

static bool
number_covered (int64_t have, int64_t allowed)
{
  return allowed == WILDCARD || have == allowed;
}

static bool
access_covered (const char *access, const char *allowed)
{
  for (; *access != '\0'; access++)
    if (strchr (allowed, *access) == NULL)
      return false;
  return true;
}

static bool
node_is_default (const struct device *d)
{
  cleanup_free char *path = pathmatch_clean (d->path);
  if (d->type == 'p')
    return true; /* a FIFO is not a device */
  for (size_t i = 0; path != NULL && i < ARRAY_SIZE (default_nodes); i++)
    {
      const struct device *def = &default_nodes[i];
      if (d->type == def->type && d->major == def->major && number_covered (d->minor, def->minor)
          && d->minor != WILDCARD && fnmatch (def->path, path, FNM_PATHNAME) == 0)
        return true;
    }
  return false;
}

/* `PATH-GLOB [TYPE MAJOR:MINOR]`: does this `allow` entry allow the node?  */
static bool
allow_entry_matches (const char *entry, const struct device *d)
{
  cleanup_free char *copy = xstrdup (entry);
  cleanup_free char *path = pathmatch_clean (d->path);
  char *save = NULL;
  const char *glob = strtok_r (copy, " \t", &save);
  const char *type = strtok_r (NULL, " \t", &save);
  const char *numbers = strtok_r (NULL, " \t", &save);
  char major[32] = "", minor[32] = "";

  if (glob == NULL || path == NULL || fnmatch (glob, path, FNM_PATHNAME) != 0)
    return false;
  if (type == NULL)
    return true;
  if (numbers == NULL || strtok_r (NULL, " \t", &save) != NULL || strlen (type) != 1
      || (type[0] == 'u' ? 'c' : type[0]) != d->type
      || sscanf (numbers, "%31[0-9*]:%31[0-9*]", major, minor) != 2)
    return false;
  return (strcmp (major, "*") == 0 || d->major == strtoll (major, NULL, 10))
         && (strcmp (minor, "*") == 0 || d->minor == strtoll (minor, NULL, 10));
}

static bool
node_is_allowlisted (const struct rule_ctx *ctx, const struct device *d)
{
  const struct devices_params *p = ctx->params;
  char *const *list = p->allow;

  for (; d->type != '?' && d->major != WILDCARD && d->minor != WILDCARD && *list != NULL; list++)
    if (allow_entry_matches (*list, d))
      return true;
  return false;
}

/* Append "item" to a ", "-separated list of at most 4 shown items.  */
static void
list_add (char **list, size_t *count, const char *item)
{
  if (*count < 4)
    {
      char *grown = xasprintf ("%s%s%s", *list ? *list : "", *list ? ", " : "", item);
      free (*list);
      *list = grown;
    }
  (*count)++;
}

static void
report (struct findings *out, const struct rule_ctx *ctx, const char *ptr, const char *what,
        const char *list, size_t count)
{
  if (count == 0)
    return;
  if (count > 4)
    finding_add (out, ctx, ptr, false, "%s: %s and %zu more (CIS 5.18)", what, list, count - 4);
  else
    finding_add (out, ctx, ptr, false, "%s: %s (CIS 5.18)", what, list);
}

static char *
describe (const struct device *d)
{
  char major[24] = "*", minor[24] = "*";
  if (d->major != WILDCARD)
    snprintf (major, sizeof major, "%" PRId64, d->major);
  if (d->minor != WILDCARD)
    snprintf (minor, sizeof minor, "%" PRId64, d->minor);
  if (d->path != NULL)
    return xasprintf ("`%s` (%c %s:%s)", d->path, d->type, major, minor);
  return xasprintf ("`%c %s:%s %s`", d->type, major, minor, d->access);
}

/* Will the runtime bind-mount each entry from the host (see the top of this file)?  */
static bool
nodes_bound_from_host (const struct rule_ctx *ctx)
{
  const struct json_node *ns = spec_get_array (ctx->spec, "/linux/namespaces");

  if (hostfacts_in_user_ns (ctx->host))
    return true;
  for (size_t i = 0; ns != NULL && i < ns->n; i++)
    if (str_eq (object_string (ns->items[i], "type"), "user"))
      return true;
  return false;
}

/* The unix98 pty slaves: UNIX98_PTY_SLAVE_MAJOR 136 and the 7 majors after it
 * (include/linux/major.h, drivers/tty/Kconfig UNIX98_PTY_COUNT).  */
static bool
is_pty_slave (const struct device *d)
{
  return d->type == 'c' && d->major >= 136 && d->major <= 143;
}

/* Is the host's file at d->path exactly the device d says (type and numbers)?  *why gets what it
 * is instead.  */
static bool
host_file_is (const struct rule_ctx *ctx, const struct device *d, char **why)
{
  mode_t type = 0;
  dev_t rdev = 0;
  char want = 0;

  if (ctx->host->device_at == NULL || !ctx->host->device_at (ctx->host, d->path, &type, &rdev))
    {
      *why = xasprintf ("the host has no `%s` to bind", d->path);
      return false;
    }
  want = type == S_IFCHR ? 'c' : type == S_IFBLK ? 'b' : 0;
  if (want == d->type && d->major != WILDCARD && d->minor != WILDCARD
      && rdev == makedev ((unsigned)d->major, (unsigned)d->minor))
    return true;
  if (want == 0)
    *why = xasprintf ("the host's `%s` is not a device", d->path);
  else
    *why = xasprintf ("the host's `%s` is %c %u:%u", d->path, want, major (rdev), minor (rdev));
  return false;
}

static char *
untrusted_problem (const struct rule_ctx *ctx, const struct device *d)
{
  char *why = NULL;
  char *msg = NULL;

  if (ctx->host->path_trusted == NULL || ctx->host->path_trusted (ctx->host, d->path, &why))
    return NULL;
  msg = xasprintf ("`%s` could be swapped before it is bound: %s", d->path,
                   why ? why : "untrusted");
  free (why);
  return msg;
}

/* Why binding the host's d->path would not give the device the entry describes, malloc'd, or
 * NULL.  `always`: the runtime binds (a user namespace); otherwise runc binds only when mknod is
 * refused, and a missing host file then makes runc fail instead.  */
static char *
bind_problem (const struct rule_ctx *ctx, const struct device *d, bool always)
{
  char *why = NULL;
  mode_t type = 0;
  dev_t rdev = 0;

  if (d->path == NULL || d->path[0] == '\0' || d->type == '?')
    return NULL;
  if (d->type == 'p')
    return always ? xasprintf ("FIFO `%s` would be the host's file of that name", d->path) : NULL;
  if (d->path[0] != '/')
    return xasprintf ("`%s` is relative: it would be bound from the runtime's working directory",
                      d->path);
  if (is_pty_slave (d))
    return xasprintf ("`%s` would be a terminal of the host", d->path);
  if (ctx->host->portable)
    return NULL; /* check_bound_nodes notes what the node checks */
  if (!always
      && (ctx->host->device_at == NULL || !ctx->host->device_at (ctx->host, d->path, &type, &rdev)))
    return NULL;
  why = untrusted_problem (ctx, d);
  if (why == NULL)
    host_file_is (ctx, d, &why);
  return why;
}

/* See the top of this file: under a user namespace each entry IS a bind of the host file at its
 * path; otherwise runc binds it when mknod fails with EPERM, which a cgroupsPath naming a cgroup
 * whose device rules refuse mknod provokes.  */
static void
check_bound_nodes (const struct rule_ctx *ctx, struct findings *out)
{
  const struct json_node *nodes = spec_get_array (ctx->spec, "/linux/devices");
  bool always = nodes != NULL && nodes->n > 0 && nodes_bound_from_host (ctx);
  cleanup_free char *list = NULL;
  cleanup_free char *ptr = NULL;
  size_t count = 0;

  for (size_t i = 0; nodes != NULL && i < nodes->n; i++)
    {
      struct device d = device_read (nodes->items[i], false);
      cleanup_free char *text = bind_problem (ctx, &d, always);

      if (text == NULL)
        continue;
      if (ptr == NULL)
        ptr = xasprintf ("/linux/devices/%zu", i);
      list_add (&list, &count, text);
    }
  report (out, ctx, ptr,
          always ? "under a user namespace device entries are binds of host files"
                 : "device entries runc binds from the host when mknod is refused",
          list, count);
  if (ctx->host->portable && always && nodes != NULL && nodes->n > 0)
    node_note_add (out, ctx, "/linux/devices",
                   "that the host's file at each `linux.devices` path is the device the entry "
                   "names (under a user namespace the runtime binds the host's file)");
}

/* crun's `--cgroup-manager=disabled` leaves the container in the caller's cgroups, so no device
 * cgroup stands between CAP_MKNOD and any device node it makes (crun src/libcrun/cgroup.c).  */
static void
check_device_cgroup (const struct rule_ctx *ctx, struct findings *out)
{
  if (ctx->call->cgroups_disabled)
    finding_add (out, ctx, "/linux/resources/devices", false,
                 "the runtime is told `--cgroup-manager=disabled`: no device cgroup limits which "
                 "devices the container may open (CIS 5.18)");
}

static void
check_nodes (const struct rule_ctx *ctx, struct findings *out)
{
  const struct json_node *nodes = spec_get_array (ctx->spec, "/linux/devices");
  cleanup_free char *list = NULL;
  cleanup_free char *ptr = NULL;
  size_t count = 0;

  for (size_t i = 0; nodes != NULL && i < nodes->n; i++)
    {
      struct device d = device_read (nodes->items[i], false);
      if (node_is_default (&d) || node_is_allowlisted (ctx, &d))
        continue;
      cleanup_free char *text = describe (&d);
      if (ptr == NULL)
        ptr = xasprintf ("/linux/devices/%zu", i);
      list_add (&list, &count, text);
    }
  report (out, ctx, ptr, "host devices beyond the runtime defaults", list, count);
}

static bool
rule_is_default (const struct device *r)
{
  if (r->type == 'a')
    {
      struct device c = { 'c', WILDCARD, WILDCARD, NULL, r->access };
      struct device b = { 'b', WILDCARD, WILDCARD, NULL, r->access };
      return rule_is_default (&c) && rule_is_default (&b);
    }
  for (size_t i = 0; i < ARRAY_SIZE (default_rules); i++)
    {
      const struct device *def = &default_rules[i];
      if (r->type == def->type && number_covered (r->major, def->major)
          && number_covered (r->minor, def->minor) && access_covered (r->access, def->access))
        return true;
    }
  return false;
}

/* A cgroup rule for exactly the numbers of an allowlisted device node of the same config.  */
static bool
rule_is_allowlisted (const struct rule_ctx *ctx, const struct device *r)
{
  const struct json_node *nodes = spec_get_array (ctx->spec, "/linux/devices");

  if (ctx->spec->kind != SPEC_CONFIG || r->major == WILDCARD || r->minor == WILDCARD)
    return false;
  for (size_t i = 0; nodes != NULL && i < nodes->n; i++)
    {
      struct device d = device_read (nodes->items[i], false);
      if (d.type == r->type && d.major == r->major && d.minor == r->minor
          && node_is_allowlisted (ctx, &d))
        return true;
    }
  return false;
}

static void
check_rules (const struct rule_ctx *ctx, struct findings *out)
{
  const char *base = ctx->spec->kind == SPEC_RESOURCES ? "/devices" : "/linux/resources/devices";
  const struct json_node *rules = spec_get_array (ctx->spec, base);
  cleanup_free char *list = NULL;
  cleanup_free char *ptr = NULL;
  size_t count = 0;

  for (size_t i = 0; rules != NULL && i < rules->n; i++)
    {
      const struct json_node *allow = json_obj_get (rules->items[i], "allow");
      if (allow == NULL || allow->type != JSON_BOOL || !allow->boolean)
        continue; /* a deny rule never widens anything */
      struct device r = device_read (rules->items[i], true);
      r.path = NULL;
      if (rule_is_default (&r) || rule_is_allowlisted (ctx, &r))
        continue;
      cleanup_free char *text = describe (&r);
      if (ptr == NULL)
        ptr = xasprintf ("%s/%zu", base, i);
      list_add (&list, &count, text);
    }
  report (out, ctx, ptr, "device cgroup rules allow more than the runtime defaults", list, count);
}

static int
rule_devices_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  (void)err;
  if (ctx->spec->kind == SPEC_CONFIG)
    {
      check_nodes (ctx, out);
      check_bound_nodes (ctx, out);
      check_device_cgroup (ctx, out);
    }
  check_rules (ctx, out);
  return 0;
}

const struct rule rule_devices = {
  .id = "devices",
  .title = "no host devices beyond the runtime defaults",
  .cis = "5.18",
  .pss = NULL,
  .hint = "remove --device/--device-cgroup-rule, or allow the device in `devices.allow`",
  .kinds = RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_RESOURCES),
  .check = rule_devices_check,
  .rewrite = NULL,
  RULE_PARAMS (struct devices_params, devices_param_table),
};
