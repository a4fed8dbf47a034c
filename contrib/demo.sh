#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# README set-up command 1: install, build, and show ocigate's main job on the embedded default
# policy -- a plain container started through ocigate and the real runc with the missing
# protections injected (visible inside the container), and a privileged one denied with its CIS
# and Pod Security Standards ids.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$SRC/_build/demo
WORK=$(mktemp -d /tmp/ocigate-demo.XXXXXX)
RUNC=/usr/sbin/runc
trap 'for c in $("$RUNC" --root "$WORK/state" list -q 2>/dev/null); do "$RUNC" --root "$WORK/state" delete -f "$c"; done; rm -rf "$WORK"' EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# OCIGATE=PATH runs the demo on an ocigate that is already there (the Debian package's
# /usr/bin/ocigate: tests/packaging/deb.bats) and installs and builds nothing; runc, jq and
# busybox-static must then be installed.
if [ -n "${OCIGATE:-}" ]; then
	say "using $OCIGATE ($("$OCIGATE" --ocigate-version | head -n 1))"
else
	say "installing build dependencies and building ocigate"
	bash "$SRC/contrib/setup-host.sh"
	(cd "$SRC" && ./autogen.sh >/dev/null 2>&1)
	mkdir -p "$BUILD"
	(cd "$BUILD" && "$SRC/configure" -q && make -s -j"$(nproc)")
	OCIGATE=$BUILD/ocigate
fi

# A busybox bundle from Debian's busybox-static: no image download.
make_bundle() {
	local b=$1
	mkdir -p "$b/rootfs/bin" "$b/rootfs/proc" "$b/rootfs/sys" "$b/rootfs/dev" "$b/rootfs/etc"
	cp /bin/busybox "$b/rootfs/bin/"
	for a in sh cat grep echo id; do ln -sf busybox "$b/rootfs/bin/$a"; done
	(cd "$b" && "$RUNC" spec)
	jq '.process.terminal = false' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
}

say "1. a plain container, started through ocigate (runtime: $RUNC, policy: embedded baseline)"
make_bundle "$WORK/plain"
jq '.process.args = ["sh", "-c",
	"grep -E \"^(CapEff|NoNewPrivs|Seccomp):\" /proc/self/status;
	 echo \"memory limit: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)\";
	 echo \"pids limit:   $(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)\""]' \
	"$WORK/plain/config.json" >"$WORK/c" && mv "$WORK/c" "$WORK/plain/config.json"
echo "\$ ocigate --root STATE run --bundle $WORK/plain demo-plain"
"$OCIGATE" --ocigate-audit-log "$WORK/audit.log" --root "$WORK/state" run --bundle "$WORK/plain" demo-plain
echo "what ocigate changed (JSON Patch, from the audit trail):"
tail -n 1 "$WORK/audit.log" | jq -c '.patch[] | {op, path}'

say "2. a --privileged container (Docker's OCI encoding: all capabilities, no seccomp, all devices)"
make_bundle "$WORK/priv"
jq --slurpfile caps <(jq -c '.process.capabilities' "$SRC/tests/fixtures/real-clients/docker-privileged.config.json") \
	'.process.capabilities = $caps[0] | .linux.maskedPaths = [] | .linux.readonlyPaths = [] |
	 .linux.resources.devices = [{"allow": true, "access": "rwm"}] | del(.linux.seccomp) |
	 .process.args = ["id"]' "$WORK/priv/config.json" >"$WORK/c" && mv "$WORK/c" "$WORK/priv/config.json"
echo "\$ ocigate --root STATE run --bundle $WORK/priv demo-priv"
set +e
"$OCIGATE" --ocigate-audit-log "$WORK/audit.log" --root "$WORK/state" run --bundle "$WORK/priv" demo-priv
echo "exit status: $? (1 = denied by policy; the runtime was never started)"
set -e

say "3. the audit trail: one JSON line per decision"
jq -c '{verb, container, verdict, denied: [.denied[].rule], rewritten: [.rewritten[].rule]}' "$WORK/audit.log"
