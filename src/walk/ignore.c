/* ignore.c - gitignore files: ordered lists of core/glob patterns; see
 * ignore.h. */
#include "ignore.h"

#include "../core/glob.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct ignore_rules {
    glob_pat *v;
    size_t n, cap;
};

ignore_rules *ignore_add(ignore_rules *r, const char *line, size_t len)
{
    if (r && r->n >= IGNORE_MAX_PATTERNS) return r;
    glob_pat p;
    if (!glob_pat_parse(&p, line, len)) return r;
    if (!r) r = xcalloc(1, sizeof *r);
    XGROW(r->v, r->cap, r->n + 1);
    r->v[r->n++] = p;
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
    for (size_t i = 0; i < r->n; i++) glob_pat_free(&r->v[i]);
    free(r->v);
    free(r);
}

size_t ignore_count(const ignore_rules *r) { return r ? r->n : 0; }

int ignore_match(const ignore_rules *r, const char *rel, int is_dir)
{
    if (!r) return IGNORE_NONE;
    for (size_t i = r->n; i-- > 0;) {
        const glob_pat *p = &r->v[i];
        if (!glob_pat_match(p, rel, is_dir)) continue;
        return (p->flags & GLOB_NEGATE) ? IGNORE_INCLUDE : IGNORE_EXCLUDE;
    }
    return IGNORE_NONE;
}
