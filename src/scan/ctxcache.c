/* ctxcache.c - the context cache; see ctxcache.h.
 *
 * The file: "VGCTX001", the identity (8 bytes), the entry count (4), then
 * per entry its key (8), length (4) and bytes, integers little-endian.
 * Loaded whole (at most CTXCACHE_MAX bytes), indexed in an open-addressing
 * table; entries point into the loaded bytes or into their own copy.
 * Close writes the entries that were looked up or stored in this run, so
 * the file follows the tree and never grows without bound.
 */
#include "ctxcache.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/fsutil.h"
#include "../core/hash.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

static const char MAGIC[8] = {'V', 'G', 'C', 'T', 'X', '0', '0', '1'};

typedef struct entry {
    uint64_t key;              /* 0: empty slot */
    const unsigned char *rec;
    size_t len;
    unsigned char owned;       /* rec is a heap copy */
    unsigned char used;        /* looked up or stored in this run: written at close */
} entry;

struct ctx_cache {
    pthread_mutex_t mu;
    uint64_t identity;
    char *dir, *path;          /* the cache directory and file; NULL for ctxcache_new_empty */
    char *loaded;              /* the file's bytes */
    entry *t;
    size_t cap, n;             /* cap: a power of two */
    int dirty;                 /* an entry was stored, or a loaded one went unused */
    size_t hits;
};

ctx_cache *ctxcache_new_empty(uint64_t identity)
{
    ctx_cache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->identity = identity;
    c->cap = 256;
    c->t = xcalloc(c->cap, sizeof *c->t);
    return c;
}

static entry *slot(ctx_cache *c, uint64_t key)
{
    size_t i = (size_t)(key ^ key >> 29) & (c->cap - 1);
    while (c->t[i].key && c->t[i].key != key) i = (i + 1) & (c->cap - 1);
    return &c->t[i];
}

static entry *insert(ctx_cache *c, uint64_t key)
{
    if ((c->n + 1) * 4 > c->cap * 3) { /* grow at 3/4 */
        entry *old = c->t;
        size_t oc = c->cap;
        c->cap *= 2;
        c->t = xcalloc(c->cap, sizeof *c->t);
        for (size_t i = 0; i < oc; i++)
            if (old[i].key) *slot(c, old[i].key) = old[i];
        free(old);
    }
    entry *e = slot(c, key);
    if (!e->key) {
        e->key = key;
        c->n++;
    } else if (e->owned) {
        free((void *)e->rec);
    }
    return e;
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int ctxcache_parse(ctx_cache *c, const unsigned char *p, size_t n)
{
    if (n < 20 || memcmp(p, MAGIC, 8) || get64(p + 8) != c->identity) return -1;
    uint32_t count = get32(p + 16);
    const unsigned char *q = p + 20, *end = p + n;
    if (count > (size_t)(end - q) / 12) return -1; /* each entry takes 12 bytes at least */
    for (uint32_t i = 0; i < count; i++) {
        if (end - q < 12) return -1;
        uint64_t key = get64(q);
        uint32_t len = get32(q + 8);
        q += 12;
        if (!key || len > (size_t)(end - q)) return -1;
        entry *e = insert(c, key);
        e->rec = q;
        e->len = len;
        e->owned = 0;
        q += len;
    }
    return q == end ? (int)count : -1;
}

static uint64_t identity_of(const vg_opts *o, const char *root)
{
    uint64_t h = HASH_FNV_INIT;
    h = hash_fnv1a64_more(h, "vibeguard context cache 1", 25);
    struct stat st;
    if (stat("/proc/self/exe", &st) == 0) {
        long long v[4] = {(long long)st.st_ino, (long long)st.st_size,
                          (long long)st.st_mtim.tv_sec, (long long)st.st_mtim.tv_nsec};
        h = hash_fnv1a64_more(h, v, sizeof v);
    }
    char *abs = realpath(root, NULL);
    const char *r = abs ? abs : root;
    h = hash_fnv1a64_more(h, r, strlen(r) + 1);
    free(abs);
    int v[2] = {o->taint_enabled, o->profile};
    h = hash_fnv1a64_more(h, v, sizeof v);
    return h ? h : 1;
}

ctx_cache *ctxcache_open(const vg_opts *o, const char *root)
{
    const char *off = getenv("VIBEGUARD_NO_CACHE");
    if (off && *off && strcmp(off, "0")) return NULL;
    char *dir = fs_cache_dir();
    if (!dir) return NULL;
    uint64_t id = identity_of(o, root);
    ctx_cache *c = ctxcache_new_empty(id);
    buf p;
    buf_init(&p, 0);
    buf_printf(&p, "%s/context-%016llx.bin", dir, (unsigned long long)id);
    c->dir = dir;
    c->path = buf_detach(&p);
    size_t n = 0;
    char *data = NULL;
    if (fs_read_all(c->path, CTXCACHE_MAX, &data, &n) == VG_OK) {
        if (ctxcache_parse(c, (const unsigned char *)data, n) < 0) { /* rebuilt */
            for (size_t i = 0; i < c->cap; i++) c->t[i].key = 0;
            c->n = 0;
            free(data);
            c->dirty = 1;
        } else {
            c->loaded = data;
        }
    }
    return c;
}

uint64_t ctxcache_key(const char *path, const struct stat *st)
{
    /* racy: a change within the same clock tick as this run's look could
     * keep size and times; such a file is analysed, not stored */
    time_t now = time(NULL);
    if (st->st_mtim.tv_sec >= now - 2 || st->st_ctim.tv_sec >= now - 2) return 0;
    long long v[7] = {(long long)st->st_dev, (long long)st->st_ino, (long long)st->st_size,
                      (long long)st->st_mtim.tv_sec, (long long)st->st_mtim.tv_nsec,
                      (long long)st->st_ctim.tv_sec, (long long)st->st_ctim.tv_nsec};
    uint64_t h = hash_fnv1a64(v, sizeof v);
    h = hash_fnv1a64_more(h, path, strlen(path));
    return h ? h : 1;
}

const unsigned char *ctxcache_get(ctx_cache *c, uint64_t key, size_t *len)
{
    if (!c || !key) return NULL;
    pthread_mutex_lock(&c->mu);
    entry *e = slot(c, key);
    const unsigned char *r = NULL;
    if (e->key) {
        e->used = 1;
        c->hits++;
        r = e->rec;
        *len = e->len;
    }
    pthread_mutex_unlock(&c->mu);
    return r;
}

void ctxcache_put(ctx_cache *c, uint64_t key, const void *rec, size_t len)
{
    if (!c || !key || len > UINT32_MAX) return;
    unsigned char *copy = xmalloc(len ? len : 1);
    if (len) memcpy(copy, rec, len);
    pthread_mutex_lock(&c->mu);
    entry *e = insert(c, key);
    e->rec = copy;
    e->len = len;
    e->owned = 1;
    e->used = 1;
    c->dirty = 1;
    pthread_mutex_unlock(&c->mu);
}

size_t ctxcache_hits(const ctx_cache *c) { return c ? c->hits : 0; }

static void put_le(buf *b, uint64_t v, int n)
{
    unsigned char c[8];
    for (int i = 0; i < n; i++) c[i] = (unsigned char)(v >> (8 * i));
    buf_append(b, c, (size_t)n);
}

void ctxcache_close(ctx_cache *c, diag_list *d)
{
    if (!c) return;
    size_t used = 0;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->t[i].key) continue;
        if (c->t[i].used) used++;
        else c->dirty = 1; /* dropped: the file no longer has it */
    }
    if (c->path && c->dirty && used) {
        buf b;
        buf_init(&b, CTXCACHE_MAX);
        buf_append(&b, MAGIC, 8);
        put_le(&b, c->identity, 8);
        put_le(&b, used, 4);
        vg_status rc = VG_OK;
        for (size_t i = 0; i < c->cap && !rc; i++) {
            const entry *e = &c->t[i];
            if (!e->key || !e->used) continue;
            put_le(&b, e->key, 8);
            put_le(&b, e->len, 4);
            rc = buf_append(&b, e->rec, e->len);
        }
        if (!rc && fs_mkdirs(c->dir, 0700) == 0) {
            diag_list wd = {0};
            if (fs_write_atomic(c->path, b.data, b.len, 0600, "cannot write the context cache",
                                &wd)) {
                for (size_t i = 0; i < wd.n; i++) wd.v[i].level = DIAG_NOTE;
                if (d) diag_move(d, &wd);
            } else {
                fs_prune(c->dir, "context-", ".bin", CTXCACHE_KEEP);
            }
            diag_free(&wd);
        }
        buf_free(&b);
    }
    for (size_t i = 0; i < c->cap; i++)
        if (c->t[i].key && c->t[i].owned) free((void *)c->t[i].rec);
    free(c->t);
    free(c->loaded);
    free(c->dir);
    free(c->path);
    pthread_mutex_destroy(&c->mu);
    free(c);
}
