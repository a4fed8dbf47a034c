#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# sensitive-mounts and rootfs on the engines' own shapes, with runc and crun:
#  - an engine-owned state path is trusted only for the container it belongs to (Podman's
#    per-container userdata), or for a container whose namespace this one joins and whose very
#    shm it binds (a Podman pod, `--ipc container:X`);
#  - `podman run --init` binds catatonit read-only at /run/podman-init;
#  - CRI-O's pod volumes are trusted only when CRI-O calls (its explicit runtime root);
#  - relative bind sources are resolved against the bundle as runc and crun do;
#  - a root filesystem another user could swap is refused.
# The engine state paths here live in a temp dir that a policy file makes sensitive, with the
# engine-owned patterns the built-in defaults use for /var/lib/containers (policy/rules/
# defaults_mounts.c), so nothing is created in the host's engine directories.

load helpers

setup() {
	requires root runc busybox
	T=$BATS_TEST_TMPDIR
	ROOT="$T/state"
	ID="ocgc$$x$BATS_TEST_NUMBER"
	OTHER="ocgo$$x$BATS_TEST_NUMBER"
	mkdir -p "$ROOT"
	ROOTS+=("$ROOT")
}

# podman_bundle ID: a bundle shaped like Podman's, <graphroot>/overlay-containers/ID/userdata,
# with its run directory (hosts) under <runroot>.  Sets BUNDLE.
podman_bundle() {
	BUNDLE="$T/storage/overlay-containers/$1/userdata"
	mkdir -p "$BUNDLE" "$T/run/overlay-containers/$1/userdata"
	chmod 0711 "$T/storage" "$T/storage/overlay-containers" "$T/storage/overlay-containers/$1"
	cp -a "$(busybox_rootfs)" "$BUNDLE/rootfs"
	(cd "$BUNDLE" && "$REAL_RUNC" spec)
	echo "127.0.0.1 localhost $1" >"$T/run/overlay-containers/$1/userdata/hosts"
	update_config '.process.terminal = false'
}

# The policy: the baseline with this test's Podman graph and run roots as sensitive paths, and
# the engine-owned patterns the defaults have for /var/lib/containers and /run/containers; its
# profile is `lab`.
write_policy() {
	POLICY="$T/policy.json"
	DENY_PROFILE=lab
	jq -n --arg g "$T/storage" --arg r "$T/run" '{
		profile: "lab",
		profiles: { lab: { extends: "baseline", rules: { "sensitive-mounts": {
			paths: ["/", "/etc", "/usr", "/proc", "/sys", "/dev", "/run/runc", "/run/crun", $g, $r],
			engine_owned_paths: [
				($g + "/overlay-containers/{ocigate.container-id}/userdata"),
				($r + "/overlay-containers/{ocigate.container-id}/userdata"),
				($g + "/overlay-containers/*/userdata/shm shared") ] } } } } }' >"$POLICY"
	chmod 0644 "$POLICY"
}

# ocg_as RUNTIME ID: the bundle `run` through ocigate with RUNTIME as container ID (Podman names
# the bundle after it), with this test's policy once written; the container is removed after.
ocg_as() {
	local policy=()
	[ -z "${POLICY:-}" ] || policy=(--ocigate-policy "$POLICY")
	RT=$1 ocg "${policy[@]}" run --bundle "$BUNDLE" "$2"
	"$1" --root "$ROOT" delete --force "$2" >/dev/null 2>&1 || true
}

@test "another container's userdata (its config.json) is readable with the runtime alone; ocigate denies it, the container's own runs" {
	local rt n=0
	podman_bundle "$OTHER"
	update_config '.process.env += ["DB_PASSWORD=other-container-secret"]'
	podman_bundle "$ID"
	write_policy
	update_config ".mounts += [{destination: \"/other\", type: \"bind\", source: \"$T/storage/overlay-containers/$OTHER/userdata/config.json\", options: [\"bind\", \"ro\"]}]
		| .process.args = [\"sh\", \"-c\", \"grep -o other-container-secret /other\"]"
	direct_run
	[ "$status" -eq 0 ]
	[ "$output" = other-container-secret ]
	for rt in $(runtimes); do
		n=$((n + 1))
		ocg_as "$rt" "$ID"
		assert_denied sensitive-mounts "bind of \`$T/storage/overlay-containers/$OTHER/userdata/config.json\` at \`/other\` exposes the sensitive host path \`$T/storage\`"
		# The same bind under the other container's id is its own.
		update_config "(.mounts[] | select(.destination == \"/other\")).source = \"$T/run/overlay-containers/$ID/userdata/hosts\"
			| .process.args = [\"cat\", \"/other\"]"
		ocg_as "$rt" "$ID"
		[ "$status" -eq 0 ]
		[ "$output" = "127.0.0.1 localhost $ID" ]
		update_config "(.mounts[] | select(.destination == \"/other\")).source = \"$T/storage/overlay-containers/$OTHER/userdata/config.json\""
	done
}

@test "another container's shm is allowed only when joining its IPC namespace, and the container sees what it wrote" {
	local shm pid
	podman_bundle "$OTHER"
	shm="$T/storage/overlay-containers/$OTHER/userdata/shm"
	mkdir -p "$shm"
	mount -t tmpfs -o size=1m shm "$shm"
	MOUNTS+=("$shm")
	update_config "del(.mounts[] | select(.destination == \"/dev/shm\"))
		| .mounts += [{destination: \"/dev/shm\", type: \"bind\", source: \"$shm\", options: [\"bind\", \"rprivate\"]}]
		| .process.args = [\"sh\", \"-c\", \"echo from-the-infra > /dev/shm/f && sleep 120\"]"
	write_policy
	# The infra container runs under the same runtime root: only a live container of the same
	# engine may be joined (host-namespaces).
	ocg_detached --ocigate-policy "$POLICY" run -d --bundle "$BUNDLE" "$OTHER"
	pid=$("$REAL_RUNC" --root "$ROOT" state "$OTHER" | jq -r .pid)
	[ "$pid" -gt 0 ]
	KEEP+=("$OTHER")
	for _ in $(seq 50); do [ -e "$shm/f" ] && break; sleep 0.1; done

	podman_bundle "$ID"
	update_config "del(.mounts[] | select(.destination == \"/dev/shm\"))
		| .mounts += [{destination: \"/dev/shm\", type: \"bind\", source: \"$shm\", options: [\"bind\", \"rprivate\"]}]
		| .process.args = [\"cat\", \"/dev/shm/f\"]"
	ocg_as "$REAL_RUNC" "$ID"
	assert_denied sensitive-mounts "exposes the sensitive host path \`$T/storage\`"
	update_config "(.linux.namespaces[] | select(.type == \"ipc\")) |= {type: \"ipc\", path: \"/proc/$pid/ns/ipc\"}"
	ocg_as "$REAL_RUNC" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = from-the-infra ]
	# Joined, but at another destination: not what that process has there.
	update_config "(.mounts[] | select(.source == \"$shm\")).destination = \"/x\" | .process.args = [\"true\"]"
	ocg_as "$REAL_RUNC" "$ID"
	assert_denied sensitive-mounts "exposes the sensitive host path"
}

@test "podman run --init: catatonit bound read-only at /run/podman-init runs as PID 1; writable, it is denied" {
	requires catatonit
	local rt n=0
	setup_bundle
	update_config '.mounts += [{destination: "/run/podman-init", type: "bind", source: "/usr/libexec/podman/catatonit", options: ["bind", "ro", "rprivate"]}]
		| .process.args = ["/run/podman-init", "--", "sh", "-c", "echo pid1=$(cat /proc/1/comm); /run/podman-init --version"]'
	for rt in $(runtimes); do
		n=$((n + 1))
		ocg_as "$rt" "$ID$n"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = pid1=podman-init ]
		[[ "${lines[1]}" == *"_catatonit" ]]
	done
	update_config '(.mounts[] | select(.destination == "/run/podman-init")).options = ["bind", "rprivate"]'
	ocg_as "$REAL_RUNC" "$ID"
	assert_denied sensitive-mounts "bind of \`/usr/libexec/podman/catatonit\` (\`/usr/bin/catatonit\`) at \`/run/podman-init\` exposes the sensitive host path"
}

@test "CRI-O: a pod's kubelet volume is the pod's own only when CRI-O calls with its runtime root" {
	local uid="ocgtest-crio-$$-$BATS_TEST_NUMBER" made_root=0
	local vol="/var/lib/kubelet/pods/$uid/volumes/kubernetes.io~empty-dir/data"
	[ ! -e "/var/lib/kubelet/pods/$uid" ] || skip "$vol exists"
	[ -d /run/runc ] || made_root=1
	setup_bundle
	# Removed in teardown, deepest first, and only what this test made.
	[ -d /var/lib/kubelet ] || defer rmdir /var/lib/kubelet
	[ -d /var/lib/kubelet/pods ] || defer rmdir /var/lib/kubelet/pods
	defer rm -rf "/var/lib/kubelet/pods/$uid"
	mkdir -p "$vol" && echo pod-data >"$vol/marker"
	# CRI-O's own keys, and the kubelet's labels it copies last (internal/factory/container).
	update_config ".annotations = {\"io.kubernetes.cri-o.SandboxID\": \"sb$$\", \"io.kubernetes.cri-o.ContainerType\": \"container\", \"io.kubernetes.pod.uid\": \"$uid\"}
		| .mounts += [{destination: \"/data\", source: \"$vol\", options: [\"rbind\", \"rprivate\", \"rw\"]}]
		| .process.args = [\"cat\", \"/data/marker\"]"
	# As Podman calls (no --root: /run/runc is only runc's default) and as Docker does: denied.
	ROOT='' ocg run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"sensitive-mounts"*"/var/lib/kubelet"* ]]
	ocg run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	# As CRI-O calls: `--root=/run/runc`, the "=" form conmon passes on.  /run/runc is shared:
	# only this test's container is removed from it.
	defer "$REAL_RUNC" --root /run/runc delete -f "$ID"
	ROOT='' ocg --root=/run/runc run --bundle "$BUNDLE" "$ID"
	"$REAL_RUNC" --root /run/runc delete -f "$ID" >/dev/null 2>&1 || true
	[ "$made_root" -eq 0 ] || rmdir /run/runc 2>/dev/null || true
	[ "$status" -eq 0 ]
	[ "$output" = pod-data ]
}

@test "relative bind sources resolve against the bundle: runc's source-accessible/dir runs; into the rootfs or onto config.json is denied" {
	local rt n=0 marker="$T/escaped-relative"
	setup_bundle
	mkdir -p "$BUNDLE/source-accessible/dir"
	echo in-bundle >"$BUNDLE/source-accessible/dir/marker"
	update_config '.mounts += [{destination: "/x", type: "bind", source: "source-accessible/dir", options: ["rbind"]}]
		| .process.args = ["cat", "/x/marker"]'
	for rt in $(runtimes); do
		n=$((n + 1))
		ocg_as "$rt" "$ID$n"
		[ "$status" -eq 0 ]
		[ "$output" = in-bundle ]
	done
	# rootfs/proc/1/root is runc's init in the host's root when runc mounts it: the host's /.
	update_config "(.mounts[] | select(.destination == \"/x\")) |= {destination: \"/host\", type: \"bind\", source: \"rootfs/proc/1/root\", options: [\"rbind\", \"rw\"]}
		| .process.args = [\"touch\", \"/host$marker\"]"
	direct_run
	[ -e "$marker" ]
	rm -f "$marker"
	ocg_as "$REAL_RUNC" "$ID"
	assert_denied sensitive-mounts "bind of \`rootfs/proc/1/root\` (\`$BUNDLE/rootfs/proc/1/root\`) at \`/host\` reaches into the container's own root filesystem \`$BUNDLE/rootfs\`"
	[ ! -e "$marker" ]
	update_config "(.mounts[] | select(.destination == \"/host\")).source = \"config.json\""
	ocg_as "$REAL_RUNC" "$ID"
	assert_denied sensitive-mounts "exposes the bundle's \`$BUNDLE/config.json\`"
	update_config "(.mounts[] | select(.destination == \"/host\")).source = \"../bundle/source-accessible\""
	ocg_as "$REAL_RUNC" "$ID"
	assert_denied sensitive-mounts "has the relative source \`../bundle/source-accessible\` with \`..\`"
}

@test "a root filesystem in a directory another user owns is refused: it could be swapped before the runtime mounts it" {
	local rt n=0 user="$T/user"
	setup_bundle
	mkdir -p "$user"
	cp -a "$BUNDLE/rootfs" "$user/rootfs"
	chown 1000:1000 "$user"
	update_config ".root.path = \"$user/rootfs\" | .process.args = [\"echo\", \"ran\"]"
	for rt in $(runtimes); do
		n=$((n + 1))
		ocg_as "$rt" "$ID$n"
		[ "$status" -eq 1 ]
		[[ "$output" == *"rootfs (CIS Docker 1.6.0 5.6"*"\`root.path\` \`$user/rootfs\` could be swapped for another directory before the runtime mounts it: \`$user\` is owned by uid 1000"* ]]
	done
	chown 0:0 "$user"
	ocg_as "$REAL_RUNC" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
}
