/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for what lets a verb that cannot loosen a container reach its runtime whatever the
 * policy files say: the per-container record (shim/record.c), the tolerant reading of the
 * policy files and the stamp that validates them once per version (shim/policy_peek.c); and for
 * two readers of exec: a document that came through a descriptor (shim/stream_doc.c) and
 * `--cgroup` (shim/exec_synth.c).  The file tests need root (records are root's alone).  */
#include <config.h>

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "argv.h"
#include "exec_synth.h"
#include "hostfacts.h"
#include "json.h"
#include "policy_file.h"
#include "policy_peek.h"
#include "record.h"
#include "stream_doc.h"
#include "util.h"

/* ---- the tolerant scanner ---- */

static void
scan (const char *text, const char *runtime, const char *audit_log)
{
  struct policy_peek p = { 0 };

  policy_peek_scan (text, strlen (text), &p);
  if (!str_eq (p.runtime, runtime) && !(p.runtime == NULL && runtime == NULL))
    fail_msg ("`%s`: runtime `%s`, expected `%s`", text, p.runtime ? p.runtime : "(null)",
              runtime ? runtime : "(null)");
  if (!str_eq (p.audit_log, audit_log) && !(p.audit_log == NULL && audit_log == NULL))
    fail_msg ("`%s`: audit_log `%s`, expected `%s`", text, p.audit_log ? p.audit_log : "(null)",
              audit_log ? audit_log : "(null)");
  policy_peek_release (&p);
}

static void
test_scanner (void **state)
{
  (void)state;
  scan ("{\"runtime\": \"/usr/bin/crun\"}", "/usr/bin/crun", NULL);
  /* An operator's typo (`warning` is no action): a wrong value elsewhere changes nothing here.  */
  scan ("{\"runtime\": \"/usr/bin/crun\", \"profiles\": {\"baseline\": {\"rules\": {\"root-user\": "
        "\"warning\"}}}}",
        "/usr/bin/crun", NULL);
  /* Broken syntax after the key (a file cut short while being written), or before it.  */
  scan ("{\"runtime\": \"/usr/bin/crun\", \"mode\": \"aud", "/usr/bin/crun", NULL);
  scan ("{\"mode\" \"audit\",, \"runtime\": \"/r\"}", "/r", NULL);
  /* Comments, escapes, nested keys of the same name, the last value wins, null clears.  */
  scan ("// header\n{ /* c */ \"runtime\" : \"\\/usr\\/bin\\/crun\" }", "/usr/bin/crun", NULL);
  scan ("{\"profiles\": {\"runtime\": \"/nested\"}, \"audit_log\": \"/a\"}", NULL, "/a");
  scan ("{\"x\": [\"runtime\", \"/no\"], \"runtime\": \"/yes\"}", "/yes", NULL);
  scan ("{\"runtime\": \"/a\", \"runtime\": \"/b\"}", "/b", NULL);
  scan ("{\"runtime\": \"/a\", \"runtime\": null}", NULL, NULL);
  scan ("{\"runtime\": \"/caf\\u00e9\"}", "/caf\xc3\xa9", NULL);
  scan ("{\"runtime\": \"/\\ud83d\\ude00\"}", "/\xf0\x9f\x98\x80", NULL);
  scan ("{\"runtime\": \"/\\ud83d\"}", NULL, NULL);
  /* A value that is not a string, or cannot be a path, is not taken.  */
  scan ("{\"runtime\": 5}", NULL, NULL);
  scan ("{\"runtime\": \"/a\\u0000b\"}", NULL, NULL);
  scan ("{\"runtime\": \"/unterminated", NULL, NULL);
  scan ("", NULL, NULL);
  scan ("[\"runtime\", \"/x\"]", NULL, NULL);
}

/* ---- files: a private run dir and policy dir ---- */

struct fixture
{
  char *dir;
  char *run;
  char *policy;
  char *dropins;
};

static int
setup (void **state)
{
  struct fixture *f = xzalloc (sizeof (*f));

  f->dir = xstrdup ("/tmp/ocg-test-lifecycle-XXXXXX");
  if (mkdtemp (f->dir) == NULL || chmod (f->dir, 0755) < 0)
    return -1;
  f->run = xasprintf ("%s/run", f->dir);
  f->policy = xasprintf ("%s/policy.json", f->dir);
  f->dropins = xasprintf ("%s/policy.d", f->dir);
  record_run_dir = f->run;
  *state = f;
  return 0;
}

static int
rm_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove (path) < 0 ? 0 : 0;
}

static int
teardown (void **state)
{
  struct fixture *f = *state;

  /* The test's own scratch tree (a mkdtemp name), whatever the test left in it.  */
  nftw (f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free (f->dir);
  free (f->run);
  free (f->policy);
  free (f->dropins);
  free (f);
  record_run_dir = OCG_RUN_DIR;
  return 0;
}

static void
write_file (const char *path, const char *text, mode_t mode)
{
  cleanup_close int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

  assert_true (fd >= 0);
  assert_int_equal (write (fd, text, strlen (text)), (ssize_t)strlen (text));
  assert_int_equal (fchmod (fd, mode), 0);
}

static bool
need_root (void)
{
  if (geteuid () == 0)
    return true;
  print_message ("skipped: needs root (records are root's alone)\n");
  return false;
}

static struct runc_invocation
inv_for (const char *root, const char *id)
{
  struct runc_invocation inv = { .root = root, .container_id = id, .verb = RUNC_VERB_OTHER };
  return inv;
}

static void
test_record_round_trip (void **state)
{
  struct fixture *f = *state;
  struct runtime crun = { .path = (char *)"/usr/bin/crun", .flavor = RUNTIME_CRUN };
  struct runc_invocation a = inv_for ("/run/x", "c1"), b = inv_for (NULL, "c1");
  struct runc_invocation bad = inv_for ("/run/x", "../c1");
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *got = NULL;
  bool gone = false;

  if (!need_root ())
    return;
  assert_int_equal (record_write (&a, &crun, &err), 0);
  got = record_read (&a, &gone);
  assert_string_equal (got, "/usr/bin/crun");
  /* /run/x/c1 does not exist: the container's state is gone.  */
  assert_true (gone);
  /* The same id under another root (here: none) is another container.  */
  assert_null (record_read (&b, &gone));
  /* An id runc would refuse never names a file.  */
  assert_int_equal (record_write (&bad, &crun, &err), 0);
  assert_null (record_read (&bad, &gone));
  record_forget (&a);
  assert_null (record_read (&a, &gone));
  (void)f;
}

static void
test_record_identity (void **state)
{
  struct fixture *f = *state;
  struct runtime runc = { .path = (char *)"/usr/sbin/runc", .flavor = RUNTIME_RUNC };
  struct runc_invocation a = inv_for ("/r", "c2");
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *containers = xasprintf ("%s/containers", f->run);
  cleanup_free char *name = NULL;
  cleanup_free char *path = NULL;
  cleanup_free char *link = NULL;
  cleanup_free char *got = NULL;
  bool gone = false;
  DIR *d;
  struct dirent *e;

  if (!need_root ())
    return;
  assert_int_equal (record_write (&a, &runc, &err), 0);
  d = opendir (containers);
  assert_non_null (d);
  while ((e = readdir (d)) != NULL)
    if (e->d_name[0] != '.')
      name = xstrdup (e->d_name);
  closedir (d);
  assert_non_null (name);
  path = xasprintf ("%s/%s", containers, name);
  /* A record someone else could have written is no record.  */
  assert_int_equal (chmod (path, 0620), 0);
  assert_null (record_read (&a, &gone));
  assert_int_equal (chmod (path, 0600), 0);
  assert_int_equal (chown (path, 65534, 0), 0);
  assert_null (record_read (&a, &gone));
  assert_int_equal (chown (path, 0, 0), 0);
  got = record_read (&a, &gone);
  assert_string_equal (got, "/usr/sbin/runc");
  /* A symlink in its place is not followed.  */
  link = xasprintf ("%s.real", path);
  assert_int_equal (rename (path, link), 0);
  assert_int_equal (symlink (link, path), 0);
  assert_null (record_read (&a, &gone));
  /* Nor a run directory others can write.  */
  assert_int_equal (unlink (path), 0);
  assert_int_equal (rename (link, path), 0);
  assert_int_equal (chmod (containers, 0777), 0);
  assert_null (record_read (&a, &gone));
  assert_int_equal (chmod (containers, 0700), 0);
}

/* A record that already says the same is left alone (no rename over it: ext4 would write the
 * new file out first); a different one is replaced.  */
static void
test_record_kept_when_same (void **state)
{
  struct fixture *f = *state;
  struct runtime crun = { .path = (char *)"/usr/bin/crun", .flavor = RUNTIME_CRUN };
  struct runtime runc = { .path = (char *)"/usr/sbin/runc", .flavor = RUNTIME_RUNC };
  cleanup_free char *root = xasprintf ("%s/state", f->dir);
  cleanup_free char *kept_dir = xasprintf ("%s/state/again", f->dir);
  cleanup_free char *dir = xasprintf ("%s/containers", f->run);
  struct runc_invocation again = inv_for (root, "again");
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *got = NULL;
  struct stat first, second;
  bool gone = false;
  DIR *d;
  struct dirent *e;
  char path[4096] = "";

  if (!need_root ())
    return;
  assert_int_equal (mkdir (root, 0700), 0);
  assert_int_equal (mkdir (kept_dir, 0700), 0);
  assert_int_equal (record_write (&again, &crun, &err), 0);
  assert_non_null (d = opendir (dir));
  while ((e = readdir (d)) != NULL)
    if (strstr (e->d_name, "-again") != NULL)
      snprintf (path, sizeof (path), "%s/%s", dir, e->d_name);
  closedir (d);
  assert_int_equal (stat (path, &first), 0);
  assert_int_equal (record_write (&again, &crun, &err), 0);
  assert_int_equal (stat (path, &second), 0);
  assert_true (first.st_ino == second.st_ino);
  assert_int_equal (record_write (&again, &runc, &err), 0);
  assert_int_equal (stat (path, &second), 0);
  assert_true (first.st_ino != second.st_ino);
  got = record_read (&again, &gone);
  assert_non_null (got);
  assert_string_equal (got, "/usr/sbin/runc");
  /* No temporary file is left behind.  */
  assert_non_null (d = opendir (dir));
  while ((e = readdir (d)) != NULL)
    assert_false (str_has_prefix (e->d_name, ".tmp-"));
  closedir (d);
}

static void
test_record_sweep (void **state)
{
  struct fixture *f = *state;
  struct runtime runc = { .path = (char *)"/usr/sbin/runc", .flavor = RUNTIME_RUNC };
  cleanup_free char *live_root = xasprintf ("%s/state", f->dir);
  cleanup_free char *live_dir = xasprintf ("%s/state/live", f->dir);
  struct runc_invocation live = inv_for (live_root, "live"), dead = inv_for (live_root, "dead");
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *got = NULL;
  bool gone = false;

  if (!need_root ())
    return;
  assert_int_equal (mkdir (live_root, 0700), 0);
  assert_int_equal (mkdir (live_dir, 0700), 0);
  assert_int_equal (record_write (&live, &runc, &err), 0);
  assert_int_equal (record_write (&dead, &runc, &err), 0);
  /* Within the grace period a record stays, state or not (its create may be running).  */
  assert_true (record_sweep (3600));
  got = record_read (&dead, &gone);
  assert_non_null (got);
  free (steal_pointer (&got));
  /* At most once a minute.  */
  assert_false (record_sweep (-1));
  {
    cleanup_free char *swept = xasprintf ("%s/containers/.swept", f->run);
    assert_int_equal (unlink (swept), 0);
  }
  assert_true (record_sweep (-1));
  assert_null (record_read (&dead, &gone));
  got = record_read (&live, &gone);
  assert_non_null (got);
  assert_false (gone);
}

/* record_keep is record_write then record_sweep through one opening of the directory.  */
static void
test_record_keep (void **state)
{
  struct fixture *f = *state;
  struct runtime crun = { .path = (char *)"/usr/bin/crun", .flavor = RUNTIME_CRUN };
  cleanup_free char *root = xasprintf ("%s/state", f->dir);
  struct runc_invocation dead = inv_for (root, "dead"), kept = inv_for (root, "kept");
  struct runc_invocation bad = inv_for (root, "../bad");
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *got = NULL;
  cleanup_free char *swept = xasprintf ("%s/containers/.swept", f->run);
  bool gone = false;

  cleanup_free char *kept_dir = xasprintf ("%s/state/kept", f->dir);

  if (!need_root ())
    return;
  assert_int_equal (mkdir (root, 0700), 0);
  assert_int_equal (mkdir (kept_dir, 0700), 0);
  assert_int_equal (record_write (&dead, &crun, &err), 0);
  unlink (swept);
  /* The record is written, and the sweep (due) removes the stale one.  */
  assert_true (record_keep (&kept, &crun, -1));
  got = record_read (&kept, &gone);
  assert_non_null (got);
  assert_string_equal (got, "/usr/bin/crun");
  assert_null (record_read (&dead, &gone));
  /* An id runc refuses gets no record; the sweep is not due again within the minute.  */
  assert_false (record_keep (&bad, &crun, -1));
  assert_null (record_read (&bad, &gone));
}

static void
test_peek_reads_trusted_files_only (void **state)
{
  struct fixture *f = *state;
  cleanup_free char *dropin = xasprintf ("%s/10-runtime.json", f->dropins);
  struct policy_peek p = { 0 };

  if (!need_root ())
    return;
  write_file (f->policy, "{\"runtime\": \"/usr/bin/crun\", \"mode\": \"audit\", \"bogus\": [",
              0644);
  policy_peek_read (f->policy, &p);
  assert_string_equal (p.runtime, "/usr/bin/crun");
  policy_peek_release (&p);
  /* A drop-in overrides the main file, as the merge does.  */
  assert_int_equal (mkdir (f->dropins, 0755), 0);
  write_file (dropin, "{\"runtime\": \"/usr/sbin/runc\"}", 0644);
  policy_peek_read (f->policy, &p);
  assert_string_equal (p.runtime, "/usr/sbin/runc");
  policy_peek_release (&p);
  /* A file another user could have written is never read.  */
  assert_int_equal (chmod (dropin, 0666), 0);
  policy_peek_read (f->policy, &p);
  assert_string_equal (p.runtime, "/usr/bin/crun");
  policy_peek_release (&p);
  assert_int_equal (chmod (f->policy, 0664), 0);
  policy_peek_read (f->policy, &p);
  assert_null (p.runtime);
}

static void
test_health_once_per_version (void **state)
{
  struct fixture *f = *state;
  cleanup_free char *broken = NULL;
  bool fresh = false;

  if (!need_root ())
    return;
  /* No policy at all: healthy, and nothing to remember.  */
  assert_null (policy_peek_health (f->policy, &fresh));
  assert_false (fresh);
  write_file (f->policy,
              "{\"profiles\": {\"baseline\": {\"rules\": {\"root-user\": \"warning\"}}}}", 0644);
  broken = policy_peek_health (f->policy, &fresh);
  assert_non_null (broken);
  assert_true (fresh);
  assert_non_null (strstr (broken, "policy.json:1:"));
  assert_non_null (strstr (broken, "root-user"));
  free (steal_pointer (&broken));
  /* The same version again: known from the stamp, not validated (fresh stays false).  */
  broken = policy_peek_health (f->policy, &fresh);
  assert_non_null (broken);
  assert_false (fresh);
  free (steal_pointer (&broken));
  /* A new version (fixed) is validated again, once.  */
  write_file (f->policy, "{\"mode\": \"audit\"}", 0644);
  assert_null (policy_peek_health (f->policy, &fresh));
  assert_true (fresh);
  assert_null (policy_peek_health (f->policy, &fresh));
  assert_false (fresh);
  /* Permissions are part of the version: group-writable is broken.  */
  assert_int_equal (chmod (f->policy, 0664), 0);
  broken = policy_peek_health (f->policy, &fresh);
  assert_non_null (broken);
  assert_true (fresh);
  assert_non_null (strstr (broken, "writable by group or others"));
}

/* The one stamp of the fixture's policy: its path, and its text with `from` replaced by `to`
 * (same length, so that only the stamp's word says it).  */
static char *
edit_stamp (struct fixture *f, const char *from, const char *to)
{
  cleanup_free char *dir = xasprintf ("%s/policy", f->run);
  DIR *d = opendir (dir);
  struct dirent *e;
  char *path = NULL;
  char text[4096];
  ssize_t n;
  char *at;

  assert_non_null (d);
  while ((e = readdir (d)) != NULL)
    if (e->d_name[0] != '.')
      path = xasprintf ("%s/%s", dir, e->d_name);
  closedir (d);
  assert_non_null (path);
  {
    cleanup_close int fd = open (path, O_RDWR | O_CLOEXEC);
    assert_true (fd >= 0);
    n = read (fd, text, sizeof (text) - 1);
    assert_true (n > 0);
    text[n] = '\0';
    at = strstr (text, from);
    assert_non_null (at);
    memcpy (at, to, strlen (to));
    assert_int_equal (pwrite (fd, text, (size_t)n, 0), n);
  }
  return path;
}

/* Once a version of the files is stamped, a pass-through call takes the policy's runtime from the
 * stamp, not from the files; a new version is read again; a stamp it cannot parse is unknown.  */
static void
test_view_runtime_from_stamp (void **state)
{
  struct fixture *f = *state;
  cleanup_free char *stamp = NULL;
  struct policy_view v;
  bool fresh = false;

  if (!need_root ())
    return;
  write_file (f->policy, "// shipped\n{\"runtime\": \"/usr/bin/crun\"}", 0644);
  policy_view_open (f->policy, &v);
  assert_int_equal (v.verdict, -1);
  assert_false (v.peeked);
  assert_null (policy_view_health (f->policy, &v, &fresh));
  assert_true (fresh);
  /* Validating did not scan: the stamp knows the verdict, not yet the values.  */
  assert_false (v.peeked);
  policy_view_release (&v);
  policy_view_open (f->policy, &v);
  assert_int_equal (v.verdict, 1);
  assert_false (v.peeked);
  /* The first call that needs them reads them, and completes the stamp.  */
  assert_string_equal (policy_view_peek (f->policy, &v)->runtime, "/usr/bin/crun");
  policy_view_release (&v);
  /* The stamp's word, not the file's: the file is not read again.  */
  stamp = edit_stamp (f, "runtime 13 /usr/bin/crun", "runtime 13 /usr/bin/xrun");
  policy_view_open (f->policy, &v);
  assert_int_equal (v.verdict, 1);
  assert_true (v.peeked);
  assert_string_equal (policy_view_peek (f->policy, &v)->runtime, "/usr/bin/xrun");
  assert_null (v.peek.audit_log);
  policy_view_release (&v);
  /* A length that does not match its value: the stamp knows nothing.  */
  free (edit_stamp (f, "runtime 13 /usr/bin/xrun", "runtime 14 /usr/bin/xrun"));
  policy_view_open (f->policy, &v);
  assert_int_equal (v.verdict, -1);
  assert_false (v.peeked);
  policy_view_release (&v);
  /* A new version of the file (another size, mtime, ctime) is read, not taken from the stamp.  */
  write_file (f->policy, "{\"runtime\": \"/usr/sbin/runc\", \"audit_log\": \"/a\"}", 0644);
  policy_view_open (f->policy, &v);
  assert_false (v.peeked);
  assert_string_equal (policy_view_peek (f->policy, &v)->runtime, "/usr/sbin/runc");
  assert_string_equal (v.peek.audit_log, "/a");
  policy_view_release (&v);
}

/* A directory owned by the container's own mapped root (podman --uidmap's userdata/) is trusted
 * for that container only.  */
static void
test_path_trusted_container_root (void **state)
{
  struct fixture *f = *state;
  cleanup_free char *userdata = xasprintf ("%s/userdata", f->dir);
  cleanup_free char *hosts = xasprintf ("%s/userdata/hosts", f->dir);
  cleanup_free char *why = NULL;
  struct host_facts host;

  if (!need_root ())
    return;
  hostfacts_init_real (&host);
  assert_int_equal (mkdir (userdata, 0700), 0);
  write_file (hosts, "127.0.0.1 localhost\n", 0644);
  assert_int_equal (chown (userdata, 100000, 100000), 0);
  assert_false (host.path_trusted (&host, hosts, &why));
  assert_non_null (strstr (why, "owned by uid 100000"));
  free (steal_pointer (&why));
  host.container_root = 100000;
  assert_true (host.path_trusted (&host, hosts, &why));
  host.container_root = 100001;
  assert_false (host.path_trusted (&host, hosts, &why));
}

/* ---- stream documents ---- */

static void
test_stream_fd_names (void **state)
{
  int fds[2];
  cleanup_free char *dev_fd = NULL;
  cleanup_free char *proc_fd = NULL;

  (void)state;
  assert_int_equal (pipe (fds), 0);
  dev_fd = xasprintf ("/dev/fd/%d", fds[0]);
  proc_fd = xasprintf ("/proc/self/fd/%d", fds[0]);
  assert_int_equal (stream_doc_fd_of_path (proc_fd), fds[0]);
  if (access ("/dev/fd", F_OK) == 0)
    assert_int_equal (stream_doc_fd_of_path (dev_fd), fds[0]);
  assert_int_equal (stream_doc_fd_of_path ("/dev/fd/999"), -1);
  assert_int_equal (stream_doc_fd_of_path ("/dev/fd/1x"), -1);
  assert_int_equal (stream_doc_fd_of_path ("/tmp/fd/3"), -1);
  assert_int_equal (stream_doc_fd_of_path ("/dev/fd/../fd/0"), -1);
  close (fds[0]);
  close (fds[1]);
}

/* What the runtime reads after us: through the descriptor itself (stdin, `update -r -`), or
 * through a new open of /proc/self/fd/N (`exec -p /dev/fd/N`, os.Open).  */
static ssize_t
read_as_runtime (int fd, bool reopen, char *buf, size_t size)
{
  cleanup_free char *name = xasprintf ("/proc/self/fd/%d", fd);
  cleanup_close int own = reopen ? open (name, O_RDONLY | O_CLOEXEC) : -1;

  memset (buf, 0, size);
  return read (reopen ? own : fd, buf, size - 1);
}

/* A pipe with `doc` in it, read as the runtime would: every byte is back at the same descriptor
 * number, and the descriptor itself stands where the runtime would have left the pipe.  */
static void
check_hand_on (bool reopen)
{
  static const char doc[] = "{\"args\": [\"true\"], \"cwd\": \"/\"}";
  struct stream_doc d = STREAM_DOC_INIT;
  cleanup_error ocg_error_t err = NULL;
  char again[64];
  int fds[2];

  assert_int_equal (pipe (fds), 0);
  assert_int_equal (write (fds[1], doc, strlen (doc)), (ssize_t)strlen (doc));
  close (fds[1]);
  assert_int_equal (stream_doc_read (&d, fds[0], reopen, 10, &err), 0);
  /* More than the cap arrived: only cap + 1 kept for parsing, all of it kept for the runtime.  */
  assert_true (d.too_big);
  assert_int_equal (d.len, 11);
  assert_int_equal (stream_doc_hand_on (&d, NULL, 0, &err), 0);
  assert_true ((fcntl (fds[0], F_GETFD) & FD_CLOEXEC) == 0);
  assert_int_equal (read_as_runtime (fds[0], reopen, again, sizeof (again)), (ssize_t)strlen (doc));
  assert_string_equal (again, doc);
  /* After a runtime that reopened the pipe, it is drained for whoever reads it next.  */
  if (reopen)
    assert_int_equal (read (fds[0], again, sizeof (again)), 0);
  assert_int_equal (stream_doc_hand_on (&d, "{}", 2, &err), 0);
  assert_int_equal (read_as_runtime (fds[0], reopen, again, sizeof (again)), 2);
  assert_string_equal (again, "{}");
  stream_doc_release (&d);
  close (fds[0]);
}

static void
test_stream_hand_on (void **state)
{
  (void)state;
  check_hand_on (false);
  check_hand_on (true);
}

/* ---- exec --cgroup ---- */

static void
test_cgroup_escape (void **state)
{
  static const char *const stays[] = { "sub", "a/b", "./a", "a/../b", "/abs", "a//b/", "" };
  static const char *const leaves[] = { "..", "../x", "a/../..", "../../..", "./../c" };
  struct runtime runc = { .path = (char *)"/usr/sbin/runc", .flavor = RUNTIME_RUNC };
  struct runtime crun = { .path = (char *)"/usr/bin/crun", .flavor = RUNTIME_CRUN };
  const char *v[3] = { NULL, NULL, NULL };
  struct runc_invocation inv = { .cgroups = { v, 1 } };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (stays); i++)
    {
      v[0] = stays[i];
      assert_null (exec_synth_cgroup_escape (&inv, &runc));
      assert_null (exec_synth_cgroup_escape (&inv, &crun));
    }
  for (size_t i = 0; i < ARRAY_SIZE (leaves); i++)
    {
      v[0] = leaves[i];
      assert_string_equal (exec_synth_cgroup_escape (&inv, &runc), leaves[i]);
      assert_string_equal (exec_synth_cgroup_escape (&inv, &crun), leaves[i]);
    }
  /* runc: `controller:path`, every value; crun: the whole value, the last one.  */
  v[0] = "pids:../sibling";
  v[1] = "memory:sub";
  inv.cgroups.n = 2;
  assert_string_equal (exec_synth_cgroup_escape (&inv, &runc), "pids:../sibling");
  assert_null (exec_synth_cgroup_escape (&inv, &crun));
}

/* With runc's own paths of the container, exactly what runc does: it refuses `..` itself (then
 * nothing runs), accepts a sibling that shares the container's name as a prefix.  */
static void
test_cgroup_escape_runc_paths (void **state)
{
  static const char paths_text[] = "{\"\": \"/sys/fs/cgroup/unified/c1\", "
                                   "\"pids\": \"/sys/fs/cgroup/pids/c1\", "
                                   "\"memory\": \"/sys/fs/cgroup/memory/x/c1\"}";
  struct json_parse_opts opts = { .source = "test", .max_bytes = 4096 };
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *paths = json_parse (paths_text, strlen (paths_text), &opts, &err);
  const char *v[3] = { NULL, NULL, NULL };
  struct argv_list values = { v, 1 };

  (void)state;
  assert_non_null (paths);
  v[0] = "..";
  assert_null (exec_synth_cgroup_escape_with (&values, false, paths)); /* runc refuses */
  v[0] = "../c1x";
  assert_string_equal (exec_synth_cgroup_escape_with (&values, false, paths), "../c1x");
  v[0] = "pids:../c1-x";
  assert_string_equal (exec_synth_cgroup_escape_with (&values, false, paths), "pids:../c1-x");
  v[0] = "pids:sub/../../c1/sub";
  assert_null (exec_synth_cgroup_escape_with (&values, false, paths));
  v[0] = "/";
  assert_null (exec_synth_cgroup_escape_with (&values, false, paths));
  v[0] = "whaaat:/"; /* unknown controller: runc refuses */
  assert_null (exec_synth_cgroup_escape_with (&values, false, paths));
  v[0] = "memory,pids:../c1z";
  assert_string_equal (exec_synth_cgroup_escape_with (&values, false, paths), "memory,pids:../c1z");
  /* A later value for the same controller replaces the earlier one (a Go map).  */
  v[0] = "pids:../c1z";
  v[1] = "pids:sub";
  values.n = 2;
  assert_null (exec_synth_cgroup_escape_with (&values, false, paths));
  v[0] = "pids:..";
  v[1] = "memory:../c1y";
  assert_null (exec_synth_cgroup_escape_with (&values, false, paths)); /* pids refused */
  v[0] = "a";
  v[1] = "b"; /* two values without a controller: runc refuses */
  assert_null (exec_synth_cgroup_escape_with (&values, false, paths));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_scanner),
    cmocka_unit_test_setup_teardown (test_record_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown (test_record_identity, setup, teardown),
    cmocka_unit_test_setup_teardown (test_record_keep, setup, teardown),
    cmocka_unit_test_setup_teardown (test_record_kept_when_same, setup, teardown),
    cmocka_unit_test_setup_teardown (test_record_sweep, setup, teardown),
    cmocka_unit_test_setup_teardown (test_peek_reads_trusted_files_only, setup, teardown),
    cmocka_unit_test_setup_teardown (test_health_once_per_version, setup, teardown),
    cmocka_unit_test_setup_teardown (test_view_runtime_from_stamp, setup, teardown),
    cmocka_unit_test_setup_teardown (test_path_trusted_container_root, setup, teardown),
    cmocka_unit_test (test_stream_fd_names),
    cmocka_unit_test (test_stream_hand_on),
    cmocka_unit_test (test_cgroup_escape),
    cmocka_unit_test (test_cgroup_escape_runc_paths),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
