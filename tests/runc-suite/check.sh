#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Check one mode's outcomes of runc's suite against this folder's lists (run.sh calls it):
#
#   tests/runc-suite/check.sh plain|audit|enforce OUTDIR
#
#   plain    OUTDIR/plain/outcomes == expected-plain.txt, for the files that ran
#   audit    OUTDIR/audit/outcomes == OUTDIR/plain/outcomes, except known-defects.txt "audit" lines
#   enforce  a test whose outcome differs from plain runc's is either in expected-denials.txt --
#            it fails, and its output shows ocigate's denial by each rule named there (or the
#            entry's evidence text) -- or a known-defects.txt "enforce" line
# A list entry for a test that ran and behaved as under plain runc is "stale" and an error too.
# Prints every mismatch; exits 1 if there is one.  The list formats are in README.md.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MODE=${1:?usage: check.sh MODE OUTDIR}
OUT=${2:?usage: check.sh MODE OUTDIR}
case "$MODE" in plain | audit | enforce) ;; *) echo "check.sh: unknown mode $MODE" >&2; exit 2 ;; esac

# entries FILE [MODE]: a list's entries, one per line, fields joined by "|" and trimmed; comments
# and blank lines dropped.  With MODE, only the entries whose first field is MODE, less that field.
entries() {
	awk -F'|' -v m="${2:-}" '
		/^[[:space:]]*(#|$)/ { next }
		{
			for (i = 1; i <= NF; i++) gsub(/^[[:space:]]+|[[:space:]]+$/, "", $i)
			s = 1
			if (m != "") { if ($1 != m) next; s = 2 }
			line = $s
			for (i = s + 1; i <= NF; i++) line = line "|" $i
			print line
		}' "$1"
}

: >"$OUT/$MODE/mismatches"
awk -v mode="$MODE" -v mode_out="$OUT/$MODE/outcomes" -v plain_out="$OUT/plain/outcomes" \
	-v diagnostics="$OUT/$MODE/diagnostics" -v mismatches="$OUT/$MODE/mismatches" \
	-v expected_plain=<(entries "$HERE/expected-plain.txt") \
	-v denials=<(entries "$HERE/expected-denials.txt") \
	-v defects=<(entries "$HERE/known-defects.txt" "$MODE") '
function bad(msg) { errors++; print "runc-suite: " mode ": " msg }
# bad_test(KEY, MSG): a mismatch of one test, which run.sh may run again alone
function bad_test(k, msg) { print k > mismatches; return bad(msg) }
function file_of(k,    f) { f = k; sub(/ .*/, "", f); return f }
# "OUTCOME FILE NAME" lines -> arr["FILE NAME"] = OUTCOME
function read_outcomes(path, arr,    line, o) {
	while ((getline line < path) > 0) {
		o = line; sub(/ .*/, "", o)
		arr[substr(line, length(o) + 2)] = o
	}
	close(path)
}
# "FILE|NAME|REST" entries -> arr["FILE NAME"] = REST
function read_list(path, arr, what,    line, p, k) {
	while ((getline line < path) > 0) {
		split(line, p, "|")
		k = p[1] " " p[2]
		if (k in arr) bad(what ": two entries for " k)
		arr[k] = substr(line, length(p[1]) + length(p[2]) + 3)
	}
	close(path)
}
# The denial line names each rule as `RULE (CIS ...): ` or `RULE: `, after the policy name or "; ".
function denied_by(text, rule) {
	return index(text, "\": " rule " (") || index(text, "\": " rule ": ") ||
	    index(text, "; " rule " (") || index(text, "; " rule ": ")
}
function ocigate_lines(k,    n, i, l, s) {
	n = split(diag[k], l, "\n")
	for (i = 1; i <= n; i++) if (index(l[i], "ocigate")) s = s "\n    " l[i]
	return s
}
function check_denial(k, what,    d, rules, n, i) {
	split(denial[k], d, "|")
	if (got[k] != "fail") return bad_test(k, what ": expected-denials.txt expects it to fail")
	if (d[2] != "") {
		if (!index(diag[k], d[2])) return bad_test(k, what ": its output lacks the evidence `" d[2] "`" ocigate_lines(k))
		return 1
	}
	n = split(d[1], rules, /[ ,]+/)
	for (i = 1; i <= n; i++)
		if (rules[i] != "" && !denied_by(diag[k], rules[i]))
			return bad_test(k, what ": no denial by rule `" rules[i] "` in its output" ocigate_lines(k))
	return 1
}
BEGIN {
	read_outcomes(mode_out, got)
	for (k in got) { ran[file_of(k)] = 1; total++ }
	if (mode == "plain") {
		read_list(expected_plain, want, "expected-plain.txt")
		for (k in got) {
			if (!(k in want)) bad("not in expected-plain.txt: " k " (" got[k] ")")
			else if (want[k] != got[k]) bad_test(k, k ": " got[k] ", expected-plain.txt says " want[k])
		}
		for (k in want) if ((file_of(k) in ran) && !(k in got)) bad_test(k, k ": did not run")
		exit
	}
	read_outcomes(plain_out, base)
	read_list(defects, defect, "known-defects.txt")
	if (mode == "enforce") read_list(denials, denial, "expected-denials.txt")
	FS = "\t"
	while ((getline line < diagnostics) > 0) {
		split(line, p, "\t")
		diag[p[1] " " p[2]] = diag[p[1] " " p[2]] "\n" p[3]
	}
	for (k in got) {
		if (!(k in base)) { bad(k ": no plain-runc outcome to compare with"); continue }
		if (got[k] == base[k]) { same++; continue }
		what = k ": " got[k] " (plain runc: " base[k] ")"
		if (k in defect) { known++; print "runc-suite: " mode ": known defect: " what; continue }
		if (k in denial) { if (check_denial(k, what)) expected++; continue }
		bad_test(k, what ocigate_lines(k))
	}
	for (k in defect) if ((k in got) && got[k] == base[k])
		bad_test(k, "stale known-defects.txt entry, now as under plain runc: " k)
	for (k in denial) if ((k in got) && got[k] == base[k])
		bad_test(k, "stale expected-denials.txt entry, now as under plain runc: " k)
	exit
}
END {
	if (errors) { printf "runc-suite: %s: FAILED: %d mismatch(es) in %d tests\n", mode, errors, total; exit 1 }
	if (mode == "plain") printf "runc-suite: plain: %d tests as in expected-plain.txt\n", total
	else printf "runc-suite: %s: %d tests: %d as under plain runc, %d expected denials, %d known defects\n",
	    mode, total, same, expected, known
}'
