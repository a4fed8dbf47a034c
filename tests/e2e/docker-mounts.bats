#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Docker 20.10 through ocigate, on what sensitive-mounts judges by identity: a named volume of
# the local driver with `--opt type=none --opt o=bind --opt device=/etc` (dockerd mounts /etc
# onto <data-root>/volumes/<name>/_data, a path no list names), next to a plain named volume and
# containers that share another's network or IPC namespace.  The escape is shown with Docker's
# own runc (`--runtime=runc`, ocigate not involved).

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
	MARKERS=()
}

teardown() {
	local m
	for m in "${MARKERS[@]}"; do
		rm -f "$m"
	done
}

@test "docker: a local volume with /etc bound onto it reads /etc/shadow with runc alone; ocigate denies it" {
	local marker="ocg-e2e-docker-etcvol-$$"
	MARKERS+=("/etc/$marker")
	run "$DOCKER" volume create --driver local --opt type=none --opt o=bind --opt device=/etc ocg-etcvol
	[ "$status" -eq 0 ]
	run "$DOCKER" run --rm --network none --runtime=runc -v ocg-etcvol:/x "$E2E_IMAGE" \
		sh -c "cut -d: -f1 /x/shadow | head -n 1; touch /x/$marker && echo wrote"
	echo "runc alone: status=$status output=$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = root ]
	[ "${lines[1]}" = wrote ]
	[ -e "/etc/$marker" ]
	rm -f "/etc/$marker"

	run "$DOCKER" run --rm --network none --runtime=ocigate -v ocg-etcvol:/x -v "$T:/out" "$E2E_IMAGE" \
		touch "/x/$marker" /out/ran
	echo "ocigate: status=$status output=$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${E2E_DENY}sensitive-mounts"*"shows the sensitive host path \`/etc\` under another name"* ]]
	[ ! -e "/etc/$marker" ]
	[ ! -e "$T/ran" ]
	"$DOCKER" volume rm -f ocg-etcvol >/dev/null
}

@test "docker: a plain named volume runs through ocigate and keeps what the container wrote" {
	run "$DOCKER" run --rm --network none --runtime=ocigate -v ocg-plain:/x "$E2E_IMAGE" sh -c 'echo kept > /x/f'
	[ "$status" -eq 0 ]
	run "$DOCKER" run --rm --network none --runtime=ocigate -v ocg-plain:/x "$E2E_IMAGE" cat /x/f
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = kept ]
	"$DOCKER" volume rm -f ocg-plain >/dev/null
}

@test "docker: --ipc container:X and --net container:X (X's shm, hosts, resolv.conf) run through ocigate" {
	run "$DOCKER" run -d --name ocg-shared --ipc shareable --network none --runtime=ocigate "$E2E_IMAGE" \
		sh -c 'echo from-x > /dev/shm/f && sleep 120'
	[ "$status" -eq 0 ]
	e2e_record_cgroup "docker/$output"
	for _ in $(seq 50); do
		"$DOCKER" exec ocg-shared test -e /dev/shm/f 2>/dev/null && break
		sleep 0.1
	done
	run "$DOCKER" run --rm --runtime=ocigate --ipc container:ocg-shared --network container:ocg-shared \
		"$E2E_IMAGE" sh -c 'cat /dev/shm/f; hostname'
	echo "status=$status output=$output"
	[ "$status" -eq 0 ]
	# (dockerd may warn about IPv4 forwarding first: the container's lines are the last two)
	[ "${lines[-2]}" = from-x ]
	[ "${lines[-1]}" = "$("$DOCKER" inspect -f '{{.Config.Hostname}}' ocg-shared)" ]
	"$DOCKER" rm -f ocg-shared >/dev/null
}
