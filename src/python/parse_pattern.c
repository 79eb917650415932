/* parse_pattern.c - match statement patterns (PEP 634): literal, capture,
 * wildcard, value, group, sequence, mapping, class, or- and as-patterns,
 * as the CPython grammar's `patterns` rule. */
#include "parse_int.h"

static py_node *parse_pattern(parser *P);

static py_node *mk_matchas(parser *P, const lex_token *t, py_node *pat, const char *name)
{
    py_node *m = mk(P, PY_MatchAs, t);
    m->matchas.pattern = pat;
    m->matchas.name = name;
    return m;
}

/* signed_number ['+'|'-' NUMBER] | strings | None | True | False */
static py_node *parse_literal_expr(parser *P)
{
    const lex_token *t = TOK;
    if (TT == T_STRING) {
        py_node *s = parse_strings(P);
        if (s->kind == PY_JoinedStr)
            parse_fail_at(P, t, "patterns may only match literals and attribute lookups");
        return s;
    }
    py_node *num;
    if (TT == O_MINUS) {
        advance(P);
        if (TT != T_NUMBER)
            parse_fail_syntax(P);
        py_node *v = parse_number(P);
        num = mk(P, PY_UnaryOp, t);
        num->unaryop.op = PY_USub;
        num->unaryop.operand = v;
        end_as(num, v);
    } else if (TT == T_NUMBER) {
        num = parse_number(P);
    } else {
        parse_fail_syntax(P);
    }
    if (TT == O_PLUS || TT == O_MINUS) {
        py_operator op = TT == O_PLUS ? PY_Add : PY_Sub;
        advance(P);
        if (TT != T_NUMBER)
            parse_fail_syntax(P);
        py_node *r = parse_number(P);
        py_node *b = mk_from(P, PY_BinOp, num);
        b->binop.left = num;
        b->binop.op = op;
        b->binop.right = r;
        end_as(b, r);
        return b;
    }
    return num;
}

/* name_or_attr: NAME ('.' NAME)* as a Load expression */
static py_node *parse_name_or_attr(parser *P)
{
    const lex_token *t = TOK;
    py_node *e = mk_name(P, t);
    advance(P);
    while (accept(P, O_DOT)) {
        py_node *a = mk_from(P, PY_Attribute, e);
        a->attribute.value = e;
        a->attribute.attr = parse_ident(P);
        e = fin(P, a);
    }
    return e;
}

/* star_pattern: '*' NAME   (a '*_' is MatchStar without a name) */
static py_node *parse_maybe_star_pattern(parser *P)
{
    if (TT == O_STAR) {
        const lex_token *t = TOK;
        advance(P);
        py_node *m = mk(P, PY_MatchStar, t);
        const char *n = parse_ident(P);
        m->matchas.name = n == P->id_underscore ? NULL : n;
        return fin(P, m);
    }
    return parse_pattern(P);
}

/* closed_pattern */
static py_node *parse_closed_pattern(parser *P)
{
    const lex_token *t = TOK;
    switch (TT) {
    case K_None:
    case K_True:
    case K_False: {
        py_node *m = mk(P, PY_MatchSingleton, t);
        m->matchvalue.value = parse_atom(P);
        return fin(P, m);
    }
    case T_NUMBER:
    case T_STRING:
    case O_MINUS: {
        py_node *m = mk(P, PY_MatchValue, t);
        m->matchvalue.value = parse_literal_expr(P);
        return fin(P, m);
    }
    case O_LPAR:
    case O_LSQB: {
        py_tok close = TT == O_LPAR ? O_RPAR : O_RSQB;
        parse_enter(P);
        advance(P);
        size_t mark = P->sp;
        int commas = 0;
        while (TT != close) {
            spush(P, parse_maybe_star_pattern(P));
            if (!accept(P, O_COMMA))
                break;
            commas++;
        }
        parse_expect(P, close);
        LEAVE(P);
        if (close == O_RPAR && P->sp - mark == 1 && commas == 0 &&
            P->stk[mark]->kind != PY_MatchStar) {
            py_node *g = P->stk[mark];
            P->sp = mark;
            return g; /* a group */
        }
        py_node *m = mk(P, PY_MatchSequence, t);
        m->matchsequence.patterns = spop(P, mark);
        return fin(P, m);
    }
    case O_LBRACE: {
        parse_enter(P);
        advance(P);
        py_node *m = mk(P, PY_MatchMapping, t);
        nvec keys = {0}, pats = {0};
        while (TT != O_RBRACE) {
            if (accept(P, O_DOUBLESTAR)) {
                m->matchmapping.rest = parse_ident(P);
                accept(P, O_COMMA);
                break;
            }
            py_node *k;
            if (TT == T_NAME)
                k = parse_name_or_attr(P);
            else if (TT == K_None || TT == K_True || TT == K_False)
                k = parse_atom(P);
            else
                k = parse_literal_expr(P);
            nv_push(P, &keys, k);
            parse_expect(P, O_COLON);
            nv_push(P, &pats, parse_pattern(P));
            if (!accept(P, O_COMMA))
                break;
        }
        parse_expect(P, O_RBRACE);
        LEAVE(P);
        m->matchmapping.keys = nv_list(&keys);
        m->matchmapping.patterns = nv_list(&pats);
        return fin(P, m);
    }
    case T_NAME: {
        if (PEEK(1) != O_DOT && PEEK(1) != O_LPAR) {
            advance(P);
            const char *n = t->ident;
            return fin(P, mk_matchas(P, t, NULL, n == P->id_underscore ? NULL : n));
        }
        py_node *e = parse_name_or_attr(P);
        if (TT != O_LPAR) {
            py_node *m = mk(P, PY_MatchValue, t);
            m->matchvalue.value = e;
            return fin(P, m);
        }
        /* class_pattern */
        parse_enter(P);
        advance(P);
        py_node *m = mk(P, PY_MatchClass, t);
        m->matchclass.cls = e;
        nvec pats = {0}, kwp = {0}, kwa = {0};
        while (TT != O_RPAR) {
            if (TT == T_NAME && PEEK(1) == O_EQUAL) {
                nv_push(P, &kwa, (py_node *)(void *)TOK->ident);
                advance(P);
                advance(P);
                nv_push(P, &kwp, parse_pattern(P));
            } else {
                if (kwa.n)
                    parse_fail_at(P, TOK, "positional patterns follow keyword patterns");
                nv_push(P, &pats, parse_pattern(P));
            }
            if (!accept(P, O_COMMA))
                break;
        }
        parse_expect(P, O_RPAR);
        LEAVE(P);
        m->matchclass.patterns = nv_list(&pats);
        m->matchclass.kwd_patterns = nv_list(&kwp);
        m->matchclass.kwd_attrs.v = (const char **)(void *)kwa.v;
        m->matchclass.kwd_attrs.n = kwa.n;
        return fin(P, m);
    }
    default:
        parse_fail_syntax(P);
    }
}

/* pattern: or_pattern ['as' NAME] */
static py_node *parse_pattern(parser *P)
{
    const lex_token *t = TOK;
    py_node *first = parse_closed_pattern(P);
    py_node *p = first;
    if (TT == O_VBAR) {
        size_t mark = P->sp;
        spush(P, first);
        while (accept(P, O_VBAR))
            spush(P, parse_closed_pattern(P));
        p = mk(P, PY_MatchOr, t);
        p->matchsequence.patterns = spop(P, mark);
        fin(P, p);
    }
    if (accept(P, K_as)) {
        const char *n = parse_ident(P);
        if (n == P->id_underscore)
            parse_fail_at(P, &P->t[P->i - 1], "cannot use '_' as a target");
        p = fin(P, mk_matchas(P, t, p, n));
    }
    return p;
}

/* patterns: open_sequence_pattern | pattern */
py_node *parse_patterns(parser *P)
{
    const lex_token *t = TOK;
    py_node *first = parse_maybe_star_pattern(P);
    if (TT != O_COMMA) {
        if (first->kind == PY_MatchStar) {
            py_node *m = mk(P, PY_MatchSequence, t);
            m->matchsequence.patterns = list1(P, first);
            return fin(P, m);
        }
        return first;
    }
    size_t mark = P->sp;
    spush(P, first);
    while (accept(P, O_COMMA)) {
        if (TT == O_COLON || TT == K_if)
            break;
        spush(P, parse_maybe_star_pattern(P));
    }
    py_node *m = mk(P, PY_MatchSequence, t);
    m->matchsequence.patterns = spop(P, mark);
    return fin(P, m);
}
