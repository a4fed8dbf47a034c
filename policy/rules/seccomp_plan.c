/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seccomp rule's plan: computed from the policy's profile, remembered (see seccomp_plan.h).  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <seccomp.h> /* libseccomp's <seccomp.h>: seccomp_arch_native () */

#include "ruleutil.h"
#include "seccomp_plan.h"
#include "util.h"

const struct seccomp_plan_store *seccomp_plan_store = NULL;

/* ---- computing a plan ---- */

/* `architectures` of the policy's profile cut to the native one (native_arch_only).  */
static void
seccomp_native_only (struct json_node *wanted)
{
  const struct seccomp_arch *native = seccomp_arch_by_token (seccomp_arch_native ());
  struct json_node *archs = json_new_array ();

  json_arr_append (archs, json_new_string (native->oci));
  json_obj_set (wanted, "architectures", archs);
}

/* The policy's profile specialised like moby's setupSeccomp does it: for the container's final
 * bounding set (the capabilities rule ran before this one), the native architecture (libseccomp's
 * build architecture, which is also what runc's and crun's libseccomp use) and the running
 * kernel.  A new tree, or NULL.  */
static struct json_node *
seccomp_wanted (const struct rule_ctx *ctx, const struct spec *spec, ocg_error_t *err)
{
  cleanup_free char *ptr = ruleutil_process_ptr (spec, "/capabilities/bounding");
  size_t n_caps = 0;
  cleanup_free const char **caps = spec_get_strv (spec, ptr, &n_caps);
  const struct seccomp_rule_params *p = ctx->params;
  struct param_seccomp *profile = (struct param_seccomp *)&p->profile;
  cleanup_error ocg_error_t why = NULL;
  const struct json_node *tree = policy_seccomp_profile (profile, &why);
  struct json_node *wanted;

  if (tree == NULL)
    return ocg_error_set (err, 0, "seccomp profile `%s` is not loaded%s%s",
                          profile->name ? profile->name : "default", profile->error ? ": " : "",
                          profile->error ? profile->error : ""),
           NULL;
  wanted = seccomp_specialise (tree, caps, n_caps, seccomp_arch_native (), ctx->host->kernel_major,
                               ctx->host->kernel_minor, err);
  if (wanted != NULL && p->native_arch_only)
    seccomp_native_only (wanted);
  return wanted;
}

/* Syscalls that reach state the host shares with every container, which an engine's profile may
 * still allow (containers/common, the profile of Podman and CRI-O, allows keyctl, unshare, clone
 * and clone3 outright): the keyrings, which are not namespaced (the container's root is the host
 * root's user keyring), BPF, perf events and userfaultfd.  A profile that confines the rest keeps
 * everything else it says; these get the policy's answer when it is stricter.  */
static const char *const seccomp_host_global[]
    = { "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", NULL };
/* ... and, where the host lets a process without CAP_SYS_ADMIN create a user namespace, the
 * calls that create one: inside it the container holds every capability over new mount,
 * network and other namespaces -- the kernel surface user namespaces open.  */
static const char *const seccomp_host_global_userns[]
    = { "keyctl",      "add_key", "request_key", "bpf",    "perf_event_open",
        "userfaultfd", "unshare", "clone",       "clone3", NULL };

void
seccomp_plan_release (struct seccomp_plan *plan)
{
  seccomp_merge_result_release (&plan->merged);
  free (plan->refused);
  plan->refused = NULL;
}

/* A missing object becomes the policy's.  One that does not confine is merged with the policy's
 * whole (every restriction of the container's own kept); one that confines only gets the policy's
 * answer for the host-global syscalls.  A merge that cannot keep the container's restrictions is
 * a refusal, never a replacement.  */
static int
seccomp_plan_compute (const struct rule_ctx *ctx, const struct spec *spec,
                      struct seccomp_plan *plan, ocg_error_t *err)
{
  cleanup_json struct json_node *wanted = NULL;
  cleanup_error ocg_error_t why = NULL;
  const char *const *only = NULL;

  wanted = seccomp_wanted (ctx, spec, err);
  if (wanted == NULL)
    return -1;
  if (plan->current == NULL)
    {
      plan->merged.oci = steal_pointer (&wanted);
      plan->merged.changed = true;
      return 0;
    }
  plan->confines = seccomp_is_restrictive (plan->current);
  if (plan->confines)
    only = ctx->host->userns_unprivileged ? seccomp_host_global_userns : seccomp_host_global;
  if (seccomp_merge_oci_changed (plan->current, wanted, only, seccomp_arch_native (), &plan->merged,
                                 &why)
      < 0)
    plan->refused = ocg_error_text (why);
  else if (!plan->merged.changed)
    seccomp_merge_result_release (&plan->merged);
  return 0;
}

/* ---- the key ---- */

/* Can a plan be computed with the policy's profile?  Not when it failed to load (or names
 * none): then every call computes and fails, saying why, and nothing is remembered.  */
static bool
profile_usable (const struct param_seccomp *s)
{
  return s->name != NULL && s->error == NULL && (s->profile != NULL || s->name[0] != '/');
}

/* The profile's identity: an embedded one by its name and the SHA-256 of its bytes computed when
 * the binary was built (its tree is then never parsed for a remembered plan), one named by path
 * by its whole tree, encoded.  */
static void
profile_identity (const struct param_seccomp *s, struct canon *id)
{
  if (s->name[0] != '/')
    {
      canon_str (id, 'E', s->name);
      canon_str (id, 'D', seccomp_embedded_sha256 (s->name));
      return;
    }
  canon_str (id, 'P', s->name);
  canon_tree (id, s->profile);
}

/* The key up to the document's seccomp object, which comes last: the format, the profile's
 * identity `id`, the parameters, the host, the bounding set.  */
static void
key_head (const struct rule_ctx *ctx, const struct spec *spec, const struct canon *id,
          struct canon *key)
{
  const struct seccomp_rule_params *p = ctx->params;
  cleanup_free char *ptr = ruleutil_process_ptr (spec, "/capabilities/bounding");
  size_t n_caps = 0;
  cleanup_free const char **caps = spec_get_strv (spec, ptr, &n_caps);

  canon_str (key, 'V', "ocigate seccomp plan 1");
  canon_bytes (key, 'I', id->buf, id->len);
  canon_uint (key, 'o', p->native_arch_only);
  canon_uint (key, 'a', seccomp_arch_native ());
  canon_uint (key, 'K', ctx->host->kernel_major);
  canon_uint (key, 'k', ctx->host->kernel_minor);
  canon_uint (key, 'u', ctx->host->userns_unprivileged);
  canon_uint (key, 'c', n_caps);
  for (size_t i = 0; i < n_caps; i++)
    canon_str (key, 's', caps[i]);
}

bool
seccomp_plan_key (const struct rule_ctx *ctx, const struct spec *spec, struct canon *key)
{
  const struct seccomp_rule_params *p = ctx->params;
  struct canon id = { 0 };

  if (!profile_usable (&p->profile))
    return false;
  profile_identity (&p->profile, &id);
  key_head (ctx, spec, &id, key);
  canon_tree (key, spec_get_object (spec, "/linux/seccomp"));
  canon_release (&id);
  return true;
}

/* ---- the stored form ---- */

void
seccomp_plan_encode (const struct seccomp_plan *plan, struct canon *value)
{
  const char *const *tightened = (const char *const *)plan->merged.tightened;

  canon_uint (value, 'c', plan->confines);
  canon_uint (value, 'h', plan->merged.changed);
  canon_uint (value, 'r', plan->refused != NULL);
  if (plan->refused != NULL)
    canon_str (value, 'R', plan->refused);
  canon_uint (value, 't', tightened != NULL);
  canon_uint (value, 'n', tightened != NULL ? strv_length (tightened) : 0);
  for (size_t i = 0; tightened != NULL && tightened[i] != NULL; i++)
    canon_str (value, 's', tightened[i]);
  canon_tree (value, plan->merged.oci);
}

/* A 0 or 1 of `tag`.  */
static bool
uncanon_flag (struct uncanon *u, char tag, bool *out)
{
  unsigned long long v = 2;
  bool read = uncanon_uint (u, tag, &v);

  *out = read && v == 1;
  return read && v <= 1;
}

static bool
decode_tightened (struct uncanon *u, struct seccomp_plan *plan)
{
  bool present = false;
  unsigned long long n = 0;

  if (!uncanon_flag (u, 't', &present) || !uncanon_uint (u, 'n', &n) || n > (size_t)(u->end - u->p)
      || (!present && n > 0))
    return false;
  if (present)
    plan->merged.tightened = xzalloc (sizeof (char *) * ((size_t)n + 1));
  for (size_t i = 0; i < n; i++)
    if (!uncanon_str (u, 's', &plan->merged.tightened[i]))
      return false;
  return true;
}

static bool
decode_fields (struct uncanon *u, struct seccomp_plan *plan)
{
  bool refused = false;

  if (!uncanon_flag (u, 'c', &plan->confines) || !uncanon_flag (u, 'h', &plan->merged.changed)
      || !uncanon_flag (u, 'r', &refused) || (refused && !uncanon_str (u, 'R', &plan->refused))
      || !decode_tightened (u, plan) || !uncanon_tree (u, &plan->merged.oci))
    return false;
  /* What seccomp_plan_compute can make, and nothing else.  */
  return u->p == u->end && (plan->merged.oci == NULL || !refused)
         && (plan->merged.oci != NULL) == (plan->merged.changed && !refused)
         && (plan->merged.oci == NULL || plan->merged.oci->type == JSON_OBJECT);
}

bool
seccomp_plan_decode (const char *value, size_t len, struct seccomp_plan *plan)
{
  struct uncanon u = { value, value + len };

  if (decode_fields (&u, plan))
    return true;
  seccomp_plan_release (plan);
  plan->confines = false;
  plan->merged.changed = false;
  return false;
}

/* ---- the memo ---- */

/* The engine checks the rule up to four times per document (check, check before the rewrite,
 * the rewrite, the recheck), and a specialisation and merge of Docker's 370-name profile costs
 * about a million instructions: the last plan is kept with its key and handed out again (a
 * copy, so that the result cannot differ) only for the same key.  */
struct seccomp_memo
{
  const struct json_node *profile; /* the profile tree `id` was made of */
  struct canon id;                 /* its identity (profile_identity) */
  struct canon key;                /* the last plan's key, empty when none */
  struct canon scratch;            /* where this call's key is made (kept: one allocation) */
  struct seccomp_plan plan;        /* .current unused */
};

static void
seccomp_memo_free (void *memo)
{
  struct seccomp_memo *m = memo;

  if (m == NULL)
    return;
  canon_release (&m->id);
  canon_release (&m->key);
  canon_release (&m->scratch);
  seccomp_plan_release (&m->plan);
  free (m);
}

/* The memo of the profile parameter, its identity up to date.  */
static struct seccomp_memo *
memo_of (struct param_seccomp *slot)
{
  struct seccomp_memo *m = slot->memo;

  if (m == NULL)
    {
      m = xzalloc (sizeof (*m));
      slot->memo = m;
      slot->memo_free = seccomp_memo_free;
    }
  /* An embedded profile's identity is its name and digest, whether its tree is parsed yet or not
   * (the computation parses it); a profile named by path is its tree.  */
  if (m->id.len == 0 || (slot->name[0] == '/' && m->profile != slot->profile))
    {
      m->id.len = 0;
      profile_identity (slot, &m->id);
      m->profile = slot->profile;
      m->key.len = 0;
    }
  return m;
}

static void
seccomp_plan_copy (const struct seccomp_plan *from, struct seccomp_plan *to)
{
  to->confines = from->confines;
  to->merged.oci = from->merged.oci != NULL ? json_clone (from->merged.oci) : NULL;
  to->merged.tightened = from->merged.tightened != NULL
                             ? strv_dup ((const char *const *)from->merged.tightened)
                             : NULL;
  to->merged.changed = from->merged.changed;
  to->refused = from->refused != NULL ? xstrdup (from->refused) : NULL;
}

/* Keep the plan of the key made in m->scratch (which then holds the old key's buffer).  */
static void
memo_keep (struct seccomp_memo *m, const struct seccomp_plan *plan)
{
  struct canon old = m->key;

  m->key = m->scratch;
  m->scratch = old;
  seccomp_plan_release (&m->plan);
  m->plan = (struct seccomp_plan){ 0 };
  seccomp_plan_copy (plan, &m->plan);
}

/* A plan the store remembers under `key`, decoded into plan.  */
static bool
store_recall (const struct canon *key, struct seccomp_plan *plan)
{
  cleanup_free char *value = NULL;
  size_t len = 0;

  if (seccomp_plan_store == NULL
      || (value = seccomp_plan_store->recall (key->buf, key->len, &len)) == NULL)
    return false;
  return seccomp_plan_decode (value, len, plan);
}

static void
store_remember (const struct canon *key, const struct seccomp_plan *plan)
{
  struct canon value = { 0 };

  if (seccomp_plan_store == NULL)
    return;
  seccomp_plan_encode (plan, &value);
  seccomp_plan_store->remember (key->buf, key->len, value.buf, value.len);
  canon_release (&value);
}

/* Is the memo's key `head` followed by the encoding of `current`?  Compared in place: the
 * engine asks up to four times per document, and writing the key out each time would cost as
 * much again.  */
static bool
memo_hit (const struct seccomp_memo *m, const struct canon *head, const struct json_node *current)
{
  struct uncanon u;

  /* No arithmetic on a memo's key that was never written (buf NULL).  */
  if (m->key.buf == NULL || m->key.len <= head->len
      || memcmp (m->key.buf, head->buf, head->len) != 0)
    return false;
  u = (struct uncanon){ m->key.buf + head->len, m->key.buf + m->key.len };
  return canon_tree_matches (&u, current) && u.p == u.end;
}

/* The plan of the key whose head is in m->scratch, from the memo, the store or computed.  */
static int
plan_for_key (const struct rule_ctx *ctx, const struct spec *spec, struct seccomp_memo *m,
              struct seccomp_plan *plan, ocg_error_t *err)
{
  struct canon *key = &m->scratch;

  if (memo_hit (m, key, plan->current))
    {
      seccomp_plan_copy (&m->plan, plan);
      return 0;
    }
  canon_tree (key, plan->current);
  if (!store_recall (key, plan))
    {
      if (seccomp_plan_compute (ctx, spec, plan, err) < 0)
        return -1;
      store_remember (key, plan);
    }
  memo_keep (m, plan);
  return 0;
}

int
seccomp_plan_make (const struct rule_ctx *ctx, const struct spec *spec, struct seccomp_plan *plan,
                   ocg_error_t *err)
{
  const struct seccomp_rule_params *p = ctx->params;
  struct param_seccomp *slot = (struct param_seccomp *)&p->profile;
  struct seccomp_memo *m;

  memset (plan, 0, sizeof (*plan));
  plan->current = spec_get_object (spec, "/linux/seccomp");
  if (!profile_usable (slot))
    return seccomp_plan_compute (ctx, spec, plan, err);
  m = memo_of (slot);
  m->scratch.len = 0;
  key_head (ctx, spec, &m->id, &m->scratch);
  return plan_for_key (ctx, spec, m, plan, err);
}
