#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The mount rules through ocigate and the real runc: sensitive-mounts (policy/rules/mounts.c and
# binds_*.c, CIS Docker 1.6.0 5.6, 5.32) and mount-propagation (policy/rules/propagation.c, CIS
# 5.20).  Denials must leave no container behind; what is allowed must really run, and the
# container must show the effect (files written through a bind, mountinfo propagation tags).
# Bind sources that runc resolves differently than a canonical path says (the container's own
# rootfs, /proc magic links, a directory another user can swap) are first shown to escape with
# runc alone, where that is safe on this host, so that a denial cannot pass for a rule that is
# not needed.  What is mounted where (a volume with /etc on it, a second sysfs, an engine socket)
# is mounts-identity.bats; the engines' own shapes are mounts-engine.bats.

load helpers

setup() {
	setup_bundle
}

@test "sensitive-mounts: binds of /etc, read-write and read-only, are denied" {
	local opts
	for opts in '["rbind"]' '["rbind", "ro"]'; do
		update_config ".mounts += [{destination: \"/hostetc\", type: \"bind\", source: \"/etc\", options: $opts}]"
		ocg_run
		assert_denied sensitive-mounts:5.6
		[[ "$output" == *'`/etc`'*"(CIS 5.6)"* ]]
		update_config 'del(.mounts[] | select(.destination == "/hostetc"))'
	done
}

@test "sensitive-mounts: a bind of a temp dir is allowed and the container's write reaches the host" {
	local d="$BATS_TEST_TMPDIR/data"
	mkdir -p "$d"
	update_config ".mounts += [{destination: \"/data\", type: \"bind\", source: \"$d\", options: [\"rbind\", \"rw\"]}]
		| .process.args = [\"sh\", \"-c\", \"echo written-inside > /data/f && cat /data/f\"]"
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = "written-inside" ]
	[ "$(cat "$d/f")" = "written-inside" ]
}

@test "sensitive-mounts: engine sockets, by name and through a parent directory, are denied" {
	mkdir -p "$BATS_TEST_TMPDIR/run"
	touch "$BATS_TEST_TMPDIR/run/docker.sock"
	update_config ".mounts += [{destination: \"/docker.sock\", type: \"bind\", source: \"$BATS_TEST_TMPDIR/run/docker.sock\", options: [\"rbind\", \"ro\"]}]"
	ocg_run
	assert_denied sensitive-mounts:5.32
	[[ "$output" == *"engine socket"*"(CIS 5.32)"* ]]

	# /var/run is a symlink to /run here: binding it exposes /run/docker.sock and friends.
	update_config 'del(.mounts[] | select(.destination == "/docker.sock"))
		| .mounts += [{destination: "/hostrun", type: "bind", source: "/var/run", options: ["rbind"]}]'
	ocg_run
	assert_denied sensitive-mounts:5.32
	[[ "$output" == *'`/var/run` (`/run`)'*"engine socket"* ]]
}

@test "sensitive-mounts: a writable sysfs is denied, the default read-only one runs" {
	update_config '.process.args = ["awk", "$5 == \"/sys\" { print $6 }", "/proc/self/mountinfo"]'
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == "ro,"* ]]

	update_config '(.mounts[] | select(.type == "sysfs")).options |= map(select(. != "ro"))'
	ocg_run
	assert_denied sensitive-mounts:5.6
	[[ "$output" == *'`sysfs` mounted read-write'* ]]
}

@test "mount-propagation: rshared is rewritten to rprivate, mountinfo shows no shared peer group" {
	local d="$BATS_TEST_TMPDIR/prop"
	mkdir -p "$d"
	update_config ".mounts += [{destination: \"/prop\", type: \"bind\", source: \"$d\", options: [\"rbind\", \"rshared\"]}]
		| .process.args = [\"grep\", \" /prop \", \"/proc/self/mountinfo\"]"

	# The same bundle straight through runc: the tag is there, so the check below can fail.
	direct_run direct
	[ "$status" -eq 0 ]
	[[ "$output" == *" /prop "*"shared:"* ]]

	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == *" /prop "* ]]
	[[ "$output" != *"shared:"* ]]
	jq -e '.mounts[] | select(.destination == "/prop") | .options == ["rbind", "rprivate"]' "$BUNDLE/config.json"
}

@test "sensitive-mounts: <rootfs>/proc/1/root resolves to the host's / under runc alone; ocigate denies it" {
	local marker="$BATS_TEST_TMPDIR/escaped-proc1"
	update_config ".mounts += [{destination: \"/host\", type: \"bind\", source: \"$BUNDLE/rootfs/proc/1/root\", options: [\"rbind\", \"rw\"]}]
		| .process.args = [\"touch\", \"/host$marker\"]"

	direct_run direct
	[ -e "$marker" ]
	rm -f "$marker"

	ocg_run
	assert_denied sensitive-mounts:5.6
	[[ "$output" == *"bind of \`$BUNDLE/rootfs/proc/1/root\` at \`/host\` reaches into the container's own root filesystem \`$BUNDLE/rootfs\`"* ]]
	[ ! -e "$marker" ]

	# A path inside the rootfs that exists at judge time is refused as well: runc resolves it only
	# after the earlier mounts, through them.
	update_config "(.mounts[] | select(.destination == \"/host\")).source = \"$BUNDLE/rootfs/proc\""
	ocg_run
	assert_denied sensitive-mounts:5.6
	[[ "$output" == *"reaches into the container's own root filesystem \`$BUNDLE/rootfs\`"* ]]
	[ ! -e "$marker" ]
}

@test "sensitive-mounts: /proc/<pid>/root of another container reaches the host under runc alone; ocigate denies it" {
	local marker="$BATS_TEST_TMPDIR/escaped-procpid" other="$BATS_TEST_TMPDIR/other" pid
	# The other container: its rootfs holds a symlink to /, which runc's init resolves in the
	# host's root while it mounts the next container's binds.
	mkdir -p "$other"
	cp -a "$(busybox_rootfs)" "$other/rootfs"
	ln -s / "$other/rootfs/hostlink"
	(cd "$other" && "$REAL_RUNC" spec)
	update_config '.process.terminal = false | .process.args = ["sleep", "60"]' "$other"
	"$REAL_RUNC" --root "$ROOT" run -d --bundle "$other" "$(cid other)" </dev/null >/dev/null 2>&1
	pid=$("$REAL_RUNC" --root "$ROOT" state "$(cid other)" | jq -r .pid)
	[ "$pid" -gt 0 ]
	update_config ".mounts += [{destination: \"/host\", type: \"bind\", source: \"/proc/$pid/root/hostlink\", options: [\"rbind\", \"rw\"]}]
		| .process.args = [\"touch\", \"/host$marker\"]"

	direct_run direct
	[ -e "$marker" ]
	rm -f "$marker"

	KEEP+=("$(cid other)")
	ocg_run
	assert_denied sensitive-mounts:5.6
	[[ "$output" == *"sensitive-mounts (CIS Docker 1.6.0 5.6"*"the source \`/proc/$pid/root/hostlink\` of the bind at \`/host\` is under \`/proc\`, whose magic links"* ]]
	# Only the other container is left.
	[ "$("$REAL_RUNC" --root "$ROOT" list -q)" = "$(cid other)" ]
	[ ! -e "$marker" ]
}

@test "sensitive-mounts: a source in a directory another user owns is denied; that directory itself runs" {
	# Like a Docker volume whose _data belongs to the container's user: that user can swap `dir`
	# for a symlink between ocigate's check and runc's mount.
	local vol="$BATS_TEST_TMPDIR/vol"
	mkdir -p "$vol/dir"
	chown 1000:1000 "$vol" "$vol/dir"
	update_config ".mounts += [{destination: \"/data\", type: \"bind\", source: \"$vol/dir\", options: [\"rbind\", \"rw\"]}]"
	ocg_run
	assert_denied sensitive-mounts:5.6
	[[ "$output" == *"could be swapped for another path before runc mounts it: \`$vol\` is owned by uid 1000"* ]]

	# Group-writable, not sticky: anyone in the group can swap it.
	chown 0:0 "$vol"
	chmod 0775 "$vol"
	ocg_run
	assert_denied sensitive-mounts:5.6
	[[ "$output" == *"\`$vol\` is writable by group or others"* ]]

	# The directory itself may belong to the user: only root can replace it in its parent.
	chmod 0755 "$vol"
	chown 1000:1000 "$vol"
	update_config "(.mounts[] | select(.destination == \"/data\")).source = \"$vol\"
		| .process.user = {uid: 1000, gid: 1000}
		| .process.args = [\"sh\", \"-c\", \"echo in-volume > /data/f && cat /data/f\"]"
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = in-volume ]
	[ "$(cat "$vol/f")" = in-volume ]
}

@test "sensitive-mounts: a missing source, host logs, the system bus and cron's spool are denied" {
	update_config ".mounts += [{destination: \"/m\", type: \"bind\", source: \"$BATS_TEST_TMPDIR/missing\", options: [\"rbind\"]}]"
	ocg_run
	assert_denied sensitive-mounts:5.6
	[[ "$output" == *"\`$BATS_TEST_TMPDIR/missing\` of the bind at \`/m\` does not exist"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/missing" ]

	local src
	for src in /var/log /var/run/dbus /var/spool /run/systemd; do
		[ -e "$src" ] || continue
		update_config "(.mounts[] | select(.destination == \"/m\")) |= {destination: \"/m\", type: \"bind\", source: \"$src\", options: [\"rbind\", \"ro\"]}"
		ocg_run
		assert_denied sensitive-mounts:5.6
		[[ "$output" == *"exposes the sensitive host path"* ]]
	done
}

@test "sensitive-mounts: a pod's kubelet volume is the pod's own only when CRI itself calls" {
	# `docker run --annotation io.kubernetes.cri.sandbox-uid=<victim>` must not open another
	# pod's volumes; the io.kubernetes.cri.* patterns count only under containerd's runc root.
	local uid="ocgtest-$$-$BATS_TEST_NUMBER" cri_root=/run/containerd/runc/k8s.io
	local vol="/var/lib/kubelet/pods/$uid/volumes/kubernetes.io~empty-dir/data"
	[ ! -e /var/lib/kubelet/pods/"$uid" ] || skip "$vol exists"
	local made_cri_root=0
	[ -d "$cri_root" ] || made_cri_root=1
	mkdir -p "$vol" && echo pod-data >"$vol/marker"
	update_config --arg uid "$uid" --arg vol "$vol" '.annotations["io.kubernetes.cri.sandbox-uid"] = $uid
		| .annotations["io.kubernetes.cri.sandbox-id"] = "sb-ocgtest"
		| .mounts += [{destination: "/data", type: "bind", source: $vol, options: ["rbind", "rw"]}]
		| .process.args = ["cat", "/data/marker"]'
	# From Docker's (or any non-CRI) runtime root: the annotations prove nothing.
	ocg_run docker
	[ "$status" -eq 1 ]
	[[ "$output" == *"sensitive-mounts"*"/var/lib/kubelet"* ]]
	# From containerd's CRI root: the pod's own volume.
	ROOT=$cri_root ocg_run cri
	"$REAL_RUNC" --root "$cri_root" delete -f "$(cid cri)" >/dev/null 2>&1 || true
	rm -rf /var/lib/kubelet/pods/"$uid"
	rmdir /var/lib/kubelet/pods /var/lib/kubelet 2>/dev/null || true
	[ "$made_cri_root" -eq 0 ] || rmdir "$cri_root" /run/containerd/runc /run/containerd 2>/dev/null || true
	[ "$status" -eq 0 ]
	[ "$output" = pod-data ]
}
