#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate doctor` and `ocigate runtime configure --engine containerd` against a real, private
# containerd 1.6 (Debian's, the CRI plugin on) that starts UNPROTECTED: the default handler runc
# and `ctr run` both run the real runc first on its PATH.  In order: bypassed and reported,
# configured (drop-in + import, checked with `containerd config dump`) and proven by denied
# containers, unconfigured byte for byte.

load lib
load doctor-lib

setup_file() {
	doctor_containerd_setup
}

teardown_file() {
	doctor_containerd_teardown
}

setup() {
	e2e_require
	T=$BATS_TEST_TMPDIR
	W=$E2E_WORK
	DOC=(--engine containerd --containerd-socket "$W/containerd.sock")
	ID=e2e-$BATS_TEST_NUMBER-$$
	e2e_record_cgroup "$DOCTOR_NS/$ID"
}

configure() {
	run "$OCIGATE" runtime configure --engine containerd --socket "$W/containerd.sock" \
		--state-dir "$W/ocigate-state" "$@"
}

# ctr_run ARGS...: `ctr run --rm` with no --runc-binary: containerd's own route.
ctr_run() {
	run dctr run --rm "$@"
}

@test "doctor-containerd: a bypassed containerd is reported high: the default handler and ctr's runc" {
	doctor_json "${DOC[@]}"
	echo "$output"
	has_finding containerd.default-handler high "handler runc"
	has_finding containerd.runc-path high
	jq -e '.findings[] | select(.id == "containerd.runc-path") | .fix | test("^ocigate runtime configure --engine containerd --as-runc --socket ")' <<<"$output"
	jq -e --arg c "$W/config.toml" '.findings[] | select(.id == "containerd.daemon" and .severity == "info") | .message | contains($c)' <<<"$output"
}

@test "doctor-containerd: the bypass is real: ctr run reads the host's /etc/shadow, and the trail has nothing" {
	ctr_run --mount type=bind,src=/etc,dst=/hostetc,options=rbind:ro "$E2E_CTR_IMAGE" "$ID" head -n 1 /hostetc/shadow
	echo "$output"
	[ "$status" -eq 0 ]
	shadow_readable "$output"
	run e2e_audit_has "$ID" create
	[ "$status" -ne 0 ]
}

@test "doctor-containerd: a container created behind ocigate's back is drift, named by engine and id" {
	run dctr run -d "$E2E_CTR_IMAGE" "$ID" sleep 600
	[ "$status" -eq 0 ]
	doctor_json "${DOC[@]}"
	has_finding drift.container high "containerd container $ID"
	dctr task kill -s 9 "$ID"
	sleep 0.5
	dctr task rm -f "$ID" >/dev/null 2>&1 || true
	dctr container rm "$ID"
	doctor_json "${DOC[@]}"
	[ "$(finding drift.container "$ID")" = "[]" ]
}

@test "doctor-containerd: a handler that is not ocigate is high (another config.toml)" {
	cp "$W/config.toml" "$T/other.toml"
	cat >>"$T/other.toml" <<EOT
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.legacy]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.legacy.options]
        BinaryName = "$E2E_REAL_RUNTIME"
EOT
	doctor_json "${DOC[@]}" --containerd-config "$T/other.toml"
	echo "$output"
	has_finding containerd.handler high "handler legacy"
	jq -e '[.findings[] | select(.id == "containerd.handler")][0].message | contains("/usr/sbin/runc")' <<<"$output"
}

@test "doctor-containerd: --dry-run prints the drop-in and the import and changes nothing" {
	before=$(sha "$W/config.toml")
	configure --set-as-default --as-runc --dry-run
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"+imports = [\"$W/conf.d/99-ocigate.toml\"]"* ]]
	[[ "$output" == *'default_runtime_name = "ocigate"'* ]]
	[[ "$output" == *"nothing was changed"* ]]
	[ "$(sha "$W/config.toml")" = "$before" ]
	[ ! -e "$W/conf.d" ] && [ ! -e "$W/sbin/runc" ] && [ ! -e "$W/ocigate-state" ]
}

@test "doctor-containerd: configure writes the drop-in, adds one import, keeps the comments, checks the dump" {
	configure --set-as-default --as-runc
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"checked with \`/usr/bin/containerd config dump\`"* ]]
	[[ "$output" == *"must be restarted"* ]]
	# config.toml: the original bytes plus one line.
	diff "$W/config.toml.orig" "$W/config.toml" | tee "$T/diff"
	[ "$(grep -c '^[<>]' "$T/diff")" -eq 1 ]
	grep -qx "imports = \[\"$W/conf.d/99-ocigate.toml\"\]" "$W/config.toml"
	grep -q '^# ops: a private containerd' "$W/config.toml"
	# containerd reads the drop-in: the handler, the default, and the other settings as before.
	containerd --config "$W/config.toml" config dump >"$T/dump"
	grep -q "BinaryName = \"$OCIGATE\"" "$T/dump"
	grep -q 'default_runtime_name = "ocigate"' "$T/dump"
	grep -q "conf_dir = \"$W/cni/net.d\"" "$T/dump"
	grep -q 'stream_server_port = "0"' "$T/dump"
	[ -L "$W/sbin/runc" ] && [ "$(readlink "$W/sbin/runc")" = "$OCIGATE" ]
	cp "$W/config.toml" "$W/config.toml.configured"
	cp "$W/conf.d/99-ocigate.toml" "$W/dropin.configured"
}

@test "doctor-containerd: after a restart doctor reports every containerd route through ocigate" {
	doctor_containerd_restart
	doctor_json "${DOC[@]}"
	echo "$output"
	has_finding containerd.default-handler info "handler ocigate"
	has_finding containerd.runc-path info
	# The runc handler kept from config.toml has no BinaryName: runc on the PATH, now ocigate.
	has_finding containerd.handler info "handler runc"
	[ "$(jq '[.findings[] | select((.id | startswith("containerd.")) and .severity == "high")] | length' <<<"$output")" -eq 0 ]
}

@test "doctor-containerd: protected: ctr run --privileged and an /etc bind are denied" {
	ctr_run --privileged --mount "type=bind,src=$T,dst=/out,options=rbind:rw" "$E2E_CTR_IMAGE" "$ID" touch /out/ran
	echo "status=$status output: $output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${E2E_DENY}privileged (CIS Docker 1.6.0 5.5"* ]]
	[ ! -e "$T/ran" ]
	ctr_run --mount type=bind,src=/etc,dst=/hostetc,options=rbind:ro "$E2E_CTR_IMAGE" "$ID-etc" head -n 1 /hostetc/shadow
	echo "status=$status output: $output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${E2E_DENY}sensitive-mounts"* ]]
}

@test "doctor-containerd: protected: a default ctr container runs and its create is in the trail" {
	ctr_run "$E2E_CTR_IMAGE" "$ID" echo hello-doctor
	[ "$status" -eq 0 ]
	[ "$output" = hello-doctor ]
	run e2e_audit_has "$ID" create
	[ "$status" -eq 0 ]
}

@test "doctor-containerd: protected: --probe finds its container's create line" {
	before=$(probe_dirs)
	doctor_json "${DOC[@]}" --probe
	[ "$(probe_dirs)" = "$before" ]
	echo "$output"
	has_finding probe.route info "containerd probe"
	run ctr -a "$W/containerd.sock" namespaces ls -q
	[[ "$output" != *ocigate-probe* ]]
}

@test "doctor-containerd: configuring again changes nothing" {
	configure --set-as-default --as-runc
	echo "$output"
	[ "$status" -eq 0 ]
	cmp "$W/config.toml" "$W/config.toml.configured"
	cmp "$W/conf.d/99-ocigate.toml" "$W/dropin.configured"
}

@test "doctor-containerd: unconfigure returns config.toml byte for byte and removes the drop-in" {
	run "$OCIGATE" runtime unconfigure --engine containerd --socket "$W/containerd.sock" --state-dir "$W/ocigate-state"
	echo "$output"
	[ "$status" -eq 0 ]
	cmp "$W/config.toml" "$W/config.toml.orig"
	[ ! -e "$W/conf.d" ] && [ ! -e "$W/sbin/runc" ] && [ ! -e "$W/ocigate-state/runtime-containerd.json" ]
	doctor_containerd_restart
	doctor_json "${DOC[@]}"
	has_finding containerd.default-handler high "handler runc"
	has_finding containerd.runc-path high
}

@test "doctor-containerd: a version-1 config.toml is refused and kept" {
	grep -v '^version' "$W/config.toml" >"$T/v1.toml"
	before=$(sha "$T/v1.toml")
	run "$OCIGATE" runtime configure --engine containerd --config "$T/v1.toml" --state-dir "$T/state"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no \`version = 2\`"* && "$output" == *"nothing was changed"* ]]
	[ "$(sha "$T/v1.toml")" = "$before" ] && [ ! -e "$T/conf.d" ] && [ ! -e "$T/state" ]
}
