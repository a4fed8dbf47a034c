#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Docker 20.10 (Debian's docker.io, its managed containerd 1.6 and containerd-shim-runc-v2) with
# ocigate registered as the runtimes `ocigate` and `ocigate-restricted` (a symlink: the profile
# comes from the invoked name).  Every assertion is on what the container did or printed, on the
# host's cgroup files, on docker's own error output, or on the files the runtime calls left.

load lib

setup_file() {
	e2e_docker_setup
}

teardown_file() {
	e2e_docker_teardown
}

setup() {
	e2e_require
	T=$BATS_TEST_TMPDIR
}

# drun ARGS...: `docker run --rm --network none --runtime=ocigate ARGS...`
drun() {
	run "$DOCKER" run --rm --network none --runtime=ocigate "$@"
}

# denied RULE_PREFIX: the last `run` failed with ocigate's denial line naming RULE_PREFIX, and the
# container never ran (it would have created $T/ran through the -v $T:/out bind).
denied() {
	echo "status=$status output: $output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$E2E_DENY$1"* ]]
	[ ! -e "$T/ran" ]
}

LIFE=e2e-life

# need_life: the long-running container the lifecycle tests share (started on first use).
need_life() {
	if [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$LIFE" 2>/dev/null)" != true ]; then
		"$DOCKER" rm -f "$LIFE" >/dev/null 2>&1 || true
		"$DOCKER" run -d --name "$LIFE" --network none --runtime=ocigate "$E2E_IMAGE" sleep 600
	fi
	LIFE_ID=$("$DOCKER" inspect -f '{{.Id}}' "$LIFE")
	e2e_record_cgroup "docker/$LIFE_ID"
}

# ---------------------------------------------------------------- allowed: a default container

@test "docker: a default container runs through ocigate and prints its output" {
	drun "$E2E_IMAGE" sh -c 'echo hello-e2e; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$output" = hello-e2e ]
}

@test "docker: the default container's create is in ocigate's audit trail (it went through ocigate)" {
	drun --cidfile "$T/cid" "$E2E_IMAGE" true
	[ "$status" -eq 0 ]
	run e2e_audit_has "$(cat "$T/cid")" create
	echo "$output"
	[ "$status" -eq 0 ]
	jq -se 'length == 1 and (.[0].verdict == "allow" or .[0].verdict == "rewrite")
		and .[0].executed == true' <<<"$output"
}

@test "docker: default container has NoNewPrivs: 1 (injected under baseline)" {
	drun "$E2E_IMAGE" grep NoNewPrivs /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
}

@test "docker: default container has Seccomp: 2 (filter mode)" {
	drun "$E2E_IMAGE" grep -E '^Seccomp:' /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ Seccomp:[[:space:]]+2 ]]
}

@test "docker: default container's memory cgroup limit is finite" {
	drun "$E2E_IMAGE" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9]+$ ]]
	[ "$output" -lt "$E2E_CG1_UNLIMITED" ]
}

# ---------------------------------------------------------------- lifecycle of a running container

@test "docker: run -d + exec through ocigate" {
	need_life
	run "$DOCKER" exec "$LIFE" sh -c 'echo exec-ok; id -u'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "exec-ok
0" ]
	run e2e_audit_has "$LIFE_ID" exec
	[ "$status" -eq 0 ]
}

@test "docker: exec -u nobody runs as uid 65534" {
	need_life
	run "$DOCKER" exec -u nobody "$LIFE" id -u
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 65534 ]
}

@test "docker: top (runtime ps --format json) lists the container's process" {
	need_life
	run "$DOCKER" top "$LIFE"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"sleep 600"* ]]
}

@test "docker: pause freezes the container's cgroup, unpause thaws it" {
	need_life
	local fz=/sys/fs/cgroup/freezer/docker/$LIFE_ID/freezer.state
	run "$DOCKER" pause "$LIFE"
	[ "$status" -eq 0 ]
	[ "$(cat "$fz")" = FROZEN ]
	[ "$("$DOCKER" inspect -f '{{.State.Status}}' "$LIFE")" = paused ]
	run "$DOCKER" unpause "$LIFE"
	[ "$status" -eq 0 ]
	[ "$(cat "$fz")" = THAWED ]
	run "$DOCKER" exec "$LIFE" echo thawed
	[ "$output" = thawed ]
}

@test "docker: update --memory 128m (runtime update --resources - on stdin) is visible inside" {
	need_life
	# --memory-swap too: dockerd 20.10 refuses a lone --memory on a container started without a
	# limit ("Memory limit should be smaller than already set memoryswap limit"), plain runc too.
	run "$DOCKER" update --memory 128m --memory-swap 256m "$LIFE"
	echo "$output"
	[ "$status" -eq 0 ]
	run "$DOCKER" exec "$LIFE" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	echo "$output"
	[ "$output" = 134217728 ]
	[ "$(cat "/sys/fs/cgroup/memory/docker/$LIFE_ID/memory.limit_in_bytes")" = 134217728 ]
	# ocigate judged the resources it read from stdin and handed the same bytes to runc
	run e2e_audit_has "$LIFE_ID" update
	[ "$status" -eq 0 ]
}

@test "docker: after allowed create/start/exec/ps/pause/update, log.json holds no ocigate line" {
	need_life
	local log
	log=$(e2e_docker_bundle "$LIFE_ID")/log.json
	"$DOCKER" exec "$LIFE" true
	"$DOCKER" top "$LIFE" >/dev/null
	run e2e_log_has_no_ocigate "$log"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "docker: exec --privileged into a running container is denied and does not run" {
	need_life
	run "$DOCKER" exec --privileged "$LIFE" touch /tmp/priv-ran
	echo "status=$status output: $output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$E2E_DENY"* ]]
	run "$DOCKER" exec "$LIFE" ls /tmp/priv-ran
	[ "$status" -ne 0 ]
	[ "$("$DOCKER" inspect -f '{{.State.Running}}' "$LIFE")" = true ]
}

@test "docker: after a denial, log.json's last line is runc-format JSON: level error, msg ocigate:" {
	need_life
	local log
	log=$(e2e_docker_bundle "$LIFE_ID")/log.json
	run "$DOCKER" exec --privileged "$LIFE" true
	[ "$status" -ne 0 ]
	run e2e_log_last_is_denial "$log"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "docker: stop ends the container's processes" {
	need_life
	local pid
	pid=$("$DOCKER" inspect -f '{{.State.Pid}}' "$LIFE")
	[ "$pid" -gt 0 ]
	run "$DOCKER" stop -t 1 "$LIFE"
	[ "$status" -eq 0 ]
	[ "$("$DOCKER" inspect -f '{{.State.Status}}' "$LIFE")" = exited ]
	[ ! -e "/proc/$pid" ] || [ "$(cat "/proc/$pid/comm")" != sleep ]
}

@test "docker: rm removes the container and its bundle" {
	"$DOCKER" inspect "$LIFE" >/dev/null 2>&1 || need_life
	LIFE_ID=$("$DOCKER" inspect -f '{{.Id}}' "$LIFE")
	run "$DOCKER" rm -f "$LIFE"
	[ "$status" -eq 0 ]
	run "$DOCKER" inspect "$LIFE"
	[ "$status" -ne 0 ]
	[ ! -e "$(e2e_docker_bundle "$LIFE_ID")" ]
}

# ---------------------------------------------------------------- denied under baseline

@test "docker: run --privileged is denied (privileged, CIS 5.5) and never runs" {
	drun --privileged -v "$T:/out" "$E2E_IMAGE" touch /out/ran
	denied 'privileged (CIS Docker 1.6.0 5.5'
}

@test "docker: run --net=host is denied naming host-namespaces" {
	run "$DOCKER" run --rm --runtime=ocigate --network host -v "$T:/out" "$E2E_IMAGE" touch /out/ran
	denied 'host-namespaces'
}

@test "docker: run -v /etc:/hostetc is denied naming sensitive-mounts" {
	drun -v /etc:/hostetc -v "$T:/out" "$E2E_IMAGE" touch /out/ran
	denied 'sensitive-mounts'
}

@test "docker: run --cap-add SYS_ADMIN is denied naming capabilities" {
	drun --cap-add SYS_ADMIN -v "$T:/out" "$E2E_IMAGE" touch /out/ran
	denied 'capabilities'
}

# ---------------------------------------------------------------- allowed engine features

@test "docker: run --init is allowed (docker-init is pid 1)" {
	drun --init "$E2E_IMAGE" cat /proc/1/cmdline
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *docker-init* ]]
}

@test "docker: run -v <tmpdir>:/data is allowed and writes reach the host" {
	drun -v "$T:/data" "$E2E_IMAGE" sh -c 'echo data-ok >/data/f'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/f")" = data-ok ]
}

@test "docker: the running default container's config carries dockerd's libnetwork-setkey hook" {
	# ocigate let it run only after proving /proc/<pid>/exe is this very dockerd (hooks rule).
	need_life
	jq -e --arg p "/proc/$(cat "$E2E_WORK/dockerd.spawned")/exe" \
		'.hooks.prestart[] | select(.args[0] == "libnetwork-setkey" and .path == $p)' \
		"$(e2e_docker_bundle "$LIFE_ID")/config.json"
}

@test "docker: --network/--ipc/--pid container:X run through ocigate, in X's namespaces" {
	# moby writes /proc/<X's init>/ns/{net,ipc,pid}: X is a live container of the same runc root.
	local x=e2e-ns-target pid want
	"$DOCKER" rm -f "$x" >/dev/null 2>&1 || true
	"$DOCKER" run -d --name "$x" --network none --ipc shareable --runtime=ocigate "$E2E_IMAGE" sleep 600
	e2e_record_cgroup "docker/$("$DOCKER" inspect -f '{{.Id}}' "$x")"
	pid=$("$DOCKER" inspect -f '{{.State.Pid}}' "$x")
	want="$(readlink "/proc/$pid/ns/net") $(readlink "/proc/$pid/ns/ipc") $(readlink "/proc/$pid/ns/pid")"
	run "$DOCKER" run --rm --runtime=ocigate --network "container:$x" --ipc "container:$x" \
		--pid "container:$x" "$E2E_IMAGE" sh -c 'echo $(readlink /proc/self/ns/net) $(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/pid)'
	"$DOCKER" rm -f "$x" >/dev/null 2>&1 || true
	echo "want: $want; got: $output"
	[ "$status" -eq 0 ]
	# The last line: the CLI may warn first (no IPv4 forwarding on this host).
	[ "${lines[${#lines[@]} - 1]}" = "$want" ]
}

@test "docker: --runtime=ocigate-restricted (a symlink) selects the restricted profile by its name" {
	run "$DOCKER" run --rm --network none --runtime=ocigate-restricted --cidfile "$T/cid" \
		"$E2E_IMAGE" true
	echo "$output"
	run e2e_audit_has "$(cat "$T/cid")" create
	echo "$output"
	[ "$status" -eq 0 ]
	jq -se 'length >= 1 and all(.[]; .policy == "restricted")' <<<"$output"
}

@test "docker: --runtime=ocigate-restricted runs the container as non-root" {
	run "$DOCKER" run --rm --network none --runtime=ocigate-restricted "$E2E_IMAGE" id -u
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9]+$ ]]
	[ "$output" -ne 0 ]
}

# ---------------------------------------------------------------- ocigate as dockerd's default runtime

# need_default_ocigate: restart dockerd with default-runtime ocigate (once).  Records the line of
# dockerd.log where the restarted daemon's output begins.
need_default_ocigate() {
	[ -f "$E2E_WORK/default-ocigate" ] && return 0
	e2e_docker_stop
	wc -l <"$E2E_WORK/dockerd.log" >"$E2E_WORK/dockerd.log.mark"
	e2e_docker_start "$E2E_SD" ocigate || return 1
	touch "$E2E_WORK/default-ocigate"
}

@test "docker: default-runtime ocigate: docker info shows runc's version, dockerd logs no version warning" {
	need_default_ocigate
	local commit
	commit=$("$E2E_REAL_RUNTIME" --version | awk '/^commit:/ {print $2}')
	[ -n "$commit" ]
	run "$DOCKER" info
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Default Runtime: ocigate"* ]]
	[[ "$output" == *"runc version: $commit"* ]]
	# dockerd runs `<default runtime> --version` at start and for every `docker info`; when the
	# answer is not runc's it logs "failed to retrieve/parse <path> version" (daemon/info_unix.go).
	run grep -E "failed to (retrieve|parse)|level=(warning|error).*$OCIGATE" \
		<(tail -n +"$(($(cat "$E2E_WORK/dockerd.log.mark") + 1))" "$E2E_WORK/dockerd.log")
	echo "$output"
	[ "$status" -eq 1 ]
}

@test "docker: default-runtime ocigate: a plain docker run goes through ocigate (audit trail)" {
	need_default_ocigate
	run "$DOCKER" run --rm --network none --cidfile "$T/cid" "$E2E_IMAGE" \
		grep NoNewPrivs /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
	run e2e_audit_has "$(cat "$T/cid")" create
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "docker: default-runtime ocigate: a plain docker run --privileged is denied" {
	need_default_ocigate
	run "$DOCKER" run --rm --network none --privileged -v "$T:/out" "$E2E_IMAGE" touch /out/ran
	denied 'privileged (CIS Docker 1.6.0 5.5'
}
