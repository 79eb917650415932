/* strlit.c - Python literal decoding (see strlit.h). */
#include "strlit.h"

#include <stdlib.h>
#include <string.h>

void strlit_put_utf8(buf *b, uint32_t cp)
{
    char o[4];
    size_t n;
    if (cp < 0x80) {
        o[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_append(b, o, n);
}

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    return -1;
}

/* Length of a valid UTF-8 sequence at s (0 if invalid). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t k;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) k = 2;
    else if (c >= 0xE0 && c <= 0xEF) k = 3;
    else if (c >= 0xF0 && c <= 0xF4) k = 4;
    else return 0;
    if (k > n) return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;
    if (c == 0xF0 && s[1] < 0x90) return 0;
    if (c == 0xF4 && s[1] > 0x8F) return 0;
    return k;
}

int strlit_decode(buf *b, const unsigned char *s, size_t n, int raw, int is_bytes,
                  const char **err, size_t *err_off, int *bad_utf8)
{
    size_t i = 0;
    while (i < n) {
        /* fast path: a run of plain bytes */
        size_t j = i;
        while (j < n && s[j] != '\\' && s[j] != '\r' && s[j] < 0x80)
            j++;
        if (j > i) {
            buf_append(b, s + i, j - i);
            i = j;
            if (i >= n)
                break;
        }
        unsigned c = s[i];
        if (c == '\r') {
            buf_putc(b, '\n');
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c >= 0x80) {
            size_t k = utf8_len(s + i, n - i);
            if (k == 0) {
                *bad_utf8 = 1;
                k = 1;
            }
            buf_append(b, s + i, k);
            i += k;
            continue;
        }
        /* backslash */
        if (raw || i + 1 >= n) {
            if (raw && i + 1 < n && s[i + 1] != '\r') {
                /* a raw backslash keeps the next character too (so \" stays) */
                buf_putc(b, '\\');
                i++;
                continue;
            }
            buf_putc(b, '\\');
            i++;
            continue;
        }
        unsigned e = s[i + 1];
        size_t start = i;
        i += 2;
        switch (e) {
        case '\n': break;
        case '\r': if (i < n && s[i] == '\n') i++; break;
        case '\\': buf_putc(b, '\\'); break;
        case '\'': buf_putc(b, '\''); break;
        case '"': buf_putc(b, '"'); break;
        case 'a': buf_putc(b, '\a'); break;
        case 'b': buf_putc(b, '\b'); break;
        case 'f': buf_putc(b, '\f'); break;
        case 'n': buf_putc(b, '\n'); break;
        case 'r': buf_putc(b, '\r'); break;
        case 't': buf_putc(b, '\t'); break;
        case 'v': buf_putc(b, '\v'); break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            uint32_t v = e - '0';
            for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
                v = v * 8 + (s[i++] - '0');
            if (is_bytes)
                buf_putc(b, (char)(v & 0xFF));
            else
                strlit_put_utf8(b, v);
            break;
        }
        case 'x': {
            int h1 = i < n ? hexval(s[i]) : -1, h2 = i + 1 < n ? hexval(s[i + 1]) : -1;
            if (h1 < 0 || h2 < 0) {
                *err = is_bytes ? "(value error) invalid \\x escape" : "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\xXX escape";
                *err_off = start;
                return -1;
            }
            i += 2;
            uint32_t v = (uint32_t)(h1 * 16 + h2);
            if (is_bytes)
                buf_putc(b, (char)v);
            else
                strlit_put_utf8(b, v);
            break;
        }
        case 'u':
        case 'U': {
            if (is_bytes) {
                buf_putc(b, '\\');
                buf_putc(b, (char)e);
                break;
            }
            int len = e == 'u' ? 4 : 8;
            uint32_t v = 0;
            for (int k = 0; k < len; k++) {
                int h = i < n ? hexval(s[i]) : -1;
                if (h < 0) {
                    *err = e == 'u' ? "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\uXXXX escape"
                                    : "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\UXXXXXXXX escape";
                    *err_off = start;
                    return -1;
                }
                v = v * 16 + (uint32_t)h;
                i++;
            }
            if (v > 0x10FFFF) {
                *err = "(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character";
                *err_off = start;
                return -1;
            }
            strlit_put_utf8(b, v);
            break;
        }
        case 'N':
            /* \N{NAME}: no name table; kept as written */
            if (is_bytes || i >= n || s[i] != '{') {
                buf_putc(b, '\\');
                buf_putc(b, (char)e);
                if (!is_bytes) {
                    *err = "(unicode error) 'unicodeescape' codec can't decode bytes: malformed \\N character escape";
                    *err_off = start;
                    return -1;
                }
                break;
            }
            buf_append(b, s + start, 2);
            break;
        default:
            buf_putc(b, '\\');
            i--; /* the character after the backslash is plain */
            break;
        }
    }
    return 0;
}

void strlit_number(const char *s, size_t n, py_const_kind *kind, int64_t *ival,
                   int *ival_ok, double *fval)
{
    char tmp[128];
    char *t = n < sizeof tmp ? tmp : malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_')
            t[k++] = s[i];
    t[k] = '\0';
    *ival_ok = 0;
    *ival = 0;
    *fval = 0;
    int base = 10;
    const char *d = t;
    if (k > 1 && t[0] == '0' && ((t[1] | 0x20) == 'x' || (t[1] | 0x20) == 'o' || (t[1] | 0x20) == 'b')) {
        base = (t[1] | 0x20) == 'x' ? 16 : (t[1] | 0x20) == 'o' ? 8 : 2;
        d = t + 2;
    }
    if (k > 0 && (t[k - 1] | 0x20) == 'j') {
        *kind = PY_CONST_COMPLEX;
        t[k - 1] = '\0';
        *fval = strtod(t, NULL);
    } else if (base == 10 && strpbrk(t, ".eE")) {
        *kind = PY_CONST_FLOAT;
        *fval = strtod(t, NULL);
    } else {
        *kind = PY_CONST_INT;
        uint64_t v = 0;
        int ok = 1;
        for (const char *p = d; *p; p++) {
            int h = hexval((unsigned char)*p);
            if (h < 0 || h >= base) { ok = 0; break; }
            if (v > (UINT64_MAX - (uint64_t)h) / (uint64_t)base) { ok = 0; break; }
            v = v * (uint64_t)base + (uint64_t)h;
        }
        if (ok && v <= (uint64_t)INT64_MAX) {
            *ival = (int64_t)v;
            *ival_ok = 1;
        }
        *fval = (double)v;
    }
    if (t != tmp)
        free(t);
}

int is_decimal_leading_zero(const char *s, size_t n)
{
    if (n < 2 || s[0] != '0')
        return 0;
    int nonzero = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i] >= '1' && s[i] <= '9')
            nonzero = 1;
        else if (s[i] != '0' && s[i] != '_')
            return 0;
    }
    return nonzero;
}
