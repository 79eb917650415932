/* sort.h - a stable sort that costs about one pass over data in order. */
#ifndef VG_SORT_H
#define VG_SORT_H

#include <stddef.h>

/* Sort base[0..n) (elements of `size` bytes) by cmp, keeping equal
 * elements in the order they came in, like glibc's qsort on inputs of
 * this program's sizes.  A merge sort that skips the merge of two halves
 * already in order: a list in order, or a few sorted lists one after
 * another (hits in end order, matches pattern by pattern), costs about
 * one comparison an element instead of log n. */
void sort_stable(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
