/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate seccomp check`: does a profile mean what its author thinks, and will runc 1.1.5 and
 * crun 1.8.1 load it?
 *
 * Owns: validating a Docker-format or OCI-format profile with libseccomp -- names resolved per
 * architecture, the filter built the way both runtimes build it and exported to BPF.
 * Must not: load a filter into the kernel, decide policy.  Reading the profile's shape is
 * seccomp_specialise's job (seccomp_specialise.c): every check runs on its output, so the checker
 * and the injector can never disagree about what a profile says.  Building the filter the way the
 * runtimes do is seccomp_compile.c's.  */
#include <config.h>

#include <fcntl.h>
#include <string.h>

#include <seccomp.h>

#include "fsutil.h"
#include "json.h"
#include "seccomp.h"
#include "seccomp_internal.h"
#include "util.h"

#define CHECK_MAX_BYTES (4u * 1024u * 1024u)

/* Real syscalls that upstream libseccomp 2.5.4 does not know (Debian's 2.5.4-1+deb12u1 adds
 * those up to Linux 6.7).  runc and crun skip names libseccomp cannot resolve, so in a profile
 * these are notes, not errors; a typo is still an error.  */
static const struct
{
  const char *name;
  const char *linux_version;
} newer_syscalls[] = {
  { "riscv_hwprobe", "6.4" },
  { "cachestat", "6.5" },
  { "fchmodat2", "6.6" },
  { "map_shadow_stack", "6.6" },
  { "futex_wake", "6.7" },
  { "futex_wait", "6.7" },
  { "futex_requeue", "6.7" },
  { "statmount", "6.8" },
  { "listmount", "6.8" },
  { "lsm_get_self_attr", "6.8" },
  { "lsm_set_self_attr", "6.8" },
  { "lsm_list_modules", "6.8" },
  { "mseal", "6.10" },
  { "uretprobe", "6.11" },
  { "setxattrat", "6.13" },
  { "getxattrat", "6.13" },
  { "listxattrat", "6.13" },
  { "removexattrat", "6.13" },
  { "open_tree_attr", "6.15" },
  { "file_getattr", "6.17" },
  { "file_setattr", "6.17" },
};

static const char *
newer_syscall (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (newer_syscalls); i++)
    if (str_eq (newer_syscalls[i].name, name))
      return newer_syscalls[i].linux_version;
  return NULL;
}

static void
check_name (struct seccomp_check_state *st, const struct seccomp_arch *arch, const char *name)
{
  const char *version;

  /* libseccomp answers a negative pseudo number for a name that exists on other architectures
   * only (arch_prctl on x86): that is fine, the runtimes skip it there too.  */
  if (seccomp_syscall_resolve_name_arch (arch->token, name) != __NR_SCMP_ERROR)
    return;
  version = newer_syscall (name);
  if (version == NULL)
    seccomp_check_say (st, true, "%s: unknown syscall `%s`", arch->oci, name);
  else if (!seccomp_check_once (st, name))
    seccomp_check_say (
        st, false,
        "`%s` (Linux %s) is not in this libseccomp's syscall table: runc and crun skip it", name,
        version);
}

/* Resolve every name of every group for one architecture, once per architecture per check.
 * Runs on the raw profile (after seccomp_specialise accepted it), so that names in groups no
 * tried capability set selects are resolved too; moby's deprecated `name` counts.  */
static void
check_names (struct seccomp_check_state *st, const struct json_node *groups,
             const struct seccomp_arch *arch)
{
  for (size_t i = 0; i < st->n_named; i++)
    if (st->named[i] == arch->token)
      return;
  if (st->n_named < SECCOMP_CHECK_MAX_ARCHS)
    st->named[st->n_named++] = arch->token;
  for (size_t i = 0; groups != NULL && i < groups->n; i++)
    {
      const struct json_node *names = json_obj_get (groups->items[i], "names");
      const struct json_node *name = json_obj_get (groups->items[i], "name");

      for (size_t j = 0; names != NULL && names->type == JSON_ARRAY && j < names->n; j++)
        check_name (st, arch, names->items[j]->text);
      if (name != NULL && name->type == JSON_STRING && name->text[0] != '\0')
        check_name (st, arch, name->text);
    }
}

/* Names of a Docker-format profile, for every architecture of every archMap entry.  */
static void
check_docker_names (struct seccomp_check_state *st, const struct json_node *profile)
{
  const struct json_node *map = json_obj_get (profile, "archMap");
  const struct json_node *groups = json_obj_get (profile, "syscalls");
  const struct seccomp_arch *native = seccomp_arch_by_token (seccomp_arch_native ());

  if (native != NULL)
    check_names (st, groups, native);
  for (size_t i = 0; map != NULL && map->type == JSON_ARRAY && i < map->n; i++)
    {
      const struct json_node *a = json_obj_get (map->items[i], "architecture");
      const struct json_node *subs = json_obj_get (map->items[i], "subArchitectures");
      const struct seccomp_arch *arch;

      if (a != NULL && a->type == JSON_STRING && (arch = seccomp_arch_by_oci (a->text)) != NULL)
        check_names (st, groups, arch);
      for (size_t j = 0; subs != NULL && subs->type == JSON_ARRAY && j < subs->n; j++)
        if (subs->items[j]->type == JSON_STRING
            && (arch = seccomp_arch_by_oci (subs->items[j]->text)) != NULL)
          check_names (st, groups, arch);
    }
}

/* What the runtimes refuse although specialise accepted it.  */
static void
check_oci_header (struct seccomp_check_state *st, const struct json_node *oci, const char *context)
{
  const struct json_node *archs = json_obj_get (oci, "architectures");

  if (str_eq (json_obj_get (oci, "defaultAction")->text, "SCMP_ACT_NOTIFY"))
    seccomp_check_say (st, true, "%s: SCMP_ACT_NOTIFY as defaultAction (runc 1.1.5 refuses it)",
                       context);
  if (json_obj_get (oci, "flags") != NULL)
    seccomp_check_say (st, true, "%s: `flags` is set (runc 1.1.5 refuses any seccomp flag)",
                       context);
  for (size_t i = 0; archs != NULL && i < archs->n; i++)
    {
      const struct seccomp_arch *a = seccomp_arch_by_oci (archs->items[i]->text);
      if (a == NULL)
        seccomp_check_say (st, true, "%s: unknown architecture `%s`", context,
                           archs->items[i]->text);
      else if (!a->runc_knows && !st->foreign)
        seccomp_check_say (st, true, "%s: runc 1.1.5 does not know architecture `%s`", context,
                           a->oci);
      else if (!a->runc_knows && !seccomp_check_once (st, a->oci))
        seccomp_check_say (
            st, false,
            "runc 1.1.5 does not know architecture `%s`: on such a host only crun can "
            "load this profile",
            a->oci);
    }
}

/* Header, then (for an OCI-format input) names, then the filter itself.  */
static void
check_oci (struct seccomp_check_state *st, const struct json_node *oci,
           const struct seccomp_arch *native, bool names, const char *context)
{
  const struct json_node *archs = json_obj_get (oci, "architectures");
  unsigned before = st->problems;

  check_oci_header (st, oci, context);
  if (st->problems != before)
    return;
  if (names)
    check_names (st, json_obj_get (oci, "syscalls"), native);
  for (size_t i = 0; names && archs != NULL && i < archs->n; i++)
    check_names (st, json_obj_get (oci, "syscalls"), seccomp_arch_by_oci (archs->items[i]->text));
  seccomp_compile_conflicts (st, oci, context);
  seccomp_compile_oci (st, oci, native, context);
}

/* An OCI object has no conditions; a Docker-format profile has an archMap or a group with
 * includes, excludes or moby's deprecated `name`.  */
static bool
is_docker_format (const struct json_node *profile)
{
  const struct json_node *groups = json_obj_get (profile, "syscalls");

  if (json_obj_get (profile, "archMap") != NULL)
    return true;
  for (size_t i = 0; groups != NULL && groups->type == JSON_ARRAY && i < groups->n; i++)
    if (json_obj_get (groups->items[i], "includes") != NULL
        || json_obj_get (groups->items[i], "excludes") != NULL
        || json_obj_get (groups->items[i], "name") != NULL)
      return true;
  return false;
}

/* Every capability named in an includes/excludes `caps`, once, as a NULL-terminated vector of
 * borrowed strings.  */
static const char **
collect_caps (const struct json_node *groups, size_t *n)
{
  static const char *const filters[] = { "includes", "excludes" };
  const char **caps = xzalloc (sizeof (*caps));

  *n = 0;
  for (size_t i = 0; groups != NULL && groups->type == JSON_ARRAY && i < groups->n; i++)
    for (size_t f = 0; f < ARRAY_SIZE (filters); f++)
      {
        const struct json_node *c
            = json_obj_get (json_obj_get (groups->items[i], filters[f]), "caps");
        for (size_t j = 0; c != NULL && c->type == JSON_ARRAY && j < c->n; j++)
          {
            bool seen = c->items[j]->type != JSON_STRING;
            for (size_t k = 0; k < *n && !seen; k++)
              seen = str_eq (caps[k], c->items[j]->text);
            if (seen)
              continue;
            caps = xreallocarray (caps, *n + 2, sizeof (*caps));
            caps[(*n)++] = c->items[j]->text;
            caps[*n] = NULL;
          }
      }
  return caps;
}

static int
check_one_set (struct seccomp_check_state *st, const struct json_node *profile,
               const struct seccomp_arch *native, const char *const *caps, size_t n_caps,
               const char *label, const unsigned kv[2], ocg_error_t *err)
{
  cleanup_free char *context = xasprintf ("%s with %s", native->oci, label);
  cleanup_json struct json_node *oci
      = seccomp_specialise (profile, caps, n_caps, native->token, kv[0], kv[1], err);

  if (oci == NULL)
    return -1;
  check_oci (st, oci, native, false, context);
  return 0;
}

/* Capability sets tried per native architecture: none, each one alone, all together.  That
 * takes every includes/excludes branch of the shipped and the engines' profiles at least once.  */
static int
check_docker_arch (struct seccomp_check_state *st, const struct json_node *profile,
                   const struct seccomp_arch *native, const char *const *caps, size_t n_caps,
                   const unsigned kv[2], ocg_error_t *err)
{
  cleanup_free char *all = xasprintf ("all %zu capabilities it names", n_caps);
  unsigned sets = 1;

  st->max_insns = 0;
  st->foreign = native->token != seccomp_arch_native ();
  if (check_one_set (st, profile, native, NULL, 0, "no capabilities", kv, err) < 0)
    return -1;
  for (size_t i = 0; i < n_caps; i++, sets++)
    if (check_one_set (st, profile, native, &caps[i], 1, caps[i], kv, err) < 0)
      return -1;
  if (n_caps > 1 && check_one_set (st, profile, native, caps, n_caps, all, kv, err) < 0)
    return -1;
  sets += n_caps > 1;
  seccomp_check_say (st, false,
                     "%s: %u capability set%s checked, largest filter %u BPF instructions",
                     native->oci, sets, sets == 1 ? "" : "s", st->max_insns);
  return 0;
}

static int
check_docker (struct seccomp_check_state *st, const struct json_node *profile, const unsigned kv[2],
              ocg_error_t *err)
{
  const struct json_node *map = json_obj_get (profile, "archMap");
  size_t n_caps = 0;
  cleanup_free const char **caps = collect_caps (json_obj_get (profile, "syscalls"), &n_caps);

  if (map == NULL || map->type != JSON_ARRAY || map->n == 0)
    {
      const struct seccomp_arch *native = seccomp_arch_by_token (seccomp_arch_native ());
      if (native == NULL)
        return ocg_error_set (err, 0, "libseccomp's native architecture is not one ocigate knows");
      if (check_docker_arch (st, profile, native, caps, n_caps, kv, err) < 0)
        return -1;
      check_docker_names (st, profile);
      return 0;
    }
  for (size_t i = 0; i < map->n; i++)
    {
      const struct json_node *a = json_obj_get (map->items[i], "architecture");
      const struct seccomp_arch *native
          = a && a->type == JSON_STRING ? seccomp_arch_by_oci (a->text) : NULL;

      if (native == NULL)
        {
          seccomp_check_say (
              st, !(a && a->type == JSON_STRING),
              "archMap[%zu]: architecture `%s` is unknown to libseccomp %u.%u.%u, not checked", i,
              a && a->type == JSON_STRING ? a->text : "", seccomp_version ()->major,
              seccomp_version ()->minor, seccomp_version ()->micro);
          continue;
        }
      if (check_docker_arch (st, profile, native, caps, n_caps, kv, err) < 0)
        return -1;
    }
  check_docker_names (st, profile);
  return 0;
}

static int
check_oci_input (struct seccomp_check_state *st, const struct json_node *profile,
                 const unsigned kv[2], ocg_error_t *err)
{
  const struct seccomp_arch *native = seccomp_arch_by_token (seccomp_arch_native ());
  cleanup_json struct json_node *oci = NULL;

  if (native == NULL)
    return ocg_error_set (err, 0, "libseccomp's native architecture is not one ocigate knows");
  oci = seccomp_specialise (profile, NULL, 0, native->token, kv[0], kv[1], err);
  if (oci == NULL)
    return -1;
  check_oci (st, oci, native, true, "OCI profile");
  return 0;
}

int
seccomp_check_profile (const struct json_node *profile, FILE *report, ocg_error_t *err)
{
  const struct scmp_version *v = seccomp_version ();
  struct seccomp_check_state st = { .report = report };
  bool docker;
  unsigned kv[2];
  int rc;

  if (profile == NULL || profile->type != JSON_OBJECT)
    return ocg_error_set (err, 0, "a seccomp profile must be a JSON object");
  if (seccomp_host_kernel (&kv[0], &kv[1], err) < 0)
    return -1;
  docker = is_docker_format (profile);
  seccomp_check_say (&st, false, "%s profile, libseccomp %u.%u.%u, kernel %u.%u",
                     docker ? "Docker-format" : "OCI-format", v->major, v->minor, v->micro, kv[0],
                     kv[1]);
  rc = docker ? check_docker (&st, profile, kv, err) : check_oci_input (&st, profile, kv, err);
  for (size_t i = 0; i < st.n_noted; i++)
    free (st.noted[i]);
  free (st.noted);
  if (rc < 0)
    return -1;
  if (st.problems > 0)
    return ocg_error_set (err, 0, "the seccomp profile is invalid: %u problem%s", st.problems,
                          st.problems == 1 ? "" : "s");
  return 0;
}

int
seccomp_check_file (const char *path, FILE *report, ocg_error_t *err)
{
  struct json_parse_opts opts = { .source = path, .max_bytes = CHECK_MAX_BYTES };
  cleanup_json struct json_node *profile = NULL;
  cleanup_free char *buf = NULL;
  size_t len = 0;

  buf = fsutil_read_at (AT_FDCWD, path, CHECK_MAX_BYTES, &len, err);
  if (buf == NULL)
    return -1;
  profile = json_parse (buf, len, &opts, err);
  if (profile == NULL)
    return -1;
  return seccomp_check_profile (profile, report, err);
}
