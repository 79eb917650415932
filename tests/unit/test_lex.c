/* test_lex.c - the Python tokenizer: token kinds, positions (UTF-8 byte
 * columns as CPython), indentation, strings, numbers, errors. */
#include "python/lex.h"

#include <stdlib.h>

#include "t.h"

typedef struct lexed {
    arena a;
    interner *in;
    diag_list d;
    lex_file f;
    lex_tokens t;
} lexed;

static void lex_str(lexed *L, const char *src)
{
    arena_init(&L->a, 0);
    L->in = intern_new(NULL);
    memset(&L->d, 0, sizeof L->d);
    lex_file_init(&L->f, &L->a, L->in, "t.py", (const unsigned char *)src, strlen(src), &L->d);
    lex_all(&L->f, &L->t);
}

static void lex_done(lexed *L)
{
    free(L->t.v);
    diag_free(&L->d);
    arena_free(&L->a);
    intern_free(L->in);
}

/* The token types as one string of names separated by spaces. */
static const char *types(lexed *L, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < L->t.n; i++) {
        const char *s = lex_tok_name((py_tok)L->t.v[i].type);
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " " : "", s);
        if (n >= cap)
            break;
    }
    return out;
}

static void test_operators(void)
{
    lexed L;
    char b[512];
    lex_str(&L, "a := b -> c ... d @= e **= f //= g != h <<= i >>= j ~k\n");
    CHECK_STR(types(&L, b, sizeof b),
              "name := name -> name ... name @= name **= name //= name != name <<= name >>= name ~ name newline end of file");
    CHECK_INT(L.d.n, 0);
    lex_done(&L);
}

static void test_indent(void)
{
    lexed L;
    char b[512];
    lex_str(&L, "if x:\n    y\n\n    # c\n        \n    z\nw\n");
    CHECK_STR(types(&L, b, sizeof b),
              "if name : newline indent name newline name newline dedent name newline end of file");
    CHECK_INT(L.t.ncomments, 1);
    CHECK_STR(L.t.comments[0].text, "# c");
    CHECK_INT(L.t.comments[0].lineno, 4);
    lex_done(&L);

    /* brackets join lines; backslash continues */
    lex_str(&L, "x = (1,\n  2) + \\\n 3\n");
    CHECK_STR(types(&L, b, sizeof b), "name = ( number , number ) + number newline end of file");
    lex_done(&L);

    /* no final newline: NEWLINE and DEDENT are still produced */
    lex_str(&L, "def f():\n  return 1");
    CHECK_STR(types(&L, b, sizeof b),
              "def name ( ) : newline indent return number newline dedent end of file");
    lex_done(&L);
}

static void test_positions(void)
{
    lexed L;
    /* columns are UTF-8 byte offsets; CRLF and a lone CR end lines; a BOM is not a column */
    lex_str(&L, "\xEF\xBB\xBFs = \"\xC3\xA9\" + x\r\ny\rz\n");
    CHECK_INT(L.t.v[0].col, 0);
    CHECK_INT(L.t.v[2].type, T_STRING);
    CHECK_INT(L.t.v[2].col, 4);
    CHECK_INT(L.t.v[2].end_col, 8);
    CHECK_INT(L.t.v[4].col, 11);
    CHECK_INT(L.t.v[6].lineno, 2);
    CHECK_INT(L.t.v[8].lineno, 3);
    CHECK_INT(L.t.nlines, 4);
    lex_done(&L);

    /* a multi-line string ends on its last line */
    lex_str(&L, "s = '''a\nbc'''\n");
    CHECK_INT(L.t.v[2].lineno, 1);
    CHECK_INT(L.t.v[2].end_lineno, 2);
    CHECK_INT(L.t.v[2].end_col, 5);
    lex_done(&L);
}

static void test_strings_numbers(void)
{
    lexed L;
    char b[512];
    lex_str(&L, "rb'x' Rb\"y\" f'{a}' F'''{b!r:>{w}}''' u'z' br'\\'' 0x_1F 1_000.5e-3j .5 1E10 0o17 0b1\n");
    CHECK_STR(types(&L, b, sizeof b),
              "string string string string string string number number number number number number newline end of file");
    CHECK((L.t.v[0].sflags & (LEXS_R | LEXS_B)) == (LEXS_R | LEXS_B));
    CHECK(L.t.v[2].sflags & LEXS_F);
    CHECK(L.t.v[3].sflags & LEXS_TRIPLE);
    CHECK(L.t.v[4].sflags & LEXS_U);
    CHECK_INT(L.t.v[0].prefix_len, 2);
    CHECK_INT(L.d.n, 0);
    lex_done(&L);

    /* PEP 701: the same quote nests inside a replacement field */
    lex_str(&L, "f\"{x[\"k\"] + f\"{y}\"}\" z\n");
    CHECK_STR(types(&L, b, sizeof b), "string name newline end of file");
    CHECK_INT(L.d.n, 0);
    lex_done(&L);

    /* a name that only looks like a prefix */
    lex_str(&L, "rbx 'a' bu'b'\n");
    CHECK_INT(L.t.v[0].type, T_NAME);
    CHECK_INT(L.t.v[2].type, T_NAME);
    lex_done(&L);
}

static void test_keywords_and_interning(void)
{
    lexed L;
    lex_str(&L, "match case type _ async await print print\n");
    CHECK_INT(L.t.v[0].type, T_NAME);
    CHECK_INT(L.t.v[1].type, T_NAME);
    CHECK_INT(L.t.v[2].type, T_NAME);
    CHECK_INT(L.t.v[3].type, T_NAME);
    CHECK_INT(L.t.v[4].type, K_async);
    CHECK_INT(L.t.v[5].type, K_await);
    CHECK(L.t.v[6].ident == L.t.v[7].ident);
    CHECK(L.t.v[6].ident == intern_cstr(L.in, "print"));
    CHECK_INT(ident_len(L.t.v[0].ident), 5);
    lex_done(&L);

    /* identifiers are NFKC-normalised (PEP 3131): fullwidth letters */
    lex_str(&L, "\xEF\xBD\x81 = a\n");
    CHECK(L.t.v[0].ident == L.t.v[2].ident);
    lex_done(&L);
}

static void test_errors(void)
{
    lexed L;
    lex_str(&L, "x = 'abc\ny = 1\n");
    CHECK_INT(L.d.n, 1);
    CHECK_INT(L.d.v[0].line, 1);
    CHECK_INT(L.d.v[0].col, 5);
    CHECK_STR(L.d.v[0].message, "unterminated string literal (detected at line 1)");
    CHECK_INT(L.t.v[2].type, T_ERROR);
    CHECK_INT(L.t.v[4].type, T_NAME); /* the next line lexes normally */
    lex_done(&L);

    lex_str(&L, "x = $\n");
    CHECK_INT(L.d.n, 1);
    CHECK_STR(L.d.v[0].message, "invalid character '$' (U+0024)");
    lex_done(&L);

    lex_str(&L, "x = (1,\ndef f(): pass\n");
    CHECK_INT(L.d.n, 1);
    CHECK_STR(L.d.v[0].message, "'(' was never closed");
    CHECK_INT(L.d.v[0].line, 1);
    CHECK_INT(L.d.v[0].col, 5);
    lex_done(&L);

    /* 1000 open brackets: one error, not a thousand */
    char deep[1100];
    memset(deep, '(', 1000);
    strcpy(deep + 1000, "\n");
    lex_str(&L, deep);
    CHECK_STR(L.d.v[0].message, "too many nested parentheses");
    CHECK(L.d.n <= 2);
    lex_done(&L);

    /* bytes that are not UTF-8 inside strings and comments are carried */
    lex_str(&L, "s = '\xff\xfe' # \xc0\n");
    CHECK_INT(L.d.n, 0);
    CHECK_INT(L.t.v[2].type, T_STRING);
    lex_done(&L);
}

int main(void)
{
    test_operators();
    test_indent();
    test_positions();
    test_strings_numbers();
    test_keywords_and_interning();
    test_errors();
    return T_DONE("test_lex");
}
