/* toml.c - a TOML 1.0 reader (and, on request, the TOML 1.1 additions).
 *
 * A hand-written recursive-descent parser over the whole document.  The
 * document is checked as UTF-8 first; then one pass builds the tree.  The
 * table rules of the spec (a table is defined once, dotted keys and
 * [headers] may not reopen each other's tables, inline tables and static
 * arrays are frozen) are kept in a flag word beside each node: every node
 * is allocated as a tnode whose first member is the public toml_value, so
 * toml_free can release it through the public pointer.
 *
 * Caps: input size (TOML_MAX_INPUT), nesting depth of tables and arrays
 * (TOML_MAX_DEPTH).  Errors carry the line and the column in code points.
 */
#include "toml.h"

#include "../core/buf.h"
#include "../core/limits.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    TF_EXPLICIT = 1, /* defined by a [header] */
    TF_DOTTED = 2,   /* created by a dotted key */
    TF_FROZEN = 4,   /* an inline table or a static array */
    TF_AOT = 8       /* an array of tables made by [[header]] */
};

typedef struct tnode {
    toml_value v;   /* must stay first */
    unsigned flags;
    size_t *hidx;   /* big tables: open-addressing index of key positions + 1 */
    size_t hcap;    /* slots in hidx (a power of two), 0 when none */
    size_t *klen;   /* tables: key lengths (a key may hold NUL bytes) */
} tnode;

#define HASH_MIN_KEYS 16

#define FLAGS(val) (((tnode *)(val))->flags)

typedef struct parser {
    const char *s;
    size_t len, pos;
    int line;
    size_t line_start;
    int v11;
    const char *path;
    diag_list *d;
    int failed;
    buf tmp;
} parser;

/* ---- errors ---- */

static int p_col(const parser *p, size_t pos)
{
    size_t end = pos < p->len ? pos : p->len;
    if (end <= p->line_start) return 1;
    return 1 + (int)utf8_count((const unsigned char *)p->s + p->line_start, end - p->line_start);
}

static int fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parser *p, const char *fmt, ...)
{
    if (p->failed) return -1;
    p->failed = 1;
    char msg[DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *c = msg; *c; c++) /* keys are echoed: no control characters */
        if ((unsigned char)*c < 0x20 || *c == 0x7F) *c = '?';
    if (p->d) diag_add(p->d, DIAG_ERROR, p->path, p->line, p_col(p, p->pos), "%s", msg);
    return -1;
}

/* ---- nodes ---- */

static toml_value *node_new(parser *p, toml_type t)
{
    tnode *n = xcalloc(1, sizeof *n);
    n->v.type = t;
    n->v.line = p->line;
    n->v.col = (int)(p->pos - p->line_start) + 1;
    return &n->v;
}

static size_t key_hash(const char *key, size_t klen)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < klen; i++) h = (h ^ (unsigned char)key[i]) * 0x100000001b3ULL;
    return (size_t)h;
}

static void hidx_insert(tnode *n, size_t i)
{
    size_t m = n->hcap - 1, h = key_hash(n->v.u.table.keys[i], n->klen[i]) & m;
    while (n->hidx[h]) h = (h + 1) & m;
    n->hidx[h] = i + 1;
}

static void table_index(tnode *n)
{
    size_t need = n->v.u.table.n * 2;
    if (need < HASH_MIN_KEYS * 2 || need <= n->hcap) return;
    size_t c = n->hcap ? n->hcap : 64;
    while (c < need * 2) c *= 2;
    free(n->hidx);
    n->hidx = xcalloc(c, sizeof *n->hidx);
    n->hcap = c;
    for (size_t i = 0; i < n->v.u.table.n; i++) hidx_insert(n, i);
}

static void table_put(toml_value *t, const char *key, size_t klen, toml_value *v)
{
    if (t->u.table.n == t->u.table.cap) { /* keys and vals grow together */
        size_t c = t->u.table.cap ? t->u.table.cap * 2 : 8;
        t->u.table.keys = xrealloc_n(t->u.table.keys, c, sizeof *t->u.table.keys);
        t->u.table.vals = xrealloc_n(t->u.table.vals, c, sizeof *t->u.table.vals);
        ((tnode *)t)->klen = xrealloc_n(((tnode *)t)->klen, c, sizeof(size_t));
        t->u.table.cap = c;
    }
    ((tnode *)t)->klen[t->u.table.n] = klen;
    char *k = xmalloc(klen + 1);
    memcpy(k, key, klen);
    k[klen] = 0;
    t->u.table.keys[t->u.table.n] = k;
    t->u.table.vals[t->u.table.n] = v;
    t->u.table.n++;
    tnode *n = (tnode *)t;
    if (n->hcap && t->u.table.n * 2 <= n->hcap) hidx_insert(n, t->u.table.n - 1);
    else table_index(n);
}

static toml_value *table_find(const toml_value *t, const char *key, size_t klen)
{
    const tnode *n = (const tnode *)t;
    if (n->hcap) {
        size_t m = n->hcap - 1, h = key_hash(key, klen) & m;
        for (; n->hidx[h]; h = (h + 1) & m) {
            size_t i = n->hidx[h] - 1;
            if (n->klen[i] == klen && memcmp(t->u.table.keys[i], key, klen) == 0)
                return t->u.table.vals[i];
        }
        return NULL;
    }
    for (size_t i = t->u.table.n; i-- > 0;)
        if (n->klen[i] == klen && memcmp(t->u.table.keys[i], key, klen) == 0)
            return t->u.table.vals[i];
    return NULL;
}

static void array_push(toml_value *a, toml_value *v)
{
    XGROW(a->u.array.items, a->u.array.cap, a->u.array.n + 1);
    a->u.array.items[a->u.array.n++] = v;
}

void toml_free(toml_value *v)
{
    if (!v) return;
    /* explicit stack: depth is capped, but free never recurses anyway */
    toml_value **stack = NULL;
    size_t n = 0, cap = 0;
    XGROW(stack, cap, 1);
    stack[n++] = v;
    while (n) {
        toml_value *x = stack[--n];
        if (x->type == TOML_TABLE) {
            XGROW(stack, cap, n + x->u.table.n);
            for (size_t i = 0; i < x->u.table.n; i++) {
                free(x->u.table.keys[i]);
                stack[n++] = x->u.table.vals[i];
            }
            free(x->u.table.keys);
            free(x->u.table.vals);
            free(((tnode *)x)->hidx);
            free(((tnode *)x)->klen);
        } else if (x->type == TOML_ARRAY) {
            XGROW(stack, cap, n + x->u.array.n);
            for (size_t i = 0; i < x->u.array.n; i++) stack[n++] = x->u.array.items[i];
            free(x->u.array.items);
        } else if (x->type != TOML_INTEGER && x->type != TOML_FLOAT && x->type != TOML_BOOL) {
            free(x->u.str.s);
        }
        free((tnode *)x);
    }
    free(stack);
}

/* ---- lexical helpers ---- */

static int peek(const parser *p) { return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1; }
static int peek_at(const parser *p, size_t k)
{
    return p->pos + k < p->len ? (unsigned char)p->s[p->pos + k] : -1;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')) p->pos++;
}

static void newline_seen(parser *p) /* p->pos is just past a '\n' */
{
    p->line++;
    p->line_start = p->pos;
}

/* A comment from '#' to the end of line (not consuming the newline). */
static int skip_comment(parser *p)
{
    if (peek(p) != '#') return 0;
    p->pos++;
    while (p->pos < p->len) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '\n') break;
        if (c == '\r' && peek_at(p, 1) == '\n') break;
        if ((c < 0x20 && c != '\t') || c == 0x7F) return fail(p, "control character in comment");
        p->pos++;
    }
    return 0;
}

/* Consume a newline (LF or CRLF).  Returns 1 if one was consumed. */
static int eat_newline(parser *p)
{
    if (peek(p) == '\n') { p->pos++; newline_seen(p); return 1; }
    if (peek(p) == '\r' && peek_at(p, 1) == '\n') { p->pos += 2; newline_seen(p); return 1; }
    return 0;
}

/* Whitespace, comments and newlines (inside arrays, and 1.1 inline tables). */
static int skip_ws_nl(parser *p)
{
    for (;;) {
        skip_ws(p);
        if (skip_comment(p)) return -1;
        if (!eat_newline(p)) break;
    }
    if (peek(p) == '\r') return fail(p, "bare carriage return");
    return 0;
}

static int is_bare(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

/* ---- strings ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_escape(parser *p, buf *b)
{
    /* p->pos is on the character after the backslash */
    int c = peek(p);
    int ndig = 0;
    switch (c) {
    case 'b': buf_putc(b, '\b'); p->pos++; return 0;
    case 't': buf_putc(b, '\t'); p->pos++; return 0;
    case 'n': buf_putc(b, '\n'); p->pos++; return 0;
    case 'f': buf_putc(b, '\f'); p->pos++; return 0;
    case 'r': buf_putc(b, '\r'); p->pos++; return 0;
    case '"': buf_putc(b, '"'); p->pos++; return 0;
    case '\\': buf_putc(b, '\\'); p->pos++; return 0;
    case 'e':
        if (!p->v11) break;
        buf_putc(b, 0x1B); p->pos++; return 0;
    case 'x': if (!p->v11) break; ndig = 2; break;
    case 'u': ndig = 4; break;
    case 'U': ndig = 8; break;
    default: break;
    }
    if (!ndig) {
        p->pos--;
        return fail(p, "invalid escape sequence");
    }
    p->pos++;
    unsigned cp = 0;
    for (int i = 0; i < ndig; i++) {
        int h = hexval(peek(p));
        if (h < 0) return fail(p, "escape \\%c needs %d hex digits", c, ndig);
        cp = cp * 16 + (unsigned)h;
        p->pos++;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return fail(p, "escape is not a Unicode scalar value");
    utf8_put(b, cp);
    return 0;
}

/* Copy one (already validated) UTF-8 character, refusing control chars. */
static int string_char(parser *p, buf *b, int multiline)
{
    unsigned char c = (unsigned char)p->s[p->pos];
    if (c == '\n' && multiline) {
        buf_putc(b, '\n');
        p->pos++;
        newline_seen(p);
        return 0;
    }
    if (c == '\r' && multiline && peek_at(p, 1) == '\n') {
        buf_putc(b, '\n');
        p->pos += 2;
        newline_seen(p);
        return 0;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
        if (c == '\n' || c == '\r') return fail(p, "unterminated string");
        return fail(p, "control character in string");
    }
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)p->s + p->pos, p->len - p->pos, &cp);
    if (!n) return fail(p, "invalid UTF-8");
    buf_append(b, p->s + p->pos, n);
    p->pos += n;
    return 0;
}

/* Parses any of the four string forms at p->pos into p->tmp. */
static int parse_string(parser *p, int allow_multi)
{
    buf *b = &p->tmp;
    buf_clear(b);
    char q = p->s[p->pos];
    int multi = peek_at(p, 1) == q && peek_at(p, 2) == q;
    if (multi && !allow_multi) return fail(p, "multi-line string is not allowed here");
    if (!multi) {
        p->pos++;
        for (;;) {
            int c = peek(p);
            if (c < 0) return fail(p, "unterminated string");
            if (c == q) { p->pos++; return 0; }
            if (q == '"' && c == '\\') {
                p->pos++;
                if (parse_escape(p, b)) return -1;
                continue;
            }
            if (string_char(p, b, 0)) return -1;
        }
    }
    p->pos += 3;
    eat_newline(p); /* a newline right after the opening delimiter is trimmed */
    for (;;) {
        int c = peek(p);
        if (c < 0) return fail(p, "unterminated multi-line string");
        if (c == q) {
            size_t n = 0;
            while (peek_at(p, n) == q) n++;
            if (n >= 3) {
                if (n > 5) return fail(p, "too many quotes at the end of a multi-line string");
                for (size_t i = 3; i < n; i++) buf_putc(b, q);
                p->pos += n;
                return 0;
            }
            for (size_t i = 0; i < n; i++) buf_putc(b, q);
            p->pos += n;
            continue;
        }
        if (q == '"' && c == '\\') {
            /* line-ending backslash: trim whitespace and newlines */
            size_t k = 1;
            while (peek_at(p, k) == ' ' || peek_at(p, k) == '\t') k++;
            if (peek_at(p, k) == '\n' || (peek_at(p, k) == '\r' && peek_at(p, k + 1) == '\n')) {
                p->pos += k;
                for (;;) {
                    skip_ws(p);
                    if (!eat_newline(p)) break;
                }
                continue;
            }
            p->pos++;
            if (parse_escape(p, b)) return -1;
            continue;
        }
        if (string_char(p, b, 1)) return -1;
    }
}

/* ---- keys ---- */

typedef struct keypath {
    char *seg[TOML_MAX_DEPTH];
    size_t len[TOML_MAX_DEPTH];
    int n;
} keypath;

static void keypath_free(keypath *k)
{
    for (int i = 0; i < k->n; i++) free(k->seg[i]);
    k->n = 0;
}

/* key: simple-key ( ws '.' ws simple-key )* */
static int parse_key(parser *p, keypath *k)
{
    k->n = 0;
    for (;;) {
        skip_ws(p);
        if (k->n >= TOML_MAX_DEPTH) return fail(p, "key has too many parts");
        int c = peek(p);
        if (c == '"' || c == '\'') {
            if (parse_string(p, 0)) return -1;
            k->seg[k->n] = xmalloc(p->tmp.len + 1);
            if (p->tmp.len) memcpy(k->seg[k->n], p->tmp.data, p->tmp.len);
            k->seg[k->n][p->tmp.len] = 0;
            k->len[k->n] = p->tmp.len;
        } else if (is_bare(c)) {
            size_t st = p->pos;
            while (is_bare(peek(p))) p->pos++;
            k->seg[k->n] = xstrndup(p->s + st, p->pos - st);
            k->len[k->n] = p->pos - st;
        } else {
            if (c < 0 || c == '\n' || c == '\r') return fail(p, "expected a key");
            return fail(p, "invalid character in key");
        }
        k->n++;
        skip_ws(p);
        if (peek(p) != '.') return 0;
        p->pos++;
    }
}

/* ---- numbers, booleans, dates ---- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Copies digits of the given radix with underscores only between digits. */
static int scan_digits(parser *p, int radix, buf *out)
{
    int prev_digit = 0, any = 0;
    for (;;) {
        int c = peek(p);
        int ok = radix == 16 ? hexval(c) >= 0 : radix == 8 ? (c >= '0' && c <= '7')
                 : radix == 2 ? (c == '0' || c == '1') : is_digit(c);
        if (ok) {
            buf_putc(out, (char)c);
            prev_digit = any = 1;
            p->pos++;
        } else if (c == '_') {
            if (!prev_digit || !(radix == 16 ? hexval(peek_at(p, 1)) >= 0 : is_digit(peek_at(p, 1))))
                return fail(p, "underscore must be between digits");
            prev_digit = 0;
            p->pos++;
        } else break;
    }
    if (!any) return fail(p, "expected digits");
    return 0;
}

static int is_value_end(int c)
{
    return c < 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' ||
           c == '}' || c == '#';
}

static int two(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

static int digits_at(const parser *p, size_t at, int n)
{
    for (int i = 0; i < n; i++)
        if (at + (size_t)i >= p->len || !is_digit((unsigned char)p->s[at + (size_t)i])) return 0;
    return 1;
}

/* Date and time forms.  Returns 1 if parsed, 0 if this is not a date/time
 * (the caller tries numbers), -1 on error. */
static int parse_datetime(parser *p, toml_value **out)
{
    size_t st = p->pos;
    int has_date = 0, has_time = 0, has_off = 0;
    buf *b = &p->tmp;
    buf_clear(b);
    size_t i = st;
    if (digits_at(p, i, 4) && i + 4 < p->len && p->s[i + 4] == '-') {
        if (!digits_at(p, i + 5, 2) || i + 7 >= p->len || p->s[i + 7] != '-' ||
            !digits_at(p, i + 8, 2)) {
            p->pos = i;
            return fail(p, "invalid date");
        }
        int y = atoi(p->s + i), m = two(p->s + i + 5), d = two(p->s + i + 8);
        static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap)) {
            p->pos = i;
            return fail(p, "invalid date");
        }
        buf_append(b, p->s + i, 10);
        i += 10;
        has_date = 1;
        /* time part: 'T', 't', or a space followed by a time */
        if (i < p->len && (p->s[i] == 'T' || p->s[i] == 't' ||
                           (p->s[i] == ' ' && digits_at(p, i + 1, 2) && i + 3 < p->len &&
                            p->s[i + 3] == ':'))) {
            buf_putc(b, 'T');
            i++;
            has_time = 1;
        }
    } else if (digits_at(p, i, 2) && i + 2 < p->len && p->s[i + 2] == ':') {
        has_time = 1;
    } else {
        return 0;
    }
    if (has_time) {
        if (!digits_at(p, i, 2) || i + 2 >= p->len || p->s[i + 2] != ':' || !digits_at(p, i + 3, 2)) {
            p->pos = i;
            return fail(p, "invalid time");
        }
        int hh = two(p->s + i), mm = two(p->s + i + 3), ss = 0;
        buf_append(b, p->s + i, 5);
        i += 5;
        if (i < p->len && p->s[i] == ':') {
            if (!digits_at(p, i + 1, 2)) {
                p->pos = i;
                return fail(p, "invalid time");
            }
            ss = two(p->s + i + 1);
            buf_append(b, p->s + i, 3);
            i += 3;
            if (i < p->len && p->s[i] == '.') {
                size_t f = i + 1;
                while (f < p->len && is_digit((unsigned char)p->s[f])) f++;
                if (f == i + 1) {
                    p->pos = i;
                    return fail(p, "invalid fractional seconds");
                }
                buf_append(b, p->s + i, f - i);
                i = f;
            }
        } else if (p->v11) {
            buf_puts(b, ":00");
        } else {
            p->pos = i;
            return fail(p, "time needs seconds");
        }
        if (hh > 23 || mm > 59 || ss > 60) {
            p->pos = st;
            return fail(p, "invalid time");
        }
        if (has_date && i < p->len) {
            char c = p->s[i];
            if (c == 'Z' || c == 'z') {
                buf_putc(b, 'Z');
                i++;
                has_off = 1;
            } else if (c == '+' || c == '-') {
                if (!digits_at(p, i + 1, 2) || i + 3 >= p->len || p->s[i + 3] != ':' ||
                    !digits_at(p, i + 4, 2) || two(p->s + i + 1) > 23 || two(p->s + i + 4) > 59) {
                    p->pos = i;
                    return fail(p, "invalid time offset");
                }
                buf_append(b, p->s + i, 6);
                i += 6;
                has_off = 1;
            }
        }
    }
    p->pos = i;
    if (!is_value_end(peek(p))) return fail(p, "invalid date or time");
    toml_type t = has_date && has_time ? (has_off ? TOML_DATETIME : TOML_DATETIME_LOCAL)
                  : has_date ? TOML_DATE_LOCAL : TOML_TIME_LOCAL;
    size_t save = p->pos;
    p->pos = st;
    toml_value *v = node_new(p, t);
    p->pos = save;
    v->u.str.s = xstrndup(b->data, b->len);
    v->u.str.len = b->len;
    *out = v;
    return 1;
}

static int parse_number(parser *p, toml_value **out)
{
    size_t st = p->pos;
    buf *b = &p->tmp;
    buf_clear(b);
    int c = peek(p), sign = 0;
    if (c == '+' || c == '-') {
        sign = c;
        p->pos++;
        c = peek(p);
    }
    /* inf and nan */
    if ((c == 'i' || c == 'n') && p->pos + 3 <= p->len &&
        (memcmp(p->s + p->pos, "inf", 3) == 0 || memcmp(p->s + p->pos, "nan", 3) == 0)) {
        int inf = c == 'i';
        p->pos += 3;
        if (!is_value_end(peek(p))) return fail(p, "invalid value");
        size_t save = p->pos;
        p->pos = st;
        toml_value *v = node_new(p, TOML_FLOAT);
        p->pos = save;
        v->u.f = inf ? (sign == '-' ? -INFINITY : INFINITY) : (sign == '-' ? -NAN : NAN);
        *out = v;
        return 0;
    }
    if (!is_digit(c)) {
        p->pos = st;
        return fail(p, "invalid value");
    }
    /* prefixed integers */
    if (c == '0' && (peek_at(p, 1) == 'x' || peek_at(p, 1) == 'o' || peek_at(p, 1) == 'b')) {
        if (sign) return fail(p, "a sign is not allowed on hex, octal or binary integers");
        int radix = peek_at(p, 1) == 'x' ? 16 : peek_at(p, 1) == 'o' ? 8 : 2;
        p->pos += 2;
        if (peek(p) == '_') return fail(p, "underscore must be between digits");
        if (scan_digits(p, radix, b)) return -1;
        if (!is_value_end(peek(p))) return fail(p, "invalid character in number");
        errno = 0;
        char *end;
        unsigned long long u = strtoull(b->data, &end, radix);
        if (errno || u > (unsigned long long)INT64_MAX) {
            p->pos = st;
            return fail(p, "integer out of range");
        }
        size_t save = p->pos;
        p->pos = st;
        toml_value *v = node_new(p, TOML_INTEGER);
        p->pos = save;
        v->u.i = (int64_t)u;
        *out = v;
        return 0;
    }
    if (sign) buf_putc(b, (char)sign);
    size_t int_start = p->pos;
    if (scan_digits(p, 10, b)) return -1;
    if (p->s[int_start] == '0' && p->pos - int_start > 1) {
        p->pos = int_start;
        return fail(p, "leading zeros are not allowed");
    }
    int is_float = 0;
    if (peek(p) == '.') {
        is_float = 1;
        buf_putc(b, '.');
        p->pos++;
        if (!is_digit(peek(p))) return fail(p, "expected digits after the decimal point");
        if (scan_digits(p, 10, b)) return -1;
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        is_float = 1;
        buf_putc(b, 'e');
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-') {
            buf_putc(b, (char)peek(p));
            p->pos++;
        }
        if (!is_digit(peek(p))) return fail(p, "expected digits in the exponent");
        if (scan_digits(p, 10, b)) return -1;
    }
    if (!is_value_end(peek(p))) return fail(p, "invalid character in number");
    size_t save = p->pos;
    p->pos = st;
    toml_value *v;
    errno = 0;
    if (is_float) {
        v = node_new(p, TOML_FLOAT);
        v->u.f = strtod(b->data, NULL);
    } else {
        long long x = strtoll(b->data, NULL, 10);
        if (errno) return fail(p, "integer out of range");
        v = node_new(p, TOML_INTEGER);
        v->u.i = x;
    }
    p->pos = save;
    *out = v;
    return 0;
}

/* ---- values ---- */

static int parse_value(parser *p, toml_value **out, int depth);
static int keyval(parser *p, toml_value *table, int depth, int inline_tbl);

static int parse_array(parser *p, toml_value **out, int depth)
{
    toml_value *a = node_new(p, TOML_ARRAY);
    FLAGS(a) |= TF_FROZEN;
    *out = a;
    p->pos++; /* '[' */
    for (;;) {
        if (skip_ws_nl(p)) return -1;
        if (peek(p) == ']') { p->pos++; return 0; }
        toml_value *v = NULL;
        int rc = parse_value(p, &v, depth + 1);
        if (v) array_push(a, v);
        if (rc) return -1;
        if (skip_ws_nl(p)) return -1;
        if (peek(p) == ',') { p->pos++; continue; }
        if (peek(p) == ']') { p->pos++; return 0; }
        return fail(p, peek(p) < 0 ? "unterminated array" : "expected ',' or ']' in array");
    }
}

static int parse_inline_table(parser *p, toml_value **out, int depth)
{
    toml_value *t = node_new(p, TOML_TABLE);
    *out = t;
    p->pos++; /* '{' */
    int first = 1;
    for (;;) {
        if (p->v11) {
            if (skip_ws_nl(p)) return -1;
        } else {
            skip_ws(p);
        }
        if (peek(p) == '}') {
            if (!first && !p->v11) return fail(p, "trailing comma in inline table");
            p->pos++;
            break;
        }
        if (keyval(p, t, depth, 1)) return -1;
        first = 0;
        if (p->v11) {
            if (skip_ws_nl(p)) return -1;
        } else {
            skip_ws(p);
        }
        if (peek(p) == ',') { p->pos++; continue; }
        if (peek(p) == '}') { p->pos++; break; }
        if (peek(p) == '\n' || peek(p) == '\r')
            return fail(p, "newline in inline table");
        return fail(p, peek(p) < 0 ? "unterminated inline table" : "expected ',' or '}' in inline table");
    }
    FLAGS(t) |= TF_FROZEN;
    return 0;
}

static int parse_value(parser *p, toml_value **out, int depth)
{
    *out = NULL;
    if (depth > TOML_MAX_DEPTH) return fail(p, "nesting too deep");
    int c = peek(p);
    if (c == '"' || c == '\'') {
        toml_value *v = node_new(p, TOML_STRING);
        *out = v;
        if (parse_string(p, 1)) return -1;
        v->u.str.s = xmalloc(p->tmp.len + 1);
        if (p->tmp.len) memcpy(v->u.str.s, p->tmp.data, p->tmp.len);
        v->u.str.s[p->tmp.len] = 0;
        v->u.str.len = p->tmp.len;
        return 0;
    }
    if (c == '[') return parse_array(p, out, depth);
    if (c == '{') return parse_inline_table(p, out, depth);
    if (c == 't' && p->pos + 4 <= p->len && memcmp(p->s + p->pos, "true", 4) == 0 &&
        is_value_end(peek_at(p, 4))) {
        *out = node_new(p, TOML_BOOL);
        (*out)->u.b = 1;
        p->pos += 4;
        return 0;
    }
    if (c == 'f' && p->pos + 5 <= p->len && memcmp(p->s + p->pos, "false", 5) == 0 &&
        is_value_end(peek_at(p, 5))) {
        *out = node_new(p, TOML_BOOL);
        p->pos += 5;
        return 0;
    }
    if (is_digit(c)) {
        int r = parse_datetime(p, out);
        if (r < 0) return -1;
        if (r > 0) return 0;
    }
    if (is_digit(c) || c == '+' || c == '-' || c == 'i' || c == 'n') return parse_number(p, out);
    if (c < 0 || c == '\n' || c == '\r' || c == '#') return fail(p, "expected a value");
    return fail(p, "invalid value");
}

/* keyval: key ws '=' ws value, inserted into `table` following the rules
 * for dotted keys. */
static int keyval(parser *p, toml_value *table, int depth, int inline_tbl)
{
    keypath k;
    size_t key_pos = p->pos;
    int key_line = p->line;
    if (parse_key(p, &k)) {
        keypath_free(&k);
        return -1;
    }
    if (peek(p) != '=') {
        keypath_free(&k);
        return fail(p, "expected '=' after a key");
    }
    p->pos++;
    skip_ws(p);
    if (depth + k.n > TOML_MAX_DEPTH) {
        keypath_free(&k);
        return fail(p, "nesting too deep");
    }
    toml_value *t = table;
    for (int i = 0; i + 1 < k.n; i++) {
        toml_value *x = table_find(t, k.seg[i], k.len[i]);
        if (!x) {
            x = node_new(p, TOML_TABLE);
            x->line = key_line;
            FLAGS(x) |= TF_DOTTED;
            table_put(t, k.seg[i], k.len[i], x);
        } else if (x->type != TOML_TABLE || (FLAGS(x) & (TF_EXPLICIT | TF_FROZEN))) {
            p->pos = key_pos;
            fail(p, "cannot add keys to '%s': it is already defined", k.seg[i]);
            keypath_free(&k);
            return -1;
        }
        t = x;
    }
    toml_value *old = table_find(t, k.seg[k.n - 1], k.len[k.n - 1]);
    if (old) {
        p->pos = key_pos;
        fail(p, "duplicate key '%s'", k.seg[k.n - 1]);
        keypath_free(&k);
        return -1;
    }
    toml_value *v = NULL;
    int rc = parse_value(p, &v, depth + k.n);
    if (v) table_put(t, k.seg[k.n - 1], k.len[k.n - 1], v);
    (void)inline_tbl;
    keypath_free(&k);
    return rc;
}

/* '[' key ']' or '[[' key ']]': returns the table new key/values go to. */
static int header(parser *p, toml_value *root, toml_value **cur)
{
    int aot = peek_at(p, 1) == '[';
    size_t hpos = p->pos;
    p->pos += aot ? 2 : 1;
    keypath k;
    if (parse_key(p, &k)) {
        keypath_free(&k);
        return -1;
    }
    if (peek(p) != ']' || (aot && peek_at(p, 1) != ']')) {
        keypath_free(&k);
        return fail(p, aot ? "expected ']]' to close the table header" : "expected ']' to close the table header");
    }
    p->pos += aot ? 2 : 1;
    size_t end = p->pos;
    p->pos = hpos;
    toml_value *t = root;
    for (int i = 0; i + 1 < k.n; i++) {
        toml_value *x = table_find(t, k.seg[i], k.len[i]);
        if (!x) {
            x = node_new(p, TOML_TABLE);
            table_put(t, k.seg[i], k.len[i], x);
        } else if (x->type == TOML_ARRAY && (FLAGS(x) & TF_AOT) && x->u.array.n) {
            x = x->u.array.items[x->u.array.n - 1];
        } else if (x->type != TOML_TABLE || (FLAGS(x) & TF_FROZEN)) {
            fail(p, "'%s' is already defined and is not a table", k.seg[i]);
            keypath_free(&k);
            return -1;
        }
        t = x;
    }
    const char *last = k.seg[k.n - 1];
    size_t llen = k.len[k.n - 1];
    toml_value *x = table_find(t, last, llen);
    if (aot) {
        if (!x) {
            x = node_new(p, TOML_ARRAY);
            FLAGS(x) |= TF_AOT;
            table_put(t, last, llen, x);
        } else if (x->type != TOML_ARRAY || !(FLAGS(x) & TF_AOT)) {
            fail(p, "'%s' is already defined and is not an array of tables", last);
            keypath_free(&k);
            return -1;
        }
        toml_value *e = node_new(p, TOML_TABLE);
        FLAGS(e) |= TF_EXPLICIT;
        array_push(x, e);
        *cur = e;
    } else {
        if (!x) {
            x = node_new(p, TOML_TABLE);
            table_put(t, last, llen, x);
        } else if (x->type != TOML_TABLE || (FLAGS(x) & (TF_EXPLICIT | TF_DOTTED | TF_FROZEN))) {
            fail(p, "table '%s' is already defined", last);
            keypath_free(&k);
            return -1;
        } else {
            x->line = p->line;
            x->col = (int)(p->pos - p->line_start) + 1;
        }
        FLAGS(x) |= TF_EXPLICIT;
        *cur = x;
    }
    keypath_free(&k);
    p->pos = end;
    return 0;
}

static int check_utf8(parser *p)
{
    const unsigned char *s = (const unsigned char *)p->s;
    size_t i = 0;
    while (i < p->len) {
        if (s[i] < 0x80) {
            if (s[i] == '\n') {
                p->line++;
                p->line_start = i + 1;
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, p->len - i, &cp);
        if (!n || (cp == 0xFEFF && i != 0)) {
            p->pos = i;
            return fail(p, n ? "byte order mark after the start" : "invalid UTF-8");
        }
        i += n;
    }
    p->line = 1;
    p->line_start = 0;
    return 0;
}

vg_status toml_parse_ex(const char *src, size_t len, const char *path, int version_minor,
                        toml_value **out, diag_list *d)
{
    *out = NULL;
    parser p = {.s = src, .len = len, .line = 1, .path = path, .d = d, .v11 = version_minor >= 1};
    if (len > TOML_MAX_INPUT) {
        if (d) diag_add(d, DIAG_ERROR, path, 0, 0, "document too large (%zu bytes)", len);
        return VG_ERR_LIMIT;
    }
    buf_init(&p.tmp, 0);
    toml_value *root = node_new(&p, TOML_TABLE);
    toml_value *cur = root;
    if (check_utf8(&p)) goto bad;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) p.pos = p.line_start = 3;
    while (p.pos < p.len) {
        skip_ws(&p);
        int c = peek(&p);
        if (c == '[') {
            if (header(&p, root, &cur)) goto bad;
        } else if (c == '#' || c == '\n' || c == '\r' || c < 0) {
            /* blank line */
        } else {
            if (keyval(&p, cur, 0, 0)) goto bad;
        }
        skip_ws(&p);
        if (skip_comment(&p)) goto bad;
        if (peek(&p) < 0) break;
        if (!eat_newline(&p)) {
            fail(&p, peek(&p) == '\r' ? "bare carriage return" : "expected a newline after this");
            goto bad;
        }
    }
    buf_free(&p.tmp);
    *out = root;
    return VG_OK;
bad:
    buf_free(&p.tmp);
    toml_free(root);
    return VG_ERR_PARSE;
}

vg_status toml_parse(const char *src, size_t len, const char *path, toml_value **out,
                     diag_list *d)
{
    return toml_parse_ex(src, len, path, 0, out, d);
}

/* ---- look-ups ---- */

const toml_value *toml_get(const toml_value *table, const char *key)
{
    if (!table || table->type != TOML_TABLE || !key) return NULL;
    return table_find(table, key, strlen(key));
}

const toml_value *toml_get_path(const toml_value *root, const char *dotted)
{
    const toml_value *t = root;
    const char *s = dotted;
    while (t && s) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        if (!t || t->type != TOML_TABLE) return NULL;
        t = table_find(t, s, n);
        s = dot ? dot + 1 : NULL;
    }
    return t;
}

const char *toml_get_string(const toml_value *table, const char *key)
{
    const toml_value *v = toml_get(table, key);
    return v && v->type == TOML_STRING ? v->u.str.s : NULL;
}

int toml_get_bool(const toml_value *table, const char *key, int dflt)
{
    const toml_value *v = toml_get(table, key);
    return v && v->type == TOML_BOOL ? v->u.b : dflt;
}

int64_t toml_get_int(const toml_value *table, const char *key, int64_t dflt)
{
    const toml_value *v = toml_get(table, key);
    return v && v->type == TOML_INTEGER ? v->u.i : dflt;
}

size_t toml_key_len(const toml_value *table, size_t i)
{
    if (!table || table->type != TOML_TABLE || i >= table->u.table.n) return 0;
    return ((const tnode *)table)->klen[i];
}

const char *toml_type_name(toml_type t)
{
    switch (t) {
    case TOML_TABLE: return "table";
    case TOML_ARRAY: return "array";
    case TOML_STRING: return "string";
    case TOML_INTEGER: return "integer";
    case TOML_FLOAT: return "float";
    case TOML_BOOL: return "bool";
    case TOML_DATETIME: return "datetime";
    case TOML_DATETIME_LOCAL: return "datetime-local";
    case TOML_DATE_LOCAL: return "date-local";
    case TOML_TIME_LOCAL: return "time-local";
    }
    return "?";
}
