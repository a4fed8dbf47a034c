#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate report` over a real Docker 20.10's containers (a private dockerd, lib.bash): one started
# through ocigate, one through Docker's own runc with --cap-add SYS_ADMIN.  Both are found in
# Docker's root <exec-root>/runtime-runc/moby (the same for every runtime), named as Docker's, with
# no image (Docker records none in the config), the first judged at create and allowed, the second
# never judged and denied today.  Only this daemon's root is scanned (--no-default-roots).

bats_require_minimum_version 1.5.0
load lib

setup_file() {
	e2e_docker_setup
}

teardown_file() {
	e2e_docker_teardown
}

setup() {
	e2e_require
}

@test "report: Docker's containers, through ocigate and around it, found in Docker's root" {
	local root=$E2E_WORK/exec/runtime-runc/moby policy=() via around
	[ -f "$E2E_WORK/policy.json" ] && policy=(--policy "$E2E_WORK/policy.json")
	via=$("$DOCKER" run -d --network none --runtime=ocigate "$E2E_IMAGE" sleep 600)
	around=$("$DOCKER" run -d --network none --runtime=runc --cap-add SYS_ADMIN "$E2E_IMAGE" sleep 600)
	run --separate-stderr "$OCIGATE" --ocigate-audit-log "$E2E_WORK/audit.log" report \
		"${policy[@]}" --no-default-roots --root "$root" --format json
	echo "status=$status stderr=$stderr"
	echo "$output"
	[ "$status" -eq 1 ]
	jq -e --arg r "$root" '.roots == [{"path": $r, "engine": "docker", "containers": 2, "error": null}]' <<<"$output"
	jq -e --arg id "$via" '.containers[] | select(.id == $id) | .engine == "docker"
		and .status == "allowed" and .judged_at_create == true and .image == "unknown"
		and (.config | endswith("/" + $id + "/config.json"))' <<<"$output"
	jq -e --arg id "$around" '.containers[] | select(.id == $id) | .engine == "docker"
		and .status == "would-deny" and .judged_at_create == false
		and any(.findings[]; .kind == "denied" and .rule == "capabilities")' <<<"$output"
	"$DOCKER" rm -f "$via" "$around" >/dev/null
}
