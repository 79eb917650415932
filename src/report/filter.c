/* filter.c - from the scan's findings to the reported ones: inline
 * suppressions, select/ignore, per-file ignores, thresholds, baseline and
 * changed lines, in that order (see report.h). */
#include "report.h"

#include <string.h>

/* glob: '*' '?' [...] within a segment, a '**' segment for any number of
 * segments.  Both levels use the one-backtrack-point wildcard algorithm,
 * so hostile patterns cost O(n*m), never exponential time. */

/* Does the glob token at g[*gi] match c?  Advances *gi past the token. */
static int token_match(const char *g, size_t gn, size_t *gi, unsigned char c)
{
    size_t i = *gi;
    if (g[i] == '?') {
        *gi = i + 1;
        return 1;
    }
    if (g[i] == '\\' && i + 1 < gn) {
        *gi = i + 2;
        return (unsigned char)g[i + 1] == c;
    }
    if (g[i] == '[') {
        size_t q = i + 1;
        int neg = q < gn && (g[q] == '!' || g[q] == '^');
        if (neg) q++;
        size_t start = q;
        int hit = 0;
        while (q < gn && (g[q] != ']' || q == start)) {
            if (q + 2 < gn && g[q + 1] == '-' && g[q + 2] != ']') {
                if (c >= (unsigned char)g[q] && c <= (unsigned char)g[q + 2]) hit = 1;
                q += 3;
            } else {
                if ((unsigned char)g[q] == c) hit = 1;
                q++;
            }
        }
        if (q < gn) { /* a closed class */
            *gi = q + 1;
            return hit != neg;
        }
        /* no closing bracket: a literal '[' */
    }
    *gi = i + 1;
    return (unsigned char)g[i] == c;
}

static int seg_match(const char *g, size_t gn, const char *s, size_t sn)
{
    size_t gi = 0, si = 0, star_g = (size_t)-1, star_s = 0;
    while (si < sn) {
        if (gi < gn && g[gi] == '*') {
            star_g = ++gi;
            star_s = si;
            continue;
        }
        size_t next = gi;
        if (gi < gn && token_match(g, gn, &next, (unsigned char)s[si])) {
            gi = next;
            si++;
            continue;
        }
        if (star_g == (size_t)-1) return 0;
        gi = star_g;
        si = ++star_s;
    }
    while (gi < gn && g[gi] == '*') gi++;
    return gi == gn;
}

#define GLOB_MAX_SEGS 256

typedef struct seg { const char *s; size_t n; } seg;

static size_t split(const char *p, seg *v)
{
    size_t n = 0;
    while (*p) {
        size_t len = strcspn(p, "/");
        if (len) {
            if (n == GLOB_MAX_SEGS) return (size_t)-1;
            v[n].s = p;
            v[n++].n = len;
        }
        p += len;
        while (*p == '/') p++;
    }
    return n;
}

static int glob_at(const char *glob, const char *path)
{
    seg gs[GLOB_MAX_SEGS], ps[GLOB_MAX_SEGS];
    size_t ng = split(glob, gs), np = split(path, ps);
    if (ng == (size_t)-1 || np == (size_t)-1) return 0;
    size_t gi = 0, pi = 0, star_g = (size_t)-1, star_p = 0;
#define IS_DSTAR(x) ((x).n == 2 && (x).s[0] == '*' && (x).s[1] == '*')
    while (pi < np) {
        if (gi < ng && IS_DSTAR(gs[gi])) {
            star_g = ++gi;
            star_p = pi;
            continue;
        }
        if (gi < ng && seg_match(gs[gi].s, gs[gi].n, ps[pi].s, ps[pi].n)) {
            gi++;
            pi++;
            continue;
        }
        if (star_g == (size_t)-1) return 0;
        gi = star_g;
        pi = ++star_p;
    }
    while (gi < ng && IS_DSTAR(gs[gi])) gi++;
#undef IS_DSTAR
    return gi == ng;
}

int report_glob_match(const char *glob, const char *path)
{
    if (!glob || !*glob) return 0;
    while (path[0] == '.' && path[1] == '/') path += 2;
    while (glob[0] == '.' && glob[1] == '/') glob += 2;
    char tmp[1024];
    size_t gl = strlen(glob);
    if (!gl || gl + 4 > sizeof tmp) return 0;
    if (glob[gl - 1] == '/') { /* "dir/": everything below dir */
        memcpy(tmp, glob, gl - 1);
        tmp[gl - 1] = 0;
        if (!strchr(tmp, '/')) return report_glob_match(tmp, path);
        memcpy(tmp + gl - 1, "/**", 4);
        return glob_at(tmp[0] == '/' ? tmp + 1 : tmp, path);
    }
    if (glob[0] == '/') return glob_at(glob + 1, path);
    if (glob_at(glob, path)) return 1;
    if (!strchr(glob, '/')) { /* like .gitignore: any file or directory name */
        for (const char *p = path; *p;) {
            size_t n = strcspn(p, "/");
            if (n && seg_match(glob, gl, p, n)) return 1;
            p += n;
            while (*p == '/') p++;
        }
    }
    return 0;
}

static int list_matches(const str_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (rule_id_matches(id, l->v[i])) return 1;
    return 0;
}

/* The finding's path below the scan root it came from ("src/app.py" for
 * root "proj" and path "proj/src/app.py"), or NULL when no root prefixes
 * it.  Finding paths are display paths: the root as given, joined. */
static const char *below_root(const vg_opts *o, const char *path)
{
    for (size_t i = 0; i < o->paths.n; i++) {
        const char *r = o->paths.v[i];
        while (r[0] == '.' && r[1] == '/') {
            r += 2;
            while (*r == '/') r++;
        }
        size_t n = strlen(r);
        while (n > 1 && r[n - 1] == '/') n--;
        if (!n || (n == 1 && r[0] == '.')) continue;
        if (!strncmp(path, r, n) && path[n] == '/') return path + n + 1;
    }
    return NULL;
}

/* per-file-ignores globs match the path as shown, or below its scan root,
 * so "tests/" works both from the project directory and from above it. */
static int path_ignored(const vg_opts *o, const finding *f)
{
    const char *rel = below_root(o, f->path);
    for (size_t i = 0; i < o->n_per_file_ignores; i++) {
        const path_ignore *pi = &o->per_file_ignores[i];
        if ((report_glob_match(pi->glob, f->path) || (rel && report_glob_match(pi->glob, rel))) &&
            list_matches(&pi->ids, f->rule->id))
            return 1;
    }
    return 0;
}

void report_filter(vg_out *out, const vg_opts *o, baseline *bl, report_line_pred keep_line,
                   const void *ud, filter_counts *c)
{
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++) {
        finding *f = out->v[i];
        size_t *drop = NULL;
        if (f->suppressed) drop = &c->suppressed;
        else if ((o->select.n && !list_matches(&o->select, f->rule->id)) ||
                 list_matches(&o->ignore, f->rule->id))
            drop = &c->deselected;
        else if (path_ignored(o, f)) drop = &c->path_ignored;
        else if (f->severity < o->min_severity || f->confidence < o->min_confidence)
            drop = &c->below_threshold;
        else if (keep_line && !keep_line(ud, f->path, f->line)) drop = &c->outside_diff;
        else if (bl && baseline_take(bl, f)) drop = &c->baselined;
        if (drop) {
            (*drop)++;
            finding_free(f);
        } else {
            out->v[k++] = f;
        }
    }
    out->n = k;
}

void report_filter_baseline(vg_out *out, baseline *bl, filter_counts *c)
{
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (baseline_take(bl, out->v[i])) {
            c->baselined++;
            finding_free(out->v[i]);
        } else {
            out->v[k++] = out->v[i];
        }
    }
    out->n = k;
}
