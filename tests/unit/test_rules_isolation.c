/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the isolation rules (policy/rules/{namespaces,mounts,rootfs,devices,pathmatch}.c)
 * in the cases the fixture driver (test_rules.c, baseline parameters, the shared fake host)
 * cannot express: whole-component matching, non-default policy parameters (engine-owned entries
 * with dest=/ro, device_allow), namespace inodes that differ only in st_dev, facts the host could
 * not provide, bind sources that are missing, magic links or swappable (security review findings
 * 2-4), and root.path against different bundle directories (finding 1).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "pathmatch.h"
#include "util.h"

extern const struct rule rule_host_namespaces;
extern const struct rule rule_sensitive_mounts;
extern const struct rule rule_rootfs;
extern const struct rule rule_mount_propagation;
extern const struct rule rule_devices;

/* ---- the host: tests/unit/fake_host.c plus a few entries ---- */

static bool (*fake_ns_file) (const struct host_facts *, const char *, struct host_ns_file *);

/* The host's netns inode number, but on another device: another namespace (pinned).  */
static bool
other_dev_ns_file (const struct host_facts *host, const char *path, struct host_ns_file *f)
{
  if (strcmp (path, "/run/other-dev/net") != 0)
    return fake_ns_file (host, path, f);
  *f = (struct host_ns_file){
    .id = fake_host_ns (HOST_NS_NETWORK), .nsfs = true, .type = HOST_NS_NETWORK, .pinned = true
  };
  f->id.dev = FAKE_HOST_NS_DEV + 1;
  return true;
}

static void
isolation_host_init (struct host_facts *host)
{
  fake_host_init (host);
  fake_host_add_symlink ("/srv/link-to-etc", "/etc");
  fake_host_add_symlink ("/srv/link-to-run", "/var/run");
  fake_host_add_ns_file ("/run/docker/netns/abc", HOST_NS_NETWORK, false);
  fake_ns_file = host->ns_file;
  host->ns_file = other_dev_ns_file;
}

/* ---- running one rule: the harness (rule_harness.h) ---- */

/* Check `json` with `rule`; returns the number of findings (kept in r->found).  */
static size_t
check_kind (struct harness *r, const struct rule *rule, const char *json, enum spec_kind kind)
{
  cleanup_spec struct spec *spec = harness_load (json, kind);
  size_t n;

  /* A document with CRI annotations comes from CRI, under containerd's runc root (see
   * test_mounts_cri_annotations_need_cri_root for the other roots).  */
  if (spec_get_object (spec, "/annotations") != NULL)
    r->call.runtime_root = "/run/containerd/runc/k8s.io";
  n = harness_check (r, rule, spec);
  r->call = (struct call){ 0 };
  return n;
}

static size_t
check (struct harness *r, const struct rule *rule, const char *json)
{
  return check_kind (r, rule, json, SPEC_CONFIG);
}

/* Check a config.json as police.c would after reading it from bundle directory `dir` (NULL: a
 * document from a buffer).  */
static size_t
check_in (struct harness *r, const struct rule *rule, const char *json, const char *dir)
{
  cleanup_spec struct spec *spec = harness_load (json, SPEC_CONFIG);
  size_t n;

  r->call.bundle_dir = dir;
  n = harness_check (r, rule, spec);
  r->call = (struct call){ 0 };
  return n;
}

static int
setup (void **state)
{
  struct harness *r = harness_new ("baseline");

  isolation_host_init (&r->host);
  *state = r;
  return 0;
}

/* ---- pathmatch ---- */

static void
test_pathmatch_clean (void **state)
{
  static const char *const cases[][2] = {
    { "/", "/" },           { "//etc//", "/etc" },      { "/etc/./ssh/", "/etc/ssh" },
    { "/../..", "/" },      { "/a/b/../../c", "/c" },   { "/dev/pts/../sda", "/dev/sda" },
    { "/a/..b", "/a/..b" }, { "/a/.../b", "/a/.../b" },
  };
  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      cleanup_free char *c = pathmatch_clean (cases[i][0]);
      assert_string_equal (c, cases[i][1]);
      assert_true (pathmatch_is_clean (c));
    }
  assert_null (pathmatch_clean ("etc"));
  assert_null (pathmatch_clean (""));
  assert_false (pathmatch_is_clean ("/etc/"));
  assert_false (pathmatch_is_clean ("/etc//ssh"));
  assert_false (pathmatch_is_clean ("/etc/../x"));
  assert_false (pathmatch_is_clean ("/./etc"));
}

static const char *
lookup_uid (const char *name, const void *data)
{
  (void)data;
  return strcmp (name, "uid") == 0 ? "u1" : NULL;
}

static void
test_pathmatch_components (void **state)
{
  struct pathmatch_vars vars = { lookup_uid, NULL };
  (void)state;

  assert_true (pathmatch_at_or_below ("/etc", "/etc", NULL));
  assert_true (pathmatch_at_or_below ("/etc/ssh", "/etc", NULL));
  assert_false (pathmatch_at_or_below ("/etcetera", "/etc", NULL));
  assert_false (pathmatch_at_or_below ("/library", "/lib", NULL));
  assert_false (pathmatch_at_or_below ("/var/lib/dockerd", "/var/lib/docker", NULL));
  assert_false (pathmatch_at_or_below ("/usr2", "/usr", NULL));
  assert_true (pathmatch_contains ("/var/lib", "/var/lib/docker", NULL));
  assert_true (pathmatch_contains ("/", "/var/lib/docker", NULL));
  assert_false (pathmatch_contains ("/var/li", "/var/lib/docker", NULL));
  assert_false (pathmatch_contains ("/var/lib/docker/x", "/var/lib/docker", NULL));
  /* `*` is exactly one component.  */
  assert_true (pathmatch_at_or_below ("/v/x/_data", "/v/*/_data", NULL));
  assert_true (pathmatch_at_or_below ("/v/x/_data/sub", "/v/*/_data", NULL));
  assert_false (pathmatch_at_or_below ("/v/x/y/_data", "/v/*/_data", NULL));
  assert_false (pathmatch_at_or_below ("/v/x", "/v/*/_data", NULL));
  assert_true (pathmatch_contains ("/run/user/1000", "/run/user/*/docker.sock", NULL));
  /* `{NAME}` is exactly the annotation's value, and nothing when it is absent.  */
  assert_true (pathmatch_at_or_below ("/pods/u1/volumes", "/pods/{uid}", &vars));
  assert_false (pathmatch_at_or_below ("/pods/u2/volumes", "/pods/{uid}", &vars));
  assert_false (pathmatch_at_or_below ("/pods/u1/volumes", "/pods/{other}", &vars));
  assert_false (pathmatch_at_or_below ("/pods/u1/volumes", "/pods/{uid}", NULL));
  assert_string_equal (pathmatch_basename ("/run/docker.sock"), "docker.sock");
  assert_string_equal (pathmatch_basename ("/"), "");
}

/* ---- host-namespaces ---- */

#define NS_CONFIG(net)                                                                             \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"},"  \
  "{\"type\":\"ipc\"},{\"type\":\"uts\"}," net "]}}"

static void
test_namespaces_inodes (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"network\"}")), 0);
  /* Docker's --net=host file, reached through the /var/run symlink.  */
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/var/run/docker/netns/"
                                      "default\"}")),
                    1);
  assert_true (harness_found (r, "CIS 5.10"));
  assert_string_equal (r->found.items[0].path, "/linux/namespaces/4/path");
  assert_false (r->found.items[0].fixable);
  /* Another container's netns.  */
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/docker/netns/abc\"}")),
                    0);
  /* Equal inode numbers on another device are another namespace.  */
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/other-dev/net\"}")),
                    0);
  /* Unresolvable: denied, fail closed.  */
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/proc/999/ns/net\"}")),
                    1);
  assert_true (harness_found (r, "cannot resolve"));
  /* Missing entirely.  */
  assert_int_equal (check (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"cgroup\"}")), 1);
  assert_true (harness_found (r, "no `network` namespace"));
}

static void
test_namespaces_unknown_host (void **state)
{
  struct harness *r = *state;

  r->host.ns[HOST_NS_NETWORK].known = false;
  assert_int_equal (check (r, &rule_host_namespaces,
                           NS_CONFIG ("{\"type\":\"network\",\"path\":\"/run/docker/netns/abc\"}")),
                    1);
  assert_true (harness_found (r, "cannot compare"));
  /* A new namespace needs no comparison.  */
  assert_int_equal (check (r, &rule_host_namespaces, NS_CONFIG ("{\"type\":\"network\"}")), 0);
}

/* ---- sensitive-mounts ---- */

#define BIND(src, dest, opts)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"mounts\":[{\"destination\":\"" dest "\",\"type\":\"bind\","         \
  "\"source\":\"" src "\",\"options\":[" opts "]}],"                                               \
  "\"annotations\":{\"io.kubernetes.cri.sandbox-uid\":\"u1\"}}"

static void
test_mounts_sockets (void **state)
{
  struct harness *r = *state;

  /* Binding a parent directory exposes the sockets in it, through symlinks too.  */
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")), 1);
  assert_true (harness_found (r, "engine socket"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/link-to-run", "/r", "\"rbind\"")),
                    1);
  assert_true (harness_found (r, "engine socket"));
  /* By basename anywhere, even read-only.  */
  assert_int_equal (check (r, &rule_sensitive_mounts,
                           BIND ("/home/u/.docker/run/docker.sock", "/d", "\"rbind\",\"ro\"")),
                    1);
  assert_true (harness_found (r, "read-only bind"));
  /* No engine-owned pattern can allow a socket.  */
  harness_param (r, "sensitive-mounts", "engine_owned_paths", HARNESS_LIST ("/run"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")), 1);
  harness_param (r, "sensitive-mounts", "engine_owned_paths", NULL);
  /* An explicitly empty socket list means none; /run is still a parent of /run/containerd.  */
  harness_param (r, "sensitive-mounts", "engine_sockets", HARNESS_EMPTY_LIST);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/run", "/r", "\"rbind\"")), 1);
  assert_true (harness_found (r, "sensitive host path"));
}

static void
test_mounts_sensitive (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/link-to-etc/ssh", "/s", "")), 1);
  assert_true (harness_found (r, "`/etc/ssh`"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/lib/modules", "/m", "\"ro\"")), 1);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/data", "/m", "")), 0);
  /* The pod's own kubelet directory, not another pod's, and no `..` escape.  */
  assert_int_equal (
      check (r, &rule_sensitive_mounts,
             BIND ("/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/c", "/c", "")),
      0);
  assert_int_equal (
      check (r, &rule_sensitive_mounts,
             BIND ("/var/lib/kubelet/pods/u2/volumes/kubernetes.io~empty-dir/c", "/c", "")),
      1);
  assert_int_equal (
      check (r, &rule_sensitive_mounts,
             BIND ("/var/lib/kubelet/pods/u1/volumes/../../../../../../etc", "/c", "")),
      1);
  /* A custom sensitive list replaces the default.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/srv/secret"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/etc", "/e", "")), 0);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv", "/e", "")), 1);
  harness_param (r, "sensitive-mounts", "paths", NULL);
}

static void
test_mounts_engine_owned_fields (void **state)
{
  struct harness *r = *state;

  harness_param (r, "sensitive-mounts", "engine_owned_paths",
                 HARNESS_LIST ("/usr/bin/tini dest=/init ro", "/etc/x bogus"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "\"ro\"")),
                    0);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "//init/", "\"ro\"")),
                    0);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "")), 1);
  assert_int_equal (
      check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/init", "\"ro\",\"rw\"")), 1);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/usr/bin/tini", "/sbin/x", "\"ro\"")),
                    1);
  /* An entry with an unknown field allows nothing.  */
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/etc/x", "/x", "")), 1);
  harness_param (r, "sensitive-mounts", "engine_owned_paths", NULL);
}

/* A pod container's bind of its own kubelet volume, as containerd's CRI plugin writes it.  */
#define POD_BIND(uid)                                                                              \
  "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.kubernetes.cri.sandbox-uid\":\"" uid "\","      \
  "\"io.kubernetes.cri.sandbox-id\":\"abc\"},\"mounts\":[{\"destination\":\"/data\","              \
  "\"type\":\"bind\",\"source\":\"/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/d\","   \
  "\"options\":[\"rbind\",\"rw\"]}]}"

static size_t
check_with_root (struct harness *r, const char *json, const char *runtime_root)
{
  cleanup_spec struct spec *spec = harness_load (json, SPEC_CONFIG);
  size_t n;

  r->call.runtime_root = runtime_root;
  n = harness_check (r, &rule_sensitive_mounts, spec);
  r->call = (struct call){ 0 };
  return n;
}

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
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/gone/x", "/x", "")), 1);
  assert_true (harness_found (r, "`/srv/gone/x` of the bind at `/x` does not exist"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/gone", "/x", "")), 1);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/gone2", "/x", "")), 0);
}

/* Review finding 3: /proc/<pid>/root, /cwd, /fd/N are read as text by realpath and followed by the
 * kernel; the raw path, its canonical form and the file identity are all checked.  */
static void
test_mounts_magic_links (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/proc/4242/root/hostlink", "/h", "")),
                    1);
  assert_true (harness_found (r, "is under `/proc`, whose magic links"));
  /* Custom sensitive lists do not matter: it is never judgeable.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/srv/secret"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/../proc/1/cwd", "/h", "")), 1);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/dev/stdin", "/h", "")), 1);
  assert_true (harness_found (r, "`/dev/stdin`, whose magic links"));
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/dev/fd/3/x", "/h", "")), 1);
  /* A symlink elsewhere that leads into /proc: caught on the canonical path.  */
  fake_host_add_symlink ("/srv/to-proc", "/proc/4242/root");
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/to-proc/etc", "/h", "")), 1);
  assert_true (harness_found (r, "(`/proc/4242/root/etc`)"));
  /* A path whose file is not the one its canonical form names (procfs mounted elsewhere).  */
  fake_host_add_alias ("/srv/other-proc");
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/other-proc/1/root", "/h", "")),
                    1);
  assert_true (harness_found (r, "is not the file its canonical path `/srv/other-proc/1/root`"));
  /* Look-alikes are not /proc.  */
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/proc/1/root", "/h", "")), 0);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/devfd", "/h", "")), 0);
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
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/shared/dir", "/d", "")), 1);
  assert_true (harness_found (r, "could be swapped for another path before runc mounts it: "
                                 "`/srv/shared` is writable by group or others"));
  assert_int_equal (
      check (r, &rule_sensitive_mounts, BIND ("/var/lib/docker/volumes/v/_data/dir", "/d", "")), 1);
  assert_int_equal (
      check (r, &rule_sensitive_mounts, BIND ("/var/lib/docker/volumes/w/_data", "/d", "")), 0);
  /* Through a symlink: the canonical path is what the fake judges.  */
  fake_host_add_symlink ("/srv/link-to-shared", "/srv/shared");
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/link-to-shared/x", "/d", "")), 1);
}

/* A host without the facts (a test double, an older caller) denies every bind: fail closed.  */
static void
test_mounts_facts_missing (void **state)
{
  struct harness *r = *state;
  struct host_facts saved = r->host;

  r->host.path_exists = NULL;
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  r->host = saved;
  r->host.same_file = NULL;
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  r->host = saved;
  r->host.path_trusted = NULL;
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 1);
  assert_true (harness_found (r, "ocigate cannot check who may change it"));
  r->host = saved;
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/srv/data", "/d", "")), 0);
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
      assert_int_equal (check (r, &rule_sensitive_mounts, json), 1);
      assert_true (harness_found (r, "sensitive host path"));
    }
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/var/lib/myapp", "/h", "")), 0);
  assert_int_equal (check (r, &rule_sensitive_mounts, BIND ("/var/logs-archive", "/h", "")), 0);
}

/* ---- rootfs ---- */

#define ROOT(path) "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"" path "\"}}"
#define CONTAINERD_BUNDLE "/run/containerd/io.containerd.runtime.v2.task/k8s.io/c1"

static void
test_rootfs_bundle (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("rootfs"), CONTAINERD_BUNDLE), 0);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT (CONTAINERD_BUNDLE "/rootfs"), CONTAINERD_BUNDLE), 0);
  /* Without the bundle directory (never for a config.json police.c read), no bundle exception.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT (CONTAINERD_BUNDLE "/rootfs"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("./rootfs/"), CONTAINERD_BUNDLE), 0);
  /* The bundle itself, a sibling bundle, the engine state above it, the host's root.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("."), CONTAINERD_BUNDLE), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("../c2/rootfs"), CONTAINERD_BUNDLE), 1);
  assert_true (harness_found (r, "(`"
                                 "/run/containerd/io.containerd.runtime.v2.task/k8s.io/c2/"
                                 "rootfs`) exposes the sensitive host path `/run/containerd`"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("../../../../../../.."), CONTAINERD_BUNDLE),
                    1);
  assert_true (harness_found (r, "is the host's root directory"));
  assert_string_equal (r->found.items[0].path, "/root/path");
  /* A bundle that is, or holds, a sensitive path is no engine's bundle.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("usr"), "/"), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("lib/docker"), "/var"), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("ssh"), "/etc"), 1);
  /* A hand-made bundle anywhere else.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("rootfs"), "/tmp/bats-run-x/test/1/bundle"),
                    0);
}

static void
test_rootfs_host_paths (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/usr"), NULL), 1);
  assert_true (harness_found (r, "`root.path` `/usr` exposes the sensitive host path `/usr`"));
  assert_true (harness_found (r, "(CIS 5.6)"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/link-to-etc"), NULL), 1);
  assert_true (harness_found (r, "`/srv/link-to-etc` (`/etc`)"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/var/lib"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/images/alpine"), NULL), 0);
  /* Engine locations: exactly the container layer's mount point.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/merged"), NULL),
                    0);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT ("/var/lib/containers/storage/overlay/abc/merged"), NULL), 0);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/merged/etc"), NULL), 1);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/d/merged"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/merged"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/overlay2/abc/merged"), NULL), 0);
  /* The engine layout excuses lying below a sensitive path, never being or holding one.  */
  harness_param (r, "sensitive-mounts", "paths",
                 HARNESS_LIST ("/srv/overlay2/abc/merged/etc", "/usr"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/overlay2/abc/merged"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/usr/overlay2/abc/merged"), NULL), 0);
  harness_param (r, "sensitive-mounts", "paths", NULL);
  assert_int_equal (
      check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/merged/../../.."), NULL), 1);
}

static void
test_rootfs_params_and_unknowns (void **state)
{
  struct harness *r = *state;

  /* Another sensitive list: "/" is still the host's root.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/srv/secret"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/usr"), NULL), 0);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/secret/r"), NULL), 1);
  /* The restricted profile's list: /run, /var and /tmp hold the engines' rootfs and bundles.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/", "/run", "/tmp", "/var"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("rootfs"), CONTAINERD_BUNDLE), 0);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/var/lib/docker/overlay2/abc/merged"), NULL),
                    0);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/tmp/x"), NULL), 1);
  /* Relocated data roots (dockerd --data-root, the e2e tests' private daemons), every driver.  */
  harness_param (r, "sensitive-mounts", "paths", HARNESS_LIST ("/", "/srv", "/tmp", "/var"));
  static const char *const relocated[] = {
    "/srv/docker/overlay2/abc/merged",  "/tmp/e2e/docker/data/overlay2/abc/merged",
    "/srv/docker/vfs/dir/abc",          "/srv/docker/100000.100000/overlay2/abc/merged",
    "/srv/docker/rootfs/overlayfs/abc", "/srv/docker/devicemapper/mnt/abc/rootfs",
    "/srv/storage/overlay/abc/merged",  "/srv/docker/btrfs/subvolumes/abc",
  };
  for (size_t i = 0; i < ARRAY_SIZE (relocated); i++)
    {
      char json[256];
      snprintf (json, sizeof json, ROOT ("%s"), relocated[i]);
      assert_int_equal (check_in (r, &rule_rootfs, json, NULL), 0);
    }
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/docker/overlay2/abc"), NULL), 1);
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("/srv/docker/rootfs/other/abc"), NULL), 1);
  harness_param (r, "sensitive-mounts", "paths", NULL);
  /* Nothing to judge: fail closed.  */
  assert_int_equal (check_in (r, &rule_rootfs, ROOT ("rootfs"), NULL), 1);
  assert_true (harness_found (r, "the bundle directory is unknown"));
  assert_int_equal (check_in (r, &rule_rootfs, ROOT (""), CONTAINERD_BUNDLE), 1);
  assert_true (harness_found (r, "`root.path` is empty"));
  assert_int_equal (check_in (r, &rule_rootfs, "{\"ociVersion\":\"1.0.2\"}", CONTAINERD_BUNDLE), 1);
  assert_true (harness_found (r, "no `root.path`"));
  assert_string_equal (r->found.items[0].path, "");
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

/* ---- devices ---- */

#define DEVICES(nodes, rules)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"devices\":[" nodes "],\"resources\":{\"devices\":["      \
  "{\"allow\":false,\"access\":\"rwm\"}," rules "]}}}"
#define FUSE_NODE "{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}"
#define FUSE_RULE "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}"

static void
test_devices_allowlist (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check (r, &rule_devices, DEVICES (FUSE_NODE, FUSE_RULE)), 2);
  harness_param (r, "devices", "allow", HARNESS_LIST ("/dev/fuse c 10:229", "/dev/nvidia*"));
  assert_int_equal (check (r, &rule_devices, DEVICES (FUSE_NODE, FUSE_RULE)), 0);
  /* The allowlisted path with other numbers is another device.  */
  assert_int_equal (
      check (r, &rule_devices,
             DEVICES ("{\"path\":\"/dev/fuse\",\"type\":\"b\",\"major\":8,\"minor\":0}",
                      "{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,"
                      "\"access\":\"rw\"}")),
      2);
  /* A cgroup rule needs its node: the rule alone is not allowlisted.  */
  assert_int_equal (check (r, &rule_devices, DEVICES ("", FUSE_RULE)), 1);
  /* Path-only entries allow any numbers at that path; wildcard rules are never allowlisted.  */
  assert_int_equal (check (r, &rule_devices,
                           DEVICES ("{\"path\":\"/dev/nvidia0\",\"type\":\"c\",\"major\":195,"
                                    "\"minor\":0}",
                                    "{\"allow\":true,\"type\":\"c\",\"major\":195,\"minor\":0,"
                                    "\"access\":\"rw\"}")),
                    0);
  assert_int_equal (
      check (r, &rule_devices,
             DEVICES ("{\"path\":\"/dev/nvidia0\",\"type\":\"c\",\"major\":195,"
                      "\"minor\":0}",
                      "{\"allow\":true,\"type\":\"c\",\"major\":195,\"access\":\"rw\"}")),
      1);
  harness_param (r, "devices", "allow", NULL);
}

static void
test_devices_update_document (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check_kind (r, &rule_devices,
                                "{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}",
                                SPEC_RESOURCES),
                    1);
  assert_string_equal (r->found.items[0].path, "/devices/0");
  assert_int_equal (check_kind (r, &rule_devices,
                                "{\"memory\":{\"limit\":1048576},\"devices\":[{\"allow\":false,"
                                "\"access\":\"rwm\"}]}",
                                SPEC_RESOURCES),
                    0);
}

static void
test_devices_many_listed_briefly (void **state)
{
  struct harness *r = *state;

  assert_int_equal (check (r, &rule_devices,
                           DEVICES ("{\"path\":\"/dev/a\",\"type\":\"c\",\"major\":10,\"minor\":1},"
                                    "{\"path\":\"/dev/b\",\"type\":\"c\",\"major\":10,\"minor\":2},"
                                    "{\"path\":\"/dev/c\",\"type\":\"c\",\"major\":10,\"minor\":3},"
                                    "{\"path\":\"/dev/d\",\"type\":\"c\",\"major\":10,\"minor\":4},"
                                    "{\"path\":\"/dev/e\",\"type\":\"c\",\"major\":10,\"minor\":5},"
                                    "{\"path\":\"/dev/f\",\"type\":\"c\",\"major\":10,\"minor\":6}",
                                    "{\"allow\":true,\"access\":\"rwm\"}")),
                    2);
  assert_true (harness_found (r, "and 2 more"));
  assert_true (harness_found (r, "`a *:* rwm`"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pathmatch_clean),
    cmocka_unit_test (test_pathmatch_components),
    cmocka_unit_test_setup_teardown (test_namespaces_inodes, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_namespaces_unknown_host, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_sockets, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_sensitive, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_engine_owned_fields, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_cri_annotations_need_cri_root, setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_missing_source, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_magic_links, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_untrusted_source, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_facts_missing, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_own_rootfs, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_mounts_new_sensitive_defaults, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_rootfs_bundle, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_rootfs_host_paths, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_rootfs_params_and_unknowns, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_propagation_rewrite_records, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_allowlist, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_update_document, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_many_listed_briefly, setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
