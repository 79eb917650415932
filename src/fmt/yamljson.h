/* yamljson.h - read a YAML document into a jansson tree (libyaml's
 * document API), so OSV records written as YAML and pnpm-lock.yaml go
 * through the same code as JSON.
 *
 * Scalars all become JSON strings (OSV versions such as 0.10 must keep
 * their text); aliases are expanded up to a total node budget (no "billion laughs");
 * nesting deeper than YJ_MAX_DEPTH is an error.  Only the first document
 * of a stream is read.
 */
#ifndef VG_YAMLJSON_H
#define VG_YAMLJSON_H

#include <jansson.h>
#include <stddef.h>

#include "../core/limits.h"

/* Returns a new reference, or NULL with *line (1-based, 0 unknown) and
 * msg (NUL-terminated, up to msgsz bytes) filled. */
json_t *yaml_to_json(const char *data, size_t len, int *line, char *msg, size_t msgsz);

#endif
