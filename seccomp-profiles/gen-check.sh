#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Validate the shipped seccomp profiles.  Run after `make check` (which builds seccomp_dump):
#   seccomp-profiles/gen-check.sh [BUILDDIR]        (BUILDDIR defaults to the current directory)
# 1. each profile is jq's canonical formatting (one syscall name per line, reviewable diffs);
# 2. seccomp_check_file accepts it: names resolve in libseccomp per architecture, actions and
#    operators are ones runc 1.1.5 and crun 1.8.1 know, every capability set compiles to BPF;
# 3. coverage: every syscall libseccomp knows for x86_64, x86, x32, aarch64 and arm is either named
#    in default.json or listed, with its reason, in denied.txt -- a libseccomp upgrade that brings
#    new syscalls fails here until someone decides;
# 4. strict.json allows nothing default.json does not;
# 5. the embedded copies in the build tree are the current files (embed.sh output).
# Output is TAP (one test), so `make check` runs it too; diagnostics are `#` lines.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-.}" && pwd)
dump=$build/tests/unit/seccomp_dump
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

echo "1..1"
[ -x "$dump" ] || { echo "not ok 1 - $dump not built (make check)"; exit 1; }
command -v jq >/dev/null || { echo "ok 1 # SKIP needs jq"; exit 0; }

for p in default strict; do
	f=$here/$p.json
	jq . "$f" | cmp -s - "$f" || { echo "# gen-check: $p.json is not jq-formatted (jq . $p.json)"; fail=1; }
	"$dump" --check "$f" 2>"$tmp/$p.report" || { sed 's/^/# /' "$tmp/$p.report"; fail=1; }
	jq -r '[.syscalls[] | .names[]] | unique[]' "$f" >"$tmp/$p.names"
done

for a in x86_64 x86 x32 aarch64 arm; do "$dump" --table "$a"; done | sort -u >"$tmp/known"
sed 's/#.*//' "$here/denied.txt" | tr -s ' \t' '\n\n' | sed '/^$/d' | sort -u >"$tmp/denied"
sort -u "$tmp/default.names" "$tmp/denied" >"$tmp/classified"
missing=$(comm -23 "$tmp/known" "$tmp/classified")
if [ -n "$missing" ]; then
	echo "# gen-check: libseccomp knows syscalls default.json neither allows nor denied.txt explains:"
	echo "$missing" | sed 's/^/#   /'
	fail=1
fi
both=$(comm -12 "$tmp/default.names" "$tmp/denied")
[ -z "$both" ] || { echo "# gen-check: in default.json AND denied.txt: $both"; fail=1; }
extra=$(comm -23 "$tmp/strict.names" "$tmp/default.names")
[ -z "$extra" ] || { echo "# gen-check: strict.json names what default.json does not: $extra"; fail=1; }

sh "$here/embed.sh" default="$here/default.json" strict="$here/strict.json" >"$tmp/embedded.h"
if [ -f "$build/policy/seccomp/embedded_seccomp.h" ] && ! cmp -s "$tmp/embedded.h" "$build/policy/seccomp/embedded_seccomp.h"; then
	echo "# gen-check: $build/policy/seccomp/embedded_seccomp.h is stale (make rebuilds it)"
	fail=1
fi

if [ "$fail" -eq 0 ]; then
	echo "ok 1 - default.json and strict.json: checked, $(wc -l <"$tmp/known") syscalls classified"
else
	echo "not ok 1 - shipped seccomp profiles"
fi
exit "$fail"
