/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule hooks: OCI hooks run on the host, as root, outside every namespace and confinement the
 * container gets (runc libcontainer/configs Hook.Run, crun run_hooks).  Only allowlisted ones
 * pass.
 *
 * Owns: judging every hook list of a config.json (prestart, createRuntime, createContainer,
 * startContainer, poststart, poststop -- and any other array under `hooks`, in case a runtime
 * reads a spelling schema.c missed).  Must not: do I/O (the identity of a /proc/<pid>/exe is read
 * through host facts), or rewrite: dropping a hook the engine relies on (Docker wires the
 * container's network in one) breaks the container instead of protecting it.
 *
 * Allowed: an entry of `allow` (`PATH-GLOB [ARGV-GLOB...]`), and -- with
 * `allow_docker_setkey` -- dockerd's own libnetwork-setkey hook, which moby writes as path
 * `/proc/<dockerd pid>/exe`, args `libnetwork-setkey -exec-root=<dir> <container id> <short
 * controller id>` (daemon/oci_linux.go, WithLibnetwork).  runc executes that path on the host,
 * as root, outside the container, so the process it names must be the engine's own dockerd,
 * proven by identity (readlink would show a path inside the process's own mount namespace, and a
 * process at /usr/bin/dockerd in any container would pass):
 *  - its executable (stat through /proc/<pid>/exe) has the device and inode of a dockerd binary
 *    installed on the host (stat of /usr/sbin/dockerd, /usr/bin/dockerd, ... in our mount
 *    namespace): a copy or another file of that name in a container is another inode;
 *  - it is in the host's mount namespace (ocigate's, which is the engine's: containerd-shim and
 *    the runtime are dockerd's descendants): the real binary bind-mounted into a container is not;
 *  - it listens on `<exec-root>/libnetwork/<controller id>.sock` (the kernel's socket inodes in
 *    /proc/net/unix, held among its /proc/<pid>/fd): the socket the hook itself talks to
 *    (libnetwork sandbox_externalkey_unix.go SetExternalKey), which only the daemon that wrote the
 *    hook listens on -- not another copy of the binary a host user started.
 * All three hold for the real dockerd 20.10 (checked with Debian's docker.io).  A pid that dies
 * and is reused between our check and runc's exec is the residual race every /proc/<pid>
 * reference has; dockerd itself does not die while it starts a container.  */
#include <config.h>

#include <fnmatch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "hostfacts.h"
#include "json.h"
#include "pathmatch.h"
#include "spec.h"
#include "util.h"

/* The rule's parameters (policy file `rules.hooks`).  */
struct hooks_params
{
  char **allow;             /* `PATH-GLOB [ARGV-GLOB...]`, empty by default */
  bool allow_docker_setkey; /* dockerd's libnetwork-setkey prestart hook */
};

static const char *const hooks_default_allow[] = { NULL };

/* dockerd's own setkey hook is allowed by default: every Docker container with a network
 * namespace has it.  */
static const struct rule_param hooks_param_table[] = {
  {
      .key = "allow",
      .type = PARAM_STRINGS,
      .offset = offsetof (struct hooks_params, allow),
      .def.list = hooks_default_allow,
  },
  {
      .key = "allow_docker_setkey",
      .type = PARAM_BOOL,
      .offset = offsetof (struct hooks_params, allow_docker_setkey),
      .def.number = true,
  },
};

/* Where distributions and Docker's static builds install dockerd.  */
static const char *const hooks_dockerd_binaries[] = {
  "/usr/bin/dockerd",
  "/usr/sbin/dockerd",
  "/usr/local/bin/dockerd",
  "/usr/local/sbin/dockerd",
  NULL,
};

/* Paths that name the process executing them: /proc/self/exe in a hook is runc itself, and
 * /dev/fd/N an fd runc happens to hold.  Never allowed, whatever the allowlist says.  */
static bool
hooks_path_is_self (const char *path)
{
  static const char *const self[] = { "/proc/self", "/proc/thread-self", "/dev/fd",
                                      "/dev/stdin", "/dev/stdout",       "/dev/stderr" };
  for (size_t i = 0; i < ARRAY_SIZE (self); i++)
    if (pathmatch_at_or_below (path, self[i], NULL))
      return true;
  return false;
}

/* "/proc/<pid>/exe" with a real pid (no leading zero, no sign).  */
static bool
hooks_is_proc_pid_exe (const char *path)
{
  const char *p = path + strlen ("/proc/");
  size_t n = 0;

  if (!str_has_prefix (path, "/proc/"))
    return false;
  n = strspn (p, "0123456789");
  return n > 0 && n <= 10 && p[0] != '0' && strcmp (p + n, "/exe") == 0;
}

static const char *
hooks_arg (const struct json_node *hook, size_t i)
{
  const struct json_node *arg = json_arr_get (json_obj_get (hook, "args"), i);
  return arg != NULL && arg->type == JSON_STRING ? arg->text : NULL;
}

static size_t
hooks_count (const struct json_node *hook, const char *member)
{
  const struct json_node *a = json_obj_get (hook, member);
  return a != NULL && a->type == JSON_ARRAY ? a->n : 0;
}

static bool
hooks_is_id (const char *s)
{
  return s != NULL && s[0] != '\0' && strlen (s) <= 128
         && strspn (s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                == strlen (s);
}

/* The shape of moby's hook, before anything is read from the host: it runs from the runtime
 * namespace (prestart, or createRuntime should moby move it), without environment -- an
 * LD_PRELOAD there would run arbitrary code inside dockerd's binary.  */
static bool
hooks_looks_like_setkey (const char *list, const char *path, const struct json_node *hook)
{
  const char *root = hooks_arg (hook, 1);

  if (strcmp (list, "prestart") != 0 && strcmp (list, "createRuntime") != 0)
    return false;
  if (!hooks_is_proc_pid_exe (path) || hooks_count (hook, "args") != 4
      || hooks_count (hook, "env") != 0)
    return false;
  return str_eq (hooks_arg (hook, 0), "libnetwork-setkey") && root != NULL
         && str_has_prefix (root, "-exec-root=/") && hooks_is_id (hooks_arg (hook, 2))
         && hooks_is_id (hooks_arg (hook, 3));
}

/* Is `exe` one of the installed dockerd binaries (same device and inode)?  */
static bool
hooks_installed_dockerd (const struct host_facts *host, const struct host_ns_id *exe)
{
  for (size_t i = 0; hooks_dockerd_binaries[i] != NULL; i++)
    {
      struct host_ns_id bin = { 0 };
      if (host->file_id (host, hooks_dockerd_binaries[i], &bin) && bin.dev == exe->dev
          && bin.ino == exe->ino)
        return true;
    }
  return false;
}

/* The socket the hook will dial: Go's filepath.Join(execRoot, "libnetwork", ctl + ".sock"), which
 * cleans the path lexically as pathmatch_clean does.  */
static char *
hooks_setkey_socket (const struct json_node *hook)
{
  cleanup_free char *root = pathmatch_clean (hooks_arg (hook, 1) + strlen ("-exec-root="));

  return root != NULL ? xasprintf ("%s/libnetwork/%s.sock", str_eq (root, "/") ? "" : root,
                                   hooks_arg (hook, 3))
                      : NULL;
}

/* Why the process `path` (/proc/<pid>/exe) names is not the engine's dockerd, or NULL.  */
static char *
hooks_not_dockerd (const struct host_facts *host, const char *path, const struct json_node *hook)
{
  long pid = strtol (path + strlen ("/proc/"), NULL, 10);
  cleanup_free char *mnt = xasprintf ("/proc/%ld/ns/mnt", pid);
  cleanup_free char *sock = hooks_setkey_socket (hook);
  struct host_ns_id exe = { 0 }, ns = { 0 };

  if (host->file_id == NULL || !host->file_id (host, path, &exe))
    return xstrdup ("no such process");
  if (!hooks_installed_dockerd (host, &exe))
    return xstrdup ("its executable is not an installed dockerd binary (another device and "
                    "inode than /usr/sbin/dockerd, /usr/bin/dockerd, ...)");
  if (!host->file_id (host, mnt, &ns) || !hostfacts_own_ns (host, HOST_NS_MOUNT)->known
      || ns.dev != hostfacts_own_ns (host, HOST_NS_MOUNT)->dev
      || ns.ino != hostfacts_own_ns (host, HOST_NS_MOUNT)->ino)
    return xstrdup ("it runs in another mount namespace than the host's");
  if (sock == NULL || host->unix_listener == NULL || !host->unix_listener (host, (pid_t)pid, sock))
    return xasprintf ("it does not listen on `%s`, the socket libnetwork-setkey talks to",
                      sock ? sock : "?");
  return NULL;
}

/* Dynamic-loader variables turn any allowlisted binary into a loader for arbitrary code.  */
static bool
hooks_env_safe (const struct json_node *hook)
{
  const struct json_node *env = json_obj_get (hook, "env");
  for (size_t i = 0; env != NULL && env->type == JSON_ARRAY && i < env->n; i++)
    if (env->items[i]->type == JSON_STRING && str_has_prefix (env->items[i]->text, "LD_"))
      return false;
  return true;
}

/* One `allow` entry: `PATH-GLOB` alone allows any arguments; with ARGV-GLOBs the argument
 * count must match exactly, unless the last one is `...` (any remaining arguments).  Globs are
 * fnmatch(3); in the path `*` does not cross `/`.  */
static bool
hooks_entry_matches (const char *entry, const char *path, const struct json_node *hook)
{
  cleanup_free char *copy = xstrdup (entry);
  char *save = NULL;
  char *glob = strtok_r (copy, " \t", &save);
  size_t i = 0;

  if (glob == NULL || fnmatch (glob, path, FNM_PATHNAME) != 0)
    return false;
  for (char *a = strtok_r (NULL, " \t", &save); a != NULL; a = strtok_r (NULL, " \t", &save), i++)
    {
      const char *arg = hooks_arg (hook, i);
      if (strcmp (a, "...") == 0)
        return true;
      if (arg == NULL || fnmatch (a, arg, 0) != 0)
        return false;
    }
  return i == 0 || i == hooks_count (hook, "args");
}

static bool
hooks_allowlisted (const struct hooks_params *p, const char *path, const struct json_node *hook)
{
  for (size_t i = 0; p->allow[i] != NULL; i++)
    if (hooks_entry_matches (p->allow[i], path, hook))
      return true;
  return false;
}

/* The setkey hook's verdict needs host lookups (the process's executable, its mount namespace,
 * the kernel's socket table): moby writes exactly one such hook, so one is judged and any other
 * is denied, whatever the length of the lists.  */
static char *
hooks_setkey_problem (const struct rule_ctx *ctx, const char *path, const struct json_node *hook,
                      size_t *setkeys)
{
  if ((*setkeys)++ > 0)
    return xstrdup ("dockerd writes only one such hook");
  if (ctx->host->portable)
    return NULL; /* hooks_check_one notes it */
  return hooks_not_dockerd (ctx->host, path, hook);
}

static void
hooks_check_one (const struct rule_ctx *ctx, struct findings *out, const char *list,
                 const char *ptr, const struct json_node *hook, size_t *setkeys)
{
  const struct json_node *p = json_obj_get (hook, "path");
  const char *path = p != NULL && p->type == JSON_STRING ? p->text : "";
  cleanup_free char *shown = json_quote_key (path);
  bool setkey = hooks_looks_like_setkey (list, path, hook);

  if (!pathmatch_is_clean (path))
    finding_add (out, ctx, ptr, false, "%s hook `%s` is not a clean absolute path", list, shown);
  else if (hooks_path_is_self (path))
    finding_add (out, ctx, ptr, false, "%s hook `%s` would run the runtime's own process", list,
                 shown);
  else if (setkey && ((const struct hooks_params *)ctx->params)->allow_docker_setkey)
    {
      cleanup_free char *why = hooks_setkey_problem (ctx, path, hook, setkeys);
      if (why != NULL)
        finding_add (out, ctx, ptr, false,
                     "%s hook `%s` is shaped like dockerd's libnetwork-setkey, but `%s` is not a "
                     "running dockerd: %s",
                     list, shown, shown, why);
      else if (ctx->host->portable)
        node_note_add (out, ctx, ptr,
                       "that the %s hook `%s` is the engine's running dockerd (its executable, "
                       "mount namespace and libnetwork socket)",
                       list, shown);
    }
  else if (!hooks_env_safe (hook) || !hooks_allowlisted (ctx->params, path, hook))
    finding_add (out, ctx, ptr, false,
                 "%s hook `%s` is not allowlisted: hooks run on the host as root", list, shown);
}

static int
rule_hooks_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const struct json_node *hooks = spec_get_object (ctx->spec, "/hooks");
  size_t setkeys = 0;

  (void)err;
  for (size_t i = 0; hooks != NULL && i < hooks->n; i++)
    {
      const struct json_node *list = hooks->items[i];
      cleanup_free char *base = spec_ptr_join ("/hooks", hooks->keys[i]);

      for (size_t j = 0; list->type == JSON_ARRAY && j < list->n; j++)
        {
          cleanup_free char *ptr = spec_ptr_index (base, j);
          hooks_check_one (ctx, out, hooks->keys[i], ptr, list->items[j], &setkeys);
        }
    }
  return 0;
}

const struct rule rule_hooks = {
  .id = "hooks",
  .title = "only allowlisted OCI hooks (they run on the host as root)",
  .cis = NULL,
  .pss = NULL,
  .hint = "remove the hook or add it to the policy's `hooks.allow`",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_hooks_check,
  .rewrite = NULL,
  RULE_PARAMS (struct hooks_params, hooks_param_table),
};
