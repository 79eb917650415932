/* pep440.c - PEP 440 versions: a hand-written parser for packaging's
 * VERSION_PATTERN, its ordering key (_cmpkey), the legacy ordering of
 * setuptools for everything else, and specifier sets (== != ~= <= >= < > ===).
 */
#include "pep440.h"
#include "../core/limits.h"

#include <ctype.h>
#include <string.h>

/* ---- parsing ---------------------------------------------------------- */

typedef struct cur {
    const char *s;
    size_t n, i;
} cur;

static int at_digit(const cur *c) { return c->i < c->n && isdigit((unsigned char)c->s[c->i]); }

static uint64_t read_num(cur *c)
{
    uint64_t v = 0;
    while (at_digit(c)) {
        unsigned d = (unsigned)(c->s[c->i++] - '0');
        v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d; /* saturate */
    }
    return v;
}

static int is_sep(char ch) { return ch == '-' || ch == '_' || ch == '.'; }

/* Match one of the words (lower-case text) at the cursor; longest listed first. */
static int match_word(cur *c, const char *const *words, int *which)
{
    if (c->i >= c->n) return 0;
    for (int k = 0; words[k]; k++) {
        if (words[k][0] != c->s[c->i]) continue;
        size_t l = strlen(words[k]);
        if (c->i + l <= c->n && memcmp(c->s + c->i, words[k], l) == 0) {
            c->i += l;
            *which = k;
            return 1;
        }
    }
    return 0;
}

static void opt_sep(cur *c)
{
    if (c->i < c->n && is_sep(c->s[c->i])) c->i++;
}

/* Valid PEP 440 on the lower-cased text t[0..n)? Fills v. */
static int parse_valid(const char *t, size_t n, pep440_ver *v)
{
    cur c = {t, n, 0};
    if (c.i < n && t[c.i] == 'v') c.i++;
    if (!at_digit(&c)) return 0;
    /* epoch or first release number */
    size_t save = c.i;
    uint64_t first = read_num(&c);
    if (c.i < n && t[c.i] == '!') {
        v->epoch = first;
        c.i++;
        if (!at_digit(&c)) return 0;
        first = read_num(&c);
    } else {
        (void)save;
    }
    v->rel[v->nrel++] = first;
    while (c.i + 1 < n && t[c.i] == '.' && isdigit((unsigned char)t[c.i + 1])) {
        c.i++;
        uint64_t x = read_num(&c);
        if (v->nrel >= PEP440_MAX_REL) return 0;
        v->rel[v->nrel++] = x;
    }
    /* pre-release */
    static const char *const pre_words[] = {"alpha", "a", "beta", "b", "preview", "pre", "c", "rc", NULL};
    static const int pre_kind[] = {0, 0, 1, 1, 2, 2, 2, 2};
    save = c.i;
    opt_sep(&c);
    int w;
    if (match_word(&c, pre_words, &w)) {
        v->pre_kind = pre_kind[w];
        size_t s2 = c.i;
        opt_sep(&c);
        if (at_digit(&c)) v->pre = read_num(&c);
        else c.i = s2;
    } else {
        c.i = save;
    }
    /* post-release: -N or [sep](post|rev|r)[sep][N] */
    save = c.i;
    if (c.i + 1 < n && t[c.i] == '-' && isdigit((unsigned char)t[c.i + 1])) {
        c.i++;
        v->has_post = 1;
        v->post = read_num(&c);
    } else {
        static const char *const post_words[] = {"post", "rev", "r", NULL};
        opt_sep(&c);
        if (match_word(&c, post_words, &w)) {
            v->has_post = 1;
            size_t s2 = c.i;
            opt_sep(&c);
            if (at_digit(&c)) v->post = read_num(&c);
            else c.i = s2;
        } else {
            c.i = save;
        }
    }
    /* dev-release */
    save = c.i;
    opt_sep(&c);
    static const char *const dev_words[] = {"dev", NULL};
    if (match_word(&c, dev_words, &w)) {
        v->has_dev = 1;
        size_t s2 = c.i;
        opt_sep(&c);
        if (at_digit(&c)) v->dev = read_num(&c);
        else c.i = s2;
    } else {
        c.i = save;
    }
    /* local */
    if (c.i < n && t[c.i] == '+') {
        c.i++;
        size_t k = 0;
        int need = 1; /* a segment must follow */
        while (c.i < n) {
            char ch = t[c.i];
            if (isalnum((unsigned char)ch)) {
                v->local[k++] = ch;
                need = 0;
            } else if (is_sep(ch) && !need) {
                v->local[k++] = '.';
                need = 1;
            } else {
                return 0;
            }
            c.i++;
            if (k + 1 >= sizeof v->local) return 0;
        }
        if (need) return 0;
        v->local[k] = 0;
    }
    return c.i == n;
}

int pep440_parse(const char *s, size_t n, pep440_ver *v)
{
    memset(v, 0, sizeof *v);
    v->pre_kind = -1;
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (!n || n >= sizeof v->text) return -1;
    for (size_t i = 0; i < n; i++) v->text[i] = (char)tolower((unsigned char)s[i]);
    v->text[n] = 0;
    if (parse_valid(v->text, n, v)) return 0;
    pep440_ver keep = *v;
    memset(v, 0, sizeof *v);
    v->pre_kind = -1;
    memcpy(v->text, keep.text, sizeof v->text);
    v->legacy = 1;
    return 1;
}

/* ---- legacy ordering (setuptools' parse_version before PEP 440) ---------- */

typedef struct leg_key {
    char part[PEP440_LEG_MAX_PARTS][PEP440_LEG_PART];
    int n;
} leg_key;

static void leg_push_raw(leg_key *k, const char *p, size_t n)
{
    static const struct { const char *from, *to; } repl[] = {
        {"pre", "c"}, {"preview", "c"}, {"-", "final-"}, {"rc", "c"}, {"dev", "@"}};
    char tmp[PEP440_LEG_PART];
    if (!n || (n == 1 && p[0] == '.')) return;
    if (n >= PEP440_LEG_PART - 2) n = PEP440_LEG_PART - 3;
    memcpy(tmp, p, n);
    tmp[n] = 0;
    for (size_t r = 0; r < sizeof repl / sizeof *repl; r++)
        if (!strcmp(tmp, repl[r].from)) {
            strcpy(tmp, repl[r].to);
            n = strlen(tmp);
            break;
        }
    char part[PEP440_LEG_PART];
    if (isdigit((unsigned char)tmp[0])) {
        size_t pad = n < 8 ? 8 - n : 0;
        memset(part, '0', pad);
        memcpy(part + pad, tmp, n + 1);
    } else {
        part[0] = '*';
        memcpy(part + 1, tmp, n + 1);
    }
    /* _legacy_cmpkey's trimming */
    if (part[0] == '*') {
        if (strcmp(part, "*final") < 0)
            while (k->n && !strcmp(k->part[k->n - 1], "*final-")) k->n--;
        while (k->n && !strcmp(k->part[k->n - 1], "00000000")) k->n--;
    }
    if (k->n < PEP440_LEG_MAX_PARTS) strcpy(k->part[k->n++], part);
}

static void leg_key_of(const char *t, leg_key *k)
{
    k->n = 0;
    size_t n = strlen(t), i = 0, other = 0; /* other: start of unmatched text */
    while (i < n) {
        unsigned char ch = (unsigned char)t[i];
        size_t j = i;
        if (isdigit(ch)) while (j < n && isdigit((unsigned char)t[j])) j++;
        else if (ch >= 'a' && ch <= 'z') while (j < n && t[j] >= 'a' && t[j] <= 'z') j++;
        else if (ch == '.' || ch == '-') j = i + 1;
        else {
            i++;
            continue;
        }
        leg_push_raw(k, t + other, i - other);
        leg_push_raw(k, t + i, j - i);
        i = other = j;
    }
    leg_push_raw(k, t + other, n - other);
    /* the generator ends with "*final": trim zeros before it */
    const char fin[] = "*final";
    while (k->n && !strcmp(k->part[k->n - 1], "00000000")) k->n--;
    if (k->n < PEP440_LEG_MAX_PARTS) strcpy(k->part[k->n++], fin);
}

static int leg_cmp(const char *a, const char *b)
{
    leg_key ka, kb;
    leg_key_of(a, &ka);
    leg_key_of(b, &kb);
    for (int i = 0; i < ka.n && i < kb.n; i++) {
        int c = strcmp(ka.part[i], kb.part[i]);
        if (c) return c < 0 ? -1 : 1;
    }
    return ka.n < kb.n ? -1 : ka.n > kb.n;
}

/* ---- ordering ------------------------------------------------------------ */

static int u64cmp(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

static int rel_cmp(const pep440_ver *a, const pep440_ver *b)
{
    int n = a->nrel > b->nrel ? a->nrel : b->nrel;
    for (int i = 0; i < n; i++) {
        uint64_t x = i < a->nrel ? a->rel[i] : 0, y = i < b->nrel ? b->rel[i] : 0;
        if (x != y) return u64cmp(x, y);
    }
    return 0;
}

/* pre key: -2 = -inf (dev only), 3 = +inf (final), else kind */
static int pre_rank(const pep440_ver *v)
{
    if (v->pre_kind < 0) return (!v->has_post && v->has_dev) ? -2 : 3;
    return v->pre_kind;
}

static int local_part_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int ad = 1, bd = 1;
    for (size_t i = 0; i < an; i++) ad &= isdigit((unsigned char)a[i]) != 0;
    for (size_t i = 0; i < bn; i++) bd &= isdigit((unsigned char)b[i]) != 0;
    if (ad && bd) {
        while (an > 1 && *a == '0') a++, an--;
        while (bn > 1 && *b == '0') b++, bn--;
        if (an != bn) return an < bn ? -1 : 1;
        int c = memcmp(a, b, an);
        return c < 0 ? -1 : c > 0;
    }
    if (ad != bd) return ad ? 1 : -1; /* numbers sort after strings */
    size_t m = an < bn ? an : bn;
    int c = memcmp(a, b, m);
    if (c) return c < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn;
}

static int local_cmp(const char *a, const char *b)
{
    if (!*a || !*b) return *a ? 1 : *b ? -1 : 0;
    while (*a && *b) {
        size_t an = strcspn(a, "."), bn = strcspn(b, ".");
        int c = local_part_cmp(a, an, b, bn);
        if (c) return c;
        a += an;
        b += bn;
        if (*a) a++;
        if (*b) b++;
        if (!*a || !*b) break;
    }
    return *a ? 1 : *b ? -1 : 0;
}

static int cmp_public(const pep440_ver *a, const pep440_ver *b)
{
    int c;
    if ((c = u64cmp(a->epoch, b->epoch))) return c;
    if ((c = rel_cmp(a, b))) return c;
    int pa = pre_rank(a), pb = pre_rank(b);
    if (pa != pb) return pa < pb ? -1 : 1;
    if (a->pre_kind >= 0 && (c = u64cmp(a->pre, b->pre))) return c;
    if (a->has_post != b->has_post) return a->has_post ? 1 : -1;
    if (a->has_post && (c = u64cmp(a->post, b->post))) return c;
    if (a->has_dev != b->has_dev) return a->has_dev ? -1 : 1;
    if (a->has_dev && (c = u64cmp(a->dev, b->dev))) return c;
    return 0;
}

int pep440_cmp(const pep440_ver *a, const pep440_ver *b)
{
    if (a->legacy || b->legacy) {
        if (a->legacy != b->legacy) return a->legacy ? -1 : 1;
        return leg_cmp(a->text, b->text);
    }
    int c = cmp_public(a, b);
    if (c) return c;
    return local_cmp(a->local, b->local);
}

int pep440_cmp_str(const char *a, const char *b)
{
    pep440_ver x, y;
    int ra = pep440_parse(a, strlen(a), &x), rb = pep440_parse(b, strlen(b), &y);
    if (ra < 0 || rb < 0) return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
    return pep440_cmp(&x, &y);
}

int pep440_is_prerelease(const pep440_ver *v) { return v->pre_kind >= 0 || v->has_dev; }

/* ---- specifiers ---------------------------------------------------------- */

static int base_eq(const pep440_ver *a, const pep440_ver *b)
{
    return a->epoch == b->epoch && rel_cmp(a, b) == 0;
}

static int prefix_match(const pep440_ver *cand, const pep440_ver *spec)
{
    if (cand->epoch != spec->epoch) return 0;
    for (int i = 0; i < spec->nrel; i++) {
        uint64_t x = i < cand->nrel ? cand->rel[i] : 0;
        if (x != spec->rel[i]) return 0;
    }
    return 1;
}

/* One clause: op and version text (trimmed). */
static int clause_match(const char *op, const char *vs, size_t vn, const pep440_ver *cand,
                        const char *cand_text)
{
    if (!strcmp(op, "===")) {
        size_t cn = strlen(cand_text);
        if (cn != vn) return 0;
        for (size_t i = 0; i < vn; i++)
            if (tolower((unsigned char)vs[i]) != tolower((unsigned char)cand_text[i])) return 0;
        return 1;
    }
    int wild = vn >= 2 && vs[vn - 2] == '.' && vs[vn - 1] == '*';
    pep440_ver sv;
    if (pep440_parse(vs, wild ? vn - 2 : vn, &sv) != 0) return -1;
    if (wild && strcmp(op, "==") && strcmp(op, "!=")) return -1;
    if (cand->legacy) return 0; /* only === can match a legacy version */
    pep440_ver pub = *cand;
    pub.local[0] = 0;
    if (!strcmp(op, "==") || !strcmp(op, "!=")) {
        int eq;
        if (wild) eq = prefix_match(cand, &sv);
        else if (sv.local[0]) eq = pep440_cmp(cand, &sv) == 0;
        else eq = pep440_cmp(&pub, &sv) == 0;
        return op[0] == '=' ? eq : !eq;
    }
    if (!strcmp(op, "~=")) {
        if (sv.nrel < 2 || sv.local[0]) return -1;
        pep440_ver pre = sv;
        pre.nrel--;
        return pep440_cmp(&pub, &sv) >= 0 && prefix_match(cand, &pre);
    }
    if (sv.local[0]) return -1;
    if (!strcmp(op, "<=")) return pep440_cmp(&pub, &sv) <= 0;
    if (!strcmp(op, ">=")) return pep440_cmp(&pub, &sv) >= 0;
    if (!strcmp(op, "<")) {
        if (pep440_cmp(cand, &sv) >= 0) return 0;
        if (!pep440_is_prerelease(&sv) && pep440_is_prerelease(cand) && base_eq(cand, &sv))
            return 0;
        return 1;
    }
    if (!strcmp(op, ">")) {
        if (pep440_cmp(&pub, &sv) <= 0) return 0;
        if (!sv.has_post && cand->has_post && base_eq(cand, &sv)) return 0;
        if (cand->local[0] && base_eq(cand, &sv)) return 0;
        return 1;
    }
    return -1;
}

int pep440_spec_match(const char *spec, const char *version)
{
    pep440_ver cand;
    if (pep440_parse(version, strlen(version), &cand) < 0) return -1;
    const char *p = spec;
    int result = 1;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p) break;
        static const char *const ops[] = {"===", "==", "!=", "~=", "<=", ">=", "<", ">", NULL};
        char op[4] = "";
        for (int k = 0; ops[k]; k++) {
            size_t l = strlen(ops[k]);
            if (!strncmp(p, ops[k], l)) {
                memcpy(op, ops[k], l + 1);
                p += l;
                break;
            }
        }
        if (!op[0]) return -1;
        while (*p == ' ' || *p == '\t') p++;
        const char *vs = p;
        while (*p && *p != ',') p++;
        size_t vn = (size_t)(p - vs);
        while (vn && (vs[vn - 1] == ' ' || vs[vn - 1] == '\t')) vn--;
        if (!vn) return -1;
        int m = clause_match(op, vs, vn, &cand, cand.text);
        if (m < 0) return -1;
        if (!m) result = 0;
    }
    return result;
}
