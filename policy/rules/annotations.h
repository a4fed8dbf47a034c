/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in default of the `annotations` rule's `annotation_allow` parameter, for policy.c and
 * the policy-file loader.  The rule itself is policy/rules/annotations.c.  */
#ifndef OCG_RULES_ANNOTATIONS_H
#define OCG_RULES_ANNOTATIONS_H

/* fnmatch(3) patterns of annotation keys a runtime acts on that are allowed anyway: the systemd
 * unit properties Podman and CRI-O set on every container.  NULL-terminated.  */
extern const char *const annotations_default_allow[];

#endif
