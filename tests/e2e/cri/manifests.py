#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks of contrib/kubernetes/*.yaml that need no cluster (tests/e2e/k8s-installer.bats).

  manifests.py check DIR INSTALLER    every document parses (python3-yaml), matches its Kubernetes
                                      API type when python3-kubernetes is installed, and names the
                                      paths, names and handlers the installer uses; prints each
                                      finding, exits 1 if there is one
  manifests.py configmap-data DIR KEY the ConfigMap's KEY, as the kubelet writes it in the volume
  manifests.py daemonset-pod DIR      what the kubelet asks the runtime for the DaemonSet's pod, as
                                      JSON: namespace, hostPID, hostNetwork, privileged, and the
                                      hostPath mounts (host_path, container_path, readonly)

A round trip through the python3-kubernetes model classes (V1DaemonSet, ...) drops every key the
API does not define and refuses a missing required field, so a misspelt field shows as a
difference.  kubectl cannot validate without an API server (its client dry-run needs discovery).
"""

import glob
import json
import os
import re
import sys

import yaml

MODELS = {
    ("v1", "Namespace"): "V1Namespace",
    ("v1", "ConfigMap"): "V1ConfigMap",
    ("apps/v1", "DaemonSet"): "V1DaemonSet",
    ("node.k8s.io/v1", "RuntimeClass"): "V1RuntimeClass",
}


def documents(directory):
    docs = []
    for path in sorted(glob.glob(os.path.join(directory, "*.yaml"))):
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if doc is not None:
                    docs.append((os.path.basename(path), doc))
    return docs


def api_types(docs, problems):
    try:
        from kubernetes.client import ApiClient
    except ImportError:
        print("python3-kubernetes is not installed: API types not checked")
        return
    client = ApiClient()
    for name, doc in docs:
        model = MODELS.get((doc.get("apiVersion"), doc.get("kind")))
        if model is None:
            problems.append("%s: no model for %s %s" % (name, doc.get("apiVersion"), doc.get("kind")))
            continue
        try:
            obj = client._ApiClient__deserialize(doc, model)
        except (ValueError, TypeError) as err:
            problems.append("%s: %s: %s" % (name, doc["kind"], err))
            continue
        if client.sanitize_for_serialization(obj) != doc:
            problems.append("%s: %s has fields the API does not define (or of the wrong type)"
                            % (name, doc["kind"]))


def one(docs, kind):
    found = [d for _, d in docs if d.get("kind") == kind]
    return found[0] if len(found) == 1 else None


def arg_value(args, flag):
    return args[args.index(flag) + 1] if flag in args and args.index(flag) + 1 < len(args) else None


def image_files(directory):
    """The paths the Containerfile's COPY instructions create."""
    with open(os.path.join(directory, "Containerfile")) as f:
        text = f.read().replace("\\\n", " ")
    files = []
    for line in re.findall(r"^COPY\s+(.+)$", text, re.M):
        *sources, dest = line.split()
        for src in sources:
            files.append(dest + os.path.basename(src) if dest.endswith("/") else dest)
    return files


def installer_defaults(installer):
    """The installer's KEY=value defaults (its shell assignments at the top level)."""
    with open(installer) as f:
        return dict(re.findall(r"^([A-Z_]+)=([^\s$(]+)$", f.read(), re.M))


def installer_handlers(installer):
    with open(installer) as f:
        m = re.search(r"^HANDLERS=\(([^)]*)\)", f.read(), re.M)
    return m.group(1).split() if m else []


def relations(docs, directory, installer, problems):
    def need(cond, what):
        if not cond:
            problems.append(what)

    ds, cm, ns = one(docs, "DaemonSet"), one(docs, "ConfigMap"), one(docs, "Namespace")
    if ds is None or cm is None or ns is None:
        problems.append("expected one DaemonSet, one ConfigMap and one Namespace")
        return
    spec = ds["spec"]["template"]["spec"]
    ctr = spec["containers"][0]
    args = ctr.get("args", [])
    mounts = {m["name"]: m["mountPath"] for m in ctr.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    defaults = installer_defaults(installer)
    need(ds["metadata"]["namespace"] == ns["metadata"]["name"] == cm["metadata"]["namespace"],
         "DaemonSet, ConfigMap and Namespace disagree on the namespace")
    need(ds["spec"]["selector"]["matchLabels"].items()
         <= ds["spec"]["template"]["metadata"]["labels"].items(),
         "the DaemonSet's selector does not select its pods")
    need(args[:1] == ["install"], "the container does not run `install`")
    need("--set-default" in args, "ocigate is not made the default handler")
    need(spec.get("hostPID") is True, "no hostPID: the installer cannot restart containerd")
    need(ctr.get("securityContext", {}).get("privileged") is True, "the installer is not privileged")
    host_root = arg_value(args, "--host-root")
    host_vols = [n for n, v in volumes.items() if v.get("hostPath", {}).get("path") == "/"]
    need(host_vols and mounts.get(host_vols[0]) == host_root,
         "--host-root %s is not where the hostPath / volume is mounted" % host_root)
    source = arg_value(args, "--policy-source") or defaults.get("POLICY_SOURCE")
    cm_vols = [n for n, v in volumes.items()
               if v.get("configMap", {}).get("name") == cm["metadata"]["name"]]
    need(cm_vols and mounts.get(cm_vols[0]) == source,
         "--policy-source %s is not where the ConfigMap %s is mounted"
         % (source, cm["metadata"]["name"]))
    need(not any("subPath" in m for m in ctr.get("volumeMounts", [])),
         "a subPath mount is never updated by the kubelet")
    key = arg_value(args, "--policy-key") or defaults.get("POLICY_KEY")
    need(key in cm.get("data", {}), "the ConfigMap has no key %s" % key)
    ready = arg_value(args, "--ready-file")
    probe = ctr.get("readinessProbe", {}).get("exec", {}).get("command", [])
    need(ready is None or ready in probe, "the readiness probe does not test --ready-file")
    need(ctr["command"][0] in image_files(directory),
         "the image (Containerfile) has no %s" % ctr["command"][0])
    handlers = installer_handlers(installer)
    classes = [d["handler"] for _, d in docs if d.get("kind") == "RuntimeClass"]
    need(sorted(classes) == sorted(handlers),
         "RuntimeClass handlers %s are not the installer's %s" % (classes, handlers))
    for text in (open(os.path.join(directory, "daemonset.yaml")).read(),):
        for var in ("BINDIR", "DROPIN", "CONTAINERD_CONFIG"):
            need(defaults.get(var, "?") in text,
                 "daemonset.yaml does not name the installer's %s %s" % (var, defaults.get(var)))


def daemonset_pod(docs):
    ds = one(docs, "DaemonSet")
    spec = ds["spec"]["template"]["spec"]
    ctr = spec["containers"][0]
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    mounts = []
    for m in ctr.get("volumeMounts", []):
        host = volumes[m["name"]].get("hostPath")
        if host is not None:
            mounts.append({"host_path": host["path"], "container_path": m["mountPath"],
                           "readonly": bool(m.get("readOnly"))})
    return {"namespace": ds["metadata"]["namespace"],
            "hostPID": bool(spec.get("hostPID")), "hostNetwork": bool(spec.get("hostNetwork")),
            "privileged": bool(ctr.get("securityContext", {}).get("privileged")),
            "mounts": mounts}


def main(argv):
    if len(argv) == 4 and argv[1] == "check":
        docs = documents(argv[2])
        problems = []
        api_types(docs, problems)
        relations(docs, argv[2], argv[3], problems)
        for p in problems:
            print(p)
        print("%d documents, %d problems" % (len(docs), len(problems)))
        return 1 if problems else 0
    if len(argv) == 4 and argv[1] == "configmap-data":
        cm = one(documents(argv[2]), "ConfigMap")
        sys.stdout.write(cm["data"][argv[3]])
        return 0
    if len(argv) == 3 and argv[1] == "daemonset-pod":
        print(json.dumps(daemonset_pod(documents(argv[2]))))
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
