/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one harness of the rule unit tests: a built-in profile on the fake host (fake_host.h), a
 * rule run alone on a document with its own parameters, and the findings of that run.
 *
 * Every rule test does the same four things -- load a document, run one rule's check (or its
 * rewrite, twice), look at the findings, change a parameter or a host fact -- and does them
 * here, so that a change to how rules are run (their context, their parameters) is made once.  */
#ifndef OCG_RULE_HARNESS_H
#define OCG_RULE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "fake_host.h"

struct harness
{
  struct host_facts host; /* the fake host: a test may change any fact */
  struct policy *policy;  /* a built-in profile: its parameters are what the rules see */
  struct call call;       /* the facts about the call (bundle, runtime root, id): none known */
  struct findings found;  /* the findings of the last harness_check */
};

/* A harness on a fresh fake host, with the built-in profile `profile`.  */
struct harness *harness_new (const char *profile);
void harness_free (struct harness *h);
/* cmocka setup and teardown: a "baseline" harness in *state.  */
int harness_setup (void **state);
int harness_teardown (void **state);

/* A document from text; the test fails when the loader refuses it.  */
struct spec *harness_load (const char *json, enum spec_kind kind);

/* A config.json that the loader refuses, before any rule runs; the test fails unless the message
 * says `needle`.  */
void harness_refused (const char *json, const char *needle);

/* The text of tests/fixtures/real-clients/<file> ($OCG_FIXTURES), malloc'd.  */
char *harness_real_client (const char *file);

/* Set parameter `key` of rule `rule` to v, or back to its default when v is NULL; the test fails
 * when the rule has no such parameter.  HARNESS_LIST ("a", "b") and HARNESS_NUMBER (n) write a
 * value.  */
void harness_param (struct harness *h, const char *rule, const char *key,
                    const struct param_value *v);
#define HARNESS_LIST(...)                                                                          \
  (&(struct param_value){ .list = (const char *const[]){ __VA_ARGS__, NULL } })
#define HARNESS_EMPTY_LIST (&(struct param_value){ .list = (const char *const[]){ NULL } })
#define HARNESS_NUMBER(n) (&(struct param_value){ .number = (n), .unumber = (uint64_t)(n) })

/* The value of parameter `key` of rule `rule` as `type` (int64_t, bool, char **, ...); the test
 * fails when the rule has no such parameter.  */
const void *harness_field (const struct harness *h, const char *rule, const char *key);
#define HARNESS_PARAM(h, type, rule, key) (*(const type *)harness_field ((h), (rule), (key)))

/* Run `rule`'s check on spec as the document of h->call, with the rule's own parameters: the
 * findings go to h->found and are printed.  Returns how many of them are not notes (a note never
 * denies or rewrites).  */
size_t harness_check (struct harness *h, const struct rule *rule, const struct spec *spec);
/* harness_check, and *fixable (when not NULL) gets how many of those findings the rule's rewrite
 * can fix.  */
size_t harness_check_fixable (struct harness *h, const struct rule *rule, const struct spec *spec,
                              size_t *fixable);
/* The same on a document given as text.  */
size_t harness_check_json (struct harness *h, const struct rule *rule, const char *json,
                           enum spec_kind kind);

/* A config.json given as text, judged as the document of h->call.  */
size_t harness_check_config (struct harness *h, const struct rule *rule, const char *json);
/* A config.json given as text, judged as the document of `call` (h->call is left as it is).  */
size_t harness_check_call (struct harness *h, const struct rule *rule, const char *json,
                           const struct call *call);
/* A config.json given as text, judged as the document of a call nothing is known about -- but a
 * document that carries annotations comes, as the CRI plugin's do, from containerd's runc root
 * (FAKE_CRI_ROOT), which the engine-owned patterns of sensitive-mounts need.  */
size_t harness_check_doc (struct harness *h, const struct rule *rule, const char *json);

/* Is there a finding of the last check whose message contains `needle`, with `note` and
 * `fixable` as asked (HARNESS_ANY: either)?  */
#define HARNESS_ANY (-1)
bool harness_said (const struct harness *h, const char *needle, int note, int fixable);
#define harness_found(h, needle) harness_said ((h), (needle), HARNESS_ANY, HARNESS_ANY)
/* The last check found something, and its rewrite can fix every finding that is not a note
 * (all_fixable) or none of them (none_fixable).  */
bool harness_all_fixable (const struct harness *h);
bool harness_none_fixable (const struct harness *h);

/* The string at JSON Pointer `ptr` of spec, or NULL.  */
const char *harness_string (const struct spec *spec, const char *ptr);

/* Rewrite spec with `rule`; then the rule finds nothing but notes, and a second rewrite records
 * nothing (rewrites are complete and idempotent).  */
void harness_rewrite (struct harness *h, const struct rule *rule, struct spec *spec);

/* harness_rewrite, and then the document equals the JSON text `want`.  */
void harness_rewrite_to (struct harness *h, const struct rule *rule, struct spec *spec,
                         const char *want);

/* The whole policy over spec as the document of h->call (engine_evaluate); the test fails on an
 * engine error.  */
void harness_evaluate (struct harness *h, struct spec *spec, struct decision *d);

/* The call a captured document (tests/fixtures) comes with, as police.c would see it: a config
 * from FAKE_BUNDLE_DIR, under containerd's CRI root when it carries the CRI plugin's annotations
 * or with CRI-O's explicit --root when it carries CRI-O's, the container id the engine named its
 * cgroup after.  *id holds the id (malloc'd; free it when the call is done).  */
struct call harness_fixture_call (const struct spec *spec, char **id);

#endif
