/* filter.c - from the scan's findings to the reported ones: inline
 * suppressions, select/ignore, per-file ignores, thresholds, changed lines,
 * review items (hidden by the default profile), baseline, in that order
 * (see report.h). */
#include "report.h"
#include "../core/glob.h"

#include <string.h>

static int list_matches(const str_list *l, const rule_meta *r)
{
    for (size_t i = 0; i < l->n; i++)
        if (rule_matches(r, l->v[i])) return 1;
    return 0;
}

/* Does an entry of l match the finding's rule, or any rule merged into it?
 * (one problem, one finding: suppressing any of its ids suppresses it) */
static int any_id_matches(const str_list *l, const finding *f)
{
    if (list_matches(l, f->rule)) return 1;
    for (size_t i = 0; i < f->nalso; i++)
        if (list_matches(l, f->also[i])) return 1;
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

/* per-file-ignores globs mean what they mean in `exclude` (core/glob.h:
 * gitignore semantics, the file or a directory above it), matched against
 * the path as shown or below its scan root, so "tests/" works both from
 * the project directory and from above it. */
static int path_ignored(const vg_opts *o, const finding *f)
{
    const char *rel = below_root(o, f->path);
    for (size_t i = 0; i < o->n_per_file_ignores; i++) {
        const path_ignore *pi = &o->per_file_ignores[i];
        if ((glob_covers(pi->glob, f->path) || (rel && glob_covers(pi->glob, rel))) &&
            any_id_matches(&pi->ids, f))
            return 1;
    }
    return 0;
}

/* The path below a nested config's folder, or NULL when outside it. */
static const char *in_subtree(const vg_subtree *t, const char *path)
{
    size_t n = strlen(t->dir);
    if (!n) return path;
    return !strncmp(path, t->dir, n) && path[n] == '/' ? path + n + 1 : NULL;
}

/* What decides whether f is reported, after the configs that enclose its
 * path: the root's settings, then each nested config from the outermost
 * folder in (select and thresholds: the innermost that sets them; ignores
 * and per-file ignores: all of them). */
typedef struct verdict {
    const str_list *select;
    int ignored, path_ignored;
    severity min_severity;
    confidence min_confidence;
} verdict;

static verdict judge(const vg_opts *o, const finding *f)
{
    verdict v = {&o->select, any_id_matches(&o->ignore, f), 0, o->min_severity, o->min_confidence};
    for (size_t i = 0; i < o->n_subtrees; i++) {
        const vg_subtree *t = &o->subtrees[i];
        const char *rel = in_subtree(t, f->path);
        if (!rel) continue;
        if (t->has_select) v.select = &t->select;
        v.ignored |= any_id_matches(&t->ignore, f);
        for (size_t k = 0; k < t->n_per_file_ignores && !v.path_ignored; k++)
            v.path_ignored = glob_covers(t->per_file_ignores[k].glob, rel) &&
                             any_id_matches(&t->per_file_ignores[k].ids, f);
        if (t->min_severity) v.min_severity = t->min_severity;
        if (t->min_confidence) v.min_confidence = t->min_confidence;
    }
    if (!v.path_ignored) v.path_ignored = path_ignored(o, f);
    return v;
}

void report_filter(vg_out *out, const vg_opts *o, baseline *bl, report_line_pred keep_line,
                   const void *ud, filter_counts *c)
{
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++) {
        finding *f = out->v[i];
        size_t *drop = NULL;
        verdict v = judge(o, f);
        if (f->suppressed) drop = &c->suppressed;
        else if ((v.select->n && !any_id_matches(v.select, f)) || v.ignored)
            drop = &c->deselected;
        else if (v.path_ignored) drop = &c->path_ignored;
        else if (f->severity < v.min_severity || f->confidence < v.min_confidence)
            drop = &c->below_threshold;
        else if (keep_line && !keep_line(ud, f->path, f->line)) drop = &c->outside_diff;
        else if (f->tier == TIER_REVIEW && o->profile == PROFILE_DEFAULT) drop = &c->review;
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

int report_gate(finding *const *v, size_t n, severity fail_on)
{
    if (fail_on == SEV_NONE) return 0;
    for (size_t i = 0; i < n; i++)
        if (v[i]->tier == TIER_ISSUE && v[i]->severity >= fail_on) return 1;
    return 0;
}
