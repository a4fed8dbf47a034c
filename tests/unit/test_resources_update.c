/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the resource-limits rule on `runc update --resources` documents
 * (policy/rules/resources_update.c), as dockerd and the kubelet write them: the zeros Docker
 * writes for what it does not set are dropped, a limit Docker keeps stays, the CRI shape, and the
 * documents refused.  The unified values of an update are test_resources.c's.  */
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

extern const struct rule rule_resource_limits;

/* This VM (fake_host_set_machine).  */
static int
setup_vm (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_set_machine (&r->host);
  *state = r;
  return 0;
}

/* A document given as text (harness_check_fixable).  */
static size_t
check_json (struct harness *r, const struct rule *rule, const char *json, enum spec_kind kind,
            size_t *fixable)
{
  cleanup_spec struct spec *spec = harness_load (json, kind);
  return harness_check_fixable (r, rule, spec, fixable);
}

/* ---- `runc update --resources` ---- */

/* dockerd 20.10 daemon/update_linux.go toContainerdResources for `docker update --cpus 0.5` on a
 * container started without limits: every limit Docker does not know is 0.  */
#define DOCKER_UPDATE_CPUS                                                                         \
  "{\"memory\":{\"limit\":0,\"reservation\":0,\"kernel\":0},\"cpu\":{\"shares\":0,\"cpus\":\"\","  \
  "\"mems\":\"\",\"period\":100000,\"quota\":50000,\"realtimeRuntime\":0,\"realtimePeriod\":0},"   \
  "\"blockIO\":{\"weight\":0}}"

/* The CRI shape: every member present, zeros for what the kubelet did not set, and the devices
 * and hugepages of the container's spec.  */
#define CRI_UPDATE(memory, pids)                                                                   \
  "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],\"memory\":{\"limit\":" memory              \
  ",\"reservation\":0,\"swap\":0,\"kernel\":0,\"kernelTCP\":0,\"swappiness\":0,"                   \
  "\"disableOOMKiller\":false},\"cpu\":{\"shares\":2,\"quota\":0,\"period\":0,"                    \
  "\"realtimeRuntime\":0,\"realtimePeriod\":0,\"cpus\":\"\",\"mems\":\"\"},\"pids\":{"             \
  "\"limit\":" pids "},\"blockIO\":{\"weight\":0},\"hugepageLimits\":[],\"unified\":{}}"

static void
test_update_docker_zeros_dropped (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (DOCKER_UPDATE_CPUS, SPEC_RESOURCES);
  size_t fixable = 0;

  /* Before: `memory.limit: 0` was read as "removes the memory limit" and denied.  */
  assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 1);
  assert_int_equal (fixable, 1);
  assert_true (harness_said (r, "`/memory`", false, HARNESS_ANY));
  harness_rewrite_to (r, &rule_resource_limits, spec,
                      "{\"cpu\":{\"period\":100000,\"quota\":50000}}");
  /* Recorded: the memory and blockIO sections and the zero cpu members, removed.  */
  {
    cleanup_free char *patch = spec_patch_json (spec);
    print_message ("# patch %s\n", patch);
    assert_non_null (strstr (patch, "\"path\": \"/memory\"\n"));
    assert_non_null (strstr (patch, "\"path\": \"/cpu/shares\"\n"));
    assert_null (strstr (patch, "\"add\""));
    assert_null (strstr (patch, "\"replace\""));
  }
}

static void
test_update_docker_memory_kept (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec
      = harness_load ("{\"memory\":{\"limit\":1073741824,\"reservation\":0,\"kernel\":0,\"swap\":"
                      "1073741824},\"cpu\":{\"shares\":0,\"quota\":0,\"period\":0}}",
                      SPEC_RESOURCES);

  assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, NULL), 1);
  harness_rewrite_to (r, &rule_resource_limits, spec,
                      "{\"memory\":{\"limit\":1073741824,\"swap\":1073741824}}");
}

static void
test_update_cri_shape (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (CRI_UPDATE ("0", "0"), SPEC_RESOURCES);
  size_t fixable = 0;

  assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 1);
  assert_int_equal (fixable, 1);
  harness_rewrite_to (r, &rule_resource_limits, spec, "{\"cpu\":{\"shares\":2},\"unified\":{}}");

  /* A real new limit stays; -1, above the policy maximum, above the host: refused.  */
  assert_int_equal (check_json (r, &rule_resource_limits, CRI_UPDATE ("536870912", "0"),
                                SPEC_RESOURCES, &fixable),
                    1);
}

static void
test_update_refusals (void **state)
{
  struct harness *r = *state;
  static const struct
  {
    const char *memory, *pids, *message;
  } cases[] = {
    { "-1", "0", "update sets the memory limit to `-1`, removing it" },
    { "0", "-1", "update sets the pids limit to `-1`, removing it" },
    { "0", "-5", "update sets the pids limit to `-5`, removing it" },
    { "9223372036854771712", "0",
      "update sets the memory limit to `9223372036854771712`, above the host's memory (MemTotal) "
      "(25769803776): not a limit" },
    { "0", "99999",
      "update sets the pids limit to `99999`, above the host's kernel.pid_max (32768): not a "
      "limit" },
  };

  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      cleanup_free char *doc = NULL;
      size_t fixable = 0;

      doc = xasprintf (CRI_UPDATE ("%s", "%s"), cases[i].memory, cases[i].pids);
      {
        cleanup_spec struct spec *spec = harness_load (doc, SPEC_RESOURCES);
        /* The refusal, plus the fixable drop of the zeros.  */
        assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, &fixable), 2);
        assert_int_equal (fixable, 1);
        assert_true (harness_said (r, cases[i].message, false, HARNESS_ANY));
      }
    }
  /* Above the policy maximum.  */
  harness_param (r, "resource-limits", "memory_max", HARNESS_NUMBER (1073741824));
  {
    cleanup_spec struct spec *spec
        = harness_load ("{\"memory\":{\"limit\":1073741825}}", SPEC_RESOURCES);
    assert_int_equal (harness_check_fixable (r, &rule_resource_limits, spec, NULL), 1);
    assert_true (harness_said (r, "above the policy maximum `1073741824`", false, HARNESS_ANY));
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_update_docker_zeros_dropped, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_docker_memory_kept, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_cri_shape, setup_vm, harness_teardown),
    cmocka_unit_test_setup_teardown (test_update_refusals, setup_vm, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
