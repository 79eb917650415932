/* ignore.c - gitignore patterns and git's wildmatch; see ignore.h.
 *
 * The matcher follows git's wildmatch.c (WM_PATHNAME): a '*' tries each
 * split point but gives up early with the same "abort" results git uses,
 * which keeps pathological patterns from going exponential.  Patterns and
 * paths are bytes; nothing here assumes UTF-8.
 */
#include "ignore.h"

#include "../core/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4096
#define MAX_PATTERNS 100000

enum { P_NEGATE = 1, P_DIRONLY = 2, P_BASENAME = 4 };

typedef struct pattern {
    char *glob;      /* without '!', leading '/', trailing '/' */
    unsigned flags;
} pattern;

struct ignore_rules {
    pattern *v;
    size_t n, cap;
};

/* ---- wildmatch ---- */

enum { WM_NOMATCH = 1, WM_MATCH = 0, WM_ABORT_ALL = -1, WM_ABORT_TO_STARSTAR = -2 };

#define WM_MEMO_AFTER 2000UL
#define WM_BUDGET 2000000UL

static int glob_special(unsigned char c) { return c == '*' || c == '?' || c == '[' || c == '\\'; }

static int char_class(const unsigned char *s, int n, unsigned char c, int *ok)
{
#define CC(name, test)                                                          \
    if (n == (int)sizeof(name) - 1 && memcmp(s, name, (size_t)n) == 0) {        \
        *ok = 1;                                                                \
        return (test) != 0;                                                     \
    }
    CC("alnum", isalnum(c));
    CC("alpha", isalpha(c));
    CC("blank", c == ' ' || c == '\t');
    CC("cntrl", iscntrl(c));
    CC("digit", isdigit(c));
    CC("graph", isgraph(c));
    CC("lower", islower(c));
    CC("print", isprint(c));
    CC("punct", ispunct(c));
    CC("space", isspace(c));
    CC("upper", isupper(c));
    CC("xdigit", isxdigit(c));
#undef CC
    *ok = 0;
    return 0;
}

typedef struct wctx {
    const unsigned char *p0, *t0;
    unsigned long steps;
    uint64_t *memo_key;    /* (pattern offset << 32 | text offset) + 1; 0 = empty */
    signed char *memo_val;
    size_t memo_cap, memo_n;
} wctx;

static int dowild(wctx *c, const unsigned char *p, const unsigned char *text);

/* dowild is a pure function of (pattern position, text position): past a
 * few thousand steps (patterns like a run of "**" + "/" against a deep
 * path, exponential in git's matcher), results are memoised, and a hard
 * step budget turns what is left into "no match". */
static int dowild_m(wctx *c, const unsigned char *p, const unsigned char *text)
{
    if (++c->steps > WM_BUDGET) return WM_ABORT_ALL;
    if (c->steps == WM_MEMO_AFTER) {
        c->memo_cap = (size_t)1 << 16;
        c->memo_key = xcalloc(c->memo_cap, sizeof *c->memo_key);
        c->memo_val = xcalloc(c->memo_cap, 1);
    }
    if (!c->memo_key) return dowild(c, p, text);
    uint64_t key = (((uint64_t)(p - c->p0) << 32) | (uint64_t)(text - c->t0)) + 1;
    size_t m = c->memo_cap - 1, h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & m;
    for (; c->memo_key[h]; h = (h + 1) & m)
        if (c->memo_key[h] == key) return c->memo_val[h];
    int r = dowild(c, p, text);
    if (c->memo_n * 4 < c->memo_cap * 3) {
        for (h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & m; c->memo_key[h]; h = (h + 1) & m) {}
        c->memo_key[h] = key;
        c->memo_val[h] = (signed char)r;
        c->memo_n++;
    }
    return r;
}

static int dowild(wctx *c, const unsigned char *p, const unsigned char *text)
{
    const unsigned char *pattern = c->p0;
    unsigned char p_ch;
    for (; (p_ch = *p) != '\0'; text++, p++) {
        int matched, match_slash, negated;
        unsigned char t_ch = *text, prev_ch;
        if (t_ch == '\0' && p_ch != '*') return WM_ABORT_ALL;
        switch (p_ch) {
        case '\\':
            p_ch = *++p;
            /* fall through */
        default:
            if (t_ch != p_ch) return WM_NOMATCH;
            continue;
        case '?':
            if (t_ch == '/') return WM_NOMATCH;
            continue;
        case '*':
            if (*++p == '*') {
                const unsigned char *prev_p = p - 2;
                while (*++p == '*') {}
                if ((prev_p < pattern || *prev_p == '/') &&
                    (*p == '\0' || *p == '/' || (p[0] == '\\' && p[1] == '/'))) {
                    if (p[0] == '/' && dowild_m(c, p + 1, text) == WM_MATCH) return WM_MATCH;
                    match_slash = 1;
                } else {
                    match_slash = 0;
                }
            } else {
                match_slash = 0;
            }
            if (*p == '\0') {
                if (!match_slash && strchr((const char *)text, '/')) return WM_NOMATCH;
                return WM_MATCH;
            } else if (!match_slash && *p == '/') {
                const char *slash = strchr((const char *)text, '/');
                if (!slash) return WM_NOMATCH;
                text = (const unsigned char *)slash;
                break; /* the slash is consumed by the loop */
            }
            for (;;) {
                if (t_ch == '\0') break;
                if (!glob_special(*p)) {
                    p_ch = *p;
                    while ((t_ch = *text) != '\0' && (match_slash || t_ch != '/')) {
                        if (t_ch == p_ch) break;
                        text++;
                    }
                    if (t_ch != p_ch) return WM_NOMATCH;
                }
                if ((matched = dowild_m(c, p, text)) != WM_NOMATCH) {
                    if (!match_slash || matched != WM_ABORT_TO_STARSTAR) return matched;
                } else if (!match_slash && t_ch == '/') {
                    return WM_ABORT_TO_STARSTAR;
                }
                t_ch = *++text;
            }
            return WM_ABORT_ALL;
        case '[':
            p_ch = *++p;
            if (p_ch == '^') p_ch = '!';
            negated = p_ch == '!';
            if (negated) p_ch = *++p;
            prev_ch = 0;
            matched = 0;
            do {
                if (!p_ch) return WM_ABORT_ALL;
                if (p_ch == '\\') {
                    p_ch = *++p;
                    if (!p_ch) return WM_ABORT_ALL;
                    if (t_ch == p_ch) matched = 1;
                } else if (p_ch == '-' && prev_ch && p[1] && p[1] != ']') {
                    p_ch = *++p;
                    if (p_ch == '\\') {
                        p_ch = *++p;
                        if (!p_ch) return WM_ABORT_ALL;
                    }
                    if (t_ch <= p_ch && t_ch >= prev_ch) matched = 1;
                    p_ch = 0;
                } else if (p_ch == '[' && p[1] == ':') {
                    const unsigned char *s;
                    for (s = p += 2; (p_ch = *p) && p_ch != ']'; p++) {}
                    if (!p_ch) return WM_ABORT_ALL;
                    int i = (int)(p - s - 1);
                    if (i < 0 || p[-1] != ':') {
                        p = s - 2;
                        p_ch = '[';
                        if (t_ch == p_ch) matched = 1;
                        continue;
                    }
                    int ok;
                    if (char_class(s, i, t_ch, &ok)) matched = 1;
                    if (!ok) return WM_ABORT_ALL;
                    p_ch = 0;
                } else if (t_ch == p_ch) {
                    matched = 1;
                }
            } while (prev_ch = p_ch, (p_ch = *++p) != ']');
            if (matched == negated || t_ch == '/') return WM_NOMATCH;
            continue;
        }
    }
    return *text ? WM_NOMATCH : WM_MATCH;
}

int ignore_glob(const char *pattern, const char *text)
{
    wctx c = {.p0 = (const unsigned char *)pattern, .t0 = (const unsigned char *)text};
    int r = dowild_m(&c, c.p0, c.t0);
    free(c.memo_key);
    free(c.memo_val);
    return r == WM_MATCH;
}

/* ---- patterns ---- */

ignore_rules *ignore_add(ignore_rules *r, const char *line, size_t len)
{
    if (len && line[len - 1] == '\r') len--;
    if (len == 0 || len > MAX_LINE || line[0] == '#') return r;
    if (r && r->n >= MAX_PATTERNS) return r;
    /* trailing blanks go unless escaped */
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t')) {
        size_t bs = 0;
        while (bs + 1 < len && line[len - 2 - bs] == '\\') bs++;
        if (bs % 2) break; /* "foo\ " keeps its escaped space */
        len--;
    }
    if (len == 0) return r;
    unsigned flags = 0;
    if (line[0] == '!') {
        flags |= P_NEGATE;
        line++;
        len--;
    }
    if (len && line[len - 1] == '/') {
        size_t bs = 0;
        while (bs + 1 < len && line[len - 2 - bs] == '\\') bs++;
        if (bs % 2 == 0) {
            flags |= P_DIRONLY;
            len--;
        }
    }
    if (len == 0) return r;
    /* a '/' anywhere but at the end anchors; otherwise match the basename */
    if (!memchr(line, '/', len)) flags |= P_BASENAME;
    if (line[0] == '/') {
        line++;
        len--;
    }
    if (len == 0) return r;
    if (!r) r = xcalloc(1, sizeof *r);
    XGROW(r->v, r->cap, r->n + 1);
    r->v[r->n].glob = xstrndup(line, len);
    r->v[r->n].flags = flags;
    r->n++;
    return r;
}

ignore_rules *ignore_parse(const char *text, size_t len)
{
    return ignore_append(NULL, text, len);
}

ignore_rules *ignore_append(ignore_rules *r, const char *text, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) i = 3; /* git skips a BOM */
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        r = ignore_add(r, text + i, e - i);
        i = e + 1;
    }
    return r;
}

void ignore_free(ignore_rules *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) free(r->v[i].glob);
    free(r->v);
    free(r);
}

size_t ignore_count(const ignore_rules *r) { return r ? r->n : 0; }

int ignore_match(const ignore_rules *r, const char *rel, int is_dir)
{
    if (!r) return IGNORE_NONE;
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    for (size_t i = r->n; i-- > 0;) {
        const pattern *p = &r->v[i];
        if ((p->flags & P_DIRONLY) && !is_dir) continue;
        if (!ignore_glob(p->glob, (p->flags & P_BASENAME) ? base : rel)) continue;
        return (p->flags & P_NEGATE) ? IGNORE_INCLUDE : IGNORE_EXCLUDE;
    }
    return IGNORE_NONE;
}
