/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The catalogue of `ocigate doctor` checks: ids are stable (README "ocigate doctor"), and each
 * becomes a SARIF reportingDescriptor.  CIS ids are those of the CIS Docker Benchmark v1.6.0 as
 * docker/docker-bench-security v1.6.0 (tests/1_host_configuration.sh,
 * tests/2_docker_daemon_configuration.sh, tests/3_docker_daemon_configuration_files.sh) numbers
 * and titles them.  */
#include <config.h>

#include "findings.h"

#define AUDIT_HELP(what)                                                                           \
  "auditd has no rule watching " what ". Add `-w " what " -k docker` to a file in "                \
  "/etc/audit/rules.d/ and reload the rules (augenrules --load)."

const struct doctor_check doctor_checks[] = {
  /* ---- ocigate itself */
  { "ocigate.policy", "The policy files ocigate loads, and whether they validate", NULL,
    "ocigate reads policy.json and policy.d/*.json from its compiled-in directory (or the file "
    "named by --ocigate-policy / OCIGATE_POLICY). A policy that does not load or validate makes "
    "ocigate refuse every container start (fail closed): run `ocigate policy validate`." },
  { "ocigate.runtime", "The real runtime ocigate execs", NULL,
    "ocigate execs the runtime named by --ocigate-runtime, OCIGATE_RUNTIME or the policy file, "
    "else the first runc or crun of its built-in list. Without one, every container start "
    "fails." },
  { "ocigate.audit-log", "The audit trail is writable", NULL,
    "Every judged call appends a line to the audit trail; a decision that cannot be recorded is "
    "not taken, so an unwritable trail makes every container start fail." },
  { "ocigate.profile-links", "The ocigate-<profile> links next to ocigate", NULL,
    "containerd's BinaryName and dockerd's runtime path cannot pass arguments, so a profile is "
    "chosen by the name ocigate is invoked as: ocigate-<profile> must be a symlink to ocigate "
    "(a copy drifts on upgrade) and name a profile the policy defines." },
  /* ---- routing: Docker */
  { "docker.daemon", "The dockerd examined", NULL,
    "The dockerd listening on the Docker socket, identified by its executable's device and "
    "inode (an installed dockerd), its configuration file and the containerd it uses." },
  { "docker.default-runtime", "`docker run` without --runtime reaches ocigate", NULL,
    "dockerd's default-runtime decides where every container without --runtime goes. Make "
    "ocigate the default: `ocigate runtime configure --engine docker --set-as-default`." },
  { "docker.runtime", "A runtime registered in dockerd reaches ocigate", NULL,
    "Every runtime dockerd knows can be chosen with `docker run --runtime=NAME` by anyone who can "
    "use the Docker API. A runtime that is not ocigate is a way around it." },
  { "docker.runc-path", "`docker run --runtime=runc` reaches ocigate", NULL,
    "`runc` is a reserved runtime name in dockerd (moby daemon/config: \"runtime name 'runc' is "
    "reserved\"); its path is `runc`, looked up on the PATH of the containerd that runs dockerd's "
    "shims. Put ocigate first on that PATH: `ocigate runtime configure --engine docker "
    "--as-runc`." },
  { "docker.runtime-args", "A runtime registered with runtimeArgs", NULL,
    "With runtimeArgs dockerd writes a /bin/sh wrapper that does not exec, so a kill from "
    "containerd orphans the runtime. Select a profile with an ocigate-<profile> symlink." },
  { "docker.config-pending", "dockerd runs with another configuration than its files say", NULL,
    "daemon.json changed after dockerd started, or says something else than the running daemon "
    "reports. dockerd reloads `runtimes` and `default-runtime` on SIGHUP; other keys need a "
    "restart." },
  /* ---- routing: containerd */
  { "containerd.daemon", "The containerd examined", NULL,
    "The containerd listening on its socket, identified by its executable's device and inode, "
    "and the configuration it reads (config.toml and its imports)." },
  { "containerd.default-handler", "Pods without a runtimeClassName reach ocigate", NULL,
    "The CRI plugin's default_runtime_name is the handler of every pod that names no "
    "RuntimeClass. Make ocigate the default: `ocigate runtime configure --engine containerd "
    "--set-as-default`." },
  { "containerd.handler", "A CRI runtime handler reaches ocigate", NULL,
    "Every handler is selectable by a RuntimeClass. A runc handler whose BinaryName is not "
    "ocigate (or that has none: then `runc` on containerd's PATH runs) is a way around it." },
  { "containerd.runc-path", "`ctr run` and handlers without BinaryName reach ocigate", NULL,
    "The runc shim runs `runc` from the PATH it inherits from containerd when no BinaryName is "
    "set: `ctr run`, nerdctl and such handlers. Put ocigate first on that PATH: `ocigate runtime "
    "configure --engine containerd --as-runc`." },
  { "containerd.config-pending", "containerd runs with another configuration than its files say",
    NULL,
    "A configuration file changed after containerd started; containerd reads it only at start: "
    "restart containerd." },
  { "containerd.config", "containerd's configuration could be read", NULL,
    "ocigate doctor reads config.toml, its imports and `containerd config dump`." },
  /* ---- routing: Podman */
  { "podman.default-runtime", "`podman run` without --runtime reaches ocigate", NULL,
    "Podman's [engine] runtime (containers.conf and containers.conf.d) decides where every "
    "container goes. `ocigate runtime configure --engine podman --set-as-default`." },
  { "podman.runtime-runc", "`podman --runtime runc` reaches ocigate", NULL,
    "Podman resolves the runtime name `runc` through its [engine.runtimes] table, whose built-in "
    "list starts with /usr/bin/runc and /usr/sbin/runc. `ocigate runtime configure --engine "
    "podman --as-runc` maps the name to ocigate." },
  { "podman.runtime", "Another Podman runtime name is installed", NULL,
    "`podman --runtime NAME` reaches that runtime directly. ocigate cannot stand in for a "
    "runtime under another name; restrict who may run Podman as root." },
  { "podman.config", "Podman's configuration could be read", NULL,
    "ocigate doctor reads the containers.conf files Podman reads, in its order." },
  /* ---- routes that reach a copy */
  { "routing.ocigate-copy", "A route reaches a copy of ocigate instead of ocigate", NULL,
    "A copied ocigate (installed as runc, say) is not upgraded with ocigate: it keeps the rules "
    "and fixes of the build it was copied from. Replace it with a symlink: `ocigate runtime "
    "configure --engine ENGINE --as-runc`." },
  /* ---- drift */
  { "drift.container", "A running container was created without ocigate", NULL,
    "The runtime's state directory holds a live container that has no create record in any "
    "audit trail: it was started around ocigate (or before it, or the trail was rotated). "
    "Inspect it, and recreate it through ocigate." },
  { "drift.scan", "What the drift check compared", NULL,
    "The runtime state directories and audit trails compared to find running containers "
    "created without ocigate." },
  /* ---- probe */
  { "probe.route", "A probe container reached ocigate", NULL,
    "`ocigate doctor --probe` starts one tiny container through each engine's default route "
    "and looks for its create line in the audit trail." },
  /* ---- host baseline: CIS Docker Benchmark v1.6.0 section 2 */
  { "docker.icc", "Inter-container traffic on the default bridge is restricted", "2.2",
    "Set `\"icc\": false` in daemon.json so containers on the default bridge cannot reach each "
    "other unless linked." },
  { "docker.log-level", "The logging level is `info`", "2.3",
    "Set `\"log-level\": \"info\"` (or leave it unset): `debug` logs too much, `warn`/`error` "
    "too little to audit." },
  { "docker.insecure-registries", "No insecure registries", "2.5",
    "Remove `insecure-registries`: images pulled without TLS verification can be replaced in "
    "transit." },
  { "docker.tls", "TLS authentication on a TCP socket", "2.7",
    "dockerd listens on TCP without `tlsverify`: anyone who can reach the port is root on the "
    "host. Set `tlsverify`, `tlscacert`, `tlscert` and `tlskey`, or listen on the UNIX socket "
    "only." },
  { "docker.default-ulimits", "Default ulimits are configured", "2.8",
    "Set `default-ulimits` in daemon.json (ocigate's resource-limits rule caps NOFILE when a "
    "container has none)." },
  { "docker.userns-remap", "User namespace remapping is enabled", "2.9",
    "Set `\"userns-remap\": \"default\"` so root in a container is an unprivileged user on the "
    "host." },
  { "docker.authz-plugin", "An authorization plugin is configured", "2.12",
    "Set `authorization-plugins` to control which users may run which Docker commands (ocigate "
    "still enforces below any such plugin)." },
  { "docker.no-new-privileges", "Containers are restricted from acquiring new privileges", "2.14",
    "Set `\"no-new-privileges\": true` in daemon.json (ocigate's no-new-privileges rule injects "
    "it for every container it judges)." },
  { "docker.live-restore", "Live restore is enabled", "2.15",
    "Set `\"live-restore\": true` so containers keep running while dockerd restarts (as after "
    "`ocigate runtime configure`)." },
  { "docker.userland-proxy", "The userland proxy is disabled", "2.16",
    "Set `\"userland-proxy\": false`: published ports are then handled by iptables rules instead "
    "of a docker-proxy process per port." },
  { "docker.experimental", "Experimental features are off", "2.18",
    "Remove `\"experimental\": true` on production hosts." },
  /* ---- host baseline: section 3, files */
  { "file.docker-service.owner", "docker.service is owned by root:root", "3.1",
    "chown root:root the docker.service unit file." },
  { "file.docker-service.mode", "docker.service is mode 644 or stricter", "3.2",
    "chmod 644 the docker.service unit file." },
  { "file.docker-socket-unit.owner", "docker.socket is owned by root:root", "3.3",
    "chown root:root the docker.socket unit file." },
  { "file.docker-socket-unit.mode", "docker.socket is mode 644 or stricter", "3.4",
    "chmod 644 the docker.socket unit file." },
  { "file.etc-docker.owner", "/etc/docker is owned by root:root", "3.5",
    "chown root:root /etc/docker." },
  { "file.etc-docker.mode", "/etc/docker is mode 755 or stricter", "3.6",
    "chmod 755 /etc/docker." },
  { "file.docker-sock.owner", "The Docker socket is owned by root:docker", "3.15",
    "chown root:docker the Docker socket (dockerd's `group` setting)." },
  { "file.docker-sock.mode", "The Docker socket is mode 660 or stricter", "3.16",
    "Whoever can write the Docker socket is root on the host. chmod 660 it." },
  { "file.daemon-json.owner", "daemon.json is owned by root:root", "3.17",
    "chown root:root daemon.json: whoever writes it chooses dockerd's runtimes." },
  { "file.daemon-json.mode", "daemon.json is mode 644 or stricter", "3.18",
    "chmod 644 daemon.json: whoever writes it chooses dockerd's runtimes." },
  { "file.containerd-sock.owner", "The containerd socket is owned by root:root", "3.23",
    "chown root:root the containerd socket." },
  { "file.containerd-sock.mode", "The containerd socket is mode 660 or stricter", "3.24",
    "Whoever can write the containerd socket is root on the host. chmod 660 it." },
  /* ---- host baseline: section 1, auditd */
  { "audit.dockerd", "auditd watches dockerd", "1.1.3", AUDIT_HELP ("/usr/bin/dockerd") },
  { "audit.run-containerd", "auditd watches /run/containerd", "1.1.4",
    AUDIT_HELP ("/run/containerd") },
  { "audit.var-lib-docker", "auditd watches /var/lib/docker", "1.1.5",
    AUDIT_HELP ("/var/lib/docker") },
  { "audit.etc-docker", "auditd watches /etc/docker", "1.1.6", AUDIT_HELP ("/etc/docker") },
  { "audit.docker-service", "auditd watches docker.service", "1.1.7",
    AUDIT_HELP ("/lib/systemd/system/docker.service") },
  { "audit.containerd-sock", "auditd watches containerd.sock", "1.1.8",
    AUDIT_HELP ("/run/containerd/containerd.sock") },
  { "audit.docker-socket", "auditd watches docker.socket", "1.1.9",
    AUDIT_HELP ("/lib/systemd/system/docker.socket") },
  { "audit.etc-default-docker", "auditd watches /etc/default/docker", "1.1.10",
    AUDIT_HELP ("/etc/default/docker") },
  { "audit.daemon-json", "auditd watches /etc/docker/daemon.json", "1.1.11",
    AUDIT_HELP ("/etc/docker/daemon.json") },
  { "audit.containerd-config", "auditd watches /etc/containerd/config.toml", "1.1.12",
    AUDIT_HELP ("/etc/containerd/config.toml") },
  { "audit.etc-sysconfig-docker", "auditd watches /etc/sysconfig/docker", "1.1.13",
    AUDIT_HELP ("/etc/sysconfig/docker") },
  { "audit.containerd", "auditd watches /usr/bin/containerd", "1.1.14",
    AUDIT_HELP ("/usr/bin/containerd") },
  { "audit.containerd-shim", "auditd watches /usr/bin/containerd-shim", "1.1.15",
    AUDIT_HELP ("/usr/bin/containerd-shim") },
  { "audit.containerd-shim-runc-v1", "auditd watches /usr/bin/containerd-shim-runc-v1", "1.1.16",
    AUDIT_HELP ("/usr/bin/containerd-shim-runc-v1") },
  { "audit.containerd-shim-runc-v2", "auditd watches /usr/bin/containerd-shim-runc-v2", "1.1.17",
    AUDIT_HELP ("/usr/bin/containerd-shim-runc-v2") },
  { "audit.runc", "auditd watches runc", "1.1.18", AUDIT_HELP ("/usr/bin/runc") },
};

const size_t doctor_n_checks = sizeof (doctor_checks) / sizeof (doctor_checks[0]);
