/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule sysctls (PSS baseline "sysctls"): only namespaced sysctls, in namespaces the container does
 * not share with the host.
 *
 * Owns: judging `linux.sysctl` of a config.json.  Must not: do I/O (namespace files are compared
 * by inode through host facts), or rewrite: dropping a sysctl the workload asked for would change
 * its behaviour silently.
 *
 * Allowed: a name on the `allow` list (the PSS safe list by default), any `net.*` sysctl
 * when the network namespace is private, and the IPC sysctls runc and crun know as IPC-namespaced
 * when the IPC namespace is private.  Every allowed name must also live in a private namespace:
 * crun only checks that a namespace entry exists (linux.c validate_sysctl), so a `network` entry
 * whose path is the host's netns would let it write net.* sysctls on the host.  */
#include <config.h>

#include <fnmatch.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "engine.h"
#include "hostfacts.h"
#include "json.h"
#include "spec.h"
#include "util.h"

/* The rule's parameters (policy file `rules.sysctls`).  */
struct sysctls_params
{
  char **allow; /* allowed beyond the namespaced ones */
};

/* The default of `allow`: the Pod Security Standards baseline "safe" list (kubernetes/
 * pod-security-admission policy/check_sysctls.go, baseline, Kubernetes 1.32).  Namespaced net.*
 * (private network namespace) and IPC sysctls (private IPC namespace) are allowed in addition by
 * the rule itself.  Entries are fnmatch(3) patterns on the dotted name.  */
static const char *const sysctls_default_allow[] = {
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
  NULL,
};

static const struct rule_param sysctls_param_table[] = {
  {
      .key = "allow",
      .type = PARAM_STRINGS,
      .offset = offsetof (struct sysctls_params, allow),
      .def.list = sysctls_default_allow,
  },
};

enum sysctl_class
{
  SYSCTL_NET,
  SYSCTL_IPC,
  SYSCTL_UTS,
  SYSCTL_HOST, /* not namespaced: writing it changes the host */
};

/* The IPC-namespaced names both runtimes accept (runc libcontainer/configs/validate/validator.go
 * sysctl(), crun linux.c sysctlRequiringIPC), plus fs.mqueue.* by prefix.  */
static const char *const sysctls_ipc[] = {
  "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
  "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

/* The name the runtimes write: runc turns every `.` into `/` and joins under /proc/sys
 * (rootfs_linux.go writeSystemProperty), crun does the same and openat()s it (linux.c
 * libcrun_set_sysctl).  Since every dot becomes a separator, no `..` can survive; what can differ
 * is an empty component: runc's path.Join drops it, but crun's openat() takes a leading `/` as an
 * absolute path.  Such names are refused (NULL); others come back in dotted form, malloc'd.  */
static char *
sysctls_canonical (const char *key)
{
  size_t len = strlen (key);
  char *out = NULL;

  if (len == 0 || strchr ("./", key[0]) != NULL || strchr ("./", key[len - 1]) != NULL)
    return NULL;
  for (size_t i = 1; i < len; i++)
    if (strchr ("./", key[i]) != NULL && strchr ("./", key[i - 1]) != NULL)
      return NULL;
  out = xstrdup (key);
  for (char *p = out; *p != '\0'; p++)
    if (*p == '/')
      *p = '.';
  return out;
}

static enum sysctl_class
sysctls_classify (const char *name)
{
  if (str_has_prefix (name, "net."))
    return SYSCTL_NET;
  if (str_has_prefix (name, "fs.mqueue."))
    return SYSCTL_IPC;
  for (size_t i = 0; i < ARRAY_SIZE (sysctls_ipc); i++)
    if (strcmp (name, sysctls_ipc[i]) == 0)
      return SYSCTL_IPC;
  if (strcmp (name, "kernel.domainname") == 0 || strcmp (name, "kernel.hostname") == 0)
    return SYSCTL_UTS;
  return SYSCTL_HOST;
}

static bool
sysctls_allowlisted (const struct sysctls_params *p, const char *name)
{
  for (size_t i = 0; p->allow[i] != NULL; i++)
    if (fnmatch (p->allow[i], name, 0) == 0)
      return true;
  return false;
}

/* Is one `linux.namespaces` entry a namespace of its own?  No path (or "", Go's zero value) means
 * a new one; a path must resolve to another inode than ocigate's own namespace (runc compares
 * with the current process as well: validator.go isHostNetNS).  *why says why not.  */
static bool
sysctls_entry_private (const struct host_facts *host, enum host_ns which,
                       const struct json_node *entry, const char **why)
{
  const struct json_node *path = json_obj_get (entry, "path");
  struct host_ns_id id = { 0 };

  if (path == NULL || path->type != JSON_STRING || path->text[0] == '\0')
    return true;
  /* Without the node (--portable): sysctls_check_one notes what the node checks.  */
  if (host->portable)
    return true;
  if (!hostfacts_own_ns (host, which)->known || host->ns_id_of == NULL
      || !host->ns_id_of (host, path->text, &id))
    {
      *why = "its path cannot be resolved";
      return false;
    }
  if (id.dev == hostfacts_own_ns (host, which)->dev
      && id.ino == hostfacts_own_ns (host, which)->ino)
    {
      *why = "its path is the host's";
      return false;
    }
  return true;
}

static bool
sysctls_ns_private (const struct rule_ctx *ctx, const char *type, const char **why)
{
  const struct json_node *list = spec_get_array (ctx->spec, "/linux/namespaces");
  enum host_ns which = hostfacts_ns_from_type (type);
  bool found = false;

  *why = "it is shared with the host";
  for (size_t i = 0; list != NULL && i < list->n; i++)
    {
      const struct json_node *t = json_obj_get (list->items[i], "type");
      if (t == NULL || t->type != JSON_STRING || strcmp (t->text, type) != 0)
        continue;
      if (which == HOST_NS_COUNT || !sysctls_entry_private (ctx->host, which, list->items[i], why))
        return false;
      found = true;
    }
  return found;
}

/* Does the config join a `type` namespace by path (one whose identity only the node knows)?  */
static bool
sysctls_ns_joined (const struct rule_ctx *ctx, const char *type)
{
  const struct json_node *list = spec_get_array (ctx->spec, "/linux/namespaces");

  for (size_t i = 0; list != NULL && i < list->n; i++)
    {
      const struct json_node *t = json_obj_get (list->items[i], "type");
      const struct json_node *p = json_obj_get (list->items[i], "path");
      if (t != NULL && t->type == JSON_STRING && strcmp (t->text, type) == 0 && p != NULL
          && p->type == JSON_STRING && p->text[0] != '\0')
        return true;
    }
  return false;
}

static const char *
sysctls_ns_type (enum sysctl_class c)
{
  return c == SYSCTL_NET ? "network" : c == SYSCTL_IPC ? "ipc" : "uts";
}

static void
sysctls_check_one (const struct rule_ctx *ctx, struct findings *out, const char *key)
{
  cleanup_free char *path = spec_ptr_join ("/linux/sysctl", key);
  cleanup_free char *shown = json_quote_key (key);
  cleanup_free char *name = sysctls_canonical (key);
  const char *why = NULL;
  enum sysctl_class c;

  if (name == NULL)
    {
      finding_add (out, ctx, path, false, "sysctl `%s` has an empty name component", shown);
      return;
    }
  c = sysctls_classify (name);
  if (c != SYSCTL_NET && c != SYSCTL_IPC && !sysctls_allowlisted (ctx->params, name))
    finding_add (out, ctx, path, false, "sysctl `%s` is not on the allowlist", shown);
  else if (c == SYSCTL_HOST)
    finding_add (out, ctx, path, false, "sysctl `%s` is not namespaced: it would change the host",
                 shown);
  else if (!sysctls_ns_private (ctx, sysctls_ns_type (c), &why))
    finding_add (out, ctx, path, false, "sysctl `%s` needs a private %s namespace, but %s", shown,
                 sysctls_ns_type (c), why);
  else if (ctx->host->portable && sysctls_ns_joined (ctx, sysctls_ns_type (c)))
    node_note_add (out, ctx, path,
                   "that the %s namespace the sysctl `%s` changes is not the host's",
                   sysctls_ns_type (c), shown);
}

static int
rule_sysctls_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const struct json_node *sysctl = spec_get_object (ctx->spec, "/linux/sysctl");

  (void)err;
  for (size_t i = 0; sysctl != NULL && i < sysctl->n; i++)
    sysctls_check_one (ctx, out, sysctl->keys[i]);
  return 0;
}

const struct rule rule_sysctls = {
  .id = "sysctls",
  .title = "only namespaced sysctls in private namespaces",
  .cis = NULL,
  .pss = "sysctls",
  .hint = "drop the sysctl, or give the container its own namespace for it",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_sysctls_check,
  .rewrite = NULL,
  RULE_PARAMS (struct sysctls_params, sysctls_param_table),
};
