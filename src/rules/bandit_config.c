/* bandit_config.c - Bandit's config files (INI, YAML, TOML) into one
 * jansson tree; see bandit_config.h. */
#include "bandit_config.h"
#include "../core/buf.h"
#include "../core/xalloc.h"
#include "../fmt/toml.h"
#include "../fmt/yamljson.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t work_bytes;

static void count_work(size_t n) { __atomic_fetch_add(&work_bytes, n, __ATOMIC_RELAXED); }

size_t bandit_config_work(void) { return __atomic_load_n(&work_bytes, __ATOMIC_RELAXED); }

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

bandit_config_format bandit_config_format_of(const char *path)
{
    if (ends_with(path, ".toml")) return BANDIT_CONFIG_TOML;
    if (ends_with(path, ".yaml") || ends_with(path, ".yml")) return BANDIT_CONFIG_YAML;
    return BANDIT_CONFIG_INI;
}

static json_t *toml_to_json(const toml_value *v)
{
    switch (v->type) {
    case TOML_TABLE: {
        json_t *o = json_object();
        for (size_t i = 0; i < v->u.table.n; i++)
            json_object_set_new(o, v->u.table.keys[i], toml_to_json(v->u.table.vals[i]));
        return o;
    }
    case TOML_ARRAY: {
        json_t *a = json_array();
        for (size_t i = 0; i < v->u.array.n; i++) json_array_append_new(a, toml_to_json(v->u.array.items[i]));
        return a;
    }
    case TOML_INTEGER: return json_integer((json_int_t)v->u.i);
    case TOML_FLOAT: return json_real(v->u.f);
    case TOML_BOOL: return json_boolean(v->u.b);
    default: return json_string(v->u.str.s);
    }
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    return s;
}

/* The value of the key being read, set once its continuation lines end. */
static void ini_flush(json_t *o, char **key, buf *val)
{
    if (*key) json_object_set_new(o, *key, json_stringn(val->data ? val->data : "", val->len));
    free(*key);
    *key = NULL;
    buf_clear(val);
}

/* Python's configparser, as far as Bandit's .bandit needs it: [sections],
 * "key = value" or "key: value", '#' and ';' comment lines, indented
 * continuation lines (joined with commas in one buffer: linear in the
 * file, however many there are).  The [bandit] section as an object of
 * strings; NULL after an error diag when there is none.  data is
 * NUL-terminated and is cut into lines in place. */
static json_t *ini_to_json(char *data, const char *path, diag_list *d)
{
    json_t *o = NULL;
    char *key = NULL; /* the key whose value val holds */
    buf val;
    buf_init(&val, 0);
    int in_bandit = 0, lineno = 0;
    for (char *line = data, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        int indented = *line == ' ' || *line == '\t';
        char *t = trim(line);
        if (!*t || *t == '#' || *t == ';') continue;
        if (*t == '[') {
            char *e = strchr(t, ']');
            if (o) ini_flush(o, &key, &val);
            in_bandit = e && (size_t)(e - t - 1) == 6 && !strncmp(t + 1, "bandit", 6);
            if (in_bandit && !o) o = json_object();
            continue;
        }
        if (!in_bandit) continue;
        count_work(strlen(t) + 1);
        if (indented && key) { /* continuation: joined with a comma */
            buf_putc(&val, ',');
            buf_puts(&val, t);
            continue;
        }
        size_t k = strcspn(t, "=:");
        if (!t[k]) {
            diag_add(d, DIAG_ERROR, path, lineno, 0, "not a 'key = value' line in [bandit]");
            free(key);
            buf_free(&val);
            json_decref(o);
            return NULL;
        }
        t[k] = 0;
        char *kk = trim(t), *v = trim(t + k + 1);
        for (char *p = kk; *p; p++) *p = (char)tolower((unsigned char)*p);
        ini_flush(o, &key, &val);
        key = xstrdup(kk);
        buf_puts(&val, v);
    }
    if (o) ini_flush(o, &key, &val);
    buf_free(&val);
    if (!o) diag_add(d, DIAG_ERROR, path, 0, 0, "no [bandit] section (Bandit's .bandit files have one)");
    return o;
}

bandit_config_status bandit_config_parse(bandit_config_format f, const char *path, const char *data,
                                         size_t len, json_t **out, diag_list *d)
{
    json_t *j = NULL;
    *out = NULL;
    if (f == BANDIT_CONFIG_TOML) {
        toml_value *doc = NULL;
        if (toml_parse(data, len, path, &doc, d)) return BANDIT_CONFIG_BAD;
        const toml_value *t = toml_get_path(doc, "tool.bandit");
        if (t && t->type == TOML_TABLE) j = toml_to_json(t);
        toml_free(doc);
        if (!j) return BANDIT_CONFIG_ABSENT;
    } else if (f == BANDIT_CONFIG_YAML) {
        int line = 0;
        char msg[160];
        j = yaml_to_json(data, len, &line, msg, sizeof msg);
        if (!j) {
            diag_add(d, DIAG_ERROR, path, line, 0, "malformed Bandit YAML config: %s", msg);
            return BANDIT_CONFIG_BAD;
        }
        if (json_is_null(j)) json_decref(j), j = json_object(); /* an empty file */
        else if (!json_is_object(j)) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "a Bandit config is a mapping of options");
            json_decref(j);
            return BANDIT_CONFIG_BAD;
        }
    } else {
        char *copy = xmalloc(len + 1);
        if (len) memcpy(copy, data, len);
        copy[len] = 0;
        j = ini_to_json(copy, path, d);
        free(copy);
        if (!j) return BANDIT_CONFIG_BAD;
    }
    *out = j;
    return BANDIT_CONFIG_OK;
}
