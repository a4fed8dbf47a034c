/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule family "namespaces": host-namespaces (CIS Docker 1.6.0 5.10 network, 5.16 pid, 5.17 ipc,
 * 5.21 uts, 5.31 user when required; PSS hostNamespaces).
 *
 * Owns: deciding whether the container shares one of the host's namespaces.  A namespace is the
 * host's when its `linux.namespaces` entry is missing (runc then stays in its own), or when the
 * entry's `path` names the very namespace ocigate itself runs in.  That is an inode comparison,
 * never a string one: Docker's --net=host is a bind-mounted netns file `<exec-root>/netns/default`,
 * a Kubernetes hostNetwork app container joins `/proc/<pause-pid>/ns/net` of a pause container
 * that stayed in the host netns, while a normal pod's containers join the pause container's
 * private namespaces by the very same kind of path (anchors.md 11.20).  A type listed twice is
 * refused outright: runc and crun disagree on what it means.
 * Must not: do I/O other than through host facts (ns_id_of), or rewrite anything -- a shared
 * namespace cannot be unshared without changing what the workload is.  */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include "defaults_isolation.h"
#include "engine.h"
#include "hostfacts.h"
#include "spec.h"
#include "util.h"

const char *const isolation_default_namespaces_required[]
    = { "mount", "network", "pid", "ipc", "uts", NULL };

/* The CIS Docker 1.6.0 recommendation for sharing each namespace, for the message.  */
static const char *
namespace_cis (const char *type)
{
  static const char *const table[][2] = {
    { "network", "CIS 5.10" }, { "pid", "CIS 5.16" },  { "ipc", "CIS 5.17" },
    { "uts", "CIS 5.21" },     { "user", "CIS 5.31" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    if (strcmp (table[i][0], type) == 0)
      return table[i][1];
  return "not numbered by CIS";
}

static const char *
namespace_type (const struct json_node *entry)
{
  const struct json_node *t = json_obj_get (entry, "type");
  return t != NULL && t->type == JSON_STRING ? t->text : NULL;
}

/* The index of the first `linux.namespaces` entry of this type, or -1.  Which entry of a repeated
 * type is judged does not matter: the repetition itself is denied (namespace_duplicates).  */
static long
namespace_find (const struct json_node *list, const char *type)
{
  for (size_t i = 0; list != NULL && i < list->n; i++)
    if (str_eq (namespace_type (list->items[i]), type))
      return (long)i;
  return -1;
}

/* A namespace type listed twice: runc refuses it ("malformed spec file: duplicated ns"), but
 * crun 1.8.1 (linux.c configure_init_status) unshares for every entry without a path and then
 * setns()es into every entry's path, so the joined namespace wins wherever its entry stands:
 * `[{network, /proc/1/ns/net}, ..., {network}]` put a crun container in the host netns while a
 * check of one entry saw a fresh one.  Denied whatever the entries say, before anything else.  */
static void
namespace_duplicates (const struct rule_ctx *ctx, const struct json_node *list,
                      struct findings *out)
{
  for (size_t i = 0; list != NULL && i < list->n; i++)
    {
      const char *type = namespace_type (list->items[i]);
      long first = type != NULL ? namespace_find (list, type) : -1;
      if (first >= 0 && (size_t)first < i)
        {
          cleanup_free char *ptr = xasprintf ("/linux/namespaces/%zu", i);
          cleanup_free char *shown = json_quote_key (type);
          finding_add (out, ctx, ptr, false,
                       "the `%s` namespace is listed twice (entries %ld and %zu): runc refuses "
                       "that and crun joins the entry with a path",
                       shown, first, i);
        }
    }
}

/* What is wrong with an entry that joins an existing namespace by path (malloc'd), or NULL.  An
 * unresolvable path is denied: runc could not setns(2) into it either, and we will not guess
 * (fail closed).  */
static char *
joined_problem (const struct host_facts *host, const char *type, const char *path)
{
  enum host_ns ns = hostfacts_ns_from_type (type);
  struct host_ns_id id = { 0 };

  if (ns == HOST_NS_COUNT)
    return NULL;
  if (!host->ns_id_of (host, path, &id) || !id.known)
    return xasprintf ("cannot resolve the `%s` namespace path `%s`: ocigate cannot tell whether "
                      "it is the host's",
                      type, path);
  if (!host->ns[ns].known)
    return xasprintf ("cannot compare the `%s` namespace path `%s` with the host's: ocigate could "
                      "not read its own",
                      type, path);
  if (id.dev == host->ns[ns].dev && id.ino == host->ns[ns].ino)
    return xasprintf ("the `%s` namespace `%s` is the host's (%s)", type, path,
                      namespace_cis (type));
  return NULL;
}

static void
check_one (const struct rule_ctx *ctx, const struct json_node *list, const char *type,
           struct findings *out)
{
  long i = namespace_find (list, type);
  const struct json_node *path = i < 0 ? NULL : json_obj_get (list->items[i], "path");

  if (i < 0)
    {
      finding_add (out, ctx, "/linux/namespaces", false,
                   "no `%s` namespace: the container would share the host's (%s)", type,
                   namespace_cis (type));
      return;
    }
  /* runtime-spec: an absent or empty path means "create a new namespace".  */
  if (path == NULL || path->type != JSON_STRING || path->text[0] == '\0')
    return;

  cleanup_free char *problem = joined_problem (ctx->host, type, path->text);
  if (problem != NULL)
    {
      cleanup_free char *ptr = xasprintf ("/linux/namespaces/%ld/path", i);
      finding_add (out, ctx, ptr, false, "%s", problem);
    }
}

static int
rule_host_namespaces_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const struct json_node *list = spec_get_array (ctx->spec, "/linux/namespaces");
  const char *const *required = isolation_default_namespaces_required;

  (void)err;
  namespace_duplicates (ctx, list, out);
  for (; *required != NULL; required++)
    check_one (ctx, list, *required, out);
  return 0;
}

const struct rule rule_host_namespaces = {
  .id = "host-namespaces",
  .title = "no host network, pid, ipc, uts or mount namespace",
  .cis = "5.10, 5.16, 5.17, 5.21",
  .pss = "hostNamespaces",
  .hint = "drop host networking/pid/ipc/uts (--net=host, --pid=host, hostNetwork, hostPID, ...)",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_host_namespaces_check,
  .rewrite = NULL,
};
