/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The document a policed verb hands the runtime (see document.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "document.h"
#include "exec_synth.h"
#include "fsutil.h"
#include "update_flags.h"
#include "util.h"

/* A document named by a path (an exec --process file such as Docker's absolute
 * /tmp/runc-process<N>, an update --resources file, crun's --config): open its directory, so the
 * load and the atomic write-back both happen relative to the same directory fd.  A name that
 * reaches one of our own descriptors (/dev/fd/63 from a shell's `<(...)`) is read through it
 * instead: the runtime opens it anew and must find the same bytes.  */
static int
load_path (const char *path, enum spec_kind kind, struct document *doc, ocg_error_t *err)
{
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');
  const char *base = slash != NULL ? path + (slash - dir) + 1 : path;
  int fd = stream_doc_fd_of_path (path);

  doc->display = path;
  if (fd >= 0)
    {
      if (stream_doc_read (&doc->stream, fd, true, SPEC_MAX_BYTES, err) < 0)
        return -1;
      doc->spec = spec_load_buffer (doc->stream.bytes, doc->stream.len, path, kind, err);
      return doc->spec ? 0 : -1;
    }
  if (slash != NULL)
    slash[slash == dir ? 1 : 0] = '\0';
  if (*base == '\0')
    return ocg_error_set (err, 0, "`%s` does not name a file", path);
  doc->dirfd = open (slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (doc->dirfd < 0)
    return ocg_error_set (err, errno, "open directory of `%s`", path);
  doc->name = base;
  doc->spec = spec_load_at (doc->dirfd, base, kind, err);
  return doc->spec ? 0 : -1;
}

/* runc reads config.json again after we judged it (it chdir()s into the bundle by path).  If
 * anyone but root (or whoever runs us) -- or the container's own root, `also` (bundle_owner) --
 * may write the bundle directory or the file, the judged document can be swapped for another
 * before runc reads it: refuse.  No sticky exception: the bundle's entries are read by name.  */
static int
check_writable_by_others (const struct stat *st, const char *shown, uid_t also, ocg_error_t *err)
{
  const struct fs_trust trust = { .euid = true, .also = also, .sticky = false };

  switch (fsutil_trust (st, &trust))
    {
    case FS_OTHER_OWNER:
      return ocg_error_set (err, 0,
                            "`%s` is owned by uid %u: it could be replaced after it was judged",
                            shown, (unsigned)st->st_uid);
    case FS_SHARED:
    case FS_STICKY:
      return ocg_error_set (err, 0,
                            "`%s` is writable by group or others: it could be replaced after it "
                            "was judged",
                            shown);
    case FS_TRUSTED:
      break;
    }
  return 0;
}

/* The host uid the container's root is mapped to, when it runs in a new user namespace: Podman
 * (--uidmap, --userns=auto) chowns the bundle directory to it so that the container's root can
 * reach the files bound from there.  That uid belongs to this container alone (Podman allocates
 * each --userns=auto range to one container), and it is not the uid of anyone who could
 * otherwise write here; every other owner still is.  */
static bool
has_user_namespace (const struct spec *spec)
{
  const struct json_node *ns = spec_get_array (spec, "/linux/namespaces");

  for (size_t i = 0; ns != NULL && i < ns->n; i++)
    {
      const struct json_node *type = json_obj_get (ns->items[i], "type");
      if (type != NULL && type->type == JSON_STRING && str_eq (type->text, "user"))
        return true;
    }
  return false;
}

uid_t
document_container_root (const struct spec *spec)
{
  const struct json_node *maps = spec_get_array (spec, "/linux/uidMappings");

  for (size_t i = 0; has_user_namespace (spec) && maps != NULL && i < maps->n; i++)
    {
      uint64_t cid = 0, hid = 0, size = 0;

      if (json_number_u64 (json_obj_get (maps->items[i], "containerID"), &cid)
          && json_number_u64 (json_obj_get (maps->items[i], "hostID"), &hid)
          && json_number_u64 (json_obj_get (maps->items[i], "size"), &size) && cid == 0 && size > 0
          && hid <= UINT32_MAX)
        return (uid_t)hid;
    }
  return 0;
}

/* The container's mapped root, who may own the bundle directory too, or (uid_t)-1.  */
static uid_t
bundle_owner (const struct spec *spec)
{
  uid_t root = document_container_root (spec);

  return root != 0 ? root : (uid_t)-1;
}

/* The kernel's name of the directory `dirfd` (fstat'd in *st), when it is its canonical path:
 * the text of its /proc/self/fd link is the path of its dentries (fs/d_path.c d_path), every one
 * of them a directory, so nothing in it is a symlink for realpath(3) to resolve -- provided the
 * text still names that very directory (not one renamed away, deleted, or outside our root:
 * " (deleted)" and "(unreachable)" fail the stat or the leading "/").  One readlink and one stat
 * instead of realpath's readlink of every component.  NULL (and when st is NULL): ask
 * realpath.  */
static char *
kernel_dir_name (const char *link, const struct stat *st)
{
  char buf[PATH_MAX];
  ssize_t n = st != NULL ? readlink (link, buf, sizeof (buf)) : -1;
  struct stat now;

  if (st == NULL || n <= 0 || (size_t)n >= sizeof (buf) || buf[0] != '/')
    return NULL;
  buf[n] = '\0';
  if (stat (buf, &now) < 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
    return NULL;
  return xstrdup (buf);
}

/* The canonical bundle directory, for rules that resolve paths relative to it (root.path).
 * Read through the fd we loaded from, so it names the directory we judged.  */
static int
set_bundle_dir (struct document *doc, const char *shown, const struct stat *st, ocg_error_t *err)
{
  cleanup_free char *link = xasprintf ("/proc/self/fd/%d", doc->dirfd);

  doc->bundle_dir = kernel_dir_name (link, st);
  if (doc->bundle_dir == NULL)
    doc->bundle_dir = realpath (link, NULL);
  if (doc->bundle_dir == NULL)
    return ocg_error_set (err, errno, "resolve bundle `%s`", shown);
  return 0;
}

/* runc chdir()s into the bundle (or stays in the cwd) and reads "config.json" there.  */
static int
open_bundle_config (const char *bundle, struct document *doc, ocg_error_t *err)
{
  struct stat file, dir;

  doc->dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (doc->dirfd < 0)
    return ocg_error_set (err, errno, "open bundle `%s`", bundle);
  doc->name = "config.json";
  doc->display = "config.json";
  doc->in_bundle = true;
  if (fstat (doc->dirfd, &dir) < 0
      || fstatat (doc->dirfd, "config.json", &file, AT_SYMLINK_NOFOLLOW) < 0)
    return ocg_error_set (err, errno, "stat `%s/config.json`", bundle);
  if (check_writable_by_others (&file, "config.json", (uid_t)-1, err) < 0)
    return -1;
  doc->spec = spec_load_at (doc->dirfd, "config.json", SPEC_CONFIG, err);
  if (doc->spec == NULL)
    return -1;
  /* After the load: whose the directory may be depends on the user namespace it asks for.  */
  if (check_writable_by_others (&dir, bundle, bundle_owner (doc->spec), err) < 0)
    return -1;
  return set_bundle_dir (doc, bundle, &dir, err);
}

/* crun's --config names a file relative to the caller's cwd (verified against crun 1.8.1), but
 * crun still resolves root.path against the bundle.  */
static int
open_config (const struct runc_invocation *inv, struct document *doc, ocg_error_t *err)
{
  const char *bundle = inv->bundle ? inv->bundle : ".";

  if (inv->config == NULL)
    return open_bundle_config (bundle, doc, err);
  if (load_path (inv->config, SPEC_CONFIG, doc, err) < 0)
    return -1;
  doc->bundle_dir = realpath (bundle, NULL);
  if (doc->bundle_dir == NULL)
    return ocg_error_set (err, errno, "resolve bundle `%s`", bundle);
  return 0;
}

static int
load_update (const struct runc_invocation *inv, const struct runtime *rt, struct document *doc,
             ocg_error_t *err)
{
  /* runc and crun ignore the individual flags once --resources names a document.  */
  if (inv->resources_path == NULL)
    {
      doc->synthetic = true;
      doc->display = "update flags";
      doc->spec = update_flags_document (inv, rt, err);
      return doc->spec ? 0 : -1;
    }
  if (!str_eq (inv->resources_path, "-"))
    return load_path (inv->resources_path, SPEC_RESOURCES, doc, err);
  /* runc reads on from its stdin (update.go: os.Stdin).  */
  doc->display = "-";
  if (stream_doc_read (&doc->stream, STDIN_FILENO, false, SPEC_MAX_BYTES, err) < 0)
    return ocg_error_wrap (err, "read update resources");
  doc->spec = spec_load_buffer (doc->stream.bytes, doc->stream.len, "resources (stdin)",
                                SPEC_RESOURCES, err);
  return doc->spec ? 0 : -1;
}

int
document_load (const struct runc_invocation *inv, const struct runtime *rt,
               const struct policy *policy, const struct host_facts *host, struct document *doc,
               ocg_error_t *err)
{
  switch (inv->verb)
    {
    case RUNC_VERB_CREATE:
    case RUNC_VERB_RUN:
      return open_config (inv, doc, err);
    case RUNC_VERB_RESTORE:
      /* The restored process would get these labels instead of the judged config's.  */
      if (inv->restore_lsm)
        return ocg_error_set (err, 0,
                              "restore --lsm-profile/--lsm-mount-context would replace "
                              "the judged AppArmor/SELinux labels; set them in config.json");
      return open_config (inv, doc, err);
    case RUNC_VERB_EXEC:
      if (inv->process_path != NULL)
        return load_path (inv->process_path, SPEC_PROCESS, doc, err);
      doc->synthetic = true;
      doc->spec = exec_synth_process (inv, rt, policy, host, &doc->display, err);
      return doc->spec ? 0 : -1;
    case RUNC_VERB_UPDATE:
      return load_update (inv, rt, doc, err);
    default:
      return ocg_error_set (err, 0, "internal error: verb `%s` is not policed", inv->verb_name);
    }
}

/* `ocigate check -`: the config on stdin, judged as `runc create` without --bundle would judge
 * it: in a bundle that is the current directory.  */
static int
load_check_stdin (struct document *doc, ocg_error_t *err)
{
  doc->display = "-";
  if (stream_doc_read (&doc->stream, STDIN_FILENO, false, SPEC_MAX_BYTES, err) < 0)
    return -1;
  doc->spec = spec_load_buffer (doc->stream.bytes, doc->stream.len, "-", SPEC_CONFIG, err);
  if (doc->spec == NULL)
    return -1;
  doc->bundle_dir = realpath (".", NULL);
  if (doc->bundle_dir == NULL)
    return ocg_error_set (err, errno, "resolve the current directory");
  return 0;
}

int
document_load_check (const char *target, struct document *doc, ocg_error_t *err)
{
  struct stat st;

  if (str_eq (target, "-"))
    return load_check_stdin (doc, err);
  if (stat (target, &st) < 0)
    return ocg_error_set (err, errno, "stat `%s`", target);
  doc->display = target;
  if (S_ISDIR (st.st_mode))
    {
      doc->dirfd = open (target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (doc->dirfd < 0)
        return ocg_error_set (err, errno, "open bundle `%s`", target);
      doc->name = "config.json";
      doc->spec = spec_load_at (doc->dirfd, "config.json", SPEC_CONFIG, err);
    }
  else if (load_path (target, SPEC_CONFIG, doc, err) < 0)
    return -1;
  /* A config file given directly is judged as if its directory were the bundle.  */
  return doc->spec != NULL && doc->dirfd >= 0 ? set_bundle_dir (doc, target, NULL, err)
         : doc->spec != NULL                  ? 0
                                              : -1;
}

/* A bundle's config.json stays linked in the bundle under a hidden name when it is replaced, so
 * that the replace does not evict the inode the engine has just written (fsutil_keep_at: the
 * eviction waits for its writeback and to free its blocks, up to 0.1 s on ext4 under other
 * writers).  Whoever removes the bundle removes it, and every engine deletes the whole directory
 * with the container: containerd's shim (runtime/v2/bundle.go Bundle.Delete: os.RemoveAll), so
 * Docker's; Podman and CRI-O, whose bundles are containers/storage's userdata directories
 * (store.go DeleteContainer: os.RemoveAll); runc's own tests (tests/integration/helpers.bash
 * teardown_bundle: rm -rf).  A bundle created again and again (Podman starts a container again
 * in the same userdata directory) keeps at most FSUTIL_KEEP_SLOTS of them.  Not for an exec
 * --process or update --resources file nor crun's --config: those live where nobody would remove
 * a leftover (/tmp/runc-process*).  */
static void
keep_engine_config (const struct document *doc)
{
  if (doc->in_bundle)
    (void)fsutil_keep_at (doc->dirfd, doc->name, time (NULL) - FSUTIL_KEEP_CLEAN_SECONDS);
}

int
document_hand_on (struct document *doc, bool rewritten, ocg_error_t *err)
{
  cleanup_free char *text = NULL;
  size_t len = 0;

  if (doc->stream.fd >= 0)
    {
      if (rewritten && doc->spec != NULL && spec_changed (doc->spec)
          && (text = json_serialize (doc->spec->root, &len, err)) == NULL)
        return -1;
      return stream_doc_hand_on (&doc->stream, text, len, err);
    }
  if (!rewritten || doc->spec == NULL || !spec_changed (doc->spec))
    return 0;
  if (doc->synthetic)
    return ocg_error_set (err, 0, "internal error: a rewrite of flags cannot be applied");
  keep_engine_config (doc);
  return spec_write_at (doc->dirfd, doc->name, doc->spec, err);
}

void
document_release (struct document *doc)
{
  spec_free (doc->spec);
  free (doc->bundle_dir);
  if (doc->dirfd >= 0)
    close (doc->dirfd);
  stream_doc_release (&doc->stream);
  *doc = (struct document)DOCUMENT_INIT;
}
