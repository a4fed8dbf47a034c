/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate runtime configure --engine podman`: a containers.conf.d drop-in.  Podman 4.3 reads
 * /etc/containers/containers.conf.d/ (containers/common v0.50.1 pkg/config/config.go
 * systemConfigs; checked with podman 4.3.1, engine_podman.h), decoding each file over the ones
 * before, so the drop-in holds only ocigate's keys: [engine] runtime with --set-as-default,
 * [engine.runtimes] with ocigate's paths, and with --as-runc the name `runc` mapped to ocigate
 * (Podman looks a runtime name up in that table, and its built-in list for runc puts
 * /usr/sbin/runc before /usr/local/sbin/runc, so a link on PATH would not be found first).
 * With CONTAINERS_CONF set Podman reads that one file and no drop-in: refused.  */
#include <config.h>

#include <sys/stat.h>

#include "configure.h"
#include "engine_podman.h"
#include "toml.h"
#include "util.h"

static struct json_node *
list_of (const char *path)
{
  struct json_node *a = json_new_array ();

  json_arr_append (a, json_new_string (path));
  return a;
}

struct json_node *
podman_dropin (const struct configure_runtimes *rts, bool set_default, bool as_runc)
{
  struct json_node *doc = json_new_object ();
  struct json_node *engine = json_new_object ();
  struct json_node *runtimes = json_new_object ();

  if (set_default)
    json_obj_set (engine, "runtime", json_new_string (rts->names[0]));
  for (size_t i = 0; i < rts->n; i++)
    json_obj_set (runtimes, rts->names[i], list_of (rts->paths[i]));
  if (as_runc)
    json_obj_set (runtimes, "runc", list_of (rts->paths[0]));
  json_obj_set (engine, "runtimes", runtimes);
  json_obj_set (doc, "engine", engine);
  return doc;
}

static int
plan_remove (struct configure *c, const char *dropin, const char *dir, ocg_error_t *err)
{
  cleanup_free char *text = NULL;
  const struct json_node *made = json_obj_get (c->record, "created_dropin_dir");
  size_t len = 0;
  bool exists = false;

  text = changeset_read (dropin, &len, &exists, err);
  if (text == NULL && exists)
    return -1;
  if (exists && strstr (text, CONFIGURE_MARK) == NULL)
    return ocg_error_set (err, 0, "%s was not written by ocigate; not removing it", dropin);
  if (exists)
    changeset_remove (&c->cs, dropin, "removed the Podman drop-in");
  if (made != NULL && made->type == JSON_BOOL && made->boolean)
    changeset_rmdir (&c->cs, dir, "removed the drop-in directory (when empty)");
  return 0;
}

int
configure_podman_plan (struct configure *c, ocg_error_t *err)
{
  struct podman_view *v = &c->podman;
  cleanup_free char *dir = NULL, *dropin = NULL, *text = NULL, *header = NULL;
  cleanup_json struct json_node *doc = NULL;
  struct stat st;

  podman_view_load (c->config, v);
  if (v->env_conf != NULL)
    return ocg_error_set (err, 0,
                          "CONTAINERS_CONF=%s is set: Podman then reads that file only and no "
                          "drop-in; unset it, or add ocigate to that file by hand (README)",
                          v->env_conf);
  dir = xasprintf ("%s.d", v->override_path);
  dropin = xasprintf ("%s/%s", dir, CONFIGURE_DROPIN_PODMAN);
  json_obj_set (c->record, "dropin", json_new_string (dropin));
  if (c->unconfigure)
    return plan_remove (c, dropin, dir, err);
  if (stat (dir, &st) < 0)
    {
      changeset_mkdir (&c->cs, dir, "created containers.conf.d");
      json_obj_set (c->record, "created_dropin_dir", json_new_bool (true));
    }
  doc = podman_dropin (&c->rts, c->set_default, c->as_runc);
  header = xasprintf ("%s (ocigate %s).\nPodman reads it after %s.", CONFIGURE_MARK,
                      PACKAGE_VERSION, v->override_path);
  text = toml_write (doc, header);
  changeset_write (&c->cs, dropin, text, strlen (text), 0644,
                   c->as_runc ? "wrote the Podman drop-in (runc mapped to ocigate)"
                              : "wrote the Podman drop-in");
  configure_note (c, "Podman reads its configuration at every command: nothing to restart");
  return 0;
}
