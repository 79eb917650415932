/* merge.c - fold findings of one problem into one; see merge.h. */
#include "merge.h"
#include "../core/xalloc.h"

#include <string.h>

/* Dependency and personal-data findings on one line are separate problems
 * (an unpinned typosquat is two things to fix; a record holds an e-mail and
 * a card): only a second report of the same rule folds there. */
static int own_problems(const rule_meta *r)
{
    return r->analyzer && (!strcmp(r->analyzer, "deps") || !strcmp(r->analyzer, "pii"));
}

static int share_cwe(const rule_meta *a, const rule_meta *b)
{
    if (a == b) return 1;
    if (own_problems(a) || own_problems(b)) return 0;
    for (int i = 0; i < RULE_MAX_CWE && a->cwe[i]; i++)
        for (int j = 0; j < RULE_MAX_CWE && b->cwe[j]; j++)
            if (a->cwe[i] == b->cwe[j]) return 1;
    return 0;
}

/* The last column a finding covers on its first line. */
static int span_end(const finding *f)
{
    return f->end_line > f->line ? 1 << 30 : f->end_col;
}

/* Same file, same first line, overlapping columns, a shared CWE; and from
 * the same commit when the findings come from the history. */
static int same_problem(const finding *a, const finding *b)
{
    if (a->line != b->line || strcmp(a->path, b->path)) return 0;
    if ((a->commit == NULL) != (b->commit == NULL)) return 0;
    if (a->commit && strcmp(a->commit, b->commit)) return 0;
    if (span_end(a) < b->col || span_end(b) < a->col) return 0;
    return share_cwe(a->rule, b->rule);
}

/* Is x stronger evidence than y?  An issue over a review item, a taint
 * path over a pattern, then severity, then confidence. */
static int stronger(const finding *x, const finding *y)
{
    if (x->tier != y->tier) return x->tier == TIER_ISSUE;
    if ((x->nsteps > 0) != (y->nsteps > 0)) return x->nsteps > 0;
    if (x->severity != y->severity) return x->severity > y->severity;
    return x->confidence > y->confidence;
}

static void add_also(finding *keep, const rule_meta *r)
{
    if (r == keep->rule) return;
    for (size_t i = 0; i < keep->nalso; i++)
        if (keep->also[i] == r) return;
    keep->also = xrealloc_n(keep->also, keep->nalso + 1, sizeof *keep->also);
    keep->also[keep->nalso++] = r;
}

size_t merge_findings(vg_out *out)
{
    size_t w = 0, folded = 0;
    for (size_t i = 0; i < out->n;) {
        /* the group: every later finding on this line that matches any member */
        size_t j = i + 1;
        while (j < out->n && out->v[j]->line == out->v[i]->line &&
               !strcmp(out->v[j]->path, out->v[i]->path))
            j++;
        /* within [i, j), sorted by column: fold greedily in order; a later
         * finding that starts past every span folded so far cannot overlap
         * them, so the sweep stops there (a line of 3,000 findings costs
         * about 3,000 comparisons, not 4.5 million) */
        for (size_t a = i; a < j; a++) {
            finding *keep = out->v[a];
            if (!keep) continue;
            int reach = span_end(keep);
            for (size_t b = a + 1; b < j; b++) {
                finding *o = out->v[b];
                if (!o) continue;
                if (o->col > reach) break;
                if (!same_problem(keep, o)) continue;
                if (span_end(o) > reach) reach = span_end(o);
                finding *win = stronger(o, keep) ? o : keep, *lose = win == o ? keep : o;
                if (lose->severity > win->severity) win->severity = lose->severity;
                if (lose->suppressed) win->suppressed = 1;
                if (lose->tier == TIER_ISSUE && win->tier != TIER_ISSUE) {
                    win->tier = TIER_ISSUE;
                    win->tier_why = NULL;
                }
                add_also(win, lose->rule);
                for (size_t k = 0; k < lose->nalso; k++) add_also(win, lose->also[k]);
                finding_free(lose);
                folded++;
                out->v[a] = win;
                out->v[b] = NULL;
                keep = win;
            }
        }
        for (size_t a = i; a < j; a++)
            if (out->v[a]) out->v[w++] = out->v[a];
        i = j;
    }
    out->n = w;
    return folded;
}
