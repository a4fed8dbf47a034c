/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a JSON Pointer points in a parsed document (json.h, json_pointer_nearest), and the paths
 * that name a place in one in messages (json_path_key, json_path_index, json_where_text).  */
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

static bool
key_is_identifier (const char *key)
{
  if (*key == '\0')
    return false;
  for (const char *p = key; *p != '\0'; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
          || *p == '_' || *p == '-'))
      return false;
  return true;
}

/* Quote a key for a one-line message: escape quotes, backslashes and control characters (a key
 * could otherwise smuggle a newline or a terminal escape into a log) and cut it at 64 bytes on a
 * character boundary.  */
char *
json_quote_key (const char *key)
{
  const size_t max = 64;
  size_t len = strlen (key), cut = len > max ? max : len, o = 0;
  char *out;

  while (cut < len && cut > 0 && ((unsigned char)key[cut] & 0xC0) == 0x80)
    cut--;
  out = xmalloc (cut * 6 + 4);
  for (size_t i = 0; i < cut; i++)
    {
      unsigned char c = (unsigned char)key[i];
      if (c == '"' || c == '\\')
        out[o++] = '\\', out[o++] = (char)c;
      else if (c < 0x20 || c == 0x7f)
        o += (size_t)snprintf (out + o, 7, "\\u%04x", c);
      else
        out[o++] = (char)c;
    }
  memcpy (out + o, cut < len ? "..." : "", cut < len ? 4 : 1);
  return out;
}

char *
json_path_key (const char *base, const char *key)
{
  cleanup_free char *quoted = NULL;

  if (key_is_identifier (key) && strlen (key) <= 64)
    return xasprintf ("%s.%s", base, key);
  quoted = json_quote_key (key);
  return xasprintf ("%s[\"%s\"]", base, quoted);
}

char *
json_path_index (const char *base, size_t index)
{
  return xasprintf ("%s[%zu]", base, index);
}

char *
json_where_text (const struct json_where *at)
{
  cleanup_free char *base = NULL;

  if (at->up == NULL)
    return xstrdup ("$");
  base = json_where_text (at->up);
  return at->key != NULL ? json_path_key (base, at->key) : json_path_index (base, at->index);
}
