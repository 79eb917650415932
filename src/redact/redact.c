/* redact.c - secrets, PII and internal infrastructure -> placeholders, and
 * placeholders -> values (see redact.h). */
#include "redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "../text/pii.h"

/* PII redacted by default: every entity but DATE_TIME and URL (dates and
 * public links are what a question is about), plus the infrastructure. */
#define REDACT_DEFAULT_MASK (PII_DEFAULT_MASK | PII_INFRA_MASK)

struct redactor {
    redact_opts o;
    const secrets *sec;
    ph_map *map;
    pii *pii;
    size_t replaced;
    unsigned char *taken;     /* per-byte "already replaced" marks of a block */
    size_t taken_cap;
};

typedef struct cand {
    size_t start, end;
    int prio;                 /* 3 literal placeholder, 2 secret, 1 infrastructure, 0 PII */
    char label[PH_MAX_LABEL];
} cand;

vg_status redactor_new(const redact_opts *o, const secrets *sec, ph_map *map, redactor **out,
                       diag_list *d)
{
    redactor *r = xcalloc(1, sizeof *r);
    r->o = *o;
    r->sec = o->no_secrets ? NULL : sec;
    r->map = map;
    unsigned mask = o->pii_mask ? o->pii_mask : REDACT_DEFAULT_MASK;
    if (o->no_pii) mask &= PII_INFRA_MASK;
    if (o->no_infra) mask &= ~PII_INFRA_MASK;
    if (mask) {
        vg_status rc = pii_open(mask, o->threshold, 1, &r->pii, d);
        if (rc) {
            free(r);
            return rc;
        }
    }
    *out = r;
    return VG_OK;
}

void redactor_free(redactor *r)
{
    if (!r) return;
    pii_close(r->pii);
    free(r->taken);
    free(r);
}

size_t redactor_replaced(const redactor *r) { return r->replaced; }

static int cand_cmp_len(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    size_t lx = x->end - x->start, ly = y->end - y->start;
    if (lx != ly) return lx > ly ? -1 : 1;
    if (x->prio != y->prio) return y->prio - x->prio;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int cand_cmp_pos(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static size_t placeholder_at(const unsigned char *p, size_t n, char *canon, size_t *clen,
                             int *mangled);

/* Text that restore would read as a placeholder becomes a <LITERAL_N>
 * candidate of its own (see redact.h): the round trip stays the identity. */
static void literal_cands(const unsigned char *data, size_t len, cand **c, size_t *nc, size_t *cc)
{
    char canon[PH_MAX_PLACEHOLDER + 1];
    for (size_t i = 0; i < len; i++) {
        if (data[i] != '<' && data[i] != '&' && data[i] != '\\') continue;
        size_t cl, pl;
        int mangled;
        if (!(pl = placeholder_at(data + i, len - i, canon, &cl, &mangled))) continue;
        XGROW(*c, *cc, *nc + 1);
        (*c)[*nc].start = i;
        (*c)[*nc].end = i + pl;
        (*c)[*nc].prio = 3;
        snprintf((*c)[*nc].label, sizeof (*c)[*nc].label, "%s", "LITERAL");
        (*nc)++;
        i += pl - 1;
    }
}

vg_status redact_block(redactor *r, const unsigned char *data, size_t len, buf *out)
{
    cand *c = NULL;
    size_t nc = 0, cc = 0;
    vg_status rc = VG_OK;
    if (r->sec) {
        secret_match *sm = NULL;
        size_t ns = 0;
        rc = secrets_find(r->sec, data, len, NULL, &sm, &ns);
        if (rc) return rc;
        for (size_t i = 0; i < ns; i++) {
            if (sm[i].secret_end <= sm[i].secret_start) continue;
            XGROW(c, cc, nc + 1);
            c[nc].start = sm[i].secret_start;
            c[nc].end = sm[i].secret_end;
            c[nc].prio = 2;
            ph_label_from(c[nc].label, sizeof c[nc].label, sm[i].slug ? sm[i].slug : "secret");
            nc++;
        }
        free(sm);
    }
    if (r->pii) {
        pii_match *pm = NULL;
        size_t np = 0;
        rc = pii_find(r->pii, data, len, &pm, &np);
        if (rc) {
            free(c);
            return rc;
        }
        for (size_t i = 0; i < np; i++) {
            const pii_match *x = &pm[i];
            if (x->flags & (PII_F_DOC | PII_F_LOCAL | PII_F_TEST_CARD)) continue;
            XGROW(c, cc, nc + 1);
            c[nc].start = x->start;
            c[nc].end = x->end;
            c[nc].prio = x->entity >= PII_NPUBLIC || (x->flags & PII_F_PRIVATE);
            snprintf(c[nc].label, sizeof c[nc].label, "%s",
                     (x->flags & PII_F_PRIVATE) ? "PRIVATE_IP" : pii_entity_name(x->entity));
            nc++;
        }
        free(pm);
    }
    literal_cands(data, len, &c, &nc, &cc);
    /* longest first; a candidate overlapping an accepted one is dropped */
    if (nc > 1) qsort(c, nc, sizeof *c, cand_cmp_len);
    if (len > r->taken_cap) {
        free(r->taken);
        r->taken = xmalloc(len);
        r->taken_cap = len;
    }
    size_t w = 0;
    if (nc) memset(r->taken, 0, len);
    for (size_t i = 0; i < nc; i++) {
        int clash = 0;
        for (size_t k = c[i].start; k < c[i].end && !clash; k++) clash = r->taken[k];
        if (clash) continue;
        memset(r->taken + c[i].start, 1, c[i].end - c[i].start);
        c[w++] = c[i];
    }
    nc = w;
    if (nc > 1) qsort(c, nc, sizeof *c, cand_cmp_pos);
    size_t pos = 0;
    for (size_t i = 0; i < nc && !rc; i++) {
        const ph_entry *e;
        rc = ph_map_get(r->map, c[i].label, data + c[i].start, c[i].end - c[i].start, r->o.style, &e);
        if (rc) break;
        buf_append(out, data + pos, c[i].start - pos);
        buf_append(out, e->ph, e->phlen);
        pos = c[i].end;
        r->replaced++;
    }
    if (!rc) buf_append(out, data + pos, len - pos);
    free(c);
    return rc;
}

/* Where to cut pending[0..n): after the last line end, but not inside an
 * open PEM block.  Returns 0 when more input is needed. */
static size_t block_cut(const unsigned char *p, size_t n, int eof)
{
    if (eof) return n;
    size_t cut = 0;
    for (size_t i = n; i-- > 0;)
        if (p[i] == '\n') { cut = i + 1; break; }
    if (cut == 0) return n >= REDACT_MAX_BLOCK ? n : 0;
    /* an open "-----BEGIN" before the cut with no "-----END" after it */
    const unsigned char *b = NULL;
    for (const unsigned char *q = p; (q = memmem(q, cut - (size_t)(q - p), "-----BEGIN", 10));
         q += 10)
        b = q;
    if (b && !memmem(b, n - (size_t)(b - p), "-----END", 8) && n < REDACT_MAX_BLOCK) {
        size_t ls = (size_t)(b - p);
        while (ls > 0 && p[ls - 1] != '\n') ls--;
        return ls;   /* 0: wait for the END line */
    }
    return cut;
}

vg_status redact_stream(redactor *r, FILE *in, FILE *out, diag_list *d)
{
    buf pend, o;
    buf_init(&pend, 0);
    buf_init(&o, 0);
    unsigned char *chunk = xmalloc(REDACT_BLOCK);
    vg_status rc = VG_OK;
    int eof = 0;
    while (!rc) {
        if (!eof) {
            size_t n = fread(chunk, 1, REDACT_BLOCK, in);
            if (n) buf_append(&pend, chunk, n);
            if (n < REDACT_BLOCK) {
                if (ferror(in)) {
                    diag_add(d, DIAG_ERROR, NULL, 0, 0, "read error on the input");
                    rc = VG_ERR_IO;
                    break;
                }
                eof = feof(in);
            }
        }
        if (!eof && pend.len < REDACT_BLOCK) continue;
        size_t cut = block_cut((const unsigned char *)pend.data, pend.len, eof);
        if (cut == 0) {
            if (eof || pend.len == 0) break;
            continue;
        }
        buf_clear(&o);
        rc = redact_block(r, (const unsigned char *)pend.data, cut, &o);
        if (rc) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "redaction failed: %s", vg_status_str(rc));
            break;
        }
        if (o.len && fwrite(o.data, 1, o.len, out) != o.len) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "write error on the output");
            rc = VG_ERR_IO;
            break;
        }
        memmove(pend.data, pend.data + cut, pend.len - cut);
        pend.len -= cut;
        if (eof && pend.len == 0) break;
    }
    if (!rc && fflush(out)) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "write error on the output");
        rc = VG_ERR_IO;
    }
    free(chunk);
    buf_free(&pend);
    buf_free(&o);
    return rc;
}

/* ---- restore ---------------------------------------------------------- */

static void note_unknown(restore_stats *st, const unsigned char *p, size_t n)
{
    st->unknown++;
    for (size_t i = 0; i < st->n_unknown_list; i++)
        if (strlen(st->unknown_list[i]) == n && !memcmp(st->unknown_list[i], p, n)) return;
    if (st->n_unknown_list < sizeof st->unknown_list / sizeof *st->unknown_list)
        st->unknown_list[st->n_unknown_list++] = xstrndup((const char *)p, n);
}

/* Length of a "<LABEL_N>" token at p, or 0. */
static size_t placeholder_len(const unsigned char *p, size_t n)
{
    if (n < 4 || p[0] != '<' || !isalpha(p[1])) return 0;
    size_t j = 1;
    while (j < n && j < PH_MAX_PLACEHOLDER && (isalnum(p[j]) || p[j] == '_')) j++;
    if (j >= n || p[j] != '>') return 0;
    size_t k = j;
    while (k > 1 && isdigit(p[k - 1])) k--;
    if (k == j || p[k - 1] != '_' || k - 1 < 2) return 0;
    return j + 1;
}

/* Openers and closers an assistant (or a renderer) makes of '<' and '>':
 * HTML entities and Markdown escapes.  The plain forms come first. */
static const char *const ph_open[] = {"<", "&lt;", "\\<", "&#60;", "&#x3c;", "&amp;lt;"};
static const char *const ph_close[] = {">", "&gt;", "\\>", "&#62;", "&#x3e;", "&amp;gt;"};

/* Length of the form f at p (ASCII case-insensitive), or 0. */
static size_t form_at(const unsigned char *p, size_t n, const char *f)
{
    size_t k = strlen(f);
    if (k > n) return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower(p[i]) != (unsigned char)f[i]) return 0;
    return k;
}

/* A placeholder at p as written or mangled: "<LABEL_N>", "&lt;LABEL_N&gt;",
 * "\<LABEL\_N\>" and their mixtures.  Returns the bytes it spans (0: none)
 * and writes the plain "<LABEL_N>" to canon (PH_MAX_PLACEHOLDER + 1 bytes);
 * *mangled says whether it was written otherwise. */
static size_t placeholder_at(const unsigned char *p, size_t n, char *canon, size_t *clen,
                             int *mangled)
{
    size_t o = 0, k;
    int form = -1;
    for (size_t i = 0; i < sizeof ph_open / sizeof *ph_open && form < 0; i++)
        if ((o = form_at(p, n, ph_open[i]))) form = (int)i;
    if (form < 0) return 0;
    int open = form, us = 0;
    *mangled = form != 0;
    size_t j = o, c = 0;
    canon[c++] = '<';
    while (j < n && c < PH_MAX_PLACEHOLDER - 1) {
        if (p[j] == '\\' && j + 1 < n && p[j + 1] == '_') { /* Markdown's \_ */
            canon[c++] = '_';
            j += 2;
            *mangled = 1;
            us = 1;
        } else if (isalnum(p[j]) || p[j] == '_') {
            canon[c++] = (char)p[j++];
        } else {
            break;
        }
    }
    form = -1;
    for (size_t i = 0; i < sizeof ph_close / sizeof *ph_close && form < 0; i++)
        if ((k = form_at(p + j, n - j, ph_close[i]))) form = (int)i;
    if (form < 0) return 0;
    /* "\\<X_1>" is a backslash before a placeholder, not an escaped one:
     * Markdown escapes both brackets (or the underscores) */
    if (open == 2 && form != 2 && !us) return 0;
    *mangled |= form != 0;
    canon[c++] = '>';
    canon[c] = 0;
    if (placeholder_len((const unsigned char *)canon, c) != c) return 0;
    *clen = c;
    return j + k;
}

static void note_mangled(restore_stats *st, const unsigned char *p, size_t n)
{
    st->mangled++;
    for (size_t i = 0; i < st->n_mangled_list; i++)
        if (strlen(st->mangled_list[i]) == n && !memcmp(st->mangled_list[i], p, n)) return;
    if (st->n_mangled_list < sizeof st->mangled_list / sizeof *st->mangled_list)
        st->mangled_list[st->n_mangled_list++] = xstrndup((const char *)p, n);
}

typedef struct shape_set {
    const ph_entry **v;
    size_t n;
    size_t maxlen;
    unsigned char first[256];
} shape_set;

static int cmp_shape_len(const void *a, const void *b)
{
    const ph_entry *x = *(const ph_entry *const *)a, *y = *(const ph_entry *const *)b;
    return x->phlen > y->phlen ? -1 : x->phlen < y->phlen;
}

static void shapes_build(const ph_map *m, shape_set *s)
{
    memset(s, 0, sizeof *s);
    size_t n = ph_map_count(m);
    for (size_t i = 0; i < n; i++) {
        const ph_entry *e = ph_map_at(m, i);
        if (e->style != PH_SHAPE || !e->phlen) continue;
        s->v = xrealloc_n(s->v, s->n + 1, sizeof *s->v);
        s->v[s->n++] = e;
        s->first[(unsigned char)e->ph[0]] = 1;
        if (e->phlen > s->maxlen) s->maxlen = e->phlen;
    }
    if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, cmp_shape_len);
}

/* Restore data[0..len); when !final, stop before the last `carry` bytes
 * and return how much was consumed. */
static size_t restore_part(const ph_map *m, const shape_set *sh, const unsigned char *data,
                           size_t len, int final, size_t carry, buf *out, restore_stats *st)
{
    size_t safe = final ? len : (len > carry ? len - carry : 0);
    size_t i = 0, pos = 0;
    while (i < safe) {
        unsigned char c = data[i];
        if (c == '<' || c == '&' || c == '\\') {
            char canon[PH_MAX_PLACEHOLDER + 1];
            size_t cl = 0;
            int mangled = 0;
            size_t pl = placeholder_at(data + i, len - i, canon, &cl, &mangled);
            if (pl) {
                const ph_entry *e = ph_map_find(m, canon, cl);
                if (mangled) note_mangled(st, data + i, pl);
                if (e) { /* a mangled one is restored too, and reported */
                    buf_append(out, data + pos, i - pos);
                    buf_append(out, e->value, e->vlen);
                    st->restored++;
                    i += pl;
                    pos = i;
                    continue;
                }
                note_unknown(st, data + i, pl);
                i += pl;
                continue;
            }
        }
        if (sh->n && sh->first[c] && !(i > 0 && isalnum(c) && isalnum(data[i - 1]))) {
            const ph_entry *hit = NULL;
            for (size_t k = 0; k < sh->n; k++) {
                const ph_entry *e = sh->v[k];
                if (e->phlen > len - i || memcmp(data + i, e->ph, e->phlen)) continue;
                size_t after = i + e->phlen;
                if (after < len && isalnum(data[after]) && isalnum((unsigned char)e->ph[e->phlen - 1]))
                    continue;
                hit = e;
                break;
            }
            if (hit) {
                buf_append(out, data + pos, i - pos);
                buf_append(out, hit->value, hit->vlen);
                st->restored++;
                i += hit->phlen;
                pos = i;
                continue;
            }
        }
        i++;
    }
    buf_append(out, data + pos, i - pos);
    return i;
}

vg_status restore_buffer(const ph_map *m, const unsigned char *data, size_t len, buf *out,
                         restore_stats *st)
{
    shape_set sh;
    shapes_build(m, &sh);
    restore_part(m, &sh, data, len, 1, 0, out, st);
    free(sh.v);
    return VG_OK;
}

vg_status restore_stream(const ph_map *m, FILE *in, FILE *out, restore_stats *st, diag_list *d)
{
    shape_set sh;
    shapes_build(m, &sh);
    size_t carry = sh.maxlen > PH_MAX_PLACEHOLDER ? sh.maxlen + 1 : PH_MAX_PLACEHOLDER + 1;
    buf pend, o;
    buf_init(&pend, 0);
    buf_init(&o, 0);
    unsigned char *chunk = xmalloc(REDACT_BLOCK);
    vg_status rc = VG_OK;
    for (;;) {
        size_t n = fread(chunk, 1, REDACT_BLOCK, in);
        if (n) buf_append(&pend, chunk, n);
        int eof = n < REDACT_BLOCK;
        if (eof && ferror(in)) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "read error on the input");
            rc = VG_ERR_IO;
            break;
        }
        buf_clear(&o);
        size_t used = restore_part(m, &sh, (const unsigned char *)pend.data, pend.len, eof, carry,
                                   &o, st);
        if (o.len && fwrite(o.data, 1, o.len, out) != o.len) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "write error on the output");
            rc = VG_ERR_IO;
            break;
        }
        memmove(pend.data, pend.data + used, pend.len - used);
        pend.len -= used;
        if (eof) break;
    }
    if (!rc && fflush(out)) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "write error on the output");
        rc = VG_ERR_IO;
    }
    free(chunk);
    free(sh.v);
    buf_free(&pend);
    buf_free(&o);
    return rc;
}

void restore_stats_free(restore_stats *st)
{
    for (size_t i = 0; i < st->n_unknown_list; i++) free(st->unknown_list[i]);
    st->n_unknown_list = 0;
    for (size_t i = 0; i < st->n_mangled_list; i++) free(st->mangled_list[i]);
    st->n_mangled_list = 0;
}
