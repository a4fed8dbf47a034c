#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The cost guard: ocigate's user-mode instructions (callgrind) and system calls (strace) up to
# the runtime's execve, held to bench/guard.limits.  Deterministic counts only, never a wall time;
# bench/run.sh measures the same rows (and the wall times) and bench/README.md explains them.
# The runtime is bench/fake-runtime.c, a static program that exits at once: these tests measure
# what ocigate costs before the runtime starts, not that anything works.

load helpers

setup() {
	requires root cc
	command -v valgrind >/dev/null || skip "needs valgrind (callgrind): run contrib/setup-host.sh"
	command -v strace >/dev/null || skip "needs strace"
	command -v jq >/dev/null || skip "needs jq"
	# shellcheck source=../../bench/lib.sh
	. "$OCG_SRCDIR/bench/lib.sh"
	T=$BATS_FILE_TMPDIR
	[ -x "$T/fake-runtime" ] || bench_build "$T" >"$T/build.log" 2>&1 || skip "cannot build the static helpers: $(cat "$T/build.log")"
}

# within ROW INSTRUCTIONS SYSCALLS: both at most the row's limits.
within() {
	local limits
	limits=$(awk -v r="$1" '$1 == r {print $2, $3}' "$OCG_SRCDIR/bench/guard.limits")
	read -r max_i max_s <<<"$limits"
	echo "$1: $2 instructions (limit $max_i), $3 syscalls (limit $max_s)"
	[ -n "$max_i" ] && [ "$2" -gt 0 ] && [ "$2" -le "$max_i" ] && [ "$3" -gt 0 ] && [ "$3" -le "$max_s" ]
}

# counts ROW ARGV...: a first call (what happens once per version of the files is not what every
# call costs), then the counts.
counts() {
	local row=$1
	shift
	"${BENCH_ENV[@]}" "$@" </dev/null
	within "$row" "$(count_instr "$T" -- "$@")" "$(count_syscalls "$T" -- "$@")"
}

@test "cost: pass-through state, without and with a policy file, within its instruction and syscall limits" {
	counts pt "$OCIGATE" --ocigate-runtime "$T/fake-runtime" state cost-guard
	mkdir -m 0755 "$BATS_TEST_TMPDIR/pol"
	jq -n --arg rt "$T/fake-runtime" '{runtime: $rt}' >"$BATS_TEST_TMPDIR/pol/policy.json"
	chmod 0644 "$BATS_TEST_TMPDIR/pol/policy.json"
	counts pt-policy "$OCIGATE" --ocigate-policy "$BATS_TEST_TMPDIR/pol/policy.json" state cost-guard
}

@test "cost: judged create of Docker's default config within its instruction and syscall limits" {
	local b=$BATS_TEST_TMPDIR/docker
	docker_bundle "$b" "$OCG_FIXTURES/real-clients/docker-default.config.json"
	local argv=("$OCIGATE" --ocigate-runtime "$T/fake-runtime" --ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log"
		--root "$BATS_TEST_TMPDIR/state" create --bundle "$b" cost-guard)
	# Every call judges the original config, not the rewrite the previous one wrote back.
	cp "$b.orig.json" "$b/config.json"
	"${BENCH_ENV[@]}" "${argv[@]}" </dev/null
	cp "$b.orig.json" "$b/config.json"
	i=$(count_instr "$T" -- "${argv[@]}")
	cp "$b.orig.json" "$b/config.json"
	s=$(count_syscalls "$T" -- "${argv[@]}")
	# The record the creates left: a delete whose state is gone removes it.
	"${BENCH_ENV[@]}" "$OCIGATE" --root "$BATS_TEST_TMPDIR/state" delete cost-guard </dev/null || true
	within create "$i" "$s"
}
