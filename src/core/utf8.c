/* utf8.c - UTF-8 decoding, encoding and counting; see utf8.h. */
#include "utf8.h"

size_t utf8_decode_ex(const unsigned char *s, size_t n, uint32_t *cp, unsigned flags)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c < 0xC0) return 0; /* a continuation byte */
    if (c < 0xE0) len = 2, v = c & 0x1F, min = 0x80;
    else if (c < 0xF0) len = 3, v = c & 0x0F, min = 0x800;
    else len = 4, v = c & 0x07, min = 0x10000;
    if (!(flags & UTF8_LAX) && c > 0xF4) return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if (!utf8_is_cont(s[i])) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (!(flags & UTF8_LAX)) {
        if (v < min || v > 0x10FFFF) return 0;
        if (!(flags & UTF8_SURROGATES) && v >= 0xD800 && v <= 0xDFFF) return 0;
    }
    *cp = v;
    return len;
}

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    return utf8_decode_ex(s, n, cp, UTF8_STRICT);
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void utf8_put(buf *b, uint32_t cp)
{
    char o[4];
    buf_append(b, o, utf8_encode(cp, o));
}

size_t utf8_count(const unsigned char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += !utf8_is_cont(s[i]);
    return c;
}

size_t utf8_skip(const unsigned char *s, size_t n, size_t k)
{
    size_t i = 0;
    for (; k && i < n; k--) {
        i++;
        while (i < n && utf8_is_cont(s[i])) i++;
    }
    return i;
}

size_t utf8_back(const unsigned char *s, size_t end)
{
    size_t i = end ? end - 1 : 0;
    while (i > 0 && end - i < 4 && utf8_is_cont(s[i])) i--;
    return i;
}
