/* buf.h - a growable byte buffer with an optional cap (curl's dynbuf).
 *
 * The buffer is always NUL-terminated after its contents.  Appends past
 * `max` (0 = unlimited) fail with VG_ERR_LIMIT and leave the buffer as it
 * was, so hostile input cannot grow it without bound.  The caller owns
 * b->data; buf_free releases it, buf_detach hands it over.
 */
#ifndef VG_BUF_H
#define VG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "status.h"

typedef struct buf {
    char *data;
    size_t len, cap, max;
} buf;

void buf_init(buf *b, size_t max);
vg_status buf_append(buf *b, const void *p, size_t n);
/* Room for n more bytes (and the NUL) at data + len, to be written there. */
vg_status buf_reserve(buf *b, size_t n);
vg_status buf_puts(buf *b, const char *s);
vg_status buf_putc(buf *b, char c);
vg_status buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
vg_status buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_clear(buf *b);          /* length 0, keeps the memory */
char *buf_detach(buf *b);        /* returns data (never NULL); b is reset */
void buf_free(buf *b);

#endif
