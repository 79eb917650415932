/* lex.c - the Python tokenizer (see lex.h for the contract).
 *
 * One pass over the bytes.  A logical line's indentation is measured at its
 * first token (tabs to multiples of 8, and again with tabs as 1 column to
 * catch inconsistent mixing, as CPython does).  Inside brackets newlines
 * and indentation are ignored.  String literals are scanned whole; for an
 * f-string the replacement fields are tokenized recursively so that nested
 * quotes (PEP 701) are found, with a depth cap. */
#include "lex.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/limits.h"
#include "../core/lines.h"
#include "../core/xalloc.h"
#include "strlit.h"

static const char *const tok_names[] = {
#define PY_TOK_NAME(t, s) s,
    PY_TOKENS(PY_TOK_NAME)
#undef PY_TOK_NAME
};

const char *lex_tok_name(py_tok t)
{
    return t < T_COUNT ? tok_names[t] : "?";
}

static lex_token *xmalloc_n_tokens(size_t n)
{
    return xrealloc_n(NULL, n, sizeof(lex_token));
}

/* ---- line table, positions, errors ---- */

void lex_file_init(lex_file *f, arena *a, interner *in, const char *path,
                   const unsigned char *src, size_t len, diag_list *errors)
{
    memset(f, 0, sizeof *f);
    f->a = a;
    f->in = in;
    f->path = path;
    f->src = src;
    f->len = len;
    f->errors = errors;
    size_t start = 0;
    if (len >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF)
        start = 3; /* a BOM is not part of line 1's columns */
    /* the table lives in the arena, with a sentinel after the last line */
    size_t cap = LINES_GUESS(len);
    size_t *ls = arena_alloc_n(a, cap + 1, sizeof *ls);
    size_t n = lines_scan(src, len, start, ls, cap);
    if (n > cap) { /* the guess was short: the first table is abandoned */
        ls = arena_alloc_n(a, n + 1, sizeof *ls);
        lines_scan(src, len, start, ls, n);
    }
    ls[n] = SIZE_MAX;
    f->line_start = ls;
    f->nlines = (int)n;
}

void lex_pos(lex_file *f, size_t off, int *line, int *col)
{
    int c = f->cursor;
    const size_t *ls = f->line_start;
    if (off < ls[c]) {
        c = (int)lines_find(ls, (size_t)c, off); /* among the lines before the cursor */
    } else {
        while (off >= ls[c + 1])
            c++;
    }
    f->cursor = c;
    *line = c + 1;
    *col = (int)(off - (off < ls[c] ? off : ls[c]));
}

void lex_error(lex_file *f, size_t off, const char *fmt, ...)
{
    if (++f->nerrors > PY_MAX_ERRORS) return; /* counted; py_parse says how many more */
    char msg[DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    lex_pos(f, off, &line, &col);
    if (f->errors)
        diag_add(f->errors, DIAG_ERROR, f->path, line, col + 1, "%s", msg);
}

/* ---- the lexer state ---- */

typedef struct lexer {
    lex_file *f;
    const unsigned char *s;
    size_t pos, len;
    int fdepth;                 /* f-string nesting of this lexer (0: file) */
    int fmode;                  /* tokenizing an f-string replacement field */
    size_t stop;                /* fmode: where the field's expression stopped */
    char parens[LEX_MAX_PAREN];
    uint32_t paren_off[LEX_MAX_PAREN];
    int nparen;
    int overflow;               /* brackets opened beyond LEX_MAX_PAREN */
    int indents[LEX_MAX_INDENT + 1], altindents[LEX_MAX_INDENT + 1];
    int nindent;
    int at_bol;                 /* at the start of a logical line */
    int line_has_tokens;
    int first_on_line;
    lex_tokens *out;
    size_t cap;
    py_comment *comments;
    size_t ncomments, ccap;
} lexer;

static inline void pos_fast(lex_file *f, size_t off, int *line, int *col)
{
    int c = f->cursor;
    const size_t *ls = f->line_start;
    if (off >= ls[c]) {
        while (off >= ls[c + 1])
            c++;
        f->cursor = c;
        *line = c + 1;
        *col = (int)(off - ls[c]);
        return;
    }
    lex_pos(f, off, line, col);
}

static lex_token *push(lexer *lx, py_tok type, size_t start, size_t end)
{
    lex_tokens *o = lx->out;
    if (o->n == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 256;
        o->v = xrealloc_n(o->v, lx->cap, sizeof *o->v);
    }
    lex_token *t = &o->v[o->n++];
    t->type = (uint8_t)type;
    t->sflags = 0;
    t->prefix_len = 0;
    t->ident = NULL;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->first_on_line = (uint8_t)lx->first_on_line;
    lx->first_on_line = 0;
    pos_fast(lx->f, start, &t->lineno, &t->col);
    /* only strings and newlines can span lines */
    if (type != T_STRING && type != T_ERROR && type != T_NEWLINE) {
        t->end_lineno = t->lineno;
        t->end_col = t->col + (int)(end - start);
    } else if (end == start) {
        t->end_lineno = t->lineno;
        t->end_col = t->col;
    } else {
        pos_fast(lx->f, end, &t->end_lineno, &t->end_col);
    }
    return t;
}

/* ---- character classes ---- */

/* 1: may start an identifier, 2: may continue one (bytes >= 0x80 are
 * treated as letters; the parser does not validate XID classes). */
static const unsigned char id_class[256] = {
    ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2,
    ['8'] = 2, ['9'] = 2, ['_'] = 3,
#define L3(c) [c] = 3, [c + 32] = 3
    L3('A'), L3('B'), L3('C'), L3('D'), L3('E'), L3('F'), L3('G'), L3('H'), L3('I'),
    L3('J'), L3('K'), L3('L'), L3('M'), L3('N'), L3('O'), L3('P'), L3('Q'), L3('R'),
    L3('S'), L3('T'), L3('U'), L3('V'), L3('W'), L3('X'), L3('Y'), L3('Z'),
#undef L3
#define H8(c) [c] = 3, [c + 1] = 3, [c + 2] = 3, [c + 3] = 3, [c + 4] = 3, [c + 5] = 3, [c + 6] = 3, [c + 7] = 3
    H8(0x80), H8(0x88), H8(0x90), H8(0x98), H8(0xA0), H8(0xA8), H8(0xB0), H8(0xB8),
    H8(0xC0), H8(0xC8), H8(0xD0), H8(0xD8), H8(0xE0), H8(0xE8), H8(0xF0), H8(0xF8),
#undef H8
};

static inline int is_id_start(unsigned c)
{
    return id_class[c & 0xFF] & 1;
}
static inline int is_id_char(unsigned c)
{
    return id_class[c & 0xFF] != 0;
}
static inline int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

static py_tok keyword_of(const unsigned char *s, size_t n)
{
    if (n < 2 || n > 8)
        return T_NAME;
#define KW(str, tok) if (n == sizeof(str) - 1 && memcmp(s, str, n) == 0) return tok
    switch (s[0]) {
    case 'F': KW("False", K_False); break;
    case 'N': KW("None", K_None); break;
    case 'T': KW("True", K_True); break;
    case 'a': KW("and", K_and); KW("as", K_as); KW("assert", K_assert); KW("async", K_async);
              KW("await", K_await); break;
    case 'b': KW("break", K_break); break;
    case 'c': KW("class", K_class); KW("continue", K_continue); break;
    case 'd': KW("def", K_def); KW("del", K_del); break;
    case 'e': KW("elif", K_elif); KW("else", K_else); KW("except", K_except); break;
    case 'f': KW("finally", K_finally); KW("for", K_for); KW("from", K_from); break;
    case 'g': KW("global", K_global); break;
    case 'i': KW("if", K_if); KW("import", K_import); KW("in", K_in); KW("is", K_is); break;
    case 'l': KW("lambda", K_lambda); break;
    case 'n': KW("nonlocal", K_nonlocal); KW("not", K_not); break;
    case 'o': KW("or", K_or); break;
    case 'p': KW("pass", K_pass); break;
    case 'r': KW("raise", K_raise); KW("return", K_return); break;
    case 't': KW("try", K_try); break;
    case 'w': KW("while", K_while); KW("with", K_with); break;
    case 'y': KW("yield", K_yield); break;
    default: break;
    }
#undef KW
    return T_NAME;
}

/* String prefix flags for s[0..n), or -1 when not a valid prefix. */
static int string_prefix(const unsigned char *s, size_t n)
{
    if (n == 0 || n > 2)
        return -1;
    int fl = 0;
    for (size_t i = 0; i < n; i++) {
        int b;
        switch (s[i] | 0x20) {
        case 'r': b = LEXS_R; break;
        case 'b': b = LEXS_B; break;
        case 'u': b = LEXS_U; break;
        case 'f': b = LEXS_F; break;
        case 't': b = LEXS_T; break;
        default: return -1;
        }
        if (fl & b)
            return -1;
        fl |= b;
    }
    if ((fl & LEXS_U) && n > 1)
        return -1;
    if ((fl & LEXS_B) && (fl & LEXS_F))
        return -1;
    if (fl & LEXS_T) { /* t, rt, tr (PEP 750): lexed as an f-string is */
        if (fl & (LEXS_F | LEXS_B | LEXS_U))
            return -1;
        fl |= LEXS_F;
    }
    return fl;
}

/* ---- strings ---- */

static size_t scan_string(lexer *lx, size_t p, int fl, int *triple, int *bad);

/* Skip a newline at p (\n, \r\n or \r); returns the offset after it. */
static inline size_t skip_nl(const unsigned char *s, size_t p, size_t len)
{
    if (s[p] == '\r' && p + 1 < len && s[p + 1] == '\n')
        return p + 2;
    return p + 1;
}

/* The body of an f-string from p (after the opening quote, or inside a
 * format spec when `spec`), up to the closing quote (returned: offset after
 * it) or, for a spec, the '}' (returned: its offset).  -1 on error. */
static size_t scan_fstring_body(lexer *lx, size_t p, unsigned char q, int triple,
                                int raw, int spec, int depth)
{
    const unsigned char *s = lx->s;
    size_t len = lx->len;
    while (p < len) {
        unsigned char c = s[p];
        if (c == q && !spec) {
            if (!triple)
                return p + 1;
            if (p + 2 < len && s[p + 1] == q && s[p + 2] == q)
                return p + 3;
            p++;
            continue;
        }
        if (c == '\\') {
            if (p + 1 < len && (s[p + 1] == '{' || s[p + 1] == '}') && !raw) {
                p++; /* "\{" is a backslash then a field */
                continue;
            }
            p += 2;
            continue;
        }
        if ((c == '\n' || c == '\r') && !triple) {
            if (spec) /* a spec ends the line only inside a triple string */
                return (size_t)-1;
            return (size_t)-1;
        }
        if (c == '{') {
            if (!spec && p + 1 < len && s[p + 1] == '{') {
                p += 2;
                continue;
            }
            if (depth >= LEX_MAX_FSTRING_DEPTH) {
                lex_error(lx->f, p, "f-string: expressions nested too deeply");
                return (size_t)-1;
            }
            lex_tokens tmp = {0};
            size_t e = lex_fstring_expr(lx->f, p + 1, depth + 1, !triple, &tmp);
            free(tmp.v);
            if (e == (size_t)-1)
                return (size_t)-1;
            /* e is at '}', '!', ':' or '=' */
            p = e;
            if (s[p] == '=') {
                p++;
                while (p < len && (s[p] == ' ' || s[p] == '\t'))
                    p++;
            }
            if (p < len && s[p] == '!') {
                p++;
                while (p < len && is_id_char(s[p]))
                    p++;
            }
            if (p < len && s[p] == ':') {
                p = scan_fstring_body(lx, p + 1, q, triple, raw, 1, depth + 1);
                if (p == (size_t)-1)
                    return p;
            }
            if (p >= len || s[p] != '}') {
                lex_error(lx->f, p < len ? p : len, "f-string: expecting '}'");
                return (size_t)-1;
            }
            p++;
            continue;
        }
        if (c == '}') {
            if (spec)
                return p;
            if (p + 1 < len && s[p + 1] == '}') {
                p += 2;
                continue;
            }
            /* a single '}' is an error CPython reports; the parser does */
            p++;
            continue;
        }
        p++;
    }
    return (size_t)-1;
}

/* Scan the literal whose opening quote is at p, prefix flags fl.  Returns the
 * offset after the closing quote; on an unterminated literal, reports it and
 * returns where the token should end, with *bad set. */
static size_t scan_string(lexer *lx, size_t p, int fl, int *triple, int *bad)
{
    const unsigned char *s = lx->s;
    size_t len = lx->len;
    unsigned char q = s[p];
    size_t open = p;
    int errors_before = lx->f->nerrors;
    *bad = 0;
    *triple = p + 2 < len && s[p + 1] == q && s[p + 2] == q;
    p += *triple ? 3 : 1;
    if (fl & LEXS_F) {
        size_t e = scan_fstring_body(lx, p, q, *triple, fl & LEXS_R, 0, lx->fdepth);
        if (e != (size_t)-1)
            return e;
        *bad = 1;
        /* fall back to the plain scan to find where the damage ends */
    }
    while (p < len) {
        unsigned char c = s[p];
        if (c == '\\') {
            p += 2;
            continue;
        }
        if (c == q) {
            if (!*triple)
                return *bad ? p + 1 : p + 1;
            if (p + 2 < len && s[p + 1] == q && s[p + 2] == q)
                return p + 3;
        } else if ((c == '\n' || c == '\r') && !*triple) {
            break;
        }
        p++;
    }
    if (p > len)
        p = len;
    if (*bad && lx->f->nerrors > errors_before) {
        /* a nested field already said what is wrong */
    } else if (!*bad) {
        int line, col;
        lex_pos(lx->f, p == len && p > open + 1 ? p - 1 : p, &line, &col);
        if (*triple)
            lex_error(lx->f, open, "unterminated triple-quoted string literal (detected at line %d)", line);
        else
            lex_error(lx->f, open, "unterminated string literal (detected at line %d)", line);
    } else if (!*triple && p < len && (s[p] == '\n' || s[p] == '\r')) {
        int line, col;
        lex_pos(lx->f, p, &line, &col);
        lex_error(lx->f, open, "unterminated f-string literal (detected at line %d)", line);
    } else {
        lex_error(lx->f, open, "invalid f-string literal");
    }
    *bad = 1;
    return p;
}

/* ---- numbers ---- */

static size_t scan_digits(const unsigned char *s, size_t p, size_t len, int hex)
{
    while (p < len && (is_digit(s[p]) || s[p] == '_' ||
                       (hex && ((s[p] | 0x20) >= 'a' && (s[p] | 0x20) <= 'f'))))
        p++;
    return p;
}

static size_t scan_number(const unsigned char *s, size_t p, size_t len)
{
    if (s[p] == '0' && p + 1 < len) {
        unsigned char x = s[p + 1] | 0x20;
        if (x == 'x' || x == 'o' || x == 'b')
            return scan_digits(s, p + 2, len, x == 'x');
    }
    p = scan_digits(s, p, len, 0);
    if (p < len && s[p] == '.')
        p = scan_digits(s, p + 1, len, 0);
    if (p < len && (s[p] | 0x20) == 'e') {
        size_t q = p + 1;
        if (q < len && (s[q] == '+' || s[q] == '-'))
            q++;
        if (q < len && is_digit(s[q]))
            p = scan_digits(s, q, len, 0);
    }
    if (p < len && (s[p] | 0x20) == 'j')
        p++;
    return p;
}

/* ---- operators ---- */

static py_tok scan_op(const unsigned char *s, size_t p, size_t len, size_t *n)
{
    unsigned char c = s[p], c1 = p + 1 < len ? s[p + 1] : 0, c2 = p + 2 < len ? s[p + 2] : 0;
    *n = 1;
#define OP2(ch, t) if (c1 == (ch)) { *n = 2; return t; }
    switch (c) {
    case '(': return O_LPAR;
    case ')': return O_RPAR;
    case '[': return O_LSQB;
    case ']': return O_RSQB;
    case '{': return O_LBRACE;
    case '}': return O_RBRACE;
    case ',': return O_COMMA;
    case ';': return O_SEMI;
    case '~': return O_TILDE;
    case ':': OP2('=', O_COLONEQUAL) return O_COLON;
    case '+': OP2('=', O_PLUSEQUAL) return O_PLUS;
    case '-': OP2('=', O_MINEQUAL) OP2('>', O_RARROW) return O_MINUS;
    case '*':
        if (c1 == '*') { if (c2 == '=') { *n = 3; return O_DOUBLESTAREQUAL; } *n = 2; return O_DOUBLESTAR; }
        OP2('=', O_STAREQUAL) return O_STAR;
    case '/':
        if (c1 == '/') { if (c2 == '=') { *n = 3; return O_DOUBLESLASHEQUAL; } *n = 2; return O_DOUBLESLASH; }
        OP2('=', O_SLASHEQUAL) return O_SLASH;
    case '|': OP2('=', O_VBAREQUAL) return O_VBAR;
    case '&': OP2('=', O_AMPEREQUAL) return O_AMPER;
    case '^': OP2('=', O_CIRCUMFLEXEQUAL) return O_CIRCUMFLEX;
    case '%': OP2('=', O_PERCENTEQUAL) return O_PERCENT;
    case '@': OP2('=', O_ATEQUAL) return O_AT;
    case '=': OP2('=', O_EQEQUAL) return O_EQUAL;
    case '!': OP2('=', O_NOTEQUAL) return O_EXCLAMATION;
    case '<':
        if (c1 == '<') { if (c2 == '=') { *n = 3; return O_LEFTSHIFTEQUAL; } *n = 2; return O_LEFTSHIFT; }
        OP2('=', O_LESSEQUAL) OP2('>', O_NOTEQUAL) return O_LESS;
    case '>':
        if (c1 == '>') { if (c2 == '=') { *n = 3; return O_RIGHTSHIFTEQUAL; } *n = 2; return O_RIGHTSHIFT; }
        OP2('=', O_GREATEREQUAL) return O_GREATER;
    case '.':
        if (c1 == '.' && c2 == '.') { *n = 3; return O_ELLIPSIS; }
        return O_DOT;
    }
#undef OP2
    return T_ERROR;
}

/* Keywords that can never appear inside brackets: a line starting with one
 * while a bracket is open means the bracket was never closed. */
static int stmt_only_keyword(py_tok t)
{
    switch (t) {
    case K_def: case K_class: case K_return: case K_pass: case K_break:
    case K_continue: case K_raise: case K_global: case K_nonlocal: case K_del:
    case K_assert: case K_while: case K_with: case K_try: case K_except:
    case K_finally: case K_elif: case K_import:
        return 1;
    default:
        return 0;
    }
}

static void add_comment(lexer *lx, size_t start, size_t end)
{
    if (lx->ncomments == lx->ccap) {
        lx->ccap = lx->ccap ? lx->ccap * 2 : 16;
        lx->comments = xrealloc_n(lx->comments, lx->ccap, sizeof *lx->comments);
    }
    py_comment *c = &lx->comments[lx->ncomments++];
    lex_pos(lx->f, start, &c->lineno, &c->col_offset);
    c->text = arena_strndup(lx->f->a, (const char *)lx->s + start, end - start);
    c->len = end - start;
}

static void close_all_parens(lexer *lx)
{
    /* like CPython, name the innermost one */
    if (lx->nparen > 0) {
        int i = lx->nparen - 1;
        lex_error(lx->f, lx->paren_off[i], "'%c' was never closed", (unsigned char)lx->parens[i]);
    }
    lx->nparen = 0;
    lx->overflow = 0;
}

/* Measure the indentation at lx->pos (start of a line).  Returns 0 for a
 * blank or comment-only line (consumed entirely), 1 otherwise. */
static int indentation(lexer *lx, int *col, int *altcol)
{
    const unsigned char *s = lx->s;
    size_t p = lx->pos, len = lx->len;
    int c = 0, a = 0;
    for (;;) {
        while (p < len) {
            if (s[p] == ' ') { c++; a++; }
            else if (s[p] == '\t') { c = (c / 8 + 1) * 8; a++; }
            else if (s[p] == '\f') { c = a = 0; }
            else break;
            p++;
        }
        if (p < len && s[p] == '\\' && p + 1 < len && (s[p + 1] == '\n' || s[p + 1] == '\r')) {
            /* a continuation on an otherwise empty line */
            p = skip_nl(s, p + 1, len);
            continue;
        }
        break;
    }
    if (p >= len) {
        lx->pos = p;
        return 0;
    }
    if (s[p] == '#' || s[p] == '\n' || s[p] == '\r') {
        size_t e = p;
        while (e < len && s[e] != '\n' && s[e] != '\r')
            e++;
        if (e > p)
            add_comment(lx, p, e);
        lx->pos = e < len ? skip_nl(s, e, len) : e;
        return 0;
    }
    lx->pos = p;
    *col = c;
    *altcol = a;
    return 1;
}

static void do_indent(lexer *lx)
{
    int col, alt;
    for (;;) {
        if (lx->pos >= lx->len)
            return;
        if (indentation(lx, &col, &alt))
            break;
    }
    lx->at_bol = 0;
    lx->first_on_line = 1;
    int top = lx->indents[lx->nindent], atop = lx->altindents[lx->nindent];
    if (col == top) {
        if (alt != atop)
            lex_error(lx->f, lx->pos, "inconsistent use of tabs and spaces in indentation");
    } else if (col > top) {
        if (alt <= atop)
            lex_error(lx->f, lx->pos, "inconsistent use of tabs and spaces in indentation");
        if (lx->nindent >= LEX_MAX_INDENT) {
            lex_error(lx->f, lx->pos, "too many levels of indentation");
            return;
        }
        lx->nindent++;
        lx->indents[lx->nindent] = col;
        lx->altindents[lx->nindent] = alt;
        push(lx, T_INDENT, lx->pos, lx->pos);
    } else {
        while (lx->nindent > 0 && col < lx->indents[lx->nindent]) {
            lx->nindent--;
            push(lx, T_DEDENT, lx->pos, lx->pos);
        }
        if (col != lx->indents[lx->nindent]) {
            lex_error(lx->f, lx->pos, "unindent does not match any outer indentation level");
            lex_token *t = push(lx, T_ERROR, lx->pos, lx->pos);
            (void)t;
        } else if (alt != lx->altindents[lx->nindent]) {
            lex_error(lx->f, lx->pos, "inconsistent use of tabs and spaces in indentation");
        }
    }
}

/* Lex one token (or a few: NEWLINE, DEDENTs) into lx->out.  Returns 0 at
 * the end (EOF pushed by the caller), or, in fmode, at the terminator. */
static int lex_next(lexer *lx)
{
    const unsigned char *s = lx->s;
    size_t len = lx->len;
    if (lx->at_bol && !lx->fmode) {
        do_indent(lx);
        if (lx->pos >= len)
            return 0;
    }
    size_t p = lx->pos;
again:
    while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\f'))
        p++;
    if (p >= len) {
        lx->pos = p;
        return 0;
    }
    unsigned char c = s[p];
    if (c == '#') {
        size_t e = p;
        while (e < len && s[e] != '\n' && s[e] != '\r')
            e++;
        if (!lx->fmode)
            add_comment(lx, p, e);
        else if (lx->fmode == 2) {
            lex_error(lx->f, p, "f-string expression part cannot include '#'");
            lx->pos = e;
            return -1;
        }
        p = e;
        goto again;
    }
    if (c == '\n' || c == '\r') {
        size_t e = skip_nl(s, p, len);
        if (lx->fmode == 2) { /* a field of a one-line f-string ends with its line */
            lex_error(lx->f, p, "f-string: expecting '}'");
            lx->pos = p;
            return -1;
        }
        if (lx->nparen > 0 || lx->fmode) {
            p = e;
            /* a statement-only keyword at the start of the next line means
             * the open bracket was never closed */
            if (!lx->fmode) {
                size_t q = e;
                while (q < len && (s[q] == ' ' || s[q] == '\t' || s[q] == '\f'))
                    q++;
                size_t w = q;
                while (w < len && is_id_char(s[w]))
                    w++;
                if (w > q && stmt_only_keyword(keyword_of(s + q, w - q))) {
                    close_all_parens(lx);
                    push(lx, T_ERROR, e, e);
                    push(lx, T_NEWLINE, p - 1, p - 1);
                    lx->pos = e;
                    lx->at_bol = 1;
                    return 1;
                }
            }
            goto again;
        }
        push(lx, T_NEWLINE, p, e);
        lx->pos = e;
        lx->at_bol = 1;
        return 1;
    }
    if (c == '\\') {
        if (p + 1 < len && (s[p + 1] == '\n' || s[p + 1] == '\r')) {
            p = skip_nl(s, p + 1, len);
            if (p >= len) {
                lex_error(lx->f, p, "unexpected EOF while parsing");
                lx->pos = p;
                return 0;
            }
            goto again;
        }
        lex_error(lx->f, p, "unexpected character after line continuation character");
        push(lx, T_ERROR, p, p + 1);
        lx->pos = p + 1;
        return 1;
    }
    if (is_id_start(c)) {
        size_t e = p + 1;
        unsigned hi = c;
        while (e < len && is_id_char(s[e]))
            hi |= s[e++];
        if (e < len && (s[e] == '\'' || s[e] == '"') && e - p <= 2) {
            int fl = string_prefix(s + p, e - p);
            if (fl >= 0) {
                int triple, bad;
                size_t end = scan_string(lx, e, fl, &triple, &bad);
                if (bad && lx->fmode) {
                    lx->pos = end;
                    return -1; /* the enclosing f-string fails as a whole */
                }
                lex_token *t = push(lx, bad ? T_ERROR : T_STRING, p, end);
                t->sflags = (uint8_t)(fl | (triple ? LEXS_TRIPLE : 0));
                t->prefix_len = (uint8_t)(e - p);
                lx->pos = end;
                return 1;
            }
        }
        py_tok kt = keyword_of(s + p, e - p);
        lex_token *t = push(lx, kt, p, e);
        if (hi < 0x80) {
            t->ident = intern(lx->f->in, (const char *)s + p, e - p);
        } else {
            buf nb;
            buf_init(&nb, 0);
            strlit_nfkc_ident(&nb, s + p, e - p);
            t->ident = intern(lx->f->in, nb.data, nb.len);
            buf_free(&nb);
        }
        lx->pos = e;
        return 1;
    }
    if (c == '\'' || c == '"') {
        int triple, bad;
        size_t end = scan_string(lx, p, 0, &triple, &bad);
        if (bad && lx->fmode) {
            lx->pos = end;
            return -1;
        }
        lex_token *t = push(lx, bad ? T_ERROR : T_STRING, p, end);
        t->sflags = (uint8_t)(triple ? LEXS_TRIPLE : 0);
        lx->pos = end;
        return 1;
    }
    if (is_digit(c) || (c == '.' && p + 1 < len && is_digit(s[p + 1]))) {
        size_t e = scan_number(s, p, len);
        push(lx, T_NUMBER, p, e);
        lx->pos = e;
        return 1;
    }
    size_t n;
    py_tok op = scan_op(s, p, len, &n);
    if (op == T_ERROR) {
        if (c < 0x20 || c == 0x7f)
            lex_error(lx->f, p, "invalid non-printable character U+%04X", c);
        else
            lex_error(lx->f, p, "invalid character '%c' (U+%04X)", c, c);
        push(lx, T_ERROR, p, p + 1);
        lx->pos = p + 1;
        return 1;
    }
    if (lx->fmode && lx->nparen == 0) {
        int stop = 0;
        if (op == O_RBRACE || op == O_COLON || op == O_COLONEQUAL || op == O_EQUAL || op == O_EXCLAMATION)
            stop = 1;
        if (stop) {
            lx->stop = p;
            lx->pos = p;
            return 0;
        }
    }
    if (op == O_LPAR || op == O_LSQB || op == O_LBRACE) {
        if (lx->nparen >= LEX_MAX_PAREN) {
            if (lx->overflow++ == 0) {
                lex_error(lx->f, p, "too many nested parentheses");
                push(lx, T_ERROR, p, p + n);
            }
            lx->pos = p + n;
            return 1;
        }
        lx->parens[lx->nparen] = (char)c;
        lx->paren_off[lx->nparen++] = (uint32_t)p;
    } else if (op == O_RPAR || op == O_RSQB || op == O_RBRACE) {
        char want = op == O_RPAR ? '(' : op == O_RSQB ? '[' : '{';
        if (lx->overflow > 0) {
            lx->overflow--;
            lx->pos = p + n;
            return 1;
        }
        if (lx->nparen == 0) {
            lex_error(lx->f, p, "unmatched '%c'", c);
            push(lx, T_ERROR, p, p + n);
            lx->pos = p + n;
            return 1;
        }
        if (lx->parens[lx->nparen - 1] != want) {
            lex_error(lx->f, p, "closing parenthesis '%c' does not match opening parenthesis '%c'",
                      c, lx->parens[lx->nparen - 1]);
            push(lx, T_ERROR, p, p + n);
        }
        lx->nparen--;
    }
    push(lx, op, p, p + n);
    lx->pos = p + n;
    return 1;
}

/* The token array of the last file parsed on this thread, kept for the
 * next one (no page faults on every file); freed by a key destructor when
 * the thread ends.  Only arrays of up to LEX_TOKEN_CACHE_MAX tokens are
 * kept: a big file's array would stay resident to the end of the scan. */
#define LEX_TOKEN_CACHE_MAX (1u << 15)
static pthread_key_t tok_key;
static pthread_once_t tok_once = PTHREAD_ONCE_INIT;
typedef struct tok_cache {
    lex_token *v;
    size_t cap;
} tok_cache;

static void tok_cache_free(void *p)
{
    tok_cache *c = p;
    if (c) {
        free(c->v);
        free(c);
    }
}

static void tok_key_init(void)
{
    pthread_key_create(&tok_key, tok_cache_free);
}

void lex_tokens_release(lex_tokens *t)
{
    pthread_once(&tok_once, tok_key_init);
    tok_cache *c = pthread_getspecific(tok_key);
    if (!c) {
        c = xcalloc(1, sizeof *c);
        pthread_setspecific(tok_key, c);
    }
    if (t->cap > c->cap && t->cap <= LEX_TOKEN_CACHE_MAX) {
        free(c->v);
        c->v = t->v;
        c->cap = t->cap;
    } else {
        free(t->v);
    }
    t->v = NULL;
    t->n = t->cap = 0;
}

static void tokens_take_cache(lex_tokens *t)
{
    pthread_once(&tok_once, tok_key_init);
    tok_cache *c = pthread_getspecific(tok_key);
    if (c && c->v) {
        t->v = c->v;
        t->cap = c->cap;
        c->v = NULL;
        c->cap = 0;
    }
}

void lex_all(lex_file *f, lex_tokens *out)
{
    lexer *lx = xcalloc(1, sizeof *lx);
    lx->f = f;
    lx->s = f->src;
    lx->len = f->len;
    lx->out = out;
    lx->at_bol = 1;
    lx->pos = f->line_start[0];
    memset(out, 0, sizeof *out);
    tokens_take_cache(out);
    if (out->cap < f->len / 5 + 64) {
        free(out->v);
        out->cap = f->len / 5 + 64;
        out->v = xmalloc_n_tokens(out->cap);
    }
    lx->cap = out->cap;
    for (;;) {
        size_t before = out->n;
        int r = lex_next(lx);
        if (r <= 0)
            break;
        (void)before;
    }
    if (lx->nparen > 0) {
        close_all_parens(lx);
        push(lx, T_ERROR, lx->len, lx->len);
    }
    if (out->n > 0 && out->v[out->n - 1].type != T_NEWLINE &&
        out->v[out->n - 1].type != T_DEDENT && out->v[out->n - 1].type != T_INDENT)
        push(lx, T_NEWLINE, lx->len, lx->len);
    while (lx->nindent > 0) {
        lx->nindent--;
        push(lx, T_DEDENT, lx->len, lx->len);
    }
    push(lx, T_EOF, lx->len, lx->len);
    out->comments = lx->comments ? arena_alloc_n(f->a, lx->ncomments, sizeof *out->comments) : NULL;
    if (lx->ncomments)
        memcpy(out->comments, lx->comments, lx->ncomments * sizeof *out->comments);
    out->ncomments = lx->ncomments;
    out->nlines = f->nlines;
    out->nerrors = f->nerrors;
    out->cap = lx->cap;
    free(lx->comments);
    free(lx);
}

size_t lex_fstring_expr(lex_file *f, size_t off, int depth, int single_line, lex_tokens *out)
{
    lexer *lx = xcalloc(1, sizeof *lx);
    lx->f = f;
    lx->s = f->src;
    lx->len = f->len;
    lx->out = out;
    lx->fmode = 1 + (single_line != 0);
    lx->fdepth = depth;
    lx->pos = off;
    lx->stop = (size_t)-1;
    memset(out, 0, sizeof *out);
    int r;
    while ((r = lex_next(lx)) > 0)
        ;
    size_t stop = lx->stop;
    if (r < 0)
        stop = (size_t)-1;
    else if (stop == (size_t)-1)
        lex_error(f, lx->pos < f->len ? lx->pos : off, "f-string: expecting '}'");
    push(lx, T_EOF, stop == (size_t)-1 ? lx->pos : stop, stop == (size_t)-1 ? lx->pos : stop);
    free(lx);
    return stop;
}
