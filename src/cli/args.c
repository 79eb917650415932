/* args.c - option parsing; see args.h. */
#include "args.h"
#include "../core/suggest.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

void args_init(arg_parser *p, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
}

int args_next(arg_parser *p, const arg_opt *opts, const char **value)
{
    *value = NULL;
    if (p->i >= p->argc) return ARG_END;
    char *a = p->argv[p->i++];
    if (p->no_more_opts || a[0] != '-' || !a[1]) {
        *value = a;
        return ARG_POSITIONAL;
    }
    if (!strcmp(a, "--")) {
        p->no_more_opts = 1;
        return args_next(p, opts, value);
    }
    const arg_opt *o = NULL;
    const char *inline_val = NULL;
    if (a[1] == '-') {
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        for (const arg_opt *q = opts; q->name; q++)
            if (strlen(q->name) == n && !strncmp(q->name, name, n)) o = q;
        if (!o) {
            char word[101];
            snprintf(word, sizeof word, "%.*s", (int)(n > 100 ? 100 : n), name);
            const char *near = suggest_best_in(word, opts, sizeof *opts);
            if (near)
                snprintf(p->err, sizeof p->err, "unknown option '--%s' (did you mean '--%s'?)", word,
                         near);
            else
                snprintf(p->err, sizeof p->err, "unknown option '--%s'", word);
            return ARG_ERROR;
        }
        if (eq) inline_val = eq + 1;
    } else {
        for (const arg_opt *q = opts; q->name; q++)
            if (q->short_name && q->short_name == a[1]) o = q;
        if (!o) {
            snprintf(p->err, sizeof p->err, "unknown option '-%c'", a[1]);
            return ARG_ERROR;
        }
        if (a[2]) {
            if (!o->has_value) {
                snprintf(p->err, sizeof p->err, "unknown option '%.100s' (combine short flags separately)", a);
                return ARG_ERROR;
            }
            inline_val = a + 2;
        }
    }
    if (o->has_value == ARG_OPTIONAL) { /* a value only as --name=VALUE */
        *value = inline_val;
        return o->id;
    }
    if (!o->has_value) {
        if (inline_val) {
            snprintf(p->err, sizeof p->err, "option '--%s' takes no value", o->name);
            return ARG_ERROR;
        }
        return o->id;
    }
    if (inline_val) {
        *value = inline_val;
        return o->id;
    }
    if (p->i >= p->argc) {
        snprintf(p->err, sizeof p->err, "option '--%s' needs a value", o->name);
        return ARG_ERROR;
    }
    *value = p->argv[p->i++];
    return o->id;
}

int args_parse_size(const char *s, size_t *out)
{
    if (!s || !*s || *s == '-') return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s) return -1;
    unsigned long long mul = 1;
    if (*end) {
        switch (*end) {
        case 'k': case 'K': mul = 1ULL << 10; break;
        case 'm': case 'M': mul = 1ULL << 20; break;
        case 'g': case 'G': mul = 1ULL << 30; break;
        default: return -1;
        }
        end++;
        if (*end == 'i') end++;
        if (*end == 'B' || *end == 'b') end++;
        if (*end) return -1;
    }
    if (v > (unsigned long long)SIZE_MAX / mul) return -1;
    *out = (size_t)(v * mul);
    return 0;
}

int args_parse_int(const char *s, int lo, int hi, int *out)
{
    if (!s || !*s) return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

void args_add_ids(str_list *l, const char *s)
{
    while (*s) {
        size_t n = strcspn(s, ", \t");
        if (n) {
            char *id = strndup(s, n);
            if (!id) abort();
            str_list_add(l, id);
            free(id);
        }
        s += n;
        while (*s == ',' || *s == ' ' || *s == '\t') s++;
    }
}
