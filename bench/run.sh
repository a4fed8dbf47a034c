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
# and peak RSS (GNU time's %M) of each.  Prints one line per figure with the ratio ocigate/runc
# and the time ocigate adds.  For the container start, runc is given the config ocigate would
# produce (the injected seccomp filter and limits make runc itself do more work; that is the cost
# of the protections, printed separately), so the ratio isolates ocigate's own judging.
# Targets: pass-through adds at most one exec (<= 2 ms per call), a judged start adds <= 10 ms,
# ocigate's own peak RSS stays under 4 MiB.  The last lines say whether each target was met.
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
run_runc() { # run_runc CONFIG: plain runc on that config
	i=$((i + 1))
	cp "$1" "$WORK/bundle/config.json"
	"$RUNC" --root "$STATE" run --bundle "$WORK/bundle" "r$i$RANDOM"
}
run_ocigate() {
	i=$((i + 1))
	# Every run starts from the original config, so each one pays the full judge + rewrite.
	cp "$WORK/c" "$WORK/bundle/config.json"
	"$OCIGATE" --ocigate-runtime "$RUNC" --root "$STATE" run --bundle "$WORK/bundle" "o$i$RANDOM"
}
added() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b - a}'; }
verdicts=()
target() { # target NAME VALUE LIMIT
	if awk -v v="$2" -v l="$3" 'BEGIN{exit !(v <= l)}'; then verdicts+=("met: $1 ($2 <= $3)"); else verdicts+=("MISSED: $1 ($2 > $3)"); fi
}

# The config ocigate produces from $WORK/c, for the like-with-like start comparison.
cp "$WORK/c" "$WORK/bundle/config.json"
"$OCIGATE" check "$WORK/bundle" >/dev/null || true
"$OCIGATE" --ocigate-runtime "$RUNC" --root "$STATE" run --bundle "$WORK/bundle" judged-once >/dev/null
cp "$WORK/bundle/config.json" "$WORK/judged.json"

echo "ocigate bench: N=$N, runc $("$RUNC" --version | head -n 1 | awk '{print $3}'), $(nproc) cores"
a=$(median_ms "$RUNC" --version)
b=$(median_ms "$OCIGATE" --ocigate-runtime "$RUNC" --version)
report "pass-through --version" "$a" "$b" ms
target "pass-through --version adds (ms)" "$(added "$a" "$b")" 2
a=$(median_ms "$RUNC" --root "$STATE" state bench-sleeper)
b=$(median_ms "$OCIGATE" --ocigate-runtime "$RUNC" --root "$STATE" state bench-sleeper)
report "pass-through state" "$a" "$b" ms
target "pass-through state adds (ms)" "$(added "$a" "$b")" 2
o=$(median_ms run_runc "$WORK/c")
a=$(median_ms run_runc "$WORK/judged.json")
b=$(median_ms run_ocigate)
report "start, runc on judged config" "$a" "$b" ms
target "judged start adds (ms)" "$(added "$a" "$b")" 10
printf '%-28s %9s ms (runc, unprotected config: %s ms): cost of the injected protections\n' \
	"start, protections" "$(added "$o" "$a")" "$o"
a=$(peak_kib "$RUNC" --root "$STATE" state bench-sleeper)
b=$(peak_kib "$OCIGATE" --ocigate-runtime "$RUNC" --root "$STATE" state bench-sleeper)
report "peak RSS, state" "$a" "$b" KiB
# ocigate's own footprint on the policed path, without the runtime it becomes: judge only.
cp "$WORK/c" "$WORK/bundle/config.json"
b=$(peak_kib "$OCIGATE" check "$WORK/bundle")
a=$(peak_kib "$RUNC" --version)
printf '%-28s %9s KiB (runc --version for scale: %s KiB)\n' "peak RSS, judge only (check)" "$b" "$a"
target "ocigate's own peak RSS (KiB)" "$b" 4096
printf '%s\n' "${verdicts[@]}"
