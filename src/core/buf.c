/* buf.c - growable, capped byte buffer; see buf.h. */
#include "buf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

static vg_status reserve(buf *b, size_t add)
{
    if (add > (size_t)-1 - b->len - 1) return VG_ERR_LIMIT;
    size_t need = b->len + add + 1;
    if (b->max && need > b->max + 1) return VG_ERR_LIMIT;
    if (need > b->cap) {
        size_t c = b->cap ? b->cap : 64;
        while (c < need) c = c * 2 < c ? need : c * 2;
        b->data = xrealloc(b->data, c);
        b->cap = c;
    }
    return VG_OK;
}

vg_status buf_reserve(buf *b, size_t n)
{
    return reserve(b, n);
}

vg_status buf_append(buf *b, const void *p, size_t n)
{
    vg_status rc = reserve(b, n);
    if (rc) return rc;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return VG_OK;
}

vg_status buf_puts(buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

vg_status buf_putc(buf *b, char c)
{
    return buf_append(b, &c, 1);
}

vg_status buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return VG_ERR_INTERNAL;
    vg_status rc = reserve(b, (size_t)n);
    if (rc) return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return VG_OK;
}

vg_status buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vg_status rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void buf_clear(buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = 0;
}

char *buf_detach(buf *b)
{
    char *d = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
