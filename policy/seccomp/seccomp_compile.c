/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Build a specialised OCI seccomp object into a libseccomp filter exactly the way runc 1.1.5 and
 * crun 1.8.1 do, for `seccomp check`.
 *
 * Owns: the runtimes' filter-building rules, reproduced: seccomp_init(defaultAction) keeps the
 * host's architecture and each listed one is added; rules whose action equals the default are
 * skipped (libseccomp refuses them with EACCES; runc seccomp_linux.go matchCall and crun
 * libcrun_generate_seccomp skip them); names resolve for the NATIVE architecture and unknown ones
 * are skipped; two conditions on the same argument become one rule each -- OR'ed, not AND'ed.
 * Must not: load a filter into the kernel.  */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <seccomp.h>

#include "json.h"
#include "seccomp.h"
#include "seccomp_internal.h"
#include "util.h"

/* include/uapi/linux/filter.h BPF_MAXINSNS: seccomp(2) refuses longer programs with EINVAL.  */
#define COMPILE_MAX_INSNS 4096u

/* ---- the report of a check run: compiling says what libseccomp refuses into it ---- */

void
seccomp_check_say (struct seccomp_check_state *st, bool problem, const char *fmt, ...)
{
  va_list ap;

  if (problem)
    st->problems++;
  if (st->report == NULL)
    return;
  fputs (problem ? "error: " : "note: ", st->report);
  va_start (ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  vfprintf (st->report, fmt, ap);
#pragma GCC diagnostic pop
  va_end (ap);
  fputc ('\n', st->report);
}

bool
seccomp_check_once (struct seccomp_check_state *st, const char *name)
{
  for (size_t i = 0; i < st->n_noted; i++)
    if (str_eq (st->noted[i], name))
      return true;
  st->noted = xreallocarray (st->noted, st->n_noted + 1, sizeof (*st->noted));
  st->noted[st->n_noted++] = xstrdup (name);
  return false;
}

/* ---- building the filter ---- */

/* The libseccomp action of an OCI action name (specialise already validated it).  */
static uint32_t
action_value (const char *name, const struct json_node *errno_node)
{
  uint64_t e = EPERM; /* both runtimes' default errno */

  if (errno_node != NULL)
    json_number_u64 (errno_node, &e);
  if (str_eq (name, "SCMP_ACT_ERRNO"))
    return SCMP_ACT_ERRNO ((uint16_t)e);
  if (str_eq (name, "SCMP_ACT_TRACE"))
    return SCMP_ACT_TRACE ((uint16_t)e);
  if (str_eq (name, "SCMP_ACT_KILL_PROCESS"))
    return SCMP_ACT_KILL_PROCESS;
  if (str_eq (name, "SCMP_ACT_TRAP"))
    return SCMP_ACT_TRAP;
  if (str_eq (name, "SCMP_ACT_ALLOW"))
    return SCMP_ACT_ALLOW;
  if (str_eq (name, "SCMP_ACT_LOG"))
    return SCMP_ACT_LOG;
  if (str_eq (name, "SCMP_ACT_NOTIFY"))
    return SCMP_ACT_NOTIFY;
  return SCMP_ACT_KILL_THREAD; /* SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD */
}

static enum scmp_compare
compare_value (const char *op)
{
  static const struct
  {
    const char *name;
    enum scmp_compare op;
  } ops[] = {
    { "SCMP_CMP_NE", SCMP_CMP_NE },
    { "SCMP_CMP_LT", SCMP_CMP_LT },
    { "SCMP_CMP_LE", SCMP_CMP_LE },
    { "SCMP_CMP_EQ", SCMP_CMP_EQ },
    { "SCMP_CMP_GE", SCMP_CMP_GE },
    { "SCMP_CMP_GT", SCMP_CMP_GT },
    { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
  };

  for (size_t i = 0; i < ARRAY_SIZE (ops); i++)
    if (str_eq (ops[i].name, op))
      return ops[i].op;
  return _SCMP_CMP_MIN; /* invalid: libseccomp refuses it */
}

/* Convert `args` to libseccomp conditions; *same_index when two test one argument.  */
static unsigned
args_to_cmp (const struct json_node *args, struct scmp_arg_cmp cmp[6], bool *same_index)
{
  unsigned n = 0, seen = 0;

  *same_index = false;
  for (size_t i = 0; args != NULL && i < args->n && n < 6; i++, n++)
    {
      const struct json_node *a = args->items[i];
      uint64_t index = 0, v1 = 0, v2 = 0;

      json_number_u64 (json_obj_get (a, "index"), &index);
      json_number_u64 (json_obj_get (a, "value"), &v1);
      json_number_u64 (json_obj_get (a, "valueTwo"), &v2);
      *same_index = *same_index || (seen & (1u << index)) != 0;
      seen |= 1u << index;
      cmp[n] = (struct scmp_arg_cmp){ (unsigned)index, compare_value (json_obj_get (a, "op")->text),
                                      v1, v2 };
    }
  return n;
}

static int
add_rules (scmp_filter_ctx ctx, uint32_t action, int nr, const struct json_node *args,
           bool *same_index)
{
  struct scmp_arg_cmp cmp[6];
  unsigned n = args_to_cmp (args, cmp, same_index);
  int rc;

  if (!*same_index)
    return seccomp_rule_add_array (ctx, action, nr, n, cmp);
  for (unsigned i = 0; i < n; i++)
    if ((rc = seccomp_rule_add_array (ctx, action, nr, 1, &cmp[i])) < 0)
      return rc;
  return 0;
}

static void
compile_group (struct seccomp_check_state *st, scmp_filter_ctx ctx, uint32_t def,
               const struct json_node *g, const char *context)
{
  const struct json_node *names = json_obj_get (g, "names");
  const char *action = json_obj_get (g, "action")->text;
  uint32_t act = action_value (action, json_obj_get (g, "errnoRet"));
  bool same_index = false;

  if (act == def)
    return;
  for (size_t j = 0; j < names->n; j++)
    {
      const char *name = names->items[j]->text;
      int nr = seccomp_syscall_resolve_name (name), rc;

      if (str_eq (action, "SCMP_ACT_NOTIFY") && str_eq (name, "write"))
        seccomp_check_say (st, true, "%s: SCMP_ACT_NOTIFY on `write` (runc 1.1.5 refuses it)",
                           context);
      if (nr == __NR_SCMP_ERROR)
        continue;
      rc = add_rules (ctx, act, nr, json_obj_get (g, "args"), &same_index);
      if (rc < 0)
        seccomp_check_say (st, true, "%s: libseccomp refuses the rule for `%s`: %s", context, name,
                           strerror (-rc));
    }
  if (same_index)
    seccomp_check_say (
        st, false,
        "%s: a rule for `%s` tests one argument twice: runc and crun OR those conditions", context,
        names->items[0]->text);
}

/* Export the program and count its instructions (struct sock_filter is 8 bytes).  */
static void
export_bpf (struct seccomp_check_state *st, scmp_filter_ctx ctx, const char *context)
{
  cleanup_close int fd = memfd_create ("ocigate-seccomp-check", MFD_CLOEXEC);
  struct stat sb;
  int rc;

  if (fd < 0)
    {
      seccomp_check_say (st, true, "%s: memfd_create: %s", context, strerror (errno));
      return;
    }
  rc = seccomp_export_bpf (ctx, fd);
  if (rc < 0 || fstat (fd, &sb) < 0)
    {
      seccomp_check_say (st, true, "%s: seccomp_export_bpf: %s", context,
                         strerror (rc < 0 ? -rc : errno));
      return;
    }
  if ((unsigned long long)sb.st_size / 8 > COMPILE_MAX_INSNS)
    seccomp_check_say (st, true, "%s: %lld BPF instructions, the kernel loads at most %u", context,
                       (long long)sb.st_size / 8, COMPILE_MAX_INSNS);
  if ((unsigned)(sb.st_size / 8) > st->max_insns)
    st->max_insns = (unsigned)(sb.st_size / 8);
}

/* Build the filter as a runtime on a `native` host would: seccomp_init keeps the host's own
 * architecture, so for another archMap entry it is swapped for that entry's (libseccomp cannot mix
 * endiannesses in one filter: s390x next to x86_64 is EDOM).  */
static scmp_filter_ctx
filter_new (struct seccomp_check_state *st, uint32_t def, const struct seccomp_arch *native,
            const char *context)
{
  scmp_filter_ctx ctx = seccomp_init (def);
  int rc = 0;

  if (ctx == NULL)
    {
      seccomp_check_say (st, true, "%s: seccomp_init refuses the default action", context);
      return NULL;
    }
  if (native->token != seccomp_arch_native ())
    {
      rc = seccomp_arch_remove (ctx, SCMP_ARCH_NATIVE);
      if (rc == 0)
        rc = seccomp_arch_add (ctx, native->token);
    }
  if (rc < 0)
    {
      seccomp_check_say (st, true, "%s: libseccomp cannot build a filter for `%s`: %s", context,
                         native->oci, strerror (-rc));
      seccomp_release (ctx);
      return NULL;
    }
  return ctx;
}

/* The filter a runtime on a `native` host builds from oci, or NULL (reported in st).  */
static scmp_filter_ctx
filter_build (struct seccomp_check_state *st, const struct json_node *oci,
              const struct seccomp_arch *native, const char *context)
{
  const struct json_node *archs = json_obj_get (oci, "architectures");
  const struct json_node *groups = json_obj_get (oci, "syscalls");
  uint32_t def = action_value (json_obj_get (oci, "defaultAction")->text,
                               json_obj_get (oci, "defaultErrnoRet"));
  scmp_filter_ctx ctx = filter_new (st, def, native, context);

  if (ctx == NULL)
    return NULL;
  for (size_t i = 0; archs != NULL && archs->type == JSON_ARRAY && i < archs->n; i++)
    {
      const struct seccomp_arch *a = seccomp_arch_by_oci (archs->items[i]->text);
      int rc = a != NULL ? seccomp_arch_add (ctx, a->token) : -EINVAL;
      if (rc < 0 && rc != -EEXIST)
        seccomp_check_say (st, true, "%s: seccomp_arch_add `%s`: %s", context,
                           archs->items[i]->text, strerror (-rc));
    }
  for (size_t i = 0; groups != NULL && groups->type == JSON_ARRAY && i < groups->n; i++)
    compile_group (st, ctx, def, groups->items[i], context);
  return ctx;
}

void
seccomp_compile_oci (struct seccomp_check_state *st, const struct json_node *oci,
                     const struct seccomp_arch *native, const char *context)
{
  scmp_filter_ctx ctx = filter_build (st, oci, native, context);

  if (ctx == NULL)
    return;
  export_bpf (st, ctx, context);
  seccomp_release (ctx);
}

struct rule_ref
{
  const char *name;
  uint32_t action;
  bool conditional;
  size_t group;
};

static int
rule_ref_cmp (const void *a, const void *b)
{
  const struct rule_ref *x = a, *y = b;
  int c = strcmp (x->name, y->name);
  return c != 0 ? c : (x->group > y->group) - (x->group < y->group);
}

/* One name in run[0..n) with an unconditional rule and a rule of another action?  libseccomp
 * then keeps whichever came first without a word (db.c _db_sys_add), so the profile's meaning
 * hangs on group order: moby never does this; containers/common's setns does.  */
static void
conflict_in_run (struct seccomp_check_state *st, const struct rule_ref *run, size_t n,
                 const char *context)
{
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      if (!run[i].conditional && run[j].action != run[i].action)
        {
          cleanup_free char *key = xasprintf ("conflict %s", run[i].name);
          if (!seccomp_check_once (st, key))
            seccomp_check_say (
                st, false,
                "%s: `%s` has an unconditional rule and a rule with another action: libseccomp "
                "silently keeps the first one added",
                context, run[i].name);
          return;
        }
}

void
seccomp_compile_conflicts (struct seccomp_check_state *st, const struct json_node *oci,
                           const char *context)
{
  const struct json_node *groups = json_obj_get (oci, "syscalls");
  cleanup_free struct rule_ref *refs = NULL;
  size_t n = 0, start = 0;

  for (size_t i = 0; i < groups->n; i++)
    {
      const struct json_node *g = groups->items[i], *names = json_obj_get (g, "names");
      uint32_t act = action_value (json_obj_get (g, "action")->text, json_obj_get (g, "errnoRet"));

      refs = xreallocarray (refs, n + names->n + 1, sizeof (*refs));
      for (size_t j = 0; j < names->n; j++)
        refs[n++]
            = (struct rule_ref){ names->items[j]->text, act, json_obj_get (g, "args") != NULL, i };
    }
  if (n == 0)
    return;
  qsort (refs, n, sizeof (*refs), rule_ref_cmp);
  for (size_t i = 1; i <= n; i++)
    if (i == n || strcmp (refs[i].name, refs[start].name) != 0)
      {
        if (i - start > 1)
          conflict_in_run (st, &refs[start], i - start, context);
        start = i;
      }
}

/* Read the whole of fd (rewound) into a malloc'd buffer.  */
static void *
read_back (int fd, size_t *len, ocg_error_t *err)
{
  struct stat sb;
  char *buf;

  if (fstat (fd, &sb) < 0 || lseek (fd, 0, SEEK_SET) < 0)
    return ocg_error_set (err, errno, "seccomp_bpf_export"), NULL;
  buf = xmalloc ((size_t)sb.st_size + 1);
  *len = 0;
  while (*len < (size_t)sb.st_size)
    {
      ssize_t n = read (fd, buf + *len, (size_t)sb.st_size - *len);
      if (n <= 0)
        {
          free (buf);
          return ocg_error_set (err, n < 0 ? errno : 0, "seccomp_bpf_export: short read"), NULL;
        }
      *len += (size_t)n;
    }
  return buf;
}

void *
seccomp_bpf_export (const struct json_node *oci, size_t *len, ocg_error_t *err)
{
  const struct seccomp_arch *native = seccomp_arch_by_token (seccomp_arch_native ());
  struct seccomp_check_state st = { .report = NULL };
  cleanup_close int fd = -1;
  scmp_filter_ctx ctx;
  int rc;

  if (seccomp_oci_validate (oci, err) < 0)
    return NULL;
  if (native == NULL)
    return ocg_error_set (err, 0, "libseccomp's native architecture is not one ocigate knows"),
           NULL;
  ctx = filter_build (&st, oci, native, "export");
  if (ctx == NULL || st.problems > 0)
    {
      if (ctx != NULL)
        seccomp_release (ctx);
      return ocg_error_set (err, 0, "libseccomp refuses the seccomp object"), NULL;
    }
  fd = memfd_create ("ocigate-seccomp-bpf", MFD_CLOEXEC);
  rc = fd < 0 ? -errno : seccomp_export_bpf (ctx, fd);
  seccomp_release (ctx);
  if (rc < 0)
    return ocg_error_set (err, -rc, "seccomp_export_bpf"), NULL;
  return read_back (fd, len, err);
}
