#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Does a change keep ocigate's behaviour byte-identical?  Judges every captured engine config
# (tests/fixtures/real-clients/*.config.json) with two builds and compares what each one leaves:
#  - `ocigate check` of the config as captured (stdout, stderr, exit status);
#  - a `create` through a stand-in runtime that only exits, on a bundle adapted to this host
#    (root.path -> a directory of the bundle, bind sources -> the same paths under the bundle,
#    Docker's libnetwork-setkey hook dropped: the same adaptations for both builds): the
#    config.json written back, the audit record without its time, stderr and exit status;
# each under the baseline and the restricted profile.
#
#   tests/perf/same-output.sh OLD_OCIGATE NEW_OCIGATE [FIXTURE...]
#
# A developer's tool, not part of `make check` (it needs two builds).  Prints one line per
# difference and exits 1 if there is any.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
OLD=$1
NEW=$2
shift 2
[ $# -gt 0 ] || set -- "$SRC"/tests/fixtures/real-clients/*.config.json
WORK=$(mktemp -d /tmp/ocigate-same.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
printf 'int main (void) { return 0; }\n' >"$WORK/rt.c"
cc -static -O2 -o "$WORK/rt" "$WORK/rt.c"

# bundle FIXTURE DIR: the fixture adapted to this host (see the header).
bundle() {
	mkdir -p "$2/rootfs" "$2/hostfs"
	jq --arg h "$2/hostfs" '.root.path = "rootfs"
		| (if .hooks.prestart then .hooks.prestart |= map(select(.args[0] != "libnetwork-setkey")) else . end)
		| .mounts |= map(if .type == "bind" or any(.options[]?; . == "bind" or . == "rbind")
			then .source = ($h + .source) else . end)' "$1" >"$2/config.json"
	jq -r '.mounts[] | select(.type == "bind" or any(.options[]?; . == "bind" or . == "rbind"))
		| [.source, .destination] | @tsv' "$2/config.json" | while IFS=$'\t' read -r s d; do
		mkdir -p "$(dirname "$s")"
		case $d in
		/etc/resolv.conf | /etc/hostname | /etc/hosts | /run/.containerenv | /dev/termination-log) touch "$s" ;;
		*) mkdir -p "$s" ;;
		esac
	done
}

# run BUILD OUTDIR FIXTURE PROFILE: everything one build leaves for one fixture.
run() {
	local bin=$1 out=$2 fix=$3 profile=$4 id st=0
	id=$(jq -r '.linux.cgroupsPath // "ctr" | split("/") | last | split("-") | last | split(":") | last' "$fix")
	mkdir -p "$out"
	"$bin" --ocigate-profile "$profile" check "$fix" "$id" >"$out/check.out" 2>"$out/check.err" || st=$?
	echo "$st" >"$out/check.status"
	sed -i 's/"time":"[^"]*",//' "$out/check.out"
	bundle "$fix" "$out/bundle"
	st=0
	OCIGATE_AUDIT_LOG=$out/audit.log "$bin" --ocigate-profile "$profile" --ocigate-runtime "$WORK/rt" \
		--root "$out/root" create --bundle "$out/bundle" "$id" >"$out/create.out" 2>"$out/create.err" || st=$?
	echo "$st" >"$out/create.status"
	cp "$out/bundle/config.json" "$out/config.json"
	if [ -s "$out/audit.log" ]; then jq -c 'del(.time)' "$out/audit.log" >"$out/audit.json"; else : >"$out/audit.json"; fi
	rm -rf "$out/bundle" "$out/audit.log" "$out/root"
	# The bundle path differs between the two runs: name it the same.
	sed -i "s|$out/bundle|BUNDLE|g; s|$out/root|ROOT|g" "$out"/*.json "$out"/*.err "$out"/*.out
}

diffs=0
for fix in "$@"; do
	for profile in baseline restricted; do
		name=$(basename "$fix" .config.json)-$profile
		run "$OLD" "$WORK/old/$name" "$fix" "$profile"
		run "$NEW" "$WORK/new/$name" "$fix" "$profile"
		for f in check.out check.err check.status create.err create.status config.json audit.json; do
			if ! cmp -s "$WORK/old/$name/$f" "$WORK/new/$name/$f"; then
				echo "DIFFERS: $name $f"
				diff <(head -c 2000 "$WORK/old/$name/$f") <(head -c 2000 "$WORK/new/$name/$f") | head -n 6 || true
				diffs=$((diffs + 1))
			fi
		done
		echo "compared: $name (create exit $(cat "$WORK/new/$name/create.status"), check exit $(cat "$WORK/new/$name/check.status"))"
	done
done
[ "$diffs" -eq 0 ] && echo "same output: every fixture, both profiles" || { echo "$diffs differences"; exit 1; }
