/* lines.c - line tables; see lines.h. */
#include "lines.h"
#include "xalloc.h"

#include <stdint.h>
#include <string.h>

size_t lines_scan(const unsigned char *s, size_t len, size_t first, size_t *start, size_t cap)
{
    size_t k = 0;
    if (k < cap) start[k] = first;
    k++;
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    size_t i = first;
    for (;;) {
        /* skip eight bytes at a time while none is '\n' or '\r' */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            uint64_t xn = w ^ (ones * '\n'), xr = w ^ (ones * '\r');
            if (((xn - ones) & ~xn & highs) | ((xr - ones) & ~xr & highs)) break;
            i += 8;
        }
        size_t lim = i + 8 < len ? i + 8 : len;
        for (; i < lim; i++) {
            unsigned char c = s[i];
            if (c != '\n' && c != '\r') continue;
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n') i++;
            if (k < cap) start[k] = i + 1;
            k++;
        }
        if (i >= len) break;
    }
    return k;
}

size_t *lines_build(const unsigned char *s, size_t len, size_t first, size_t *n)
{
    size_t cap = LINES_GUESS(len);
    size_t *start = xmalloc_n(cap, sizeof *start);
    *n = lines_scan(s, len, first, start, cap);
    if (*n > cap) {
        start = xrealloc_n(start, *n, sizeof *start);
        lines_scan(s, len, first, start, *n);
    }
    return start;
}

size_t lines_find(const size_t *start, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (start[mid] <= off) lo = mid;
        else hi = mid;
    }
    return lo;
}
