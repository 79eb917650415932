/* analyze.c - the text analyzer: one Hyperscan pass over every byte of a
 * text file for all pattern families (secrets, hidden Unicode, PII).
 *
 * init builds one scan_db: each family in `families` adds its patterns,
 * then the database is compiled (or loaded from the cache).  For each file
 * the calling worker scans the bytes once with its own scratch and hands
 * each family its hits.  Blobs from git history (f->commit set) are looked
 * at for secrets only.
 */
#include "../finding/analyzer.h"
#include "../core/xalloc.h"
#include "../finding/finding.h"
#include "scan.h"

#include <stdlib.h>
#include <string.h>

/* The families of the one pass, in the order they report.
 * To add one: define a text_family in its module and list it here. */
static const text_family *const families[] = {
    &secrets_family,
    &unicode_family,
    &pii_family,
};
#define NFAM (sizeof families / sizeof *families)

typedef struct text_state {
    scan_db *db;
    void *fam_state[NFAM];
    int nthreads;
    scan_scratch **scratch;   /* one per worker, made by that worker on first use */
} text_state;

static void text_fini(void *state)
{
    text_state *t = state;
    if (!t) return;
    for (size_t i = 0; i < NFAM; i++)
        if (t->fam_state[i] && families[i]->fini) families[i]->fini(t->fam_state[i]);
    for (int i = 0; i < t->nthreads; i++) scan_scratch_free(t->scratch[i]);
    free(t->scratch);
    scan_db_free(t->db);
    free(t);
}

static vg_status text_init(vg_scan *s, void **state, diag_list *d)
{
    text_state *t = xcalloc(1, sizeof *t);
    t->nthreads = s->nthreads > 0 ? s->nthreads : 1;
    t->scratch = xcalloc((size_t)t->nthreads, sizeof *t->scratch);
    t->db = scan_db_new();
    vg_status rc = VG_OK;
    for (size_t i = 0; i < NFAM && !rc; i++)
        rc = families[i]->init(s->opts, t->nthreads, t->db, &t->fam_state[i], d);
    if (!rc) rc = scan_db_compile(t->db, NULL, d);
    if (rc) {
        text_fini(t);
        return rc;
    }
    *state = t;
    return VG_OK;
}

/* A detect-secrets baseline (.secrets.baseline, or any file of its shape):
 * its hashed_secret values are SHA-1 digests of accepted secrets, not
 * secrets, and the file is read as a baseline (report/baseline.c), never
 * scanned as text. */
static int is_detect_secrets_baseline(const vg_file *f)
{
    const char *b = strrchr(f->path, '/');
    if (!strcmp(b ? b + 1 : f->path, ".secrets.baseline")) return 1;
    size_t n = f->len < 4096 ? f->len : 4096, i = 0;
    while (i < n && (f->data[i] == ' ' || f->data[i] == '\n' || f->data[i] == '\r' || f->data[i] == '\t')) i++;
    if (i >= n || f->data[i] != '{') return 0;
    return memmem(f->data, n, "\"plugins_used\"", 14) && memmem(f->data, f->len, "\"hashed_secret\"", 15);
}

static vg_status text_file(vg_scan *s, void *state, const vg_file *f, vg_out *out)
{
    (void)s;
    text_state *t = state;
    if (!t) return VG_OK;
    if (f->kind == FK_BINARY || f->len == 0) { /* path-only secret rules still see the file */
        for (size_t i = 0; i < NFAM; i++)
            if (families[i]->fam == SCAN_FAM_SECRETS)
                return families[i]->file(t->fam_state[i], f, NULL, 0, out);
        return VG_OK;
    }
    if (is_detect_secrets_baseline(f)) return VG_OK;
    int ti = pool_thread_index();
    scan_scratch *own = NULL, *sc;
    if (ti >= 0 && ti < t->nthreads) {
        if (!t->scratch[ti]) t->scratch[ti] = scan_scratch_new(t->db);
        sc = t->scratch[ti];
    } else {
        sc = own = scan_scratch_new(t->db);
    }
    if (!sc) return VG_ERR_NOMEM;
    scan_hits h = {0};
    vg_status rc = scan_buffer(t->db, sc, f->data, f->len, &h);
    for (size_t i = 0; i < NFAM && !rc; i++) {
        if (f->commit && families[i]->fam != SCAN_FAM_SECRETS) continue;
        size_t n;
        const scan_hit *v = scan_hits_family(&h, families[i]->fam, &n);
        rc = families[i]->file(t->fam_state[i], f, v, n, out);
    }
    static const char *const fam_name[SCAN_NFAMILIES] = {"secrets", "hidden Unicode", "PII"};
    for (int fam = 0; fam < SCAN_NFAMILIES; fam++) {
        if (!(h.truncated & (1u << fam))) continue;
        /* a secret past the cap would be a silent miss: the file counts as
         * not fully searched, and an incomplete scan fails the gate */
        if (fam == SCAN_FAM_SECRETS) out->incomplete++;
        diag_add(&out->diags, fam == SCAN_FAM_SECRETS ? DIAG_ERROR : DIAG_WARNING, f->path, 0, 0,
                 "more than %u %s pattern hits: the rest of the file was not searched for %s%s",
                 SCAN_MAX_HITS, fam_name[fam], fam_name[fam],
                 fam == SCAN_FAM_SECRETS ? " (the scan is incomplete and fails the gate)" : "");
    }
    scan_hits_free(&h);
    scan_scratch_free(own);
    return rc;
}

const analyzer text_analyzer = {"text", text_init, text_file, NULL, text_fini};
