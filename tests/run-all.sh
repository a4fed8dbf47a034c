#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite, from a fresh clone on Debian 12 (as root): install, build with gcc and
# clang, unit + integration tests, sanitizer build, format/lint, fuzz smoke, distcheck.
# Ends with one line "N passed, N failed" (test cases from every automake test-suite.log, plus one
# per build/lint step) and exits non-zero if anything failed.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OCG_TEST_OUT:-$SRC/_build}
JOBS=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
failures=()

step() { # step NAME CMD...: one pass/fail unit for a build/lint step
	local name=$1
	shift
	echo "=== $name"
	if "$@" >"$OUT/logs/$name.log" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
		tail -n 40 "$OUT/logs/$name.log"
	fi
}

tally() { # tally TEST-SUITE-LOG: add automake's per-test-case totals
	local log=$1 p f
	[ -f "$log" ] || return 0
	p=$(awk '/^# PASS:/{print $3}' "$log")
	f=$(awk '/^# (FAIL|ERROR|XPASS):/{s+=$3} END{print s+0}' "$log")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	[ "${f:-0}" -eq 0 ] || failures+=("$log")
	grep -E '^(FAIL|ERROR|XPASS)' "$log" | head -n 40 || true
}

configure_in() { # configure_in DIR [configure args]
	local dir=$1
	shift
	rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" && "$SRC/configure" "$@"
}

mkdir -p "$OUT/logs"
step setup-host bash "$SRC/contrib/setup-host.sh"
step autogen bash -c "cd '$SRC' && ./autogen.sh"

# gcc: the main build, unit + integration tests (integration needs root, runc, busybox).
step build-gcc bash -c "$(declare -f configure_in); SRC='$SRC'; configure_in '$OUT/gcc' && make -j$JOBS"
(cd "$OUT/gcc" && make -j"$JOBS" check >"$OUT/logs/check-gcc.log" 2>&1)
tally "$OUT/gcc/test-suite.log"

# The real engines from Debian's packages as ocigate's clients: Docker (dockerd + its containerd),
# containerd's ctr, Podman.
if [ -x "$OUT/gcc/ocigate" ]; then
	echo "=== e2e (docker, ctr, cri, k8s-installer, podman)"
	OCIGATE="$OUT/gcc/ocigate" bash "$SRC/tests/e2e/run.sh" >"$OUT/logs/e2e.tap" 2>"$OUT/logs/e2e.log"
	p=$(grep -E '^ok ' "$OUT/logs/e2e.tap" | grep -vc '# skip' || true)
	f=$(grep -c '^not ok ' "$OUT/logs/e2e.tap" || true)
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || { failures+=(e2e); grep -A8 '^not ok ' "$OUT/logs/e2e.tap" | head -n 60; }
fi

# runc 1.1.5's own integration suite (from Debian's source package `runc`) against plain runc,
# then with ocigate as the runc binary in audit and in enforce mode (tests/runc-suite/README.md).
if [ -x "$OUT/gcc/ocigate" ]; then
	for mode in plain audit enforce; do
		step "runc-suite-$mode" env OCIGATE="$OUT/gcc/ocigate" RUNC_SUITE_OUT="$OUT/runc-suite" \
			bash "$SRC/tests/runc-suite/run.sh" "$mode"
	done
fi

# The Debian package: built with dpkg-buildpackage, lintian-clean, installed with apt-get, the
# demo run against the installed binary, purged (about three minutes; it skips on a machine where
# an ocigate it did not install is in its way).
echo "=== deb (tests/packaging/deb.bats)"
bats --tap "$SRC/tests/packaging/deb.bats" >"$OUT/logs/deb.tap" 2>&1
p=$(grep -E '^ok ' "$OUT/logs/deb.tap" | grep -vc '# skip' || true)
f=$(grep -c '^not ok ' "$OUT/logs/deb.tap" || true)
passed=$((passed + p))
failed=$((failed + f))
[ "$f" -eq 0 ] || { failures+=(deb); grep -A12 '^not ok ' "$OUT/logs/deb.tap" | head -n 60; }

# clang must build warning-free too; its unit tests run under ASan+UBSan.
step build-clang-sanitizers bash -c "$(declare -f configure_in); SRC='$SRC'; configure_in '$OUT/asan' CC=clang --enable-sanitizers && make -j$JOBS"
(cd "$OUT/asan" && ASAN_OPTIONS=detect_leaks=1 make -j"$JOBS" check TESTS="$(make -s print-unit-tests | tail -n 1)" >"$OUT/logs/check-asan.log" 2>&1)
tally "$OUT/asan/test-suite.log"

step check-format bash -c "cd '$OUT/gcc' && make check-format"
step lint bash -c "cd '$OUT/gcc' && make lint"
if [ -x "$SRC/tests/fuzz/smoke.sh" ]; then
	step fuzz-smoke bash -c "$(declare -f configure_in); SRC='$SRC'; configure_in '$OUT/fuzz' CC=clang --enable-fuzzing && make -j$JOBS && '$SRC/tests/fuzz/smoke.sh' 60 '$OUT/fuzz/tests/fuzz/fuzz_spec'"
fi
step distcheck bash -c "cd '$OUT/gcc' && make -j$JOBS distcheck TESTS=\"\$(make -s print-unit-tests | tail -n 1)\""

if [ "${#failures[@]}" -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
