/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime-spec schema, and the walk that refuses a document runc and crun could read
 * differently from ocigate.
 *
 * Owns: one static table per runtime-spec struct (field name and JSON type), and the check of a
 * parsed tree against the Spec, Process or LinuxResources root.  Must not: decide policy, change
 * the tree, or do I/O.
 *
 * Three readers see the same bytes.  runc 1.1.5 decodes with Go 1.19's encoding/json into the
 * specs-go structs it vendors (runtime-spec v1.0.2-57-g1c3f411, runc spec.go loadSpec, exec.go
 * getProcess, update.go); crun 1.8.1 decodes with libocispec 23aed83 (runtime-spec
 * v1.0.2-114-g494a5a6, generated from the JSON schema on top of yajl_tree); ocigate reads its own
 * tree with exact keys.  json.c already refuses what all three would parse differently as JSON
 * (duplicate keys, invalid UTF-8, comments, trailing data, U+0000, lone surrogates, depth).  This
 * file refuses what they would map differently onto the schema:
 *
 *  - Case-folded keys.  Go's decode.go object() looks a key up exactly, then falls back to the
 *    first field whose name matches under fold.go's foldFunc (simpleLetterEqualFold,
 *    asciiEqualFold, or equalFoldRight when the name holds s or k).  runc applies `Process`,
 *    `PROCESS` or `noNewprivileges`; crun (strcmp in the generated parser) and ocigate do not.
 *  - Unicode-folded keys.  equalFoldRight also lets U+017F LATIN SMALL LETTER LONG S match s and
 *    U+212A KELVIN SIGN match k (Go 1.21's foldName/foldRune does the same through
 *    unicode.SimpleFold).  No field name is non-ASCII, so every non-ASCII key at a struct
 *    position is refused: that covers both signs and any fold a later Go might add.
 *  - Fold duplicates.  `process` and `Process` in one object reach the same Go field; the last
 *    wins and, for a pointer or struct field, decodes INTO the value the first one built (a merge).
 *  - Type mismatches.  Go stops with an UnmarshalTypeError (runc refuses to run), but libocispec
 *    drops a member of the wrong type (get_val asks yajl_tree_get for one type and gets NULL),
 *    turns a non-string in a string array into "", and reads unsigned fields with strtoull, which
 *    wraps `-1` to 2^64-1.  So the document must match the schema exactly.
 *  - Numbers.  Go accepts only what strconv.ParseInt/ParseUint accept (no fraction, no exponent,
 *    no sign for unsigned) within the field's Go type; libocispec uses strtoll/strtoull, which
 *    stop at `.`/`e` and wrap negatives.  We accept integer literals in the INTERSECTION of the
 *    two types (Go `int`/`uint` are 32-bit on 32-bit platforms, libocispec `integer` is C int).
 *  - null.  Go sets pointer, slice and map fields to nil and leaves other fields untouched;
 *    libocispec treats a null member as absent, a null string-array element as "", a null
 *    object-array element as an empty struct, and a null map value as an error; ocigate's
 *    accessors read null as absent and skip it in string arrays.  No engine config captured in
 *    tests/fixtures/real-clients holds a null anywhere, so null is refused everywhere.
 *
 * Counts.  Judging is one pass over each list with bounded work per element, but that work can
 * include host lookups (a bind source's path walk, a namespace file, a hook's process).  So every
 * array or map a rule iterates over has a ceiling far above anything an engine writes (the
 * SCHEMA_MAX_* below, each with what the engines send), a struct object holds at most
 * SCHEMA_MAX_STRUCT_MEMBERS keys, and a document beyond one is refused before any rule runs.
 *
 * Unknown keys are allowed: Go ignores them (runc never calls DisallowUnknownFields) and
 * libocispec keeps them only as residual data it never acts on.  To make that safe the tables are
 * a SUPERSET of every runtime-spec v1.x field (specs-go/config.go from v1.0.0 to main, and the
 * JSON schema crun 1.8.1 was generated from), so a key folding onto a field a newer runc or crun
 * knows is refused too.  Map positions (annotations, sysctl, unified, rdma, netDevices,
 * timeOffsets) keep their keys exactly in Go and in crun and are not folded; their values are
 * checked.  No field uses Go's `,string` option or a custom unmarshaler; the only interface{}
 * field (windows.credentialSpec) lives in a platform section runc and crun never act on, so the
 * solaris, windows, vm, zos and freebsd objects are only required to be objects.  */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "gofold.h"
#include "schema.h"
#include "util.h"

enum schema_kind
{
  SCHEMA_STRING,
  SCHEMA_BOOL,
  SCHEMA_INT, /* see the range in schema_type.range */
  SCHEMA_STRUCT,
  SCHEMA_ARRAY,
  SCHEMA_MAP,    /* JSON object with free keys (Go map[string]T) */
  SCHEMA_OPAQUE, /* any JSON object, not descended into */
};

struct schema_range
{
  const char *what; /* for messages */
  bool is_signed;
  uint64_t max;     /* largest accepted value */
  uint64_t neg_max; /* largest accepted magnitude of a negative value (signed only) */
};

struct schema_field;

struct schema_type
{
  enum schema_kind kind;
  const struct schema_type *elem;    /* SCHEMA_ARRAY, SCHEMA_MAP */
  const struct schema_field *fields; /* SCHEMA_STRUCT, terminated by a NULL name */
  const struct schema_range *range;  /* SCHEMA_INT */
  size_t max;                        /* SCHEMA_ARRAY, SCHEMA_MAP: most entries accepted; 0: any */
};

struct schema_field
{
  const char *name;
  const struct schema_type *type;
};

/* Integer ranges: the intersection of the Go type in specs-go and the C type libocispec
 * generates (helpers.py BASIC_TYPES; a plain JSON-schema "integer" becomes C int).  */
static const struct schema_range range_u16 = { "uint16", false, UINT16_MAX, 0 };
static const struct schema_range range_u32 = { "uint32", false, UINT32_MAX, 0 };
static const struct schema_range range_u64 = { "uint64", false, UINT64_MAX, 0 };
static const struct schema_range range_i32 = { "int32", true, INT32_MAX, (uint64_t)INT32_MAX + 1 };
static const struct schema_range range_i64 = { "int64", true, INT64_MAX, (uint64_t)INT64_MAX + 1 };
/* linux.devices[].fileMode: Go os.FileMode (uint32), libocispec "FileMode" (C int).  */
static const struct schema_range range_mode = { "file mode (0..2147483647)", false, INT32_MAX, 0 };

#define SCALAR(id, k, r) static const struct schema_type id = { k, NULL, NULL, r, 0 }
#define ARRAY_OF(id, e) static const struct schema_type id = { SCHEMA_ARRAY, &e, NULL, NULL, 0 }
#define MAP_OF(id, e) static const struct schema_type id = { SCHEMA_MAP, &e, NULL, NULL, 0 }
/* An array or map a rule iterates over, with the most entries accepted (see "Counts" above).  */
#define ARRAY_MAX(id, e, m) static const struct schema_type id = { SCHEMA_ARRAY, &e, NULL, NULL, m }
#define MAP_MAX(id, e, m) static const struct schema_type id = { SCHEMA_MAP, &e, NULL, NULL, m }
#define STRUCT(id, ...)                                                                            \
  static const struct schema_field id##_fields[] = { __VA_ARGS__, { NULL, NULL } };                \
  static const struct schema_type id = { SCHEMA_STRUCT, NULL, id##_fields, NULL, 0 }
#define F(name, type)                                                                              \
  {                                                                                                \
    name, &type                                                                                    \
  }

/* Ceilings of the arrays and maps rules iterate over.  */
#define SCHEMA_MAX_NAMESPACES 64      /* 8 kinds exist; engines write at most 7 */
#define SCHEMA_MAX_CAPS 256           /* per set: Linux has at most 64, --privileged lists 41 */
#define SCHEMA_MAX_MOUNTS 4096        /* Docker ~10 plus one per volume, a pod a few dozen */
#define SCHEMA_MAX_MOUNT_OPTIONS 256  /* engines write fewer than 10 */
#define SCHEMA_MAX_IDMAPS 1024        /* the kernel takes 340 lines (user_namespaces(7)) */
#define SCHEMA_MAX_RLIMITS 256        /* 16 RLIMIT_ types exist */
#define SCHEMA_MAX_HOOKS 256          /* per list: Docker writes 1, OCI hook managers a few */
#define SCHEMA_MAX_HOOK_STRINGS 4096  /* a hook's args or env */
#define SCHEMA_MAX_DEVICES 65536      /* --privileged lists every device node of the host */
#define SCHEMA_MAX_DEVICE_RULES 4096  /* Docker writes 8, plus one per --device(-cgroup-rule) */
#define SCHEMA_MAX_SYSCTLS 1024       /* engines write 0-5 */
#define SCHEMA_MAX_ANNOTATIONS 16384  /* Kubernetes caps a pod's annotations at 256 KiB in all */
#define SCHEMA_MAX_PATHS 1024         /* maskedPaths/readonlyPaths: Docker writes 10 and 5 */
#define SCHEMA_MAX_SYSCALL_RULES 8192 /* Docker's default seccomp profile has ~60 */
#define SCHEMA_MAX_SYSCALL_NAMES 4096 /* Linux has ~450 syscalls */
#define SCHEMA_MAX_SYSCALL_ARGS 64    /* 6 arguments, a few comparisons each */
#define SCHEMA_MAX_SECCOMP_LIST 64    /* architectures (libseccomp knows ~20) and flags (3) */
#define SCHEMA_MAX_GROUPS 65536       /* NGROUPS_MAX */
#define SCHEMA_MAX_STRUCT_MEMBERS 256 /* the largest runtime-spec struct has ~30 fields */

SCALAR (t_str, SCHEMA_STRING, NULL);
SCALAR (t_bool, SCHEMA_BOOL, NULL);
SCALAR (t_u16, SCHEMA_INT, &range_u16);
SCALAR (t_u32, SCHEMA_INT, &range_u32);
SCALAR (t_u64, SCHEMA_INT, &range_u64);
SCALAR (t_i32, SCHEMA_INT, &range_i32);
SCALAR (t_i64, SCHEMA_INT, &range_i64);
SCALAR (t_mode, SCHEMA_INT, &range_mode);
SCALAR (t_opaque, SCHEMA_OPAQUE, NULL);
ARRAY_OF (t_strs, t_str);
MAP_OF (t_str_map, t_str);

/* Process.  Go `uint`/`int` fields (consoleSize, oomScoreAdj, ioPriority.priority, hook timeout,
 * seccomp errnoRet/index) are narrowed to 32 bits: that is Go's width on 32-bit platforms and
 * libocispec's C int / uint32.  */
STRUCT (t_box, F ("height", t_u32), F ("width", t_u32));
ARRAY_MAX (t_gids, t_u32, SCHEMA_MAX_GROUPS);
STRUCT (t_user, F ("uid", t_u32), F ("gid", t_u32), F ("umask", t_u32),
        F ("additionalGids", t_gids), F ("username", t_str));
ARRAY_MAX (t_cap_names, t_str, SCHEMA_MAX_CAPS);
STRUCT (t_caps, F ("bounding", t_cap_names), F ("effective", t_cap_names),
        F ("inheritable", t_cap_names), F ("permitted", t_cap_names), F ("ambient", t_cap_names));
STRUCT (t_rlimit, F ("type", t_str), F ("hard", t_u64), F ("soft", t_u64));
ARRAY_MAX (t_rlimits, t_rlimit, SCHEMA_MAX_RLIMITS);
STRUCT (t_scheduler, F ("policy", t_str), F ("nice", t_i32), F ("priority", t_i32),
        F ("flags", t_strs), F ("runtime", t_u64), F ("deadline", t_u64), F ("period", t_u64));
STRUCT (t_iopriority, F ("class", t_str), F ("priority", t_i32));
STRUCT (t_cpu_affinity, F ("initial", t_str), F ("final", t_str));
STRUCT (t_process, F ("terminal", t_bool), F ("consoleSize", t_box), F ("user", t_user),
        F ("args", t_strs), F ("commandLine", t_str), F ("env", t_strs), F ("cwd", t_str),
        F ("capabilities", t_caps), F ("rlimits", t_rlimits), F ("noNewPrivileges", t_bool),
        F ("apparmorProfile", t_str), F ("oomScoreAdj", t_i32), F ("scheduler", t_scheduler),
        F ("selinuxLabel", t_str), F ("ioPriority", t_iopriority),
        F ("execCPUAffinity", t_cpu_affinity));

/* Root, mounts, hooks.  */
STRUCT (t_root, F ("path", t_str), F ("readonly", t_bool));
STRUCT (t_idmap, F ("containerID", t_u32), F ("hostID", t_u32), F ("size", t_u32));
ARRAY_MAX (t_idmaps, t_idmap, SCHEMA_MAX_IDMAPS);
ARRAY_MAX (t_mount_options, t_str, SCHEMA_MAX_MOUNT_OPTIONS);
STRUCT (t_mount, F ("destination", t_str), F ("type", t_str), F ("source", t_str),
        F ("options", t_mount_options), F ("uidMappings", t_idmaps), F ("gidMappings", t_idmaps));
ARRAY_MAX (t_mounts, t_mount, SCHEMA_MAX_MOUNTS);
ARRAY_MAX (t_hook_strings, t_str, SCHEMA_MAX_HOOK_STRINGS);
STRUCT (t_hook, F ("path", t_str), F ("args", t_hook_strings), F ("env", t_hook_strings),
        F ("timeout", t_i32));
ARRAY_MAX (t_hook_list, t_hook, SCHEMA_MAX_HOOKS);
STRUCT (t_hooks, F ("prestart", t_hook_list), F ("createRuntime", t_hook_list),
        F ("createContainer", t_hook_list), F ("startContainer", t_hook_list),
        F ("poststart", t_hook_list), F ("poststop", t_hook_list));

/* LinuxResources.  LinuxWeightDevice and LinuxThrottleDevice embed LinuxBlockIODevice: Go
 * promotes its `major`/`minor` into the outer object, so they are listed inline.  */
STRUCT (t_weight_dev, F ("major", t_i64), F ("minor", t_i64), F ("weight", t_u16),
        F ("leafWeight", t_u16));
ARRAY_OF (t_weight_devs, t_weight_dev);
STRUCT (t_throttle_dev, F ("major", t_i64), F ("minor", t_i64), F ("rate", t_u64));
ARRAY_OF (t_throttle_devs, t_throttle_dev);
STRUCT (t_blockio, F ("weight", t_u16), F ("leafWeight", t_u16), F ("weightDevice", t_weight_devs),
        F ("throttleReadBpsDevice", t_throttle_devs), F ("throttleWriteBpsDevice", t_throttle_devs),
        F ("throttleReadIOPSDevice", t_throttle_devs),
        F ("throttleWriteIOPSDevice", t_throttle_devs));
STRUCT (t_memory, F ("limit", t_i64), F ("reservation", t_i64), F ("swap", t_i64),
        F ("kernel", t_i64), F ("kernelTCP", t_i64), F ("swappiness", t_u64),
        F ("disableOOMKiller", t_bool), F ("useHierarchy", t_bool),
        F ("checkBeforeUpdate", t_bool));
STRUCT (t_cpu, F ("shares", t_u64), F ("quota", t_i64), F ("burst", t_u64), F ("period", t_u64),
        F ("realtimeRuntime", t_i64), F ("realtimePeriod", t_u64), F ("cpus", t_str),
        F ("mems", t_str), F ("idle", t_i64));
STRUCT (t_pids, F ("limit", t_i64));
STRUCT (t_if_priority, F ("name", t_str), F ("priority", t_u32));
ARRAY_OF (t_if_priorities, t_if_priority);
STRUCT (t_network, F ("classID", t_u32), F ("priorities", t_if_priorities));
STRUCT (t_rdma, F ("hcaHandles", t_u32), F ("hcaObjects", t_u32));
MAP_OF (t_rdma_map, t_rdma);
STRUCT (t_hugepage, F ("pageSize", t_str), F ("limit", t_u64));
ARRAY_OF (t_hugepages, t_hugepage);
STRUCT (t_dev_cgroup, F ("allow", t_bool), F ("type", t_str), F ("major", t_i64),
        F ("minor", t_i64), F ("access", t_str));
ARRAY_MAX (t_dev_cgroups, t_dev_cgroup, SCHEMA_MAX_DEVICE_RULES);
STRUCT (t_resources, F ("devices", t_dev_cgroups), F ("memory", t_memory), F ("cpu", t_cpu),
        F ("pids", t_pids), F ("blockIO", t_blockio), F ("hugepageLimits", t_hugepages),
        F ("network", t_network), F ("rdma", t_rdma_map), F ("unified", t_str_map));

/* Linux.  intelRdt lists enableCMT/enableMBM (crun 1.8.1's schema) as well as the schemata and
 * enableMonitoring that replaced them in runtime-spec main.  */
STRUCT (t_namespace, F ("type", t_str), F ("path", t_str));
ARRAY_MAX (t_namespaces, t_namespace, SCHEMA_MAX_NAMESPACES);
STRUCT (t_device, F ("path", t_str), F ("type", t_str), F ("major", t_i64), F ("minor", t_i64),
        F ("fileMode", t_mode), F ("uid", t_u32), F ("gid", t_u32));
ARRAY_MAX (t_devices, t_device, SCHEMA_MAX_DEVICES);
STRUCT (t_net_device, F ("name", t_str));
MAP_OF (t_net_devices, t_net_device);
STRUCT (t_seccomp_arg, F ("index", t_u32), F ("value", t_u64), F ("valueTwo", t_u64),
        F ("op", t_str));
ARRAY_MAX (t_seccomp_args, t_seccomp_arg, SCHEMA_MAX_SYSCALL_ARGS);
ARRAY_MAX (t_syscall_names, t_str, SCHEMA_MAX_SYSCALL_NAMES);
STRUCT (t_syscall, F ("names", t_syscall_names), F ("action", t_str), F ("errnoRet", t_u32),
        F ("args", t_seccomp_args));
ARRAY_MAX (t_syscalls, t_syscall, SCHEMA_MAX_SYSCALL_RULES);
ARRAY_MAX (t_seccomp_list, t_str, SCHEMA_MAX_SECCOMP_LIST);
STRUCT (t_seccomp, F ("defaultAction", t_str), F ("defaultErrnoRet", t_u32),
        F ("architectures", t_seccomp_list), F ("flags", t_seccomp_list), F ("listenerPath", t_str),
        F ("listenerMetadata", t_str), F ("syscalls", t_syscalls));
STRUCT (t_intel_rdt, F ("closID", t_str), F ("schemata", t_strs), F ("l3CacheSchema", t_str),
        F ("memBwSchema", t_str), F ("enableMonitoring", t_bool), F ("enableCMT", t_bool),
        F ("enableMBM", t_bool));
STRUCT (t_memory_policy, F ("mode", t_str), F ("nodes", t_str), F ("flags", t_strs));
STRUCT (t_personality, F ("domain", t_str), F ("flags", t_strs));
STRUCT (t_time_offset, F ("secs", t_i64), F ("nanosecs", t_u32));
MAP_OF (t_time_offsets, t_time_offset);
MAP_MAX (t_sysctls, t_str, SCHEMA_MAX_SYSCTLS);
ARRAY_MAX (t_paths, t_str, SCHEMA_MAX_PATHS);
MAP_MAX (t_annotations, t_str, SCHEMA_MAX_ANNOTATIONS);
STRUCT (t_linux, F ("uidMappings", t_idmaps), F ("gidMappings", t_idmaps), F ("sysctl", t_sysctls),
        F ("resources", t_resources), F ("cgroupsPath", t_str), F ("namespaces", t_namespaces),
        F ("devices", t_devices), F ("netDevices", t_net_devices), F ("seccomp", t_seccomp),
        F ("rootfsPropagation", t_str), F ("maskedPaths", t_paths), F ("readonlyPaths", t_paths),
        F ("mountLabel", t_str), F ("intelRdt", t_intel_rdt), F ("memoryPolicy", t_memory_policy),
        F ("personality", t_personality), F ("timeOffsets", t_time_offsets));

STRUCT (t_spec, F ("ociVersion", t_str), F ("process", t_process), F ("root", t_root),
        F ("hostname", t_str), F ("domainname", t_str), F ("mounts", t_mounts),
        F ("hooks", t_hooks), F ("annotations", t_annotations), F ("linux", t_linux),
        F ("solaris", t_opaque), F ("windows", t_opaque), F ("vm", t_opaque), F ("zos", t_opaque),
        F ("freebsd", t_opaque));

/* The walk.  `at` is where the node being checked sits (json_where), written out in json.c's
 * notation ("$.process.args[2]", `$.annotations["io.k8s/x"]`) only for a message.  */
struct schema_walk
{
  const char *name;
  ocg_error_t *err;
};

static const char *
node_type_name (enum json_type type)
{
  switch (type)
    {
    case JSON_NULL:
      return "null";
    case JSON_BOOL:
      return "a boolean";
    case JSON_NUMBER:
      return "a number";
    case JSON_STRING:
      return "a string";
    case JSON_OBJECT:
      return "an object";
    case JSON_ARRAY:
      return "an array";
    }
  return "a value";
}

static const char *
schema_type_name (const struct schema_type *type)
{
  switch (type->kind)
    {
    case SCHEMA_STRING:
      return "a string";
    case SCHEMA_BOOL:
      return "a boolean";
    case SCHEMA_INT:
      return "an integer";
    case SCHEMA_ARRAY:
      return "an array";
    case SCHEMA_STRUCT:
    case SCHEMA_MAP:
    case SCHEMA_OPAQUE:
      return "an object";
    }
  return "a value";
}

static enum json_type
schema_json_type (const struct schema_type *type)
{
  switch (type->kind)
    {
    case SCHEMA_STRING:
      return JSON_STRING;
    case SCHEMA_BOOL:
      return JSON_BOOL;
    case SCHEMA_INT:
      return JSON_NUMBER;
    case SCHEMA_ARRAY:
      return JSON_ARRAY;
    case SCHEMA_STRUCT:
    case SCHEMA_MAP:
    case SCHEMA_OPAQUE:
      return JSON_OBJECT;
    }
  return JSON_NULL;
}

/* "<document>: <where> <what>": the one place a position is written out.  */
static int
refuse (struct schema_walk *w, const struct json_where *at, const char *fmt, ...)
{
  cleanup_free char *path = json_where_text (at);
  cleanup_free char *what = NULL;
  va_list ap;

  va_start (ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (vasprintf (&what, fmt, ap) < 0)
    ocg_oom ();
#pragma GCC diagnostic pop
  va_end (ap);
  return ocg_error_set (w->err, 0, "%s: %s %s", w->name, path, what);
}

static int
refuse_null (struct schema_walk *w, const struct json_where *at)
{
  /* decode.go literalStore: null sets a pointer/slice/map to nil and leaves anything else as it
   * was; libocispec reads it as absent, "" or an empty struct depending on the position; our
   * accessors read it as absent.  */
  return refuse (w, at,
                 "is null: runc, crun and ocigate give null different meanings at different "
                 "positions (absent, unchanged, empty), so it is refused");
}

static int
refuse_type (struct schema_walk *w, const struct json_where *at, const struct json_node *node,
             const struct schema_type *type)
{
  return refuse (w, at,
                 "is %s but must be %s (runc's Go decoder refuses the document, crun's libocispec "
                 "would drop or coerce the value)",
                 node_type_name (node->type), schema_type_name (type));
}

/* Go's decoder accepts exactly what strconv.ParseInt / ParseUint accept (decode.go
 * literalStore): an optional `-` for signed fields, then decimal digits.  JSON itself already
 * forbids `+` and leading zeros; they are refused here too in case a parser let them through,
 * because crun's strtoll(..., 0) would read `010` as octal.  */
static int
check_int (struct schema_walk *w, const struct json_where *at, const struct json_node *node,
           const struct schema_range *r)
{
  const char *s = node->text;
  bool neg = *s == '-';
  uint64_t v = 0;
  bool overflow = false;

  if (neg)
    s++;
  if (*s == '\0' || s[strspn (s, "0123456789")] != '\0' || (s[0] == '0' && s[1] != '\0'))
    return refuse (w, at,
                   "is `%s`, not an integer literal (Go's strconv refuses fractions and "
                   "exponents, crun's strtoll would stop at them)",
                   node->text);
  if (neg && !r->is_signed)
    return refuse (w, at,
                   "is `%s` but the field is %s (runc's Go decoder refuses the sign, crun's "
                   "strtoull would wrap it to a huge value)",
                   node->text, r->what);
  for (; *s; s++)
    {
      unsigned d = (unsigned)(*s - '0');
      if (v > (UINT64_MAX - d) / 10)
        overflow = true;
      else
        v = v * 10 + d;
    }
  if (overflow || v > (neg ? r->neg_max : r->max))
    return refuse (w, at, "is `%s`, out of range for %s", node->text, r->what);
  return 0;
}

static int check_value (struct schema_walk *w, const struct json_where *at,
                        const struct json_node *node, const struct schema_type *type);

static const struct schema_field *
find_exact (const struct schema_type *type, const char *key)
{
  for (const struct schema_field *f = type->fields; f->name != NULL; f++)
    if (strcmp (f->name, key) == 0)
      return f;
  return NULL;
}

static const struct schema_field *
find_folded (const struct schema_type *type, const char *key)
{
  for (const struct schema_field *f = type->fields; f->name != NULL; f++)
    if (gofold_equal (f->name, key))
      return f;
  return NULL;
}

/* A key that names no field exactly.  Harmless when Go cannot fold it onto a field either (Go
 * and crun both ignore unknown keys), refused otherwise.  */
static int
check_unknown_key (struct schema_walk *w, const struct json_where *at, const struct json_node *obj,
                   const struct schema_type *type, const char *key)
{
  const struct schema_field *f = find_folded (type, key);
  cleanup_free char *shown = NULL;
  cleanup_free char *path = NULL;

  if (f == NULL && gofold_is_ascii (key))
    return 0;
  shown = json_quote_key (key);
  path = json_where_text (at);
  if (f == NULL)
    return ocg_error_set (w->err, 0,
                          "%s: non-ASCII key `%s` at %s in a runtime-spec object (Go folds some "
                          "non-ASCII letters onto ASCII field names)",
                          w->name, shown, path);
  if (json_obj_get (obj, f->name) != NULL)
    return ocg_error_set (w->err, 0,
                          "%s: key `%s` at %s is the same field as `%s` for runc (Go matches "
                          "keys case-insensitively; the last one wins and objects are merged)",
                          w->name, shown, path, f->name);
  if (!gofold_is_ascii (key))
    return ocg_error_set (w->err, 0,
                          "%s: key `%s` at %s would be read by runc as `%s` (Go folds U+017F to "
                          "`s` and U+212A to `k`)",
                          w->name, shown, path, f->name);
  return ocg_error_set (w->err, 0,
                        "%s: key `%s` at %s would be read by runc as `%s` (Go matches keys "
                        "case-insensitively)",
                        w->name, shown, path, f->name);
}

/* More entries than any engine writes: refused before the entries are looked at.  */
static int
refuse_count (struct schema_walk *w, const struct json_where *at, size_t n, size_t max)
{
  return refuse (w, at,
                 "has %zu entries; ocigate judges at most %zu there (no engine writes nearly as "
                 "many)",
                 n, max);
}

static int
check_struct (struct schema_walk *w, const struct json_where *at, const struct json_node *node,
              const struct schema_type *type)
{
  if (node->n > SCHEMA_MAX_STRUCT_MEMBERS)
    return refuse_count (w, at, node->n, SCHEMA_MAX_STRUCT_MEMBERS);
  for (size_t i = 0; i < node->n; i++)
    {
      const struct schema_field *f = find_exact (type, node->keys[i]);
      const struct json_where sub = { at, node->keys[i], 0 };
      int ret = f != NULL ? check_value (w, &sub, node->items[i], f->type)
                          : check_unknown_key (w, &sub, node, type, node->keys[i]);
      if (ret < 0)
        return ret;
    }
  return 0;
}

/* Array elements and map values.  Map keys are data: Go's map decoding and libocispec's map
 * parsers keep them exactly as written, so they are not folded.  */
static int
check_members (struct schema_walk *w, const struct json_where *at, const struct json_node *node,
               const struct schema_type *elem)
{
  for (size_t i = 0; i < node->n; i++)
    {
      const struct json_where sub = { at, node->type == JSON_ARRAY ? NULL : node->keys[i], i };
      if (check_value (w, &sub, node->items[i], elem) < 0)
        return -1;
    }
  return 0;
}

static int
check_value (struct schema_walk *w, const struct json_where *at, const struct json_node *node,
             const struct schema_type *type)
{
  if (node->type == JSON_NULL)
    return refuse_null (w, at);
  if (node->type != schema_json_type (type))
    return refuse_type (w, at, node, type);
  switch (type->kind)
    {
    case SCHEMA_INT:
      return check_int (w, at, node, type->range);
    case SCHEMA_STRUCT:
      return check_struct (w, at, node, type);
    case SCHEMA_ARRAY:
    case SCHEMA_MAP:
      if (type->max > 0 && node->n > type->max)
        return refuse_count (w, at, node->n, type->max);
      return check_members (w, at, node, type->elem);
    case SCHEMA_STRING:
    case SCHEMA_BOOL:
    case SCHEMA_OPAQUE:
      break;
    }
  return 0;
}

static const struct schema_type *
root_type (enum spec_kind kind)
{
  switch (kind)
    {
    case SPEC_CONFIG:
      return &t_spec;
    case SPEC_PROCESS: /* runc exec.go getProcess decodes into specs.Process */
      return &t_process;
    case SPEC_RESOURCES: /* runc update.go decodes into specs.LinuxResources */
      return &t_resources;
    }
  return NULL;
}

int
schema_validate (const struct json_node *root, enum spec_kind kind, const char *name,
                 ocg_error_t *err)
{
  const struct schema_type *type = root_type (kind);
  struct schema_walk w = { name != NULL ? name : "document", err };

  if (type == NULL)
    return ocg_error_set (err, EINVAL, "%s: unknown document kind %d", w.name, (int)kind);
  if (root == NULL)
    return ocg_error_set (err, EINVAL, "%s: no document", w.name);
  /* A top-level null would leave runc with a nil *specs.Spec (spec.go loadSpec then dereferences
   * it); anything but an object is refused like any other mismatch.  */
  return check_value (&w, &(const struct json_where){ NULL, NULL, 0 }, root, type);
}
