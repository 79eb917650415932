/* dump.c - ast.dump() text (see dump.h).  One function per field shape
 * (ast.def names the shapes); the per-kind switch is made from ast.def,
 * whose rows list the fields in CPython 3.11's _fields order. */
#include "dump.h"

#include <string.h>

#include "../core/intern.h"
#include "../core/utf8.h"
#include "uniprint.h"

typedef struct dumper {
    buf *o;
    int depth;
    int nfields;
} dumper;

static void node(dumper *d, const py_node *n);

static int printable(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 0x20 && cp < 0x7f;
    size_t lo = 0, hi = sizeof uni_nonprint / sizeof uni_nonprint[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < uni_nonprint[mid][0])
            hi = mid;
        else if (cp > uni_nonprint[mid][1])
            lo = mid + 1;
        else
            return 0;
    }
    return 1;
}

static char pick_quote(const char *s, size_t n)
{
    int sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
    return sq && !dq ? '"' : '\'';
}

void dump_repr_str(buf *o, const char *s, size_t n)
{
    char q = pick_quote(s, n);
    buf_putc(o, q);
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && u[j] >= 0x20 && u[j] < 0x7f && u[j] != '\\' && u[j] != (unsigned char)q)
            j++;
        if (j > i) {
            buf_append(o, s + i, j - i);
            i = j;
            continue;
        }
        unsigned c = u[i];
        if (c == '\\' || c == (unsigned char)q) {
            buf_putc(o, '\\');
            buf_putc(o, (char)c);
            i++;
        } else if (c == '\n') {
            buf_puts(o, "\\n");
            i++;
        } else if (c == '\r') {
            buf_puts(o, "\\r");
            i++;
        } else if (c == '\t') {
            buf_puts(o, "\\t");
            i++;
        } else if (c < 0x80) {
            buf_printf(o, "\\x%02x", c);
            i++;
        } else {
            /* lenient: WTF-8 surrogates and whatever else is shaped like UTF-8 */
            uint32_t cp;
            size_t len = utf8_decode_ex(u + i, n - i, &cp, UTF8_LAX);
            if (!len) {
                buf_printf(o, "\\udc%02x", c); /* as surrogateescape would */
                len = 1;
            } else if (printable(cp) && !(cp >= 0xD800 && cp <= 0xDFFF))
                buf_append(o, s + i, len);
            else if (cp <= 0xFF)
                buf_printf(o, "\\x%02x", cp);
            else if (cp <= 0xFFFF)
                buf_printf(o, "\\u%04x", cp);
            else
                buf_printf(o, "\\U%08x", cp);
            i += len;
        }
    }
    buf_putc(o, q);
}

void dump_repr_bytes(buf *o, const char *s, size_t n)
{
    char q = pick_quote(s, n);
    buf_putc(o, 'b');
    buf_putc(o, q);
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c == '\\' || c == (unsigned char)q) {
            buf_putc(o, '\\');
            buf_putc(o, (char)c);
        } else if (c == '\n')
            buf_puts(o, "\\n");
        else if (c == '\r')
            buf_puts(o, "\\r");
        else if (c == '\t')
            buf_puts(o, "\\t");
        else if (c < 0x20 || c >= 0x7f)
            buf_printf(o, "\\x%02x", c);
        else
            buf_putc(o, (char)c);
    }
    buf_putc(o, q);
}

/* ---- fields ---- */

static void begin(dumper *d, const char *name)
{
    buf_puts(d->o, name);
    buf_putc(d->o, '(');
    d->nfields = 0;
}

static void fname(dumper *d, const char *name)
{
    if (d->nfields++)
        buf_puts(d->o, ", ");
    buf_puts(d->o, name);
    buf_putc(d->o, '=');
}

/* a required node field */
static void f_node(dumper *d, const char *name, const py_node *n)
{
    fname(d, name);
    int saved = d->nfields;
    node(d, n);
    d->nfields = saved;
}

/* an optional node field: omitted when NULL */
static void f_opt(dumper *d, const char *name, const py_node *n)
{
    if (n)
        f_node(d, name, n);
}

static void f_list(dumper *d, const char *name, py_list l)
{
    fname(d, name);
    int saved = d->nfields;
    buf_putc(d->o, '[');
    for (int i = 0; i < l.n; i++) {
        if (i)
            buf_puts(d->o, ", ");
        if (l.v[i])
            node(d, l.v[i]);
        else
            buf_puts(d->o, "None");
    }
    buf_putc(d->o, ']');
    d->nfields = saved;
}

static void f_ident(dumper *d, const char *name, const char *s)
{
    if (!s)
        return;
    fname(d, name);
    dump_repr_str(d->o, s, ident_len(s));
}

static void f_names(dumper *d, const char *name, py_names l)
{
    fname(d, name);
    buf_putc(d->o, '[');
    for (int i = 0; i < l.n; i++) {
        if (i)
            buf_puts(d->o, ", ");
        dump_repr_str(d->o, l.v[i], ident_len(l.v[i]));
    }
    buf_putc(d->o, ']');
}

static void f_int(dumper *d, const char *name, int v)
{
    fname(d, name);
    buf_printf(d->o, "%d", v);
}

static void f_word(dumper *d, const char *name, const char *cls)
{
    fname(d, name);
    buf_puts(d->o, cls);
    buf_puts(d->o, "()");
}

static void f_str(dumper *d, const char *name, const char *s)
{
    if (!s)
        return;
    fname(d, name);
    dump_repr_str(d->o, s, strlen(s));
}

/* Compare.ops: one per comparator */
static void f_cmpops(dumper *d, const char *name, const py_cmpop *ops, int n)
{
    fname(d, name);
    buf_putc(d->o, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(d->o, ", ");
        buf_puts(d->o, ast_cmpop_name(ops[i]));
        buf_puts(d->o, "()");
    }
    buf_putc(d->o, ']');
}

static void f_const(dumper *d, const char *name, const struct ast_constant *c)
{
    buf *o = d->o;
    fname(d, name);
    switch (c->value) {
    case PY_CONST_NONE: buf_puts(o, "None"); break;
    case PY_CONST_TRUE: buf_puts(o, "True"); break;
    case PY_CONST_FALSE: buf_puts(o, "False"); break;
    case PY_CONST_ELLIPSIS: buf_puts(o, "Ellipsis"); break;
    case PY_CONST_INT:
    case PY_CONST_FLOAT:
    case PY_CONST_COMPLEX: buf_append(o, c->s, c->len); break;
    case PY_CONST_STR: dump_repr_str(o, c->s, c->len); break;
    case PY_CONST_BYTES: dump_repr_bytes(o, c->s, c->len); break;
    }
}

static void f_empty(dumper *d, const char *name)
{
    fname(d, name);
    buf_puts(d->o, "[]");
}

/* One ast.def field: DUMP_<shape>(name, the field's value). */
#define DUMP_NODE(name, x) f_node(d, name, x);
#define DUMP_OPT(name, x) f_opt(d, name, x);
#define DUMP_LIST(name, x) f_list(d, name, x);
#define DUMP_LIST_NE(name, x) if ((x).n) f_list(d, name, x);
#define DUMP_KEYS(name, x) f_list(d, name, x);
#define DUMP_VALUES(name, x) f_list(d, name, x);
#define DUMP_SINGLETON(name, x) f_const(d, name, &(x)->constant);
#define DUMP_IDENT(name, x) f_ident(d, name, x);
#define DUMP_NAMES(name, x) f_names(d, name, x);
#define DUMP_STR(name, x) f_str(d, name, x);
#define DUMP_INT(name, x) f_int(d, name, x);
#define DUMP_CONST(name, x) f_const(d, name, f_);
#define DUMP_CMPOPS(name, x) f_cmpops(d, name, x, f_->comparators.n);
#define DUMP_OPERATOR(name, x) f_word(d, name, ast_operator_name(x));
#define DUMP_BOOLOP(name, x) f_word(d, name, ast_boolop_name(x));
#define DUMP_UNARYOP(name, x) f_word(d, name, ast_unaryop_name(x));
#define DUMP_CTX(name, x) f_word(d, name, ast_ctx_name(x));
#define DUMP_EMPTY(name, x) f_empty(d, name);

static void node(dumper *d, const py_node *n)
{
    if (d->depth >= DUMP_MAX_DEPTH) {
        buf_puts(d->o, "...");
        return;
    }
    d->depth++;
    py_kind k = (py_kind)n->kind;
    begin(d, ast_kind_name(k));
    switch ((int)ast_schema_kind(k)) {
#define AST_NODE(k, member, fields)                                            \
    case PY_##k: {                                                             \
        const struct ast_##member *f_ = &n->member;                            \
        (void)f_;                                                              \
        fields                                                                 \
        break;                                                                 \
    }
#define AST_TWIN(k, other)
#define F(shape, name, pass) DUMP_##shape(#name, f_->name)
#include "ast.def"
#undef AST_NODE
#undef AST_TWIN
#undef F
    default: break;
    }
    buf_putc(d->o, ')');
    d->depth--;
}

void ast_dump(buf *out, const py_node *n)
{
    dumper d = {out, 0, 0};
    node(&d, n);
}
