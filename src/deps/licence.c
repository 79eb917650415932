/* licence.c - read licences from names, expressions and texts, and decide
 * what one makes of another; see licence.h.  Every fact is a row of
 * licence.def; this file is the reader. */
#include "licence.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- the tables ------------------------------------------------------------------- */

typedef struct lic_row { const char *id; lic_cat cat; const char *title; } lic_row;
typedef struct alias_row { const char *name, *id; } alias_row;
typedef struct text_row { const char *id, *phrase, *also, *unless; } text_row;
typedef struct header_row { const char *id, *phrase; } header_row;
typedef struct compat_row { lic_cat project, other; lic_action code, dep; const char *why; } compat_row;
typedef struct pair_row { const char *project, *other, *why; } pair_row;

#define LICENCE(id, cat, title) {id, cat, title},
#define ALIAS(name, id)
#define TEXT(id, p, a, u)
#define HEADER(id, p)
#define COMPAT(p, o, c, d, w)
#define PAIR(p, o, w)
static const lic_row licences[] = {
#include "licence.def"
};
#undef LICENCE
#undef ALIAS
#define LICENCE(id, cat, title)
#define ALIAS(name, id) {name, id},
static const alias_row aliases[] = {
#include "licence.def"
};
#undef ALIAS
#undef TEXT
#define ALIAS(name, id)
#define TEXT(id, p, a, u) {id, p, a, u},
static const text_row texts[] = {
#include "licence.def"
};
#undef TEXT
#undef HEADER
#define TEXT(id, p, a, u)
#define HEADER(id, p) {id, p},
static const header_row headers[] = {
#include "licence.def"
};
#undef HEADER
#undef COMPAT
#define HEADER(id, p)
#define COMPAT(p, o, c, d, w) {p, o, c, d, w},
static const compat_row compats[] = {
#include "licence.def"
};
#undef COMPAT
#undef PAIR
#define COMPAT(p, o, c, d, w)
#define PAIR(p, o, w) {p, o, w},
static const pair_row pairs[] = {
#include "licence.def"
};
#undef LICENCE
#undef ALIAS
#undef TEXT
#undef HEADER
#undef COMPAT
#undef PAIR

#define COUNT(a) (sizeof(a) / sizeof *(a))

const char *lic_cat_name(lic_cat c)
{
    static const char *const names[] = {"public-domain", "permissive", "weak-copyleft", "copyleft",
                                        "network-copyleft", "proprietary", "unknown"};
    return (unsigned)c < COUNT(names) ? names[c] : "unknown";
}

/* ---- normal form ------------------------------------------------------------------ */

void lic_normal(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int blank = 0;
    if (!cap) return;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        /* '+' is a word: GPL-2.0+ is not GPL-2.0 */
        const char *w = c == '+' ? "plus" : NULL;
        if (w) blank = o > 0;
        if (!w && !isalnum(c)) {
            blank = o > 0;
            continue;
        }
        if (blank && o + 2 < cap) out[o++] = ' ';
        blank = 0;
        if (w) {
            for (; *w && o + 1 < cap; w++) out[o++] = *w;
            blank = 1;
        } else if (o + 1 < cap) {
            out[o++] = (char)tolower(c);
        }
    }
    out[o] = 0;
}

/* The canonical row of a name (an id or an alias, in normal form). */
static const lic_row *row_of_normal(const char *norm)
{
    char buf[256];
    for (size_t i = 0; i < COUNT(licences); i++) {
        lic_normal(licences[i].id, strlen(licences[i].id), buf, sizeof buf);
        if (!strcmp(buf, norm)) return &licences[i];
    }
    for (size_t i = 0; i < COUNT(aliases); i++) {
        lic_normal(aliases[i].name, strlen(aliases[i].name), buf, sizeof buf);
        if (strcmp(buf, norm)) continue;
        for (size_t k = 0; k < COUNT(licences); k++)
            if (!strcmp(licences[k].id, aliases[i].id)) return &licences[k];
    }
    return NULL;
}

static const lic_row *row_of(const char *s, size_t n)
{
    char norm[256];
    lic_normal(s, n, norm, sizeof norm);
    return norm[0] ? row_of_normal(norm) : NULL;
}

lic_cat lic_id_cat(const char *id)
{
    const lic_row *r = id ? row_of(id, strlen(id)) : NULL;
    return r ? r->cat : LC_UNKNOWN;
}

/* ---- matching phrases against a text ---------------------------------------------------- */

/* A text in normal form (lower case, each run of other characters one
 * blank), built once and searched with memmem for every phrase. */
typedef struct ntext {
    char *s;
    size_t n;
} ntext;

static void ntext_make(const char *t, size_t len, ntext *x)
{
    x->s = xmalloc(len + 1);
    size_t o = 0;
    int blank = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!isalnum(c)) {
            blank = o > 0;
            continue;
        }
        if (blank) x->s[o++] = ' ';
        blank = 0;
        x->s[o++] = (char)tolower(c);
    }
    x->s[o] = 0;
    x->n = o;
}

/* The raw offset of normal-form offset k (a letter or digit) of t. */
static size_t ntext_raw(const char *t, size_t len, size_t k)
{
    size_t o = 0;
    int blank = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isalnum((unsigned char)t[i])) {
            blank = o > 0;
            continue;
        }
        if (blank) o++;
        blank = 0;
        if (o == k) return i;
        o++;
    }
    return len;
}

/* The first normal offset >= from where phrase p stands as whole words
 * in s[0..n), or (size_t)-1. */
static size_t nfind(const char *s, size_t n, size_t from, const char *p)
{
    size_t pl = strlen(p);
    while (from + pl <= n) {
        const char *h = memmem(s + from, n - from, p, pl);
        if (!h) break;
        size_t pos = (size_t)(h - s);
        if ((pos == 0 || s[pos - 1] == ' ') && (pos + pl == n || s[pos + pl] == ' ')) return pos;
        from = pos + 1;
    }
    return (size_t)-1;
}

/* Does t hold needle (lower case), in any case? */
static int has_ci(const char *t, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (((unsigned char)t[i] | 0x20) == (unsigned char)needle[0] && !strncasecmp(t + i, needle, n))
            return 1;
    return 0;
}

/* The first TEXT row of at least category min that matches x, by offset
 * (a normal-form offset in *at). */
static const char *match_text_min(const ntext *x, lic_cat min, size_t *at)
{
    const char *best = NULL;
    size_t best_at = (size_t)-1;
    for (size_t i = 0; i < COUNT(texts); i++) {
        if (min != LC_PD && lic_id_cat(texts[i].id) < min) continue;
        size_t pos = nfind(x->s, x->n, 0, texts[i].phrase);
        if (pos == (size_t)-1 || pos >= best_at) continue;
        if (texts[i].also && nfind(x->s, x->n, 0, texts[i].also) == (size_t)-1) continue;
        if (texts[i].unless && nfind(x->s, x->n, 0, texts[i].unless) != (size_t)-1) continue;
        best = texts[i].id;
        best_at = pos;
    }
    if (best && at) *at = best_at;
    return best;
}

const char *lic_match_text(const char *data, size_t len, size_t *at)
{
    ntext x;
    ntext_make(data, len, &x);
    size_t k = 0;
    const char *id = match_text_min(&x, LC_PD, &k);
    free(x.s);
    if (id && at) *at = ntext_raw(data, len, k);
    return id;
}

/* ---- expressions -------------------------------------------------------------------- */

typedef struct lex {
    const char *s;
    size_t n, i;
    int depth;
} lex;

typedef enum tok { T_END, T_WORD, T_AND, T_OR, T_WITH, T_OPEN, T_CLOSE } tok;

static tok next_tok(lex *x, const char **w, size_t *wl)
{
    while (x->i < x->n && isspace((unsigned char)x->s[x->i])) x->i++;
    if (x->i >= x->n) return T_END;
    char c = x->s[x->i];
    if (c == '(' || c == ')') {
        x->i++;
        return c == '(' ? T_OPEN : T_CLOSE;
    }
    size_t b = x->i;
    while (x->i < x->n && !isspace((unsigned char)x->s[x->i]) && x->s[x->i] != '(' &&
           x->s[x->i] != ')')
        x->i++;
    *w = x->s + b;
    *wl = x->i - b;
    if (*wl == 3 && !strncasecmp(*w, "and", 3)) return T_AND;
    if (*wl == 2 && !strncasecmp(*w, "or", 2)) return T_OR;
    if (*wl == 4 && !strncasecmp(*w, "with", 4)) return T_WITH;
    return T_WORD;
}

static tok peek_tok(lex *x)
{
    size_t save = x->i;
    const char *w;
    size_t wl;
    tok t = next_tok(x, &w, &wl);
    x->i = save;
    return t;
}

/* A partial result while parsing. */
typedef struct val {
    char expr[256];
    lic_cat cat;
    const char *single;
    int known;
    int ok;                  /* parsed */
} val;

/* tmp (of any length) into dst, cut to fit */
static void put_cut(char *dst, size_t cap, const char *tmp)
{
    size_t n = strlen(tmp);
    if (n >= cap) n = cap - 1;
    memcpy(dst, tmp, n);
    dst[n] = 0;
}

static void val_join(val *a, const val *b, const char *op)
{
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s %s %s", a->expr, op, b->expr);
    put_cut(a->expr, sizeof a->expr, tmp);
    a->single = NULL;
    a->ok = a->ok && b->ok;
}

static val parse_or(lex *x);

/* leaf: one licence named by consecutive words ("Apache 2.0"), or ( or-expr ) */
static val parse_leaf(lex *x)
{
    val v = {.cat = LC_UNKNOWN};
    tok t = peek_tok(x);
    const char *w;
    size_t wl;
    if (t == T_OPEN) {
        next_tok(x, &w, &wl);
        if (++x->depth > LIC_MAX_DEPTH) return v;
        v = parse_or(x);
        x->depth--;
        if (next_tok(x, &w, &wl) != T_CLOSE) v.ok = 0;
        if (v.ok) {
            char tmp[300];
            snprintf(tmp, sizeof tmp, "(%s)", v.expr);
            put_cut(v.expr, sizeof v.expr, tmp);
        }
        return v;
    }
    if (t != T_WORD) return v;
    size_t start = (size_t)-1, end = 0;
    while (peek_tok(x) == T_WORD) {
        next_tok(x, &w, &wl);
        if (start == (size_t)-1) start = (size_t)(w - x->s);
        end = (size_t)(w + wl - x->s);
    }
    const lic_row *r = row_of(x->s + start, end - start);
    v.ok = 1;
    if (r) {
        snprintf(v.expr, sizeof v.expr, "%s", r->id);
        v.cat = r->cat;
        v.single = r->id;
        v.known = 1;
    } else {
        snprintf(v.expr, sizeof v.expr, "%.*s", (int)(end - start), x->s + start);
    }
    return v;
}

/* with: leaf [WITH exception] - a linking exception makes copyleft weak */
static val parse_with(lex *x)
{
    val v = parse_leaf(x);
    if (peek_tok(x) != T_WITH) return v;
    const char *w;
    size_t wl;
    next_tok(x, &w, &wl);
    if (next_tok(x, &w, &wl) != T_WORD) {
        v.ok = 0;
        return v;
    }
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s WITH %.*s", v.expr, (int)(wl < 256 ? wl : 256), w);
    put_cut(v.expr, sizeof v.expr, tmp);
    v.single = NULL;
    if (v.cat == LC_STRONG) v.cat = LC_WEAK;
    return v;
}

static val parse_and(lex *x)
{
    val v = parse_with(x);
    while (v.ok && peek_tok(x) == T_AND) {
        const char *w;
        size_t wl;
        next_tok(x, &w, &wl);
        val b = parse_with(x);
        val_join(&v, &b, "AND");
        if (b.cat > v.cat) v.cat = b.cat;
        v.known = v.known && b.known;
    }
    return v;
}

static val parse_or(lex *x)
{
    val v = parse_and(x);
    while (v.ok && peek_tok(x) == T_OR) {
        const char *w;
        size_t wl;
        next_tok(x, &w, &wl);
        val b = parse_and(x);
        val_join(&v, &b, "OR");
        if (b.cat < v.cat) v.cat = b.cat;
        v.known = v.known || b.known;
    }
    return v;
}

static void set_row(lic_result *r, const lic_row *row)
{
    snprintf(r->expr, sizeof r->expr, "%s", row->id);
    r->cat = row->cat;
    r->single = row->id;
    r->known = 1;
}

/* s[0..n) without blanks around it */
static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s)) (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

void lic_parse_decl(const char *s, size_t n, lic_result *r)
{
    memset(r, 0, sizeof *r);
    r->cat = LC_UNKNOWN;
    trim(&s, &n);
    if (!n) return;
    const lic_row *row = row_of(s, n < LIC_MAX_EXPR ? n : LIC_MAX_EXPR);
    if (row && n < LIC_MAX_EXPR) {
        set_row(r, row);
        return;
    }
    const char *nl = memchr(s, '\n', n);
    size_t first = nl ? (size_t)(nl - s) : n;
    if (nl) { /* a name on the first line, then the text */
        const char *f = s;
        size_t fl = first;
        trim(&f, &fl);
        if ((row = row_of(f, fl))) {
            set_row(r, row);
            return;
        }
    }
    if (nl || n > 200) {
        const char *id = lic_match_text(s, n, NULL);
        if (id && (row = row_of(id, strlen(id)))) {
            set_row(r, row);
            return;
        }
    }
    lex x = {.s = s, .n = first < LIC_MAX_EXPR ? first : LIC_MAX_EXPR};
    val v = parse_or(&x);
    if (v.ok && peek_tok(&x) == T_END) {
        memcpy(r->expr, v.expr, sizeof r->expr);
        r->cat = v.known ? v.cat : LC_UNKNOWN;
        r->single = v.single;
        r->known = v.known;
        return;
    }
    /* not an expression: shown as written, first line, cut */
    snprintf(r->expr, sizeof r->expr, "%.*s", (int)(first < 80 ? first : 80), s);
}

void lic_parse_list(const char *s, size_t n, lic_result *r)
{
    memset(r, 0, sizeof *r);
    r->cat = LC_UNKNOWN;
    int count = 0;
    for (size_t i = 0; i < n;) {
        const char *e = memchr(s + i, '\n', n - i);
        size_t l = e ? (size_t)(e - (s + i)) : n - i;
        lic_result one;
        lic_parse_decl(s + i, l, &one);
        i += l + 1;
        if (!one.expr[0]) continue;
        if (count++) {
            size_t k = strlen(r->expr);
            snprintf(r->expr + k, sizeof r->expr - k, " OR %s", one.expr);
            r->single = NULL;
            if (one.known && (!r->known || one.cat < r->cat)) r->cat = one.cat;
            r->known = r->known || one.known;
        } else {
            *r = one;
        }
    }
}

/* ---- markers in source files ----------------------------------------------------------- */

/* Is the text before off on its line only blanks and comment markers? */
static int comment_lead(const char *t, size_t off)
{
    size_t i = off;
    while (i > 0 && t[i - 1] != '\n') {
        char c = t[--i];
        if (!strchr(" \t#/*-;!<\"'%", c)) return 0;
    }
    return 1;
}

static int add_mark(lic_mark *out, size_t *n, size_t max, const lic_mark *m)
{
    for (size_t i = 0; i < *n; i++)
        if (out[i].kind == m->kind && out[i].lic.cat == m->lic.cat) return 0;
    if (*n >= max) return 0;
    out[(*n)++] = *m;
    return 1;
}

static void spdx_marks(const char *t, size_t len, lic_mark *out, size_t *n, size_t max)
{
    static const char key[] = "spdx-license-identifier";
    size_t kl = sizeof key - 1;
    for (size_t i = 0; i + kl <= len; i++) {
        if (((unsigned char)t[i] | 0x20) != 's' || strncasecmp(t + i, key, kl)) continue;
        size_t j = i + kl;
        if (j >= len || t[j] != ':' || !comment_lead(t, i)) continue;
        j++;
        size_t e = j;
        while (e < len && t[e] != '\n' && t[e] != '\r') e++;
        size_t ee = e;
        /* the comment's close and string quotes are not part of the expression */
        while (ee > j && strchr(" \t*/->\"',;", t[ee - 1])) ee--;
        lic_mark m = {.kind = LM_SPDX, .start = i, .end = e};
        lic_parse_decl(t + j, ee - j, &m.lic);
        if (m.lic.expr[0]) add_mark(out, n, max, &m);
        i = e;
    }
}

/* The version a notice names, from the window (normal form) after it. */
static void header_licence(const char *family, const char *w, size_t wl, lic_result *r)
{
    int later = nfind(w, wl, 0, "any later version") != (size_t)-1;
    int v3 = nfind(w, wl, 0, "version 3") != (size_t)-1;
    int v21 = nfind(w, wl, 0, "version 2 1") != (size_t)-1;
    int v2 = nfind(w, wl, 0, "version 2") != (size_t)-1;
    const char *suffix = later ? "-or-later" : "-only";
    char id[64];
    if (!strcmp(family, "AGPL")) snprintf(id, sizeof id, "AGPL-3.0%s", suffix);
    else if (!strcmp(family, "LGPL-2.0")) snprintf(id, sizeof id, "LGPL-2.0%s", suffix);
    else if (!strcmp(family, "LGPL"))
        snprintf(id, sizeof id, "%s%s", v21 ? "LGPL-2.1" : v3 ? "LGPL-3.0" : v2 ? "LGPL-2.0" : "LGPL",
                 v21 || v3 || v2 ? suffix : "");
    else if (!strcmp(family, "GPL"))
        snprintf(id, sizeof id, "%s%s", v3 ? "GPL-3.0" : v2 ? "GPL-2.0" : "GPL", v3 || v2 ? suffix : "");
    else snprintf(id, sizeof id, "%s", family);
    lic_parse_decl(id, strlen(id), r);
}

size_t lic_find_marks(const char *t, size_t len, lic_mark *out, size_t max)
{
    size_t n = 0;
    if (!has_ci(t, len, "licen")) return 0; /* SPDX-License-Identifier too */
    spdx_marks(t, len, out, &n, max);
    ntext x;
    ntext_make(t, len, &x);
    for (size_t h = 0; h < COUNT(headers); h++) {
        size_t at = nfind(x.s, x.n, 0, headers[h].phrase);
        if (at == (size_t)-1) continue;
        size_t end = at + strlen(headers[h].phrase);
        lic_mark m = {.kind = LM_HEADER, .start = ntext_raw(t, len, at)};
        m.end = ntext_raw(t, len, end - 1) + 1;
        size_t wl = x.n - end < LIC_HEADER_WINDOW ? x.n - end : LIC_HEADER_WINDOW;
        header_licence(headers[h].id, x.s + end, wl, &m.lic);
        add_mark(out, &n, max, &m);
    }
    /* a copy of a copyleft or proprietary licence's text */
    size_t at = 0;
    const char *id = match_text_min(&x, LC_WEAK, &at);
    if (id) {
        lic_mark m = {.kind = LM_TEXT, .start = ntext_raw(t, len, at)};
        m.end = m.start;
        while (m.end < len && t[m.end] != '\n') m.end++;
        lic_parse_decl(id, strlen(id), &m.lic);
        add_mark(out, &n, max, &m);
    }
    free(x.s);
    /* file order */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && out[k].start < out[k - 1].start; k--) {
            lic_mark tmp = out[k];
            out[k] = out[k - 1];
            out[k - 1] = tmp;
        }
    return n;
}

/* ---- compatibility -------------------------------------------------------------------- */

lic_action lic_compat(const lic_result *project, const lic_result *other, int code,
                      const char **why)
{
    *why = NULL;
    if (project->single && other->single)
        for (size_t i = 0; i < COUNT(pairs); i++)
            if (!strcmp(pairs[i].project, project->single) && !strcmp(pairs[i].other, other->single)) {
                *why = pairs[i].why;
                return LA_CONFLICT;
            }
    for (size_t i = 0; i < COUNT(compats); i++)
        if (compats[i].project == project->cat && compats[i].other == other->cat) {
            *why = compats[i].why;
            return code ? compats[i].code : compats[i].dep;
        }
    return LA_OK;
}
