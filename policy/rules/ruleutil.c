/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared rule helpers: see ruleutil.h.  No I/O here: capability facts about the running kernel
 * come from struct host_facts, names are parsed by libcap (a pure table lookup).  */
#include <config.h>

#include <ctype.h>
#include <sys/capability.h>

#include "ruleutil.h"
#include "util.h"

const char *const ruleutil_docker_default_caps[] = {
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
  NULL,
};

const char *const ruleutil_default_masked_paths[] = {
  "/proc/acpi",
  "/proc/asound",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/proc/scsi",
  "/sys/firmware",
  "/sys/devices/virtual/powercap",
  NULL,
};

const char *const ruleutil_default_readonly_paths[] = {
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

const char *
ruleutil_process_base (const struct spec *spec)
{
  return spec->kind == SPEC_PROCESS ? "" : "/process";
}

char *
ruleutil_process_ptr (const struct spec *spec, const char *suffix)
{
  return xasprintf ("%s%s", ruleutil_process_base (spec), suffix);
}

const char *
ruleutil_capset_name (enum ruleutil_capset set)
{
  static const char *const names[RULEUTIL_CAPSET_COUNT]
      = { "bounding", "effective", "permitted", "inheritable", "ambient" };
  return set < RULEUTIL_CAPSET_COUNT ? names[set] : "?";
}

unsigned
ruleutil_caps_known (const struct host_facts *host)
{
  return host->cap_last_cap >= 63 ? 64 : host->cap_last_cap + 1;
}

/* runc 1.1.5 (libcontainer/capabilities/capabilities.go) only knows the exact spelling
 * "CAP_" + upper-case name and skips anything else with a warning; crun 1.8.1 (linux.c
 * read_caps) asks libcap's cap_from_name, which also takes lower case and plain numbers ("21" is
 * CAP_SYS_ADMIN), and warns on the rest.  A name counts as granted when EITHER runtime grants it,
 * so the policy never under-estimates what crun would do.  Both runtimes, and the kernel, ignore
 * a capability above the running kernel's cap_last_cap.  */
int
ruleutil_cap_parse (const struct host_facts *host, const char *name)
{
  cap_value_t cap = -1;

  if (name == NULL || cap_from_name (name, &cap) < 0 || cap < 0)
    return -1;
  if ((unsigned)cap > host->cap_last_cap || cap > 63)
    return -1;
  return (int)cap;
}

char *
ruleutil_cap_name (unsigned cap)
{
  char *lib = cap_to_name ((cap_value_t)cap);
  char *name;

  /* libcap prints "cap_sys_admin", or the bare number for a capability it has no name for.  */
  if (lib == NULL)
    return xasprintf ("%u", cap);
  name = xstrdup (lib);
  cap_free (lib);
  for (char *p = name; *p != '\0'; p++)
    *p = (char)toupper ((unsigned char)*p);
  return name;
}

capmask_t
ruleutil_caps_in_set (const struct spec *spec, const struct host_facts *host,
                      enum ruleutil_capset set)
{
  cleanup_free char *suffix = xasprintf ("/capabilities/%s", ruleutil_capset_name (set));
  cleanup_free char *ptr = ruleutil_process_ptr (spec, suffix);
  cleanup_free const char **names = spec_get_strv (spec, ptr, NULL);

  return ruleutil_caps_from_names (host, names);
}

capmask_t
ruleutil_caps_granted (const struct spec *spec, const struct host_facts *host)
{
  capmask_t mask = 0;

  for (int s = 0; s < RULEUTIL_CAPSET_COUNT; s++)
    mask |= ruleutil_caps_in_set (spec, host, (enum ruleutil_capset)s);
  return mask;
}

capmask_t
ruleutil_caps_from_names (const struct host_facts *host, const char *const *names)
{
  capmask_t mask = 0;

  for (size_t i = 0; names != NULL && names[i] != NULL; i++)
    {
      int cap = ruleutil_cap_parse (host, names[i]);
      if (cap >= 0)
        mask |= CAPMASK (cap);
    }
  return mask;
}

unsigned
ruleutil_caps_count (capmask_t mask)
{
  return (unsigned)__builtin_popcountll (mask);
}

char *
ruleutil_caps_describe (capmask_t mask)
{
  char *out = xstrdup ("");

  for (unsigned cap = 0; cap < 64; cap++)
    {
      cleanup_free char *name = NULL;
      char *next;

      if ((mask & CAPMASK (cap)) == 0)
        continue;
      name = ruleutil_cap_name (cap);
      next = xasprintf ("%s%s`%s`", out, *out ? ", " : "", name);
      free (out);
      out = next;
    }
  return out;
}

int
ruleutil_caps_filter (struct spec *spec, const struct host_facts *host, enum ruleutil_capset set,
                      capmask_t keep, ocg_error_t *err)
{
  cleanup_free char *suffix = xasprintf ("/capabilities/%s", ruleutil_capset_name (set));
  cleanup_free char *ptr = ruleutil_process_ptr (spec, suffix);
  size_t n = 0, kept = 0;
  cleanup_free const char **names = spec_get_strv (spec, ptr, &n);

  if (spec_get_array (spec, ptr) == NULL)
    return 0;
  for (size_t i = 0; i < n; i++)
    {
      int cap = ruleutil_cap_parse (host, names[i]);
      if (cap >= 0 && (keep & CAPMASK (cap)) != 0)
        names[kept++] = names[i];
    }
  /* spec_set records nothing when the new array equals the old one.  */
  return spec_set (spec, ptr, ruleutil_string_array (names, kept), err);
}

const char **
ruleutil_missing_strings (const struct spec *spec, const char *ptr, const char *const *want,
                          size_t *n)
{
  cleanup_free const char **have = spec_get_strv (spec, ptr, NULL);
  const char **missing = NULL;
  size_t count = 0;

  for (size_t i = 0; want[i] != NULL; i++)
    {
      if (strv_contains (have, want[i]))
        continue;
      missing = xreallocarray (missing, count + 2, sizeof (*missing));
      missing[count++] = want[i];
      missing[count] = NULL;
    }
  *n = count;
  return missing;
}

struct json_node *
ruleutil_string_array (const char *const *items, size_t n)
{
  struct json_node *arr = json_new_array ();

  for (size_t i = 0; i < n; i++)
    json_arr_append (arr, json_new_string (items[i]));
  return arr;
}

int
ruleutil_append_strings (struct spec *spec, const char *ptr, const char *const *items, size_t n,
                         ocg_error_t *err)
{
  if (spec_get_array (spec, ptr) == NULL)
    return spec_set (spec, ptr, ruleutil_string_array (items, n), err);
  for (size_t i = 0; i < n; i++)
    if (spec_append (spec, ptr, json_new_string (items[i]), err) < 0)
      return -1;
  return 0;
}

char *
ruleutil_join_quoted (const char *const *items, size_t n)
{
  char *out = xstrdup ("");

  for (size_t i = 0; i < n; i++)
    {
      char *next = xasprintf ("%s%s`%s`", out, i ? ", " : "", items[i]);
      free (out);
      out = next;
    }
  return out;
}
