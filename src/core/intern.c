/* intern.c - string interning (see intern.h for the thread model).
 *
 * Open addressing on a power-of-two table of (hash, pointer); strings live
 * in big blocks that never move, each preceded by its 32-bit length. */
#include "intern.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

typedef struct intern_block {
    struct intern_block *next;
    size_t used, cap;
    char data[];
} intern_block;

typedef struct intern_slot {
    uint64_t hash;
    const char *s;
} intern_slot;

#define INTERN_CACHE 4096 /* direct-mapped front cache for hot names */

struct interner {
    const interner *parent;
    intern_slot cache[INTERN_CACHE];
    intern_slot *slots;
    size_t cap, count;
    intern_block *blocks;
    int frozen;
};

interner *intern_new(const interner *parent)
{
    interner *in = xcalloc(1, sizeof *in);
    in->parent = parent;
    in->cap = 1024;
    in->slots = xcalloc(in->cap, sizeof *in->slots);
    return in;
}

void intern_free(interner *in)
{
    if (!in)
        return;
    intern_block *b = in->blocks;
    while (b) {
        intern_block *nx = b->next;
        free(b);
        b = nx;
    }
    free(in->slots);
    free(in);
}

/* A fast multiplicative hash over 8-byte words (identifiers are short). */
static uint64_t intern_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, s + i, n - i);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
        h ^= h >> 29;
    }
    return h ? h : 1;
}

static const char *find(const interner *in, uint64_t h, const char *s, size_t n)
{
    size_t mask = in->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const intern_slot *sl = &in->slots[i];
        if (!sl->s)
            return NULL;
        if (sl->hash == h && ident_len(sl->s) == n && memcmp(sl->s, s, n) == 0)
            return sl->s;
    }
}

static void grow(interner *in)
{
    size_t ncap = in->cap * 2;
    intern_slot *ns = xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < in->cap; i++) {
        if (!in->slots[i].s)
            continue;
        size_t j = in->slots[i].hash & (ncap - 1);
        while (ns[j].s)
            j = (j + 1) & (ncap - 1);
        ns[j] = in->slots[i];
    }
    free(in->slots);
    in->slots = ns;
    in->cap = ncap;
}

static const char *store(interner *in, const char *s, size_t n)
{
    size_t need = sizeof(uint32_t) + n + 1;
    need = (need + 7) & ~(size_t)7;
    intern_block *b = in->blocks;
    if (!b || b->cap - b->used < need) {
        size_t cap = need > 60000 ? need : 64 * 1024 - sizeof *b;
        b = xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = in->blocks;
        in->blocks = b;
    }
    char *p = b->data + b->used;
    b->used += need;
    uint32_t len = (uint32_t)n;
    memcpy(p, &len, sizeof len);
    memcpy(p + sizeof len, s, n);
    p[sizeof len + n] = '\0';
    return p + sizeof len;
}

const char *intern_lookup(const interner *in, const char *s, size_t n)
{
    uint64_t h = intern_hash(s, n);
    for (; in; in = in->parent) {
        const char *r = find(in, h, s, n);
        if (r)
            return r;
    }
    return NULL;
}

const char *intern(interner *in, const char *s, size_t n)
{
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    uint64_t h = intern_hash(s, n);
    intern_slot *cs = &in->cache[h & (INTERN_CACHE - 1)];
    if (cs->hash == h && ident_len(cs->s) == n && memcmp(cs->s, s, n) == 0)
        return cs->s;
    /* own table first: a name is never in both (parents are frozen while
     * children are in use, and a child only adds what its parents lack) */
    const char *r = find(in, h, s, n);
    if (r) {
        cs->hash = h;
        cs->s = r;
        return r;
    }
    for (const interner *p = in->parent; p; p = p->parent) {
        if (p->count == 0)
            continue;
        r = find(p, h, s, n);
        if (r) {
            cs->hash = h;
            cs->s = r;
            return r;
        }
    }
    if (in->frozen) {
#ifdef VG_TEST_BUILD
        abort(); /* inserting into a frozen interner: a bug in the caller */
#endif
        return NULL;
    }
    if ((in->count + 1) * 2 > in->cap)
        grow(in);
    r = store(in, s, n);
    size_t mask = in->cap - 1;
    size_t i = h & mask;
    while (in->slots[i].s)
        i = (i + 1) & mask;
    in->slots[i].hash = h;
    in->slots[i].s = r;
    in->count++;
    cs->hash = h;
    cs->s = r;
    return r;
}

const char *intern_cstr(interner *in, const char *s)
{
    return intern(in, s, strlen(s));
}

static interner *g_interner;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
    g_interner = intern_new(NULL);
}

interner *intern_global(void)
{
    pthread_once(&g_once, global_init);
    return g_interner;
}

void intern_global_freeze(void)
{
    intern_global()->frozen = 1;
}

size_t intern_count(const interner *in)
{
    return in->count;
}
