/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every rule that declares the members of a config.json it reads (`.reads`, engine.h) is held to
 * it: the engine skips its recheck when the rewrites touched none of them, so a member the check
 * reads but does not declare would let a rewrite's side effect through unjudged.
 *
 * For each declaring rule and each config.json of the captured engine configs and of the rule's
 * own fixture directory, judged as a call nothing is known about and as a call from containerd's
 * CRI plugin (whose annotations make binds the engine's own):
 *  - every pointer the check resolves (spec_read_seen, spec.h) must be a declared member or lie
 *    below one;
 *  - every member of the document that is neither a declared member, below one, nor above one is
 *    removed in turn, and the rule's findings (path, message, fixable, note) must be exactly those
 *    of the whole document: this also catches a read that bypasses spec_get.  */
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

#include "engine.h"
#include "rule_harness.h"
#include "util.h"

static const char *
fixtures_dir (void)
{
  const char *dir = getenv ("OCG_FIXTURES");
  return dir && *dir ? dir : "tests/fixtures";
}

/* The findings of the last check, one line each.  */
static char *
findings_text (const struct findings *f)
{
  char *text = xstrdup ("");

  for (size_t i = 0; i < f->n; i++)
    {
      char *next = xasprintf ("%s%s|%d|%d|%s\n", text, f->items[i].path, f->items[i].fixable,
                              f->items[i].note, f->items[i].message);
      free (text);
      text = next;
    }
  return text;
}

/* Is pointer p at or below pointer r?  */
static bool
at_or_below (const char *p, const char *r)
{
  size_t n = strlen (r);
  return strncmp (p, r, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* The pointers spec_get resolved while `recording`.  */
static bool recording;
static char **seen;
static size_t n_seen;

void
spec_read_seen (const struct spec *spec, const char *ptr)
{
  (void)spec;
  if (!recording || ptr == NULL)
    return;
  seen = xreallocarray (seen, n_seen + 1, sizeof (*seen));
  seen[n_seen++] = xstrdup (ptr);
}

static void
seen_clear (void)
{
  for (size_t i = 0; i < n_seen; i++)
    free (seen[i]);
  free (seen);
  seen = NULL;
  n_seen = 0;
}

enum place
{
  DECLARED, /* a declared member or below one */
  ABOVE,    /* holds a declared member */
  OTHER,
};

static enum place
place_of (const struct rule *rule, const char *p)
{
  enum place place = OTHER;

  for (size_t i = 0; rule->reads[i] != NULL; i++)
    {
      if (at_or_below (p, rule->reads[i]))
        return DECLARED;
      if (at_or_below (rule->reads[i], p))
        place = ABOVE;
    }
  return place;
}

struct probe
{
  struct harness *h;
  const struct rule *rule;
  const char *file;
  const char *text; /* the document */
  const char *want; /* its findings */
  size_t removed;   /* members removed and judged */
};

static void
probe_without (struct probe *pr, const char *ptr)
{
  cleanup_spec struct spec *spec = harness_load (pr->text, SPEC_CONFIG);
  cleanup_free char *got = NULL;

  assert_true (spec_remove (spec, ptr));
  harness_check (pr->h, pr->rule, spec);
  got = findings_text (&pr->h->found);
  if (strcmp (got, pr->want) != 0)
    fail_msg ("rule `%s` reads `%s` of %s, which it does not declare:\nwhole:\n%s\nwithout:\n%s",
              pr->rule->id, ptr, pr->file, pr->want, got);
  pr->removed++;
}

static void
probe_object (struct probe *pr, const struct json_node *obj, const char *base)
{
  for (size_t i = 0; obj != NULL && obj->type == JSON_OBJECT && i < obj->n; i++)
    {
      cleanup_free char *ptr = spec_ptr_join (base, obj->keys[i]);

      switch (place_of (pr->rule, ptr))
        {
        case DECLARED:
          break;
        case ABOVE:
          probe_object (pr, obj->items[i], ptr);
          break;
        case OTHER:
          probe_without (pr, ptr);
          break;
        }
    }
}

static char *
read_text (const char *path)
{
  FILE *f = fopen (path, "r");
  char *text = NULL;
  size_t cap = 0;
  ssize_t n;

  if (f == NULL)
    fail_msg ("cannot open %s", path);
  n = getdelim (&text, &cap, '\0', f);
  fclose (f);
  if (n < 0)
    fail_msg ("cannot read %s", path);
  return text;
}

/* The check of the whole document: its findings, and every pointer it resolved was declared.  */
static char *
check_recorded (struct harness *h, const struct rule *rule, const struct spec *spec,
                const char *path)
{
  recording = true;
  harness_check (h, rule, spec);
  recording = false;
  for (size_t i = 0; i < n_seen; i++)
    if (place_of (rule, seen[i]) != DECLARED)
      fail_msg ("rule `%s` reads `%s` of %s, which it does not declare", rule->id, seen[i], path);
  seen_clear ();
  return findings_text (&h->found);
}

static size_t
probe_file (struct harness *h, const struct rule *rule, const char *path)
{
  cleanup_free char *text = read_text (path);
  cleanup_spec struct spec *spec = harness_load (text, SPEC_CONFIG);
  const struct call calls[] = {
    { .verb = CALL_CREATE },
    { .verb = CALL_CREATE,
      .runtime_root = FAKE_CRI_ROOT,
      .runtime_root_explicit = true,
      .container_id = "c0ffee" },
  };
  size_t removed = 0;

  for (size_t c = 0; c < ARRAY_SIZE (calls); c++)
    {
      cleanup_free char *want = NULL;
      struct probe pr = { h, rule, path, text, NULL, 0 };

      h->call = calls[c];
      want = check_recorded (h, rule, spec, path);
      pr.want = want;
      probe_object (&pr, spec->root, "");
      removed += pr.removed;
    }
  h->call = (struct call){ 0 };
  return removed;
}

static bool
is_config (const char *name)
{
  size_t n = strlen (name);
  return n > 5 && strcmp (name + n - 5, ".json") == 0 && strstr (name, ".process.") == NULL
         && strstr (name, "-out.json") == NULL;
}

/* Every config.json in dir: how many members were removed and judged.  */
static size_t
probe_dir (struct harness *h, const struct rule *rule, const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  size_t removed = 0;

  if (d == NULL)
    return 0;
  while ((e = readdir (d)) != NULL)
    if (is_config (e->d_name))
      {
        cleanup_free char *path = xasprintf ("%s/%s", dir, e->d_name);
        removed += probe_file (h, rule, path);
      }
  closedir (d);
  return removed;
}

static void
test_declared_reads (void **state)
{
  struct harness *h = *state;
  size_t n = 0, declaring = 0;
  const struct rule *const *table = rules_table (&n);

  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *own = NULL, *clients = NULL, *production = NULL;
      size_t removed = 0;

      if (table[i]->reads == NULL)
        continue;
      declaring++;
      own = xasprintf ("%s/rules/%s", fixtures_dir (), table[i]->id);
      clients = xasprintf ("%s/real-clients", fixtures_dir ());
      production = xasprintf ("%s/real-clients/production", fixtures_dir ());
      removed = probe_dir (h, table[i], own) + probe_dir (h, table[i], clients)
                + probe_dir (h, table[i], production);
      print_message ("# %s: %zu members removed and judged\n", table[i]->id, removed);
      /* The fixtures hold members the rule does not read: the probe did run.  */
      assert_true (removed > 100);
    }
  /* The rules whose recheck costs the most declare what they read.  */
  assert_true (declaring >= 5);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_declared_reads, harness_setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
