/* jsonw.c - streaming JSON writer; see jsonw.h. */
#include "jsonw.h"
#include "../core/utf8.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jsonw_invisible(uint32_t cp)
{
    return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160 ||
           cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xE0000 && cp <= 0xE007F) ||
           (cp >= 0xE0100 && cp <= 0xE01EF);
}

static void put_u16(buf *b, uint32_t u)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[6] = {'\\', 'u', hex[(u >> 12) & 15], hex[(u >> 8) & 15], hex[(u >> 4) & 15],
                   hex[u & 15]};
    buf_append(b, tmp, 6);
}

void jsonw_escape(buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        size_t run = i; /* copy plain ASCII in runs */
        while (run < n && s[run] >= 0x20 && s[run] < 0x7F && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            buf_append(b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            switch (c) {
            case '"': buf_puts(b, "\\\""); break;
            case '\\': buf_puts(b, "\\\\"); break;
            case '\n': buf_puts(b, "\\n"); break;
            case '\r': buf_puts(b, "\\r"); break;
            case '\t': buf_puts(b, "\\t"); break;
            case '\b': buf_puts(b, "\\b"); break;
            case '\f': buf_puts(b, "\\f"); break;
            default: put_u16(b, c); break; /* other C0 controls and DEL */
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (!len) {
            buf_puts(b, "\\ufffd");
            i++;
            continue;
        }
        if ((cp >= 0x80 && cp < 0xA0) || jsonw_invisible(cp)) {
            if (cp >= 0x10000) { /* surrogate pair */
                uint32_t v = cp - 0x10000;
                put_u16(b, 0xD800 + (v >> 10));
                put_u16(b, 0xDC00 + (v & 0x3FF));
            } else {
                put_u16(b, cp);
            }
        } else {
            buf_append(b, s + i, len);
        }
        i += len;
    }
}

void jsonw_init(jsonw *w, buf *out, int pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
    w->first[0] = 1;
}

static void newline(jsonw *w);

/* The comma, then a newline and indentation, or one space on a one-line
 * level. */
static void separate(jsonw *w)
{
    int first = w->first[w->depth];
    if (!first) buf_putc(w->out, ',');
    w->first[w->depth] = 0;
    if (w->pretty && w->oneline[w->depth]) {
        if (!first) buf_putc(w->out, ' ');
    } else {
        newline(w);
    }
}

static void newline(jsonw *w)
{
    if (!w->pretty || w->oneline[w->depth]) return;
    buf_putc(w->out, '\n');
    for (int i = 0; i < w->depth; i++) buf_puts(w->out, "  ");
}

/* Before any value or key: the comma and indentation it needs. */
static int before(jsonw *w)
{
    if (w->err) return 0;
    if (w->after_key) {
        w->after_key = 0;
        return 1;
    }
    if (w->depth > 0 && w->is_obj[w->depth]) { /* a value needs its key first */
        w->err = VG_ERR_INTERNAL;
        return 0;
    }
    if (w->depth > 0) separate(w);
    return 1;
}

static void open(jsonw *w, char c, int obj, int oneline)
{
    if (!before(w)) return;
    if (w->depth + 1 >= JSONW_MAX_DEPTH) {
        w->err = VG_ERR_LIMIT;
        return;
    }
    buf_putc(w->out, c);
    w->depth++;
    w->first[w->depth] = 1;
    w->is_obj[w->depth] = (unsigned char)obj;
    w->oneline[w->depth] = (unsigned char)(oneline || w->oneline[w->depth - 1]);
}

void jsonw_obj(jsonw *w) { open(w, '{', 1, 0); }
void jsonw_arr(jsonw *w) { open(w, '[', 0, 0); }
void jsonw_arr_inline(jsonw *w) { open(w, '[', 0, 1); }

void jsonw_end(jsonw *w)
{
    if (w->err) return;
    if (w->depth == 0 || w->after_key) {
        w->err = VG_ERR_INTERNAL;
        return;
    }
    int empty = w->first[w->depth];
    char c = w->is_obj[w->depth] ? '}' : ']';
    int inl = w->oneline[w->depth];
    w->depth--;
    if (!empty && !inl) newline(w);
    buf_putc(w->out, c);
}

void jsonw_key(jsonw *w, const char *k)
{
    if (w->err) return;
    if (w->depth == 0 || !w->is_obj[w->depth] || w->after_key) {
        w->err = VG_ERR_INTERNAL;
        return;
    }
    separate(w);
    buf_putc(w->out, '"');
    jsonw_escape(w->out, k, strlen(k));
    buf_puts(w->out, w->pretty ? "\": " : "\":");
    w->after_key = 1;
}

void jsonw_strn(jsonw *w, const char *s, size_t n)
{
    if (!before(w)) return;
    buf_putc(w->out, '"');
    jsonw_escape(w->out, s, n);
    buf_putc(w->out, '"');
}

void jsonw_str(jsonw *w, const char *s)
{
    if (!s) jsonw_null(w);
    else jsonw_strn(w, s, strlen(s));
}

void jsonw_int(jsonw *w, int64_t v)
{
    if (before(w)) buf_printf(w->out, "%" PRId64, v);
}

void jsonw_uint(jsonw *w, uint64_t v)
{
    if (before(w)) buf_printf(w->out, "%" PRIu64, v);
}

void jsonw_double(jsonw *w, double v)
{
    if (!before(w)) return;
    if (!isfinite(v)) {
        buf_puts(w->out, "null");
        return;
    }
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v); /* shortest that reads back the same */
    if (strtod(tmp, NULL) != v) snprintf(tmp, sizeof tmp, "%.17g", v);
    buf_puts(w->out, tmp);
}

void jsonw_bool(jsonw *w, int v)
{
    if (before(w)) buf_puts(w->out, v ? "true" : "false");
}

void jsonw_null(jsonw *w)
{
    if (before(w)) buf_puts(w->out, "null");
}

void jsonw_kstr(jsonw *w, const char *k, const char *s) { jsonw_key(w, k); jsonw_str(w, s); }
void jsonw_kint(jsonw *w, const char *k, int64_t v) { jsonw_key(w, k); jsonw_int(w, v); }
void jsonw_kbool(jsonw *w, const char *k, int v) { jsonw_key(w, k); jsonw_bool(w, v); }

vg_status jsonw_finish(jsonw *w)
{
    if (w->err) return w->err;
    if (w->depth || w->after_key) return VG_ERR_INTERNAL;
    buf_putc(w->out, '\n');
    return VG_OK;
}
