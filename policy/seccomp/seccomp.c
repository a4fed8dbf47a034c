/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp profiles, common part: the architecture/action/operator tables, the typed readers the
 * other two files share, the "restrictive" judgement and the embedded profiles.
 *
 * Owns: the names runc 1.1.5 and crun 1.8.1 accept, seccomp_is_restrictive, the embedded copies of
 * seccomp-profiles/{default,strict}.json.  seccomp_specialise.c turns a Docker-format profile into
 * an OCI object, seccomp_check.c validates with libseccomp. Must not: decide policy, do I/O beyond
 * uname(2), or load a filter.  */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include <seccomp.h>

#include "embedded_seccomp.h"
#include "json.h"
#include "seccomp.h"
#include "seccomp_internal.h"
#include "util.h"

/* moby seccomp_linux.go nativeToSeccomp/goToNative give the `arches` spelling (including its
 * "mips3l64n32"); runc 1.1.5 libcontainer/seccomp/config.go `archs` decides runc_knows.  */
static const struct seccomp_arch arch_table[] = {
  { "SCMP_ARCH_X86", "x86", SCMP_ARCH_X86, true },
  { "SCMP_ARCH_X86_64", "amd64", SCMP_ARCH_X86_64, true },
  { "SCMP_ARCH_X32", "x32", SCMP_ARCH_X32, true },
  { "SCMP_ARCH_ARM", "arm", SCMP_ARCH_ARM, true },
  { "SCMP_ARCH_AARCH64", "arm64", SCMP_ARCH_AARCH64, true },
  { "SCMP_ARCH_MIPS", "mips", SCMP_ARCH_MIPS, true },
  { "SCMP_ARCH_MIPS64", "mips64", SCMP_ARCH_MIPS64, true },
  { "SCMP_ARCH_MIPS64N32", "mips64n32", SCMP_ARCH_MIPS64N32, true },
  { "SCMP_ARCH_MIPSEL", "mipsel", SCMP_ARCH_MIPSEL, true },
  { "SCMP_ARCH_MIPSEL64", "mipsel64", SCMP_ARCH_MIPSEL64, true },
  { "SCMP_ARCH_MIPSEL64N32", "mips3l64n32", SCMP_ARCH_MIPSEL64N32, true },
  { "SCMP_ARCH_PPC", "ppc", SCMP_ARCH_PPC, true },
  { "SCMP_ARCH_PPC64", "ppc64", SCMP_ARCH_PPC64, true },
  { "SCMP_ARCH_PPC64LE", "ppc64le", SCMP_ARCH_PPC64LE, true },
  { "SCMP_ARCH_S390", "s390", SCMP_ARCH_S390, true },
  { "SCMP_ARCH_S390X", "s390x", SCMP_ARCH_S390X, true },
  { "SCMP_ARCH_PARISC", "parisc", SCMP_ARCH_PARISC, false },
  { "SCMP_ARCH_PARISC64", "parisc64", SCMP_ARCH_PARISC64, false },
  { "SCMP_ARCH_RISCV64", "riscv64", SCMP_ARCH_RISCV64, false },
};

const struct seccomp_arch *
seccomp_arch_by_oci (const char *oci_name)
{
  for (size_t i = 0; i < ARRAY_SIZE (arch_table); i++)
    if (str_eq (arch_table[i].oci, oci_name))
      return &arch_table[i];
  return NULL;
}

const struct seccomp_arch *
seccomp_arch_by_token (uint32_t token)
{
  for (size_t i = 0; i < ARRAY_SIZE (arch_table); i++)
    if (arch_table[i].token == token)
      return &arch_table[i];
  return NULL;
}

/* Both runtimes' action names: runc config.go `actions`, crun seccomp.c get_seccomp_action.
 * errno_ok: crun refuses errnoRet on any other action ("errno value specified for action").  */
static const struct seccomp_action action_table[] = {
  { "SCMP_ACT_KILL", true, false, 6 },         { "SCMP_ACT_KILL_THREAD", true, false, 6 },
  { "SCMP_ACT_KILL_PROCESS", true, false, 7 }, { "SCMP_ACT_TRAP", true, false, 5 },
  { "SCMP_ACT_ERRNO", true, true, 4 },         { "SCMP_ACT_TRACE", false, true, 2 },
  { "SCMP_ACT_ALLOW", false, false, 0 },       { "SCMP_ACT_LOG", false, false, 1 },
  { "SCMP_ACT_NOTIFY", false, false, 3 },
};

const struct seccomp_action *
seccomp_action_lookup (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (action_table); i++)
    if (str_eq (action_table[i].name, name))
      return &action_table[i];
  return NULL;
}

/* runc config.go `operators` and crun get_seccomp_operator agree on these seven.  */
static const char *const operator_table[] = {
  "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
  "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

bool
seccomp_operator_known (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (operator_table); i++)
    if (str_eq (operator_table[i], name))
      return true;
  return false;
}

char *
seccomp_where (const char *base, size_t index, const char *key)
{
  cleanup_free char *indexed = json_path_index (base, index);
  return key != NULL ? json_path_key (indexed, key) : steal_pointer (&indexed);
}

/* Go's decoder reads `Names` (or `ſyscalls`, via Unicode folding) into the `names` field: refuse
 * any key that is not an exact member name but could fold onto one, and any non-ASCII key.  */
int
seccomp_keys_exact (const struct json_node *obj, const char *const *known, const char *where,
                    ocg_error_t *err)
{
  for (size_t i = 0; i < obj->n; i++)
    {
      const char *key = obj->keys[i];
      cleanup_free char *quoted = NULL;
      bool exact = false, folded = false;

      for (const char *const *k = known; *k != NULL; k++)
        {
          exact = exact || strcmp (key, *k) == 0;
          folded = folded || strcasecmp (key, *k) == 0;
        }
      for (const char *p = key; *p != '\0' && !folded; p++)
        folded = (unsigned char)*p >= 0x80;
      if (exact || !folded)
        continue;
      quoted = json_quote_key (key);
      return ocg_error_set (err, 0, "%s: key `%s` is not spelled exactly as Go reads it", where,
                            quoted);
    }
  return 0;
}

/* A member that must be a string when present.  */
int
seccomp_opt_string (const struct json_node *obj, const char *key, const char *where,
                    const char **out, ocg_error_t *err)
{
  const struct json_node *n = json_obj_get (obj, key);

  *out = NULL;
  if (n == NULL || n->type == JSON_NULL)
    return 0;
  if (n->type != JSON_STRING)
    return ocg_error_set (err, 0, "%s: `%s` must be a string", where, key);
  *out = n->text;
  return 0;
}

/* A member that must be an array of strings when present (null reads as empty, as in Go).  */
int
seccomp_opt_strings (const struct json_node *obj, const char *key, const char *where,
                     const struct json_node **out, ocg_error_t *err)
{
  const struct json_node *n = json_obj_get (obj, key);

  *out = NULL;
  if (n == NULL || n->type == JSON_NULL)
    return 0;
  if (n->type != JSON_ARRAY)
    return ocg_error_set (err, 0, "%s: `%s` must be an array of strings", where, key);
  for (size_t i = 0; i < n->n; i++)
    if (n->items[i]->type != JSON_STRING)
      return ocg_error_set (err, 0, "%s: `%s[%zu]` must be a string", where, key, i);
  *out = n;
  return 0;
}

/* errnoRet / defaultErrnoRet: Go *uint.  Values above MAX_ERRNO (4095) are not errno values; the
 * runtimes would truncate them to 16 bits.  */
int
seccomp_opt_errno (const struct json_node *obj, const char *key, const char *where, bool *present,
                   uint64_t *out, ocg_error_t *err)
{
  const struct json_node *n = json_obj_get (obj, key);

  *present = false;
  if (n == NULL || n->type == JSON_NULL)
    return 0;
  if (!json_number_u64 (n, out) || *out > 4095)
    return ocg_error_set (err, 0, "%s: `%s` must be an errno value between 0 and 4095", where, key);
  *present = true;
  return 0;
}

bool
seccomp_strings_contain (const struct json_node *arr, const char *s)
{
  for (size_t i = 0; arr != NULL && i < arr->n; i++)
    if (str_eq (arr->items[i]->text, s))
      return true;
  return false;
}

/* The escape set of seccomp_is_restrictive.  Every engine default (moby, containerd, and
 * containers/common for Podman and CRI-O) denies each of these to a container holding only the
 * engine's default capabilities, so requiring them denied raises no finding on a plain `docker
 * run` or `podman run`.  unshare, mount, setns, keyctl, ptrace are NOT here: containers/common
 * allows them unconditionally and moby allows ptrace on kernels >= 4.8.  */
static const char *const escape_syscalls[] = {
  "kexec_load",      "kexec_file_load",   "init_module", "finit_module", "delete_module", "bpf",
  "perf_event_open", "open_by_handle_at", "userfaultfd", "add_key",      "request_key",
};

static bool
action_denies (const char *name)
{
  const struct seccomp_action *act = seccomp_action_lookup (name);
  return act != NULL && act->denies;
}

static bool
group_opens_escape (const struct json_node *g)
{
  const struct json_node *names = json_obj_get (g, "names"), *action = json_obj_get (g, "action");

  if (action == NULL || action->type != JSON_STRING || names == NULL || names->type != JSON_ARRAY)
    return true; /* malformed: the runtime will reject it; do not call it a confinement */
  if (action_denies (action->text))
    return false;
  /* One pass over the names (moby's allow group holds 370), each against the escape set by its
   * first byte before strcmp: the check runs three times per create.  */
  for (size_t k = 0; k < names->n; k++)
    {
      const char *name = names->items[k]->text;
      for (size_t i = 0; name != NULL && i < ARRAY_SIZE (escape_syscalls); i++)
        if (name[0] == escape_syscalls[i][0] && strcmp (name, escape_syscalls[i]) == 0)
          return true;
    }
  return false;
}

bool
seccomp_is_restrictive (const struct json_node *oci_seccomp)
{
  const struct json_node *def, *groups;

  if (oci_seccomp == NULL || oci_seccomp->type != JSON_OBJECT)
    return false;
  def = json_obj_get (oci_seccomp, "defaultAction");
  if (def == NULL || def->type != JSON_STRING || !action_denies (def->text))
    return false;
  groups = json_obj_get (oci_seccomp, "syscalls");
  if (groups == NULL || groups->type == JSON_NULL)
    return true;
  if (groups->type != JSON_ARRAY)
    return false;
  for (size_t i = 0; i < groups->n; i++)
    if (groups->items[i]->type != JSON_OBJECT || group_opens_escape (groups->items[i]))
      return false;
  return true;
}

/* The embedded profiles: their bytes and the SHA-256 embed.sh computed of them.  */
static const struct embedded_profile
{
  const char *name;
  const char *bytes;
  size_t size;
  const char *sha256;
} embedded[] = {
  { "default", (const char *)seccomp_embedded_default, sizeof (seccomp_embedded_default) - 1,
    seccomp_embedded_default_sha256 },
  { "strict", (const char *)seccomp_embedded_strict, sizeof (seccomp_embedded_strict) - 1,
    seccomp_embedded_strict_sha256 },
};

static const struct embedded_profile *
embedded_find (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (embedded); i++)
    if (str_eq (embedded[i].name, name))
      return &embedded[i];
  return NULL;
}

const char *
seccomp_embedded_profile (const char *name, size_t *len)
{
  const struct embedded_profile *e = embedded_find (name);

  if (e != NULL && len != NULL)
    *len = e->size;
  return e != NULL ? e->bytes : NULL;
}

const char *
seccomp_embedded_sha256 (const char *name)
{
  const struct embedded_profile *e = embedded_find (name);

  return e != NULL ? e->sha256 : NULL;
}

struct json_node *
seccomp_load_embedded (const char *name, ocg_error_t *err)
{
  cleanup_free char *source = xasprintf ("embedded seccomp profile `%s`", name);
  struct json_parse_opts opts = { .source = source };
  struct json_node *node;
  const char *bytes;
  size_t len;

  bytes = seccomp_embedded_profile (name, &len);
  if (bytes == NULL)
    {
      ocg_error_set (err, 0, "no embedded seccomp profile `%s`", name);
      return NULL;
    }
  /* Our own bytes: the quick parse gives json_parse's tree, or nothing (then json_parse).  */
  if ((node = json_parse_trusted (bytes, len)) != NULL)
    return node;
  return json_parse (bytes, len, &opts, err);
}

/* moby kernel_linux.go parseRelease: Sscanf("%d.%d") of the release, so "6.1.0-13-amd64" and
 * "6.1-rc5" are both 6.1.  */
int
seccomp_host_kernel (unsigned *major, unsigned *minor, ocg_error_t *err)
{
  struct utsname u;
  char *end;
  unsigned long a, b;

  if (uname (&u) < 0)
    return ocg_error_set (err, errno, "uname");
  a = strtoul (u.release, &end, 10);
  if (end == u.release || end[0] != '.' || end[1] < '0' || end[1] > '9')
    return ocg_error_set (err, 0, "cannot parse kernel release `%s`", u.release);
  b = strtoul (end + 1, NULL, 10);
  if (a > 65535 || b > 65535)
    return ocg_error_set (err, 0, "cannot parse kernel release `%s`", u.release);
  *major = (unsigned)a;
  *minor = (unsigned)b;
  return 0;
}
