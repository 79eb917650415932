/* filter.c - from the scan's findings to the reported ones: inline
 * suppressions, select/ignore, per-file ignores, thresholds, baseline and
 * changed lines, in that order (see report.h). */
#include "report.h"

#include <string.h>

/* glob: '*' '?' within a segment, '**' across segments, [...] classes. */
static int glob_at(const char *g, const char *p, int depth)
{
    if (depth > 64) return 0;
    while (*g) {
        if (g[0] == '*' && g[1] == '*') {
            g += 2;
            int slash = *g == '/';
            if (slash) g++;
            /* a double star, alone or before a slash: zero or more whole segments */
            for (const char *q = p;; q++) {
                if ((q == p || !slash || q[-1] == '/') && glob_at(g, q, depth + 1)) return 1;
                if (!*q) return 0;
            }
        }
        if (*g == '*') {
            g++;
            for (const char *q = p;; q++) {
                if (glob_at(g, q, depth + 1)) return 1;
                if (!*q || *q == '/') return 0;
            }
        }
        if (!*p) return 0;
        if (*g == '?') {
            if (*p == '/') return 0;
        } else if (*g == '[') {
            const char *q = g + 1;
            int neg = *q == '!' || *q == '^';
            if (neg) q++;
            int hit = 0;
            const char *start = q;
            while (*q && (*q != ']' || q == start)) {
                if (q[1] == '-' && q[2] && q[2] != ']') {
                    if ((unsigned char)*p >= (unsigned char)q[0] &&
                        (unsigned char)*p <= (unsigned char)q[2]) hit = 1;
                    q += 3;
                } else {
                    if (*p == *q) hit = 1;
                    q++;
                }
            }
            if (*q != ']') { /* no closing bracket: a literal '[' */
                if (*p != '[') return 0;
            } else {
                if (hit == neg || *p == '/') return 0;
                g = q;
            }
        } else if (*g == '\\' && g[1]) {
            g++;
            if (*g != *p) return 0;
        } else if (*g != *p) {
            return 0;
        }
        g++;
        p++;
    }
    return *p == 0;
}

int report_glob_match(const char *glob, const char *path)
{
    if (!glob || !*glob) return 0;
    while (path[0] == '.' && path[1] == '/') path += 2;
    while (glob[0] == '.' && glob[1] == '/') glob += 2;
    char tmp[1024];
    size_t gl = strlen(glob);
    if (gl + 4 > sizeof tmp) return 0;
    if (glob[gl - 1] == '/') { /* "dir/": everything below dir */
        memcpy(tmp, glob, gl - 1);
        tmp[gl - 1] = 0;
        if (!strchr(tmp, '/')) return report_glob_match(tmp, path);
        memcpy(tmp + gl - 1, "/**", 4);
        return glob_at(tmp[0] == '/' ? tmp + 1 : tmp, path, 0);
    }
    if (glob[0] == '/') return glob_at(glob + 1, path, 0);
    if (glob_at(glob, path, 0)) return 1;
    if (!strchr(glob, '/')) { /* match any segment suffix, like .gitignore */
        for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/'))
            if (glob_at(glob, s + 1, 0)) return 1;
        /* a bare directory name also matches files below it */
        for (const char *s = path; *s;) {
            const char *e = strchr(s, '/');
            if (!e) break;
            size_t n = (size_t)(e - s);
            char seg[256];
            if (n < sizeof seg) {
                memcpy(seg, s, n);
                seg[n] = 0;
                if (glob_at(glob, seg, 0)) return 1;
            }
            s = e + 1;
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

static int path_ignored(const vg_opts *o, const finding *f)
{
    for (size_t i = 0; i < o->n_per_file_ignores; i++) {
        const path_ignore *pi = &o->per_file_ignores[i];
        if (report_glob_match(pi->glob, f->path) && list_matches(&pi->ids, f->rule->id))
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
