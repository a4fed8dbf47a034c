/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy files on disk: locating the main file and its drop-ins, refusing any file that
 * someone other than root could have written, parsing (JSON with comments, no duplicate keys),
 * and merging the drop-ins while remembering which file every value came from.
 *
 * Owns: finding and reading the policy files (each opened through policy_file_path.c's trusted
 * walk), the merge order and semantics (policy_file.h), collecting every error for `policy
 * validate`, and the `runtime` lookup of pass-through verbs.  Must not: interpret keys beyond
 * `runtime` and `profile` (the schema is policy_file_schema.c, profiles policy_file_build.c),
 * fall back to the built-in profiles when a file exists but cannot be used, or read anything a
 * non-root user controls.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "policy_file.h"
#include "policy_file_schema.h"
#include "policy_file_tree.h"
#include "util.h"

const char *policy_file_default_path = POLICY_FILE_DEFAULT;

/* Where the files are: the main file's directory, its name there, the drop-in directory.  */
struct policy_location
{
  char *display;   /* the main file as named */
  char *dir;       /* its directory */
  char *base;      /* its name in dir */
  char *dropins;   /* drop-in directory name in dir */
  bool must_exist; /* named explicitly: a missing file is an error */
};

static void
location_release (struct policy_location *loc)
{
  free (loc->display);
  free (loc->dir);
  free (loc->base);
  free (loc->dropins);
}

static void
location_init (struct policy_location *loc, const char *path)
{
  const char *env = getenv (POLICY_FILE_ENV);
  const char *slash;
  size_t n;

  loc->must_exist = path != NULL || (env != NULL && env[0] != '\0');
  if (path == NULL)
    path = (env != NULL && env[0] != '\0') ? env : policy_file_default_path;
  loc->display = xstrdup (path);
  slash = strrchr (path, '/');
  loc->dir = slash == NULL ? xstrdup (".") : xstrndup (path, slash == path ? 1 : slash - path);
  loc->base = xstrdup (slash ? slash + 1 : path);
  n = strlen (loc->base);
  /* policy.json -> policy.d, as systemd's foo.conf -> foo.conf.d pairs a file with its drop-ins;
   * each main file gets its own directory, so two files in /etc/ocigate never share drop-ins.  */
  if (n > 5 && strcmp (loc->base + n - 5, ".json") == 0)
    loc->dropins = xasprintf ("%.*s.d", (int)(n - 5), loc->base);
  else
    loc->dropins = xasprintf ("%s.d", loc->base);
}

/* Read and parse one trusted file; its bytes go into the digest of the files read.  */
static struct json_node *
read_policy (struct policy_file *pf, int fd, const char *display, ocg_error_t *err)
{
  struct json_parse_opts opts = {
    .source = display,
    .allow_comments = true,
    .allow_duplicates = false,
    .max_bytes = POLICY_FILE_MAX_BYTES,
  };
  cleanup_free char *buf = NULL;
  size_t len = 0;

  buf = fsutil_read_fd (fd, display, POLICY_FILE_MAX_BYTES, &len, err);
  if (buf == NULL)
    return NULL;
  sha256_update (&pf->digest, buf, len);
  pf->n_digested++;
  return json_parse (buf, len, &opts, err);
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The `*.json` names in a drop-in directory, sorted with strcmp (the C locale's order, so the
 * order never depends on the environment).  Hidden files are skipped (editors' and package
 * managers' leftovers start with a dot or do not end in .json).  */
static char **
list_dropins (int dfd, size_t *count, const char *display, ocg_error_t *err)
{
  cleanup_strv char **names = xzalloc (sizeof (char *));
  size_t n = 0;
  DIR *d;
  struct dirent *e;
  int dup_fd = dup (dfd);

  if (dup_fd < 0 || (d = fdopendir (dup_fd)) == NULL)
    {
      int saved = errno;
      if (dup_fd >= 0)
        close (dup_fd);
      return ocg_error_set (err, saved, "read policy directory `%s`", display), NULL;
    }
  while ((e = readdir (d)) != NULL)
    {
      size_t len = strlen (e->d_name);
      if (e->d_name[0] == '.' || len <= 5 || strcmp (e->d_name + len - 5, ".json") != 0)
        continue;
      names = xreallocarray (names, n + 2, sizeof (char *));
      names[n++] = xstrdup (e->d_name);
      names[n] = NULL;
    }
  closedir (d);
  qsort (names, n, sizeof (char *), compare_names);
  *count = n;
  return steal_pointer (&names);
}

static int load_file (struct policy_file *pf, int fd, const char *display, ocg_error_t *err);

/* Each drop-in, in order.  A drop-in may be a symlink root made (a ConfigMap's `10-x.json ->
 * ..data/10-x.json`); the hidden `..data` and `..<timestamp>` entries are never read.  */
static int
visit_dropins (struct policy_file *pf, int dfd, const char *ddisplay, ocg_error_t *err)
{
  cleanup_strv char **names = NULL;
  size_t n = 0;

  names = list_dropins (dfd, &n, ddisplay, err);
  if (names == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *display = xasprintf ("%s/%s", ddisplay, names[i]);
      cleanup_close int fd = policy_file_open_path (dfd, ddisplay, names[i], false, err);

      if ((fd < 0 || load_file (pf, fd, display, err) < 0) && !policy_file_keep_going (pf, err))
        return -1;
    }
  return 0;
}

/* Is there anything at `path` (a file, a directory, a link)?  One open(2), which opens nothing
 * when the answer is no.  */
static bool
entry_exists (const char *path, int *error)
{
  int fd = open (path, O_PATH | O_NOFOLLOW | O_CLOEXEC);

  *error = fd < 0 ? errno : 0;
  if (fd >= 0)
    close (fd);
  return fd >= 0;
}

/* Load the files that exist.  Both probes come first, so that on a host without a policy (the
 * common case, and this runs on every runtime call) nothing is opened at all.  Then each file is
 * opened through the trusted walk: every directory on its path, every symlink on the way and
 * the file itself must be root's (policy_file_path.c).  */
static int
visit_located (struct policy_file *pf, const struct policy_location *loc, ocg_error_t *err)
{
  cleanup_free char *ddisplay = xasprintf ("%s/%s", loc->dir, loc->dropins);
  int fd_errno = 0, dfd_errno = 0;
  bool file = entry_exists (loc->display, &fd_errno);
  bool dropins = entry_exists (ddisplay, &dfd_errno);
  cleanup_close int fd = -1;
  cleanup_close int dfd = -1;

  pf->searched = xasprintf ("%s, %s/*.json", loc->display, ddisplay);
  if (!file && (fd_errno != ENOENT || loc->must_exist))
    return ocg_error_set (err, fd_errno, "open policy file `%s`", loc->display);
  if (!dropins && dfd_errno != ENOENT)
    return ocg_error_set (err, dfd_errno, "open policy directory `%s`", ddisplay);
  if (file
      && ((fd = policy_file_open_path (AT_FDCWD, NULL, loc->display, false, err)) < 0
          || load_file (pf, fd, loc->display, err) < 0)
      && !policy_file_keep_going (pf, err))
    return -1;
  if (!dropins)
    return 0;
  dfd = policy_file_open_path (AT_FDCWD, NULL, ddisplay, true, err);
  if (dfd < 0)
    return policy_file_keep_going (pf, err) ? 0 : -1;
  return visit_dropins (pf, dfd, ddisplay, err);
}

/* Load the main file and each drop-in, in merge order.  Nothing exists: loads nothing.  */
static int
policy_files_load (struct policy_file *pf, const char *path, ocg_error_t *err)
{
  struct policy_location loc = { 0 };
  int ret;

  location_init (&loc, path);
  ret = visit_located (pf, &loc, err);
  location_release (&loc);
  return ret;
}

/* ---- merging (RFC 7396) ---- */

static int merge_object (struct policy_file *pf, struct json_node *dst, const struct json_node *src,
                         size_t source, const char *path, ocg_error_t *err);

static int
merge_member (struct policy_file *pf, struct json_node *dst, const char *key,
              const struct json_node *value, size_t source, const char *path, ocg_error_t *err)
{
  struct json_node *cur = json_obj_get (dst, key);
  struct json_node *copy;

  if (value->type == JSON_NULL)
    {
      if (cur == NULL)
        return policy_file_error_at (pf, value, path, err,
                                     "`null` deletes a key set by an earlier file, and no "
                                     "earlier file sets it");
      json_obj_remove (dst, key);
      return 0;
    }
  if (value->type == JSON_OBJECT)
    {
      if (cur == NULL || cur->type != JSON_OBJECT)
        {
          cur = json_new_object ();
          cur->line = value->line;
          cur->column = value->column;
          policy_file_origins_add (pf, cur, source);
          json_obj_set (dst, key, cur);
        }
      return merge_object (pf, cur, value, source, path, err);
    }
  copy = json_clone (value);
  policy_file_origins_add (pf, copy, source);
  json_obj_set (dst, key, copy);
  return 0;
}

static int
merge_object (struct policy_file *pf, struct json_node *dst, const struct json_node *src,
              size_t source, const char *path, ocg_error_t *err)
{
  for (size_t i = 0; i < src->n; i++)
    {
      cleanup_free char *child = json_path_key (path, src->keys[i]);

      if (merge_member (pf, dst, src->keys[i], src->items[i], source, child, err) < 0
          && !policy_file_keep_going (pf, err))
        return -1;
    }
  return 0;
}

/* Read one file, validate it on its own, then merge it over what came before.  */
static int
load_file (struct policy_file *pf, int fd, const char *display, ocg_error_t *err)
{
  cleanup_json struct json_node *root = read_policy (pf, fd, display, err);
  size_t source = pf->n_sources;
  int ret;

  if (root == NULL)
    return -1;
  pf->sources = xreallocarray (pf->sources, pf->n_sources + 2, sizeof (char *));
  pf->sources[pf->n_sources++] = xstrdup (display);
  pf->sources[pf->n_sources] = NULL;
  /* Errors until the merge is done are about this file's own nodes.  */
  pf->current = pf->sources[source];
  ret = policy_file_validate_tree (pf, root, err) < 0
                || merge_object (pf, pf->root, root, source, "$", err) < 0
            ? -1
            : 0;
  pf->current = NULL;
  return ret;
}

/* Cross-references of the merged tree: profile names and `extends` chains, then the exemptions'
 * conditions.  */
static int
validate_merged (struct policy_file *pf, ocg_error_t *err)
{
  if (policy_file_validate_profiles (pf, err) < 0)
    return -1;
  return policy_file_validate_exemptions (pf, err);
}

static struct policy_file *
policy_file_new (bool collect)
{
  struct policy_file *pf = xzalloc (sizeof (*pf));

  pf->sources = xzalloc (sizeof (char *));
  pf->root = json_new_object ();
  pf->collect = collect;
  sha256_init (&pf->digest);
  return pf;
}

struct policy_file *
policy_file_load (const char *path, ocg_error_t *err)
{
  struct policy_file *pf = policy_file_new (false);

  if (policy_files_load (pf, path, err) < 0 || validate_merged (pf, err) < 0)
    {
      policy_file_free (pf);
      return NULL;
    }
  policy_file_parse_exemptions (pf);
  return pf;
}

/* Every error is kept (policy_file_keep_going), and a value found wrong is dropped from the
 * tree, so that what is left can still be merged, cross-checked and built: one run of `policy
 * validate` reports every mistake instead of the first.  */
struct policy_file *
policy_file_load_all (const char *path)
{
  struct policy_file *pf = policy_file_new (true);
  ocg_error_t err = NULL;

  if (policy_files_load (pf, path, &err) < 0 || validate_merged (pf, &err) < 0)
    policy_file_keep_going (pf, &err);
  ocg_error_free (&err);
  policy_file_parse_exemptions (pf);
  return pf;
}

char *
policy_file_read_digest (const char *path)
{
  cleanup_policy_file struct policy_file *pf = policy_file_load_all (path);

  return policy_file_digest (pf);
}

void
policy_file_free (struct policy_file *pf)
{
  if (pf == NULL)
    return;
  strv_free (pf->sources);
  strv_free (pf->errors);
  free (pf->searched);
  json_free (pf->root);
  free (pf->origins);
  policy_exemptions_release (&pf->exemptions);
  free (pf);
}

void
policy_file_freep (struct policy_file **pf)
{
  policy_file_free (*pf);
}

const char *const *
policy_file_sources (const struct policy_file *pf)
{
  return (const char *const *)pf->sources;
}

const char *const *
policy_file_errors (const struct policy_file *pf)
{
  return (const char *const *)pf->errors;
}

const char *
policy_file_searched (const struct policy_file *pf)
{
  return pf->searched;
}

const char *
policy_file_default_profile (const struct policy_file *pf)
{
  const struct json_node *p = json_obj_get (pf->root, "profile");

  return p != NULL && p->type == JSON_STRING ? p->text : "baseline";
}

const struct policy_exemptions *
policy_file_exemptions (const struct policy_file *pf)
{
  return &pf->exemptions;
}

/* The same files, the same checks and the same validation as create/run: a runtime that
 * `state` or `kill` reaches must be the one `create` used, and a policy create would refuse
 * must not quietly steer the other verbs.  Parsing a few KiB costs tens of microseconds; the
 * seccomp checks, the only expensive part, happen when a profile is built, never here.  */
int
policy_file_runtime (const char *path, char **runtime, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = policy_file_load (path, err);
  const struct json_node *rt;

  *runtime = NULL;
  if (pf == NULL)
    return -1;
  rt = json_obj_get (pf->root, "runtime");
  if (rt != NULL && rt->type == JSON_STRING)
    *runtime = xstrdup (rt->text);
  return 0;
}

char *
policy_file_describe_sources (const struct policy_file *pf)
{
  cleanup_free char *loaded = NULL;

  if (pf->n_sources == 0 && pf->n_errors > 0)
    return xasprintf ("no policy file could be loaded (searched %s)", pf->searched);
  if (pf->n_sources == 0)
    return xasprintf ("no policy file (searched %s): the built-in profiles apply", pf->searched);
  for (size_t i = 0; i < pf->n_sources; i++)
    {
      char *more = xasprintf ("%s%s%s", loaded ? loaded : "", loaded ? ", " : "", pf->sources[i]);
      free (loaded);
      loaded = more;
    }
  return xasprintf ("loaded %s (searched %s)", loaded, pf->searched);
}
