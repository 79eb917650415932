/* sort.c - the stable merge sort of sort.h: a natural merge sort, which
 * finds the runs already in order and merges neighbours until one is
 * left (log2 of the runs passes, none for a list in order). */
#include "sort.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

typedef int (*cmp_fn)(const void *, const void *);

/* Merge v[0..h) and v[h..n), both in order, keeping the left one's
 * element first of equals; tmp: room for h elements. */
static void merge(char *v, size_t h, size_t n, size_t sz, char *tmp, cmp_fn cmp)
{
    if (cmp(v + (h - 1) * sz, v + h * sz) <= 0) return;
    memcpy(tmp, v, h * sz);
    size_t a = 0, b = h, k = 0;
    while (a < h && b < n) {
        if (cmp(v + b * sz, tmp + a * sz) < 0) memcpy(v + k++ * sz, v + b++ * sz, sz);
        else memcpy(v + k++ * sz, tmp + a++ * sz, sz);
    }
    memcpy(v + k * sz, tmp + a * sz, (h - a) * sz);
}

void sort_stable(void *base, size_t n, size_t size, cmp_fn cmp)
{
    char *v = base;
    size_t i = 1;
    while (i < n && cmp(v + (i - 1) * size, v + i * size) <= 0) i++;
    if (i >= n) return; /* in order already: nothing to allocate */
    size_t nr = 1, cap = 0, *at = NULL; /* run r: [at[r], at[r + 1]) */
    XGROW(at, cap, 2);
    at[0] = 0;
    while (i < n) {
        XGROW(at, cap, nr + 2);
        at[nr++] = i++;
        while (i < n && cmp(v + (i - 1) * size, v + i * size) <= 0) i++;
    }
    at[nr] = n;
    char *tmp = xmalloc_n(n, size); /* a merge's left run: up to n - 1 */
    while (nr > 1) {
        size_t w = 0;
        for (size_t r = 0; r < nr; r += 2) {
            if (r + 1 < nr)
                merge(v + at[r] * size, at[r + 1] - at[r], at[r + 2] - at[r], size, tmp, cmp);
            at[w++] = at[r];
        }
        at[w] = n;
        nr = w;
    }
    free(tmp);
    free(at);
}
