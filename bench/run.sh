#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ocigate's cost against plain runc, both measured in this same run on this machine.
#
#   bench/run.sh [OCIGATE] [N]
#
# Measures, as medians over N runs (default 30):
#   pass-through : `state` of a running container and `--version` (the path every non-create
#                  runtime call takes: no policy loaded, no file opened)
#   create+start : a full `run` of a busybox container (the policed path: load, judge, rewrite,
#                  write back, exec)
# and peak RSS (GNU time's %M) of each.  Prints one line per figure with the ratio
# ocigate/runc.  Targets: pass-through overhead < 5 % (ratio < 1.05), a container start
# through ocigate < 1.25x plain runc, peak RSS of ocigate's own process < 4 MiB.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
OCIGATE=${1:-$SRC/_build/gcc/ocigate}
N=${2:-30}
RUNC=/usr/sbin/runc
WORK=$(mktemp -d /tmp/ocigate-bench.XXXXXX)
STATE=$WORK/state
trap 'for c in $("$RUNC" --root "$STATE" list -q 2>/dev/null); do "$RUNC" --root "$STATE" delete -f "$c" >/dev/null 2>&1; done; rm -rf "$WORK"' EXIT

[ -x "$OCIGATE" ] || { echo "no ocigate binary at $OCIGATE (build first)"; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 2; }

# median_ms CMD...: run CMD N times, print the median wall time in milliseconds.
median_ms() {
	local i t0 t1
	for i in $(seq "$N"); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{a[NR]=$1} END{printf "%.3f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)/1000}'
}

# peak_kib CMD...: peak resident set size of CMD in KiB.  For ocigate this is its own process
# until execve replaces it -- GNU time reports the maximum over the process's life, which
# includes the runtime it became, so the pass-through figure is compared against runc's.
peak_kib() {
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}

mkdir -p "$WORK/bundle/rootfs/bin"
cp /bin/busybox "$WORK/bundle/rootfs/bin/"
ln -s busybox "$WORK/bundle/rootfs/bin/true"
ln -s busybox "$WORK/bundle/rootfs/bin/sleep"
(cd "$WORK/bundle" && "$RUNC" spec)
jq '.process.terminal = false | .process.args = ["true"]' "$WORK/bundle/config.json" >"$WORK/c"
cp "$WORK/c" "$WORK/bundle/config.json"
cp -a "$WORK/bundle" "$WORK/bundle-sleep"
jq '.process.args = ["sleep", "600"]' "$WORK/c" >"$WORK/bundle-sleep/config.json"
"$RUNC" --root "$STATE" run -d --bundle "$WORK/bundle-sleep" bench-sleeper >/dev/null </dev/null

export OCIGATE_AUDIT_LOG=$WORK/audit.log
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a/b}'; }
report() { # name runc ocigate unit
	printf '%-28s runc %9s %s   ocigate %9s %s   ratio %s\n' "$1" "$2" "$4" "$3" "$4" "$(ratio "$3" "$2")"
}

i=0
run_runc() { i=$((i + 1)); "$RUNC" --root "$STATE" run --bundle "$WORK/bundle" "r$i$RANDOM"; }
run_ocigate() {
	i=$((i + 1))
	# Every run starts from the original config, so each one pays the full judge + rewrite.
	cp "$WORK/c" "$WORK/bundle/config.json"
	"$OCIGATE" --ocigate-runtime "$RUNC" --root "$STATE" run --bundle "$WORK/bundle" "o$i$RANDOM"
}
run_runc_copy() { cp "$WORK/c" "$WORK/bundle/config.json"; run_runc; }

echo "ocigate bench: N=$N, runc $("$RUNC" --version | head -n 1 | awk '{print $3}'), $(nproc) cores"
a=$(median_ms "$RUNC" --version)
b=$(median_ms "$OCIGATE" --ocigate-runtime "$RUNC" --version)
report "pass-through --version" "$a" "$b" ms
a=$(median_ms "$RUNC" --root "$STATE" state bench-sleeper)
b=$(median_ms "$OCIGATE" --ocigate-runtime "$RUNC" --root "$STATE" state bench-sleeper)
report "pass-through state" "$a" "$b" ms
a=$(median_ms run_runc_copy)
b=$(median_ms run_ocigate)
report "create+start+exit (run)" "$a" "$b" ms
a=$(peak_kib "$RUNC" --root "$STATE" state bench-sleeper)
b=$(peak_kib "$OCIGATE" --ocigate-runtime "$RUNC" --root "$STATE" state bench-sleeper)
report "peak RSS, state" "$a" "$b" KiB
# ocigate's own footprint on the policed path, without the runtime it becomes: judge only.
cp "$WORK/c" "$WORK/bundle/config.json"
b=$(peak_kib "$OCIGATE" check "$WORK/bundle")
a=$(peak_kib "$RUNC" --version)
printf '%-28s %9s KiB (runc --version for scale: %s KiB)\n' "peak RSS, judge only (check)" "$b" "$a"
