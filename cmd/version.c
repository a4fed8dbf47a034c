/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate --ocigate-version [--format text|json]`: ocigate's version, the source commit, the
 * compiled-in policy directory and file, and the runtime a call would reach (`--version` stays
 * the runtime's).  */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include <yajl/yajl_gen.h>

#include "cmd.h"
#include "ocg-commit.h"
#include "passthrough.h"
#include "policy_file.h"
#include "util.h"

struct version_facts
{
  const char *commit;
  char *policy_dir;
  char *policy_file;
  struct runtime rt;
  char *runtime_error;
};

static void
version_facts (const struct runc_invocation *inv, struct version_facts *v)
{
  const char *slash = strrchr (policy_file_default_path, '/');
  const char *env = getenv (POLICY_FILE_ENV);
  cleanup_error ocg_error_t err = NULL;

  v->commit = OCG_COMMIT;
  v->policy_dir
      = slash ? xstrndup (policy_file_default_path, (size_t)(slash - policy_file_default_path))
              : xstrdup (".");
  v->policy_file = xstrdup (inv->ocg_policy                 ? inv->ocg_policy
                            : env != NULL && env[0] != '\0' ? env
                                                            : policy_file_default_path);
  if (passthrough_runtime (inv, &v->rt, &err) < 0)
    v->runtime_error = ocg_error_text (err);
}

static void
gen_kv (yajl_gen g, const char *key, const char *value)
{
  yajl_gen_string (g, (const unsigned char *)key, strlen (key));
  if (value == NULL)
    yajl_gen_null (g);
  else
    yajl_gen_string (g, (const unsigned char *)value, strlen (value));
}

static void
print_json (const struct version_facts *v)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf = NULL;
  size_t len = 0;

  if (g == NULL)
    ocg_oom ();
  yajl_gen_map_open (g);
  gen_kv (g, "version", PACKAGE_VERSION);
  gen_kv (g, "commit", v->commit);
  gen_kv (g, "policy_directory", v->policy_dir);
  gen_kv (g, "policy_file", v->policy_file);
  gen_kv (g, "runtime", v->rt.path);
  if (v->runtime_error != NULL)
    gen_kv (g, "runtime_error", v->runtime_error);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  printf ("%.*s\n", (int)len, (const char *)buf);
  yajl_gen_free (g);
}

/* The words after --ocigate-version: nothing, `--format F` or `--format=F`.  */
static const char *
version_format (const struct runc_invocation *inv)
{
  if (inv->argc == 1)
    return "text";
  if (inv->argc == 3 && str_eq (inv->argv[1], "--format"))
    return inv->argv[2];
  if (inv->argc == 2 && str_has_prefix (inv->argv[1], "--format="))
    return inv->argv[1] + strlen ("--format=");
  return NULL;
}

int
cmd_version (const struct runc_invocation *inv)
{
  const char *format = version_format (inv);
  struct version_facts v = { 0 };

  if (!str_eq (format, "text") && !str_eq (format, "json"))
    {
      fprintf (stderr, "usage: ocigate --ocigate-version [--format text|json]\n");
      return 2;
    }
  version_facts (inv, &v);
  if (str_eq (format, "json"))
    print_json (&v);
  else
    printf ("ocigate version %s\ncommit: %s\npolicy directory: %s\npolicy file: %s\n"
            "runtime: %s\n",
            PACKAGE_VERSION, v.commit, v.policy_dir, v.policy_file,
            v.rt.path != NULL ? v.rt.path : v.runtime_error);
  free (v.policy_dir);
  free (v.policy_file);
  free (v.runtime_error);
  runtime_release (&v.rt);
  return 0;
}
