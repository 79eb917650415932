/* toml.h - a TOML 1.0 reader (no C TOML library is packaged in Debian).
 *
 * toml_parse decodes a whole document into a tree of toml_value that the
 * caller owns and releases with toml_free.  On malformed input it returns
 * VG_ERR_PARSE, sets *out to NULL and adds one error diag carrying the
 * path (as given), line and column ("line:col: message").  Nesting depth
 * and sizes are capped, so hostile input is an error, never a crash.
 *
 * Tables keep their keys in document order.  Strings may hold NUL bytes
 * (\u0000), so they carry a length; s is also NUL-terminated.  Date-times
 * keep their source text normalised as RFC 3339 (T separator, upper case).
 */
#ifndef VG_TOML_H
#define VG_TOML_H

#include <stddef.h>
#include <stdint.h>

#include "../core/diag.h"
#include "../core/status.h"

typedef enum toml_type {
    TOML_TABLE,
    TOML_ARRAY,
    TOML_STRING,
    TOML_INTEGER,
    TOML_FLOAT,
    TOML_BOOL,
    TOML_DATETIME,       /* offset date-time: 1979-05-27T07:32:00Z */
    TOML_DATETIME_LOCAL, /* 1979-05-27T07:32:00 */
    TOML_DATE_LOCAL,     /* 1979-05-27 */
    TOML_TIME_LOCAL      /* 07:32:00 */
} toml_type;

typedef struct toml_value toml_value;

struct toml_value {
    toml_type type;
    int line, col;                 /* where the value (or table header) starts */
    union {
        struct { char **keys; toml_value **vals; size_t n, cap; } table;
        struct { toml_value **items; size_t n, cap; } array;
        struct { char *s; size_t len; } str;      /* also date/time text */
        int64_t i;
        double f;
        int b;
    } u;
};

vg_status toml_parse(const char *src, size_t len, const char *path, toml_value **out,
                     diag_list *d);
void toml_free(toml_value *v);
/* toml_parse with a choice of spec: version_minor 0 is TOML 1.0 (what
 * toml_parse reads), 1 adds TOML 1.1 (newlines and a trailing comma in
 * inline tables, \e and \xHH escapes, times without seconds). */
vg_status toml_parse_ex(const char *src, size_t len, const char *path, int version_minor,
                        toml_value **out, diag_list *d);

/* Look-ups return NULL when absent or not the expected type. */
const toml_value *toml_get(const toml_value *table, const char *key);
const toml_value *toml_get_path(const toml_value *root, const char *dotted); /* "tool.vibeguard" */
const char *toml_get_string(const toml_value *table, const char *key);
int toml_get_bool(const toml_value *table, const char *key, int dflt);
int64_t toml_get_int(const toml_value *table, const char *key, int64_t dflt);
const char *toml_type_name(toml_type t);
/* Byte length of table key i (keys may hold NUL bytes from \u0000). */
size_t toml_key_len(const toml_value *table, size_t i);

#endif
