/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/spec/schema.c: every document shape runc (Go encoding/json) or crun
 * (libocispec) would read differently from ocigate is refused, at the top level and nested, and
 * every config captured from a real engine is accepted.  Each test starts from the exact bytes.  */
#include <config.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "json.h"
#include "schema.h"
#include "spec.h"
#include "util.h"

/* Parse `text` (which must be valid JSON) and validate it; returns the error message or NULL.  */
static char *
validate_kind (const char *text, size_t len, enum spec_kind kind)
{
  struct json_parse_opts opts = { .source = "config.json" };
  cleanup_error ocg_error_t err = NULL;
  struct json_node *root = json_parse (text, len, &opts, &err);
  char *msg = NULL;

  if (root == NULL)
    fail_msg ("test document does not parse: %s", err != NULL ? err->msg : "?");
  if (schema_validate (root, kind, "config.json", &err) < 0)
    {
      assert_non_null (err);
      msg = xstrdup (err->msg);
    }
  else
    assert_null (err);
  json_free (root);
  return msg;
}

static void
accepted_kind (const char *text, enum spec_kind kind)
{
  cleanup_free char *msg = validate_kind (text, strlen (text), kind);
  if (msg != NULL)
    fail_msg ("refused `%s`: %s", text, msg);
}

/* Refused, with a one-line message that contains every given fragment.  */
static void
refused_kind (const char *text, enum spec_kind kind, ...)
{
  cleanup_free char *msg = validate_kind (text, strlen (text), kind);
  va_list ap;

  if (msg == NULL)
    fail_msg ("accepted `%s`", text);
  assert_null (strchr (msg, '\n'));
  assert_true (str_has_prefix (msg, "config.json: "));
  va_start (ap, kind);
  for (const char *want; (want = va_arg (ap, const char *)) != NULL;)
    if (strstr (msg, want) == NULL)
      {
        va_end (ap);
        fail_msg ("message for `%s` lacks `%s`: %s", text, want, msg);
      }
  va_end (ap);
}

#define accepted(text) accepted_kind (text, SPEC_CONFIG)
#define refused(text, ...) refused_kind (text, SPEC_CONFIG, __VA_ARGS__, (const char *)NULL)

/* 1. decode.go object(): an inexact key falls back to a case-insensitive field match.  */
static void
test_case_fold_top_level (void **state)
{
  (void)state;
  refused ("{\"Process\":{\"args\":[\"sh\"]}}",
           "key `Process` at $.Process would be read by runc as `process`",
           "Go matches keys case-insensitively");
  refused ("{\"PROCESS\":{}}", "$.PROCESS", "`process`");
  refused ("{\"OciVersion\":\"1.0.2\"}", "`ociVersion`");
  refused ("{\"Linux\":{}}", "`linux`");
  refused ("{\"MOUNTS\":[]}", "`mounts`");
  refused ("{\"hOoKs\":{}}", "`hooks`");
  refused ("{\"Annotations\":{}}", "`annotations`");
  refused ("{\"Windows\":{}}", "`windows`");
}

static void
test_case_fold_nested (void **state)
{
  (void)state;
  refused ("{\"process\":{\"noNewprivileges\":true}}", "$.process.noNewprivileges",
           "`noNewPrivileges`");
  refused ("{\"process\":{\"Capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\"]}}}",
           "$.process.Capabilities", "`capabilities`");
  refused ("{\"process\":{\"capabilities\":{\"Effective\":[]}}}",
           "$.process.capabilities.Effective", "`effective`");
  refused ("{\"process\":{\"user\":{\"UID\":0}}}", "$.process.user.UID", "`uid`");
  refused ("{\"linux\":{\"resources\":{\"Memory\":{\"limit\":1}}}}", "$.linux.resources.Memory",
           "`memory`");
  refused ("{\"mounts\":[{\"destination\":\"/x\"},{\"Options\":[\"ro\"]}]}", "$.mounts[1].Options",
           "`options`");
  refused ("{\"linux\":{\"seccomp\":{\"syscalls\":[{\"names\":[\"x\"],\"Args\":[]}]}}}",
           "$.linux.seccomp.syscalls[0].Args", "`args`");
  refused ("{\"hooks\":{\"prestart\":[{\"path\":\"/x\",\"ENV\":[]}]}}", "$.hooks.prestart[0].ENV");
  refused ("{\"linux\":{\"namespaces\":[{\"Type\":\"network\"}]}}", "`type`");
  /* LinuxWeightDevice embeds LinuxBlockIODevice: Go promotes major/minor.  */
  refused ("{\"linux\":{\"resources\":{\"blockIO\":{\"weightDevice\":[{\"Major\":8}]}}}}",
           "$.linux.resources.blockIO.weightDevice[0].Major", "`major`");
  accepted ("{\"linux\":{\"resources\":{\"blockIO\":{\"weightDevice\":[{\"major\":8,\"minor\":0,"
            "\"weight\":10}]}}}}");
}

/* 2. fold.go equalFoldRight: U+017F matches s/S, U+212A matches k/K.  */
static void
test_unicode_fold (void **state)
{
  (void)state;
  refused ("{\"proce\\u017fs\":{}}", "would be read by runc as `process`", "U+017F");
  refused ("{\"proce\xc5\xbfs\":{}}", "`process`"); /* the same key as raw UTF-8 */
  refused ("{\"hoo\\u212as\":{\"prestart\":[]}}", "`hooks`", "U+212A");
  refused ("{\"mount\\u017f\":[]}", "`mounts`");
  refused ("{\"linux\":{\"ma\\u017f\\u212aedPaths\":[]}}", "$.linux", "`maskedPaths`");
  refused ("{\"linux\":{\"resources\":{\"memory\":{\"\\u212aernel\":1}}}}",
           "$.linux.resources.memory", "`kernel`");
  refused ("{\"process\":{\"capabilitie\\u017f\":{}}}", "`capabilities`");
  /* Non-ASCII keys that fold onto nothing are refused too (no field name is non-ASCII).  */
  refused ("{\"proc\\u00e9ss\":{}}", "non-ASCII key `proc\xc3\xa9ss`");
  refused ("{\"linu\\u212a\":{}}", "non-ASCII key");
  refused ("{\"process\":{\"\\u212a\":1}}", "non-ASCII key", "$.process");
}

/* 3. Different keys folding to one field: Go's last wins, and objects merge.  */
static void
test_fold_duplicates (void **state)
{
  (void)state;
  refused ("{\"process\":{\"args\":[\"true\"]},\"Process\":{\"args\":[\"evil\"]}}",
           "key `Process` at $.Process is the same field as `process`", "merged");
  refused ("{\"Process\":{},\"process\":{}}", "$.Process", "`process`");
  refused ("{\"process\":{\"capabilities\":{},\"CAPABILITIES\":{}}}", "$.process.CAPABILITIES",
           "same field as `capabilities`");
  refused ("{\"hooks\":{},\"hoo\\u212as\":{}}", "same field as `hooks`");
  /* Keys are compared after unescaping, as Go does: \u0050 is `P`.  */
  refused ("{\"\\u0070rocess\":{},\"\\u0050rocess\":{}}", "key `Process` at $.Process",
           "same field as `process`");
}

/* 4. null: refused at struct fields, array elements and map values.  */
static void
test_null (void **state)
{
  (void)state;
  refused ("null", "$ is null");
  refused ("{\"process\":null}", "$.process is null");
  refused ("{\"process\":{\"user\":null}}", "$.process.user is null");
  refused ("{\"process\":{\"args\":[\"sh\",null]}}", "$.process.args[1] is null");
  refused ("{\"mounts\":[null]}", "$.mounts[0] is null");
  refused ("{\"annotations\":{\"a\":null}}", "$.annotations.a is null");
  refused ("{\"linux\":{\"resources\":{\"memory\":{\"limit\":null}}}}",
           "$.linux.resources.memory.limit is null");
  refused ("{\"windows\":null}", "$.windows is null");
}

/* 5. Type mismatches: runc refuses, crun drops or coerces.  */
static void
test_type_mismatch (void **state)
{
  (void)state;
  refused ("[]", "$ is an array but must be an object");
  refused ("{\"hostname\":5}", "$.hostname is a number but must be a string");
  refused ("{\"process\":{\"user\":{\"uid\":\"0\"}}}",
           "$.process.user.uid is a string but must be an integer");
  refused ("{\"process\":{\"noNewPrivileges\":\"true\"}}",
           "$.process.noNewPrivileges is a string but must be a boolean");
  refused ("{\"root\":{\"readonly\":1}}", "$.root.readonly is a number but must be a boolean");
  /* Pre-1.0 runtime-spec had capabilities as a list; 1.0 made it an object.  */
  refused ("{\"process\":{\"capabilities\":[\"CAP_SYS_ADMIN\"]}}",
           "$.process.capabilities is an array but must be an object");
  refused ("{\"mounts\":{}}", "$.mounts is an object but must be an array");
  refused ("{\"process\":{\"args\":[\"sh\",5]}}", "$.process.args[1] is a number");
  refused ("{\"process\":{\"args\":\"sh\"}}", "$.process.args is a string but must be an array");
  refused ("{\"annotations\":{\"a\":1}}", "$.annotations.a is a number but must be a string");
  refused ("{\"linux\":{\"sysctl\":{\"net.ipv4.ip_forward\":true}}}",
           "$.linux.sysctl[\"net.ipv4.ip_forward\"] is a boolean");
  refused ("{\"linux\":{\"seccomp\":\"unconfined\"}}", "$.linux.seccomp is a string");
  refused ("{\"solaris\":[]}", "$.solaris is an array but must be an object");
  refused ("{\"process\":{\"user\":{\"additionalGids\":[0,\"1\"]}}}",
           "$.process.user.additionalGids[1] is a string");
}

/* Go's strconv.ParseInt/ParseUint against libocispec's strtoll/strtoull.  */
static void
test_numbers_literal (void **state)
{
  (void)state;
  refused ("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"hard\":1.0,\"soft\":0}]}}",
           "$.process.rlimits[0].hard is `1.0`, not an integer literal");
  refused ("{\"process\":{\"user\":{\"uid\":1e3}}}", "`1e3`, not an integer literal");
  refused ("{\"process\":{\"user\":{\"uid\":0E0}}}", "`0E0`");
  refused ("{\"linux\":{\"resources\":{\"memory\":{\"limit\":-1.5}}}}", "`-1.5`");
  refused ("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"hard\":-1,\"soft\":0}]}}",
           "$.process.rlimits[0].hard is `-1` but the field is uint64", "strtoull");
  refused ("{\"process\":{\"user\":{\"uid\":-0}}}", "`-0` but the field is uint32");
  accepted ("{\"linux\":{\"resources\":{\"memory\":{\"limit\":-0,\"swap\":-1}}}}");
  accepted ("{\"linux\":{\"resources\":{\"cpu\":{\"quota\":-1,\"shares\":0}}}}");
}

static void
test_numbers_range (void **state)
{
  (void)state;
  accepted ("{\"process\":{\"user\":{\"uid\":4294967295,\"gid\":0}}}");
  refused ("{\"process\":{\"user\":{\"uid\":4294967296}}}", "out of range for uint32");
  accepted ("{\"linux\":{\"resources\":{\"blockIO\":{\"weight\":65535}}}}");
  refused ("{\"linux\":{\"resources\":{\"blockIO\":{\"weight\":65536}}}}",
           "out of range for uint16");
  accepted ("{\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775807,"
            "\"swap\":-9223372036854775808}}}}");
  refused ("{\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775808}}}}",
           "out of range for int64");
  refused ("{\"linux\":{\"resources\":{\"memory\":{\"limit\":-9223372036854775809}}}}",
           "out of range for int64");
  accepted ("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,"
            "\"soft\":0}]}}");
  refused ("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551616,"
           "\"soft\":0}]}}",
           "out of range for uint64");
  refused ("{\"process\":{\"user\":{\"uid\":123456789012345678901234567890}}}", "out of range");
  /* Go `int`, libocispec C int: the 32-bit intersection.  */
  accepted ("{\"process\":{\"oomScoreAdj\":-2147483648}}");
  refused ("{\"process\":{\"oomScoreAdj\":2147483648}}", "out of range for int32");
  refused ("{\"hooks\":{\"poststop\":[{\"path\":\"/x\",\"timeout\":4294967296}]}}",
           "out of range for int32");
  /* Go os.FileMode (uint32), libocispec C int.  */
  refused ("{\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,\"minor\":1,"
           "\"fileMode\":2147483648}]}}",
           "$.linux.devices[0].fileMode", "out of range");
  /* Go `uint`, libocispec uint32.  */
  refused ("{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\","
           "\"defaultErrnoRet\":4294967296}}}",
           "out of range for uint32");
}

/* 7. Unknown keys are ignored by Go and by libocispec: allowed, whatever their value.  */
static void
test_unknown_keys_accepted (void **state)
{
  (void)state;
  accepted ("{\"ociVersion\":\"1.0.2\",\"foo\":1,\"\":[null],\"x-custom\":{\"Process\":null}}");
  accepted ("{\"process\":{\"cwd\":\"/\",\"argz\":5,\"processs\":{}}}");
  accepted ("{\"linux\":{\"unknownField\":[1,\"a\",null],\"resources\":{\"memory\":{\"foo\":1}}}}");
  /* A dash is not folded away by Go: `no-new-privileges` is unknown, not noNewPrivileges.  */
  accepted ("{\"process\":{\"no-new-privileges\":true,\"no_new_privileges\":true}}");
}

/* 6. Map positions keep their keys exactly (Go map[string]T, libocispec json_map_*).  */
static void
test_map_keys_as_is (void **state)
{
  (void)state;
  accepted ("{\"annotations\":{\"Process\":\"x\",\"proce\\u017fs\":\"y\",\"\\u212a\":\"z\","
            "\"io.kubernetes.cri.container-type\":\"container\"}}");
  accepted (
      "{\"linux\":{\"sysctl\":{\"net.ipv4.ip_forward\":\"1\",\"NET.IPV4.IP_FORWARD\":\"0\"}}}");
  accepted ("{\"linux\":{\"resources\":{\"unified\":{\"memory.max\":\"max\",\"Memory.Max\":\"1\"},"
            "\"rdma\":{\"mlx5_0\":{\"hcaHandles\":3,\"hcaObjects\":4}}}}}");
  accepted ("{\"linux\":{\"timeOffsets\":{\"boottime\":{\"secs\":-1,\"nanosecs\":0}},"
            "\"netDevices\":{\"eth0\":{\"name\":\"eth1\"}}}}");
  /* ...but the values under a map are still checked, and their structs still folded.  */
  refused ("{\"linux\":{\"resources\":{\"rdma\":{\"mlx5_0\":{\"HcaHandles\":3}}}}}",
           "$.linux.resources.rdma.mlx5_0.HcaHandles", "`hcaHandles`");
  refused ("{\"linux\":{\"resources\":{\"unified\":{\"io/max\":5}}}}",
           "$.linux.resources.unified[\"io/max\"] is a number");
  refused ("{\"linux\":{\"timeOffsets\":{\"monotonic\":{\"secs\":1.5}}}}", "`1.5`");
}

/* Fields newer than runc 1.1.5's specs-go (from crun's schema and runtime-spec main): exact
 * names accepted with their types, folded names refused.  */
static void
test_newer_fields (void **state)
{
  (void)state;
  accepted ("{\"domainname\":\"x\",\"process\":{\"ioPriority\":{\"class\":\"IOPRIO_CLASS_IDLE\","
            "\"priority\":0},\"scheduler\":{\"policy\":\"SCHED_OTHER\",\"nice\":-5},"
            "\"execCPUAffinity\":{\"initial\":\"0\",\"final\":\"0-1\"}},"
            "\"mounts\":[{\"destination\":\"/m\",\"uidMappings\":[{\"containerID\":0,"
            "\"hostID\":1000,\"size\":1}]}],\"linux\":{\"personality\":{\"domain\":\"LINUX\"},"
            "\"intelRdt\":{\"closID\":\"c\",\"enableCMT\":true,\"schemata\":[\"L3:0=f\"]},"
            "\"memoryPolicy\":{\"mode\":\"MPOL_BIND\",\"nodes\":\"0\"}}}");
  refused ("{\"DomainName\":\"x\"}", "`domainname`");
  refused ("{\"process\":{\"IOPriority\":{}}}", "`ioPriority`");
  refused ("{\"process\":{\"execCpuAffinity\":{}}}", "`execCPUAffinity`");
  refused ("{\"process\":{\"scheduler\":{\"Nice\":1}}}", "`nice`");
  refused ("{\"mounts\":[{\"UIDMappings\":[]}]}", "`uidMappings`");
  refused ("{\"linux\":{\"TimeOffsets\":{}}}", "`timeOffsets`");
  refused ("{\"linux\":{\"netdevices\":{}}}", "`netDevices`");
  refused ("{\"linux\":{\"memorypolicy\":{}}}", "`memoryPolicy`");
  refused ("{\"linux\":{\"intelRdt\":{\"enableCmt\":true}}}", "`enableCMT`");
  refused ("{\"linux\":{\"resources\":{\"cpu\":{\"Burst\":1}}}}", "`burst`");
  refused ("{\"linux\":{\"resources\":{\"memory\":{\"checkbeforeupdate\":true}}}}",
           "`checkBeforeUpdate`");
  refused ("{\"process\":{\"scheduler\":{\"nice\":2147483648}}}", "out of range for int32");
}

/* Platform sections runc and crun never act on on Linux: only their shape is checked.  */
static void
test_platform_sections (void **state)
{
  (void)state;
  accepted ("{\"windows\":{\"LayerFolders\":null,\"credentialSpec\":[1]},\"solaris\":{},"
            "\"vm\":{\"hypervisor\":{}},\"zos\":{},\"freebsd\":{}}");
  refused ("{\"VM\":{}}", "`vm`");
  refused ("{\"freeBSD\":{}}", "`freebsd`");
}

/* runc exec --process decodes a specs.Process, runc update --resources a specs.LinuxResources.  */
static void
test_other_roots (void **state)
{
  (void)state;
  accepted_kind ("{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}}", SPEC_PROCESS);
  refused_kind ("{\"args\":[\"sh\"],\"Args\":[\"evil\"]}", SPEC_PROCESS, "$.Args",
                "same field as `args`", (const char *)NULL);
  refused_kind ("{\"noNewPrivileges\":false,\"NoNewPrivileges\":true}", SPEC_PROCESS,
                "`noNewPrivileges`", (const char *)NULL);
  refused_kind ("{\"cwd\":5}", SPEC_PROCESS, "$.cwd is a number", (const char *)NULL);
  accepted_kind ("{\"memory\":{\"limit\":1048576},\"pids\":{\"limit\":-1}}", SPEC_RESOURCES);
  refused_kind ("{\"Memory\":{\"limit\":1}}", SPEC_RESOURCES, "$.Memory", "`memory`",
                (const char *)NULL);
  refused_kind ("{\"cpu\":{\"quota\":\"max\"}}", SPEC_RESOURCES, "$.cpu.quota is a string",
                (const char *)NULL);
}

/* Messages stay on one line and name the path, whatever the key holds.  */
static void
test_message_quoting (void **state)
{
  (void)state;
  refused ("{\"annotations\":{\"a\\nb\":5}}", "$.annotations[\"a\\u000ab\"]");
  refused ("{\"\\u212a\\n\\u001b[31m\":1}", "non-ASCII key `\xe2\x84\xaa\\u000a\\u001b[31m`");
  refused ("{\"mounts\":[{},{},{\"options\":[\"ro\",{}]}]}", "$.mounts[2].options[1] is an object");
}

static char *
read_fixture (const char *path, size_t *len)
{
  cleanup_file FILE *f = fopen (path, "re");
  char *buf = xmalloc (SPEC_MAX_BYTES + 1);

  if (f == NULL)
    fail_msg ("open %s", path);
  *len = fread (buf, 1, SPEC_MAX_BYTES, f);
  assert_false (ferror (f));
  return buf;
}

static size_t
check_fixture_dir (const char *dir)
{
  DIR *d = opendir (dir);
  size_t count = 0;

  if (d == NULL)
    fail_msg ("cannot open fixture directory %s", dir);
  for (struct dirent *de; (de = readdir (d)) != NULL;)
    {
      size_t n = strlen (de->d_name), len = 0;
      bool process = n > 13 && strcmp (de->d_name + n - 13, ".process.json") == 0;
      cleanup_free char *path = NULL, *buf = NULL, *msg = NULL;

      if (n < 5 || strcmp (de->d_name + n - 5, ".json") != 0)
        continue;
      path = xasprintf ("%s/%s", dir, de->d_name);
      buf = read_fixture (path, &len);
      msg = validate_kind (buf, len, process ? SPEC_PROCESS : SPEC_CONFIG);
      if (msg != NULL)
        fail_msg ("real config %s refused: %s", path, msg);
      count++;
    }
  closedir (d);
  return count;
}

/* No false positives: every config and process.json captured from Docker, containerd (ctr and
 * CRI) and Podman, and their production-path variants, passes.  */
static void
test_real_configs_accepted (void **state)
{
  const char *fixtures = getenv ("OCG_FIXTURES");
  cleanup_free char *top = NULL, *prod = NULL;
  size_t n;

  (void)state;
  if (fixtures == NULL)
    fixtures = "tests/fixtures";
  top = xasprintf ("%s/real-clients", fixtures);
  prod = xasprintf ("%s/real-clients/production", fixtures);
  n = check_fixture_dir (top);
  assert_true (n >= 26);
  n = check_fixture_dir (prod);
  assert_true (n >= 9);
}

/* ---- every array a rule iterates over has a ceiling ---- */

/* A document with `n` copies of `elem` at `where` (a prefix that opens the array or map, and the
 * suffix that closes the document).  */
static char *
repeated_doc (const char *prefix, const char *elem, const char *suffix, size_t n, bool map)
{
  size_t cap = strlen (prefix) + strlen (suffix) + n * (strlen (elem) + 24) + 1, len = 0;
  char *s = xmalloc (cap);

  len += (size_t)snprintf (s, cap, "%s", prefix);
  for (size_t i = 0; i < n; i++)
    {
      if (map)
        len += (size_t)snprintf (s + len, cap - len, "%s\"k%zu\":", i ? "," : "", i);
      else if (i)
        s[len++] = ',';
      len += (size_t)snprintf (s + len, cap - len, "%s", elem);
    }
  snprintf (s + len, cap - len, "%s", suffix);
  return s;
}

static void
test_counts (void **state)
{
  static const struct
  {
    const char *field, *prefix, *elem, *suffix;
    size_t max;
    bool map;
  } table[] = {
    { "$.mounts", "{\"mounts\":[", "{\"destination\":\"/m\",\"type\":\"tmpfs\"}", "]}", 4096,
      false },
    { "$.mounts[0].options", "{\"mounts\":[{\"destination\":\"/m\",\"options\":[", "\"ro\"", "]}]}",
      256, false },
    { "$.linux.devices", "{\"linux\":{\"devices\":[", "{\"path\":\"/dev/x\"}", "]}}", 65536,
      false },
    { "$.linux.resources.devices", "{\"linux\":{\"resources\":{\"devices\":[", "{\"allow\":false}",
      "]}}}", 4096, false },
    { "$.process.rlimits", "{\"process\":{\"rlimits\":[", "{\"type\":\"RLIMIT_NOFILE\"}", "]}}",
      256, false },
    { "$.hooks.prestart", "{\"hooks\":{\"prestart\":[", "{\"path\":\"/x\"}", "]}}", 256, false },
    { "$.hooks.poststop[0].args", "{\"hooks\":{\"poststop\":[{\"path\":\"/x\",\"args\":[", "\"a\"",
      "]}]}}", 4096, false },
    { "$.linux.sysctl", "{\"linux\":{\"sysctl\":{", "\"1\"", "}}}", 1024, true },
    { "$.annotations", "{\"annotations\":{", "\"\"", "}}", 16384, true },
    { "$.linux.maskedPaths", "{\"linux\":{\"maskedPaths\":[", "\"/p\"", "]}}", 1024, false },
    { "$.linux.readonlyPaths", "{\"linux\":{\"readonlyPaths\":[", "\"/p\"", "]}}", 1024, false },
    { "$.linux.seccomp.syscalls", "{\"linux\":{\"seccomp\":{\"syscalls\":[",
      "{\"names\":[\"read\"]}", "]}}}", 8192, false },
    { "$.linux.seccomp.syscalls[0].names", "{\"linux\":{\"seccomp\":{\"syscalls\":[{\"names\":[",
      "\"read\"", "]}]}}}", 4096, false },
    { "$.linux.seccomp.syscalls[0].args", "{\"linux\":{\"seccomp\":{\"syscalls\":[{\"args\":[",
      "{\"index\":0}", "]}]}}}", 64, false },
    { "$.linux.seccomp.architectures", "{\"linux\":{\"seccomp\":{\"architectures\":[",
      "\"SCMP_ARCH_X86\"", "]}}}", 64, false },
    { "$.linux.uidMappings", "{\"linux\":{\"uidMappings\":[", "{\"size\":1}", "]}}", 1024, false },
    { "$.process.user.additionalGids", "{\"process\":{\"user\":{\"additionalGids\":[", "0", "]}}}",
      65536, false },
    { "$.process.capabilities.ambient", "{\"process\":{\"capabilities\":{\"ambient\":[",
      "\"CAP_CHOWN\"", "]}}}", 256, false },
    { "$.linux.namespaces", "{\"linux\":{\"namespaces\":[", "{\"type\":\"ipc\"}", "]}}", 64,
      false },
    { "$.process", "{\"process\":{", "0", "}}", 256, true },
  };
  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    {
      cleanup_free char *at = repeated_doc (table[i].prefix, table[i].elem, table[i].suffix,
                                            table[i].max, table[i].map);
      cleanup_free char *over = repeated_doc (table[i].prefix, table[i].elem, table[i].suffix,
                                              table[i].max + 1, table[i].map);
      cleanup_free char *want = xasprintf ("%s has %zu entries; ocigate judges at most %zu there",
                                           table[i].field, table[i].max + 1, table[i].max);
      cleanup_error ocg_error_t err = NULL;
      struct spec *spec = spec_load_buffer (at, strlen (at), "config.json", SPEC_CONFIG, &err);

      print_message ("# %s: %zu\n", table[i].field, table[i].max);
      /* At the ceiling the count is no reason to refuse (another field may still be one).  */
      if (spec == NULL && strstr (err->msg, "entries; ocigate judges at most") != NULL)
        fail_msg ("%s at its ceiling refused: %s", table[i].field, err->msg);
      spec_free (spec);
      harness_refused (over, want);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_case_fold_top_level),
    cmocka_unit_test (test_case_fold_nested),
    cmocka_unit_test (test_unicode_fold),
    cmocka_unit_test (test_fold_duplicates),
    cmocka_unit_test (test_null),
    cmocka_unit_test (test_type_mismatch),
    cmocka_unit_test (test_numbers_literal),
    cmocka_unit_test (test_numbers_range),
    cmocka_unit_test (test_unknown_keys_accepted),
    cmocka_unit_test (test_map_keys_as_is),
    cmocka_unit_test (test_newer_fields),
    cmocka_unit_test (test_platform_sections),
    cmocka_unit_test (test_other_roots),
    cmocka_unit_test (test_message_quoting),
    cmocka_unit_test (test_real_configs_accepted),
    cmocka_unit_test (test_counts),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
