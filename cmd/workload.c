/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who a container is, from its annotations (see workload.h).  The keys: containerd 1.6
 * pkg/cri/annotations/annotations.go (io.kubernetes.cri.sandbox-namespace, .sandbox-name,
 * .container-name, .container-type, .image-name); CRI-O pkg/annotations and kubelet's
 * pkg/kubelet/types/labels.go (io.kubernetes.pod.namespace, io.kubernetes.pod.name,
 * io.kubernetes.container.name, io.kubernetes.cri-o.ContainerType, .ImageName); Podman 4.3
 * libpod/define/annotations.go (io.container.manager = libpod).  */
#include <config.h>

#include "util.h"
#include "workload.h"

static const char *
text (const struct json_node *annotations, const char *key)
{
  const struct json_node *v = json_obj_get (annotations, key);

  return v != NULL && v->type == JSON_STRING && v->text[0] != '\0' ? v->text : NULL;
}

static bool
kube_from (const struct json_node *ann, const char *const keys[4], struct workload_kube *out)
{
  *out = (struct workload_kube){
    .namespace_ = text (ann, keys[0]),
    .pod = text (ann, keys[1]),
    .container = text (ann, keys[2]),
    .type = text (ann, keys[3]),
    .namespace_key = keys[0],
    .pod_key = keys[1],
    .container_key = keys[2],
    .type_key = keys[3],
  };
  return out->namespace_ != NULL && out->pod != NULL;
}

bool
workload_kube_get (const struct json_node *annotations, struct workload_kube *out)
{
  static const char *const cri[4]
      = { "io.kubernetes.cri.sandbox-namespace", "io.kubernetes.cri.sandbox-name",
          "io.kubernetes.cri.container-name", "io.kubernetes.cri.container-type" };
  static const char *const crio[4]
      = { "io.kubernetes.pod.namespace", "io.kubernetes.pod.name", "io.kubernetes.container.name",
          "io.kubernetes.cri-o.ContainerType" };

  if (annotations == NULL || annotations->type != JSON_OBJECT)
    return false;
  return kube_from (annotations, cri, out) || kube_from (annotations, crio, out);
}

char *
workload_name (const struct json_node *annotations, const char *container_id)
{
  struct workload_kube k;

  if (!workload_kube_get (annotations, &k))
    return xstrdup (container_id != NULL ? container_id : "?");
  if (k.container != NULL)
    return xasprintf ("%s/%s/%s", k.namespace_, k.pod, k.container);
  return xasprintf ("%s/%s (%s)", k.namespace_, k.pod, k.type != NULL ? k.type : "sandbox");
}

const char *
workload_image (const struct json_node *annotations)
{
  static const char *const keys[] = {
    "io.kubernetes.cri.image-name",
    "io.kubernetes.cri-o.ImageName",
    "org.opencontainers.image.ref.name",
    "org.opencontainers.image.base.name",
  };

  for (size_t i = 0; annotations != NULL && i < ARRAY_SIZE (keys); i++)
    if (text (annotations, keys[i]) != NULL)
      return text (annotations, keys[i]);
  return NULL;
}

const char *
workload_engine (const struct json_node *annotations)
{
  const char *manager = text (annotations, "io.container.manager");

  if (manager != NULL && str_eq (manager, "libpod"))
    return "podman";
  for (size_t i = 0; annotations != NULL && annotations->type == JSON_OBJECT && i < annotations->n;
       i++)
    if (str_has_prefix (annotations->keys[i], "io.kubernetes.cri-o."))
      return "cri-o";
  return NULL;
}
