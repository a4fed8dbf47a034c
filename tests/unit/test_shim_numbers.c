/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/gonum.c and shim/update_flags.c: numbers read as runc 1.1.5 and crun 1.8.1
 * read them, and `update` flags turned into the document each runtime applies.  The edge values
 * were checked against /usr/sbin/runc and /usr/bin/crun on Debian 12
 * (tests/integration/update-flags.bats and exec-synth.bats repeat the telling ones there).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "argv.h"
#include "gonum.h"
#include "json.h"
#include "update_flags.h"
#include "util.h"

struct int_case
{
  const char *text;
  int base;
  bool ok;
  int64_t value;
};

/* strconv.ParseInt (go1.19 atoi.go).  */
static const struct int_case int_cases[] = {
  { "0", 10, true, 0 },
  { "+7", 10, true, 7 },
  { "-1", 10, true, -1 },
  { "007", 10, true, 7 },
  { "9223372036854775807", 10, true, INT64_MAX },
  { "-9223372036854775808", 10, true, INT64_MIN },
  { "9223372036854775808", 10, false, 0 },
  { "-9223372036854775809", 10, false, 0 },
  { "", 10, false, 0 },
  { "+", 10, false, 0 },
  { " 5", 10, false, 0 },
  { "5 ", 10, false, 0 },
  { "1_0", 10, false, 0 },
  { "0x10", 10, false, 0 },
  /* base 0: Go's flag package for IntFlag (runc update --pids-limit, --blkio-weight).  */
  { "0x10", 0, true, 16 },
  { "0X1f", 0, true, 31 },
  { "010", 0, true, 8 },
  { "0o17", 0, true, 15 },
  { "0b101", 0, true, 5 },
  { "-0x10", 0, true, -16 },
  { "1_000", 0, true, 1000 },
  { "0x_1f", 0, true, 31 },
  { "0_7", 0, true, 7 },
  { "_1", 0, false, 0 },
  { "1__0", 0, false, 0 },
  { "1_", 0, false, 0 },
  { "0x", 0, false, 0 },
  { "08", 0, false, 0 },
  { "0b", 0, false, 0 },
  { "0", 0, true, 0 },
};

static void
test_parse_int (void **state)
{
  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (int_cases); i++)
    {
      const struct int_case *c = &int_cases[i];
      int64_t v = 0;
      int r = gonum_parse_int (c->text, c->base, &v);

      if ((r == 0) != c->ok || (c->ok && v != c->value))
        fail_msg ("ParseInt(`%s`, %d): r=%d v=%lld", c->text, c->base, r, (long long)v);
    }
}

static void
test_parse_uint (void **state)
{
  uint64_t v = 0;

  (void)state;
  assert_int_equal (gonum_parse_uint ("18446744073709551615", 10, &v), 0);
  assert_true (v == UINT64_MAX);
  assert_int_equal (gonum_parse_uint ("18446744073709551616", 10, &v), -1);
  assert_int_equal (gonum_parse_uint ("+5", 10, &v), -1);
  assert_int_equal (gonum_parse_uint ("-5", 10, &v), -1);
  assert_int_equal (gonum_parse_uint ("100000", 10, &v), 0);
  assert_true (v == 100000);
}

struct size_case
{
  const char *text;
  bool ok;
  int64_t value;
};

/* go-units 0.4.0 RAMInBytes, which Debian's runc 1.1.5 links.  */
static const struct size_case size_cases[] = {
  { "512m", true, 512ll << 20 },
  { "512M", true, 512ll << 20 },
  { "512mb", true, 512ll << 20 },
  { "512MiB", true, 512ll << 20 },
  { "512 m", true, 512ll << 20 },
  { "1g", true, 1ll << 30 },
  { "1.5k", true, 1536 },
  { "0.5m", true, 512 * 1024 },
  { "1024", true, 1024 },
  { "1024b", true, 1024 },
  { "1024i", true, 1024 },
  { "10 ", true, 10 },
  { "2p", true, 2ll << 50 },
  { "0", true, 0 },
  { "", false, 0 },
  { "-1", false, 0 }, /* update.go handles "-1" itself, before RAMInBytes */
  { "-2m", false, 0 },
  { "+5m", false, 0 },
  { "1.2.3m", false, 0 },
  { ".5m", false, 0 },
  { "5.m", false, 0 },
  { "1e3", false, 0 },
  { "0x10", false, 0 },
  { "5mm", false, 0 },
  { "5  m", false, 0 },
  { "5mib ", false, 0 },
  { "5e", false, 0 },
#if defined(__x86_64__)
  /* Out of int64: Go's conversion gives INT64_MIN on amd64 (cvttsd2si).  */
  { "10000000p", true, INT64_MIN },
#endif
};

static void
test_ram_in_bytes (void **state)
{
  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (size_cases); i++)
    {
      const struct size_case *c = &size_cases[i];
      int64_t v = 0;
      int r = gonum_ram_in_bytes (c->text, &v);

      if ((r == 0) != c->ok || (c->ok && v != c->value))
        fail_msg ("RAMInBytes(`%s`): r=%d v=%lld", c->text, r, (long long)v);
    }
}

static void
test_crun_id (void **state)
{
  uint32_t v = 1;
  const char *end = NULL;

  (void)state;
  assert_int_equal (gonum_crun_id ("4294967296", &v, &end), 0);
  assert_int_equal (v, 0);
  assert_string_equal (end, "");
  assert_int_equal (gonum_crun_id (" 7:5", &v, &end), 0);
  assert_int_equal (v, 7);
  assert_string_equal (end, ":5");
  assert_int_equal (gonum_crun_id ("abc", &v, &end), 0);
  assert_int_equal (v, 0);
  assert_string_equal (end, "abc");
  assert_int_equal (gonum_crun_id ("99999999999999999999", &v, &end), -1);
}

/* An update invocation with these flags (pairs of slot and value).  */
static void
update_inv (struct runc_invocation *inv, int n, ...)
{
  va_list ap;

  memset (inv, 0, sizeof (*inv));
  va_start (ap, n);
  for (int i = 0; i < n; i++)
    {
      int slot = va_arg (ap, int);
      inv->update_values[slot] = va_arg (ap, const char *);
      inv->update_count[slot]++;
    }
  va_end (ap);
}

/* The same JSON value, whatever the layout.  */
static bool
same_json (const char *a, const char *b)
{
  struct json_parse_opts opts = { .source = "test", .max_bytes = 1 << 20 };
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *x = json_parse (a, strlen (a), &opts, &err);
  cleanup_json struct json_node *y = json_parse (b, strlen (b), &opts, &err);

  return x != NULL && y != NULL && json_equal (x, y);
}

static void
expect_runc (const struct runc_invocation *inv, const char *want)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = update_flags_runc_text (inv, &err);

  if (want == NULL && text == NULL)
    return;
  if (text == NULL || want == NULL || !same_json (text, want))
    fail_msg ("runc document `%s`, expected `%s` (%s)", text ? text : "(error)",
              want ? want : "(error)", err ? err->msg : "");
}

static void
test_runc_document (void **state)
{
  struct runc_invocation inv;

  (void)state;
  update_inv (&inv, 2, ARGV_UPDATE_MEMORY, "512m", ARGV_UPDATE_PIDS_LIMIT, "-1");
  expect_runc (&inv, "{\"memory\":{\"limit\":536870912},\"pids\":{\"limit\":-1}}");
  /* Zero members are what runc's cgroup managers leave alone: not in the document.  */
  update_inv (&inv, 3, ARGV_UPDATE_CPU_PERIOD, "100000", ARGV_UPDATE_CPU_QUOTA, "0",
              ARGV_UPDATE_MEMORY, "0");
  expect_runc (&inv, "{\"cpu\":{\"period\":100000}}");
  update_inv (&inv, 2, ARGV_UPDATE_CPUSET_CPUS, "0-1", ARGV_UPDATE_MEMORY_SWAP, "-1");
  expect_runc (&inv, "{\"cpu\":{\"cpus\":\"0-1\"},\"memory\":{\"swap\":-1}}");
  /* runc 1.1.5 ignores kernel memory, and RDT schemas are not resources.  */
  update_inv (&inv, 2, ARGV_UPDATE_KERNEL_MEMORY, "1g", ARGV_UPDATE_L3_CACHE_SCHEMA, "L3:0=f");
  expect_runc (&inv, "{}");
  /* Go flag int: base 0; blkio weight as uint16.  */
  update_inv (&inv, 2, ARGV_UPDATE_PIDS_LIMIT, "0x10", ARGV_UPDATE_BLKIO_WEIGHT, "65546");
  expect_runc (&inv, "{\"blockIO\":{\"weight\":10},\"pids\":{\"limit\":16}}");
  update_inv (&inv, 1, ARGV_UPDATE_MEMORY, "1e3");
  expect_runc (&inv, NULL);
  update_inv (&inv, 1, ARGV_UPDATE_PIDS_LIMIT, "");
  expect_runc (&inv, NULL);
  update_inv (&inv, 1, ARGV_UPDATE_CPU_PERIOD, "-1");
  expect_runc (&inv, NULL);
  update_inv (&inv, 1, ARGV_UPDATE_CPU_BURST, "1");
  expect_runc (&inv, NULL);
  update_inv (&inv, 0);
  expect_runc (&inv, "{}");
}

static void
expect_crun (const struct runc_invocation *inv, const char *want)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = update_flags_crun_text (inv, &err);

  if (want == NULL && text == NULL)
    return;
  if (text == NULL || want == NULL || strcmp (text, want) != 0)
    fail_msg ("crun document `%s`, expected `%s` (%s)", text ? text : "(error)",
              want ? want : "(error)", err ? err->msg : "");
}

static void
test_crun_document (void **state)
{
  struct runc_invocation inv;

  (void)state;
  /* Sorted by section, then name (libcrun compare_update_values); numbers pasted as written.  */
  update_inv (&inv, 3, ARGV_UPDATE_PIDS_LIMIT, "-1", ARGV_UPDATE_MEMORY, "512m",
              ARGV_UPDATE_CPUSET_CPUS, "0");
  expect_crun (&inv,
               "{\"cpu\":{\"cpus\":\"0\"},\"memory\":{\"limit\":512m},\"pids\":{\"limit\":-1}}");
  update_inv (&inv, 2, ARGV_UPDATE_MEMORY_SWAP, "1", ARGV_UPDATE_MEMORY, "2");
  expect_crun (&inv, "{\"memory\":{\"limit\":2,\"swap\":1}}");
  /* What crun pastes can carry members of its own.  */
  update_inv (&inv, 1, ARGV_UPDATE_MEMORY, "1}, \"pids\": {\"limit\": -1");
  expect_crun (&inv, "{\"memory\":{\"limit\":1}, \"pids\": {\"limit\": -1}}");
  update_inv (&inv, 0);
  expect_crun (&inv, "{}");
  update_inv (&inv, 1, ARGV_UPDATE_L3_CACHE_SCHEMA, "L3:0=f");
  expect_crun (&inv, NULL);
  update_inv (&inv, 2, ARGV_UPDATE_MEMORY, "1", ARGV_UPDATE_MEMORY, "2");
  expect_crun (&inv, NULL);
}

static void
test_document_judged_as_loaded (void **state)
{
  struct runtime crun = { .path = (char *)"/usr/bin/crun", .flavor = RUNTIME_CRUN };
  struct runtime runc = { .path = (char *)"/usr/sbin/runc", .flavor = RUNTIME_RUNC };
  struct runc_invocation inv;
  cleanup_error ocg_error_t err = NULL;
  cleanup_spec struct spec *s = NULL;
  int64_t v = 0;

  (void)state;
  update_inv (&inv, 1, ARGV_UPDATE_MEMORY, "1}, \"pids\": {\"limit\": -1");
  s = update_flags_document (&inv, &crun, &err);
  assert_non_null (s);
  assert_true (spec_get_i64 (s, "/pids/limit", &v) && v == -1);
  spec_free (steal_pointer (&s));
  /* crun cannot read `512m` as a number: neither can the loader.  */
  update_inv (&inv, 1, ARGV_UPDATE_MEMORY, "512m");
  assert_null (update_flags_document (&inv, &crun, &err));
  ocg_error_free (&err);
  s = update_flags_document (&inv, &runc, &err);
  assert_non_null (s);
  assert_true (spec_get_i64 (s, "/memory/limit", &v) && v == 536870912);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_int),
    cmocka_unit_test (test_parse_uint),
    cmocka_unit_test (test_ram_in_bytes),
    cmocka_unit_test (test_crun_id),
    cmocka_unit_test (test_runc_document),
    cmocka_unit_test (test_crun_document),
    cmocka_unit_test (test_document_judged_as_loaded),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
