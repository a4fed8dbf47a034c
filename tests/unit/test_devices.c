/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the devices rule (policy/rules/devices.c) in the cases the fixture driver
 * (test_rules.c) cannot express: the `allow` parameter, `runc update` documents, long lists
 * reported briefly, and device entries under a user namespace, which runc binds from the host
 * when mknod is refused: judged by the host file they would bind (fake host device files).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "util.h"

extern const struct rule rule_devices;

/* ---- the host: the fake host, plus device files ---- */

/* Host device files for device_at: path, type, rdev.  */
static const struct
{
  const char *path;
  mode_t type;
  unsigned major, minor;
} host_files[] = {
  { "/dev/null", S_IFCHR, 1, 3 },   { "/dev/zero", S_IFCHR, 1, 5 },
  { "/dev/tty", S_IFCHR, 5, 0 },    { "/dev/fuse", S_IFCHR, 10, 229 },
  { "/dev/sda", S_IFBLK, 8, 0 },    { "/dev/pts/3", S_IFCHR, 136, 3 },
  { "/etc/shadow", S_IFREG, 0, 0 }, { "/dev/kvm", S_IFCHR, 10, 232 },
};

static bool
fake_device_at (const struct host_facts *host, const char *path, mode_t *type, dev_t *rdev)
{
  (void)host;
  for (size_t i = 0; i < ARRAY_SIZE (host_files); i++)
    if (str_eq (host_files[i].path, path))
      {
        *type = host_files[i].type;
        *rdev = makedev (host_files[i].major, host_files[i].minor);
        return true;
      }
  return false;
}

static int
setup (void **state)
{
  struct harness *r = harness_new ("baseline");

  r->host.device_at = fake_device_at;
  *state = r;
  return 0;
}

/* ---- nodes and cgroup rules ---- */

#define DEVICES(nodes, rules)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"devices\":[" nodes "],\"resources\":{\"devices\":["      \
  "{\"allow\":false,\"access\":\"rwm\"}," rules "]}}}"
#define FUSE_NODE "{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}"
#define FUSE_RULE "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}"

static void
test_devices_allowlist (void **state)
{
  struct harness *r = *state;

  assert_int_equal (harness_check_doc (r, &rule_devices, DEVICES (FUSE_NODE, FUSE_RULE)), 2);
  harness_param (r, "devices", "allow", HARNESS_LIST ("/dev/fuse c 10:229", "/dev/nvidia*"));
  assert_int_equal (harness_check_doc (r, &rule_devices, DEVICES (FUSE_NODE, FUSE_RULE)), 0);
  /* The allowlisted path with other numbers is another device.  */
  assert_int_equal (
      harness_check_doc (r, &rule_devices,
                         DEVICES ("{\"path\":\"/dev/fuse\",\"type\":\"b\",\"major\":8,\"minor\":0}",
                                  "{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,"
                                  "\"access\":\"rw\"}")),
      2);
  /* A cgroup rule needs its node: the rule alone is not allowlisted.  */
  assert_int_equal (harness_check_doc (r, &rule_devices, DEVICES ("", FUSE_RULE)), 1);
  /* Path-only entries allow any numbers at that path; wildcard rules are never allowlisted.  */
  assert_int_equal (
      harness_check_doc (r, &rule_devices,
                         DEVICES ("{\"path\":\"/dev/nvidia0\",\"type\":\"c\",\"major\":195,"
                                  "\"minor\":0}",
                                  "{\"allow\":true,\"type\":\"c\",\"major\":195,\"minor\":0,"
                                  "\"access\":\"rw\"}")),
      0);
  assert_int_equal (
      harness_check_doc (
          r, &rule_devices,
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

  assert_int_equal (harness_check_json (r, &rule_devices,
                                        "{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}",
                                        SPEC_RESOURCES),
                    1);
  assert_string_equal (r->found.items[0].path, "/devices/0");
  assert_int_equal (
      harness_check_json (r, &rule_devices,
                          "{\"memory\":{\"limit\":1048576},\"devices\":[{\"allow\":false,"
                          "\"access\":\"rwm\"}]}",
                          SPEC_RESOURCES),
      0);
}

static void
test_devices_many_listed_briefly (void **state)
{
  struct harness *r = *state;

  assert_int_equal (
      harness_check_doc (r, &rule_devices,
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

/* ---- devices under a user namespace ---- */

#define USERNS_CONFIG(devices)                                                                     \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},\"linux\":{"            \
  "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],\"devices\":[" devices "]}}"
#define PLAIN_CONFIG(devices)                                                                      \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},\"linux\":{"            \
  "\"namespaces\":[{\"type\":\"mount\"}],\"devices\":[" devices "]}}"

static size_t
devices_check (struct harness *r, const char *json)
{
  cleanup_spec struct spec *spec = harness_load (json, SPEC_CONFIG);
  return harness_check (r, &rule_devices, spec);
}

static void
test_devices_userns_binds (void **state)
{
  struct harness *r = *state;
  static const char *const pts
      = "{\"path\":\"/dev/pts/3\",\"type\":\"c\",\"major\":136,\"minor\":3}";
  static const char *const fifo = "{\"path\":\"/etc/shadow\",\"type\":\"p\"}";
  cleanup_free char *doc = NULL;

  /* The default nodes are the host's same devices: fine either way.  */
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/null\",\"type\":\"c\","
                                                     "\"major\":1,\"minor\":3}")),
                    0);
  /* A pty: the host's terminal with a user namespace, and without one whenever mknod is
   * refused (a node made by mknod outside devpts cannot even be opened).  */
  doc = xasprintf (PLAIN_CONFIG ("%s"), pts);
  assert_int_equal (devices_check (r, doc), 1);
  assert_true (harness_said (r, "device entries runc binds from the host when mknod is refused",
                             false, HARNESS_ANY));
  free (doc);
  doc = xasprintf (USERNS_CONFIG ("%s"), pts);
  assert_int_equal (devices_check (r, doc), 1);
  assert_true (
      harness_said (r, "`/dev/pts/3` would be a terminal of the host", false, HARNESS_ANY));
  /* The same when the runtime itself runs in a user namespace.  */
  free (doc);
  doc = xasprintf (PLAIN_CONFIG ("%s"), pts);
  r->host.in_user_ns = true;
  assert_int_equal (devices_check (r, doc), 1);
  r->host.in_user_ns = false;
  /* A FIFO entry is a bind of any host file.  */
  free (doc);
  doc = xasprintf (USERNS_CONFIG ("%s"), fifo);
  assert_int_equal (devices_check (r, doc), 1);
  assert_true (harness_said (r, "FIFO `/etc/shadow` would be the host's file of that name", false,
                             HARNESS_ANY));
  free (doc);
  doc = xasprintf (PLAIN_CONFIG ("%s"), fifo);
  assert_int_equal (devices_check (r, doc), 0);
}

static void
test_devices_userns_host_identity (void **state)
{
  struct harness *r = *state;
  harness_param (r, "devices", "allow", HARNESS_LIST ("/dev/fuse", "/dev/xvda"));
  /* Allowlisted and the host's file is that device: fine.  */
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/fuse\",\"type\":\"c\","
                                                     "\"major\":10,\"minor\":229}")),
                    0);
  /* The entry says fuse's numbers, the host file is another device.  */
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/fuse\",\"type\":\"c\","
                                                     "\"major\":10,\"minor\":200}")),
                    1);
  assert_true (harness_said (r, "the host's `/dev/fuse` is c 10:229", false, HARNESS_ANY));
  /* No such host file (runc would fail, and a hot-plugged one would be bound).  */
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/xvda\",\"type\":\"b\","
                                                     "\"major\":8,\"minor\":0}")),
                    1);
  assert_true (harness_said (r, "the host has no `/dev/xvda` to bind", false, HARNESS_ANY));
  /* Without a user namespace the node is made with the entry's numbers, and if mknod is refused
   * runc fails on the missing source: fine.  A host file of another kind there is not.  */
  assert_int_equal (devices_check (r, PLAIN_CONFIG ("{\"path\":\"/dev/xvda\",\"type\":\"b\","
                                                    "\"major\":8,\"minor\":0}")),
                    0);
  assert_int_equal (devices_check (r, PLAIN_CONFIG ("{\"path\":\"/dev/fuse\",\"type\":\"c\","
                                                    "\"major\":10,\"minor\":200}")),
                    1);
  assert_int_equal (devices_check (r, PLAIN_CONFIG ("{\"path\":\"/dev/fuse\",\"type\":\"c\","
                                                    "\"major\":10,\"minor\":229}")),
                    0);
  /* A relative path, and a path others could swap.  */
  assert_true (devices_check (r, USERNS_CONFIG ("{\"path\":\"dev/null\",\"type\":\"c\","
                                                "\"major\":1,\"minor\":3}"))
               >= 1);
  assert_true (harness_said (r, "`dev/null` is relative", false, HARNESS_ANY));
  fake_host_add_untrusted ("/dev");
  assert_int_equal (devices_check (r, USERNS_CONFIG ("{\"path\":\"/dev/null\",\"type\":\"c\","
                                                     "\"major\":1,\"minor\":3}")),
                    1);
  assert_true (harness_said (r, "could be swapped before it is bound", false, HARNESS_ANY));
  harness_param (r, "devices", "allow", NULL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_devices_allowlist, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_update_document, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_many_listed_briefly, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_userns_binds, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_devices_userns_host_identity, setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
