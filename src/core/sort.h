/* sort.h - a stable sort that costs about one pass over data in order. */
#ifndef VG_SORT_H
#define VG_SORT_H

#include <stddef.h>

/* Sort base[0..n) (elements of `size` bytes) by cmp, keeping equal
 * elements in the order they came in, like glibc's qsort on inputs of
 * this program's sizes.  A natural merge sort: it finds the runs
 * already in order and merges neighbours, so a list in order costs one
 * comparison an element (and no allocation), and a few sorted lists one
 * after another (matches pattern by pattern) log2 of their count passes
 * instead of log2 n. */
void sort_stable(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
