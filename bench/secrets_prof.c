/* secrets_prof.c - where the secrets time goes, without the walker or the
 * kernel: reads every file named in LIST (one path a line) into memory,
 * then times, in CPU seconds, (1) the Hyperscan pass of the secret rules
 * alone, with the hits per pattern, and (2) secrets_find (Hyperscan and
 * PCRE2 confirmation) over the same buffers.  docs/secrets.md reports it.
 *
 *   find DIR -name '*.py' > list
 *   cc -std=c11 -D_GNU_SOURCE -O2 -pthread -Isrc -o build/secrets_prof \
 *      bench/secrets_prof.c build/libvg.a $(pkg-config --libs libhs libpcre2-8 \
 *      libgit2 jansson yaml-0.1 libzip libsodium libcurl) -lm
 *   build/secrets_prof list
 */
#include "core/fsutil.h"
#include "core/opts.h"
#include "text/scan.h"
#include "text/secrets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fputs("usage: secrets_prof LIST [GITLEAKS-CONFIG]\n", stderr);
        return 2;
    }
    vg_opts o;
    opts_init(&o);
    if (argc == 3) o.secrets_config = argv[2]; /* a rule subset: what does it cost? */
    diag_list d = {0};
    scan_db *db = scan_db_new();
    void *st = NULL;
    secrets *s = NULL;
    if (secrets_family.init(&o, 1, db, &st, &d) || scan_db_compile(db, NULL, &d) ||
        secrets_open(NULL, &s, &d)) {
        fputs("secrets_prof: the rules did not load\n", stderr);
        return 1;
    }
    scan_scratch *sc = scan_scratch_new(db);
    FILE *l = fopen(argv[1], "r");
    if (!l || !sc) return 1;
    char path[4096], **bufs = NULL;
    size_t *lens = NULL, n = 0, cap = 0, total = 0;
    while (fgets(path, sizeof path, l)) {
        path[strcspn(path, "\n")] = 0;
        char *b;
        size_t len;
        if (fs_read_all(path, 1 << 26, &b, &len)) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            bufs = realloc(bufs, cap * sizeof *bufs);
            lens = realloc(lens, cap * sizeof *lens);
        }
        bufs[n] = b;
        lens[n++] = len;
        total += len;
    }
    fclose(l);
    enum { MAXID = 4096 };
    static size_t per[MAXID];
    size_t hits = 0, matches = 0;
    double t0 = cpu_now();
    for (size_t i = 0; i < n; i++) {
        scan_hits h = {0};
        scan_buffer(db, sc, (unsigned char *)bufs[i], lens[i], &h);
        for (size_t k = 0; k < h.n; k++)
            if (h.v[k].id < MAXID) per[h.v[k].id]++;
        hits += h.n;
        scan_hits_free(&h);
    }
    double t1 = cpu_now();
    secret_match *m = NULL;
    size_t k = 0;
    secrets_find(s, (const unsigned char *)"x", 1, "x.py", &m, &k); /* builds its database */
    free(m);
    double t2 = cpu_now();
    for (size_t i = 0; i < n; i++) {
        m = NULL;
        k = 0;
        secrets_find(s, (unsigned char *)bufs[i], lens[i], "x.py", &m, &k);
        matches += k;
        free(m);
    }
    double t3 = cpu_now();
    double mb = (double)total / 1048576.0;
    printf("%zu files, %.1f MB\n", n, mb);
    printf("hyperscan alone:   %.3f s CPU, %.0f MB per CPU-second, %zu hits\n", t1 - t0,
           mb / (t1 - t0), hits);
    printf("secrets_find:      %.3f s CPU, %.0f MB per CPU-second, %zu matches\n", t3 - t2,
           mb / (t3 - t2), matches);
    for (int r = 0; r < 10; r++) {
        size_t best = 0;
        for (size_t i = 1; i < MAXID; i++)
            if (per[i] > per[best]) best = i;
        if (!per[best]) break;
        printf("  rule #%zu: %zu hits\n", best, per[best]);
        per[best] = 0;
    }
    for (size_t i = 0; i < n; i++) free(bufs[i]);
    free(bufs);
    free(lens);
    scan_scratch_free(sc);
    secrets_family.fini(st);
    secrets_close(s);
    scan_db_free(db);
    diag_free(&d);
    opts_free(&o);
    return 0;
}
