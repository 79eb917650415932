/* shard.c - which files and findings belong to one shard of N; see shard.h. */
#include "shard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hash.h"

int shard_mine(const vg_opts *o, const char *path)
{
    if (!o || !path) return 1;
    if (o->report_only && !o->report_only(o->report_only_ud, path)) return 0;
    if (o->shard_n <= 1) return 1;
    uint64_t h = hash_fnv1a64(path, strlen(path));
    return h % (uint64_t)o->shard_n == (uint64_t)(o->shard_k - 1);
}

size_t shard_filter(const vg_opts *o, vg_out *out)
{
    if (!o || (o->shard_n <= 1 && !o->report_only)) return 0;
    size_t w = 0, n = out->n;
    for (size_t r = 0; r < n; r++) {
        finding *f = out->v[r];
        if (shard_mine(o, f->path)) out->v[w++] = f;
        else finding_free(f);
    }
    out->n = w;
    diag_list *d = &out->diags;
    size_t k = 0;
    for (size_t r = 0; r < d->n; r++) {
        if (!d->v[r].path || shard_mine(o, d->v[r].path)) {
            d->v[k++] = d->v[r];
        } else {
            free(d->v[r].path);
            free(d->v[r].message);
        }
    }
    d->n = k;
    return n - w;
}
