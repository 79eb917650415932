/* tables.c - the .def tables as small chained hash maps keyed by
 * (match kind, name), and the interned identifiers; see tables.h. */
#include "tables.h"

#include <stdlib.h>
#include <string.h>

#include "../core/hash.h"
#include "../core/intern.h"

#define TI_DEFINE(n) const char *ti_##n;
TAINT_IDENTS(TI_DEFINE)
#undef TI_DEFINE

static const tab_source sources[] = {
#define SRC(kind, match, name) {kind, match, name},
#include "sources.def"
#undef SRC
};

static tab_sink sinks[] = { /* kw interned by tables_init */
#define SINK(fam, match, name, arg, kw, cond) {fam, match, name, arg, kw, cond},
#include "sinks.def"
};

static const struct {
    const char *rule;
    taint_family fam;
} refined[] = {
#define REFINE(rule, fam) {rule, fam},
#include "sinks.def"
};

static const struct {
    tab_match match;
    const char *name;
    unsigned fams;
} sanitizers[] = {
#define SAN(match, name, fams) {match, name, fams},
#include "sanitizers.def"
#undef SAN
};

#define NSRC (sizeof sources / sizeof sources[0])
#define NSINK (sizeof sinks / sizeof sinks[0])
#define NSAN (sizeof sanitizers / sizeof sanitizers[0])
#define NBUCKET 512

/* One map for all three tables: bucket -> index list.  Entry ids:
 * sources 0.., sinks NSRC.., sanitizers NSRC+NSINK.. */
static void suffix_index(void);
static size_t nsuffix_last;
static int16_t head[NBUCKET];
static int16_t next[NSRC + NSINK + NSAN];
static int built;

static unsigned bucket(tab_match m, const char *name)
{
    uint64_t h = hash_fnv1a64_more(HASH_FNV_INIT, &m, sizeof m);
    h = hash_fnv1a64_more(h, name, strlen(name));
    return (unsigned)(h % NBUCKET);
}

static void entry_key(size_t id, tab_match *m, const char **name)
{
    if (id < NSRC) {
        *m = sources[id].match;
        *name = sources[id].name;
    } else if (id < NSRC + NSINK) {
        *m = sinks[id - NSRC].match;
        *name = sinks[id - NSRC].name;
    } else {
        *m = sanitizers[id - NSRC - NSINK].match;
        *name = sanitizers[id - NSRC - NSINK].name;
    }
}

/* The identifiers and sink keywords, interned into the global interner. */
static void intern_names(void)
{
    interner *g = intern_global();
#define TI_INTERN(n) ti_##n = intern_cstr(g, #n);
    TAINT_IDENTS(TI_INTERN)
#undef TI_INTERN
    for (size_t i = 0; i < NSINK; i++)
        if (sinks[i].kw) sinks[i].kw = intern_cstr(g, sinks[i].kw);
}

void tables_init(void)
{
    if (built) return;
    intern_names();
    for (size_t i = 0; i < NBUCKET; i++) head[i] = -1;
    /* insert in reverse so that chains keep table order */
    for (size_t k = NSRC + NSINK + NSAN; k-- > 0;) {
        tab_match m;
        const char *name;
        entry_key(k, &m, &name);
        unsigned b = bucket(m, name);
        next[k] = head[b];
        head[b] = (int16_t)k;
    }
    nsuffix_last = 0;
    suffix_index();
    built = 1;
}

void tables_free(void) { built = 0; }

static int find(tab_match m, const char *name, size_t lo, size_t hi)
{
    if (!built) tables_init();
    for (int k = head[bucket(m, name)]; k >= 0; k = next[k]) {
        if ((size_t)k < lo || (size_t)k >= hi) continue;
        tab_match km;
        const char *kn;
        entry_key((size_t)k, &km, &kn);
        if (km == m && strcmp(kn, name) == 0) return k;
    }
    return -1;
}

const tab_source *tab_source_find(tab_match match, const char *name)
{
    int k = find(match, name, 0, NSRC);
    return k < 0 ? NULL : &sources[k];
}

/* Last dotted component of every M_SUFFIX source, to reject most callees
 * with one comparison per distinct name; suffix_first[c]: the bits of
 * those that start with byte c, so most callees need no comparison. */
static const char *suffix_last[32];
static uint32_t suffix_first[256];

static const char *last_of(const char *s)
{
    const char *p = strrchr(s, '.');
    return p ? p + 1 : s;
}

static void suffix_index(void)
{
    for (size_t i = 0; i < NSRC; i++) {
        if (sources[i].match != M_SUFFIX) continue;
        const char *l = last_of(sources[i].name);
        size_t k = 0;
        while (k < nsuffix_last && strcmp(suffix_last[k], l) != 0) k++;
        if (k == nsuffix_last && nsuffix_last < sizeof suffix_last / sizeof *suffix_last)
            suffix_last[nsuffix_last++] = l;
    }
    memset(suffix_first, 0, sizeof suffix_first);
    for (size_t k = 0; k < nsuffix_last; k++)
        suffix_first[(unsigned char)suffix_last[k][0]] |= (uint32_t)1 << k;
}

const tab_source *tab_source_suffix(const char *dotted)
{
    if (!built) tables_init();
    const char *l = last_of(dotted);
    uint32_t cand = suffix_first[(unsigned char)l[0]];
    for (size_t k = 0; cand; k++, cand >>= 1)
        if ((cand & 1) && strcmp(suffix_last[k], l) == 0) break;
    if (!cand) return NULL;
    size_t dl = strlen(dotted);
    for (size_t i = 0; i < NSRC; i++) {
        if (sources[i].match != M_SUFFIX) continue;
        const char *s = sources[i].name;
        size_t sl = strlen(s);
        if (s[0] == '.') { /* ".invoke": a method of that name on anything */
            if (dl > sl && memcmp(dotted + dl - sl, s, sl) == 0) return &sources[i];
            continue;
        }
        if (dl < sl || memcmp(dotted + dl - sl, s, sl) != 0) continue;
        if (dl == sl || dotted[dl - sl - 1] == '.') return &sources[i];
    }
    return NULL;
}

const tab_sink *tab_sink_find(tab_match match, const char *name)
{
    int k = find(match, name, NSRC, NSRC + NSINK);
    return k < 0 ? NULL : &sinks[k - (int)NSRC];
}

void tab_lookup(tab_match match, const char *name, const tab_source **src, const tab_sink **sink,
                unsigned *san)
{
    if (!built) tables_init();
    *src = NULL;
    *sink = NULL;
    *san = 0;
    for (int k = head[bucket(match, name)]; k >= 0; k = next[k]) {
        tab_match km;
        const char *kn;
        entry_key((size_t)k, &km, &kn);
        if (km != match || strcmp(kn, name) != 0) continue;
        if ((size_t)k < NSRC) {
            if (!*src) *src = &sources[k];
        } else if ((size_t)k < NSRC + NSINK) {
            if (!*sink) *sink = &sinks[k - NSRC];
        } else if (!*san) *san = sanitizers[k - NSRC - NSINK].fams;
    }
}

unsigned tab_sanitizer(tab_match match, const char *name)
{
    int k = find(match, name, NSRC + NSINK, NSRC + NSINK + NSAN);
    return k < 0 ? 0 : sanitizers[k - (int)(NSRC + NSINK)].fams;
}

int tab_refined_family(const char *rule_id)
{
    for (size_t i = 0; i < sizeof refined / sizeof refined[0]; i++)
        if (strcmp(refined[i].rule, rule_id) == 0) return (int)refined[i].fam;
    return -1;
}
