/* parse.h - the error-tolerant Python 3.13 parser.
 *
 * py_parse turns one file's bytes into a syntax tree (ast.h) and never
 * gives up on a file: on a syntax error it records `path:line:col: message`
 * in `errors` (DIAG_ERROR; the caller shows them as warnings), skips to the
 * next statement at the same or an outer indentation and goes on, so the
 * rest of the file still yields its functions and calls.  It always returns
 * a module (possibly with an empty body).
 *
 * Memory: everything (the py_module, nodes, lists, decoded strings,
 * comments) comes from arena `a`; identifiers come from interner `in`
 * (owned by the calling thread, see intern.h).  The source bytes are not
 * referenced after py_parse returns (except through nothing: all strings
 * are copied), so the caller may unmap them.
 *
 * Limits: nesting deeper than PY_MAX_DEPTH (brackets, blocks, expression
 * operators together) is a clear error ("too many nested ...") and the
 * offending statement is dropped; no input can overflow the C stack.
 * Input of any size parses in memory proportional to its size.
 *
 * Thread model: py_parse is reentrant; run one per thread, each with its
 * own arena and interner.
 */
#ifndef VG_PY_PARSE_H
#define VG_PY_PARSE_H

#include <stddef.h>

#include "../core/arena.h"
#include "../core/diag.h"
#include "../core/intern.h"
#include "../core/limits.h"
#include "ast.h"

/* A comment, kept for pragmas (# nosec, # vibeguard: ignore[...], # noqa). */
typedef struct py_comment {
    int lineno, col_offset;   /* of the '#', positions as in ast.h */
    const char *text;         /* from '#' to the end of line, NUL-terminated, in the arena */
    size_t len;
} py_comment;

typedef struct py_module {
    py_node *node;            /* kind PY_Module; statements in node->module.body */
    const char *path;         /* the path given to py_parse (not copied) */
    py_comment *comments;     /* in source order */
    size_t ncomments;
    int nerrors;              /* syntax errors recorded for this file */
    int nlines;
    size_t node_bytes;        /* arena bytes the nodes take (a measure: debug parse prints it) */
} py_module;

/* py_parse decodes a file with a PEP 263 coding cookie first (coding.h);
 * py_parse_decoded takes text the caller has decoded already (the scan
 * driver decodes once for every analyzer). */
py_module *py_parse(arena *a, interner *in, const char *path,
                    const unsigned char *src, size_t len, diag_list *errors);
py_module *py_parse_decoded(arena *a, interner *in, const char *path,
                            const unsigned char *src, size_t len, diag_list *errors);

/* The comment on `lineno`, or NULL (binary search). */
const py_comment *py_comment_at(const py_module *m, int lineno);

#endif
