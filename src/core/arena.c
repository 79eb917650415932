/* arena.c - bump allocation in chunks; see arena.h.
 *
 * Under AddressSanitizer (the test and fuzz builds) the unused part of
 * every chunk is poisoned, and each allocation is followed by a poisoned
 * gap of ARENA_REDZONE bytes, so reading or writing past the end of one
 * allocation (a node of one kind read as a larger one) is reported even
 * when the next allocation follows it. */
#include "arena.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 8 /* pointers, int64_t, double: the widest thing arenas hold */

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif

#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_REDZONE ARENA_ALIGN
#else
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ARENA_REDZONE 0
#endif

struct arena_chunk {
    arena_chunk *next;
    size_t size, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void arena_init(arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    a->total = 0;
}

static arena_chunk *chunk_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(arena_chunk)) size = SIZE_MAX - sizeof(arena_chunk) - ARENA_ALIGN;
    arena_chunk *c = xmalloc(sizeof *c + size);
    c->next = NULL;
    c->size = size;
    c->used = 0;
    ASAN_POISON_MEMORY_REGION(c->data, size);
    return c;
}

static void chunk_free(arena_chunk *c)
{
    ASAN_UNPOISON_MEMORY_REGION(c->data, c->size);
    free(c);
}

void *arena_alloc(arena *a, size_t size)
{
    size_t need = ((size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1)) + ARENA_REDZONE;
    if (need < size) need = size; /* overflow: let chunk_new fail loudly */
    arena_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t sz = a->chunk_size;
        if (c && sz < c->size * 2 && c->size < (64u << 20)) sz = c->size * 2;
        if (sz < need) sz = need;
        arena_chunk *n = chunk_new(sz);
        n->next = c;
        a->head = c = n;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += need - ARENA_REDZONE;
    ASAN_UNPOISON_MEMORY_REGION(p, size);
    memset(p, 0, size);
    return p;
}

void *arena_alloc_n(arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return arena_alloc(a, SIZE_MAX);
    return arena_alloc(a, n * size);
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_reset(arena *a)
{
    arena_chunk *keep = NULL, *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        if (!keep || c->size > keep->size) {
            if (keep) chunk_free(keep);
            keep = c;
        } else {
            chunk_free(c);
        }
        c = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
        ASAN_POISON_MEMORY_REGION(keep->data, keep->size);
    }
    a->head = keep;
    a->total = 0;
}

void arena_free(arena *a)
{
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        chunk_free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}
