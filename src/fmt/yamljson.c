/* yamljson.c - libyaml document -> jansson tree (see yamljson.h). */
#include "yamljson.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

/* err: 1 too deep, 2 too many nodes (aliases re-used over and over) */
static json_t *conv(yaml_document_t *doc, yaml_node_t *node, int depth, int *err)
{
    static _Thread_local size_t budget;
    if (depth == 0) budget = YJ_MAX_NODES;
    if (!node) return json_null();
    if (!budget--) {
        *err = 2;
        return NULL;
    }
    if (depth > YJ_MAX_DEPTH) {
        *err = 1;
        return NULL;
    }
    switch (node->type) {
    case YAML_SCALAR_NODE:
        return json_stringn_nocheck((const char *)node->data.scalar.value,
                                    node->data.scalar.length);
    case YAML_SEQUENCE_NODE: {
        json_t *a = json_array();
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++) {
            json_t *v = conv(doc, yaml_document_get_node(doc, *it), depth + 1, err);
            if (!v) {
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, v);
        }
        return a;
    }
    case YAML_MAPPING_NODE: {
        json_t *o = json_object();
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
             p < node->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            if (!k || k->type != YAML_SCALAR_NODE) continue;
            json_t *v = conv(doc, yaml_document_get_node(doc, p->value), depth + 1, err);
            if (!v) {
                json_decref(o);
                return NULL;
            }
            char key[1024];
            size_t n = k->data.scalar.length < sizeof key - 1 ? k->data.scalar.length
                                                               : sizeof key - 1;
            memcpy(key, k->data.scalar.value, n);
            key[n] = 0;
            json_object_set_new_nocheck(o, key, v);
        }
        return o;
    }
    default:
        return json_null();
    }
}

/* The line where flow collections ([ and {) nest deeper than YJ_MAX_DEPTH,
 * or 0.  libyaml's time grows with the square of that nesting (100k '['
 * took 30 s), so the depth is checked on the text before libyaml sees it:
 * one pass, quotes and comments skipped (a bracket in a block scalar
 * counts too, which only ever errs on the side of refusing). */
static int flow_too_deep(const char *s, size_t n)
{
    int depth = 0, line = 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n') {
            line++;
        } else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) {
            while (i + 1 < n && s[i + 1] != '\n') i++;
        } else if ((c == '"' || c == '\'') && (i == 0 || strchr(" \t\n[{,:-?", s[i - 1]))) {
            /* a quote opens a scalar only where one may start (not in don't) */
            for (i++; i < n; i++) {
                if (s[i] == '\n') line++;
                if (c == '"' && s[i] == '\\') i++;
                else if (s[i] == c && !(c == '\'' && i + 1 < n && s[i + 1] == '\'')) break;
                else if (c == '\'' && s[i] == '\'') i++;
            }
        } else if (c == '[' || c == '{') {
            if (++depth > YJ_MAX_DEPTH) return line;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

json_t *yaml_to_json(const char *data, size_t len, int *line, char *msg, size_t msgsz)
{
    yaml_parser_t p;
    yaml_document_t doc;
    *line = 0;
    if (msgsz) msg[0] = 0;
    int deep = flow_too_deep(data, len);
    if (deep) {
        *line = deep;
        snprintf(msg, msgsz, "YAML: flow collections nested deeper than %d levels", YJ_MAX_DEPTH);
        return NULL;
    }
    if (!yaml_parser_initialize(&p)) {
        snprintf(msg, msgsz, "cannot start the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    if (!yaml_parser_load(&p, &doc)) {
        *line = (int)p.problem_mark.line + 1;
        snprintf(msg, msgsz, "YAML: %s", p.problem ? p.problem : "malformed");
        yaml_parser_delete(&p);
        return NULL;
    }
    int err = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    json_t *j = root ? conv(&doc, root, 0, &err) : json_object();
    if (!j && err == 2) snprintf(msg, msgsz, "YAML expands to more than %d nodes", YJ_MAX_NODES);
    else if (!j) snprintf(msg, msgsz, "YAML nested deeper than %d levels", YJ_MAX_DEPTH);
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    return j;
}
