/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the sensitive-mounts rule's judgement of what is really mounted at a bind source
 * and who owns it (policy/rules/binds_identity.c, binds_owned.c, and mounts.c's relative sources
 * and runtime state), on the fake host's mount table, listening sockets and callers
 * (tests/unit/fake_host.c): a sensitive directory mounted under another name, kernel filesystems,
 * engine sockets by what they are, proc and sysfs where the masks are, the engines' per-container
 * files belonging to one container, relative sources and the runtime's own state.  The real facts
 * behind them: test_hostfacts_mounts.c.  */
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

/* ---- the calls ---- */

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

int
main (void)
{
  const struct CMUnitTest tests[] = {
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
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
