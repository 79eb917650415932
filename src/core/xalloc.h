/* xalloc.h - the one allocator wrapper for everything outside an arena.
 *
 * Sizes are overflow-checked (Lua's luaM_testsize): xmalloc_n(n, size)
 * never wraps.  Allocation failure aborts the process with a message on
 * stderr; this is the single place library code may terminate, because
 * there is nothing sensible to return to when memory is gone.
 */
#ifndef VG_XALLOC_H
#define VG_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xrealloc_n(void *p, size_t n, size_t size); /* n * size, checked */
void *xmalloc_n(size_t n, size_t size);           /* n * size, checked */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *cap so that it holds at least need elements (doubling). */
#define XGROW(ptr, cap, need)                                                  \
    do {                                                                       \
        if ((need) > (cap)) {                                                  \
            size_t xg_c = (cap) ? (cap) : 8;                                   \
            while (xg_c < (need)) xg_c *= 2;                                   \
            (ptr) = xrealloc_n((ptr), xg_c, sizeof *(ptr));                    \
            (cap) = xg_c;                                                      \
        }                                                                      \
    } while (0)

#endif
