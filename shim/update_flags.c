/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `update` with individual flags as a resources document (see update_flags.h).  */
#include <config.h>

#include <stdlib.h>

#include <yajl/yajl_gen.h>

#include "gonum.h"
#include "json.h"
#include "update_flags.h"
#include "util.h"

/* Each flag's place in the document: runc update.go's pairs and crun src/update.c descriptors[]
 * agree on it.  */
enum flag_kind
{
  K_WEIGHT, /* runc: Go flag int (base 0), applied when not 0, as uint16 */
  K_UINT,   /* runc: strconv.ParseUint (v, 10, 64) when not "" */
  K_INT,    /* runc: strconv.ParseInt (v, 10, 64) when not "" */
  K_STRING, /* taken as written when not "" */
  K_SIZE,   /* runc: "-1", else go-units RAMInBytes, when not "" */
  K_PIDS,   /* runc: Go flag int (base 0), always applied */
  K_NONE,   /* not in the document */
};

struct flag_place
{
  const char *flag, *section, *name;
  enum flag_kind kind;
  bool runc_ignores; /* runc 1.1.5 parses it but applies nothing ("Kernel memory settings are
                      * ignored and will be removed") */
  bool not_1_1;      /* neither runc 1.1.5 nor crun 1.8.1 has this flag */
};

static const struct flag_place places[ARGV_UPDATE_N] = {
  [ARGV_UPDATE_BLKIO_WEIGHT] = { "blkio-weight", "blockIO", "weight", K_WEIGHT, false, false },
  [ARGV_UPDATE_CPU_PERIOD] = { "cpu-period", "cpu", "period", K_UINT, false, false },
  [ARGV_UPDATE_CPU_QUOTA] = { "cpu-quota", "cpu", "quota", K_INT, false, false },
  [ARGV_UPDATE_CPU_BURST] = { "cpu-burst", "cpu", "burst", K_NONE, false, true },
  [ARGV_UPDATE_CPU_SHARE] = { "cpu-share", "cpu", "shares", K_UINT, false, false },
  [ARGV_UPDATE_CPU_RT_PERIOD] = { "cpu-rt-period", "cpu", "realtimePeriod", K_UINT, false, false },
  [ARGV_UPDATE_CPU_RT_RUNTIME]
  = { "cpu-rt-runtime", "cpu", "realtimeRuntime", K_INT, false, false },
  [ARGV_UPDATE_CPU_IDLE] = { "cpu-idle", "cpu", "idle", K_NONE, false, true },
  [ARGV_UPDATE_CPUSET_CPUS] = { "cpuset-cpus", "cpu", "cpus", K_STRING, false, false },
  [ARGV_UPDATE_CPUSET_MEMS] = { "cpuset-mems", "cpu", "mems", K_STRING, false, false },
  [ARGV_UPDATE_KERNEL_MEMORY] = { "kernel-memory", "memory", "kernel", K_SIZE, true, false },
  [ARGV_UPDATE_KERNEL_MEMORY_TCP]
  = { "kernel-memory-tcp", "memory", "kernelTCP", K_SIZE, true, false },
  [ARGV_UPDATE_MEMORY] = { "memory", "memory", "limit", K_SIZE, false, false },
  [ARGV_UPDATE_MEMORY_RESERVATION]
  = { "memory-reservation", "memory", "reservation", K_SIZE, false, false },
  [ARGV_UPDATE_MEMORY_SWAP] = { "memory-swap", "memory", "swap", K_SIZE, false, false },
  [ARGV_UPDATE_PIDS_LIMIT] = { "pids-limit", "pids", "limit", K_PIDS, false, false },
  /* Intel RDT schemas: runc applies them even with --resources, to linux.intelRdt, which is not
   * part of a resources document; crun 1.8.1 has no such flags.  */
  [ARGV_UPDATE_L3_CACHE_SCHEMA] = { "l3-cache-schema", NULL, NULL, K_NONE, false, false },
  [ARGV_UPDATE_MEM_BW_SCHEMA] = { "mem-bw-schema", NULL, NULL, K_NONE, false, false },
};

/* One flag as runc reads it: the JSON value it sets (NULL when it leaves the member at 0, which
 * the cgroup managers skip), or -1 when runc refuses the value.  */
static int
runc_value (const struct flag_place *p, const char *v, struct json_node **out)
{
  int64_t i = 0;
  uint64_t u = 0;

  *out = NULL;
  switch (p->kind)
    {
    case K_WEIGHT:
    case K_PIDS:
      if (gonum_parse_int (v, 0, &i) < 0)
        return -1;
      if (p->kind == K_WEIGHT)
        i = (uint16_t)i; /* update.go: u16Ptr (uint16 (val)) */
      break;
    case K_UINT:
      if (v[0] != '\0' && gonum_parse_uint (v, 10, &u) < 0)
        return -1;
      *out = u != 0 ? json_new_uint (u) : NULL;
      return 0;
    case K_INT:
      if (v[0] != '\0' && gonum_parse_int (v, 10, &i) < 0)
        return -1;
      break;
    case K_SIZE:
      if (v[0] != '\0' && !str_eq (v, "-1") && gonum_ram_in_bytes (v, &i) < 0)
        return -1;
      i = str_eq (v, "-1") ? -1 : i;
      break;
    case K_STRING:
      *out = v[0] != '\0' ? json_new_string (v) : NULL;
      return 0;
    case K_NONE:
      return 0;
    }
  *out = i != 0 ? json_new_int (i) : NULL;
  return 0;
}

static struct json_node *
section_of (struct json_node *doc, const char *section)
{
  struct json_node *s = json_obj_get (doc, section);

  if (s == NULL)
    {
      s = json_new_object ();
      json_obj_set (doc, section, s);
    }
  return s;
}

/* runc update.go: the flags parsed into specs.LinuxResources, members left at 0 omitted (runc's
 * cgroup managers skip a 0 and its update leaves cpu period and quota alone when 0).  */
static struct json_node *
runc_document (const struct runc_invocation *inv, ocg_error_t *err)
{
  cleanup_json struct json_node *doc = json_new_object ();

  for (size_t i = 0; i < ARGV_UPDATE_N; i++)
    {
      const struct flag_place *p = &places[i];
      const char *v = inv->update_values[i];
      struct json_node *value = NULL;

      if (v == NULL)
        continue;
      if (p->not_1_1)
        return ocg_error_set (err, 0, "runc 1.1.5 has no `--%s` flag", p->flag), NULL;
      if (runc_value (p, v, &value) < 0)
        return ocg_error_set (err, 0, "invalid value `%.64s` for `--%s`: runc refuses it", v,
                              p->flag),
               NULL;
      if (value != NULL && p->runc_ignores)
        json_free (value);
      else if (value != NULL)
        json_obj_set (section_of (doc, p->section), p->name, value);
    }
  return steal_pointer (&doc);
}

char *
update_flags_runc_text (const struct runc_invocation *inv, ocg_error_t *err)
{
  cleanup_json struct json_node *doc = runc_document (inv, err);
  size_t len = 0;

  return doc != NULL ? json_serialize (doc, &len, err) : NULL;
}

/* libcrun compare_update_values: by section, then by member name.  */
static int
compare_places (const void *a, const void *b)
{
  const struct flag_place *x = *(const struct flag_place *const *)a;
  const struct flag_place *y = *(const struct flag_place *const *)b;
  int r = strcmp (x->section, y->section);

  return r != 0 ? r : strcmp (x->name, y->name);
}

/* The given flags crun knows, sorted as it sorts them; -1 for a flag crun 1.8.1 does not have or
 * one given twice (crun would add both to its text, and ocigate refuses duplicate members).  */
static int
crun_flags (const struct runc_invocation *inv, const struct flag_place **out, size_t *n,
            ocg_error_t *err)
{
  *n = 0;
  for (size_t i = 0; i < ARGV_UPDATE_N; i++)
    {
      if (inv->update_values[i] == NULL)
        continue;
      if (places[i].kind == K_NONE)
        return ocg_error_set (err, 0, "crun 1.8.1 has no `--%s` flag", places[i].flag);
      if (inv->update_count[i] > 1)
        return ocg_error_set (err, 0, "`--%s` given twice: crun would write both", places[i].flag);
      out[(*n)++] = &places[i];
    }
  qsort (out, *n, sizeof (*out), compare_places);
  return 0;
}

/* libcrun_container_update_from_values: one object per section, a string member for cpuset
 * values and, for every other flag, its text pasted in as a JSON number without any check.  */
char *
update_flags_crun_text (const struct runc_invocation *inv, ocg_error_t *err)
{
  const struct flag_place *given[ARGV_UPDATE_N];
  const char *section = NULL;
  const unsigned char *buf = NULL;
  yajl_gen g = NULL;
  size_t n = 0, len = 0;
  char *text;

  if (crun_flags (inv, given, &n, err) < 0)
    return NULL;
  if ((g = yajl_gen_alloc (NULL)) == NULL)
    ocg_oom ();
  yajl_gen_map_open (g);
  for (size_t i = 0; i < n; i++)
    {
      const char *v = inv->update_values[given[i] - places];

      if (section == NULL || strcmp (section, given[i]->section) != 0)
        {
          if (section != NULL)
            yajl_gen_map_close (g);
          section = given[i]->section;
          yajl_gen_string (g, (const unsigned char *)section, strlen (section));
          yajl_gen_map_open (g);
        }
      yajl_gen_string (g, (const unsigned char *)given[i]->name, strlen (given[i]->name));
      if (given[i]->kind == K_STRING)
        yajl_gen_string (g, (const unsigned char *)v, strlen (v));
      else
        yajl_gen_number (g, v, strlen (v));
    }
  if (n > 0)
    yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  text = xstrndup ((const char *)buf, len);
  yajl_gen_free (g);
  return text;
}

struct spec *
update_flags_document (const struct runc_invocation *inv, const struct runtime *rt,
                       ocg_error_t *err)
{
  bool crun = rt->flavor == RUNTIME_CRUN;
  cleanup_free char *text
      = crun ? update_flags_crun_text (inv, err) : update_flags_runc_text (inv, err);

  if (text == NULL)
    return NULL;
  /* Through the loader every --resources document goes through: crun parses this text exactly
   * as it parses a file, and for runc it is the structure it will apply.  */
  return spec_load_buffer (text, strlen (text),
                           crun ? "update flags (as crun writes them)"
                                : "update flags (as runc reads them)",
                           SPEC_RESOURCES, err);
}
