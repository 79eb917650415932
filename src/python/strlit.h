/* strlit.h - Python literal decoding: string escapes and numbers.
 *
 * Pure functions over bytes, shared by the parser (values in the AST) and
 * tests.  Decoded str values are UTF-8 (lone surrogates from \ud800-style
 * escapes as 3-byte WTF-8); bytes values are raw bytes.
 */
#ifndef VG_PY_STRLIT_H
#define VG_PY_STRLIT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "ast.h"

/* Decode s[0..n) (a literal's body between the quotes, or an f-string's
 * literal part) into b.  raw: no escapes; is_bytes: \u \U \N are not
 * escapes.  Newlines (\r\n, \r) become \n.  Returns 0, or -1 with *err and
 * *err_off (offset into s) for a malformed escape such as a short \x.
 * *bad_utf8 is set when bytes that are not UTF-8 were copied through. */
int strlit_decode(buf *b, const unsigned char *s, size_t n, int raw, int is_bytes,
                  const char **err, size_t *err_off, int *bad_utf8);

/* Classify the number literal s[0..n) and compute its value: INT (ival
 * when it fits in int64, ival_ok), FLOAT (fval), COMPLEX (fval = imag). */
void strlit_number(const char *s, size_t n, py_const_kind *kind, int64_t *ival,
                   int *ival_ok, double *fval);

/* A decimal integer with a leading zero and a nonzero digit ("012"). */
int is_decimal_leading_zero(const char *s, size_t n);

/* The code point named `name` (\N{...}: case-insensitive, Unicode 14). */
int strlit_lookup_name(const char *name, size_t n, uint32_t *cp);

/* Append identifier s[0..n) in NFKC form (PEP 3131; per character, no
 * recomposition of combining sequences). */
void strlit_nfkc_ident(buf *b, const unsigned char *s, size_t n);

#endif
