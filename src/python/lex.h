/* lex.h - the Python 3.13 tokenizer.
 *
 * lex_all turns a file into an array of tokens in the arena: NAME (with
 * the interned identifier; keywords get their own token type, soft
 * keywords match/case/type/_ stay NAME), NUMBER, STRING (one token per
 * literal, f-strings included: PEP 701 nesting is resolved here so the
 * token spans the whole literal; parse.c re-lexes the replacement fields
 * with lex_fstring_expr), operators, NEWLINE, INDENT, DEDENT and a final
 * EOF.  Comments are collected separately (for pragmas).
 *
 * Errors (unterminated string, bad indentation, a bracket never closed,
 * an unexpected character) are reported through the diag list as
 * `path:line:col: message` and become T_ERROR tokens; lexing always runs to
 * the end of the input.  A bracket left open when a line begins with a
 * statement keyword that can never appear inside brackets (def, class,
 * return, import, ...) is reported and closed there, so one missing ')'
 * does not swallow the rest of the file.
 */
#ifndef VG_PY_LEX_H
#define VG_PY_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/diag.h"
#include "../core/intern.h"
#include "../core/limits.h"
#include "parse.h"

#define PY_TOKENS(X)                                                           \
    X(T_EOF, "end of file") X(T_NEWLINE, "newline") X(T_INDENT, "indent")      \
    X(T_DEDENT, "dedent") X(T_NAME, "name") X(T_NUMBER, "number")              \
    X(T_STRING, "string") X(T_ERROR, "error")                                  \
    X(K_False, "False") X(K_None, "None") X(K_True, "True") X(K_and, "and")     \
    X(K_as, "as") X(K_assert, "assert") X(K_async, "async") X(K_await, "await") \
    X(K_break, "break") X(K_class, "class") X(K_continue, "continue")          \
    X(K_def, "def") X(K_del, "del") X(K_elif, "elif") X(K_else, "else")        \
    X(K_except, "except") X(K_finally, "finally") X(K_for, "for")              \
    X(K_from, "from") X(K_global, "global") X(K_if, "if")                      \
    X(K_import, "import") X(K_in, "in") X(K_is, "is") X(K_lambda, "lambda")    \
    X(K_nonlocal, "nonlocal") X(K_not, "not") X(K_or, "or") X(K_pass, "pass")  \
    X(K_raise, "raise") X(K_return, "return") X(K_try, "try")                  \
    X(K_while, "while") X(K_with, "with") X(K_yield, "yield")                  \
    X(O_LPAR, "(") X(O_RPAR, ")") X(O_LSQB, "[") X(O_RSQB, "]")                \
    X(O_LBRACE, "{") X(O_RBRACE, "}") X(O_COLON, ":") X(O_COMMA, ",")          \
    X(O_SEMI, ";") X(O_PLUS, "+") X(O_MINUS, "-") X(O_STAR, "*")               \
    X(O_SLASH, "/") X(O_VBAR, "|") X(O_AMPER, "&") X(O_LESS, "<")              \
    X(O_GREATER, ">") X(O_EQUAL, "=") X(O_DOT, ".") X(O_PERCENT, "%")          \
    X(O_EQEQUAL, "==") X(O_NOTEQUAL, "!=") X(O_LESSEQUAL, "<=")                \
    X(O_GREATEREQUAL, ">=") X(O_TILDE, "~") X(O_CIRCUMFLEX, "^")               \
    X(O_LEFTSHIFT, "<<") X(O_RIGHTSHIFT, ">>") X(O_DOUBLESTAR, "**")           \
    X(O_PLUSEQUAL, "+=") X(O_MINEQUAL, "-=") X(O_STAREQUAL, "*=")              \
    X(O_SLASHEQUAL, "/=") X(O_PERCENTEQUAL, "%=") X(O_AMPEREQUAL, "&=")        \
    X(O_VBAREQUAL, "|=") X(O_CIRCUMFLEXEQUAL, "^=")                            \
    X(O_LEFTSHIFTEQUAL, "<<=") X(O_RIGHTSHIFTEQUAL, ">>=")                     \
    X(O_DOUBLESTAREQUAL, "**=") X(O_DOUBLESLASH, "//")                         \
    X(O_DOUBLESLASHEQUAL, "//=") X(O_AT, "@") X(O_ATEQUAL, "@=")               \
    X(O_RARROW, "->") X(O_ELLIPSIS, "...") X(O_COLONEQUAL, ":=")               \
    X(O_EXCLAMATION, "!")

typedef enum py_tok {
#define PY_TOK_ENUM(t, s) t,
    PY_TOKENS(PY_TOK_ENUM)
#undef PY_TOK_ENUM
    T_COUNT
} py_tok;

#define LEX_IS_KEYWORD(t) ((t) >= K_False && (t) <= K_yield)

/* String token flags. */
enum { LEXS_F = 1, LEXS_B = 2, LEXS_R = 4, LEXS_U = 8, LEXS_TRIPLE = 16, LEXS_T = 32 };

typedef struct lex_token {
    uint8_t type;             /* py_tok */
    uint8_t sflags;           /* STRING: LEXS_* */
    uint8_t prefix_len;       /* STRING: bytes of prefix before the quote */
    uint8_t first_on_line;    /* first token of a physical line */
    uint32_t start, end;      /* byte offsets in the source */
    int lineno, col, end_lineno, end_col;
    const char *ident;        /* NAME and keywords: interned text */
} lex_token;

typedef struct lex_tokens {
    lex_token *v;             /* malloc'd: release with lex_tokens_release (lex_all) or free */
    size_t n, cap;
    py_comment *comments;
    size_t ncomments;
    int nlines;
    int nerrors;
} lex_tokens;

/* The lexer state shared by the whole file (line table for positions). */
typedef struct lex_file {
    arena *a;
    interner *in;
    const char *path;
    const unsigned char *src;
    size_t len;
    size_t *line_start;       /* line_start[i]: offset of line i+1 (core/lines.h); a
                                 SIZE_MAX sentinel follows the last */
    int nlines;
    int cursor;               /* last line looked up (monotonic fast path) */
    diag_list *errors;
    int nerrors;
} lex_file;

void lex_file_init(lex_file *f, arena *a, interner *in, const char *path,
                   const unsigned char *src, size_t len, diag_list *errors);
/* Line (1-based) and column (0-based byte) of offset off. */
void lex_pos(lex_file *f, size_t off, int *line, int *col);
void lex_error(lex_file *f, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Tokenize the whole file.  out->v is reused from this thread's previous
 * file when there was one; hand it back with lex_tokens_release. */
void lex_all(lex_file *f, lex_tokens *out);
void lex_tokens_release(lex_tokens *t);

/* Tokenize one f-string replacement field's expression, starting at `off`
 * (just after '{' or after a format-spec '{'), bracket mode, up to the first
 * '}', '!' (not '!='), ':' or '=' (not part of another operator) at bracket
 * depth 0; single_line: the f-string is not triple-quoted, so the field
 * ends at a newline.  The tokens (ending in a T_EOF placed at the terminator) go to
 * out; returns the offset of the terminator, or (size_t)-1 after an error. */
size_t lex_fstring_expr(lex_file *f, size_t off, int depth, int single_line, lex_tokens *out);

const char *lex_tok_name(py_tok t);

#endif
