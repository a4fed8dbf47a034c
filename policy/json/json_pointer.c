/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a JSON Pointer points in a parsed document (json.h, json_pointer_nearest).  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

/* RFC 6901 section 4: `~1` is `/`, `~0` is `~`, in that order.  malloc'd.  */
static char *
pointer_token (const char *start, size_t len)
{
  char *out = xmalloc (len + 1);
  size_t n = 0;

  for (size_t i = 0; i < len; i++)
    if (start[i] == '~' && i + 1 < len && (start[i + 1] == '0' || start[i + 1] == '1'))
      out[n++] = start[++i] == '1' ? '/' : '~';
    else
      out[n++] = start[i];
  out[n] = '\0';
  return out;
}

/* An array index as RFC 6901 writes it: `0`, or digits without a leading zero.  */
static bool
pointer_index (const char *token, size_t *index)
{
  char *end = NULL;
  unsigned long long v;

  if (token[0] < '0' || token[0] > '9' || (token[0] == '0' && token[1] != '\0'))
    return false;
  v = strtoull (token, &end, 10);
  if (*end != '\0' || v > SIZE_MAX)
    return false;
  *index = (size_t)v;
  return true;
}

static const struct json_node *
pointer_child (const struct json_node *node, const char *token)
{
  size_t index = 0;

  if (node->type == JSON_OBJECT)
    return json_obj_get (node, token);
  if (node->type == JSON_ARRAY && pointer_index (token, &index))
    return json_arr_get (node, index);
  return NULL;
}

const struct json_node *
json_pointer_nearest (const struct json_node *root, const char *ptr)
{
  const struct json_node *node = root;

  if (root == NULL || ptr == NULL || (ptr[0] != '\0' && ptr[0] != '/'))
    return root;
  for (const char *p = ptr; *p == '/';)
    {
      const char *end = strchrnul (p + 1, '/');
      cleanup_free char *token = pointer_token (p + 1, (size_t)(end - p - 1));
      const struct json_node *child = pointer_child (node, token);

      if (child == NULL)
        break;
      node = child;
      p = end;
    }
  return node;
}
