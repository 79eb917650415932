/* parse_int.h - the parser's private state and helpers, shared by
 * parse.c (expressions, statements), parse_str.c (string literals and
 * f-strings) and parse_pattern.c (match patterns).  Not for other modules:
 * the public API is parse.h. */
#ifndef VG_PY_PARSE_INT_H
#define VG_PY_PARSE_INT_H

#include <setjmp.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/xalloc.h"
#include "lex.h"
#include "parse.h"

typedef struct parser {
    lex_file *f;
    arena *a;
    interner *in;
    lex_token *t;          /* current token array (file, or an f-string field) */
    size_t n, i;
    lex_token *main_t;     /* the file's tokens */
    size_t main_n;
    size_t sub_owner;      /* while in a field: index of the f-string token */
    int in_sub;
    int depth;
    jmp_buf *jb;
    py_node **stk;         /* scratch stack for lists */
    size_t sp, scap;
    buf sbuf;              /* scratch for decoded strings */
    const char *id_print, *id_match, *id_case, *id_type, *id_underscore;
    int lse_line, lse_col; /* end of the last simple_stmts line, ';' included */
    void *link;            /* scratch for ast_link_stmt */
    size_t node_bytes;     /* py_module.node_bytes */
} parser;

/* ---- tokens ---- */

#define TOK (&P->t[P->i])
#define TT (P->t[P->i].type)
#define PEEK(k) (P->i + (k) < P->n ? P->t[P->i + (k)].type : T_EOF)
#define LEAVE(P) ((P)->depth--)

static inline void advance(parser *P)
{
    if (P->i + 1 < P->n)
        P->i++;
}

static inline int accept(parser *P, py_tok t)
{
    if (TT == t) {
        advance(P);
        return 1;
    }
    return 0;
}

/* ---- errors (parse.c): record the message, longjmp to the statement list ---- */

_Noreturn void parse_fail_at(parser *P, const lex_token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
_Noreturn void parse_fail_syntax(parser *P);
void parse_expect(parser *P, py_tok t);
void parse_enter(parser *P);          /* one nesting level deeper (capped) */
const char *parse_ident(parser *P);   /* NAME, interned */

/* ---- nodes and lists ---- */

static inline py_node *mk(parser *P, py_kind k, const lex_token *start)
{
    size_t size = ast_node_size(k);
    py_node *n = arena_alloc(P->a, size);
    P->node_bytes += size;
    n->kind = (uint16_t)k;
    n->lineno = start->lineno;
    n->col_offset = start->col;
    return n;
}

/* Node starting where node `from` starts. */
static inline py_node *mk_from(parser *P, py_kind k, const py_node *from)
{
    size_t size = ast_node_size(k);
    py_node *n = arena_alloc(P->a, size);
    P->node_bytes += size;
    n->kind = (uint16_t)k;
    n->lineno = from->lineno;
    n->col_offset = from->col_offset;
    return n;
}

/* End the node at the last consumed token. */
static inline py_node *fin(parser *P, py_node *n)
{
    const lex_token *t = P->i > 0 ? &P->t[P->i - 1] : &P->t[0];
    n->end_lineno = t->end_lineno;
    n->end_col_offset = t->end_col;
    return n;
}

static inline void end_as(py_node *n, const py_node *last)
{
    n->end_lineno = last->end_lineno;
    n->end_col_offset = last->end_col_offset;
}

static inline void spush(parser *P, py_node *n)
{
    if (P->sp == P->scap) {
        P->scap = P->scap ? P->scap * 2 : 1024;
        P->stk = xrealloc_n(P->stk, P->scap, sizeof *P->stk);
    }
    P->stk[P->sp++] = n;
}

static inline py_list spop(parser *P, size_t mark)
{
    py_list l = {NULL, (int)(P->sp - mark)};
    if (l.n > 0) {
        l.v = arena_alloc_n(P->a, (size_t)l.n, sizeof *l.v);
        memcpy(l.v, P->stk + mark, (size_t)l.n * sizeof *l.v);
    }
    P->sp = mark;
    return l;
}

static inline py_list list1(parser *P, py_node *n)
{
    py_list l = {arena_alloc(P->a, sizeof(py_node *)), 1};
    l.v[0] = n;
    return l;
}

/* ---- small arena vectors (several lists at once) ---- */

typedef struct nvec {
    py_node **v;
    int n, cap;
} nvec;

static inline void nv_push(parser *P, nvec *nv, py_node *n)
{
    if (nv->n == nv->cap) {
        int cap = nv->cap ? nv->cap * 2 : 8;
        py_node **v = arena_alloc_n(P->a, (size_t)cap, sizeof *v);
        if (nv->n)
            memcpy(v, nv->v, (size_t)nv->n * sizeof *v);
        nv->v = v;
        nv->cap = cap;
    }
    nv->v[nv->n++] = n;
}

static inline py_list nv_list(nvec *nv)
{
    py_list l = {nv->v, nv->n};
    return l;
}

/* ---- leaf nodes ---- */

static inline py_node *mk_name(parser *P, const lex_token *t)
{
    py_node *n = mk(P, PY_Name, t);
    n->name.id = t->ident;
    n->end_lineno = t->end_lineno;
    n->end_col_offset = t->end_col;
    return n;
}

static inline py_node *mk_const(parser *P, const lex_token *t, py_const_kind k)
{
    py_node *n = mk(P, PY_Constant, t);
    n->constant.value = (uint8_t)k;
    n->end_lineno = t->end_lineno;
    n->end_col_offset = t->end_col;
    return n;
}

/* ---- grammar entry points used across the three files ---- */

py_node *parse_number(parser *P);            /* parse.c */
py_node *parse_atom(parser *P);              /* parse.c */
py_node *parse_yield_expr(parser *P);        /* parse.c */
py_node *parse_star_expressions(parser *P);  /* parse.c */
py_node *parse_strings(parser *P);           /* parse_str.c: STRING+ */
py_node *parse_patterns(parser *P);          /* parse_pattern.c: a case's patterns */

#endif
