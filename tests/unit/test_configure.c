/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for `ocigate runtime configure`'s edits: daemon.json merged and taken back (every
 * other key, its place and its number text kept; what was there before restored), daemon.json
 * read as dockerd 20.10 reads it, containerd 1.6's merge of imports (a plugin section replaced
 * whole), the drop-in (the CRI section carried over, the default handler's options kept), one
 * import added and removed byte for byte, and the Podman drop-in.  */
#include <config.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "configure.h"
#include "engine_containerd.h"
#include "engine_docker.h"
#include "engine_podman.h"
#include "toml.h"
#include "util.h"

static char *names[] = { "ocigate", "ocigate-restricted", NULL };
static char *paths[] = { "/usr/bin/ocigate", "/usr/bin/ocigate-restricted", NULL };
static const struct configure_runtimes two = { names, paths, 2 };
static const struct configure_runtimes one = { names, paths, 1 };

static struct json_node *
json (const char *text)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *n = docker_config_parse (text, strlen (text), "daemon.json", &err);

  if (n == NULL)
    fail_msg ("%s", err->msg);
  return n;
}

static char *
text_of (const struct json_node *root)
{
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  char *t = docker_config_text (root, &len, &err);

  assert_non_null (t);
  assert_int_equal (strlen (t), len);
  return t;
}

static const char daemon_json[]
    = "{\"log-level\": \"warn\", \"max-concurrent-downloads\": 1e1, \"labels\": [\"a=b\"],\n"
      " \"runtimes\": {\"nvidia\": {\"path\": \"/usr/bin/nvidia-container-runtime\"},\n"
      "              \"ocigate\": {\"path\": \"/old/ocigate\", \"runtimeArgs\": [\"-x\"]}},\n"
      " \"default-runtime\": \"nvidia\", \"live-restore\": true}";

static void
test_docker_apply_keeps_everything_else (void **state)
{
  cleanup_json struct json_node *root = json (daemon_json);
  cleanup_json struct json_node *orig = json (daemon_json);
  cleanup_json struct json_node *rec = json_new_object ();
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = NULL;
  const struct json_node *rts;

  (void)state;
  assert_int_equal (docker_config_apply (root, &two, true, rec, &err), 0);
  text = text_of (root);
  /* Key order and the number as written.  */
  assert_true (strstr (text, "\"log-level\"") < strstr (text, "\"max-concurrent-downloads\": 1e1"));
  assert_true (strstr (text, "\"labels\"") < strstr (text, "\"runtimes\""));
  assert_true (json_equal (json_obj_get (root, "labels"), json_obj_get (orig, "labels")));
  assert_true (json_obj_get (root, "live-restore")->boolean);
  rts = json_obj_get (root, "runtimes");
  assert_true (json_equal (json_obj_get (rts, "nvidia"),
                           json_obj_get (json_obj_get (orig, "runtimes"), "nvidia")));
  /* ocigate's entries: a path and nothing else, never runtimeArgs.  */
  assert_int_equal (json_obj_get (rts, "ocigate")->n, 1);
  assert_string_equal (json_obj_get (json_obj_get (rts, "ocigate"), "path")->text,
                       "/usr/bin/ocigate");
  assert_string_equal (json_obj_get (json_obj_get (rts, "ocigate-restricted"), "path")->text,
                       "/usr/bin/ocigate-restricted");
  assert_string_equal (json_obj_get (root, "default-runtime")->text, "ocigate");
  assert_null (strstr (text, "runtimeArgs\": [\"-x\""));
  assert_int_equal (text[strlen (text) - 1], '\n');
}

static void
test_docker_revert_restores (void **state)
{
  cleanup_json struct json_node *root = json (daemon_json);
  cleanup_json struct json_node *orig = json (daemon_json);
  cleanup_json struct json_node *rec = json_new_object ();
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  assert_int_equal (docker_config_apply (root, &two, true, rec, &err), 0);
  /* A second configure must not record its own values as "before".  */
  assert_int_equal (docker_config_apply (root, &one, true, rec, &err), 0);
  docker_config_revert (root, rec);
  assert_true (json_equal (root, orig));
}

static void
test_docker_revert_new_file (void **state)
{
  cleanup_json struct json_node *root = json_new_object ();
  cleanup_json struct json_node *rec = json_new_object ();
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  assert_int_equal (docker_config_apply (root, &one, true, rec, &err), 0);
  assert_int_equal (root->n, 2);
  docker_config_revert (root, rec);
  assert_int_equal (root->n, 0);
}

/* A key the operator changed after configure is theirs now: not taken back.  */
static void
test_docker_revert_leaves_operator_changes (void **state)
{
  cleanup_json struct json_node *root = json (daemon_json);
  cleanup_json struct json_node *rec = json_new_object ();
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  assert_int_equal (docker_config_apply (root, &one, true, rec, &err), 0);
  json_obj_set (root, "default-runtime", json_new_string ("runsc"));
  docker_config_revert (root, rec);
  assert_string_equal (json_obj_get (root, "default-runtime")->text, "runsc");
}

static void
test_docker_apply_refuses_bad_runtimes (void **state)
{
  cleanup_json struct json_node *root = json ("{\"runtimes\": [1]}");
  cleanup_json struct json_node *rec = json_new_object ();
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  assert_int_equal (docker_config_apply (root, &one, false, rec, &err), -1);
  assert_non_null (strstr (err->msg, "not an object"));
}

/* dockerd 20.10 reads daemon.json with encoding/json: no comments, no BOM, not empty.  */
static void
test_docker_parse_as_dockerd (void **state)
{
  static const char *const bad[] = {
    "{ // comment\n}", "\xef\xbb\xbf{}", "", "[]", "{\"a\": 1, \"a\": 2}", "{\"a\": ",
  };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      ocg_error_t err = NULL;
      assert_null (docker_config_parse (bad[i], strlen (bad[i]), "daemon.json", &err));
      assert_non_null (err);
      ocg_error_free (&err);
    }
}

/* ---- containerd */

static struct json_node *
toml_of (const char *text)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *t = toml_parse (text, strlen (text), "t.toml", NULL, &err);

  if (t == NULL)
    fail_msg ("%s", err->msg);
  return t;
}

static char *
scratch (void)
{
  char *dir = xstrdup ("/tmp/ocg-test-configure-XXXXXX");

  assert_non_null (mkdtemp (dir));
  return dir;
}

static void
put (const char *dir, const char *name, const char *text)
{
  cleanup_free char *p = xasprintf ("%s/%s", dir, name);
  FILE *f = fopen (p, "w");

  assert_non_null (f);
  fputs (text, f);
  fclose (f);
}

/* The behaviour checked with `containerd config dump` (containerd 1.6.20): a later file's plugin
 * section replaces the earlier one whole; arrays append; scalars override when not empty.  */
static void
remove_scratch (const char *dir, const char *const *made)
{
  for (size_t i = 0; made[i] != NULL; i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", dir, made[i]);
      unlink (p);
    }
  rmdir (dir);
}

static void
test_containerd_merge_replaces_plugin_sections (void **state)
{
  static const char *const files_made[] = { "config.toml", "drop.toml", "z.glob", NULL };
  cleanup_free char *dir = scratch ();
  cleanup_free char *main_path = xasprintf ("%s/config.toml", dir);
  cleanup_free char *drop = xasprintf ("%s/drop.toml", dir);
  cleanup_strv char **files = NULL;
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *m = NULL;
  cleanup_free char *main_text = xasprintf (
      "version = 2\nimports = [\"drop.toml\", \"%s/*.glob\"]\ndisabled_plugins = [\"a.b.c.d\"]\n"
      "[plugins.\"io.containerd.grpc.v1.cri\"]\nsandbox_image = \"p:9\"\n"
      "[plugins.\"io.containerd.gc.v1.scheduler\"]\npause_threshold = 0.02\n",
      dir);
  const struct json_node *cri;

  (void)state;
  put (dir, "config.toml", main_text);
  put (dir, "drop.toml",
       "version = 0\ndisabled_plugins = [\"e.f.g.h\"]\n"
       "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.x]\nruntime_type = \"t\"\n");
  put (dir, "z.glob", "[plugins.\"io.containerd.gc.v1.scheduler\"]\ndeletion_threshold = 7\n");
  m = containerd_load_files (main_path, NULL, &files, &err);
  assert_non_null (m);
  assert_string_equal (files[1], drop);
  cri = toml_get (m, "plugins", CRI_PLUGIN, NULL);
  assert_null (json_obj_get (cri, "sandbox_image"));
  assert_non_null (toml_get (cri, "containerd", "runtimes", "x", NULL));
  assert_null (json_obj_get (toml_get (m, "plugins", "io.containerd.gc.v1.scheduler", NULL),
                             "pause_threshold"));
  assert_int_equal (json_obj_get (m, "disabled_plugins")->n, 2);
  assert_int_equal (containerd_version (m), 2);
  /* Skipping a file skips what it says.  */
  json_free (m);
  strv_free (files);
  m = containerd_load_files (main_path, drop, &files, &err);
  assert_string_equal (
      json_obj_get (toml_get (m, "plugins", CRI_PLUGIN, NULL), "sandbox_image")->text, "p:9");
  remove_scratch (dir, files_made);
}

static void
test_containerd_dropin_keeps_section_and_options (void **state)
{
  cleanup_json struct json_node *base
      = toml_of ("sandbox_image = \"p:9\"\n[containerd]\ndefault_runtime_name = \"crun\"\n"
                 "[containerd.runtimes.crun]\nruntime_type = \"io.containerd.runc.v2\"\n"
                 "[containerd.runtimes.crun.options]\nBinaryName = \"/usr/bin/crun\"\n"
                 "SystemdCgroup = true\n");
  cleanup_json struct json_node *doc = containerd_dropin (base, NULL, &two, true);
  const struct json_node *cri = toml_get (doc, "plugins", CRI_PLUGIN, NULL);
  const struct json_node *h = toml_get (cri, "containerd", "runtimes", "ocigate-restricted", NULL);

  (void)state;
  assert_string_equal (json_obj_get (doc, "version")->text, "2");
  assert_string_equal (json_obj_get (cri, "sandbox_image")->text, "p:9");
  assert_non_null (toml_get (cri, "containerd", "runtimes", "crun", NULL));
  assert_string_equal (json_obj_get (h, "runtime_type")->text, "io.containerd.runc.v2");
  assert_string_equal (json_obj_get (toml_get (h, "options", NULL), "BinaryName")->text,
                       "/usr/bin/ocigate-restricted");
  assert_true (json_obj_get (toml_get (h, "options", NULL), "SystemdCgroup")->boolean);
  assert_string_equal (
      json_obj_get (toml_get (cri, "containerd", NULL), "default_runtime_name")->text, "ocigate");
}

/* No handler named anywhere: containerd's own (here: none known) plus ocigate's.  */
static void
test_containerd_dropin_implicit_handlers (void **state)
{
  cleanup_json struct json_node *doc = containerd_dropin (NULL, NULL, &one, false);
  const struct json_node *rts
      = toml_get (doc, "plugins", CRI_PLUGIN, "containerd", "runtimes", NULL);

  (void)state;
  assert_non_null (toml_get (rts, "runc", NULL));
  assert_string_equal (json_obj_get (toml_get (rts, "runc", NULL), "runtime_type")->text,
                       "io.containerd.runc.v2");
  assert_non_null (toml_get (rts, "ocigate", "options", NULL));
  assert_null (json_obj_get (toml_get (doc, "plugins", CRI_PLUGIN, "containerd", NULL),
                             "default_runtime_name"));
}

static void
round_trip (const char *text, bool drop_line, const char *want_added)
{
  cleanup_free char *added = NULL, *removed = NULL;
  cleanup_error ocg_error_t err = NULL;
  size_t n = 0, m = 0;
  bool line = false;

  assert_int_equal (containerd_import_add (text, strlen (text), "/etc/c/conf.d/99-ocigate.toml",
                                           &added, &n, &line, &err),
                    0);
  assert_non_null (added);
  if (strcmp (added, want_added) != 0)
    fail_msg ("added:\n%s\nwant:\n%s", added, want_added);
  assert_int_equal (line, drop_line);
  assert_int_equal (containerd_import_remove (added, n, "/etc/c/conf.d/99-ocigate.toml", drop_line,
                                              &removed, &m, &err),
                    0);
  assert_non_null (removed);
  assert_string_equal (removed, text);
}

static void
test_containerd_imports_byte_for_byte (void **state)
{
  (void)state;
  round_trip ("# c\nversion = 2 # v\n\n[plugins]\n  x = 1\n", true,
              "# c\nversion = 2 # v\n\nimports = [\"/etc/c/conf.d/99-ocigate.toml\"]\n[plugins]\n  "
              "x = 1\n");
  round_trip ("version = 2\nimports = [\"a.toml\", # keep\n  \"b.toml\"]\n[p]\n", false,
              "version = 2\nimports = [\"a.toml\", # keep\n  \"b.toml\", "
              "\"/etc/c/conf.d/99-ocigate.toml\"]\n[p]\n");
  round_trip ("version = 2\nimports = []\n", false,
              "version = 2\nimports = [\"/etc/c/conf.d/99-ocigate.toml\"]\n");
  round_trip ("version = 2\n", true,
              "version = 2\nimports = [\"/etc/c/conf.d/99-ocigate.toml\"]\n");
}

/* A file without a final newline gets one: the line is added after it.  */
static void
test_containerd_imports_no_final_newline (void **state)
{
  cleanup_free char *added = NULL, *removed = NULL;
  cleanup_error ocg_error_t err = NULL;
  size_t n = 0, m = 0;
  bool line = false;

  (void)state;
  assert_int_equal (containerd_import_add ("version = 2", 11, "/d.toml", &added, &n, &line, &err),
                    0);
  assert_string_equal (added, "version = 2\nimports = [\"/d.toml\"]\n");
  assert_int_equal (containerd_import_remove (added, n, "/d.toml", true, &removed, &m, &err), 0);
  assert_string_equal (removed, "version = 2\n");
}

static void
test_containerd_imports_already_there_or_absent (void **state)
{
  static const char text[] = "version = 2\nimports = ['/etc/c/conf.d/99-ocigate.toml', \"x\"]\n";
  cleanup_error ocg_error_t err = NULL;
  char *out = (char *)"sentinel";
  size_t n = 0;
  bool line = true;

  (void)state;
  assert_int_equal (containerd_import_add (text, strlen (text), "/etc/c/conf.d/99-ocigate.toml",
                                           &out, &n, &line, &err),
                    0);
  assert_null (out);
  assert_int_equal (containerd_import_remove (text, strlen (text), "/other", false, &out, &n, &err),
                    0);
  assert_null (out);
  assert_int_equal (containerd_import_remove (text, strlen (text), "/etc/c/conf.d/99-ocigate.toml",
                                              false, &out, &n, &err),
                    0);
  assert_string_equal (out, "version = 2\nimports = [\"x\"]\n");
  free (out);
  assert_int_equal (containerd_import_add ("a = [", 5, "/x", &out, &n, &line, &err), -1);
}

/* ---- Podman */

static void
test_podman_dropin (void **state)
{
  cleanup_json struct json_node *doc = podman_dropin (&two, true, true);
  cleanup_free char *text = toml_write (doc, NULL);
  const struct json_node *rts = toml_get (doc, "engine", "runtimes", NULL);

  (void)state;
  assert_string_equal (json_obj_get (toml_get (doc, "engine", NULL), "runtime")->text, "ocigate");
  assert_string_equal (json_obj_get (rts, "runc")->items[0]->text, "/usr/bin/ocigate");
  assert_string_equal (json_obj_get (rts, "ocigate-restricted")->items[0]->text,
                       "/usr/bin/ocigate-restricted");
  assert_non_null (strstr (text, "[engine]\n  runtime = \"ocigate\"\n"));
  assert_non_null (strstr (text, "  [engine.runtimes]\n"));
}

/* BurntSushi/toml decoding over the earlier result: tables merge, values replace.  */
static void
test_podman_merge (void **state)
{
  cleanup_json struct json_node *to = toml_of ("[engine]\nruntime = \"crun\"\n"
                                               "conmon_env_vars = [\"A=1\"]\n"
                                               "[engine.runtimes]\ncrun = [\"/c\"]\n");
  cleanup_json struct json_node *from = podman_dropin (&one, false, true);

  (void)state;
  podman_merge (to, from);
  assert_string_equal (json_obj_get (toml_get (to, "engine", NULL), "runtime")->text, "crun");
  assert_non_null (json_obj_get (toml_get (to, "engine", "runtimes", NULL), "crun"));
  assert_non_null (json_obj_get (toml_get (to, "engine", "runtimes", NULL), "runc"));
  assert_int_equal (json_obj_get (toml_get (to, "engine", NULL), "conmon_env_vars")->n, 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_docker_apply_keeps_everything_else),
    cmocka_unit_test (test_docker_revert_restores),
    cmocka_unit_test (test_docker_revert_new_file),
    cmocka_unit_test (test_docker_revert_leaves_operator_changes),
    cmocka_unit_test (test_docker_apply_refuses_bad_runtimes),
    cmocka_unit_test (test_docker_parse_as_dockerd),
    cmocka_unit_test (test_containerd_merge_replaces_plugin_sections),
    cmocka_unit_test (test_containerd_dropin_keeps_section_and_options),
    cmocka_unit_test (test_containerd_dropin_implicit_handlers),
    cmocka_unit_test (test_containerd_imports_byte_for_byte),
    cmocka_unit_test (test_containerd_imports_no_final_newline),
    cmocka_unit_test (test_containerd_imports_already_there_or_absent),
    cmocka_unit_test (test_podman_dropin),
    cmocka_unit_test (test_podman_merge),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
