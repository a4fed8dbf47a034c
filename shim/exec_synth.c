/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The process `exec` starts from flags, as each runtime builds it (see exec_synth.h).  */
#include <config.h>

#include <string.h>

#include "exec_synth.h"
#include "gonum.h"
#include "state.h"
#include "util.h"

static struct json_node *
member_object (struct json_node *obj, const char *key)
{
  struct json_node *m = json_obj_get (obj, key);

  if (m == NULL || m->type != JSON_OBJECT)
    {
      m = json_new_object ();
      json_obj_set (obj, key, m);
    }
  return m;
}

static struct json_node *
member_array (struct json_node *obj, const char *key)
{
  struct json_node *m = json_obj_get (obj, key);

  if (m == NULL || m->type != JSON_ARRAY)
    {
      m = json_new_array ();
      json_obj_set (obj, key, m);
    }
  return m;
}

static struct json_node *
string_array (const char *const *v, size_t n)
{
  struct json_node *arr = json_new_array ();

  for (size_t i = 0; i < n; i++)
    json_arr_append (arr, json_new_string (v[i]));
  return arr;
}

/* ---- runc 1.1.5 exec.go getProcess ---- */

/* `-u uid[:gid]`: strings.SplitN (u, ":", 2), each part through strconv.Atoi, then uint32 ():
 * `-u 4294967296` is uid 0.  */
static int
runc_user (struct json_node *process, const char *user, ocg_error_t *err)
{
  cleanup_free char *uid_text = xstrdup (user);
  char *colon = strchr (uid_text, ':');
  struct json_node *u = member_object (process, "user");
  int64_t uid = 0, gid = 0;

  if (colon != NULL)
    {
      *colon = '\0';
      if (gonum_parse_int (colon + 1, 10, &gid) < 0)
        return ocg_error_set (err, 0, "exec -u `%.64s`: runc cannot read the gid", user);
      json_obj_set (u, "gid", json_new_uint ((uint32_t)gid));
    }
  if (gonum_parse_int (uid_text, 10, &uid) < 0)
    return ocg_error_set (err, 0, "exec -u `%.64s`: runc cannot read the uid", user);
  json_obj_set (u, "uid", json_new_uint ((uint32_t)uid));
  return 0;
}

/* `-g GID`: urfave/cli 1.22 Int64Slice (strconv.ParseInt (v, 10, 64)), refused when negative,
 * appended as uint32 (): `-g 4294967296` is group 0.  */
static int
runc_gids (struct json_node *process, const struct argv_list *gids, ocg_error_t *err)
{
  struct json_node *list = NULL;

  for (size_t i = 0; i < gids->n; i++)
    {
      int64_t g = 0;

      if (gonum_parse_int (gids->v[i], 10, &g) < 0 || g < 0)
        return ocg_error_set (err, 0, "exec -g `%.64s`: runc refuses it", gids->v[i]);
      if (list == NULL)
        list = member_array (member_object (process, "user"), "additionalGids");
      json_arr_append (list, json_new_uint ((uint32_t)g));
    }
  return 0;
}

/* -c/--cap: appended to the bounding, effective, permitted and ambient sets (not inheritable).  */
static void
runc_caps (struct json_node *process, const struct argv_list *caps)
{
  static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
  struct json_node *c;

  if (caps->n == 0)
    return;
  c = member_object (process, "capabilities");
  for (size_t s = 0; s < ARRAY_SIZE (sets); s++)
    {
      struct json_node *arr = member_array (c, sets[s]);
      for (size_t i = 0; i < caps->n; i++)
        json_arr_append (arr, json_new_string (caps->v[i]));
    }
}

static int
runc_process (const struct runc_invocation *inv, struct json_node *p, ocg_error_t *err)
{
  struct json_node *env = member_array (p, "env");

  json_obj_set (p, "args", string_array (inv->exec_args, inv->n_exec_args));
  if (inv->cwd != NULL)
    json_obj_set (p, "cwd", json_new_string (inv->cwd));
  if (inv->apparmor != NULL)
    json_obj_set (p, "apparmorProfile", json_new_string (inv->apparmor));
  if (inv->process_label != NULL)
    json_obj_set (p, "selinuxLabel", json_new_string (inv->process_label));
  runc_caps (p, &inv->caps);
  for (size_t i = 0; i < inv->env.n; i++)
    json_arr_append (env, json_new_string (inv->env.v[i]));
  json_obj_set (p, "terminal", json_new_bool (inv->tty));
  if (inv->no_new_privs >= 0)
    json_obj_set (p, "noNewPrivileges", json_new_bool (inv->no_new_privs == 1));
  if (inv->user != NULL && runc_user (p, inv->user, err) < 0)
    return -1;
  return runc_gids (p, &inv->gids, err);
}

/* ---- crun 1.8.1 src/exec.c crun_command_exec ---- */

/* make_oci_process_user: strtol for the uid, then `:` and strtol for the gid; without -u the
 * process runs as uid 0, gid 0, with no supplementary groups.  */
static int
crun_user (struct json_node *p, const char *user, ocg_error_t *err)
{
  struct json_node *u = json_new_object ();
  uint32_t uid = 0, gid = 0;
  const char *end = "";

  json_obj_set (p, "user", u);
  if (user != NULL && gonum_crun_id (user, &uid, &end) < 0)
    return ocg_error_set (err, 0, "exec -u `%.64s`: crun refuses the uid", user);
  if (*end == ':' && gonum_crun_id (end + 1, &gid, &end) < 0)
    return ocg_error_set (err, 0, "exec -u `%.64s`: crun refuses the gid", user);
  if (*end != '\0')
    return ocg_error_set (err, 0, "exec -u `%.64s`: crun refuses it", user);
  json_obj_set (u, "uid", json_new_uint (uid));
  json_obj_set (u, "gid", json_new_uint (gid));
  return 0;
}

/* --cap replaces the sets: effective, bounding, ambient and permitted get exactly the listed
 * capabilities, inheritable none.  Without --cap the config's capabilities apply
 * (exec_process_entrypoint).  */
static void
crun_caps (struct json_node *p, const struct json_node *config_process,
           const struct argv_list *caps)
{
  static const char *const sets[] = { "effective", "bounding", "ambient", "permitted" };
  const struct json_node *own = json_obj_get (config_process, "capabilities");
  struct json_node *c;

  if (caps->n == 0)
    {
      if (own != NULL)
        json_obj_set (p, "capabilities", json_clone (own));
      return;
    }
  c = member_object (p, "capabilities");
  for (size_t s = 0; s < ARRAY_SIZE (sets); s++)
    json_obj_set (c, sets[s], string_array (caps->v, caps->n));
  json_obj_set (c, "inheritable", json_new_array ());
}

/* A label given as a flag, else the config's (libcrun_container_exec_with_options).  */
static void
crun_label (struct json_node *p, const struct json_node *config_process, const char *key,
            const char *flag)
{
  const struct json_node *own = json_obj_get (config_process, key);

  if (flag != NULL)
    json_obj_set (p, key, json_new_string (flag));
  else if (own != NULL)
    json_obj_set (p, key, json_clone (own));
}

/* No rlimits, no oomScoreAdj, noNewPrivileges only with --no-new-privs (the config's setting is
 * not applied), the working directory `/` unless --cwd: what crun 1.8.1 really starts.  */
static int
crun_process (const struct runc_invocation *inv, const struct json_node *config_process,
              struct json_node *p, ocg_error_t *err)
{
  const struct json_node *env = json_obj_get (config_process, "env");

  json_obj_set (p, "args", string_array (inv->exec_args, inv->n_exec_args));
  json_obj_set (p, "cwd", json_new_string (inv->cwd != NULL ? inv->cwd : "/"));
  json_obj_set (p, "terminal", json_new_bool (inv->tty));
  if (inv->env.n > 0)
    json_obj_set (p, "env", string_array (inv->env.v, inv->env.n));
  else if (env != NULL)
    json_obj_set (p, "env", json_clone (env));
  crun_label (p, config_process, "selinuxLabel", inv->process_label);
  crun_label (p, config_process, "apparmorProfile", inv->apparmor);
  crun_caps (p, config_process, &inv->caps);
  json_obj_set (p, "noNewPrivileges", json_new_bool (inv->no_new_privs == 1));
  return crun_user (p, inv->user, err);
}

/* ---- what the process is built from ---- */

/* Audit mode: the config as enforce's create would have left it.  The same policy (with this
 * container's exemptions), judged in enforce mode; when enforce would have refused the config,
 * the config as written.  */
static const char *
as_enforce_created (struct spec *config, const struct call *call, const struct policy *policy,
                    const struct host_facts *host)
{
  struct policy enforce = *policy;
  struct decision d = { 0 };
  cleanup_error ocg_error_t ignored = NULL;
  const char *basis = "exec flags over the config as enforce's create would have rewritten it";

  enforce.mode = MODE_ENFORCE;
  if (engine_evaluate (&enforce, host, call, config, &d, &ignored) < 0 || d.verdict == VERDICT_DENY)
    basis = "exec flags over the config as written (enforce would have refused it at create)";
  decision_release (&d);
  return basis;
}

struct spec *
exec_synth_process (const struct runc_invocation *inv, const struct runtime *rt,
                    const struct policy *policy, const struct host_facts *host, const char **basis,
                    ocg_error_t *err)
{
  cleanup_free char *bundle = NULL;
  cleanup_spec struct spec *config = state_exec_config (inv, rt, &bundle, err);
  cleanup_json struct json_node *process = NULL;
  cleanup_free char *text = NULL;
  const struct json_node *own;
  size_t len = 0;

  if (config == NULL)
    return ocg_error_wrap (err, "exec without --process"), NULL;
  *basis = "exec flags over the config";
  if (policy->mode == MODE_AUDIT)
    {
      /* The create that made the container: its bundle, runtime, root and id.  */
      const struct call create = { .verb = CALL_CREATE,
                                   .bundle_dir = bundle,
                                   .runtime = rt->path,
                                   .runtime_root = state_root (inv, rt),
                                   .runtime_root_explicit = inv->root != NULL,
                                   .container_id = inv->container_id,
                                   .cgroups_disabled = inv->cgroups_disabled };
      *basis = as_enforce_created (config, &create, policy, host);
    }
  own = spec_get_object (config, "/process");
  if (own == NULL)
    return ocg_error_set (err, 0, "the container's config has no process to start from"), NULL;
  process = rt->flavor == RUNTIME_CRUN ? json_new_object () : json_clone (own);
  if ((rt->flavor == RUNTIME_CRUN ? crun_process (inv, own, process, err)
                                  : runc_process (inv, process, err))
      < 0)
    return NULL;
  /* Through the same loader as every other document, so the schema checks apply to it too.  */
  text = json_serialize (process, &len, err);
  if (text == NULL)
    return NULL;
  return spec_load_buffer (text, len, "exec flags", SPEC_PROCESS, err);
}

/* Does `path`, read component by component from the container's cgroup, ever climb above it?  */
static bool
climbs_out (const char *path)
{
  long depth = 0;

  while (*path != '\0')
    {
      size_t n = strcspn (path, "/");

      if (n == 2 && path[0] == '.' && path[1] == '.')
        depth--;
      else if (n > 0 && !(n == 1 && path[0] == '.'))
        depth++;
      if (depth < 0)
        return true;
      path += n + (path[n] == '/');
    }
  return false;
}

/* Go's path.Join (base, add) for an absolute base: joined, then path.Clean.  */
static char *
go_path_join (const char *base, const char *add)
{
  cleanup_free char *joined = xasprintf ("%s/%s", base, add);
  char *out = xmalloc (strlen (joined) + 2);
  size_t n = 0;

  for (char *p = joined; *p != '\0';)
    {
      size_t len = strcspn (p, "/");

      if (len == 2 && p[0] == '.' && p[1] == '.')
        while (n > 0 && out[--n] != '/')
          ;
      else if (len > 0 && !(len == 1 && p[0] == '.'))
        {
          out[n++] = '/';
          memcpy (out + n, p, len);
          n += len;
        }
      p += len + (p[len] == '/');
    }
  if (n == 0)
    out[n++] = '/';
  out[n] = '\0';
  return out;
}

/* runc's checks on one controller's path (container_linux.go newSetnsProcess): -1 when runc
 * refuses it (the joined path does not start with the container's as a string), 1 when runc
 * accepts it but it is not the container's cgroup or below (`../<name>-x`), 0 when it stays.  */
static int
runc_join (const char *base, const char *add)
{
  cleanup_free char *sub = go_path_join (base, add);
  size_t n = strlen (base);

  if (!str_has_prefix (sub, base))
    return -1;
  return sub[n] == '\0' || sub[n] == '/' || str_eq (base, "/") ? 0 : 1;
}

/* The controller -> path map runc builds from --cgroup (exec.go getSubCgroupPaths, later values
 * replacing earlier ones): the value for `ctrl`, or NULL.  -1 in *refused for a shape runc
 * refuses.  */
static const char *
runc_sub_path (const struct argv_list *values, const char *ctrl, bool *refused)
{
  const char *found = NULL;

  for (size_t i = 0; i < values->n; i++)
    {
      const char *v = values->v[i], *colon = strchr (v, ':');
      size_t clen = colon != NULL ? (size_t)(colon - v) : 0;

      if ((colon != NULL && strchr (colon + 1, ':') != NULL) || (colon == NULL && values->n != 1))
        *refused = true;
      if (colon == NULL && ctrl[0] == '\0')
        found = v;
      for (const char *c = v; colon != NULL && c <= v + clen; c += strcspn (c, ",") + 1)
        if (strcspn (c, ",:") == strlen (ctrl) && strncmp (c, ctrl, strlen (ctrl)) == 0)
          found = colon + 1;
    }
  return found;
}

/* With runc's own cgroup paths of the container (state.json cgroup_paths): NULL when runc would
 * refuse the values itself or when they all stay inside, else the first value that leaves.  */
static const char *
runc_escape (const struct argv_list *values, const struct json_node *paths)
{
  bool refused = false, any = runc_sub_path (values, "", &refused) != NULL;
  const char *escape = NULL;

  for (size_t i = 0; !any && i < values->n; i++)
    {
      const char *v = values->v[i], *colon = strchr (v, ':');
      /* every controller named must be one the container has (else "unknown controller") */
      for (const char *c = v; colon != NULL && c < colon; c += strcspn (c, ",") + 1)
        {
          cleanup_free char *ctrl = xstrndup (c, strcspn (c, ",:"));
          if (json_obj_get (paths, ctrl) == NULL)
            refused = true;
        }
    }
  for (size_t i = 0; i < paths->n && !refused; i++)
    {
      const char *add = runc_sub_path (values, any ? "" : paths->keys[i], &refused);
      int r = add != NULL && paths->items[i]->type == JSON_STRING
                  ? runc_join (paths->items[i]->text, add)
                  : 0;
      refused = refused || r < 0;
      if (r > 0 && escape == NULL)
        escape = add;
    }
  /* Name the whole value the path came from.  */
  for (size_t i = 0; escape != NULL && i < values->n; i++)
    if (escape >= values->v[i] && escape <= values->v[i] + strlen (values->v[i]))
      escape = values->v[i];
  return refused ? NULL : escape;
}

const char *
exec_synth_cgroup_escape_with (const struct argv_list *values, bool crun,
                               const struct json_node *runc_paths)
{
  /* crun keeps the last --cgroup and appends it to the container's path unchecked.  */
  if (crun)
    return values->n > 0 && climbs_out (values->v[values->n - 1]) ? values->v[values->n - 1] : NULL;
  if (runc_paths != NULL && runc_paths->type == JSON_OBJECT)
    return runc_escape (values, runc_paths);
  /* runc's paths unknown: every value that climbs is taken as leaving.  */
  for (size_t i = 0; i < values->n; i++)
    {
      const char *colon = strchr (values->v[i], ':');
      if (climbs_out (colon != NULL ? colon + 1 : values->v[i]))
        return values->v[i];
    }
  return NULL;
}

const char *
exec_synth_cgroup_escape (const struct runc_invocation *inv, const struct runtime *rt)
{
  cleanup_json struct json_node *paths = NULL;
  bool crun = rt->flavor == RUNTIME_CRUN;

  if (inv->cgroups.n == 0)
    return NULL;
  if (!crun)
    paths = state_runc_cgroup_paths (inv, rt);
  return exec_synth_cgroup_escape_with (&inv->cgroups, crun, paths);
}
