#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate doctor` and `ocigate runtime configure --engine docker` against a real, private dockerd
# 20.10 (Debian's docker.io) that starts UNPROTECTED: no ocigate runtime, default-runtime runc,
# and the real runc first on its PATH.  The tests run in order: the bypassed host is reported and
# really bypassed, configure takes it to protected (reported by doctor, proven by denied
# containers), unconfigure takes it back; bad input changes nothing.

load lib
load doctor-lib

setup_file() {
	doctor_docker_setup
}

teardown_file() {
	doctor_docker_teardown
}

setup() {
	e2e_require
	T=$BATS_TEST_TMPDIR
	W=$E2E_WORK
	DOC=(--engine docker --docker-socket "$W/docker.sock")
}

configure() {
	run "$OCIGATE" runtime configure --engine docker --socket "$W/docker.sock" \
		--state-dir "$W/ocigate-state" "$@"
}

unconfigure() {
	run "$OCIGATE" runtime unconfigure --engine docker --socket "$W/docker.sock" \
		--state-dir "$W/ocigate-state"
}

# ---------------------------------------------------------------- bypassed

@test "doctor-docker: a bypassed dockerd is reported high, with the exact command that closes it" {
	doctor_json "${DOC[@]}"
	echo "$output"
	[ "$status" -eq 1 ]
	has_finding docker.default-runtime high
	has_finding docker.runc-path high
	jq -e '.findings[] | select(.id == "docker.runc-path") | .fix | test("^ocigate runtime configure --engine docker --as-runc --socket ")' <<<"$output"
	jq -e '.findings[] | select(.id == "docker.default-runtime") | .fix | test("--set-as-default")' <<<"$output"
	jq -e --arg p "$W/daemon.json" '.findings[] | select(.id == "docker.daemon" and .severity == "info") | .message | contains($p)' <<<"$output"
}

@test "doctor-docker: the bypass is real: --runtime=runc reads the host's /etc/shadow, and the trail has nothing" {
	run "$DOCKER" run --rm --network none --runtime=runc --cidfile "$T/cid" -v /etc:/hostetc:ro \
		"$E2E_IMAGE" head -n 1 /hostetc/shadow
	echo "$output"
	[ "$status" -eq 0 ]
	shadow_readable "$output"
	run e2e_audit_has "$(cat "$T/cid")" create
	[ "$status" -ne 0 ]
}

@test "doctor-docker: a container created behind ocigate's back is drift, named by engine and id" {
	run "$DOCKER" run -d --network none --runtime=runc --name e2e-drift "$E2E_IMAGE" sleep 600
	[ "$status" -eq 0 ]
	id=$output
	e2e_record_cgroup "docker/$id"
	doctor_json "${DOC[@]}"
	has_finding drift.container high "docker container $id"
	"$DOCKER" rm -f e2e-drift
	doctor_json "${DOC[@]}"
	no_finding drift.container
}

@test "doctor-docker: a world-writable docker.sock is high (CIS 3.16)" {
	chmod 0666 "$W/docker.sock"
	doctor_json "${DOC[@]}"
	chmod 0660 "$W/docker.sock"
	has_finding file.docker-sock.mode high
	jq -e '.findings[] | select(.id == "file.docker-sock.mode") | .cis == "3.16"' <<<"$output"
	doctor_json "${DOC[@]}"
	no_finding file.docker-sock.mode
}

@test "doctor-docker: SARIF: every check is a rule with its CIS id and help, every result names its rule" {
	run "$OCIGATE" doctor --format sarif "${DOC[@]}"
	[ "$status" -eq 1 ]
	jq -e '.version == "2.1.0" and (.runs | length == 1)' <<<"$output"
	jq -e '.runs[0].tool.driver.rules as $r | all(.runs[0].results[]; $r[.ruleIndex].id == .ruleId)' <<<"$output"
	jq -e '.runs[0].tool.driver.rules[] | select(.id == "file.docker-sock.mode")
		| (.properties.cis | contains("3.16")) and (.help.text | length > 0)' <<<"$output"
	jq -e '[.runs[0].results[] | select(.ruleId == "docker.runc-path")][0].level == "error"' <<<"$output"
}

@test "doctor-docker: --probe on the bypassed route finds no create line for its container" {
	before=$(probe_dirs)
	doctor_json "${DOC[@]}" --probe
	[ "$(probe_dirs)" = "$before" ]
	echo "$output"
	has_finding probe.route high "docker probe"
	[ -z "$("$DOCKER" ps -aq --filter name=ocigate-probe)" ]
	[ -z "$("$DOCKER" images -q 'ocigate-probe*')" ]
}

# ---------------------------------------------------------------- bad input changes nothing

@test "doctor-docker: --dry-run prints the result and the diff and changes nothing" {
	before=$(sha "$W/daemon.json")
	configure --set-as-default --as-runc --dry-run
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *'+    "ocigate": {'* ]]
	[[ "$output" == *'+  "default-runtime": "ocigate"'* ]]
	[[ "$output" == *"would link $W/sbin/runc -> "* ]]
	[[ "$output" == *"nothing was changed"* ]]
	[ "$(sha "$W/daemon.json")" = "$before" ]
	[ ! -e "$W/daemon.json.ocigate.bak" ] && [ ! -e "$W/sbin/runc" ] && [ ! -e "$W/ocigate-state" ]
	[ ! -e "$W/policy.d" ]
}

@test "doctor-docker: a daemon.json with comments is refused and kept -- dockerd 20.10 refuses it too" {
	{ echo '// ops: keep the log level'; cat "$W/daemon.json"; } >"$T/commented.json"
	before=$(sha "$T/commented.json")
	run "$OCIGATE" runtime configure --engine docker --config "$T/commented.json" --state-dir "$T/state"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"comment"* && "$output" == *"nothing was changed"* ]]
	[ "$(sha "$T/commented.json")" = "$before" ] && [ ! -e "$T/state" ]
	# The real daemon on the same file: it stops before starting anything.
	run timeout 60 /usr/sbin/dockerd --config-file "$T/commented.json"
	echo "dockerd: $output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"unable to configure the Docker daemon with file $T/commented.json"* ]]
}

@test "doctor-docker: an unparsable daemon.json or an unknown engine is a clear error" {
	printf '{"log-level": ' >"$T/broken.json"
	run "$OCIGATE" runtime configure --engine docker --config "$T/broken.json" --state-dir "$T/state"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$T/broken.json"* && "$output" == *"nothing was changed"* ]]
	[ "$(cat "$T/broken.json")" = '{"log-level": ' ]
	run "$OCIGATE" runtime configure --engine dockerd --state-dir "$T/state"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown engine \`dockerd\`"* ]]
	[ ! -e "$T/state" ]
}

@test "doctor-docker: a read-only /etc is a clear error and nothing changes" {
	command -v unshare >/dev/null || skip "no unshare(1)"
	target=/etc/docker/ocigate-e2e-$$.json
	[ ! -e "$target" ] || skip "$target exists"
	# shellcheck disable=SC2016  # expanded by the inner shell
	run unshare -m --propagation private sh -c 'mount --bind /etc /etc && mount -o remount,bind,ro /etc &&
		exec "$0" runtime configure --engine docker --config "$1" --state-dir "$2"' \
		"$OCIGATE" "$target" "$T/state"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Read-only file system"* && "$output" == *"nothing was changed"* ]]
	[ ! -e "$target" ] && [ ! -e "$T/state" ]
}

@test "doctor-docker: a failure after daemon.json was written undoes it (a read-only --runc-dir)" {
	mkdir -p "$T/ro"
	chmod 0755 "$T" "$T/ro"
	before=$(sha "$W/daemon.json")
	# shellcheck disable=SC2016  # expanded by the inner shell
	run unshare -m --propagation private sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
		exec "$0" runtime configure --engine docker --socket "$2" --state-dir "$3" --set-as-default --as-runc --runc-dir "$1"' \
		"$OCIGATE" "$T/ro" "$W/docker.sock" "$T/state"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"nothing was changed"* ]]
	[ "$(sha "$W/daemon.json")" = "$before" ]
	[ ! -e "$W/daemon.json.ocigate.bak" ] && [ ! -e "$T/state" ] && [ ! -e "$W/policy.d" ]
}

@test "doctor-docker: --restart on a dockerd that is not a systemd service is refused before any change" {
	before=$(sha "$W/daemon.json")
	configure --set-as-default --restart
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not a systemd service's main process"* ]]
	[ "$(sha "$W/daemon.json")" = "$before" ] && [ ! -e "$W/ocigate-state" ]
}

# ---------------------------------------------------------------- a stale copy

@test "doctor-docker: a copied runc older than the installed ocigate is found" {
	ver=$("$OCIGATE" --ocigate-version | awk 'NR == 1 {print $3}')
	cp "$OCIGATE" "$W/sbin/runc"
	# The same build with an older version marker: what a package upgrade leaves behind.
	perl -pi -e "s/ocigate-ident:\Q$ver\E:/ocigate-ident:0.0.0:/" "$W/sbin/runc"
	doctor_json "${DOC[@]}"
	echo "$output"
	has_finding routing.ocigate-copy high docker
	jq -e '[.findings[] | select(.id == "routing.ocigate-copy")][0].message | contains("an older ocigate 0.0.0")' <<<"$output"
	jq -e '[.findings[] | select(.id == "routing.ocigate-copy")][0].fix | contains("--as-runc")' <<<"$output"
}

# ---------------------------------------------------------------- configure: protected

@test "doctor-docker: configure --set-as-default --as-runc keeps every other key, owner and mode" {
	configure --set-as-default --as-runc
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"dockerd (pid "*") must reload its configuration"* ]]
	jq -e --arg o "$OCIGATE" '.runtimes.ocigate == {path: $o} and ."default-runtime" == "ocigate"' "$W/daemon.json"
	# Every other key: same values, same order.
	[ "$(jq -c 'del(.runtimes, ."default-runtime")' "$W/daemon.json")" = "$(jq -c . "$W/daemon.json.orig")" ]
	[ "$(stat -c '%a %u %g' "$W/daemon.json")" = "640 0 0" ]
	cmp "$W/daemon.json.ocigate.bak" "$W/daemon.json.orig"
	# The stale copy became a symlink; the runtime it stood in for is pinned in the policy.
	[ -L "$W/sbin/runc" ] && [ "$(readlink "$W/sbin/runc")" = "$OCIGATE" ]
	jq -e --arg r "$E2E_REAL_RUNTIME" '.runtime == $r' <(grep -v '^//' "$W/policy.d/99-ocigate-as-runc.json")
	"$OCIGATE" policy validate "$W/policy.json"
}

@test "doctor-docker: after a reload doctor reports the host protected (exit 0)" {
	doctor_dockerd_reload ocigate
	doctor_json "${DOC[@]}"
	echo "$output"
	[ "$status" -eq 0 ]
	has_finding docker.default-runtime info
	has_finding docker.runc-path info
	no_finding routing.ocigate-copy
}

@test "doctor-docker: protected: --privileged is denied by default and with --runtime=runc" {
	for rt in "" --runtime=runc; do
		run "$DOCKER" run --rm --network none $rt --privileged -v "$T:/out" "$E2E_IMAGE" touch /out/ran
		echo "[$rt] status=$status output: $output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"${E2E_DENY}privileged (CIS Docker 1.6.0 5.5"* ]]
		[ ! -e "$T/ran" ]
	done
	run "$DOCKER" run --rm --network none --runtime=runc -v /etc:/hostetc:ro "$E2E_IMAGE" head -n 1 /hostetc/shadow
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${E2E_DENY}sensitive-mounts"* ]]
}

@test "doctor-docker: protected: a default container runs and its create is in the trail" {
	run "$DOCKER" run --rm --network none --cidfile "$T/cid" "$E2E_IMAGE" echo hello-doctor
	[ "$status" -eq 0 ]
	[ "$output" = hello-doctor ]
	run e2e_audit_has "$(cat "$T/cid")" create
	[ "$status" -eq 0 ]
}

@test "doctor-docker: protected: --probe finds its container's create line" {
	before=$(probe_dirs)
	doctor_json "${DOC[@]}" --probe
	[ "$(probe_dirs)" = "$before" ]
	echo "$output"
	[ "$status" -eq 0 ]
	has_finding probe.route info "docker probe"
	[ -z "$("$DOCKER" ps -aq --filter name=ocigate-probe)" ]
}

@test "doctor-docker: configuring again changes nothing" {
	before=$(sha "$W/daemon.json")
	configure --set-as-default --as-runc
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sha "$W/daemon.json")" = "$before" ]
}

# ---------------------------------------------------------------- unconfigure

@test "doctor-docker: unconfigure returns daemon.json, the PATH and the policy to what they were" {
	unconfigure
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"must be restarted"* ]]
	[ "$(jq -c . "$W/daemon.json")" = "$(jq -c . "$W/daemon.json.orig")" ]
	[ "$(stat -c '%a %u %g' "$W/daemon.json")" = "640 0 0" ]
	[ ! -e "$W/sbin/runc" ] && [ ! -e "$W/policy.d/99-ocigate-as-runc.json" ]
	[ ! -e "$W/ocigate-state/runtime-docker.json" ]
}

@test "doctor-docker: after a restart the host is bypassed again, and doctor says so" {
	doctor_dockerd_restart
	doctor_json "${DOC[@]}"
	[ "$status" -eq 1 ]
	has_finding docker.default-runtime high
	has_finding docker.runc-path high
	run "$DOCKER" run --rm --network none --runtime=runc -v /etc:/hostetc:ro "$E2E_IMAGE" head -n 1 /hostetc/shadow
	[ "$status" -eq 0 ]
	shadow_readable "$output"
}
