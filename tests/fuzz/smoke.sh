#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Smoke-run the spec fuzzer for a few seconds over the seed corpus.  Exits non-zero when the fuzzer
# finds a crash, a leak or a broken invariant (libFuzzer's own exit status), or cannot run.
#
# usage: tests/fuzz/smoke.sh [SECONDS] [FUZZER]
#   SECONDS  how long to fuzz (default 60)
#   FUZZER   the fuzz_spec binary (default: ./tests/fuzz/fuzz_spec, i.e. run from the build
#            directory of `configure --enable-fuzzing` with CC=clang)
# The seed corpus is read-only input: new inputs go to a scratch directory that is removed.
set -eu

seconds=${1:-60}
fuzzer=${2:-./tests/fuzz/fuzz_spec}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$srcdir/tests/fuzz/corpus

if [ ! -x "$fuzzer" ]; then
  echo "smoke.sh: no fuzzer at \`$fuzzer' (configure with CC=clang --enable-fuzzing, then make)" >&2
  exit 2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ocg-fuzz-XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir "$scratch/new" "$scratch/artifacts"

# -timeout: one input taking more than 10s is a finding (the parser must stay linear).
# -rss_limit_mb: the caps in spec.h keep memory small; more is a finding too.
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$scratch/artifacts/" "$scratch/new" "$corpus" || status=$?

if [ "$status" -ne 0 ] || [ -n "$(ls -A "$scratch/artifacts")" ]; then
  echo "smoke.sh: the fuzzer failed (status $status); reproducers:" >&2
  for f in "$scratch/artifacts"/*; do
    [ -e "$f" ] || continue
    cp "$f" . && echo "  ./$(basename "$f")" >&2
  done
  exit 1
fi
echo "smoke.sh: no finding in ${seconds}s"
