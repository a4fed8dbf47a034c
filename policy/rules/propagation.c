/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule "mount-propagation" (CIS Docker 1.6.0 5.20): shared propagation rewritten to private.
 *
 * Owns: `mounts[].options` propagation flags and `linux.rootfsPropagation`.  Must not: judge what
 * is mounted (mounts.c).  */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include "engine.h"
#include "spec.h"
#include "util.h"

/* mount-propagation.  "shared"/"rshared" make the container's mounts a peer of the host's, so
 * mounts made inside propagate out (CIS 5.20).  slave and private are fine.  */
static const char *
propagation_replacement (const char *value, bool rootfs)
{
  /* For linux.rootfsPropagation the fix is [r]slave, runc's own default: runc refuses a [r]private
   * root propagation together with --no-pivot (libcontainer/specconv CreateLibcontainerConfig),
   * which a rule cannot see.  */
  if (str_eq (value, "shared"))
    return rootfs ? "slave" : "private";
  if (str_eq (value, "rshared"))
    return rootfs ? "rslave" : "rprivate";
  return NULL;
}

static void
propagation_visit (const struct spec *spec,
                   void (*fn) (const char *ptr, const char *value, const char *fix, void *data),
                   void *data)
{
  const struct json_node *mounts = spec_get_array (spec, "/mounts");
  const char *root = NULL;

  for (size_t i = 0; mounts != NULL && i < mounts->n; i++)
    {
      const struct json_node *opts = json_obj_get (mounts->items[i], "options");
      for (size_t j = 0; opts != NULL && opts->type == JSON_ARRAY && j < opts->n; j++)
        {
          const char *o = opts->items[j]->type == JSON_STRING ? opts->items[j]->text : NULL;
          const char *fix = propagation_replacement (o, false);
          if (fix != NULL)
            {
              cleanup_free char *ptr = xasprintf ("/mounts/%zu/options/%zu", i, j);
              fn (ptr, o, fix, data);
            }
        }
    }
  if (spec_get_string (spec, "/linux/rootfsPropagation", &root)
      && propagation_replacement (root, true) != NULL)
    fn ("/linux/rootfsPropagation", root, propagation_replacement (root, true), data);
}

struct propagation_check_data
{
  const struct rule_ctx *ctx;
  struct findings *out;
};

static void
propagation_report (const char *ptr, const char *value, const char *fix, void *data)
{
  struct propagation_check_data *d = data;
  finding_add (d->out, d->ctx, ptr, true,
               "`%s` propagation lets mounts made in the container reach the host (CIS 5.20); "
               "becomes `%s`",
               value, fix);
}

static int
rule_mount_propagation_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  struct propagation_check_data d = { ctx, out };

  (void)err;
  propagation_visit (ctx->spec, propagation_report, &d);
  return 0;
}

struct propagation_fix_data
{
  struct spec *spec;
  ocg_error_t *err;
  int ret;
};

static void
propagation_fix (const char *ptr, const char *value, const char *fix, void *data)
{
  struct propagation_fix_data *d = data;

  (void)value;
  if (d->ret == 0)
    d->ret = spec_set (d->spec, ptr, json_new_string (fix), d->err);
}

static int
rule_mount_propagation_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  struct propagation_fix_data d = { spec, err, 0 };

  (void)ctx;
  propagation_visit (spec, propagation_fix, &d);
  return d.ret;
}

const struct rule rule_mount_propagation = {
  .id = "mount-propagation",
  .title = "no shared mount propagation",
  .cis = "5.20",
  .pss = NULL,
  .hint = "use private or slave propagation",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_mount_propagation_check,
  .rewrite = rule_mount_propagation_rewrite,
  RULE_READS ("/mounts", "/linux/rootfsPropagation"),
};
