/* semver.c - SemVer 2.0 ordering and npm range matching (node-semver's
 * desugaring of ^ ~ x-ranges and hyphen ranges into comparator sets).
 */
#include "semver.h"

#include <ctype.h>
#include <string.h>

/* ---- versions ------------------------------------------------------------- */

static int numcmp(const char *a, const char *b)
{
    size_t an = strlen(a), bn = strlen(b);
    if (an != bn) return an < bn ? -1 : 1;
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

/* Copy digits [s, s+n) without leading zeros; 0 on success. */
static int set_num(char *dst, const char *s, size_t n)
{
    while (n > 1 && *s == '0') s++, n--;
    if (!n || n >= SEMVER_NUM) return -1;
    memcpy(dst, s, n);
    dst[n] = 0;
    return 0;
}

/* Parse a possibly partial version: returns the number of numeric parts
 * given (0..3) with x/X/'*' counting as missing, or -1.  *wild is set when
 * a part was a wildcard. */
static int parse_partial(const char *s, size_t n, semver_ver *v)
{
    memset(v, 0, sizeof *v);
    for (int k = 0; k < 3; k++) strcpy(v->num[k], "0");
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    while (n && (*s == 'v' || *s == 'V' || *s == '=')) s++, n--;
    while (n && isspace((unsigned char)*s)) s++, n--;
    if (!n) return 0;
    size_t i = 0;
    int parts = 0, stopped = 0;
    for (int k = 0; k < 3 && i < n; k++) {
        if (s[i] == 'x' || s[i] == 'X' || s[i] == '*') {
            stopped = 1;
            i++;
        } else if (isdigit((unsigned char)s[i])) {
            size_t j = i;
            while (j < n && isdigit((unsigned char)s[j])) j++;
            if (stopped) return -1; /* 1.x.3 */
            if (set_num(v->num[k], s + i, j - i)) return -1;
            parts++;
            i = j;
        } else {
            return -1;
        }
        if (i < n && s[i] == '.' && k < 2) i++;
        else break;
    }
    /* extra numeric components: build metadata */
    if (i < n && s[i] == '.') {
        while (i < n && s[i] != '-' && s[i] != '+') i++;
    }
    if (i < n && s[i] == '-') {
        i++;
        size_t j = i;
        while (j < n && s[j] != '+') j++;
        if (j == i || j - i >= SEMVER_PRE) return -1;
        for (size_t q = i; q < j; q++)
            if (!isalnum((unsigned char)s[q]) && s[q] != '.' && s[q] != '-') return -1;
        memcpy(v->pre, s + i, j - i);
        v->pre[j - i] = 0;
        i = j;
    } else if (i < n && isalpha((unsigned char)s[i]) && parts == 3) {
        /* 1.2.3beta: lenient, treat as pre-release */
        size_t j = i;
        while (j < n && s[j] != '+') j++;
        if (j - i >= SEMVER_PRE) return -1;
        memcpy(v->pre, s + i, j - i);
        v->pre[j - i] = 0;
        i = j;
    }
    if (i < n && s[i] == '+') i = n; /* build metadata */
    if (i != n) return -1;
    return parts;
}

int semver_parse(const char *s, size_t n, semver_ver *v)
{
    int parts = parse_partial(s, n, v);
    return parts >= 1 ? 0 : -1;
}

static int pre_ident_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int ad = an > 0, bd = bn > 0;
    for (size_t i = 0; i < an; i++) ad &= isdigit((unsigned char)a[i]) != 0;
    for (size_t i = 0; i < bn; i++) bd &= isdigit((unsigned char)b[i]) != 0;
    if (ad && bd) {
        while (an > 1 && *a == '0') a++, an--;
        while (bn > 1 && *b == '0') b++, bn--;
        if (an != bn) return an < bn ? -1 : 1;
        int c = memcmp(a, b, an);
        return c < 0 ? -1 : c > 0;
    }
    if (ad != bd) return ad ? -1 : 1; /* numeric identifiers sort first */
    size_t m = an < bn ? an : bn;
    int c = memcmp(a, b, m);
    if (c) return c < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn;
}

int semver_cmp(const semver_ver *a, const semver_ver *b)
{
    for (int k = 0; k < 3; k++) {
        int c = numcmp(a->num[k], b->num[k]);
        if (c) return c;
    }
    if (!a->pre[0] || !b->pre[0]) return a->pre[0] ? -1 : b->pre[0] ? 1 : 0;
    const char *p = a->pre, *q = b->pre;
    for (;;) {
        size_t pn = strcspn(p, "."), qn = strcspn(q, ".");
        int c = pre_ident_cmp(p, pn, q, qn);
        if (c) return c;
        p += pn;
        q += qn;
        if (!*p || !*q) return *p ? 1 : *q ? -1 : 0;
        p++;
        q++;
    }
}

int semver_cmp_str(const char *a, const char *b)
{
    semver_ver x, y;
    int ra = semver_parse(a, strlen(a), &x), rb = semver_parse(b, strlen(b), &y);
    if (ra || rb) {
        if (ra && rb) return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
        return ra ? -1 : 1;
    }
    return semver_cmp(&x, &y);
}

/* ---- ranges --------------------------------------------------------------- */

/* Add one to a digit string in place (room for one more digit required). */
static void num_inc(char *d)
{
    size_t n = strlen(d);
    size_t i = n;
    while (i > 0) {
        if (d[i - 1] != '9') {
            d[i - 1]++;
            return;
        }
        d[i - 1] = '0';
        i--;
    }
    if (n + 1 < SEMVER_NUM) {
        memmove(d + 1, d, n + 1);
        d[0] = '1';
    }
}

enum { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

static int cmp_op(int op, const semver_ver *v, const semver_ver *b)
{
    int c = semver_cmp(v, b);
    switch (op) {
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    case OP_GE: return c >= 0;
    default: return c == 0;
    }
}

/* Upper bound "<X-0" made from v bumped at component k (zeroing the rest). */
static void bump(semver_ver *hi, const semver_ver *v, int k)
{
    *hi = *v;
    num_inc(hi->num[k]);
    for (int j = k + 1; j < 3; j++) strcpy(hi->num[j], "0");
    strcpy(hi->pre, "0");
}

/* One comparator token ("^1.2", ">=1.0.0", "1.x", "~1"): match v? -1 bad. */
static int comp_match(const char *t, size_t n, const semver_ver *v)
{
    int op = OP_EQ, caret = 0, tilde = 0;
    if (n >= 2 && t[0] == '>' && t[1] == '=') op = OP_GE, t += 2, n -= 2;
    else if (n >= 2 && t[0] == '<' && t[1] == '=') op = OP_LE, t += 2, n -= 2;
    else if (n >= 1 && t[0] == '>') op = OP_GT, t++, n--;
    else if (n >= 1 && t[0] == '<') op = OP_LT, t++, n--;
    else if (n >= 1 && t[0] == '^') caret = 1, t++, n--;
    else if (n >= 2 && t[0] == '~' && t[1] == '>') tilde = 1, t += 2, n -= 2;
    else if (n >= 1 && t[0] == '~') tilde = 1, t++, n--;
    semver_ver b, hi;
    int parts = parse_partial(t, n, &b);
    if (parts < 0) return -1;
    if (caret) {
        if (parts == 0) return 1;
        int k; /* the component that may not change: the first non-zero given */
        if (parts == 1) k = 0;
        else if (parts == 2) k = strcmp(b.num[0], "0") ? 0 : 1;
        else if (strcmp(b.num[0], "0")) k = 0;
        else if (strcmp(b.num[1], "0")) k = 1;
        else k = 2;
        bump(&hi, &b, k);
        return semver_cmp(v, &b) >= 0 && semver_cmp(v, &hi) < 0;
    }
    if (tilde) {
        if (parts == 0) return 1;
        bump(&hi, &b, parts >= 2 ? 1 : 0);
        return semver_cmp(v, &b) >= 0 && semver_cmp(v, &hi) < 0;
    }
    if (parts == 0) return op == OP_LT || op == OP_GT ? 0 : 1; /* "*", "<*" */
    if (parts == 3) return cmp_op(op, v, &b);
    /* x-range: partial version */
    bump(&hi, &b, parts - 1);
    switch (op) {
    case OP_EQ: return semver_cmp(v, &b) >= 0 && semver_cmp(v, &hi) < 0;
    case OP_GE: return semver_cmp(v, &b) >= 0;
    case OP_LT: strcpy(b.pre, "0"); return semver_cmp(v, &b) < 0;
    case OP_GT: hi.pre[0] = 0; return semver_cmp(v, &hi) >= 0;
    case OP_LE: return semver_cmp(v, &hi) < 0;
    }
    return -1;
}

/* One comparator set (space-separated, or "A - B"). */
static int set_match(const char *s, size_t n, const semver_ver *v)
{
    /* hyphen range */
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] == ' ' && s[i + 1] == '-' && s[i + 2] == ' ') {
            semver_ver lo, hi;
            int pl = parse_partial(s, i, &lo), ph = parse_partial(s + i + 3, n - i - 3, &hi);
            if (pl < 0 || ph < 0) return -1;
            if (semver_cmp(v, &lo) < 0) return 0;
            if (ph == 0) return 1;
            if (ph == 3) return semver_cmp(v, &hi) <= 0;
            semver_ver up;
            bump(&up, &hi, ph - 1);
            return semver_cmp(v, &up) < 0;
        }
    }
    int all = 1, any = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && isspace((unsigned char)s[i])) i++;
        if (i >= n) break;
        size_t j = i;
        /* an operator may be separated from its version by blanks: ">= 1.2" */
        while (j < n && strchr("<>=^~", s[j])) j++;
        while (j < n && isspace((unsigned char)s[j])) j++;
        while (j < n && !isspace((unsigned char)s[j])) j++;
        int m = comp_match(s + i, j - i, v);
        if (m < 0) return -1;
        if (!m) all = 0;
        any = 1;
        i = j;
    }
    return any ? all : 1;
}

int semver_range_match(const char *range, const char *version)
{
    semver_ver v;
    if (semver_parse(version, strlen(version), &v)) return -1;
    const char *p = range;
    int matched = 0;
    for (;;) {
        const char *bar = strstr(p, "||");
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        int m = set_match(p, n, &v);
        if (m < 0) return -1;
        if (m) matched = 1;
        if (!bar) break;
        p = bar + 2;
    }
    return matched;
}
