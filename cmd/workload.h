/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who a container is, as its engine's annotations say: the Kubernetes identity (containerd's CRI
 * plugin sets io.kubernetes.cri.*, CRI-O io.kubernetes.pod.* and io.kubernetes.container.name),
 * the image and the engine that wrote them.  Used by `ocigate report` on a config.json's
 * annotations and by `ocigate audit summary` on an audit record's "workload" object.
 *
 * Annotations are declarations: `docker run --annotation` lets any user set any key, so what is
 * read here names a container for a person, and grants nothing (exemptions declare the keys they
 * trust, policy_file_exempt.c).
 *
 * Owns: the annotation keys of each engine and the workload's display name.
 * Must not: read files or judge anything.  */
#ifndef OCG_WORKLOAD_H
#define OCG_WORKLOAD_H

#include <stdbool.h>

#include "json.h"

/* A Kubernetes identity: the values borrowed from the annotations, the keys are the engine's.  */
struct workload_kube
{
  const char *namespace_, *pod, *container, *type;
  const char *namespace_key, *pod_key, *container_key, *type_key;
};

/* The identity the annotations give, or false when they give no namespace and pod name.  */
bool workload_kube_get (const struct json_node *annotations, struct workload_kube *out);

/* "NAMESPACE/POD/CONTAINER", "NAMESPACE/POD (sandbox)" for a pod's pause container, or the
 * container id when the annotations give no Kubernetes identity.  malloc'd.  */
char *workload_name (const struct json_node *annotations, const char *container_id);

/* The image the annotations name (containerd's CRI io.kubernetes.cri.image-name, CRI-O's
 * io.kubernetes.cri-o.ImageName, then org.opencontainers.image.ref.name and .base.name), or NULL:
 * Docker and Podman 4.3 record none.  */
const char *workload_image (const struct json_node *annotations);

/* The engine the annotations say wrote the config, for a container found in a root several
 * engines share (/run/runc, /run/crun): "podman" (io.container.manager = libpod), "cri-o"
 * (io.kubernetes.cri-o.* without Podman's marker), or NULL.  */
const char *workload_engine (const struct json_node *annotations);

#endif
