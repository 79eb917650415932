/* utf8.h - the one UTF-8 codec: decode one code point, encode one, count
 * and step over code points.
 *
 * utf8_decode reads the sequence at s (n >= 1 bytes available) and
 * returns its length (1-4) with the code point in *cp, or 0 when the bytes
 * there are not well-formed UTF-8: a stray continuation byte, a truncated
 * or interrupted sequence, an overlong form, a surrogate (U+D800-DFFF) or
 * a value past U+10FFFF (RFC 3629; what JSON, TOML and terminals need).
 * utf8_decode_ex relaxes it for the Python front end:
 *   UTF8_SURROGATES  surrogates are accepted (WTF-8, as the lexer copies
 *                    them through and str values may hold them);
 *   UTF8_LAX         only the shape is checked: a lead byte (0xC0-0xFF;
 *                    0xF0 and up all take three continuation bytes) and its
 *                    continuation bytes; overlongs, surrogates and values
 *                    past U+10FFFF are decoded as written (ast.dump's repr).
 * On 0, *cp is left alone.
 *
 * utf8_encode writes cp (< 0x200000) in 1-4 bytes, surrogates as WTF-8,
 * and returns the length; utf8_put appends that to a buf.
 *
 * utf8_count and utf8_skip count the way a column does: every byte that
 * is not a continuation byte (10xxxxxx) starts a code point, so invalid
 * bytes count one each and nothing is validated.  utf8_skip returns the
 * offset just past the first k code points of s[0..n) (n if it has fewer);
 * utf8_back the start of the code point that ends at `end`, stepping back
 * over at most three continuation bytes.
 */
#ifndef VG_UTF8_H
#define VG_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum { UTF8_STRICT = 0, UTF8_SURROGATES = 1, UTF8_LAX = 2 };

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
size_t utf8_decode_ex(const unsigned char *s, size_t n, uint32_t *cp, unsigned flags);
size_t utf8_encode(uint32_t cp, char out[4]);
void utf8_put(buf *b, uint32_t cp);

size_t utf8_count(const unsigned char *s, size_t n);
size_t utf8_skip(const unsigned char *s, size_t n, size_t k);
size_t utf8_back(const unsigned char *s, size_t end);

static inline int utf8_is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

#endif
