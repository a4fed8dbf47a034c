/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule harness of the unit tests (see rule_harness.h).  */
#include <config.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fsutil.h"
#include "rule_harness.h"
#include "util.h"

struct harness *
harness_new (const char *profile)
{
  struct harness *h = xzalloc (sizeof (*h));

  fake_host_init (&h->host);
  h->policy = policy_builtin (profile);
  if (h->policy == NULL)
    fail_msg ("no built-in profile `%s`", profile);
  return h;
}

void
harness_free (struct harness *h)
{
  if (h == NULL)
    return;
  findings_clear (&h->found);
  policy_free (h->policy);
  free (h);
}

int
harness_setup (void **state)
{
  *state = harness_new ("baseline");
  return 0;
}

int
harness_teardown (void **state)
{
  harness_free (*state);
  return 0;
}

struct spec *
harness_load (const char *json, enum spec_kind kind)
{
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec = spec_load_buffer (json, strlen (json), "test", kind, &err);

  if (spec == NULL)
    fail_msg ("cannot load `%s`: %s", json, err ? err->msg : "?");
  return spec;
}

void
harness_refused (const char *json, const char *needle)
{
  cleanup_error ocg_error_t err = NULL;
  struct spec *spec = spec_load_buffer (json, strlen (json), "config.json", SPEC_CONFIG, &err);

  if (spec != NULL)
    {
      spec_free (spec);
      fail_msg ("loaded a document that must be refused (%s)", needle);
    }
  print_message ("# %s\n", err->msg);
  if (strstr (err->msg, needle) == NULL)
    fail_msg ("`%s` does not say `%s`", err->msg, needle);
}

char *
harness_real_client (const char *file)
{
  const char *dir = getenv ("OCG_FIXTURES");
  cleanup_free char *path
      = xasprintf ("%s/real-clients/%s", dir && *dir ? dir : "tests/fixtures", file);
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  char *buf = fsutil_read_at (AT_FDCWD, path, 4u << 20, &len, &err);

  if (buf == NULL)
    fail_msg ("read %s: %s", path, err->msg);
  return buf;
}

void
harness_param (struct harness *h, const char *rule, const char *key, const struct param_value *v)
{
  const struct rule *r = rules_find (rule, NULL);
  const struct rule_param *p = r != NULL ? param_find (r->params, r->n_params, key) : NULL;

  if (p == NULL || !policy_param_set (h->policy, rule, key, v != NULL ? v : &p->def))
    fail_msg ("rule `%s` has no parameter `%s`", rule, key);
}

const void *
harness_field (const struct harness *h, const char *rule, const char *key)
{
  const void *field = policy_param (h->policy, rule, key);

  if (field == NULL)
    fail_msg ("rule `%s` has no parameter `%s`", rule, key);
  return field;
}

size_t
harness_check (struct harness *h, const struct rule *rule, const struct spec *spec)
{
  cleanup_error ocg_error_t err = NULL;
  const struct rule_ctx ctx = engine_rule_ctx (h->policy, &h->host, &h->call, spec, rule);
  size_t n = 0;

  findings_clear (&h->found);
  if (rule->check (&ctx, &h->found, &err) < 0)
    fail_msg ("rule `%s`: %s", rule->id, err ? err->msg : "?");
  for (size_t i = 0; i < h->found.n; i++)
    {
      const struct finding *f = &h->found.items[i];

      print_message ("# %s: %s: %s%s%s\n", rule->id, f->path, f->message,
                     f->fixable ? " (fixable)" : "", f->note ? " (note)" : "");
      n += !f->note;
    }
  return n;
}

size_t
harness_check_fixable (struct harness *h, const struct rule *rule, const struct spec *spec,
                       size_t *fixable)
{
  size_t n = harness_check (h, rule, spec), fixed = 0;

  for (size_t i = 0; i < h->found.n; i++)
    fixed += !h->found.items[i].note && h->found.items[i].fixable;
  if (fixable != NULL)
    *fixable = fixed;
  return n;
}

size_t
harness_check_json (struct harness *h, const struct rule *rule, const char *json,
                    enum spec_kind kind)
{
  cleanup_spec struct spec *spec = harness_load (json, kind);

  return harness_check (h, rule, spec);
}

size_t
harness_check_config (struct harness *h, const struct rule *rule, const char *json)
{
  return harness_check_json (h, rule, json, SPEC_CONFIG);
}

size_t
harness_check_call (struct harness *h, const struct rule *rule, const char *json,
                    const struct call *call)
{
  const struct call saved = h->call;
  size_t n;

  h->call = *call;
  n = harness_check_json (h, rule, json, SPEC_CONFIG);
  h->call = saved;
  return n;
}

size_t
harness_check_doc (struct harness *h, const struct rule *rule, const char *json)
{
  cleanup_spec struct spec *spec = harness_load (json, SPEC_CONFIG);
  const struct call saved = h->call;
  size_t n;

  h->call = (struct call){ .verb = CALL_CREATE };
  if (spec_get_object (spec, "/annotations") != NULL)
    h->call.runtime_root = FAKE_CRI_ROOT;
  n = harness_check (h, rule, spec);
  h->call = saved;
  return n;
}

bool
harness_said (const struct harness *h, const char *needle, int note, int fixable)
{
  for (size_t i = 0; i < h->found.n; i++)
    {
      const struct finding *f = &h->found.items[i];

      if ((note == HARNESS_ANY || f->note == (note != 0))
          && (fixable == HARNESS_ANY || f->fixable == (fixable != 0))
          && strstr (f->message, needle) != NULL)
        return true;
    }
  return false;
}

bool
harness_all_fixable (const struct harness *h)
{
  size_t n = 0;

  for (size_t i = 0; i < h->found.n; i++)
    {
      if (h->found.items[i].note)
        continue;
      if (!h->found.items[i].fixable)
        return false;
      n++;
    }
  return n > 0;
}

bool
harness_none_fixable (const struct harness *h)
{
  for (size_t i = 0; i < h->found.n; i++)
    if (h->found.items[i].fixable)
      return false;
  return h->found.n > 0;
}

const char *
harness_string (const struct spec *spec, const char *ptr)
{
  const char *s = NULL;

  return spec_get_string (spec, ptr, &s) ? s : NULL;
}

void
harness_rewrite (struct harness *h, const struct rule *rule, struct spec *spec)
{
  cleanup_error ocg_error_t err = NULL;
  const struct rule_ctx ctx = engine_rule_ctx (h->policy, &h->host, &h->call, spec, rule);
  size_t ops;

  if (rule->rewrite (&ctx, spec, &err) < 0)
    fail_msg ("rewrite `%s`: %s", rule->id, err ? err->msg : "?");
  assert_int_equal (harness_check (h, rule, spec), 0);
  ops = spec->n_ops;
  if (rule->rewrite (&ctx, spec, &err) < 0)
    fail_msg ("rewrite `%s`: %s", rule->id, err ? err->msg : "?");
  assert_int_equal (spec->n_ops, ops);
}

void
harness_rewrite_to (struct harness *h, const struct rule *rule, struct spec *spec, const char *want)
{
  cleanup_spec struct spec *expected = harness_load (want, spec->kind);

  harness_rewrite (h, rule, spec);
  if (!json_equal (spec->root, expected->root))
    {
      cleanup_free char *got = json_serialize (spec->root, NULL, NULL);
      fail_msg ("rewrite gave %s, expected %s", got, want);
    }
}

void
harness_evaluate (struct harness *h, struct spec *spec, struct decision *d)
{
  cleanup_error ocg_error_t err = NULL;

  if (engine_evaluate (h->policy, &h->host, &h->call, spec, d, &err) < 0)
    fail_msg ("engine: %s", err ? err->msg : "?");
}

/* The id the engine passed to the runtime with this config: every engine names the container's
 * cgroup after it (moby /docker/<id>, libpod libpod_parent/libpod-<id>, CRI kubepods/.../<id>,
 * systemd <engine>-<id>.scope).  */
static char *
fixture_container_id (const struct spec *spec)
{
  const char *cg = NULL, *id;
  size_t n;

  if (!spec_get_string (spec, "/linux/cgroupsPath", &cg))
    return NULL;
  id = strrchr (cg, '/') ? strrchr (cg, '/') + 1 : cg;
  id = strrchr (id, ':') ? strrchr (id, ':') + 1 : id;
  id = strrchr (id, '-') ? strrchr (id, '-') + 1 : id;
  n = strlen (id);
  if (n > 6 && strcmp (id + n - 6, ".scope") == 0)
    n -= 6;
  return n > 0 ? xstrndup (id, n) : NULL;
}

struct call
harness_fixture_call (const struct spec *spec, char **id)
{
  struct call call = { .verb = CALL_CREATE };

  /* As police.c does for a bundle's config.json: a relative root.path is resolved against it.  */
  if (spec->kind == SPEC_CONFIG)
    call.bundle_dir = FAKE_BUNDLE_DIR;
  /* A config the CRI plugin wrote comes with containerd's runc root, as it does in production.  */
  if (spec_get (spec, "/annotations/io.kubernetes.cri.sandbox-id") != NULL)
    call.runtime_root = FAKE_CRI_ROOT;
  /* One CRI-O wrote comes with CRI-O's explicit --root.  */
  if (spec_get (spec, "/annotations/io.kubernetes.cri-o.SandboxID") != NULL
      && spec_get (spec, "/annotations/io.kubernetes.cri-o.ContainerType") != NULL)
    {
      call.runtime_root = "/run/runc";
      call.runtime_root_explicit = true;
    }
  *id = fixture_container_id (spec);
  call.container_id = *id;
  return call;
}
