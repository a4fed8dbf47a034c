/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the audit record's unit tests (test_shim_audit.c, test_shim_audit_bound.c) assert about a
 * record: it parses, its members in order, its value against expected JSON, a text against a
 * regular expression, and its stamp (time, host, version).  Failures are cmocka assertions.  */
#ifndef OCG_TEST_RECORD_ASSERTS_H
#define OCG_TEST_RECORD_ASSERTS_H

#include "json.h"

/* The tree of `text`; fails the test when it does not parse.  */
struct json_node *rec_parse (const char *text);
/* The object's member names, in order, joined by commas, are `want`.  */
void rec_assert_keys (const struct json_node *obj, const char *want);
void rec_assert_json_equal (const struct json_node *got, const char *want_text);
/* `text` matches the extended regular expression `pattern`.  */
void rec_assert_matches (const char *text, const char *pattern);
/* When, where, by which ocigate: the time in UTC to the microsecond (RFC 3339), this host's name
 * and this build's version.  */
void rec_assert_stamp (const struct json_node *record);

#endif
