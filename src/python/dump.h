/* dump.h - CPython's ast.dump() text for a syntax tree.
 *
 * ast_dump appends exactly what Python 3.11's ast.dump(tree) prints (default
 * arguments: annotated fields, no positions, one line), except that numbers
 * appear as written in the source (1_000, 0x1F, 1e3), so compare with the
 * numbers normalised.  Nodes only Python 3.12+ has (TypeAlias, type
 * parameters) print in the 3.12/3.13 format; type_params fields are printed
 * only when not empty so that 3.11 output stays byte-identical.  Trees
 * deeper than DUMP_MAX_DEPTH print "..." below that depth (the dump
 * recurses; the parser's own limits keep real trees far shallower).
 */
#ifndef VG_PY_DUMP_H
#define VG_PY_DUMP_H

#include "../core/buf.h"
#include "../core/limits.h"
#include "ast.h"

void ast_dump(buf *out, const py_node *n);

/* Python's repr() of a str given as UTF-8 (WTF-8), and of bytes. */
void dump_repr_str(buf *out, const char *s, size_t n);
void dump_repr_bytes(buf *out, const char *s, size_t n);

#endif
