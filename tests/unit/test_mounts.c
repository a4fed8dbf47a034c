/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the sensitive-mounts rule (policy/rules/mounts.c, binds*.c) and the
 * mount-propagation rule (propagation.c) in the cases the fixture driver (test_rules.c) cannot
 * express: whole-component matching through symlinks, non-default parameters (engine-owned
 * entries with dest=/ro, custom sensitive lists, CRI and CRI-O runtime roots), bind sources that
 * are missing, magic links or swappable, a sensitive directory mounted under another name, kernel
 * filesystems, engine sockets by what they are, the engines' per-container files belonging to one
 * container, relative sources, the runtime's own state, and the fake host's mount table, sockets
 * and callers (tests/unit/fake_host.c).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "util.h"

extern const struct rule rule_sensitive_mounts;
extern const struct rule rule_mount_propagation;

/* ---- the host and the calls ---- */

/* The fake host, plus two symlinks into sensitive places.  */
static int
setup_links (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_add_symlink ("/srv/link-to-etc", "/etc");
  fake_host_add_symlink ("/srv/link-to-run", "/var/run");
  *state = r;
  return 0;
}

/* A config.json judged as police.c judges one read from bundle directory `dir` (NULL: a
 * document from a buffer).  */
static size_t
check_in (struct harness *r, const struct rule *rule, const char *json, const char *dir)
{
  return harness_check_call (r, rule, json, &(struct call){ .bundle_dir = dir });
}

/* A config judged as the document of a call with runtime root `root` (NULL: none known).  */
static size_t
check_with_root (struct harness *r, const char *json, const char *root)
{
  return harness_check_call (r, &rule_sensitive_mounts, json,
                             &(struct call){ .runtime_root = root });
}

#define TMPFS_DEV 0x3a /* 0:58 */

/* Who calls, with which bundle, for which container.  */
struct caller
{
  const char *dir;
  const char *root;
  bool explicit_root;
  const char *id;
};

static size_t
check_as (struct harness *r, const struct rule *rule, const char *json, const struct caller *c)
{
  const struct call call = { .bundle_dir = c ? c->dir : NULL,
                             .runtime_root = c ? c->root : NULL,
                             .runtime_root_explicit = c && c->explicit_root,
                             .container_id = c ? c->id : NULL };

  return harness_check_call (r, rule, json, &call);
}

static size_t
check (struct harness *r, const char *json)
{
  return check_as (r, &rule_sensitive_mounts, json, NULL);
}

/* One mount, with namespaces and annotations as given (JSON members, may be empty).  */
static char *
config (const char *mount, const char *extra)
{
  return xasprintf ("{\"ociVersion\":\"1.0.2\",\"mounts\":[%s]%s%s}", mount, *extra ? "," : "",
                    extra);
}

static char *
bind (const char *src, const char *dest, const char *opts)
{
  return xasprintf ("{\"destination\":\"%s\",\"type\":\"bind\",\"source\":\"%s\",\"options\":[%s]}",
                    dest, src, opts);
}

static size_t
check_bind (struct harness *r, const char *src, const char *dest, const char *opts)
{
  cleanup_free char *m = bind (src, dest, opts);
  cleanup_free char *json = config (m, "");
  return check (r, json);
}

/* ---- paths, by name ---- */

#define BIND(src, dest, opts)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"mounts\":[{\"destination\":\"" dest "\",\"type\":\"bind\","         \
  "\"source\":\"" src "\",\"options\":[" opts "]}],"                                               \
  "\"annotations\":{\"io.kubernetes.cri.sandbox-uid\":\"u1\"}}"

static void
test_mounts_sockets (void **state)
{
  struct harness *r = *state;

  /* Binding a parent directory exposes the sockets in it, through symlinks too.  */
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")),
                    1);
  assert_true (harness_found (r, "engine socket"));
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/link-to-run", "/r", "\"rbind\"")),
      1);
  assert_true (harness_found (r, "engine socket"));
  /* By basename anywhere, even read-only.  */
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts,
                         BIND ("/home/u/.docker/run/docker.sock", "/d", "\"rbind\",\"ro\"")),
      1);
  assert_true (harness_found (r, "read-only bind"));
  /* No engine-owned pattern can allow a socket.  */
  harness_param (r, "sensitive-mounts", "engine_owned_paths", HARNESS_LIST ("/run"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")),
                    1);
  harness_param (r, "sensitive-mounts", "engine_owned_paths", NULL);
  /* An explicitly empty socket list means none; /run is still a parent of /run/containerd.  */
  harness_param (r, "sensitive-mounts", "engine_sockets", HARNESS_EMPTY_LIST);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")),
                    1);
  assert_true (harness_found (r, "sensitive host path"));
}

static void
test_mounts_sensitive (void **state)
{
  struct harness *r = *state;

  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/link-to-etc/ssh", "/s", "")), 1);
  assert_true (harness_found (r, "`/etc/ssh`"));
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/lib/modules", "/m", "\"ro\"")), 1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/m", "")), 0);
  /* The pod's own kubelet directory, not another pod's, and no `..` escape.  */
  assert_int_equal (
      harness_check_doc (
          r, &rule_sensitive_mounts,
          BIND ("/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/c", "/c", "")),
      0);
  assert_int_equal (
      harness_check_doc (
          r, &rule_sensitive_mounts,
          BIND ("/var/lib/kubelet/pods/u2/volumes/kubernetes.io~empty-dir/c", "/c", "")),
      1);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts,
                         BIND ("/var/lib/kubelet/pods/u1/volumes/../../../../../../etc", "/c", "")),
      1);
  /* A custom sensitive list replaces the default.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/srv/secret"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/etc", "/e", "")), 0);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv", "/e", "")), 1);
  harness_param (r, "sensitive-mounts", "paths", NULL);
}

static void
test_mounts_engine_owned_fields (void **state)
{
  struct harness *r = *state;

  harness_param (r, "sensitive-mounts", "engine_owned_paths",
                 HARNESS_LIST ("/usr/bin/tini dest=/init ro", "/etc/x bogus"));
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "\"ro\"")), 0);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "//init/", "\"ro\"")),
      0);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "")), 1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts,
                                       BIND ("/usr/bin/tini", "/init", "\"ro\",\"rw\"")),
                    1);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/sbin/x", "\"ro\"")),
      1);
  /* An entry with an unknown field allows nothing.  */
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/etc/x", "/x", "")), 1);
  harness_param (r, "sensitive-mounts", "engine_owned_paths", NULL);
}

/* A pod container's bind of its own kubelet volume, as containerd's CRI plugin writes it.  */
#define POD_BIND(uid)                                                                              \
  "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.kubernetes.cri.sandbox-uid\":\"" uid "\","      \
  "\"io.kubernetes.cri.sandbox-id\":\"abc\"},\"mounts\":[{\"destination\":\"/data\","              \
  "\"type\":\"bind\",\"source\":\"/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/d\","   \
  "\"options\":[\"rbind\",\"rw\"]}]}"

/* Review follow-up: `docker run --annotation io.kubernetes.cri.sandbox-uid=<victim>` must not
 * open another pod's kubelet directory.  The CRI patterns apply only under CRI's runc root.  */
static void
test_mounts_cri_annotations_need_cri_root (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_with_root (r, POD_BIND ("u1"), "/run/containerd/runc/k8s.io"), 0);
  /* Another pod's uid, even under CRI's root: not this pod's directory.  */
  assert_int_equal (check_with_root (r, POD_BIND ("u2"), "/run/containerd/runc/k8s.io"), 1);
  /* The same annotations from Docker's or Podman's runtime root prove nothing.  */
  assert_int_equal (check_with_root (r, POD_BIND ("u1"), "/run/docker/runtime-runc/moby"), 1);
  assert_int_equal (check_with_root (r, POD_BIND ("u1"), "/run/runc"), 1);
  assert_int_equal (check_with_root (r, POD_BIND ("u1"), NULL), 1);
  /* An operator running CRI with another state dir lists its root.  */
  harness_param (r, "sensitive-mounts", "cri_runtime_roots",
                 HARNESS_LIST ("/srv/containerd/runc/k8s.io"));
  assert_int_equal (check_with_root (r, POD_BIND ("u1"), "/srv/containerd/runc/k8s.io"), 0);
  harness_param (r, "sensitive-mounts", "cri_runtime_roots", NULL);
}

/* Review finding 2, first half: a source that does not exist has only a guessed canonical form,
 * and runc resolves it later, after the container's earlier mounts.  */
static void
test_mounts_missing_source (void **state)
{
  struct harness *r = *state;

  fake_host_add_missing ("/srv/gone");
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/gone/x", "/x", "")),
                    1);
  assert_true (harness_found (r, "`/srv/gone/x` of the bind at `/x` does not exist"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/gone", "/x", "")), 1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/gone2", "/x", "")),
                    0);
}

/* Review finding 3: /proc/<pid>/root, /cwd, /fd/N are read as text by realpath and followed by the
 * kernel; the raw path, its canonical form and the file identity are all checked.  */
static void
test_mounts_magic_links (void **state)
{
  struct harness *r = *state;

  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/proc/4242/root/hostlink", "/h", "")),
      1);
  assert_true (harness_found (r, "is under `/proc`, whose magic links"));
  /* Custom sensitive lists do not matter: it is never judgeable.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/srv/secret"));
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/../proc/1/cwd", "/h", "")), 1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/dev/stdin", "/h", "")),
                    1);
  assert_true (harness_found (r, "`/dev/stdin`, whose magic links"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/dev/fd/3/x", "/h", "")),
                    1);
  /* A symlink elsewhere that leads into /proc: caught on the canonical path.  */
  fake_host_add_symlink ("/srv/to-proc", "/proc/4242/root");
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/to-proc/etc", "/h", "")), 1);
  assert_true (harness_found (r, "(`/proc/4242/root/etc`)"));
  /* A path whose file is not the one its canonical form names (procfs mounted elsewhere).  */
  fake_host_add_alias ("/srv/other-proc");
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/other-proc/1/root", "/h", "")), 1);
  assert_true (harness_found (r, "is not the file its canonical path `/srv/other-proc/1/root`"));
  /* Look-alikes are not /proc.  */
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/proc/1/root", "/h", "")), 0);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/devfd", "/h", "")), 0);
  harness_param (r, "sensitive-mounts", "paths", NULL);
}

/* Review finding 4: a directory the container user can write (a subdirectory of a volume whose
 * _data belongs to the container) lets a symlink be swapped in after the check.  Engine-owned
 * patterns do not excuse it.  */
static void
test_mounts_untrusted_source (void **state)
{
  struct harness *r = *state;

  fake_host_add_untrusted ("/srv/shared");
  fake_host_add_untrusted ("/var/lib/docker/volumes/v/_data");
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/shared/dir", "/d", "")), 1);
  assert_true (harness_found (r, "could be swapped for another path before runc mounts it: "
                                 "`/srv/shared` is writable by group or others"));
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts,
                                       BIND ("/var/lib/docker/volumes/v/_data/dir", "/d", "")),
                    1);
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts,
                                       BIND ("/var/lib/docker/volumes/w/_data", "/d", "")),
                    0);
  /* Through a symlink: the canonical path is what the fake judges.  */
  fake_host_add_symlink ("/srv/link-to-shared", "/srv/shared");
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/link-to-shared/x", "/d", "")), 1);
}

/* A host without the facts (a test double, an older caller) denies every bind: fail closed.  */
static void
test_mounts_facts_missing (void **state)
{
  struct harness *r = *state;
  struct host_facts saved = r->host;

  r->host.path_exists = NULL;
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  r->host = saved;
  r->host.same_file = NULL;
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  r->host = saved;
  r->host.path_trusted = NULL;
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  assert_true (harness_found (r, "ocigate cannot check who may change it"));
  r->host = saved;
  assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 0);
}

#define ROOT_BIND(root, src)                                                                       \
  "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"" root "\"},\"mounts\":[{\"destination\":"       \
  "\"/host\",\"type\":\"bind\",\"source\":\"" src "\",\"options\":[\"rbind\",\"rw\"]}]}"

/* Review finding 2, second half: `<bundle>/rootfs/proc/1/root` after the /proc mount wrote to the
 * host's /.  Below the rootfs or a parent of it: denied; a sibling of the bundle is fine.  */
static void
test_mounts_own_rootfs (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_in (r, &rule_sensitive_mounts,
                              ROOT_BIND ("rootfs", "/srv/b1/rootfs/proc/1/root"), "/srv/b1"),
                    1);
  assert_true (harness_found (r, "reaches into the container's own root filesystem "
                                 "`/srv/b1/rootfs`"));
  assert_int_equal (
      check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv/b1/rootfs"), "/srv/b1"), 1);
  assert_int_equal (
      check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv/b1"), "/srv/b1"), 1);
  assert_int_equal (check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv"), "/srv/b1"),
                    1);
  assert_int_equal (
      check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv/b1-data"), "/srv/b1"), 0);
  /* An absolute rootfs, reached through a symlink.  */
  fake_host_add_symlink ("/srv/current", "/srv/images/v2");
  assert_int_equal (check_in (r, &rule_sensitive_mounts,
                              ROOT_BIND ("/srv/current", "/srv/images/v2/proc/1/root"), NULL),
                    1);
  /* "/" as rootfs is the rootfs rule's finding, not one per bind.  */
  assert_int_equal (check_in (r, &rule_sensitive_mounts, ROOT_BIND ("/", "/srv/data"), NULL), 0);
  /* An unresolvable rootfs is the rootfs rule's finding too.  */
  assert_int_equal (check_in (r, &rule_sensitive_mounts, ROOT_BIND ("rootfs", "/srv/data"), NULL),
                    0);
}

/* The defaults added after the review (finding 5): code root runs later, PID 1's and the bus's
 * control sockets, the cluster's secrets, the host's logs.  */
static void
test_mounts_new_sensitive_defaults (void **state)
{
  static const char *const denied[]
      = { "/var/spool/cron/crontabs", "/var/lib/dpkg/info", "/var/lib/rpm",  "/opt/cni/bin",
          "/run/systemd/private",     "/var/run/dbus",      "/var/lib/etcd", "/var/log/syslog" };
  struct harness *r = *state;
  char json[512];

  for (size_t i = 0; i < ARRAY_SIZE (denied); i++)
    {
      snprintf (json, sizeof json, BIND ("%s", "/h", "\"ro\""), denied[i]);
      assert_int_equal (harness_check_doc (r, &rule_sensitive_mounts, json), 1);
      assert_true (harness_found (r, "sensitive host path"));
    }
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/var/lib/myapp", "/h", "")), 0);
  assert_int_equal (
      harness_check_doc (r, &rule_sensitive_mounts, BIND ("/var/logs-archive", "/h", "")), 0);
}

/* ---- a sensitive directory under another name ---- */

/* `podman volume create --opt type=none --opt o=bind --opt device=/etc v` mounts /etc on the
 * volume's _data; so does Docker's local driver under /var/lib/docker/volumes.  */
static void
test_volume_with_etc_mounted (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_bind (r, "/var/lib/docker/volumes/v/_data", "/x", "\"rbind\""), 0);
  assert_int_equal (check_bind (r, "/srv/vol/_data", "/x", "\"rbind\""), 0);
  fake_host_add_mount ("/var/lib/docker/volumes/v/_data", FAKE_ROOT_DEV, "/etc", "ext4");
  fake_host_add_mount ("/srv/vol/_data", FAKE_ROOT_DEV, "/etc/ssh", "ext4");
  fake_host_add_mount ("/var/lib/containers/storage/volumes/w/_data", FAKE_ROOT_DEV, "/", "ext4");
  assert_int_equal (check_bind (r, "/var/lib/docker/volumes/v/_data", "/x", "\"rbind\""), 1);
  assert_true (harness_found (r,
                              "shows the sensitive host path `/etc` under another name: what is "
                              "mounted at `/var/lib/docker/volumes/v/_data` (`/etc` of filesystem "
                              "254:0) is that path or lies below it (CIS 5.6)"));
  /* Below the mount, and read-only, and a part of /etc.  */
  assert_int_equal (check_bind (r, "/var/lib/docker/volumes/v/_data/ssh", "/x", "\"ro\""), 1);
  assert_true (harness_found (r, "read-only bind"));
  assert_int_equal (check_bind (r, "/srv/vol/_data", "/x", ""), 1);
  /* The host's root filesystem itself.  */
  assert_int_equal (check_bind (r, "/var/lib/containers/storage/volumes/w/_data", "/x", ""), 1);
  assert_true (harness_found (r, "`/`"));
  /* A tmpfs volume shows nothing of the host.  */
  fake_host_add_mount ("/var/lib/docker/volumes/t/_data", TMPFS_DEV, "/", "tmpfs");
  assert_int_equal (check_bind (r, "/var/lib/docker/volumes/t/_data", "/x", "\"rbind\""), 0);
}

/* Another container's state bound onto a volume: below /var/lib/docker by name, but not the
 * volume's own directory.  */
static void
test_volume_with_engine_state_mounted (void **state)
{
  struct harness *r = *state;

  fake_host_add_mount ("/var/lib/docker/volumes/v/_data", FAKE_ROOT_DEV,
                       "/var/lib/docker/containers/other", "ext4");
  assert_int_equal (check_bind (r, "/var/lib/docker/volumes/v/_data", "/x", ""), 1);
  assert_true (harness_found (r, "`/var/lib/docker` under another name"));
}

/* Mounts whose place agrees with their name are judged by name: a data root bound from another
 * disk or directory, kubelet's self-bind for shared propagation.  */
static void
test_honest_mounts (void **state)
{
  struct harness *r = *state;
  struct caller docker = { NULL, NULL, false, "abc" };
  struct caller cri = { NULL, "/run/containerd/runc/k8s.io", true, "c1" };
  cleanup_free char *m = bind ("/var/lib/docker/containers/abc/hosts", "/etc/hosts", "\"rbind\"");
  cleanup_free char *json = config (m, "");
  cleanup_free char *v
      = bind ("/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/d", "/d", "\"rbind\"");
  cleanup_free char *pod = config (v, "\"annotations\":{\"io.kubernetes.cri.sandbox-uid\":\"u\"}");

  fake_host_add_mount ("/var/lib/docker", FAKE_ROOT_DEV, "/data/docker", "ext4");
  fake_host_add_mount ("/var/lib/kubelet", FAKE_ROOT_DEV, "/var/lib/kubelet", "ext4");
  assert_int_equal (check_as (r, &rule_sensitive_mounts, json, &docker), 0);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, pod, &cri), 0);
  /* ... but /data/docker is /var/lib/docker under another name.  */
  assert_int_equal (check_bind (r, "/data/docker/containers", "/x", ""), 1);
  assert_true (harness_found (r, "`/var/lib/docker` under another name"));
  assert_int_equal (check_bind (r, "/data", "/x", ""), 1);
  assert_true (harness_found (r, "holds that path"));
  assert_int_equal (check_bind (r, "/data/other", "/x", ""), 0);
}

/* ---- kernel filesystems ---- */

static void
test_kernel_filesystems (void **state)
{
  struct harness *r = *state;

  fake_host_add_mount ("/srv/p", 0x15, "/", "proc");
  fake_host_add_mount ("/srv/tree/ns/net1", 0x4, "net:[4026532100]", "nsfs");
  fake_host_add_mount ("/srv/tree/etc", FAKE_ROOT_DEV, "/etc", "ext4");
  fake_host_add_mount ("/srv/tree2/pts", 0x18, "/", "devpts");
  assert_int_equal (check_bind (r, "/srv/p", "/x", ""), 1);
  assert_true (harness_found (r, "shows `/srv/p`, a mount of the host's `proc` filesystem"));
  assert_int_equal (check_bind (r, "/srv/p/1", "/x", ""), 1);
  /* rbind carries the mounts below the source; bind does not.  */
  assert_int_equal (check_bind (r, "/srv/tree", "/x", "\"rbind\""), 1);
  assert_true (harness_found (r, "`nsfs`"));
  assert_int_equal (check_bind (r, "/srv/tree", "/x", "\"bind\""), 0);
  assert_int_equal (check_bind (r, "/srv/tree/etc", "/x", "\"bind\""), 1);
  assert_int_equal (check_bind (r, "/srv/tree2", "/x", "\"rbind\""), 1);
  assert_true (harness_found (r, "`devpts`"));
}

/* ---- engine sockets by what they are ---- */

static void
test_engine_sockets_anywhere (void **state)
{
  struct harness *r = *state;

  /* A containerd in k3s's layout under some other root.  */
  fake_host_add_listener ("/srv/k3s/run/k3s/containerd/containerd.sock", 4242,
                          "/usr/bin/containerd");
  fake_host_add_listener ("/srv/app/run/app.sock", 5151, "/usr/bin/python3");
  fake_host_set_mode ("/srv/k3s/run/k3s/containerd/containerd.sock", S_IFSOCK | 0660);
  assert_int_equal (check_bind (r, "/srv/k3s/run/k3s/containerd", "/x", "\"rbind\""), 1);
  assert_true (
      harness_found (r, "exposes the socket `/srv/k3s/run/k3s/containerd/containerd.sock` that "
                        "`containerd` (pid 4242) listens on, an engine or node control socket "
                        "(CIS 5.32)"));
  assert_int_equal (check_bind (r, "/srv/k3s", "/x", "\"rbind\",\"ro\""), 1);
  assert_int_equal (check_bind (r, "/srv/k3s/run/k3s/containerd/containerd.sock", "/x", ""), 1);
  /* Anybody else's socket is fine.  */
  assert_int_equal (check_bind (r, "/srv/app/run", "/x", "\"rbind\""), 0);
  /* A regular file holds no socket.  */
  fake_host_set_mode ("/srv/k3s/run/k3s/containerd/config.toml", S_IFREG | 0644);
  assert_int_equal (check_bind (r, "/srv/k3s/run/k3s/containerd/config.toml", "/x", ""), 0);
}

/* The daemon is known by its executable's identity, or by its name (an upgrade replaced the
 * binary, or it runs from elsewhere) -- the name can only deny more.  */
static void
test_engine_sockets_daemon_identity (void **state)
{
  struct harness *r = *state;

  fake_host_add_listener ("/srv/a/d.sock", 1, "/usr/sbin/dockerd");
  fake_host_add_listener ("/srv/b/x.sock", 2, "/usr/bin/kubelet (deleted)");
  fake_host_add_listener ("/srv/c/x.sock", 3, "/opt/vendor/bin/buildkitd");
  fake_host_add_listener ("/srv/d/x.sock", 4, "/opt/vendor/bin/mydaemon");
  assert_int_equal (check_bind (r, "/srv/a", "/x", ""), 1);
  assert_true (harness_found (r, "`dockerd` (pid 1)"));
  assert_int_equal (check_bind (r, "/srv/b", "/x", ""), 1);
  assert_true (harness_found (r, "`kubelet` (pid 2)"));
  assert_int_equal (check_bind (r, "/srv/c", "/x", ""), 1);
  assert_int_equal (check_bind (r, "/srv/d", "/x", ""), 0);
  /* The operator names another daemon; then only it counts.  */
  harness_param (r, "sensitive-mounts", "engine_binaries",
                 HARNESS_LIST ("/opt/vendor/bin/mydaemon"));
  assert_int_equal (check_bind (r, "/srv/d", "/x", ""), 1);
  assert_int_equal (check_bind (r, "/srv/a", "/x", ""), 0);
  harness_param (r, "sensitive-mounts", "engine_binaries", NULL);
}

/* A socket the kernel reports on a filesystem the bind shows, whose place cannot be told; and a
 * host that cannot be asked.  */
static void
test_engine_sockets_unknown (void **state)
{
  struct harness *r = *state;
  struct host_facts saved = r->host;

  fake_host_add_listener (NULL, 7, "/usr/bin/containerd");
  assert_int_equal (check_bind (r, "/srv/data", "/x", "\"rbind\""), 1);
  assert_true (harness_found (r, "may expose a socket that `containerd` (pid 7) listens on"));
  fake_host_init (&r->host);
  r->host.unix_listeners = NULL;
  assert_int_equal (check_bind (r, "/srv/data", "/x", "\"rbind\""), 1);
  assert_true (harness_found (r, "cannot ask the kernel which sockets listen there"));
  r->host = saved;
}

/* ---- proc and sysfs only where the masks are ---- */

#define FS(type, dest, opts)                                                                       \
  "{\"ociVersion\":\"1.0.2\",\"mounts\":[{\"destination\":\"" dest "\",\"type\":\"" type "\","     \
  "\"source\":\"" type "\",\"options\":[" opts "]}]}"

static void
test_proc_sysfs_destinations (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check (r, FS ("sysfs", "/sys", "\"ro\"")), 0);
  assert_int_equal (check (r, FS ("sysfs", "//sys/", "\"nosuid\",\"ro\"")), 0);
  assert_int_equal (check (r, FS ("sysfs", "sys", "\"ro\"")), 0);
  assert_int_equal (check (r, FS ("proc", "/proc", "")), 0);
  assert_int_equal (check (r, FS ("sysfs", "/hostsys", "\"ro\"")), 1);
  assert_true (
      harness_found (r, "`sysfs` mounted at `/hostsys`: the masked paths hide the host's `/sys` "
                        "only at `/sys`"));
  assert_int_equal (check (r, FS ("sysfs", "/sys/kernel", "\"ro\"")), 1);
  assert_int_equal (check (r, FS ("proc", "/hostproc", "")), 1);
  assert_int_equal (check (r, FS ("proc", "/proc/../p", "")), 1);
  /* Writable is still refused at /sys.  */
  assert_int_equal (check (r, FS ("sysfs", "/sys", "\"rw\"")), 1);
  assert_true (harness_found (r, "mounted read-write"));
}

/* ---- engine-owned paths belong to one container ---- */

#define PODMAN_G "/var/lib/containers/storage/overlay-containers"
#define PODMAN_R "/run/containers/storage/overlay-containers"

static void
test_podman_userdata_own_only (void **state)
{
  struct harness *r = *state;
  struct caller podman = { PODMAN_G "/aaa/userdata", "/run/runc", false, "aaa" };
  cleanup_free char *own = bind (PODMAN_R "/aaa/userdata/hosts", "/etc/hosts", "\"bind\"");
  cleanup_free char *other = bind (PODMAN_G "/bbb/userdata/config.json", "/x", "\"bind\"");
  cleanup_free char *own_json = config (own, "");
  cleanup_free char *other_json = config (other, "");
  cleanup_free char *faked = config (other, "\"annotations\":{\"ocigate.container-id\":\"bbb\"}");

  assert_int_equal (check_as (r, &rule_sensitive_mounts, own_json, &podman), 0);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, other_json, &podman), 1);
  assert_true (harness_found (r, "exposes the sensitive host path `/var/lib/containers`"));
  /* No annotation stands in for the container id.  */
  assert_int_equal (check_as (r, &rule_sensitive_mounts, faked, &podman), 1);
  podman.id = NULL;
  assert_int_equal (check_as (r, &rule_sensitive_mounts, own_json, &podman), 1);
}

/* A Podman pod's container (or `--ipc container:X`) binds the infra's shm and joins its IPC
 * namespace by /proc/<pid>/ns/ipc: allowed when that process has the very same shm at /dev/shm.  */
static void
test_shared_with_joined_namespace (void **state)
{
  struct harness *r = *state;
  struct caller podman = { PODMAN_G "/ccc/userdata", "/run/runc", false, "ccc" };
  cleanup_free char *shm = bind (PODMAN_G "/infra/userdata/shm", "/dev/shm", "\"bind\"");
  cleanup_free char *shm_x = bind (PODMAN_G "/infra/userdata/shm", "/x", "\"bind\"");
  cleanup_free char *joined = config (
      shm, "\"linux\":{\"namespaces\":[{\"type\":\"ipc\",\"path\":\"/proc/77/ns/ipc\"}]}");
  cleanup_free char *joined_x = config (
      shm_x, "\"linux\":{\"namespaces\":[{\"type\":\"ipc\",\"path\":\"/proc/77/ns/ipc\"}]}");
  cleanup_free char *alone = config (shm, "");

  fake_host_add_mount (PODMAN_G "/infra/userdata/shm", TMPFS_DEV, "/", "tmpfs");
  assert_int_equal (check_as (r, &rule_sensitive_mounts, joined, &podman), 1);
  fake_host_add_process_mount (77, "/dev/shm", TMPFS_DEV + 1, "/");
  assert_int_equal (check_as (r, &rule_sensitive_mounts, joined, &podman), 1);
  fake_host_add_process_mount (77, "/dev/shm", TMPFS_DEV, "/");
  assert_int_equal (check_as (r, &rule_sensitive_mounts, joined, &podman), 0);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, alone, &podman), 1);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, joined_x, &podman), 1);
}

/* `docker run --net container:X` binds X's hosts, hostname and resolv.conf.  */
static void
test_docker_net_container (void **state)
{
  struct harness *r = *state;
  struct caller docker = { NULL, "/run/docker/runtime-runc/moby", true, "mine" };
  cleanup_free char *hosts
      = bind ("/var/lib/docker/containers/x1/hosts", "/etc/hosts", "\"rbind\"");
  cleanup_free char *json = config (
      hosts, "\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/88/ns/net\"}]}");

  fake_host_set_mode ("/var/lib/docker/containers/x1/hosts", S_IFREG | 0644);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, json, &docker), 1);
  fake_host_add_process_mount (88, "/etc/hosts", FAKE_ROOT_DEV,
                               "/var/lib/docker/containers/x1/hosts");
  assert_int_equal (check_as (r, &rule_sensitive_mounts, json, &docker), 0);
}

/* CRI-O: the sandbox's run directory and the pod's kubelet directory, named by annotations CRI-O
 * sets itself -- believed only when CRI-O is the caller, which passes its runtime root.  */
static void
test_crio_annotations_need_crio_root (void **state)
{
  struct harness *r = *state;
  struct caller crio = { PODMAN_R "/ctr/userdata", "/run/runc", true, "ctr" };
  struct caller podman = { PODMAN_G "/ctr/userdata", "/run/runc", false, "ctr" };
  struct caller docker = { NULL, "/run/docker/runtime-runc/moby", true, "ctr" };
  cleanup_free char *m1
      = bind (PODMAN_R "/sb1/userdata/resolv.conf", "/etc/resolv.conf", "\"bind\"");
  cleanup_free char *m2
      = xasprintf ("{\"destination\":\"/data\",\"source\":\"/var/lib/kubelet/pods/u1/volumes/"
                   "kubernetes.io~secret/s\",\"options\":[\"rbind\",\"rprivate\",\"ro\"]}");
  const char *ann = "\"annotations\":{\"io.kubernetes.cri-o.SandboxID\":\"sb1\","
                    "\"io.kubernetes.pod.uid\":\"u1\"}";
  cleanup_free char *j1 = config (m1, ann);
  cleanup_free char *j2 = config (m2, ann);

  assert_int_equal (check_as (r, &rule_sensitive_mounts, j1, &crio), 0);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j2, &crio), 0);
  /* Podman passes no --root (so /run/runc is only runc's default), Docker its own.  */
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j1, &podman), 1);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j2, &podman), 1);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j1, &docker), 1);
  /* crun's root counts too, and /var/run is /run.  */
  crio.root = "/var/run/crun";
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j2, &crio), 0);
  /* An operator's own CRI-O root.  */
  crio.root = "/srv/crio/runc";
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j2, &crio), 1);
  harness_param (r, "sensitive-mounts", "crio_runtime_roots", HARNESS_LIST ("/srv/crio/runc"));
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j2, &crio), 0);
  harness_param (r, "sensitive-mounts", "crio_runtime_roots", NULL);
}

/* `podman run --init`: catatonit, bound read-only at /run/podman-init.  */
static void
test_podman_init (void **state)
{
  struct harness *r = *state;

  fake_host_add_symlink ("/usr/libexec/podman/catatonit", "/usr/bin/catatonit");
  fake_host_set_mode ("/usr/bin/catatonit", S_IFREG | 0755);
  assert_int_equal (check_bind (r, "/usr/libexec/podman/catatonit", "/run/podman-init",
                                "\"bind\",\"ro\",\"rprivate\""),
                    0);
  assert_int_equal (check_bind (r, "/usr/bin/catatonit", "/run/podman-init", "\"bind\",\"ro\""), 0);
  assert_int_equal (check_bind (r, "/usr/libexec/podman/catatonit", "/run/podman-init", "\"bind\""),
                    1);
  assert_int_equal (
      check_bind (r, "/usr/libexec/podman/catatonit", "/sbin/init", "\"bind\",\"ro\""), 1);
  assert_int_equal (check_bind (r, "/usr/bin/tini", "/run/podman-init", "\"bind\",\"ro\""), 1);
}

/* ---- relative sources, the bundle, the runtime's state ---- */

static size_t
check_in_bundle (struct harness *r, const char *src, const char *dest, const char *dir)
{
  struct caller c = { dir, "/run/runc", false, "c1" };
  cleanup_free char *m = bind (src, dest, "\"rbind\"");
  cleanup_free char *json
      = xasprintf ("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"mounts\":[%s]}", m);

  return check_as (r, &rule_sensitive_mounts, json, &c);
}

/* runc joins a relative source to the bundle (runc's own userns.bats binds
 * `source-accessible/dir`), and so does crun.  */
static void
test_relative_sources (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_in_bundle (r, "source-accessible/dir", "/x", "/srv/b1"), 0);
  assert_int_equal (check_in_bundle (r, "./source-accessible//dir", "/x", "/srv/b1"), 0);
  assert_int_equal (check_in_bundle (r, "rootfs/proc", "/x", "/srv/b1"), 1);
  assert_true (
      harness_found (r, "reaches into the container's own root filesystem `/srv/b1/rootfs`"));
  assert_int_equal (check_in_bundle (r, "config.json", "/x", "/srv/b1"), 1);
  assert_true (harness_found (r, "exposes the bundle's `/srv/b1/config.json`"));
  assert_int_equal (check_in_bundle (r, ".", "/x", "/srv/b1"), 1);
  assert_int_equal (check_in_bundle (r, "../../etc", "/x", "/srv/b1"), 1);
  assert_true (harness_found (r, "with `..`: runc and crun resolve it differently"));
  assert_int_equal (check_in_bundle (r, "a/../b", "/x", "/srv/b1"), 1);
  /* Relative to a bundle that holds a sensitive path.  */
  assert_int_equal (check_in_bundle (r, "etc", "/x", "/"), 1);
  assert_true (harness_found (r, "sensitive host path `/etc`"));
  assert_int_equal (check_in_bundle (r, "dir", "/x", NULL), 1);
  assert_true (harness_found (r, "the bundle directory it is relative to is unknown"));
}

static void
test_runtime_state (void **state)
{
  struct harness *r = *state;
  struct caller docker = { NULL, "/srv/exec/runtime-runc/moby", true, "c1" };
  cleanup_free char *m1 = bind ("/srv/exec/runtime-runc/moby/c2", "/x", "\"rbind\"");
  cleanup_free char *m2 = bind ("/srv/exec", "/x", "\"rbind\"");
  cleanup_free char *m3 = bind ("/srv/exec-data", "/x", "\"rbind\"");
  cleanup_free char *j1 = config (m1, "");
  cleanup_free char *j2 = config (m2, "");
  cleanup_free char *j3 = config (m3, "");

  assert_int_equal (check_as (r, &rule_sensitive_mounts, j1, &docker), 1);
  assert_true (
      harness_found (r, "exposes the runtime's state directory `/srv/exec/runtime-runc/moby`"));
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j2, &docker), 1);
  assert_int_equal (check_as (r, &rule_sensitive_mounts, j3, &docker), 0);
}

/* ---- mount-propagation ---- */

static void
test_propagation_rewrite_records (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (
      "{\"ociVersion\":\"1.0.2\",\"mounts\":[{\"destination\":\"/a\",\"type\":\"bind\","
      "\"source\":\"/srv\",\"options\":[\"rbind\",\"rshared\"]}],"
      "\"linux\":{\"rootfsPropagation\":\"shared\"}}",
      SPEC_CONFIG);
  cleanup_error ocg_error_t err = NULL;
  struct rule_ctx ctx
      = engine_rule_ctx (r->policy, &r->host, &r->call, spec, &rule_mount_propagation);
  const char *value = NULL;

  findings_clear (&r->found);
  assert_int_equal (rule_mount_propagation.check (&ctx, &r->found, &err), 0);
  assert_int_equal (r->found.n, 2);
  assert_true (r->found.items[0].fixable);
  assert_int_equal (rule_mount_propagation.rewrite (&ctx, spec, &err), 0);
  assert_int_equal (spec->n_ops, 2);
  assert_true (spec_get_string (spec, "/mounts/0/options/1", &value));
  assert_string_equal (value, "rprivate");
  assert_true (spec_get_string (spec, "/linux/rootfsPropagation", &value));
  assert_string_equal (value, "slave");
  findings_clear (&r->found);
  assert_int_equal (rule_mount_propagation.check (&ctx, &r->found, &err), 0);
  assert_int_equal (r->found.n, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_mounts_sockets, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_sensitive, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_engine_owned_fields, setup_links,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_cri_annotations_need_cri_root, setup_links,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_missing_source, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_magic_links, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_untrusted_source, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_facts_missing, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_own_rootfs, setup_links, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_new_sensitive_defaults, setup_links,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_volume_with_etc_mounted, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_volume_with_engine_state_mounted, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_honest_mounts, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_kernel_filesystems, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_engine_sockets_anywhere, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_engine_sockets_daemon_identity, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_engine_sockets_unknown, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_proc_sysfs_destinations, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_podman_userdata_own_only, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_shared_with_joined_namespace, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_docker_net_container, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_crio_annotations_need_crio_root, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_podman_init, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_relative_sources, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_runtime_state, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_propagation_rewrite_records, setup_links,
                                     harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
