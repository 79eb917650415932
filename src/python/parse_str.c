/* parse_str.c - string literals: implicit concatenation, escapes, and
 * f-strings (PEP 701).  An f-string token spans the whole literal (lex.c
 * resolved its nesting); here its literal parts are decoded and each
 * replacement field's expression is re-lexed (lex_fstring_expr) and parsed
 * with the ordinary expression grammar on a swapped token array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"
#include "strlit.h"

static _Noreturn void fail_silent(parser *P)
{
    lex_token t = {0};
    t.type = T_ERROR;
    parse_fail_at(P, &t, "-");
}

/* A decoded literal is no longer than the file, which is at most
 * PY_MAX_FILE bytes: its length fits Constant.len. */
_Static_assert(PY_MAX_FILE <= UINT32_MAX, "Constant.len holds a literal's length");

/* A Constant holding P->sbuf[from..len), which is then dropped. */
static py_node *const_from_sbuf(parser *P, size_t from, py_const_kind k, const lex_token *t)
{
    py_node *n = mk(P, PY_Constant, t);
    n->constant.value = (uint8_t)k;
    n->constant.len = (uint32_t)(P->sbuf.len - from);
    n->constant.s = arena_strndup(P->a, P->sbuf.data + from, n->constant.len);
    P->sbuf.len = from;
    P->sbuf.data[from] = '\0';
    return n;
}

static void decode_into_sbuf(parser *P, const lex_token *t, size_t s, size_t e, int raw,
                             int is_bytes, int *bad)
{
    const char *err = NULL;
    size_t err_off = 0;
    if (strlit_decode(&P->sbuf, P->f->src + s, e - s, raw, is_bytes, &err, &err_off, bad)) {
        lex_token at = *t;
        lex_pos(P->f, s + err_off, &at.lineno, &at.col);
        at.type = T_STRING;
        parse_fail_at(P, &at, "%s", err);
    }
}

typedef struct fbuild {
    size_t mark;          /* values on the scratch stack */
    size_t lit;           /* pending literal text starts at P->sbuf[lit] */
    const lex_token *tok;
} fbuild;

static void fb_flush(parser *P, fbuild *b)
{
    if (P->sbuf.len > b->lit) {
        py_node *c = const_from_sbuf(P, b->lit, PY_CONST_STR, b->tok);
        end_as(c, c);
        c->end_lineno = b->tok->end_lineno;
        c->end_col_offset = b->tok->end_col;
        spush(P, c);
    }
}

static size_t fstring_parts(parser *P, const lex_token *t, size_t s, size_t e, int raw,
                            int spec, int depth, fbuild *b);

/* One replacement field; `off` is just after its '{'.  Returns the offset
 * after its '}'. */
static size_t fstring_field(parser *P, const lex_token *t, size_t off, size_t e, int raw,
                            int depth, fbuild *b)
{
    const unsigned char *src = P->f->src;
    if (depth > LEX_MAX_FSTRING_DEPTH) {
        lex_token at = *t;
        parse_fail_at(P, &at, "f-string: expressions nested too deeply");
    }
    lex_tokens toks;
    size_t stop = lex_fstring_expr(P->f, off, depth + 1, !(t->sflags & LEXS_TRIPLE), &toks);
    if (stop == (size_t)-1 || stop >= e) {
        free(toks.v);
        fail_silent(P);
    }
    lex_token *tv = arena_alloc_n(P->a, toks.n, sizeof *tv);
    memcpy(tv, toks.v, toks.n * sizeof *tv);
    size_t ntok = toks.n;
    free(toks.v);
    if (ntok <= 1) {
        lex_token at = tv[0];
        at.type = T_STRING;
        parse_fail_at(P, &at, "f-string: valid expression required before '%c'", src[stop]);
    }
    /* parse the expression from the field's tokens */
    lex_token *save_t = P->t;
    size_t save_n = P->n, save_i = P->i;
    if (!P->in_sub) {
        P->sub_owner = P->i > 0 ? P->i - 1 : 0;
        P->in_sub = 1;
    }
    int was_sub = save_t != P->main_t;
    P->t = tv;
    P->n = ntok;
    P->i = 0;
    py_node *v = TT == K_yield ? parse_yield_expr(P) : parse_star_expressions(P);
    if (TT != T_EOF)
        parse_fail_syntax(P);
    P->t = save_t;
    P->n = save_n;
    P->i = save_i;
    if (!was_sub)
        P->in_sub = 0;

    size_t p = stop;
    int debug = 0;
    if (src[p] == '=') {
        debug = 1;
        p++;
        while (p < e && (src[p] == ' ' || src[p] == '\t' || src[p] == '\n' || src[p] == '\r'))
            p++;
        buf_append(&P->sbuf, src + off, p - off);
    }
    int conv = -1;
    if (p < e && src[p] == '!') {
        p++;
        size_t q = p;
        while (q < e && ((src[q] | 0x20) >= 'a' && (src[q] | 0x20) <= 'z'))
            q++;
        if (q - p != 1 || (src[p] != 's' && src[p] != 'r' && src[p] != 'a')) {
            lex_token at = *t;
            lex_pos(P->f, p, &at.lineno, &at.col);
            at.type = T_STRING;
            parse_fail_at(P, &at, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
        }
        conv = src[p];
        p = q;
    }
    py_node *specn = NULL;
    if (p < e && src[p] == ':') {
        fbuild sb = {P->sp, P->sbuf.len, t};
        /* keep the outer pending literal below the spec's */
        p = fstring_parts(P, t, p + 1, e, raw, 1, depth + 1, &sb);
        fb_flush(P, &sb);
        specn = mk(P, PY_JoinedStr, t);
        specn->joinedstr.values = spop(P, sb.mark);
        specn->end_lineno = t->end_lineno;
        specn->end_col_offset = t->end_col;
    }
    if (p >= e || src[p] != '}') {
        lex_token at = *t;
        lex_pos(P->f, p < e ? p : e, &at.lineno, &at.col);
        at.type = T_STRING;
        parse_fail_at(P, &at, "f-string: expecting '}'");
    }
    if (conv == -1 && !specn && debug)
        conv = 'r';
    fb_flush(P, b);
    /* a t-string's own fields are Interpolations; those of a format spec
     * stay FormattedValues (the spec is formatted eagerly) */
    int interp = (t->sflags & LEXS_T) && depth == 0;
    py_node *fv = mk(P, interp ? PY_Interpolation : PY_FormattedValue, t);
    if (interp) {
        size_t xe = stop;
        fv->formattedvalue.str = arena_strndup(P->a, (const char *)src + off, xe - off);
    }
    fv->formattedvalue.value = v;
    fv->formattedvalue.conversion = conv;
    fv->formattedvalue.format_spec = specn;
    fv->end_lineno = t->end_lineno;
    fv->end_col_offset = t->end_col;
    spush(P, fv);
    return p + 1;
}

/* The literal parts and fields of s[s..e).  In a spec, stops at the first
 * single '}' and returns its offset; else returns e. */
static size_t fstring_parts(parser *P, const lex_token *t, size_t s, size_t e, int raw,
                            int spec, int depth, fbuild *b)
{
    const unsigned char *src = P->f->src;
    size_t i = s;
    int bad = 0;
    while (i < e) {
        size_t j = i;
        while (j < e && src[j] != '{' && src[j] != '}') {
            if (src[j] == '\\' && !raw && j + 1 < e) {
                if (src[j + 1] == 'N' && j + 2 < e && src[j + 2] == '{') {
                    j += 3;
                    while (j < e && src[j] != '}')
                        j++;
                    if (j < e)
                        j++;
                    continue;
                }
                if (src[j + 1] == '{' || src[j + 1] == '}') {
                    j++;
                    continue;
                }
                j += 2;
                continue;
            }
            if (spec && (src[j] == '\n' || src[j] == '\r') && !(t->sflags & LEXS_TRIPLE))
                break;
            j++;
        }
        if (j > e)
            j = e;
        if (j > i)
            decode_into_sbuf(P, t, i, j, raw, 0, &bad);
        if (j >= e)
            return e;
        if (src[j] == '{') {
            if (!spec && j + 1 < e && src[j + 1] == '{') {
                buf_putc(&P->sbuf, '{');
                i = j + 2;
                continue;
            }
            i = fstring_field(P, t, j + 1, e, raw, depth, b);
            continue;
        }
        /* '}' */
        if (spec)
            return j;
        if (j + 1 < e && src[j + 1] == '}') {
            buf_putc(&P->sbuf, '}');
            i = j + 2;
            continue;
        }
        lex_token at = *t;
        lex_pos(P->f, j, &at.lineno, &at.col);
        at.type = T_STRING;
        parse_fail_at(P, &at, "f-string: single '}' is not allowed");
    }
    return e;
}

/* strings: STRING+ (implicit concatenation; f-strings make a JoinedStr) */
py_node *parse_strings(parser *P)
{
    const lex_token *first = TOK;
    size_t i0 = P->i, i1 = P->i;
    int any_f = 0, nb = 0, nt = 0;
    while (i1 < P->n && P->t[i1].type == T_STRING) {
        any_f |= P->t[i1].sflags & LEXS_F;
        nb += (P->t[i1].sflags & LEXS_B) != 0;
        nt += (P->t[i1].sflags & LEXS_T) != 0;
        i1++;
    }
    int ns = (int)(i1 - i0);
    if (nt && nt != ns) /* PEP 750: t"" "" is an error, t"" t"" one template */
        parse_fail_at(P, first, "cannot mix t-string literals with string or bytes literals");
    if (nb && nb != ns)
        parse_fail_at(P, first, "cannot mix bytes and nonbytes literals");
    const lex_token *last = &P->t[i1 - 1];
    size_t lit0 = P->sbuf.len;
    if (!any_f) {
        int bad = 0;
        for (size_t k = i0; k < i1; k++) {
            const lex_token *t = &P->t[k];
            size_t q = (t->sflags & LEXS_TRIPLE) ? 3 : 1;
            P->i = k + 1 < P->n ? k + 1 : k;
            decode_into_sbuf(P, t, t->start + t->prefix_len + q, t->end - q,
                             t->sflags & LEXS_R, t->sflags & LEXS_B, &bad);
        }
        P->i = i1;
        py_node *c = const_from_sbuf(P, lit0, nb ? PY_CONST_BYTES : PY_CONST_STR, first);
        c->constant.invalid_utf8 = (uint8_t)bad;
        if (first->sflags & LEXS_U)
            c->constant.kind = "u";
        c->end_lineno = last->end_lineno;
        c->end_col_offset = last->end_col;
        return c;
    }
    fbuild b = {P->sp, lit0, first};
    for (size_t k = i0; k < i1; k++) {
        const lex_token *t = &P->t[k];
        size_t q = (t->sflags & LEXS_TRIPLE) ? 3 : 1;
        P->i = k + 1; /* the f-string token is consumed (sub_owner = k) */
        b.tok = t;
        if (t->sflags & LEXS_F) {
            fstring_parts(P, t, t->start + t->prefix_len + q, t->end - q, t->sflags & LEXS_R, 0,
                          0, &b);
        } else {
            int bad = 0;
            decode_into_sbuf(P, t, t->start + t->prefix_len + q, t->end - q, t->sflags & LEXS_R,
                             0, &bad);
        }
    }
    P->i = i1;
    b.tok = first;
    fb_flush(P, &b);
    py_node *j = mk(P, nt ? PY_TemplateStr : PY_JoinedStr, first);
    j->joinedstr.values = spop(P, b.mark);
    j->end_lineno = last->end_lineno;
    j->end_col_offset = last->end_col;
    return j;
}
