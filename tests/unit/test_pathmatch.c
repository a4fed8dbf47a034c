/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/rules/pathmatch.c: whole-component path matching and clean-up, the ground
 * every host-path rule stands on.  */
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
#include "pathmatch.h"

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
  /* A plain component is compared in place; one with a pattern byte still goes to fnmatch.  */
  assert_false (pathmatch_at_or_below ("/var/lib", "/var/li", NULL));
  assert_false (pathmatch_at_or_below ("/var/li", "/var/lib", NULL));
  assert_false (pathmatch_at_or_below ("/Etc", "/etc", NULL));
  assert_true (pathmatch_at_or_below ("/srv/data1", "/srv/data?", NULL));
  assert_true (pathmatch_at_or_below ("/srv/data1", "/srv/data[0-9]", NULL));
  assert_false (pathmatch_at_or_below ("/srv/datax", "/srv/data[0-9]", NULL));
  assert_true (pathmatch_at_or_below ("/srv/a*b", "/srv/a\\*b", NULL));
  assert_false (pathmatch_at_or_below ("/srv/axb", "/srv/a\\*b", NULL));
  assert_true (pathmatch_at_or_below ("/srv/{x", "/srv/{x", NULL));
  assert_string_equal (pathmatch_basename ("/run/docker.sock"), "docker.sock");
  assert_string_equal (pathmatch_basename ("/"), "");
}

static const char *
lookup_any (const char *name, const void *data)
{
  (void)data;
  return strcmp (name, "id") == 0 ? pathmatch_any : NULL;
}

/* pathmatch_any (check --portable without the container's id): any one non-empty component,
 * never more than one, and only where the placeholder stands.  */
static void
test_pathmatch_any (void **state)
{
  struct pathmatch_vars vars = { lookup_any, NULL };

  (void)state;
  assert_true (pathmatch_at_or_below ("/c/abc/hosts", "/c/{id}/hosts", &vars));
  assert_true (pathmatch_at_or_below ("/c/abc/hosts/x", "/c/{id}/hosts", &vars));
  assert_false (pathmatch_at_or_below ("/c/a/b/hosts", "/c/{id}/hosts", &vars));
  assert_false (pathmatch_at_or_below ("/c/abc/passwd", "/c/{id}/hosts", &vars));
  assert_false (pathmatch_at_or_below ("/c/abc/hosts", "/c/{other}/hosts", &vars));
  assert_false (pathmatch_at_or_below ("/c/abc/hosts", "/c/{id}/hosts", NULL));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pathmatch_clean),
    cmocka_unit_test (test_pathmatch_components),
    cmocka_unit_test (test_pathmatch_any),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
