#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# runc 1.1.5's own integration suite, run with plain runc and with ocigate as the runc binary,
# and checked against the outcomes this folder expects (see README.md here).
#
#   tests/runc-suite/run.sh [plain|audit|enforce]...     (as root; default: all three, in order)
#
#   OCIGATE           the ocigate binary (default: _build/gcc/ocigate)
#   RUNC_SUITE_OUT    work and result directory (default: _build/runc-suite; the source package,
#                     helpers and images are cached there)
#   RUNC_SUITE_FILES  bats files to run, by name (default: every file of the suite)
#
# Per mode, $RUNC_SUITE_OUT/MODE/outcomes has one line per test ("pass|fail|skip FILE NAME") and
# MODE/tap/FILE.tap the raw TAP; audit and enforce also keep ocigate's audit.log.  Then:
#   plain    every test has the outcome in expected-plain.txt;
#   audit    every test has the outcome it had under plain runc in this run, except those in
#            known-defects.txt for audit;
#   enforce  every test whose outcome differs from plain runc is in expected-denials.txt (and its
#            output shows the denial by the rule named there) or in known-defects.txt for enforce.
# An entry of expected-denials.txt or known-defects.txt whose test now behaves as under plain
# runc is an error too ("stale"): remove the line in the change that fixes it.
# A test that does not check out is run once more, alone, before the mode fails (README.md).
# Exits non-zero if a requested mode does not check out.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
OCIGATE=${OCIGATE:-$SRC/_build/gcc/ocigate}
case "$OCIGATE" in /*) ;; *) OCIGATE=$PWD/$OCIGATE ;; esac
OUT=${RUNC_SUITE_OUT:-$SRC/_build/runc-suite}
REAL_RUNC=/usr/sbin/runc
TREE=$OUT/runc
SUITE=$TREE/tests/integration
# A bats file that runs longer than this is stopped (its missing tests then count as failed):
# a guard against a hung container, not a timed assertion.
FILE_TIMEOUT=600

say() { echo "runc-suite: $*" >&2; }

[ "$(id -u)" -eq 0 ] || { say "needs root"; exit 2; }
[ -x "$REAL_RUNC" ] || { say "needs $REAL_RUNC (Debian's runc)"; exit 2; }
command -v bats >/dev/null || { say "needs bats"; exit 2; }
mkdir -p "$OUT"
bash "$HERE/prepare.sh" "$OUT" || { say "cannot prepare the suite"; exit 2; }

suite_files() {
	local f
	if [ -n "${RUNC_SUITE_FILES:-}" ]; then
		# shellcheck disable=SC2086 # a space-separated list of names
		printf '%s\n' $RUNC_SUITE_FILES
	else
		for f in "$SUITE"/*.bats; do echo "${f##*/}"; done
	fi
}

# tap_outcomes FILE < TAP: "pass|fail|skip FILE NAME" for each test line of bats --tap.
tap_outcomes() {
	awk -v f="$1" '
		/^ok [0-9]+ / {
			name = $0; sub(/^ok [0-9]+ /, "", name)
			o = "pass"
			if (match(name, / # skip( |$)/)) { o = "skip"; name = substr(name, 1, RSTART - 1) }
			print o, f, name; next
		}
		/^not ok [0-9]+ / { name = $0; sub(/^not ok [0-9]+ /, "", name); print "fail", f, name }'
}

# tap_diagnostics FILE < TAP: "FILE<TAB>NAME<TAB>LINE" for each diagnostic line of a failed test
# (what bats prints under "not ok": the failed command, and each runc call's status and output).
tap_diagnostics() {
	awk -v f="$1" '
		/^(not )?ok [0-9]+ / { name = ""; if (/^not ok/) { name = $0; sub(/^not ok [0-9]+ /, "", name) }; next }
		name != "" && /^#/ { line = $0; sub(/^# ?/, "", line); print f "\t" name "\t" line }'
}

# Tests the file declares but the TAP never reported (a timed-out or crashed bats file).
missing_outcomes() {
	local f=$1 seen=$2
	grep -oP '^@test "\K.*(?=" \{$)' "$SUITE/$f" | while IFS= read -r name; do
		grep -qxF "$f $name" <(cut -d' ' -f2- "$seen") || echo "fail $f $name"
	done
}

# What an interrupted bats file (timed out) can leave below its temp dir: containers in the
# tests' runc state dirs, helpers that wrote pid files (recvtty, seccompagent), mounts.  Each is
# found through what the tests recorded, never by a process name.
cleanup_tmp() {
	local dir=$1 state id f pid m
	for state in "$dir"/bats-run-*/runc.*/state; do
		[ -d "$state" ] || continue
		for id in $("$REAL_RUNC" --root "$state" list -q 2>/dev/null); do
			"$REAL_RUNC" --root "$state" delete -f "$id" >/dev/null 2>&1
		done
	done
	while IFS= read -r -d '' f; do
		pid=$(cat "$f" 2>/dev/null)
		[[ "$pid" =~ ^[0-9]+$ ]] || continue
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/" && kill -KILL "$pid" 2>/dev/null
	done < <(find "$dir" -name '*pid' -type f -print0 2>/dev/null)
	awk -v d="$dir" 'index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r |
		while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
	grep -qF " $dir/" /proc/mounts || rm -rf "$dir"
}

# runc's helpers put test cgroups below /runc-cgroups-integration-test (helpers.bash
# set_cgroups_path), and its remove_parent misses hierarchies of a hybrid host: the unified one
# (runc's fs manager makes pod_* there), and the cpu one after update.bats's rt test, which leaves
# 950000us of real-time runtime reserved.  Remove what is left, empty directories only (rmdir
# refuses a populated cgroup).
cleanup_cgroups() {
	local d
	for d in /sys/fs/cgroup/*/runc-cgroups-integration-test; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# mode_env MODE DIR: the environment of the bats run.  ocigate is exec'd directly as "runc"
# (a symlink named runc, so argv[0] is runc's and no shell sits in between); the real runtime,
# the policy file (mode) and the audit trail are given through ocigate's environment variables.
mode_env() {
	local mode=$1 dir=$2
	if [ "$mode" = plain ]; then
		echo "RUNC=$REAL_RUNC"
		return
	fi
	mkdir -p "$dir/bin" "$dir/policy"
	ln -sfn "$OCIGATE" "$dir/bin/runc"
	printf '{ "mode": "%s" }\n' "$mode" >"$dir/policy/policy.json"
	chmod 0755 "$dir/policy"
	chmod 0644 "$dir/policy/policy.json"
	echo "RUNC=$dir/bin/runc"
	echo "OCIGATE_RUNTIME=$REAL_RUNC"
	echo "OCIGATE_POLICY=$dir/policy/policy.json"
	echo "OCIGATE_AUDIT_LOG=$dir/audit.log"
}

# run_bats MODE FILE TAP [NAME]: one bats file (or its one test NAME) in MODE; TAP and TAP.err.
run_bats() {
	local mode=$1 f=$2 tap=$3 name=${4:-} tmp cmd rc
	local -a env filter=()
	mapfile -t env < <(mode_env "$mode" "$OUT/$mode")
	[ -z "$name" ] || filter=(-f "^$(printf '%s' "$name" | sed 's/[][\\.*^$+?(){}|]/\\&/g')\$")
	tmp=$(mktemp -d /tmp/ocg-runc-suite.XXXXXX)
	# Searchable by all, as /tmp is for runc's CI: userns.bats maps root to another uid, which
	# must reach the bundle below (the helpers open up only the directories they make).
	chmod 0711 "$tmp"
	# A terminal, as runc's own CI gives the suite (`script -e -c` in its workflow): tests that
	# `runc run` a spec with "terminal": true and no console socket use /dev/tty.  bats runs in
	# the terminal's foreground process group (timeout(1) would move it to a background one,
	# where runc's reads of /dev/tty stop it with SIGTTIN).
	cmd=$(printf '%q ' cd "$SUITE")"&& "$(printf '%q ' env "${env[@]}" TMPDIR="$tmp" \
		bats --tap --setup-suite-file "$HERE/setup_suite.bash" "${filter[@]}" "$f")
	timeout -k 30 "$FILE_TIMEOUT" script -qec "$cmd >$(printf '%q' "$tap") 2>$(printf '%q' "$tap.err")" \
		/dev/null </dev/null >/dev/null 2>&1
	rc=$?
	[ "$rc" -ne 124 ] || say "$mode: $f stopped after ${FILE_TIMEOUT}s"
	cleanup_tmp "$tmp"
	cleanup_cgroups
}

run_mode() {
	local mode=$1 dir=$OUT/$1 f start missing
	rm -rf "$dir"
	mkdir -p "$dir/tap"
	: >"$dir/outcomes"
	: >"$dir/diagnostics"
	start=$(date +%s)
	for f in $(suite_files); do
		[ -f "$SUITE/$f" ] || { say "no such file in the suite: $f"; echo "fail $f (no such file)" >>"$dir/outcomes"; continue; }
		run_bats "$mode" "$f" "$dir/tap/$f.tap"
		tap_outcomes "$f" <"$dir/tap/$f.tap" >"$dir/tap/$f.outcomes"
		missing=$(missing_outcomes "$f" "$dir/tap/$f.outcomes")
		[ -z "$missing" ] || echo "$missing" >>"$dir/tap/$f.outcomes"
		cat "$dir/tap/$f.outcomes" >>"$dir/outcomes"
		tap_diagnostics "$f" <"$dir/tap/$f.tap" >>"$dir/diagnostics"
	done
	echo $(($(date +%s) - start)) >"$dir/seconds"
	say "$mode: $(totals "$dir/outcomes") in $(cat "$dir/seconds")s"
}

# A test that does not check out is run once more, alone, and its second outcome replaces the
# first, which is printed.  runc's tests share host-wide names (every container is test_busybox,
# its default cgroup /sys/fs/cgroup/*/test_busybox): now and then runc cannot remove that cgroup
# when a container ends ("device or resource busy"), and the next test's output starts with
# "container's cgroup is not empty".  A real mismatch repeats.  At most RERUN_MAX tests are run
# again: more mismatches than that are not a flake.
RERUN_MAX=8
rerun_mismatches() {
	local mode=$1 dir=$OUT/$1 n=0 f name tap before after
	[ -s "$dir/mismatches" ] || return 1
	[ "$(sort -u "$dir/mismatches" | wc -l)" -le "$RERUN_MAX" ] || return 1
	while IFS=' ' read -r f name; do
		n=$((n + 1))
		tap=$dir/tap/rerun-$n.tap
		run_bats "$mode" "$f" "$tap" "$name"
		before=$(outcome_of "$f" "$name" <"$dir/outcomes")
		after=$(tap_outcomes "$f" <"$tap" | outcome_of "$f" "$name")
		say "$mode: $f \"$name\" run again alone: ${before:-missing}, then ${after:=fail}"
		{
			grep -vxF -e "pass $f $name" -e "fail $f $name" -e "skip $f $name" "$dir/outcomes"
			echo "$after $f $name"
		} >"$dir/outcomes.new"
		mv "$dir/outcomes.new" "$dir/outcomes"
		{
			awk -F '\t' -v f="$f" -v n="$name" '!($1 == f && $2 == n)' "$dir/diagnostics"
			tap_diagnostics "$f" <"$tap"
		} >"$dir/diagnostics.new"
		mv "$dir/diagnostics.new" "$dir/diagnostics"
	done < <(sort -u "$dir/mismatches")
}

# outcome_of FILE NAME < OUTCOMES: that test's outcome, if listed.
outcome_of() {
	grep -xF -e "pass $1 $2" -e "fail $1 $2" -e "skip $1 $2" | head -n 1 | cut -d' ' -f1
}

totals() {
	awk '{n[$1]++} END{printf "%d pass, %d fail, %d skip", n["pass"], n["fail"], n["skip"]}' "$1"
}

# run_and_check MODE: run it, check it, and check again after running each mismatch alone.
run_and_check() {
	local mode=$1
	run_mode "$mode"
	[ "$mode" != plain ] || suite_files >"$OUT/plain/files"
	bash "$HERE/check.sh" "$mode" "$OUT" && return 0
	rerun_mismatches "$mode" || return 1
	say "$mode: checking again with the outcomes of the tests run alone"
	bash "$HERE/check.sh" "$mode" "$OUT"
}

status=0
modes=("$@")
[ "${#modes[@]}" -gt 0 ] || modes=(plain audit enforce)
for mode in "${modes[@]}"; do
	case "$mode" in
	plain | audit | enforce) ;;
	*) say "unknown mode $mode (plain, audit, enforce)"; exit 2 ;;
	esac
	if [ "$mode" != plain ] && [ ! -x "$OCIGATE" ]; then
		say "no ocigate binary at $OCIGATE"
		exit 2
	fi
	# audit and enforce are compared with plain runc's outcomes of the same files on this host.
	if [ "$mode" != plain ] && ! cmp -s <(suite_files) "$OUT/plain/files" 2>/dev/null; then
		run_and_check plain || status=1
	fi
	run_and_check "$mode" || status=1
done
exit $status
