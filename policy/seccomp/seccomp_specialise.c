/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Docker-format seccomp profile -> the OCI `linux.seccomp` object of one container.
 *
 * Owns: moby's conditional-rule semantics (moby profiles/seccomp/seccomp_linux.go setupSeccomp)
 * reproduced in C, and the exact shape of what we hand to runc 1.1.5 / crun 1.8.1.
 * Must not: decide policy, do I/O, or load a filter.
 *
 * Reading a Docker-format profile the way moby does matters because the same file is also what
 * `docker run --security-opt seccomp=FILE` reads: moby decodes it with Go's encoding/json, which
 * matches keys case-insensitively (decode.go object()); we refuse keys that only match that way
 * instead of guessing.  Every group is validated, selected or not, as moby decodes them all
 * before it filters.  */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "seccomp.h"
#include "seccomp_internal.h"
#include "util.h"

struct specialise_ctx
{
  const char *const *caps;
  size_t n_caps;
  const struct seccomp_arch *native;
  unsigned kernel_major;
  unsigned kernel_minor;
};

static bool
has_cap (const struct specialise_ctx *ctx, const char *cap)
{
  for (size_t i = 0; i < ctx->n_caps; i++)
    if (str_eq (ctx->caps[i], cap))
      return true;
  return false;
}

/* moby seccomp.go KernelVersion.UnmarshalJSON: "<kernel>.<major>", each strconv.ParseUint(s, 10,
 * 8), "0.0" refused; "" is accepted and leaves 0.0, which every kernel satisfies; null is no
 * condition at all.  */
static int
parse_min_kernel (const struct json_node *n, const char *where, bool *present, unsigned v[2],
                  ocg_error_t *err)
{
  const char *s;

  *present = false;
  if (n == NULL || n->type == JSON_NULL)
    return 0;
  if (n->type != JSON_STRING)
    return ocg_error_set (err, 0, "%s: `minKernel` must be a string", where);
  *present = true;
  v[0] = v[1] = 0;
  if (n->text[0] == '\0')
    return 0;
  s = n->text;
  for (int part = 0; part < 2; part++)
    {
      char *end = NULL;
      unsigned long x;

      if (*s < '0' || *s > '9')
        break;
      errno = 0;
      x = strtoul (s, &end, 10);
      if (errno != 0 || x > 255 || *end != (part == 0 ? '.' : '\0'))
        break;
      v[part] = (unsigned)x;
      s = end + 1;
      if (part == 1)
        return (v[0] | v[1]) != 0 ? 0 : ocg_error_set (err, 0, "%s: `minKernel` is 0.0", where);
    }
  return ocg_error_set (err, 0, "%s: `minKernel` `%s` is not \"<kernel>.<major>\"", where, n->text);
}

static bool
kernel_at_least (const struct specialise_ctx *ctx, const unsigned v[2])
{
  return ctx->kernel_major > v[0] || (ctx->kernel_major == v[0] && ctx->kernel_minor >= v[1]);
}

/* One includes/excludes object: does it hold?  moby: for includes, arches must name the native
 * arch, ALL caps be present, kernel >= minKernel; for excludes, the group goes when the native
 * arch is named, ANY cap is present, or kernel >= minKernel.  Empty members are no condition.  */
static int
filter_eval (const struct json_node *f, bool is_include, const struct specialise_ctx *ctx,
             const char *where, bool *keep, ocg_error_t *err)
{
  static const char *const keys[] = { "caps", "arches", "minKernel", NULL };
  const struct json_node *caps, *arches;
  unsigned kv[2];
  bool has_kv;

  if (f == NULL || f->type == JSON_NULL)
    return 0;
  if (f->type != JSON_OBJECT)
    return ocg_error_set (err, 0, "%s must be an object", where);
  if (seccomp_keys_exact (f, keys, where, err) < 0
      || seccomp_opt_strings (f, "caps", where, &caps, err) < 0
      || seccomp_opt_strings (f, "arches", where, &arches, err) < 0
      || parse_min_kernel (json_obj_get (f, "minKernel"), where, &has_kv, kv, err) < 0)
    return -1;

  if (arches != NULL && arches->n > 0
      && seccomp_strings_contain (arches, ctx->native->moby) != is_include)
    *keep = false;
  for (size_t i = 0; caps != NULL && i < caps->n; i++)
    if (has_cap (ctx, caps->items[i]->text) != is_include)
      *keep = false;
  if (has_kv && kernel_at_least (ctx, kv) != is_include)
    *keep = false;
  return 0;
}

/* One element of `args`: runtime-spec LinuxSeccompArg {index, value, valueTwo, op}, rebuilt with
 * exactly those keys.  runc 1.1.5 indexes a six-slot array with `index` (a larger one panics),
 * crun refuses it: both end at 5.  */
static struct json_node *
arg_convert (const struct json_node *a, const char *where, ocg_error_t *err)
{
  static const char *const keys[] = { "index", "value", "valueTwo", "op", NULL };
  static const char *const u64_keys[] = { "value", "valueTwo" };
  cleanup_json struct json_node *out = json_new_object ();
  const char *op;
  uint64_t v;

  if (a->type != JSON_OBJECT)
    {
      ocg_error_set (err, 0, "%s must be an object", where);
      return NULL;
    }
  if (seccomp_keys_exact (a, keys, where, err) < 0
      || seccomp_opt_string (a, "op", where, &op, err) < 0)
    return NULL;
  if (!json_number_u64 (json_obj_get (a, "index"), &v) || v > 5)
    {
      ocg_error_set (err, 0, "%s: `index` must be 0 to 5", where);
      return NULL;
    }
  if (!seccomp_operator_known (op))
    {
      ocg_error_set (err, 0, "%s: unknown operator `%s`", where, op ? op : "");
      return NULL;
    }
  json_obj_set (out, "index", json_clone (json_obj_get (a, "index")));
  for (size_t i = 0; i < ARRAY_SIZE (u64_keys); i++)
    {
      const struct json_node *n = json_obj_get (a, u64_keys[i]);
      if (n == NULL || n->type == JSON_NULL)
        continue;
      if (!json_number_u64 (n, &v))
        {
          ocg_error_set (err, 0, "%s: `%s` must be an unsigned 64-bit integer", where, u64_keys[i]);
          return NULL;
        }
      json_obj_set (out, u64_keys[i], json_clone (n));
    }
  json_obj_set (out, "op", json_new_string (op));
  return steal_pointer (&out);
}

static int
args_convert (const struct json_node *args, const char *where, struct json_node *out,
              ocg_error_t *err)
{
  cleanup_json struct json_node *arr = json_new_array ();

  if (args == NULL || args->type == JSON_NULL)
    return 0;
  if (args->type != JSON_ARRAY)
    return ocg_error_set (err, 0, "%s: `args` must be an array", where);
  for (size_t i = 0; i < args->n; i++)
    {
      cleanup_free char *w = seccomp_where (where, i, NULL);
      struct json_node *a = arg_convert (args->items[i], w, err);
      if (a == NULL)
        return -1;
      json_arr_append (arr, a);
    }
  if (arr->n > 0)
    json_obj_set (out, "args", steal_pointer (&arr));
  return 0;
}

/* `name` (moby's deprecated single name) or `names`, never both (moby errors out too).  */
static int
group_names (const struct json_node *g, const char *where, struct json_node **out, ocg_error_t *err)
{
  const struct json_node *names;
  const char *name;

  if (seccomp_opt_string (g, "name", where, &name, err) < 0
      || seccomp_opt_strings (g, "names", where, &names, err) < 0)
    return -1;
  if (name != NULL && name[0] != '\0' && names != NULL && names->n > 0)
    return ocg_error_set (err, 0, "%s: both `name` and `names` are set", where);
  if (name != NULL && name[0] != '\0')
    {
      *out = json_new_array ();
      json_arr_append (*out, json_new_string (name));
      return 0;
    }
  /* runc 1.1.5 matchCall: "empty string is not a valid syscall" fails the whole container.  */
  for (size_t i = 0; names != NULL && i < names->n; i++)
    if (names->items[i]->text[0] == '\0')
      return ocg_error_set (err, 0, "%s: `names[%zu]` is empty", where, i);
  *out = names != NULL ? json_clone (names) : json_new_array ();
  return 0;
}

/* Validate one syscall group and build its OCI form (NULL in *out when it has no names).  */
static int
group_convert (const struct json_node *g, const char *where, struct json_node **out,
               ocg_error_t *err)
{
  static const char *const keys[]
      = { "names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes", NULL };
  cleanup_json struct json_node *o = json_new_object ();
  struct json_node *names = NULL;
  const struct seccomp_action *act;
  const char *action;
  uint64_t errno_ret;
  bool has_errno;

  *out = NULL;
  if (g->type != JSON_OBJECT)
    return ocg_error_set (err, 0, "%s must be an object", where);
  if (seccomp_keys_exact (g, keys, where, err) < 0 || group_names (g, where, &names, err) < 0)
    return -1;
  json_obj_set (o, "names", names);
  if (seccomp_opt_string (g, "action", where, &action, err) < 0
      || seccomp_opt_errno (g, "errnoRet", where, &has_errno, &errno_ret, err) < 0)
    return -1;
  if (action == NULL)
    return ocg_error_set (err, 0, "%s: `action` is missing", where);
  act = seccomp_action_lookup (action);
  if (act == NULL)
    return ocg_error_set (err, 0, "%s: unknown action `%s`", where, action);
  if (has_errno && !act->errno_ok)
    return ocg_error_set (err, 0, "%s: `errnoRet` with action `%s` (crun refuses it)", where,
                          action);
  json_obj_set (o, "action", json_new_string (action));
  if (has_errno)
    json_obj_set (o, "errnoRet", json_new_uint (errno_ret));
  if (args_convert (json_obj_get (g, "args"), where, o, err) < 0)
    return -1;
  if (names->n > 0)
    *out = steal_pointer (&o);
  return 0;
}

static int
group_selected (const struct json_node *g, const struct specialise_ctx *ctx, const char *where,
                bool *keep, ocg_error_t *err)
{
  cleanup_free char *wi = json_path_key (where, "includes");
  cleanup_free char *we = json_path_key (where, "excludes");

  *keep = true;
  if (filter_eval (json_obj_get (g, "excludes"), false, ctx, we, keep, err) < 0
      || filter_eval (json_obj_get (g, "includes"), true, ctx, wi, keep, err) < 0)
    return -1;
  return 0;
}

static int
syscalls_specialise (const struct json_node *groups, const struct specialise_ctx *ctx,
                     struct json_node *out, ocg_error_t *err)
{
  cleanup_json struct json_node *arr = json_new_array ();

  if (groups != NULL && groups->type != JSON_NULL && groups->type != JSON_ARRAY)
    return ocg_error_set (err, 0, "$.syscalls must be an array");
  for (size_t i = 0; groups != NULL && i < groups->n; i++)
    {
      cleanup_free char *where = seccomp_where ("$.syscalls", i, NULL);
      cleanup_json struct json_node *oci = NULL;
      bool keep;

      /* Every group is validated, selected or not: moby decodes them all before filtering.  */
      if (group_convert (groups->items[i], where, &oci, err) < 0
          || group_selected (groups->items[i], ctx, where, &keep, err) < 0)
        return -1;
      if (keep && oci != NULL)
        json_arr_append (arr, steal_pointer (&oci));
    }
  json_obj_set (out, "syscalls", steal_pointer (&arr));
  return 0;
}

/* archMap -> `architectures`: the native entry's architecture plus its sub-architectures.  */
static int
archmap_select (const struct json_node *map, const struct specialise_ctx *ctx,
                struct json_node *out, ocg_error_t *err)
{
  for (size_t i = 0; i < map->n; i++)
    {
      static const char *const keys[] = { "architecture", "subArchitectures", NULL };
      cleanup_free char *where = seccomp_where ("$.archMap", i, NULL);
      const struct json_node *e = map->items[i], *subs;
      cleanup_json struct json_node *archs = json_new_array ();
      const char *arch;

      if (e->type != JSON_OBJECT)
        return ocg_error_set (err, 0, "%s must be an object", where);
      if (seccomp_keys_exact (e, keys, where, err) < 0
          || seccomp_opt_string (e, "architecture", where, &arch, err) < 0
          || seccomp_opt_strings (e, "subArchitectures", where, &subs, err) < 0)
        return -1;
      if (!str_eq (arch, ctx->native->oci))
        continue;
      json_arr_append (archs, json_new_string (arch));
      for (size_t j = 0; subs != NULL && j < subs->n; j++)
        {
          if (seccomp_arch_by_oci (subs->items[j]->text) == NULL)
            return ocg_error_set (err, 0, "%s: unknown architecture `%s`", where,
                                  subs->items[j]->text);
          json_arr_append (archs, json_clone (subs->items[j]));
        }
      json_obj_set (out, "architectures", steal_pointer (&archs));
      return 0;
    }
  return ocg_error_set (err, 0,
                        "the profile's archMap has no entry for the native architecture `%s`",
                        ctx->native->oci);
}

static int
architectures_specialise (const struct json_node *profile, const struct specialise_ctx *ctx,
                          struct json_node *out, ocg_error_t *err)
{
  const struct json_node *map = json_obj_get (profile, "archMap"), *archs;

  if (seccomp_opt_strings (profile, "architectures", "$", &archs, err) < 0)
    return -1;
  if (map != NULL && map->type != JSON_NULL && map->type != JSON_ARRAY)
    return ocg_error_set (err, 0, "$.archMap must be an array");
  if (archs != NULL && archs->n > 0 && map != NULL && map->n > 0)
    return ocg_error_set (err, 0, "the profile sets both `architectures` and `archMap`");
  if (map != NULL && map->n > 0)
    return archmap_select (map, ctx, out, err);
  if (archs != NULL && archs->n > 0)
    json_obj_set (out, "architectures", json_clone (archs));
  return 0;
}

/* defaultAction, defaultErrnoRet, then the fields moby copies through untouched.  runc 1.1.5
 * refuses any `flags` (specconv.SetupSeccomp); they are passed on so that the runtime, not we,
 * decides -- dropping SECCOMP_FILTER_FLAG_LOG or _SPEC_ALLOW silently would change meaning.  */
static int
header_specialise (const struct json_node *profile, struct json_node *out, ocg_error_t *err)
{
  static const char *const pass[] = { "listenerPath", "listenerMetadata" };
  const struct seccomp_action *act;
  const struct json_node *flags;
  const char *action, *s;
  uint64_t errno_ret;
  bool has_errno;

  if (seccomp_opt_string (profile, "defaultAction", "$", &action, err) < 0
      || seccomp_opt_errno (profile, "defaultErrnoRet", "$", &has_errno, &errno_ret, err) < 0)
    return -1;
  if (action == NULL)
    return ocg_error_set (err, 0, "`defaultAction` is missing");
  act = seccomp_action_lookup (action);
  if (act == NULL)
    return ocg_error_set (err, 0, "$.defaultAction: unknown action `%s`", action);
  if (has_errno && !act->errno_ok)
    return ocg_error_set (err, 0, "$.defaultErrnoRet with defaultAction `%s` (crun refuses it)",
                          action);
  json_obj_set (out, "defaultAction", json_new_string (action));
  if (has_errno)
    json_obj_set (out, "defaultErrnoRet", json_new_uint (errno_ret));
  if (seccomp_opt_strings (profile, "flags", "$", &flags, err) < 0)
    return -1;
  if (flags != NULL && flags->n > 0)
    json_obj_set (out, "flags", json_clone (flags));
  for (size_t i = 0; i < ARRAY_SIZE (pass); i++)
    {
      if (seccomp_opt_string (profile, pass[i], "$", &s, err) < 0)
        return -1;
      if (s != NULL && s[0] != '\0')
        json_obj_set (out, pass[i], json_new_string (s));
    }
  return 0;
}

struct json_node *
seccomp_specialise (const struct json_node *profile, const char *const *caps, size_t n_caps,
                    uint32_t native_arch, unsigned kernel_major, unsigned kernel_minor,
                    ocg_error_t *err)
{
  static const char *const keys[]
      = { "defaultAction", "defaultErrnoRet",  "architectures", "archMap", "flags",
          "listenerPath",  "listenerMetadata", "syscalls",      NULL };
  struct specialise_ctx ctx
      = { caps, n_caps, seccomp_arch_by_token (native_arch), kernel_major, kernel_minor };
  cleanup_json struct json_node *out = json_new_object ();

  if (ctx.native == NULL)
    {
      ocg_error_set (err, 0, "unknown native architecture token %#x", native_arch);
      return NULL;
    }
  if (profile == NULL || profile->type != JSON_OBJECT)
    {
      ocg_error_set (err, 0, "a seccomp profile must be a JSON object");
      return NULL;
    }
  if (seccomp_keys_exact (profile, keys, "$", err) < 0 || header_specialise (profile, out, err) < 0
      || architectures_specialise (profile, &ctx, out, err) < 0
      || syscalls_specialise (json_obj_get (profile, "syscalls"), &ctx, out, err) < 0)
    return NULL;
  return steal_pointer (&out);
}
