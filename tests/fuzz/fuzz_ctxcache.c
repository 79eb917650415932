/* fuzz_ctxcache.c - libFuzzer target for the context cache (scan/ctxcache.h)
 * and the taint records it holds (taint/record.c): any bytes as a cache
 * file, each entry and the whole input as a record replayed into a summary
 * store, then the cross-module join over what was replayed.  Nothing may
 * crash, leak or hang; a record that does not parse must add nothing. */
#include "core/opts.h"
#include "finding/finding.h"
#include "scan/ctxcache.h"
#include "taint/summary.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t id = 1;
    if (size >= 16) {
        id = 0;
        for (int i = 15; i >= 8; i--) id = id << 8 | data[i];
    }
    ctx_cache *c = ctxcache_new_empty(id);
    summary_store *st = summary_new();
    int n = ctxcache_parse(c, data, size);
    if (n > 0 && size >= 20) { /* replay every entry: keys are at known offsets */
        const uint8_t *q = data + 20, *end = data + size;
        for (int i = 0; i < n && end - q >= 12; i++) {
            uint64_t key = 0;
            for (int k = 7; k >= 0; k--) key = key << 8 | q[k];
            size_t len = 0;
            const unsigned char *rec = ctxcache_get(c, key, &len);
            if (!rec) abort(); /* a parsed entry must be found */
            summary_replay(st, rec, len);
            q += 12 + ((uint32_t)q[8] | (uint32_t)q[9] << 8 | (uint32_t)q[10] << 16 |
                       (uint32_t)q[11] << 24);
        }
    }
    summary_replay(st, data, size);
    vg_opts o;
    opts_init(&o);
    vg_out out;
    out_init(&out, &o);
    summary_finish(st, &o, &out);
    out_free(&out);
    opts_free(&o);
    summary_free(st);
    ctxcache_close(c, NULL);
    return 0;
}
