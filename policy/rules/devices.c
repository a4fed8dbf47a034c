/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule family "devices": devices (CIS Docker 1.6.0 5.18, host devices not exposed).
 *
 * Owns: comparing `linux.devices` (device nodes runc creates in the container) and the device
 * cgroup allow rules (`linux.resources.devices`, also in `runc update --resources` documents)
 * with what every runtime grants anyway, plus the `device_allow` parameter.
 *
 * The defaults are runc's own: libcontainer/specconv AllowedDevices appends, after the config's
 * rules, mknod of any char/block device and rwm on null, zero, full, random, urandom, tty, ptmx
 * and the /dev/pts/<n> ptys (createDevices leaves out a default whose path linux.devices names,
 * which is why engines repeat those rules), so a config allowing exactly those gains nothing.
 * /dev/console (c 5:1) is in Docker's and containerd's default lists.  Deny rules never widen
 * anything. Must not: do I/O, or rewrite (dropping a device silently breaks the workload).  */
#include <config.h>

#include <fnmatch.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defaults_isolation.h"
#include "engine.h"
#include "pathmatch.h"
#include "spec.h"
#include "util.h"

const char *const isolation_default_device_allow[] = { NULL };

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

/* `PATH-GLOB [TYPE MAJOR:MINOR]`: does this device_allow entry allow the node?  */
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
  char *const *list = ctx->params->device_allow != NULL
                          ? ctx->params->device_allow
                          : (char *const *)isolation_default_device_allow;
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
    check_nodes (ctx, out);
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
};
