/* coding.c - PEP 263 coding cookies and decoding; see coding.h. */
#include "coding.h"
#include "strlit.h"
#include "../core/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const coding_info coding_table[] = {
#define CODING(name, canon, dec, iconv, hides) {name, canon, dec, iconv, hides},
#include "codecs.def"
#undef CODING
};

int coding_cookie(const unsigned char *s, size_t len, char *name, size_t cap, int *line)
{
    size_t p = 0;
    for (int ln = 0; ln < 2 && p < len; ln++) {
        size_t e = p;
        while (e < len && s[e] != '\n' && s[e] != '\r') e++;
        size_t q = p;
        while (q < e && (s[q] == ' ' || s[q] == '\t' || s[q] == '\f')) q++;
        if (q < e && s[q] == '#') {
            for (size_t k = q; k + 7 <= e; k++) {
                if (memcmp(s + k, "coding", 6) != 0 || (s[k + 6] != ':' && s[k + 6] != '=')) continue;
                size_t v = k + 7, n = 0;
                while (v < e && (s[v] == ' ' || s[v] == '\t')) v++;
                while (v < e && n + 1 < cap &&
                       ((s[v] >= 'a' && s[v] <= 'z') || (s[v] >= 'A' && s[v] <= 'Z') ||
                        (s[v] >= '0' && s[v] <= '9') || s[v] == '-' || s[v] == '_' || s[v] == '.'))
                    name[n++] = (char)s[v++];
                name[n] = '\0';
                if (n == 0) break; /* "coding:" with no name: look further on the line */
                *line = ln + 1;
                return 1;
            }
        } else if (q < e) {
            return 0; /* a code line ends the search */
        }
        p = e < len && s[e] == '\r' && e + 1 < len && s[e + 1] == '\n' ? e + 2 : e + 1;
    }
    return 0;
}

/* The tokenizer's get_normal_name, then encodings.normalize_encoding and
 * lower-casing: "UTF-8-unix" is utf-8, "Latin-1" iso-8859-1, runs of
 * other punctuation one '_'. */
static void coding_normalise(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    int pend = 0;
    for (const char *p = in; *p && n + 2 < cap; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.') {
            if (pend && n) out[n++] = '_';
            pend = 0;
            out[n++] = c;
        } else {
            pend = 1;
        }
    }
    out[n] = 0;
    static const char *const utf8[] = {"utf_8_", NULL};
    static const char *const latin[] = {"latin_1_", "iso_8859_1_", "iso_latin_1_", NULL};
    for (int i = 0; utf8[i]; i++)
        if (!strncmp(out, utf8[i], strlen(utf8[i]))) strcpy(out, "utf_8");
    for (int i = 0; latin[i]; i++)
        if (!strncmp(out, latin[i], strlen(latin[i]))) strcpy(out, "latin_1");
}

static int coding_cmp(const void *k, const void *e)
{
    return strcmp(k, ((const coding_info *)e)->name);
}

const coding_info *coding_lookup(const char *name)
{
    char norm[128];
    coding_normalise(name, norm, sizeof norm);
    return bsearch(norm, coding_table, sizeof coding_table / sizeof *coding_table,
                   sizeof *coding_table, coding_cmp);
}

static int hexval(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* `digits` hex digits at s[*i]; -1 when short or past U+10FFFF. */
static long hex_escape(const unsigned char *s, size_t len, size_t *i, int digits)
{
    long v = 0;
    for (int k = 0; k < digits; k++) {
        int h = *i < len ? hexval(s[*i]) : -1;
        if (h < 0) return -1;
        v = v << 4 | h;
        (*i)++;
    }
    return v > 0x10FFFF ? -1 : v;
}

/* unicode_escape (CPython's _PyUnicode_DecodeUnicodeEscapeInternal):
 * bytes are Latin-1, backslash escapes as in a non-raw str literal, an
 * unknown escape kept as written. */
static int decode_uesc(const unsigned char *s, size_t len, buf *out)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i++];
        if (c != '\\') {
            utf8_put(out, c);
            continue;
        }
        if (i >= len) return -1; /* "\ at end of string" */
        c = s[i++];
        long v;
        switch (c) {
        case '\n': continue;
        case '\\': case '\'': case '"': v = c; break;
        case 'a': v = 7; break;
        case 'b': v = 8; break;
        case 'f': v = 12; break;
        case 'n': v = 10; break;
        case 'r': v = 13; break;
        case 't': v = 9; break;
        case 'v': v = 11; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
            v = c - '0';
            for (int k = 0; k < 2 && i < len && s[i] >= '0' && s[i] <= '7'; k++) v = v * 8 + (s[i++] - '0');
            break;
        case 'x': v = hex_escape(s, len, &i, 2); break;
        case 'u': v = hex_escape(s, len, &i, 4); break;
        case 'U': v = hex_escape(s, len, &i, 8); break;
        case 'N': {
            size_t e = i;
            if (e >= len || s[e] != '{') return -1;
            while (e < len && s[e] != '}' && e - i < 256) e++;
            uint32_t cp;
            if (e >= len || s[e] != '}' || !strlit_lookup_name((const char *)s + i + 1, e - i - 1, &cp))
                return -1;
            v = (long)cp;
            i = e + 1;
            break;
        }
        default:
            utf8_put(out, '\\');
            v = c;
        }
        if (v < 0) return -1;
        utf8_put(out, (uint32_t)v);
    }
    return 0;
}

/* raw_unicode_escape: bytes are Latin-1; \uXXXX and \UXXXXXXXX are
 * decoded only after an odd run of backslashes. */
static int decode_rawuesc(const unsigned char *s, size_t len, buf *out)
{
    for (size_t i = 0; i < len;) {
        if (s[i] != '\\') {
            utf8_put(out, s[i++]);
            continue;
        }
        size_t run = 0;
        while (i < len && s[i] == '\\') run++, i++;
        int esc = (run & 1) && i < len && (s[i] == 'u' || s[i] == 'U');
        for (size_t k = 0; k < run - (size_t)esc; k++) utf8_put(out, '\\');
        if (!esc) continue;
        int digits = s[i] == 'u' ? 4 : 8;
        i++;
        long v = hex_escape(s, len, &i, digits);
        if (v < 0) return -1;
        utf8_put(out, (uint32_t)v);
    }
    return 0;
}

static int decode_iconv(const char *name, const unsigned char *s, size_t len, buf *out)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) return -1;
    char *ip = (char *)(uintptr_t)s;
    size_t il = len;
    int rc = 0;
    char chunk[16384];
    while (il) {
        char *op = chunk;
        size_t ol = sizeof chunk;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        if (buf_append(out, chunk, sizeof chunk - ol)) rc = -1;
        if (rc || (r == (size_t)-1 && errno != E2BIG)) {
            rc = -1;
            break;
        }
    }
    if (!rc) { /* flush a stateful codec's shift state */
        char *op = chunk;
        size_t ol = sizeof chunk;
        if (iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1 || buf_append(out, chunk, sizeof chunk - ol))
            rc = -1;
    }
    iconv_close(cd);
    return rc;
}

int coding_decode(const coding_info *ci, const unsigned char *s, size_t len, buf *out)
{
    buf_clear(out);
    int rc;
    switch (ci->dec) {
    case CD_UTF8: rc = buf_append(out, s, len) ? -1 : 0; break;
    case CD_ICONV: rc = decode_iconv(ci->iconv, s, len, out); break;
    case CD_UESC: rc = decode_uesc(s, len, out); break;
    case CD_RAWUESC: rc = decode_rawuesc(s, len, out); break;
    default: rc = -1;
    }
    return rc;
}
