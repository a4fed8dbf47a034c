/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the hooks rule (policy/rules/hooks.c) in the cases the fixture driver
 * (test_rules.c) cannot express: dockerd's libnetwork-setkey hook judged by the identity of the
 * process it names (its executable, mount namespace and listening socket), one such hook judged
 * and any other refused, and the `allow` parameter's path and argument patterns.  */
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
#include "util.h"

extern const struct rule rule_hooks;

/* The fake host, plus another process's binary and a dockerd whose binary was replaced on disk.  */
static int
setup (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_add_link ("/proc/7318/exe", "/usr/bin/python3");
  fake_host_add_link ("/proc/7319/exe", "/usr/sbin/dockerd (deleted)");
  *state = r;
  return 0;
}

/* Check `json` as a call nothing is known about.  */
static size_t
check_root (struct harness *r, const struct rule *rule, const char *json, const char *root)
{
  return harness_check_call (r, rule, json, &(struct call){ .runtime_root = root });
}

/* ---- dockerd's identity ---- */

#define SETKEY_OF(pid, root)                                                                       \
  "{\"path\":\"/proc/" pid "/exe\",\"args\":[\"libnetwork-setkey\",\"-exec-root=" root "\","       \
  "\"e32c4cebb14f903c41b876500e200b7620a09f5640153d4be4551dd8cec7a53e\",\"6236a7a5e2b4\"]}"
#define HOOKS(list) "{\"ociVersion\":\"1.0.2\",\"hooks\":{\"prestart\":[" list "]}}"

static void
test_hooks_dockerd_identity (void **state)
{
  struct harness *r = *state;

  /* The engine's dockerd, also with an exec-root Go's filepath.Join would clean.  */
  assert_int_equal (
      check_root (r, &rule_hooks, HOOKS (SETKEY_OF ("7317", "/var/run/docker")), NULL), 0);
  assert_int_equal (
      check_root (r, &rule_hooks, HOOKS (SETKEY_OF ("7317", "/var/run//docker/")), NULL), 0);
  /* A process at /usr/bin/dockerd in another container: readlink says dockerd, stat does not.  */
  fake_host_add_link ("/proc/8001/exe", "/usr/bin/dockerd");
  fake_host_add_file ("/proc/8001/exe", 70, 1234);
  fake_host_add_ns_file ("/proc/8001/ns/mnt", HOST_NS_MOUNT, false);
  assert_int_equal (
      check_root (r, &rule_hooks, HOOKS (SETKEY_OF ("8001", "/var/run/docker")), NULL), 1);
  assert_true (
      harness_found (r, "is not a running dockerd: its executable is not an installed dockerd"));
  /* The installed binary, run in another mount namespace.  */
  fake_host_add_file ("/proc/8002/exe", FAKE_ROOTFS_DEV, 933920);
  fake_host_add_ns_file ("/proc/8002/ns/mnt", HOST_NS_MOUNT, false);
  assert_int_equal (
      check_root (r, &rule_hooks, HOOKS (SETKEY_OF ("8002", "/var/run/docker")), NULL), 1);
  assert_true (harness_found (r, "it runs in another mount namespace than the host's"));
  /* The installed binary in the host's mount namespace, not the daemon of that socket.  */
  fake_host_add_file ("/proc/8003/exe", FAKE_ROOTFS_DEV, 933920);
  fake_host_add_ns_file ("/proc/8003/ns/mnt", HOST_NS_MOUNT, true);
  assert_int_equal (
      check_root (r, &rule_hooks, HOOKS (SETKEY_OF ("8003", "/var/run/docker")), NULL), 1);
  assert_true (
      harness_found (r, "it does not listen on `/var/run/docker/libnetwork/6236a7a5e2b4.sock`"));
  /* The real dockerd, but another exec-root than the one it listens under.  */
  assert_int_equal (check_root (r, &rule_hooks, HOOKS (SETKEY_OF ("7317", "/tmp/x")), NULL), 1);
  /* A process that is gone.  */
  assert_int_equal (
      check_root (r, &rule_hooks, HOOKS (SETKEY_OF ("9999", "/var/run/docker")), NULL), 1);
  assert_true (harness_found (r, "no such process"));
}

static unsigned listener_calls;
static bool (*fake_listener) (const struct host_facts *, pid_t, const char *);

static bool
counting_listener (const struct host_facts *host, pid_t pid, const char *path)
{
  listener_calls++;
  return fake_listener (host, pid, path);
}

static void
test_hooks_one_setkey_judged (void **state)
{
  struct harness *r = *state;
  size_t cap = 256 * 256, len = 0;
  cleanup_free char *json = xmalloc (cap);

  len += (size_t)snprintf (json, cap, "{\"ociVersion\":\"1.0.2\",\"hooks\":{\"prestart\":[");
  for (int i = 0; i < 256; i++)
    len += (size_t)snprintf (json + len, cap - len, "%s" SETKEY_OF ("7317", "/var/run/docker"),
                             i ? "," : "");
  snprintf (json + len, cap - len, "]}}");
  fake_listener = r->host.unix_listener;
  r->host.unix_listener = counting_listener;
  listener_calls = 0;
  assert_int_equal (check_root (r, &rule_hooks, json, NULL), 255);
  assert_int_equal (listener_calls, 1);
  assert_true (harness_found (r, "dockerd writes only one such hook"));
}

/* ---- the setkey hook and the allow list ---- */

#define HOOK_CONFIG(list, hook) "{\"ociVersion\":\"1.0.2\",\"hooks\":{\"" list "\":[" hook "]}}"
#define SETKEY(path)                                                                               \
  "{\"path\":\"" path "\",\"args\":[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\","         \
  "\"e4bafbefbe9b5522255f42e3c5b1f5a1880b0c1b0de8d53a3bc1d16eb5bbb544\",\"6236a7a5e2b4\"]}"

static void
test_hooks_docker_setkey (void **state)
{
  struct harness *r = *state;

  assert_int_equal (
      harness_check_config (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/7317/exe"))),
      0);
  assert_int_equal (harness_check_config (r, &rule_hooks,
                                          HOOK_CONFIG ("createRuntime", SETKEY ("/proc/7317/exe"))),
                    0);
  assert_int_equal (
      harness_check_config (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/7318/exe"))),
      1);
  assert_true (harness_found (r, "is not a running dockerd"));
  assert_int_equal (
      harness_check_config (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/7319/exe"))),
      1);
  assert_int_equal (
      harness_check_config (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/self/exe"))),
      1);
  assert_true (harness_found (r, "runtime's own process"));
  assert_int_equal (
      harness_check_config (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/07317/exe"))),
      1);
  assert_int_equal (harness_check_config (
                        r, &rule_hooks, HOOK_CONFIG ("startContainer", SETKEY ("/proc/7317/exe"))),
                    1);
  harness_param (r, "hooks", "allow_docker_setkey", HARNESS_NUMBER (0));
  assert_int_equal (
      harness_check_config (r, &rule_hooks, HOOK_CONFIG ("prestart", SETKEY ("/proc/7317/exe"))),
      1);
  assert_true (harness_found (r, "not allowlisted"));
}

static void
test_hooks_allowlist (void **state)
{
  struct harness *r = *state;
  static const struct
  {
    const char *hook;
    size_t findings;
  } cases[] = {
    { "{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"nvidia-container-runtime-"
      "hook\",\"prestart\"]}",
      0 },
    { "{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"x\",\"prestart\"]}", 1 },
    { "{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"nvidia-container-runtime-"
      "hook\",\"prestart\",\"extra\"]}",
      1 },
    { "{\"path\":\"/usr/bin/nvidia-container-runtime-hook\",\"args\":[\"nvidia-container-runtime-"
      "hook\",\"prestart\"],\"env\":[\"LD_PRELOAD=/tmp/x.so\"]}",
      1 },
    { "{\"path\":\"/usr/libexec/oci/hooks.d/a\",\"args\":[\"a\",\"b\",\"c\"]}", 0 },
    { "{\"path\":\"/usr/libexec/oci/hooks.d/sub/a\"}", 1 },
    { "{\"path\":\"/opt/logger\",\"args\":[\"logger\",\"-t\",\"x\",\"y\"]}", 0 },
    { "{\"path\":\"/opt/logger\",\"args\":[\"logger\"]}", 1 },
    { "{\"path\":\"/proc/self/exe\"}", 1 },
    { "{\"path\":\"/proc/1/exe\",\"args\":[\"init\"]}", 0 },
  };
  char buf[1024];

  harness_param (r, "hooks", "allow",
                 HARNESS_LIST ("/usr/bin/nvidia-container-runtime-hook "
                               "nvidia-container-runtime-hook prestart",
                               "/usr/libexec/oci/hooks.d/*", "/opt/logger logger -t ...",
                               "/proc/*/exe"));
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      snprintf (buf, sizeof buf, HOOK_CONFIG ("poststop", "%s"), cases[i].hook);
      print_message ("# hook %s\n", cases[i].hook);
      assert_int_equal (harness_check_config (r, &rule_hooks, buf), cases[i].findings);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_hooks_dockerd_identity, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_hooks_one_setkey_judged, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_hooks_docker_setkey, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_hooks_allowlist, setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
