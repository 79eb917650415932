/* parse.c - the error-tolerant recursive-descent Python parser.
 *
 * Statements by recursive descent over the token array from lex.c,
 * expressions by precedence climbing.  Each grammar function carries its
 * rule in a comment.  A syntax error longjmps to the innermost statement
 * list, which records nothing more (the first error of a statement is the
 * one reported), skips to the next logical line at the same or an outer
 * indentation (nested blocks of the broken statement go with it) and goes
 * on.  Lists are built on a scratch stack (P->stk) and copied into the
 * arena when complete, so an abandoned statement costs nothing but arena
 * space.  Recursion is bounded by P->depth (PY_MAX_DEPTH).
 */
#include "parse.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/limits.h"
#include "../core/xalloc.h"
#include "lex.h"
#include "parse_int.h"
#include "coding.h"
#include "strlit.h"

/* ---- errors ---- */

/* Did the lexer already report an error on the rest of this logical line?
 * Then that message explains the statement and the parser stays quiet. */
static int lexer_error_ahead(const parser *P)
{
    size_t i = P->in_sub ? P->sub_owner : P->i;
    for (; i < P->main_n; i++) {
        py_tok t = P->main_t[i].type;
        if (t == T_ERROR)
            return 1;
        if (t == T_NEWLINE || t == T_EOF)
            return 0;
    }
    return 0;
}

_Noreturn void parse_fail_at(parser *P, const lex_token *t, const char *fmt, ...)
{
    /* an error token: the lexer reported it already */
    if (t->type != T_ERROR && !lexer_error_ahead(P) && ++P->f->nerrors <= PY_MAX_ERRORS) {
        char msg[DIAG_MSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        if (P->f->errors)
            diag_add(P->f->errors, DIAG_ERROR, P->f->path, t->lineno, t->col + 1, "%s", msg);
    }
    longjmp(*P->jb, 1);
}

_Noreturn void parse_fail_syntax(parser *P)
{
    const lex_token *t = TOK;
    if (t->type == T_INDENT)
        parse_fail_at(P, t, "unexpected indent");
    if (t->type == T_EOF && !P->in_sub)
        parse_fail_at(P, t, "unexpected EOF while parsing");
    parse_fail_at(P, t, "invalid syntax");
}

void parse_expect(parser *P, py_tok t)
{
    if (TT == t) {
        advance(P);
        return;
    }
    if (TT == T_ERROR)
        parse_fail_at(P, TOK, "invalid syntax");
    if (t == O_COLON)
        parse_fail_at(P, TOK, "expected ':'");
    if (t == O_RPAR || t == O_RSQB || t == O_RBRACE)
        parse_fail_at(P, TOK, "expected '%s'", lex_tok_name(t));
    if (t == T_NEWLINE)
        parse_fail_syntax(P);
    parse_fail_at(P, TOK, "expected '%s'", lex_tok_name(t));
}

void parse_enter(parser *P)
{
    if (++P->depth > PY_MAX_DEPTH) {
        P->depth = 0; /* the handler restores it */
        parse_fail_at(P, TOK, "too many nested parentheses, blocks or operators (more than %d)", PY_MAX_DEPTH);
    }
}
const char *parse_ident(parser *P)
{
    if (TT != T_NAME)
        parse_fail_syntax(P);
    const char *s = TOK->ident;
    advance(P);
    return s;
}

/* Push a completed statement, linking its nodes' parents now (hot). */
static void spush_stmt(parser *P, py_node *st)
{
    ast_link_stmt(st, P->link);
    spush(P, st);
}

/* ---- forward declarations ---- */
static py_node *parse_expression(parser *P);
static py_node *parse_named_expression(parser *P);
static py_node *parse_disjunction(parser *P);
static py_node *parse_bitor(parser *P);
static py_node *parse_star_targets(parser *P, py_tok stop);
static py_node *parse_arguments(parser *P, int lambda);
static py_list parse_comprehensions(parser *P);
static py_list parse_block(parser *P, const lex_token *owner, const char *what);
static void set_ctx(parser *P, py_node *e, py_expr_context ctx, const lex_token *at);

/* ---- atoms ---- */

py_node *parse_number(parser *P)
{
    const lex_token *t = TOK;
    py_node *n = mk_const(P, t, PY_CONST_INT);
    const char *s = (const char *)P->f->src + t->start;
    size_t len = t->end - t->start;
    n->constant.s = arena_strndup(P->a, s, len);
    n->constant.len = (uint32_t)len;
    py_const_kind k;
    int64_t ival;
    int ival_ok;
    double fval;
    strlit_number(n->constant.s, len, &k, &ival, &ival_ok, &fval);
    n->constant.value = (uint8_t)k;
    n->constant.ival_ok = (uint8_t)ival_ok;
    if (k == PY_CONST_INT)
        n->constant.ival = ival;
    else
        n->constant.fval = fval;
    if (len > 1 && s[0] == '0' && n->constant.value == PY_CONST_INT && is_decimal_leading_zero(s, len))
        parse_fail_at(P, t, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
    advance(P);
    return n;
}

/* group / tuple / genexp after '(' */
static py_node *parse_paren(parser *P)
{
    const lex_token *open = TOK;
    advance(P);
    if (TT == O_RPAR) {
        advance(P);
        py_node *t = mk(P, PY_Tuple, open);
        return fin(P, t);
    }
    if (TT == K_yield) {
        py_node *y = parse_yield_expr(P);
        parse_expect(P, O_RPAR);
        return y;
    }
    py_node *first;
    if (TT == O_STAR) {
        const lex_token *st = TOK;
        advance(P);
        py_node *v = parse_bitor(P);
        first = mk(P, PY_Starred, st);
        first->starred.value = v;
        fin(P, first);
    } else {
        first = parse_named_expression(P);
    }
    if (TT == K_for || (TT == K_async && PEEK(1) == K_for)) {
        py_node *g = mk(P, PY_GeneratorExp, open);
        g->listcomp.elt = first;
        g->listcomp.generators = parse_comprehensions(P);
        parse_expect(P, O_RPAR);
        return fin(P, g);
    }
    if (TT == O_RPAR) {
        advance(P);
        if (first->kind == PY_Starred)
            parse_fail_at(P, &P->t[P->i - 1], "cannot use starred expression here");
        return first;
    }
    size_t mark = P->sp;
    spush(P, first);
    while (accept(P, O_COMMA)) {
        if (TT == O_RPAR)
            break;
        if (TT == O_STAR) {
            const lex_token *st = TOK;
            advance(P);
            py_node *v = parse_bitor(P);
            py_node *s = mk(P, PY_Starred, st);
            s->starred.value = v;
            fin(P, s);
            spush(P, s);
        } else {
            spush(P, parse_named_expression(P));
        }
    }
    parse_expect(P, O_RPAR);
    py_node *t = mk(P, PY_Tuple, open);
    t->list.elts = spop(P, mark);
    return fin(P, t);
}

/* star_named_expression: '*' bitwise_or | named_expression */
static py_node *parse_star_named(parser *P)
{
    if (TT == O_STAR) {
        const lex_token *st = TOK;
        advance(P);
        py_node *v = parse_bitor(P);
        py_node *s = mk(P, PY_Starred, st);
        s->starred.value = v;
        fin(P, s);
        return s;
    }
    return parse_named_expression(P);
}

/* list / listcomp after '[' */
static py_node *parse_list(parser *P)
{
    const lex_token *open = TOK;
    advance(P);
    size_t mark = P->sp;
    if (TT != O_RSQB) {
        py_node *first = parse_star_named(P);
        if (TT == K_for || (TT == K_async && PEEK(1) == K_for)) {
            py_node *c = mk(P, PY_ListComp, open);
            c->listcomp.elt = first;
            c->listcomp.generators = parse_comprehensions(P);
            parse_expect(P, O_RSQB);
            return fin(P, c);
        }
        spush(P, first);
        while (accept(P, O_COMMA)) {
            if (TT == O_RSQB)
                break;
            spush(P, parse_star_named(P));
        }
    }
    parse_expect(P, O_RSQB);
    py_node *l = mk(P, PY_List, open);
    l->list.elts = spop(P, mark);
    return fin(P, l);
}

/* dict / set / comprehensions after '{' */
static py_node *parse_brace(parser *P)
{
    const lex_token *open = TOK;
    advance(P);
    if (accept(P, O_RBRACE))
        return fin(P, mk(P, PY_Dict, open));
    size_t mark = P->sp;
    int is_dict;
    py_node *k = NULL, *v;
    if (TT == O_DOUBLESTAR) {
        advance(P);
        is_dict = 1;
        v = parse_bitor(P);
    } else {
        k = parse_star_named(P);
        is_dict = accept(P, O_COLON);
        v = is_dict ? parse_expression(P) : NULL;
        if (k->kind == PY_Starred && is_dict)
            parse_fail_at(P, TOK, "cannot use a starred expression in a dictionary key");
    }
    if (TT == K_for || (TT == K_async && PEEK(1) == K_for)) {
        if (is_dict && !k)
            parse_fail_at(P, TOK, "dict unpacking cannot be used in dict comprehension");
        py_node *c;
        if (is_dict) {
            c = mk(P, PY_DictComp, open);
            c->dictcomp.key = k;
            c->dictcomp.value = v;
            c->dictcomp.generators = parse_comprehensions(P);
        } else {
            c = mk(P, PY_SetComp, open);
            c->listcomp.elt = k;
            c->listcomp.generators = parse_comprehensions(P);
        }
        parse_expect(P, O_RBRACE);
        return fin(P, c);
    }
    if (is_dict) {
        /* keys and values alternate on the scratch stack */
        spush(P, k);
        spush(P, v);
        while (accept(P, O_COMMA)) {
            if (TT == O_RBRACE)
                break;
            if (accept(P, O_DOUBLESTAR)) {
                spush(P, NULL);
                spush(P, parse_bitor(P));
            } else {
                spush(P, parse_expression(P));
                parse_expect(P, O_COLON);
                spush(P, parse_expression(P));
            }
        }
        parse_expect(P, O_RBRACE);
        py_node *d = mk(P, PY_Dict, open);
        int n = (int)(P->sp - mark) / 2;
        d->dict.keys.n = d->dict.values.n = n;
        d->dict.keys.v = arena_alloc_n(P->a, (size_t)n, sizeof(py_node *));
        d->dict.values.v = arena_alloc_n(P->a, (size_t)n, sizeof(py_node *));
        for (int i = 0; i < n; i++) {
            d->dict.keys.v[i] = P->stk[mark + 2 * (size_t)i];
            d->dict.values.v[i] = P->stk[mark + 2 * (size_t)i + 1];
        }
        P->sp = mark;
        return fin(P, d);
    }
    spush(P, k);
    while (accept(P, O_COMMA)) {
        if (TT == O_RBRACE)
            break;
        spush(P, parse_star_named(P));
    }
    parse_expect(P, O_RBRACE);
    py_node *s = mk(P, PY_Set, open);
    s->set.elts = spop(P, mark);
    return fin(P, s);
}

/* atom: NAME | True | False | None | strings | NUMBER | tuple | group | genexp
 *     | list | listcomp | dict | set | dictcomp | setcomp | '...' */
py_node *parse_atom(parser *P)
{
    const lex_token *t = TOK;
    py_node *n;
    switch (t->type) {
    case T_NAME:
        advance(P);
        return mk_name(P, t);
    case K_True: advance(P); return mk_const(P, t, PY_CONST_TRUE);
    case K_False: advance(P); return mk_const(P, t, PY_CONST_FALSE);
    case K_None: advance(P); return mk_const(P, t, PY_CONST_NONE);
    case O_ELLIPSIS: advance(P); return mk_const(P, t, PY_CONST_ELLIPSIS);
    case T_NUMBER: return parse_number(P);
    case T_STRING: return parse_strings(P);
    case O_LPAR:
        parse_enter(P);
        n = parse_paren(P);
        LEAVE(P);
        return n;
    case O_LSQB:
        parse_enter(P);
        n = parse_list(P);
        LEAVE(P);
        return n;
    case O_LBRACE:
        parse_enter(P);
        n = parse_brace(P);
        LEAVE(P);
        return n;
    default:
        parse_fail_syntax(P);
    }
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression */
static py_node *parse_slice(parser *P)
{
    const lex_token *start = TOK;
    py_node *lower = NULL;
    if (TT == O_STAR)
        return parse_star_named(P);
    if (TT != O_COLON)
        lower = parse_named_expression(P);
    if (TT != O_COLON)
        return lower;
    advance(P);
    py_node *s = mk(P, PY_Slice, start);
    s->slice.lower = lower;
    if (TT != O_COLON && TT != O_COMMA && TT != O_RSQB)
        s->slice.upper = parse_expression(P);
    if (accept(P, O_COLON)) {
        if (TT != O_COMMA && TT != O_RSQB)
            s->slice.step = parse_expression(P);
    }
    return fin(P, s);
}

/* slices: slice !',' | ','.(slice | starred_expression)+ [','] */
static py_node *parse_slices(parser *P)
{
    const lex_token *start = TOK;
    py_node *first = parse_slice(P);
    if (TT != O_COMMA && first->kind != PY_Starred)
        return first;
    size_t mark = P->sp;
    spush(P, first);
    while (accept(P, O_COMMA)) {
        if (TT == O_RSQB)
            break;
        spush(P, parse_slice(P));
    }
    py_node *t = mk(P, PY_Tuple, start);
    t->list.elts = spop(P, mark);
    return fin(P, t);
}

/* args: positional, *starred, name=value, **kwargs; a lone genexp */
static void parse_call_args(parser *P, py_node *call)
{
    size_t mark = P->sp;
    size_t nargs = 0;
    int seen_kw = 0;
    py_node **kws = NULL;
    size_t nkw = 0, kwcap = 0;
    while (TT != O_RPAR) {
        const lex_token *st = TOK;
        if (TT == O_DOUBLESTAR) {
            advance(P);
            py_node *k = mk(P, PY_keyword, st);
            k->keyword.value = parse_expression(P);
            fin(P, k);
            if (nkw == kwcap) {
                kwcap = kwcap ? kwcap * 2 : 4;
                py_node **nk = arena_alloc_n(P->a, kwcap, sizeof *nk);
                if (nkw)
                    memcpy(nk, kws, nkw * sizeof *nk);
                kws = nk;
            }
            kws[nkw++] = k;
            seen_kw = 2;
        } else if (TT == T_NAME && PEEK(1) == O_EQUAL) {
            py_node *k = mk(P, PY_keyword, st);
            k->keyword.arg = st->ident;
            advance(P);
            advance(P);
            k->keyword.value = parse_expression(P);
            fin(P, k);
            if (nkw == kwcap) {
                kwcap = kwcap ? kwcap * 2 : 4;
                py_node **nk = arena_alloc_n(P->a, kwcap, sizeof *nk);
                if (nkw)
                    memcpy(nk, kws, nkw * sizeof *nk);
                kws = nk;
            }
            kws[nkw++] = k;
            if (!seen_kw)
                seen_kw = 1;
        } else {
            py_node *a;
            if (TT == O_STAR) {
                advance(P);
                py_node *v = parse_expression(P);
                a = mk(P, PY_Starred, st);
                a->starred.value = v;
                fin(P, a);
                if (seen_kw == 2)
                    parse_fail_at(P, st, "iterable argument unpacking follows keyword argument unpacking");
            } else {
                a = parse_named_expression(P);
                if (TT == K_for || (TT == K_async && PEEK(1) == K_for)) {
                    py_node *g = mk_from(P, PY_GeneratorExp, a);
                    g->listcomp.elt = a;
                    g->listcomp.generators = parse_comprehensions(P);
                    fin(P, g);
                    if (nargs > 0 || nkw > 0 || TT != O_RPAR)
                        parse_fail_at(P, st, "Generator expression must be parenthesized");
                    /* CPython's span for a sole genexp argument is the parentheses */
                    a = g;
                } else if (seen_kw == 2) {
                    parse_fail_at(P, st, "positional argument follows keyword argument unpacking");
                } else if (seen_kw) {
                    parse_fail_at(P, st, "positional argument follows keyword argument");
                }
            }
            spush(P, a);
            nargs++;
        }
        if (!accept(P, O_COMMA))
            break;
    }
    call->call.args = spop(P, mark);
    call->call.keywords.v = kws;
    call->call.keywords.n = (int)nkw;
}

/* primary: atom ('.' NAME | '(' args ')' | '[' slices ']')* */
static py_node *parse_primary(parser *P)
{
    const lex_token *st0 = TOK;
    py_node *e = parse_atom(P);
    for (;;) {
        switch (TT) {
        case O_DOT: {
            advance(P);
            py_node *a = mk(P, PY_Attribute, st0);
            a->attribute.value = e;
            a->attribute.attr = parse_ident(P);
            e = fin(P, a);
            break;
        }
        case O_LPAR: {
            parse_enter(P);
            const lex_token *open = TOK;
            advance(P);
            py_node *c = mk(P, PY_Call, st0);
            c->call.func = e;
            parse_call_args(P, c);
            parse_expect(P, O_RPAR);
            /* a sole generator argument spans the call's parentheses */
            if (c->call.args.n == 1 && c->call.keywords.n == 0 &&
                c->call.args.v[0]->kind == PY_GeneratorExp &&
                c->call.args.v[0]->col_offset != open->col) {
                py_node *g = c->call.args.v[0];
                if (g->listcomp.elt->lineno == g->lineno && g->listcomp.elt->col_offset == g->col_offset) {
                    g->lineno = open->lineno;
                    g->col_offset = open->col;
                    fin(P, g);
                }
            }
            e = fin(P, c);
            LEAVE(P);
            break;
        }
        case O_LSQB: {
            parse_enter(P);
            advance(P);
            py_node *s = mk(P, PY_Subscript, st0);
            s->subscript.value = e;
            s->subscript.slice = parse_slices(P);
            parse_expect(P, O_RSQB);
            e = fin(P, s);
            LEAVE(P);
            break;
        }
        default:
            return e;
        }
    }
}

/* await_primary: 'await' primary | primary */
static py_node *parse_await(parser *P)
{
    if (TT == K_await) {
        const lex_token *t = TOK;
        advance(P);
        parse_enter(P);
        py_node *v = parse_primary(P);
        LEAVE(P);
        py_node *a = mk(P, PY_Await, t);
        a->await.value = v;
        fin(P, a);
        return a;
    }
    return parse_primary(P);
}

static py_node *parse_factor(parser *P);

/* power: await_primary ['**' factor] */
static py_node *parse_power(parser *P)
{
    const lex_token *st0 = TOK;
    py_node *l = parse_await(P);
    if (TT != O_DOUBLESTAR)
        return l;
    advance(P);
    parse_enter(P);
    py_node *r = parse_factor(P);
    LEAVE(P);
    py_node *b = mk(P, PY_BinOp, st0);
    b->binop.left = l;
    b->binop.op = PY_Pow;
    b->binop.right = r;
    fin(P, b);
    return b;
}

/* factor: ('+' | '-' | '~') factor | power */
static py_node *parse_factor(parser *P)
{
    py_unaryop op;
    switch (TT) {
    case O_PLUS: op = PY_UAdd; break;
    case O_MINUS: op = PY_USub; break;
    case O_TILDE: op = PY_Invert; break;
    default: return parse_power(P);
    }
    const lex_token *t = TOK;
    advance(P);
    parse_enter(P);
    py_node *v = parse_factor(P);
    LEAVE(P);
    py_node *u = mk(P, PY_UnaryOp, t);
    u->unaryop.op = op;
    u->unaryop.operand = v;
    fin(P, u);
    return u;
}

/* Binding power of a binary operator token (0: not one). */
static int binop_prec(py_tok t, py_operator *op)
{
    switch (t) {
    case O_VBAR: *op = PY_BitOr; return 1;
    case O_CIRCUMFLEX: *op = PY_BitXor; return 2;
    case O_AMPER: *op = PY_BitAnd; return 3;
    case O_LEFTSHIFT: *op = PY_LShift; return 4;
    case O_RIGHTSHIFT: *op = PY_RShift; return 4;
    case O_PLUS: *op = PY_Add; return 5;
    case O_MINUS: *op = PY_Sub; return 5;
    case O_STAR: *op = PY_Mult; return 6;
    case O_SLASH: *op = PY_Div; return 6;
    case O_DOUBLESLASH: *op = PY_FloorDiv; return 6;
    case O_PERCENT: *op = PY_Mod; return 6;
    case O_AT: *op = PY_MatMult; return 6;
    default: return 0;
    }
}

/* bitwise_or .. term: precedence climbing over | ^ & << >> + - * / // % @ */
static py_node *parse_binary(parser *P, int minprec)
{
    const lex_token *st0 = TOK;
    py_node *l = parse_factor(P);
    for (;;) {
        py_operator op;
        int prec = binop_prec(TT, &op);
        if (prec == 0 || prec < minprec)
            return l;
        advance(P);
        py_node *r = prec < 6 ? parse_binary(P, prec + 1) : parse_factor(P);
        py_node *b = mk(P, PY_BinOp, st0);
        b->binop.left = l;
        b->binop.op = op;
        b->binop.right = r;
        fin(P, b);
        l = b;
    }
}

static py_node *parse_bitor(parser *P)
{
    return parse_binary(P, 1);
}

/* comparison: bitwise_or (compare_op bitwise_or)* */
static py_node *parse_comparison(parser *P)
{
    const lex_token *st0 = TOK;
    py_node *l = parse_bitor(P);
    py_cmpop ops[64], *opv = ops;
    size_t nops = 0, cap = 64;
    size_t mark = P->sp;
    for (;;) {
        py_cmpop op;
        switch (TT) {
        case O_EQEQUAL: op = PY_Eq; break;
        case O_NOTEQUAL:
            if (P->f->src[TOK->start] == '<')
                parse_fail_at(P, TOK, "invalid syntax");
            op = PY_NotEq;
            break;
        case O_LESS: op = PY_Lt; break;
        case O_LESSEQUAL: op = PY_LtE; break;
        case O_GREATER: op = PY_Gt; break;
        case O_GREATEREQUAL: op = PY_GtE; break;
        case K_in: op = PY_In; break;
        case K_is: op = PY_Is; break;
        case K_not:
            if (PEEK(1) != K_in)
                goto done;
            op = PY_NotIn;
            advance(P);
            break;
        default:
            goto done;
        }
        advance(P);
        if (op == PY_Is && accept(P, K_not))
            op = PY_IsNot;
        if (nops == cap) {
            cap *= 2;
            py_cmpop *nv = arena_alloc_n(P->a, cap, sizeof *nv);
            memcpy(nv, opv, nops * sizeof *nv);
            opv = nv;
        }
        opv[nops++] = op;
        spush(P, parse_bitor(P));
    }
done:
    if (nops == 0)
        return l;
    py_node *c = mk(P, PY_Compare, st0);
    c->compare.left = l;
    c->compare.ops = arena_alloc_n(P->a, nops, sizeof *opv);
    memcpy(c->compare.ops, opv, nops * sizeof *opv);
    c->compare.comparators = spop(P, mark);
    fin(P, c);
    return c;
}

/* inversion: 'not' inversion | comparison */
static py_node *parse_inversion(parser *P)
{
    if (TT != K_not)
        return parse_comparison(P);
    const lex_token *t = TOK;
    advance(P);
    parse_enter(P);
    py_node *v = parse_inversion(P);
    LEAVE(P);
    py_node *u = mk(P, PY_UnaryOp, t);
    u->unaryop.op = PY_Not;
    u->unaryop.operand = v;
    fin(P, u);
    return u;
}

/* conjunction: inversion ('and' inversion)*
 * disjunction: conjunction ('or' conjunction)* */
static py_node *parse_boolop(parser *P, int is_or)
{
    const lex_token *st0 = TOK;
    py_node *first = is_or ? parse_boolop(P, 0) : parse_inversion(P);
    py_tok kw = is_or ? K_or : K_and;
    if (TT != kw)
        return first;
    size_t mark = P->sp;
    spush(P, first);
    while (accept(P, kw))
        spush(P, is_or ? parse_boolop(P, 0) : parse_inversion(P));
    py_node *b = mk(P, PY_BoolOp, st0);
    b->boolop.op = is_or ? PY_Or : PY_And;
    b->boolop.values = spop(P, mark);
    fin(P, b);
    return b;
}

static py_node *parse_disjunction(parser *P)
{
    return parse_boolop(P, 1);
}

/* lambdef: 'lambda' [lambda_params] ':' expression */
static py_node *parse_lambda(parser *P)
{
    const lex_token *t = TOK;
    advance(P);
    py_node *l = mk(P, PY_Lambda, t);
    l->lambda.args = parse_arguments(P, 1);
    parse_expect(P, O_COLON);
    parse_enter(P);
    l->lambda.body = parse_expression(P);
    LEAVE(P);
    fin(P, l);
    return l;
}

/* expression: disjunction ['if' disjunction 'else' expression] | lambdef */
static py_node *parse_expression(parser *P)
{
    const lex_token *st0 = TOK;
    if (TT == K_lambda)
        return parse_lambda(P);
    py_node *body = parse_disjunction(P);
    if (TT != K_if)
        return body;
    advance(P);
    py_node *e = mk(P, PY_IfExp, st0);
    e->ifexp.body = body;
    e->ifexp.test = parse_disjunction(P);
    if (TT != K_else)
        parse_fail_at(P, TOK, "expected 'else' after 'if' expression");
    advance(P);
    parse_enter(P);
    e->ifexp.orelse = parse_expression(P);
    LEAVE(P);
    fin(P, e);
    return e;
}

/* named_expression: NAME ':=' expression | expression !':=' */
static py_node *parse_named_expression(parser *P)
{
    if (TT == T_NAME && PEEK(1) == O_COLONEQUAL) {
        const lex_token *t = TOK;
        py_node *target = mk_name(P, t);
        target->name.ctx = PY_Store;
        advance(P);
        advance(P);
        py_node *n = mk(P, PY_NamedExpr, t);
        n->namedexpr.target = target;
        parse_enter(P);
        n->namedexpr.value = parse_expression(P);
        LEAVE(P);
        fin(P, n);
        return n;
    }
    py_node *e = parse_expression(P);
    if (TT == O_COLONEQUAL)
        parse_fail_at(P, TOK, "cannot use assignment expressions with %s", "this expression");
    return e;
}

/* star_expression: '*' bitwise_or | expression
 * star_expressions: star_expression (',' star_expression)* [','] */
static int starts_expression(py_tok t)
{
    switch (t) {
    case T_NAME: case T_NUMBER: case T_STRING: case K_True: case K_False:
    case K_None: case K_not: case K_lambda: case K_await: case O_LPAR:
    case O_LSQB: case O_LBRACE: case O_MINUS: case O_PLUS: case O_TILDE:
    case O_STAR: case O_ELLIPSIS:
        return 1;
    default:
        return 0;
    }
}

static py_node *parse_star_expression(parser *P)
{
    if (TT == O_STAR) {
        const lex_token *t = TOK;
        advance(P);
        py_node *v = parse_bitor(P);
        py_node *s = mk(P, PY_Starred, t);
        s->starred.value = v;
        fin(P, s);
        return s;
    }
    return parse_expression(P);
}

py_node *parse_star_expressions(parser *P)
{
    const lex_token *st0 = TOK;
    py_node *first = parse_star_expression(P);
    if (TT != O_COMMA)
        return first;
    size_t mark = P->sp;
    spush(P, first);
    while (accept(P, O_COMMA)) {
        if (!starts_expression(TT))
            break;
        spush(P, parse_star_expression(P));
    }
    py_node *t = mk(P, PY_Tuple, st0);
    t->list.elts = spop(P, mark);
    return fin(P, t);
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
py_node *parse_yield_expr(parser *P)
{
    const lex_token *t = TOK;
    advance(P);
    if (accept(P, K_from)) {
        py_node *y = mk(P, PY_YieldFrom, t);
        y->await.value = parse_expression(P);
        return fin(P, y);
    }
    py_node *y = mk(P, PY_Yield, t);
    if (starts_expression(TT))
        y->await.value = parse_star_expressions(P);
    return fin(P, y);
}

/* for_if_clauses: (['async'] 'for' star_targets 'in' disjunction ('if' disjunction)*)+ */
static py_list parse_comprehensions(parser *P)
{
    size_t mark = P->sp;
    while (TT == K_for || (TT == K_async && PEEK(1) == K_for)) {
        py_node *c = mk(P, PY_comprehension, TOK);
        if (accept(P, K_async))
            c->comprehension.is_async = 1;
        parse_expect(P, K_for);
        c->comprehension.target = parse_star_targets(P, K_in);
        parse_expect(P, K_in);
        parse_enter(P);
        c->comprehension.iter = parse_disjunction(P);
        size_t m2 = P->sp;
        while (accept(P, K_if))
            spush(P, parse_disjunction(P));
        LEAVE(P);
        c->comprehension.ifs = spop(P, m2);
        fin(P, c);
        spush(P, c);
    }
    return spop(P, mark);
}

/* star_targets: star_target (',' star_target)* [','] with star_target at
 * bitwise_or level (so that 'in' ends the list), then Store context. */
static py_node *parse_star_targets(parser *P, py_tok stop)
{
    const lex_token *start = TOK;
    py_node *first = TT == O_STAR ? parse_star_named(P) : parse_bitor(P);
    py_node *res = first;
    if (TT == O_COMMA) {
        size_t mark = P->sp;
        spush(P, first);
        while (accept(P, O_COMMA)) {
            if (TT == stop || !starts_expression(TT))
                break;
            spush(P, TT == O_STAR ? parse_star_named(P) : parse_bitor(P));
        }
        res = mk(P, PY_Tuple, start);
        res->list.elts = spop(P, mark);
        fin(P, res);
    }
    set_ctx(P, res, PY_Store, start);
    return res;
}

static const char *expr_desc(const py_node *e)
{
    switch (e->kind) {
    case PY_Call: return "function call";
    case PY_Constant:
        switch (e->constant.value) {
        case PY_CONST_NONE: return "None";
        case PY_CONST_TRUE: return "True";
        case PY_CONST_FALSE: return "False";
        case PY_CONST_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    case PY_BinOp: case PY_UnaryOp: return "expression";
    case PY_BoolOp: return "expression";
    case PY_Compare: return "comparison";
    case PY_Lambda: return "lambda";
    case PY_IfExp: return "conditional expression";
    case PY_NamedExpr: return "named expression";
    case PY_Dict: return "dict literal";
    case PY_Set: return "set display";
    case PY_ListComp: return "list comprehension";
    case PY_SetComp: return "set comprehension";
    case PY_DictComp: return "dict comprehension";
    case PY_GeneratorExp: return "generator expression";
    case PY_Await: return "await expression";
    case PY_Yield: case PY_YieldFrom: return "yield expression";
    case PY_JoinedStr: case PY_FormattedValue: return "f-string expression";
    case PY_TemplateStr: case PY_Interpolation: return "t-string expression";
    case PY_Tuple: return "tuple";
    case PY_List: return "list";
    case PY_Starred: return "starred";
    default: return "expression";
    }
}

/* Give an assignment/del target its context; reject what cannot be one. */
static void set_ctx(parser *P, py_node *e, py_expr_context ctx, const lex_token *at)
{
    switch (e->kind) {
    case PY_Name: e->name.ctx = ctx; return;
    case PY_Attribute: e->attribute.ctx = ctx; return;
    case PY_Subscript: e->subscript.ctx = ctx; return;
    case PY_Starred:
        if (ctx == PY_Del)
            break;
        e->starred.ctx = ctx;
        set_ctx(P, e->starred.value, ctx, at);
        return;
    case PY_List:
    case PY_Tuple:
        e->list.ctx = ctx;
        for (int i = 0; i < e->list.elts.n; i++)
            set_ctx(P, e->list.elts.v[i], ctx, at);
        return;
    default:
        break;
    }
    lex_token fake = *at;
    fake.type = T_NAME;
    fake.lineno = e->lineno;
    fake.col = e->col_offset;
    parse_fail_at(P, &fake, "cannot %s %s", ctx == PY_Del ? "delete" : "assign to", expr_desc(e));
}

/* param: NAME [':' expression]   (lambda: NAME only; *args may be '*' expr) */
static py_node *parse_param(parser *P, int lambda, int star)
{
    const lex_token *t = TOK;
    py_node *a = mk(P, PY_arg, t);
    a->arg.arg = parse_ident(P);
    if (!lambda && accept(P, O_COLON)) {
        if (star && TT == O_STAR) {
            const lex_token *st = TOK;
            advance(P);
            py_node *v = parse_expression(P);
            py_node *s = mk(P, PY_Starred, st);
            s->starred.value = v;
            fin(P, s);
            a->arg.annotation = s;
        } else {
            a->arg.annotation = parse_expression(P);
        }
    }
    return fin(P, a);
}

/* parameters / lambda_params, up to ')' or ':' (not consumed) */
static py_node *parse_arguments(parser *P, int lambda)
{
    py_node *args = mk(P, PY_arguments, TOK);
    nvec posonly = {0}, plain = {0}, kwonly = {0}, kwdef = {0}, defs = {0};
    py_tok end = lambda ? O_COLON : O_RPAR;
    int star = 0, seen_default = 0;
    while (TT != end) {
        const lex_token *t = TOK;
        if (accept(P, O_SLASH)) {
            if (star || posonly.n || plain.n == 0)
                parse_fail_at(P, t, "/ must be ahead of *");
            posonly = plain;
            plain = (nvec){0};
        } else if (accept(P, O_STAR)) {
            if (star)
                parse_fail_at(P, t, "* argument may appear only once");
            star = 1;
            if (TT == T_NAME)
                args->arguments.vararg = parse_param(P, lambda, 1);
            else if (TT != O_COMMA)
                parse_fail_at(P, TOK, "named arguments must follow bare *");
        } else if (accept(P, O_DOUBLESTAR)) {
            args->arguments.kwarg = parse_param(P, lambda, 0);
            if (TT == O_COMMA)
                advance(P);
            if (TT != end)
                parse_fail_at(P, TOK, "arguments cannot follow var-keyword argument");
            break;
        } else {
            py_node *a = parse_param(P, lambda, 0);
            py_node *d = NULL;
            if (accept(P, O_EQUAL))
                d = parse_expression(P);
            if (star) {
                nv_push(P, &kwonly, a);
                nv_push(P, &kwdef, d);
            } else {
                nv_push(P, &plain, a);
                if (d) {
                    nv_push(P, &defs, d);
                    seen_default = 1;
                } else if (seen_default) {
                    parse_fail_at(P, t, "non-default argument follows default argument");
                }
            }
        }
        if (!accept(P, O_COMMA))
            break;
    }
    if (TT != end)
        parse_fail_syntax(P);
    args->arguments.posonlyargs = nv_list(&posonly);
    args->arguments.args = nv_list(&plain);
    args->arguments.kwonlyargs = nv_list(&kwonly);
    args->arguments.kw_defaults = nv_list(&kwdef);
    args->arguments.defaults = nv_list(&defs);
    return fin(P, args);
}

/* type_params: '[' ','.type_param+ [','] ']'   (PEP 695, 3.13 defaults) */
static py_list parse_type_params(parser *P)
{
    nvec v = {0};
    if (!accept(P, O_LSQB))
        return nv_list(&v);
    while (TT != O_RSQB) {
        const lex_token *t = TOK;
        py_node *tp;
        if (accept(P, O_STAR)) {
            tp = mk(P, PY_TypeVarTuple, t);
            tp->typevar.name = parse_ident(P);
        } else if (accept(P, O_DOUBLESTAR)) {
            tp = mk(P, PY_ParamSpec, t);
            tp->typevar.name = parse_ident(P);
        } else {
            tp = mk(P, PY_TypeVar, t);
            tp->typevar.name = parse_ident(P);
            if (accept(P, O_COLON))
                tp->typevar.bound = parse_expression(P);
        }
        if (accept(P, O_EQUAL))
            tp->typevar.default_value = TT == O_STAR ? parse_star_named(P) : parse_expression(P);
        nv_push(P, &v, fin(P, tp));
        if (!accept(P, O_COMMA))
            break;
    }
    parse_expect(P, O_RSQB);
    if (v.n == 0)
        parse_fail_at(P, &P->t[P->i - 1], "Type parameter list cannot be empty");
    return nv_list(&v);
}

/* ---- simple statements ---- */

static py_node *parse_rhs(parser *P)
{
    return TT == K_yield ? parse_yield_expr(P) : parse_star_expressions(P);
}

static int augassign_op(py_tok t, py_operator *op)
{
    switch (t) {
    case O_PLUSEQUAL: *op = PY_Add; return 1;
    case O_MINEQUAL: *op = PY_Sub; return 1;
    case O_STAREQUAL: *op = PY_Mult; return 1;
    case O_ATEQUAL: *op = PY_MatMult; return 1;
    case O_SLASHEQUAL: *op = PY_Div; return 1;
    case O_PERCENTEQUAL: *op = PY_Mod; return 1;
    case O_AMPEREQUAL: *op = PY_BitAnd; return 1;
    case O_VBAREQUAL: *op = PY_BitOr; return 1;
    case O_CIRCUMFLEXEQUAL: *op = PY_BitXor; return 1;
    case O_LEFTSHIFTEQUAL: *op = PY_LShift; return 1;
    case O_RIGHTSHIFTEQUAL: *op = PY_RShift; return 1;
    case O_DOUBLESTAREQUAL: *op = PY_Pow; return 1;
    case O_DOUBLESLASHEQUAL: *op = PY_FloorDiv; return 1;
    default: return 0;
    }
}

static int single_target(const py_node *e)
{
    return e->kind == PY_Name || e->kind == PY_Attribute || e->kind == PY_Subscript;
}

/* assignment | star_expressions */
static py_node *parse_expr_stmt(parser *P)
{
    const lex_token *start = TOK;
    if (TT == T_NAME && (start->ident == P->id_print || strcmp(start->ident, "exec") == 0) &&
        (PEEK(1) == T_STRING || PEEK(1) == T_NAME || PEEK(1) == T_NUMBER)) {
        parse_fail_at(P, start, "Missing parentheses in call to '%s'. Did you mean %s(...)?",
                start->ident, start->ident);
    }
    py_node *e = parse_rhs(P);
    py_operator op;
    if (TT == O_COLON) {
        advance(P);
        if (!single_target(e)) {
            if (e->kind == PY_Tuple)
                parse_fail_at(P, start, "only single target (not tuple) can be annotated");
            if (e->kind == PY_List)
                parse_fail_at(P, start, "only single target (not list) can be annotated");
            parse_fail_at(P, start, "illegal target for annotation");
        }
        py_node *s = mk(P, PY_AnnAssign, start);
        set_ctx(P, e, PY_Store, start);
        s->annassign.target = e;
        s->annassign.simple = e->kind == PY_Name && start->type != O_LPAR;
        s->annassign.annotation = parse_expression(P);
        if (accept(P, O_EQUAL))
            s->annassign.value = parse_rhs(P);
        return fin(P, s);
    }
    if (TT == O_EQUAL) {
        size_t mark = P->sp;
        py_node *s = mk(P, PY_Assign, start);
        spush(P, e);
        py_node *v = NULL;
        while (accept(P, O_EQUAL)) {
            v = parse_rhs(P);
            if (TT == O_EQUAL)
                spush(P, v);
        }
        for (size_t k = mark; k < P->sp; k++) {
            if (P->stk[k]->kind == PY_Yield || P->stk[k]->kind == PY_YieldFrom)
                parse_fail_at(P, start, "assignment to yield expression not possible");
            set_ctx(P, P->stk[k], PY_Store, start);
        }
        s->assign.targets = spop(P, mark);
        s->assign.value = v;
        return fin(P, s);
    }
    if (augassign_op(TT, &op)) {
        if (!single_target(e))
            parse_fail_at(P, start, "'%s' is an illegal expression for augmented assignment",
                    expr_desc(e));
        advance(P);
        py_node *s = mk(P, PY_AugAssign, start);
        set_ctx(P, e, PY_Store, start);
        s->augassign.target = e;
        s->augassign.op = op;
        s->augassign.value = parse_rhs(P);
        return fin(P, s);
    }
    py_node *s = mk(P, PY_Expr, start);
    s->expr.value = e;
    return fin(P, s);
}

/* dotted_name: NAME ('.' NAME)*, interned whole */
static const char *parse_dotted(parser *P)
{
    const lex_token *t = TOK;
    const char *first = parse_ident(P);
    if (TT != O_DOT)
        return first;
    size_t mark = P->sbuf.len;
    buf_append(&P->sbuf, first, ident_len(first));
    while (accept(P, O_DOT)) {
        buf_putc(&P->sbuf, '.');
        const char *n = parse_ident(P);
        buf_append(&P->sbuf, n, ident_len(n));
    }
    (void)t;
    const char *r = intern(P->in, P->sbuf.data + mark, P->sbuf.len - mark);
    P->sbuf.len = mark;
    return r;
}

static py_node *parse_alias(parser *P, int dotted)
{
    const lex_token *t = TOK;
    py_node *a = mk(P, PY_alias, t);
    a->alias.name = dotted ? parse_dotted(P) : parse_ident(P);
    if (accept(P, K_as))
        a->alias.asname = parse_ident(P);
    return fin(P, a);
}

static py_node *parse_import(parser *P)
{
    const lex_token *t = TOK;
    py_node *s;
    if (accept(P, K_import)) {
        s = mk(P, PY_Import, t);
        size_t mark = P->sp;
        do
            spush(P, parse_alias(P, 1));
        while (accept(P, O_COMMA));
        s->import.names = spop(P, mark);
        return fin(P, s);
    }
    parse_expect(P, K_from);
    s = mk(P, PY_ImportFrom, t);
    int level = 0;
    for (;;) {
        if (accept(P, O_DOT))
            level++;
        else if (accept(P, O_ELLIPSIS))
            level += 3;
        else
            break;
    }
    if (TT != K_import)
        s->importfrom.module = parse_dotted(P);
    else if (level == 0)
        parse_fail_syntax(P);
    s->importfrom.level = level;
    parse_expect(P, K_import);
    size_t mark = P->sp;
    if (TT == O_STAR) {
        py_node *a = mk(P, PY_alias, TOK);
        a->alias.name = intern(P->in, "*", 1);
        advance(P);
        spush(P, fin(P, a));
    } else if (accept(P, O_LPAR)) {
        do {
            if (TT == O_RPAR)
                break;
            spush(P, parse_alias(P, 0));
        } while (accept(P, O_COMMA));
        parse_expect(P, O_RPAR);
    } else {
        do
            spush(P, parse_alias(P, 0));
        while (accept(P, O_COMMA));
        if (P->sp > mark && TT == O_COMMA)
            parse_fail_at(P, TOK, "trailing comma not allowed without surrounding parentheses");
    }
    s->importfrom.names = spop(P, mark);
    return fin(P, s);
}

static py_node *parse_del(parser *P)
{
    const lex_token *t = TOK;
    advance(P);
    py_node *s = mk(P, PY_Delete, t);
    size_t mark = P->sp;
    do {
        if (TT == T_NEWLINE || TT == O_SEMI)
            break;
        py_node *e = parse_bitor(P);
        set_ctx(P, e, PY_Del, t);
        spush(P, e);
    } while (accept(P, O_COMMA));
    if (P->sp == mark)
        parse_fail_syntax(P);
    s->delete.targets = spop(P, mark);
    return fin(P, s);
}

static py_node *parse_simple_stmt(parser *P)
{
    const lex_token *t = TOK;
    py_node *s;
    switch (t->type) {
    case K_pass: advance(P); return fin(P, mk(P, PY_Pass, t));
    case K_break: advance(P); return fin(P, mk(P, PY_Break, t));
    case K_continue: advance(P); return fin(P, mk(P, PY_Continue, t));
    case K_return:
        advance(P);
        s = mk(P, PY_Return, t);
        if (starts_expression(TT))
            s->return_.value = parse_star_expressions(P);
        return fin(P, s);
    case K_raise:
        advance(P);
        s = mk(P, PY_Raise, t);
        if (starts_expression(TT)) {
            s->raise.exc = parse_expression(P);
            if (accept(P, K_from))
                s->raise.cause = parse_expression(P);
        }
        return fin(P, s);
    case K_global:
    case K_nonlocal: {
        advance(P);
        s = mk(P, t->type == K_global ? PY_Global : PY_Nonlocal, t);
        nvec v = {0};
        do
            nv_push(P, &v, (py_node *)(void *)parse_ident(P));
        while (accept(P, O_COMMA));
        s->global.names.v = (const char **)(void *)v.v;
        s->global.names.n = v.n;
        return fin(P, s);
    }
    case K_del:
        return parse_del(P);
    case K_assert:
        advance(P);
        s = mk(P, PY_Assert, t);
        s->assert.test = parse_expression(P);
        if (accept(P, O_COMMA))
            s->assert.msg = parse_expression(P);
        return fin(P, s);
    case K_import:
    case K_from:
        return parse_import(P);
    case T_NAME:
        /* type_alias: "type" NAME [type_params] '=' expression */
        if (t->ident == P->id_type && PEEK(1) == T_NAME &&
            (PEEK(2) == O_EQUAL || PEEK(2) == O_LSQB)) {
            advance(P);
            s = mk(P, PY_TypeAlias, t);
            const lex_token *nt = TOK;
            py_node *nm = mk_name(P, nt);
            nm->name.ctx = PY_Store;
            advance(P);
            s->typealias.name = nm;
            s->typealias.type_params = parse_type_params(P);
            parse_expect(P, O_EQUAL);
            s->typealias.value = parse_expression(P);
            return fin(P, s);
        }
        return parse_expr_stmt(P);
    default:
        return parse_expr_stmt(P);
    }
}

/* simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static void parse_simple_stmts(parser *P)
{
    for (;;) {
        spush_stmt(P, parse_simple_stmt(P));
        if (!accept(P, O_SEMI))
            break;
        if (TT == T_NEWLINE)
            break;
    }
    if (TT != T_NEWLINE)
        parse_fail_syntax(P);
    P->lse_line = P->t[P->i - 1].end_lineno;
    P->lse_col = P->t[P->i - 1].end_col;
    advance(P);
}

/* ---- compound statements ---- */

static py_node *last_stmt(py_list l)
{
    return l.n ? l.v[l.n - 1] : NULL;
}

static void end_at_block(parser *P, py_node *s, py_list l)
{
    py_node *last = last_stmt(l);
    if (!last) {
        fin(P, s);
        return;
    }
    end_as(s, last);
    /* a trailing ';' after a block's last simple statement counts (CPython) */
    if (last->end_lineno == P->lse_line && last->end_col_offset < P->lse_col &&
        !(last->kind >= PY_FunctionDef && last->kind <= PY_ClassDef) && last->kind != PY_For &&
        last->kind != PY_AsyncFor && last->kind != PY_While && last->kind != PY_If &&
        last->kind != PY_With && last->kind != PY_AsyncWith && last->kind != PY_Match &&
        last->kind != PY_Try && last->kind != PY_TryStar)
        s->end_col_offset = P->lse_col;
}

static py_node *parse_if(parser *P, const lex_token *t)
{
    advance(P); /* 'if' or 'elif' */
    py_node *s = mk(P, PY_If, t);
    s->if_.test = parse_named_expression(P);
    parse_expect(P, O_COLON);
    s->if_.body = parse_block(P, t, t->type == K_if ? "'if' statement" : "'elif' statement");
    end_at_block(P, s, s->if_.body);
    if (TT == K_elif) {
        py_node *e = parse_if(P, TOK);
        ast_link_stmt(e, P->link); /* not pushed through spush_stmt */
        s->if_.orelse = list1(P, e);
        end_as(s, e);
    } else if (TT == K_else) {
        const lex_token *et = TOK;
        advance(P);
        parse_expect(P, O_COLON);
        s->if_.orelse = parse_block(P, et, "'else' statement");
        end_at_block(P, s, s->if_.orelse);
    }
    return s;
}

static py_node *parse_while(parser *P)
{
    const lex_token *t = TOK;
    advance(P);
    py_node *s = mk(P, PY_While, t);
    s->while_.test = parse_named_expression(P);
    parse_expect(P, O_COLON);
    s->while_.body = parse_block(P, t, "'while' statement");
    end_at_block(P, s, s->while_.body);
    if (TT == K_else) {
        const lex_token *et = TOK;
        advance(P);
        parse_expect(P, O_COLON);
        s->while_.orelse = parse_block(P, et, "'else' statement");
        end_at_block(P, s, s->while_.orelse);
    }
    return s;
}

static py_node *parse_for(parser *P, const lex_token *t, int is_async)
{
    parse_expect(P, K_for);
    py_node *s = mk(P, is_async ? PY_AsyncFor : PY_For, t);
    s->for_.target = parse_star_targets(P, K_in);
    parse_expect(P, K_in);
    s->for_.iter = parse_star_expressions(P);
    parse_expect(P, O_COLON);
    s->for_.body = parse_block(P, t, "'for' statement");
    end_at_block(P, s, s->for_.body);
    if (TT == K_else) {
        const lex_token *et = TOK;
        advance(P);
        parse_expect(P, O_COLON);
        s->for_.orelse = parse_block(P, et, "'else' statement");
        end_at_block(P, s, s->for_.orelse);
    }
    return s;
}

static py_node *parse_withitem(parser *P)
{
    py_node *e = parse_expression(P);
    py_node *w = mk_from(P, PY_withitem, e);
    w->withitem.context_expr = e;
    if (accept(P, K_as)) {
        const lex_token *st = TOK;
        py_node *v = parse_bitor(P); /* star_target: no bare tuple here */
        set_ctx(P, v, PY_Store, st);
        w->withitem.optional_vars = v;
    }
    return fin(P, w);
}

/* Index of the token closing the bracket at index i, or 0. */
static size_t matching_close(parser *P, size_t i)
{
    int depth = 0;
    for (size_t k = i; k < P->n; k++) {
        py_tok t = P->t[k].type;
        if (t == O_LPAR || t == O_LSQB || t == O_LBRACE)
            depth++;
        else if (t == O_RPAR || t == O_RSQB || t == O_RBRACE) {
            if (--depth == 0)
                return k;
        } else if (t == T_NEWLINE || t == T_EOF)
            return 0;
    }
    return 0;
}

static py_node *parse_with(parser *P, const lex_token *t, int is_async)
{
    parse_expect(P, K_with);
    py_node *s = mk(P, is_async ? PY_AsyncWith : PY_With, t);
    size_t mark = P->sp;
    size_t close;
    if (TT == O_LPAR && (close = matching_close(P, P->i)) && P->t[close + 1].type == O_COLON) {
        /* '(' ','.with_item+ ','? ')' ':' -- unless it is a plain group/tuple
         * expression, which CPython also reads as with-items */
        advance(P);
        while (TT != O_RPAR) {
            spush(P, parse_withitem(P));
            if (!accept(P, O_COMMA))
                break;
        }
        parse_expect(P, O_RPAR);
    } else {
        do
            spush(P, parse_withitem(P));
        while (accept(P, O_COMMA));
    }
    s->with.items = spop(P, mark);
    parse_expect(P, O_COLON);
    s->with.body = parse_block(P, t, "'with' statement");
    end_at_block(P, s, s->with.body);
    return s;
}

static py_node *parse_try(parser *P)
{
    const lex_token *t = TOK;
    advance(P);
    parse_expect(P, O_COLON);
    py_node *s = mk(P, PY_Try, t);
    s->try_.body = parse_block(P, t, "'try' statement");
    end_at_block(P, s, s->try_.body);
    size_t mark = P->sp;
    int star = -1;
    while (TT == K_except) {
        const lex_token *et = TOK;
        advance(P);
        int is_star = accept(P, O_STAR);
        if (star >= 0 && star != is_star)
            parse_fail_at(P, et, "cannot have both 'except' and 'except*' on the same 'try'");
        star = is_star;
        py_node *h = mk(P, PY_ExceptHandler, et);
        if (TT != O_COLON) {
            const lex_token *t0 = TOK;
            h->excepthandler.type = parse_expression(P);
            if (TT == O_COMMA) {
                /* except A, B: -- PEP 758 (3.14): an unparenthesized tuple,
                 * allowed only without `as` */
                size_t tm = P->sp;
                spush(P, h->excepthandler.type);
                while (accept(P, O_COMMA)) {
                    if (!starts_expression(TT)) break;
                    spush(P, parse_expression(P));
                }
                py_node *tup = mk(P, PY_Tuple, t0);
                tup->list.elts = spop(P, tm);
                h->excepthandler.type = fin(P, tup);
                if (TT == K_as)
                    parse_fail_at(P, t0, "multiple exception types must be parenthesized when using 'as'");
            } else if (accept(P, K_as)) {
                h->excepthandler.name = parse_ident(P);
            }
        } else if (is_star) {
            parse_fail_at(P, TOK, "expected one or more exception types");
        }
        parse_expect(P, O_COLON);
        h->excepthandler.body = parse_block(P, et, "'except' statement");
        end_at_block(P, h, h->excepthandler.body);
        spush(P, h);
        end_as(s, h);
    }
    s->try_.handlers = spop(P, mark);
    if (star == 1)
        s->kind = PY_TryStar;
    if (TT == K_else) {
        const lex_token *et = TOK;
        if (s->try_.handlers.n == 0)
            parse_fail_at(P, et, "expected 'except' or 'finally' block");
        advance(P);
        parse_expect(P, O_COLON);
        s->try_.orelse = parse_block(P, et, "'else' statement");
        end_at_block(P, s, s->try_.orelse);
    }
    if (TT == K_finally) {
        const lex_token *ft = TOK;
        advance(P);
        parse_expect(P, O_COLON);
        s->try_.finalbody = parse_block(P, ft, "'finally' statement");
        end_at_block(P, s, s->try_.finalbody);
    }
    if (s->try_.handlers.n == 0 && s->try_.finalbody.n == 0)
        parse_fail_at(P, TOK, "expected 'except' or 'finally' block");
    return s;
}

static py_node *parse_funcdef(parser *P, const lex_token *t, py_list decos, int is_async)
{
    const lex_token *kw = TOK;
    parse_expect(P, K_def);
    py_node *s = mk(P, is_async ? PY_AsyncFunctionDef : PY_FunctionDef, t);
    s->functiondef.name = parse_ident(P);
    s->functiondef.type_params = parse_type_params(P);
    parse_expect(P, O_LPAR);
    s->functiondef.args = parse_arguments(P, 0);
    parse_expect(P, O_RPAR);
    if (accept(P, O_RARROW))
        s->functiondef.returns = parse_expression(P);
    parse_expect(P, O_COLON);
    s->functiondef.decorator_list = decos;
    s->functiondef.body = parse_block(P, kw, "function definition");
    end_at_block(P, s, s->functiondef.body);
    return s;
}

static py_node *parse_classdef(parser *P, const lex_token *t, py_list decos)
{
    const lex_token *kw = TOK;
    parse_expect(P, K_class);
    py_node *s = mk(P, PY_ClassDef, t);
    s->classdef.name = parse_ident(P);
    s->classdef.type_params = parse_type_params(P);
    if (TT == O_LPAR) {
        parse_enter(P);
        advance(P);
        py_node tmp;
        memset(&tmp, 0, sizeof tmp);
        parse_call_args(P, &tmp);
        parse_expect(P, O_RPAR);
        LEAVE(P);
        s->classdef.bases = tmp.call.args;
        s->classdef.keywords = tmp.call.keywords;
    }
    parse_expect(P, O_COLON);
    s->classdef.decorator_list = decos;
    s->classdef.body = parse_block(P, kw, "class definition");
    end_at_block(P, s, s->classdef.body);
    return s;
}

static py_node *parse_match(parser *P)
{
    const lex_token *t = TOK;
    advance(P);
    py_node *s = mk(P, PY_Match, t);
    const lex_token *subj = TOK;
    /* subject_expr: star_named_expression ',' star_named_expressions? | named_expression */
    py_node *first = parse_star_named(P);
    if (TT == O_COMMA) {
        size_t mark = P->sp;
        spush(P, first);
        while (accept(P, O_COMMA)) {
            if (TT == O_COLON)
                break;
            spush(P, parse_star_named(P));
        }
        py_node *tup = mk(P, PY_Tuple, subj);
        tup->list.elts = spop(P, mark);
        first = fin(P, tup);
    }
    s->match.subject = first;
    parse_expect(P, O_COLON);
    if (TT != T_NEWLINE)
        parse_fail_syntax(P);
    advance(P);
    if (TT != T_INDENT)
        parse_fail_at(P, TOK, "expected an indented block after 'match' statement on line %d", t->lineno);
    advance(P);
    size_t mark = P->sp;
    while (TT != T_DEDENT && TT != T_EOF) {
        const lex_token *ct = TOK;
        if (TT != T_NAME || ct->ident != P->id_case)
            parse_fail_syntax(P);
        advance(P);
        py_node *c = mk(P, PY_match_case, ct);
        c->match_case.pattern = parse_patterns(P);
        if (accept(P, K_if))
            c->match_case.guard = parse_named_expression(P);
        parse_expect(P, O_COLON);
        c->match_case.body = parse_block(P, ct, "'case' statement");
        end_at_block(P, c, c->match_case.body);
        spush(P, c);
    }
    accept(P, T_DEDENT);
    s->match.cases = spop(P, mark);
    if (s->match.cases.n)
        end_as(s, s->match.cases.v[s->match.cases.n - 1]);
    return s;
}

/* Is the logical line starting at the current token a `match` statement?
 * Only a compound statement's line ends with ':'; `match` followed by an
 * expression start and ending in ':' before the NEWLINE is one. */
static int looks_like_match(parser *P)
{
    py_tok nx = PEEK(1);
    if (starts_expression(nx)) {
        int depth = 0;
        for (size_t k = P->i + 1; k < P->n; k++) {
            py_tok t = P->t[k].type;
            if (t == O_LPAR || t == O_LSQB || t == O_LBRACE)
                depth++;
            else if (t == O_RPAR || t == O_RSQB || t == O_RBRACE)
                depth--;
            else if (t == T_NEWLINE || t == T_EOF)
                return k > 0 && P->t[k - 1].type == O_COLON && depth == 0;
        }
    }
    return 0;
}

/* statement: compound_stmt | simple_stmts -- pushes onto the scratch stack */
static void parse_statement(parser *P)
{
    const lex_token *t = TOK;
    switch (t->type) {
    case K_if: spush_stmt(P, parse_if(P, t)); return;
    case K_while: spush_stmt(P, parse_while(P)); return;
    case K_for: spush_stmt(P, parse_for(P, t, 0)); return;
    case K_try: spush_stmt(P, parse_try(P)); return;
    case K_with: spush_stmt(P, parse_with(P, t, 0)); return;
    case K_def: spush_stmt(P, parse_funcdef(P, t, (py_list){0}, 0)); return;
    case K_class: spush_stmt(P, parse_classdef(P, t, (py_list){0})); return;
    case K_async:
        advance(P);
        if (TT == K_def)
            spush_stmt(P, parse_funcdef(P, t, (py_list){0}, 1));
        else if (TT == K_for)
            spush_stmt(P, parse_for(P, t, 1));
        else if (TT == K_with)
            spush_stmt(P, parse_with(P, t, 1));
        else
            parse_fail_syntax(P);
        return;
    case O_AT: {
        size_t mark = P->sp;
        while (accept(P, O_AT)) {
            spush(P, parse_named_expression(P));
            if (TT != T_NEWLINE)
                parse_fail_syntax(P);
            advance(P);
        }
        py_list decos = spop(P, mark);
        const lex_token *st = TOK;
        if (TT == K_def)
            spush_stmt(P, parse_funcdef(P, st, decos, 0));
        else if (TT == K_class)
            spush_stmt(P, parse_classdef(P, st, decos));
        else if (TT == K_async && PEEK(1) == K_def) {
            advance(P);
            spush_stmt(P, parse_funcdef(P, st, decos, 1));
        } else
            parse_fail_syntax(P);
        return;
    }
    case T_INDENT:
        parse_fail_at(P, t, "unexpected indent");
    case K_elif:
    case K_else:
    case K_except:
    case K_finally:
        parse_fail_at(P, t, "invalid syntax");
    case T_NAME:
        if (t->ident == P->id_match && looks_like_match(P)) {
            spush_stmt(P, parse_match(P));
            return;
        }
        break;
    default:
        break;
    }
    parse_simple_stmts(P);
}

/* Skip the rest of a broken statement: to the end of its logical line and
 * over any block indented under it. */
static void recover(parser *P, size_t stmt_start)
{
    if (TT == T_EOF || TT == T_DEDENT)
        return;
    int at_line_start = P->i > stmt_start && P->t[P->i - 1].type == T_NEWLINE && TT != T_INDENT;
    if (!at_line_start) {
        while (TT != T_NEWLINE && TT != T_EOF)
            advance(P);
        accept(P, T_NEWLINE);
    }
    while (TT == T_INDENT) {
        int depth = 0;
        do {
            if (TT == T_INDENT)
                depth++;
            else if (TT == T_DEDENT)
                depth--;
            if (TT == T_EOF)
                return;
            advance(P);
        } while (depth > 0);
    }
}

/* statements until DEDENT (block) or EOF (module), with error recovery */
static py_list parse_stmt_list(parser *P)
{
    jmp_buf jb;
    jmp_buf *volatile saved = P->jb;
    volatile size_t mark = P->sp;
    volatile size_t top = P->sp;
    volatile size_t stmt_start = P->i;
    volatile int depth = P->depth;
    P->jb = &jb;
    if (setjmp(jb)) {
        if (P->in_sub) {
            P->t = P->main_t;
            P->n = P->main_n;
            P->i = P->sub_owner;
            P->in_sub = 0;
        }
        P->sp = top;
        P->depth = depth;
        P->sbuf.len = 0;
        recover(P, stmt_start);
        if (P->i == stmt_start && TT != T_EOF && TT != T_DEDENT)
            advance(P);
    }
    while (TT != T_EOF && TT != T_DEDENT) {
        stmt_start = P->i;
        parse_statement(P);
        top = P->sp;
    }
    P->jb = saved;
    return spop(P, mark);
}

/* block: NEWLINE INDENT statements DEDENT | simple_stmts */
static py_list parse_block(parser *P, const lex_token *owner, const char *what)
{
    if (TT != T_NEWLINE) {
        size_t mark = P->sp;
        parse_simple_stmts(P);
        return spop(P, mark);
    }
    advance(P);
    if (TT != T_INDENT)
        parse_fail_at(P, TOK, "expected an indented block after %s on line %d", what, owner->lineno);
    advance(P);
    parse_enter(P);
    py_list l = parse_stmt_list(P);
    LEAVE(P);
    accept(P, T_DEDENT);
    return l;
}

/* ---- entry ---- */

/* PEP 263: decode a file with a coding cookie into the arena, as CPython
 * does before it tokenizes (coding.h).  Bytes that cannot be decoded are
 * kept as they are, so the rest of the file is still read. */
static const unsigned char *decode_source(arena *a, const char *path, const unsigned char *src,
                                          size_t *len, diag_list *errors)
{
    char name[64];
    int line;
    if (!*len || *len > PY_MAX_FILE || !coding_cookie(src, *len, name, sizeof name, &line))
        return src;
    const coding_info *ci = coding_lookup(name);
    if (!ci) {
        if (errors)
            diag_add(errors, DIAG_ERROR, path, line, 1, "unknown encoding: %s", name);
        return src;
    }
    if (ci->dec == CD_UTF8 || ci->dec == CD_RAW || ci->dec == CD_NONE)
        return src;
    buf b;
    buf_init(&b, 0);
    if (coding_decode(ci, src, *len, &b)) {
        buf_free(&b);
        return src;
    }
    unsigned char *u = arena_alloc(a, b.len + 1);
    memcpy(u, b.data, b.len + 1);
    *len = b.len;
    buf_free(&b);
    return u;
}

py_module *py_parse(arena *a, interner *in, const char *path, const unsigned char *src,
                    size_t len, diag_list *errors)
{
    src = decode_source(a, path, src, &len, errors);
    return py_parse_decoded(a, in, path, src, len, errors);
}

py_module *py_parse_decoded(arena *a, interner *in, const char *path, const unsigned char *src,
                            size_t len, diag_list *errors)
{
    py_module *m = arena_alloc(a, sizeof *m);
    m->path = path;
    parser *P = xcalloc(1, sizeof *P);
    lex_file *f = arena_alloc(a, sizeof *f);
    if (len > PY_MAX_FILE) {
        lex_file_init(f, a, in, path, src, 0, NULL);
        if (errors)
            diag_add(errors, DIAG_ERROR, path, 1, 1, "file too large to parse (%zu bytes, limit %d MB)",
                     len, PY_MAX_FILE >> 20);
        m->nerrors = 1;
        len = 0;
    }
    lex_file_init(f, a, in, path, src, len, errors);
    lex_tokens toks;
    lex_all(f, &toks);
    P->f = f;
    P->a = a;
    P->in = in;
    P->t = P->main_t = toks.v;
    P->n = P->main_n = toks.n;
    buf_init(&P->sbuf, 0);
    buf_putc(&P->sbuf, 0);
    P->sbuf.len = 0;
    P->id_print = intern(in, "print", 5);
    P->id_match = intern(in, "match", 5);
    P->id_case = intern(in, "case", 4);
    P->id_type = intern(in, "type", 4);
    P->id_underscore = intern(in, "_", 1);
    P->link = ast_link_scratch_new();

    py_node *mod = arena_alloc(a, ast_node_size(PY_Module));
    P->node_bytes += ast_node_size(PY_Module);
    mod->kind = PY_Module;
    mod->lineno = 1;
    mod->module.body = parse_stmt_list(P);
    m->node = mod;
    m->comments = toks.comments;
    m->ncomments = toks.ncomments;
    m->nlines = toks.nlines;
    m->nerrors += f->nerrors;
    m->node_bytes = P->node_bytes;
    if (f->nerrors > PY_MAX_ERRORS && errors)
        diag_add(errors, DIAG_ERROR, path, m->nlines > 0 ? m->nlines : 1, 1,
                 "and %d more syntax errors (the first %d are shown)", f->nerrors - PY_MAX_ERRORS,
                 PY_MAX_ERRORS);
    lex_tokens_release(&toks);
    free(P->stk);
    buf_free(&P->sbuf);
    ast_link_scratch_free(P->link);
    free(P);
    for (int i = 0; i < mod->module.body.n; i++)
        mod->module.body.v[i]->parent = mod;
    return m;
}

const py_comment *py_comment_at(const py_module *m, int lineno)
{
    size_t lo = 0, hi = m->ncomments;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->comments[mid].lineno < lineno)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->ncomments && m->comments[lo].lineno == lineno ? &m->comments[lo] : NULL;
}
