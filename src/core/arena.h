/* arena.h - a bump allocator scoped to one unit of work (usually a file).
 *
 * Tokens, AST nodes and per-file strings come from an arena and all go in
 * one arena_reset() or arena_free().  Pointers into an arena go stale at
 * reset.  An arena is owned by one thread.  Allocation never fails (it
 * aborts on OOM like xmalloc); arena_alloc(a, 0) returns a unique pointer.
 */
#ifndef VG_ARENA_H
#define VG_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;   /* current chunk; older ones follow ->next */
    size_t chunk_size;   /* default size of a new chunk */
    size_t total;        /* bytes handed out since the last reset */
} arena;

void arena_init(arena *a, size_t chunk_size); /* 0: a sensible default */
void *arena_alloc(arena *a, size_t size);     /* 8-byte aligned, zeroed */
void *arena_alloc_n(arena *a, size_t n, size_t size);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
void arena_reset(arena *a); /* keeps the largest chunk for reuse */
void arena_free(arena *a);

#endif
