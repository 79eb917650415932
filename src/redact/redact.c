/* redact.c - secrets, PII and internal infrastructure -> placeholders, and
 * placeholders -> values (see redact.h). */
#include "redact.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../core/sort.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"
#include "../text/pii.h"
#include "../text/scan.h"

/* PII redacted by default: every entity but DATE_TIME and URL (dates and
 * public links are what a question is about), plus the infrastructure. */
#define REDACT_DEFAULT_MASK (PII_DEFAULT_MASK | PII_INFRA_MASK)

/* What finding a block's candidates writes: one per thread that finds
 * (the redactor's own, and one per worker of redact_stream). */
typedef struct redact_work {
    scan_scratch *sc;         /* for the one pass */
    scan_hits hits;
    pii_work *pw;             /* NULL: the PII engine's own */
    unsigned char *taken;     /* per-byte "already replaced" marks of a block */
    size_t taken_cap;
    struct cand *tmp;         /* room for resolve_overlaps' sorts */
    size_t tmp_cap;
} redact_work;

struct redactor {
    redact_opts o;
    const secrets *sec;
    ph_map *map;
    pii *pii;
    scan_db *db;              /* the one pass: secrets and the ungated PII patterns */
    redact_work w;
    size_t replaced;
};

typedef struct cand {
    size_t start, end;
    int prio;                 /* 3 literal placeholder, 2 secret, 1 infrastructure, 0 PII */
    int slot;                 /* operator slot (redact_opts.ops) */
    ph_style style;
    const char *label;        /* a rule's slug or an entity's name, as ph_map_get takes it */
    uint64_t h;               /* ph_value_hash of the span (found by the worker) */
} cand;

int redact_operator_parse(const char *spec, redact_opts *o, const char **err)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec) {
        *err = "an operator is ENTITY=OP, e.g. CREDIT_CARD=mask:4";
        return -1;
    }
    char ent[64];
    size_t el = (size_t)(eq - spec);
    if (el >= sizeof ent) {
        *err = "unknown entity";
        return -1;
    }
    memcpy(ent, spec, el);
    ent[el] = 0;
    redact_operator op = {RO_REPLACE, 0, '*'};
    const char *v = eq + 1;
    if (!strcmp(v, "replace")) op.op = RO_REPLACE;
    else if (!strcmp(v, "keep")) op.op = RO_KEEP;
    else if (!strcmp(v, "hash")) op.op = RO_HASH;
    else if (!strcmp(v, "encrypt")) op.op = RO_ENCRYPT;
    else if (!strncmp(v, "mask", 4) && (v[4] == 0 || v[4] == ':')) {
        op.op = RO_MASK;
        if (v[4] == ':') {
            char *end;
            unsigned long n = strtoul(v + 5, &end, 10);
            if (end == v + 5 || n > 64 || (*end && (*end != ':' || !end[1] || end[2]))) {
                *err = "mask takes mask:N (characters kept, at most 64) and an optional :C";
                return -1;
            }
            op.keep = (unsigned)n;
            if (*end == ':') op.mask_char = end[1];
        }
    } else {
        *err = "unknown operator (replace, keep, mask[:N[:C]], hash, encrypt)";
        return -1;
    }
    int slot;
    if (!strcasecmp(ent, "ALL")) {
        for (int i = 0; i < REDACT_NOPS; i++) o->ops[i] = op;
        return 0;
    }
    if (!strcasecmp(ent, "SECRET")) slot = REDACT_OP_SECRET;
    else if (!strcasecmp(ent, "PRIVATE_IP")) slot = PII_IP_ADDRESS;
    else if ((slot = pii_entity_parse(ent)) < 0) {
        *err = "unknown entity (a PII entity, PRIVATE_IP, SECRET or ALL)";
        return -1;
    }
    o->ops[slot] = op;
    return 0;
}

int redact_uses_op(const redact_opts *o, redact_op op)
{
    for (int i = 0; i < REDACT_NOPS; i++)
        if (o->ops[i].op == op) return 1;
    return 0;
}

/* Is the dotted quad at data[s..e) written where a version goes
 * ("v1.2.3.4", "version 1.2.3.4", "==1.2.3.4", "pkg-1.2.3.4")? */
static int version_context(const unsigned char *d, size_t s, size_t e, size_t len)
{
    if (s > 0 && (d[s - 1] == 'v' || d[s - 1] == 'V' || d[s - 1] == '-' || d[s - 1] == '@' ||
                  d[s - 1] == '/'))
        return 1;
    if (e < len && (d[e] == '-' || d[e] == '+')) return 1;   /* 1.2.3.4-rc1, +build */
    /* the words just before it: "version 1.2.3.4", "python: 3.1.0.2", "==1.2.3.4" */
    size_t b = s;
    while (b > 0 && (d[b - 1] == ' ' || d[b - 1] == '\t' || d[b - 1] == '"' || d[b - 1] == '\''))
        b--;
    static const char *const ops[] = {"==", ">=", "<=", "~=", "!=", NULL};
    for (int i = 0; ops[i]; i++)
        if (b >= 2 && !memcmp(d + b - 2, ops[i], 2)) return 1;
    while (b > 0 && (d[b - 1] == ':' || d[b - 1] == '=' || d[b - 1] == ' ' || d[b - 1] == '_'))
        b--;
    size_t w = b;
    while (w > 0 && isalpha(d[w - 1])) w--;
    static const char *const words[] = {"version", "release", "ver", "python", "build",
                                        "firmware", "rev", "revision", "tag", NULL};
    for (int i = 0; words[i]; i++)
        if (b - w == strlen(words[i]) && !strncasecmp((const char *)d + w, words[i], b - w))
            return 1;
    return 0;
}

/* Is the number at data[s..e) bare code (not in quotes; an operator or
 * bracket next to it), where a placeholder must stay a number literal? */
static int bare_number_in_code(const unsigned char *d, size_t s, size_t e, size_t len)
{
    for (size_t i = s; i < e; i++)
        if (!isdigit(d[i])) return 0;
    size_t ls = s;
    while (ls > 0 && d[ls - 1] != '\n') ls--;
    int sq = 0, dq = 0;
    for (size_t i = ls; i < s; i++) {
        if (d[i] == '\\') { i++; continue; }
        if (d[i] == '\'' && !dq) sq ^= 1;
        else if (d[i] == '"' && !sq) dq ^= 1;
    }
    if (sq || dq) return 0;
    size_t b = s;
    while (b > ls && (d[b - 1] == ' ' || d[b - 1] == '\t')) b--;
    size_t a = e;
    while (a < len && (d[a] == ' ' || d[a] == '\t')) a++;
    int before = b > ls && strchr("=([{,:+-*/%<>!", d[b - 1]);
    int after = a < len && strchr(")]},;+-*/%<>=", d[a]);
    return before || after;
}

vg_status redactor_new(const redact_opts *o, const secrets *sec, ph_map *map, redactor **out,
                       diag_list *d)
{
    redactor *r = xcalloc(1, sizeof *r);
    r->o = *o;
    r->sec = o->no_secrets ? NULL : sec;
    r->map = map;
    static const unsigned char zero[16];
    if (!memcmp(r->o.salt, zero, sizeof zero)) randombytes_buf(r->o.salt, sizeof r->o.salt);
    unsigned mask = o->pii_mask ? o->pii_mask : REDACT_DEFAULT_MASK;
    if (o->no_pii) mask &= PII_INFRA_MASK;
    if (o->no_infra) mask &= ~PII_INFRA_MASK;
    vg_status rc = VG_OK;
    if (mask)
        rc = pii_open(mask, o->threshold,
                      PII_OPEN_OWN_DB | PII_OPEN_SHARED | PII_OPEN_ANY_CONTEXT |
                          PII_OPEN_BY_ENTITY, &r->pii, d);
    /* one Hyperscan pass over each block for the secret rules and the PII
     * patterns; the PII patterns that need digits scan only the runs of
     * digits and separators that can hold one, in pii_find_shared */
    if (!rc && (r->sec || r->pii)) {
        r->db = scan_db_new();
        if (r->sec) rc = secrets_add_patterns(r->sec, r->db, d);
        if (!rc && r->pii) rc = pii_add_patterns(r->pii, r->db, d);
        if (!rc) rc = scan_db_compile(r->db, NULL, d);
        if (!rc && !(r->w.sc = scan_scratch_new(r->db))) rc = VG_ERR_INTERNAL;
    }
    if (rc) {
        redactor_free(r);
        return rc;
    }
    *out = r;
    return VG_OK;
}

static void work_fini(redact_work *w)
{
    scan_hits_free(&w->hits);
    scan_scratch_free(w->sc);
    pii_work_free(w->pw);
    free(w->taken);
    free(w->tmp);
}

void redactor_free(redactor *r)
{
    if (!r) return;
    work_fini(&r->w);
    pii_close(r->pii);
    scan_db_free(r->db);
    sodium_memzero(&r->o, sizeof r->o);
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

#define ENC_OPEN "<ENC:"

/* The mask, hash and encrypt operators: what replaces v[0..n). */
static void apply_op(redactor *r, const redact_operator *op, const unsigned char *v, size_t n,
                     buf *out)
{
    if (op->op == RO_MASK) {
        size_t cps = utf8_count(v, n), keep = op->keep < cps ? op->keep : cps;
        for (size_t k = 0; k < cps - keep; k++) buf_putc(out, op->mask_char);
        size_t from = utf8_skip(v, n, cps - keep);
        buf_append(out, v + from, n - from);
    } else if (op->op == RO_HASH) {
        crypto_hash_sha256_state st;
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[2 * sizeof h + 1];
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, r->o.salt, sizeof r->o.salt);
        crypto_hash_sha256_update(&st, v, n);
        crypto_hash_sha256_final(&st, h);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        buf_puts(out, hex);
    } else if (op->op == RO_ENCRYPT) {
        size_t cl = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
        unsigned char *c = xmalloc(cl);
        randombytes_buf(c, crypto_secretbox_NONCEBYTES);
        crypto_secretbox_easy(c + crypto_secretbox_NONCEBYTES, v, n, c, r->o.key);
        size_t bl = sodium_base64_ENCODED_LEN(cl, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        char *b = xmalloc(bl);
        sodium_bin2base64(b, bl, c, cl, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        buf_puts(out, ENC_OPEN);
        buf_puts(out, b);
        buf_putc(out, '>');
        free(b);
        free(c);
    }
}

vg_status redact_decrypt_buffer(const unsigned char key[32], const unsigned char *data,
                                size_t len, buf *out, size_t *bad)
{
    size_t pos = 0, ol = strlen(ENC_OPEN);
    const unsigned char *q;
    *bad = 0;
    while (pos < len && (q = memmem(data + pos, len - pos, ENC_OPEN, ol))) {
        size_t s = (size_t)(q - data), b = s + ol, e = b;
        while (e < len && (isalnum(data[e]) || data[e] == '-' || data[e] == '_')) e++;
        if (e >= len || data[e] != '>' || e == b) {
            buf_append(out, data + pos, b - pos);
            pos = b;
            continue;
        }
        unsigned char *c = xmalloc(e - b);
        size_t cl = 0;
        int ok = !sodium_base642bin(c, e - b, (const char *)data + b, e - b, NULL, &cl, NULL,
                                    sodium_base64_VARIANT_URLSAFE_NO_PADDING) &&
                 cl >= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
        unsigned char *m = NULL;
        size_t ml = 0;
        if (ok) {
            ml = cl - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
            m = xmalloc(ml + 1);
            ok = !crypto_secretbox_open_easy(m, c + crypto_secretbox_NONCEBYTES,
                                             cl - crypto_secretbox_NONCEBYTES, c, key);
        }
        buf_append(out, data + pos, s - pos);
        if (ok) buf_append(out, m, ml);
        else {
            buf_append(out, data + s, e + 1 - s);
            (*bad)++;
        }
        pos = e + 1;
        free(c);
        free(m);
    }
    buf_append(out, data + pos, len - pos);
    return VG_OK;
}

static size_t placeholder_at(const unsigned char *p, size_t n, char *canon, size_t *clen,
                             int *mangled);

/* The offset of the first byte of d[i, len) that can open a placeholder
 * ('<', '&' of "&lt;", '\\' of "\\<"), or len: 16 bytes at a time. */
static size_t next_opener(const unsigned char *d, size_t i, size_t len)
{
#ifdef __SSE2__
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), bs = _mm_set1_epi8('\\');
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp)),
                                   _mm_cmpeq_epi8(v, bs));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m) return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < len && d[i] != '<' && d[i] != '&' && d[i] != '\\') i++;
    return i;
}

/* Text that restore would read as a placeholder becomes a <LITERAL_N>
 * candidate of its own (see redact.h): the round trip stays the identity. */
static void literal_cands(const unsigned char *data, size_t len, cand **c, size_t *nc, size_t *cc)
{
    char canon[PH_MAX_PLACEHOLDER + 1];
    for (size_t i = 0; (i = next_opener(data, i, len)) < len; i++) {
        size_t cl, pl;
        int mangled;
        if (!(pl = placeholder_at(data + i, len - i, canon, &cl, &mangled))) continue;
        XGROW(*c, *cc, *nc + 1);
        (*c)[*nc].start = i;
        (*c)[*nc].end = i + pl;
        (*c)[*nc].prio = 3;
        (*c)[*nc].slot = -1; /* no operator: always a placeholder */
        (*c)[*nc].style = 0;
        (*c)[*nc].label = "LITERAL";
        (*nc)++;
        i += pl - 1;
    }
}

/* Keep the candidates no longer one overlaps, longest first (then the
 * higher priority, then the earlier), each dropped when it overlaps one
 * kept; in order of position.  Only a group of overlapping candidates
 * has a choice to make, so the longest-first order is made inside each
 * group, not over the block: the same choice (the groups are apart, and
 * equal spans keep the order they came in, as one stable sort of all
 * gave), for a sort by position that is about one pass (sort_stable). */
static size_t resolve_overlaps(redact_work *w, cand *c, size_t nc, size_t len)
{
    if (nc < 2) return nc;
    if (nc > w->tmp_cap) {
        free(w->tmp);
        w->tmp = xmalloc_n(nc, sizeof *w->tmp);
        w->tmp_cap = nc;
    }
    if (len > w->taken_cap) {
        free(w->taken);
        w->taken = xmalloc(len);
        w->taken_cap = len;
    }
    cand *g = w->tmp;
    sort_stable(c, nc, sizeof *c, cand_cmp_pos);
    size_t kept = 0;
    for (size_t i = 0; i < nc;) {
        size_t j = i + 1, end = c[i].end;
        for (; j < nc && c[j].start < end; j++)
            if (c[j].end > end) end = c[j].end;
        if (j == i + 1) {
            c[kept++] = c[i++];
            continue;
        }
        /* c[i..j) overlap one another: longest first, into g */
        size_t k = j - i, got = 0, from = c[i].start;
        memcpy(g, c + i, k * sizeof *g);
        sort_stable(g, k, sizeof *g, cand_cmp_len);
        memset(w->taken + from, 0, end - from);
        for (size_t q = 0; q < k; q++) {
            int clash = 0;
            for (size_t b = g[q].start; b < g[q].end && !clash; b++) clash = w->taken[b];
            if (clash) continue;
            memset(w->taken + g[q].start, 1, g[q].end - g[q].start);
            g[got++] = g[q];
        }
        sort_stable(g, got, sizeof *g, cand_cmp_pos);
        memcpy(c + kept, g, got * sizeof *g);
        kept += got;
        i = j;
    }
    return kept;
}

/* The candidates of a block, found with w's scratch: the replaced spans,
 * none overlapping another, in order (*out malloc'd).  Reads r only: the
 * workers of redact_stream run this side by side. */
static vg_status find_cands(const redactor *r, redact_work *w, const unsigned char *data,
                            size_t len, cand **out, size_t *n)
{
    cand *c = NULL;
    size_t nc = 0, cc = 0;
    vg_status rc = VG_OK;
    *out = NULL;
    *n = 0;
    scan_hits_clear(&w->hits);
    if (r->db && (rc = scan_buffer(r->db, w->sc, data, len, &w->hits))) return rc;
    if (r->sec) {
        secret_match *sm = NULL;
        size_t ns = 0, nh;
        const scan_hit *h = scan_hits_family(&w->hits, SCAN_FAM_SECRETS, &nh);
        rc = secrets_confirm(r->sec, data, len, NULL, h, nh, &sm, &ns);
        if (rc) {
            free(sm);
            free(c);
            return rc;
        }
        for (size_t i = 0; i < ns; i++) {
            if (sm[i].secret_end <= sm[i].secret_start) continue;
            XGROW(c, cc, nc + 1);
            c[nc].start = sm[i].secret_start;
            c[nc].end = sm[i].secret_end;
            c[nc].prio = 2;
            c[nc].slot = REDACT_OP_SECRET;
            c[nc].style = r->o.style;
            c[nc].label = sm[i].slug ? sm[i].slug : "secret";   /* lives as long as r->sec */
            nc++;
        }
        free(sm);
    }
    if (r->pii) {
        pii_match *pm = NULL;
        size_t np = 0, nh;
        const scan_hit *h = scan_hits_family(&w->hits, SCAN_FAM_PII, &nh);
        rc = pii_find_shared(r->pii, w->pw, data, len, h, nh, &pm, &np);
        if (rc) {
            free(c);
            return rc;
        }
        for (size_t i = 0; i < np; i++) {
            const pii_match *x = &pm[i];
            /* recall first: documentation values and test cards go too (a
             * missed value is a leak); loopback and unspecified addresses
             * name no one, and 1.2.3.4 in a version's place is a version */
            if (x->flags & PII_F_LOCAL) continue;
            if ((x->flags & PII_F_DIGITS4) && version_context(data, x->start, x->end, len))
                continue;
            XGROW(c, cc, nc + 1);
            c[nc].start = x->start;
            c[nc].end = x->end;
            c[nc].slot = (int)x->entity;
            c[nc].style = r->o.style;
            if (x->entity == PII_CREDIT_CARD && bare_number_in_code(data, x->start, x->end, len))
                c[nc].style = PH_SHAPE;   /* 9000...1: the code still parses */
            c[nc].prio = x->entity >= PII_NPUBLIC || (x->flags & PII_F_PRIVATE);
            c[nc].label = (x->flags & PII_F_PRIVATE) ? "PRIVATE_IP" : pii_entity_name(x->entity);
            nc++;
        }
        free(pm);
    }
    literal_cands(data, len, &c, &nc, &cc);
    nc = resolve_overlaps(w, c, nc, len);
    for (size_t i = 0; i < nc; i++) c[i].h = ph_value_hash(data + c[i].start, c[i].end - c[i].start);
    *out = c;
    *n = nc;
    return VG_OK;
}

/* data[0..len) with the candidates c (from find_cands) replaced, appended
 * to out; the placeholders are numbered here, so blocks go through in
 * the order of the input. */
static vg_status emit_cands(redactor *r, const unsigned char *data, size_t len, const cand *c,
                            size_t nc, buf *out)
{
    vg_status rc = VG_OK;
    size_t pos = 0;
    for (size_t i = 0; i < nc && !rc; i++) {
        /* the map's misses for the values ahead, a level at a time */
        if (i + 12 < nc) ph_map_prefetch(r->map, c[i + 12].h, 0);
        if (i + 6 < nc) ph_map_prefetch(r->map, c[i + 6].h, 1);
        if (i + 3 < nc) ph_map_prefetch(r->map, c[i + 3].h, 2);
        /* a literal placeholder in the input has no operator: it is
         * always replaced, so that restore gives it back verbatim */
        const redact_operator *op = c[i].slot >= 0 ? &r->o.ops[c[i].slot] : NULL;
        const unsigned char *v = data + c[i].start;
        size_t vn = c[i].end - c[i].start;
        if (op && op->op == RO_KEEP) continue;
        buf_append(out, data + pos, c[i].start - pos);
        pos = c[i].end;
        r->replaced++;
        if (op && op->op != RO_REPLACE) {
            apply_op(r, op, v, vn, out);
            continue;
        }
        const ph_entry *e;
        rc = ph_map_get_hashed(r->map, c[i].label, v, vn, c[i].h, op ? c[i].style : r->o.style,
                               &e);
        if (rc) break;
        buf_append(out, e->ph, e->phlen);
    }
    if (!rc) buf_append(out, data + pos, len - pos);
    return rc;
}

vg_status redact_block(redactor *r, const unsigned char *data, size_t len, buf *out)
{
    cand *c;
    size_t nc;
    vg_status rc = find_cands(r, &r->w, data, len, &c, &nc);
    if (!rc) rc = emit_cands(r, data, len, c, nc, out);
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

/* The input cut into blocks: next_block hands out pend[0..cut). */
typedef struct reader {
    FILE *in;
    buf pend;
    int eof;
    size_t cut;
} reader;

/* The next block, at rd->pend.data, of *n bytes (0: the input has ended). */
static vg_status next_block(reader *rd, size_t *n, diag_list *d)
{
    buf *p = &rd->pend;
    if (rd->cut) {
        memmove(p->data, p->data + rd->cut, p->len - rd->cut);
        p->len -= rd->cut;
    }
    rd->cut = *n = 0;
    for (;;) {
        if (!rd->eof) {
            if (buf_reserve(p, REDACT_BLOCK)) return VG_ERR_NOMEM;
            size_t k = fread(p->data + p->len, 1, REDACT_BLOCK, rd->in);
            p->len += k;
            p->data[p->len] = 0;
            if (k < REDACT_BLOCK) {
                if (ferror(rd->in)) {
                    diag_add(d, DIAG_ERROR, NULL, 0, 0, "read error on the input");
                    return VG_ERR_IO;
                }
                rd->eof = feof(rd->in);
            }
        }
        if (!rd->eof && p->len < REDACT_BLOCK) continue;
        size_t cut = block_cut((const unsigned char *)p->data, p->len, rd->eof);
        if (cut == 0) {
            if (rd->eof || p->len == 0) return VG_OK;
            continue;
        }
        rd->cut = *n = cut;
        return VG_OK;
    }
}

static vg_status put_out(const buf *o, FILE *out, diag_list *d)
{
    if (o->len && fwrite(o->data, 1, o->len, out) != o->len) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "write error on the output");
        return VG_ERR_IO;
    }
    return VG_OK;
}

/* ---- blocks found in parallel ----------------------------------------
 * Finding a block's candidates (the Hyperscan passes and their
 * confirmation, nearly all the time) reads the redactor only, so workers
 * do it side by side, each with its own scratch; the main thread reads
 * the input, and numbers and writes each block's placeholders in input
 * order, so the output and the vault are the same as with one thread. */
typedef struct rblock {
    buf data;
    cand *c;
    size_t nc;
    vg_status rc;
    int done;
} rblock;

typedef struct rpool {
    const redactor *r;
    pthread_mutex_t mu;
    pthread_cond_t more;      /* a block was read, or stop */
    pthread_cond_t found;     /* a block's candidates are found */
    rblock *b;
    size_t nb;                /* the ring: block k is b[k % nb] */
    size_t filled, taken;     /* blocks read; blocks a worker took */
    int stop;
} rpool;

typedef struct rworker {
    rpool *p;
    redact_work w;
    pthread_t t;
} rworker;

static void *worker_main(void *arg)
{
    rworker *k = arg;
    rpool *p = k->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->taken == p->filled && !p->stop) pthread_cond_wait(&p->more, &p->mu);
        if (p->taken == p->filled) break;
        rblock *b = &p->b[p->taken++ % p->nb];
        pthread_mutex_unlock(&p->mu);
        vg_status rc = find_cands(p->r, &k->w, (const unsigned char *)b->data.data, b->data.len,
                                  &b->c, &b->nc);
        pthread_mutex_lock(&p->mu);
        b->rc = rc;
        b->done = 1;
        pthread_cond_broadcast(&p->found);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* rd's first block, of n bytes, is read already. */
static vg_status stream_parallel(redactor *r, reader *rd, size_t n, int nworkers, FILE *out,
                                 diag_list *d)
{
    rpool p = {.r = r, .nb = 2 * (size_t)nworkers + 2};
    p.b = xcalloc(p.nb, sizeof *p.b);
    rworker *wk = xcalloc((size_t)nworkers, sizeof *wk);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.more, NULL);
    pthread_cond_init(&p.found, NULL);
    vg_status rc = VG_OK;
    int started = 0;
    for (; started < nworkers; started++) {
        wk[started].p = &p;
        redact_work *w = &wk[started].w;
        if ((r->db && !(w->sc = scan_scratch_new(r->db))) ||
            (r->pii && !(w->pw = pii_work_new(r->pii)))) {
            work_fini(w);
            rc = VG_ERR_NOMEM;
            break;
        }
        if (pthread_create(&wk[started].t, NULL, worker_main, &wk[started])) {
            work_fini(w);
            break;
        }
    }
    if (!started && !rc) rc = VG_ERR_INTERNAL;
    if (rc)
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot start the redaction threads: %s",
                 vg_status_str(rc));
    buf o;
    buf_init(&o, 0);
    size_t emitted = 0;
    int end = 0;
    while (!rc) {
        while (!end && p.filled - emitted < p.nb) {
            if (p.filled && (rc = next_block(rd, &n, d))) break;
            if (!n) {
                end = 1;
                break;
            }
            /* the block takes the reader's buffer; what follows the cut
             * (part of a line) goes to the block's old one */
            rblock *b = &p.b[p.filled % p.nb];
            buf t = b->data;
            b->data = rd->pend;
            rd->pend = t;
            buf_clear(&rd->pend);
            buf_append(&rd->pend, b->data.data + n, b->data.len - n);
            b->data.len = n;
            b->data.data[n] = 0;
            rd->cut = 0;
            b->c = NULL;
            b->nc = 0;
            b->done = 0;
            pthread_mutex_lock(&p.mu);
            p.filled++;
            pthread_cond_signal(&p.more);
            pthread_mutex_unlock(&p.mu);
        }
        if (rc || emitted == p.filled) break;
        rblock *b = &p.b[emitted++ % p.nb];
        pthread_mutex_lock(&p.mu);
        while (!b->done) pthread_cond_wait(&p.found, &p.mu);
        pthread_mutex_unlock(&p.mu);
        rc = b->rc;
        if (!rc) {
            buf_clear(&o);
            rc = emit_cands(r, (const unsigned char *)b->data.data, b->data.len, b->c, b->nc, &o);
        }
        free(b->c);
        b->c = NULL;
        if (rc) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "redaction failed: %s", vg_status_str(rc));
            break;
        }
        rc = put_out(&o, out, d);
    }
    pthread_mutex_lock(&p.mu);
    p.stop = 1;
    p.taken = p.filled;   /* on an error: what is not taken yet is not needed */
    pthread_cond_broadcast(&p.more);
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < started; i++) {
        pthread_join(wk[i].t, NULL);
        work_fini(&wk[i].w);
    }
    for (size_t i = 0; i < p.nb; i++) {
        free(p.b[i].c);
        buf_free(&p.b[i].data);
    }
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.more);
    pthread_cond_destroy(&p.found);
    free(p.b);
    free(wk);
    buf_free(&o);
    return rc;
}

vg_status redact_stream(redactor *r, FILE *in, FILE *out, diag_list *d)
{
    reader rd = {.in = in};
    buf_init(&rd.pend, 0);
    buf o;
    buf_init(&o, 0);
    int jobs = r->o.jobs > 0 ? r->o.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs > REDACT_MAX_JOBS) jobs = REDACT_MAX_JOBS;
    size_t n;
    vg_status rc = next_block(&rd, &n, d);
    /* more than one block and more than one core: the workers */
    if (!rc && n && jobs > 1 && !(rd.eof && rd.pend.len == n)) {
        rc = stream_parallel(r, &rd, n, jobs, out, d);
        n = 0;
    }
    for (; !rc && n; rc = next_block(&rd, &n, d)) {
        buf_clear(&o);
        if ((rc = redact_block(r, (const unsigned char *)rd.pend.data, n, &o))) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "redaction failed: %s", vg_status_str(rc));
            break;
        }
        if ((rc = put_out(&o, out, d))) break;
    }
    if (!rc && fflush(out)) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "write error on the output");
        rc = VG_ERR_IO;
    }
    buf_free(&rd.pend);
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
