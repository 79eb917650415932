/* glob.c - git's wildmatch and gitignore pattern lines; see glob.h.
 *
 * The matcher follows git's wildmatch.c (WM_PATHNAME): a '*' tries each
 * split point but gives up early with the same "abort" results git uses,
 * which keeps pathological patterns from going exponential.
 */
#include "glob.h"
#include "limits.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- wildmatch ---- */

enum { WM_NOMATCH = 1, WM_MATCH = 0, WM_ABORT_ALL = -1, WM_ABORT_TO_STARSTAR = -2 };

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
    if (++c->steps > GLOB_BUDGET) return WM_ABORT_ALL;
    if (c->steps == GLOB_MEMO_AFTER) {
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

int glob_match(const char *pattern, const char *text)
{
    wctx c = {.p0 = (const unsigned char *)pattern, .t0 = (const unsigned char *)text};
    int r = dowild_m(&c, c.p0, c.t0);
    free(c.memo_key);
    free(c.memo_val);
    return r == WM_MATCH;
}

/* ---- pattern lines ---- */

/* Parses line[0..len) into dst (room for len + 1 bytes): the glob's
 * length, or 0 when the line holds no pattern; *flags receives GLOB_*. */
static size_t pat_parse(const char *line, size_t len, char *dst, unsigned *flags)
{
    *flags = 0;
    if (len && line[len - 1] == '\r') len--;
    if (len == 0 || len > GLOB_MAX_LINE || line[0] == '#') return 0;
    /* trailing blanks go unless escaped */
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t')) {
        size_t bs = 0;
        while (bs + 1 < len && line[len - 2 - bs] == '\\') bs++;
        if (bs % 2) break; /* "foo\ " keeps its escaped space */
        len--;
    }
    if (len == 0) return 0;
    if (line[0] == '!') {
        *flags |= GLOB_NEGATE;
        line++;
        len--;
    }
    if (len && line[len - 1] == '/') {
        size_t bs = 0;
        while (bs + 1 < len && line[len - 2 - bs] == '\\') bs++;
        if (bs % 2 == 0) {
            *flags |= GLOB_DIRONLY;
            len--;
        }
    }
    if (len == 0) return 0;
    /* a '/' anywhere but at the end anchors; otherwise match the basename */
    if (!memchr(line, '/', len)) *flags |= GLOB_BASENAME;
    if (line[0] == '/') {
        line++;
        len--;
    }
    if (len == 0) return 0;
    memcpy(dst, line, len);
    dst[len] = 0;
    return len;
}

int glob_pat_parse(glob_pat *p, const char *line, size_t len)
{
    p->glob = NULL;
    p->flags = 0;
    if (len > GLOB_MAX_LINE + 1) return 0; /* + 1: a '\r' */
    char *g = xmalloc(len + 1);
    if (!pat_parse(line, len, g, &p->flags)) {
        free(g);
        return 0;
    }
    p->glob = g;
    return 1;
}

void glob_pat_free(glob_pat *p)
{
    free(p->glob);
    p->glob = NULL;
}

/* Does the pattern (glob, flags) match entry rel? */
static int pat_match(const char *glob, unsigned flags, const char *rel, int is_dir)
{
    if ((flags & GLOB_DIRONLY) && !is_dir) return 0;
    if (flags & GLOB_BASENAME) {
        const char *base = strrchr(rel, '/');
        rel = base ? base + 1 : rel;
    }
    return glob_match(glob, rel);
}

int glob_pat_match(const glob_pat *p, const char *rel, int is_dir)
{
    return pat_match(p->glob, p->flags, rel, is_dir);
}

const char *glob_skip_dot(const char *s)
{
    while (s[0] == '.' && s[1] == '/') s += 2;
    return s;
}

int glob_covers(const char *pattern, const char *path)
{
    pattern = glob_skip_dot(pattern);
    path = glob_skip_dot(path);
    size_t len = strlen(pattern), plen = strlen(path);
    if (len > GLOB_MAX_LINE || plen > GLOB_MAX_PATH) return 0;
    char g[GLOB_MAX_LINE + 1], rel[GLOB_MAX_PATH + 1];
    unsigned flags;
    if (!pat_parse(pattern, len, g, &flags) || (flags & GLOB_NEGATE)) return 0;
    memcpy(rel, path, plen + 1);
    /* the directories above the file, outermost first, then the file */
    for (size_t i = 1; i < plen; i++) {
        if (rel[i] != '/') continue;
        rel[i] = 0;
        int hit = pat_match(g, flags, rel, 1);
        rel[i] = '/';
        if (hit) return 1;
    }
    return pat_match(g, flags, rel, 0);
}
