/* json.c - the JSON report (schema in docs/output.md):
 *
 *   {"version": "0.1.0", "findings": [...], "errors": [...], "stats": {...}}
 *
 * One object per finding with every field of the record; no timestamps or
 * timings, so two runs over the same tree give the same bytes.
 */
#include "report.h"
#include "report_int.h"
#include "../fmt/jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void report_json_finding(jsonw *w, const finding *f)
{
    const rule_meta *r = f->rule;
    char fp[17];
    snprintf(fp, sizeof fp, "%016" PRIx64, f->fingerprint);
    jsonw_obj(w);
    jsonw_kstr(w, "rule_id", r->id);
    jsonw_kstr(w, "title", r->title);
    jsonw_kstr(w, "message", f->message);
    jsonw_kstr(w, "fix", f->fix ? f->fix : r->fix);
    jsonw_kstr(w, "severity", severity_str(f->severity));
    jsonw_kstr(w, "confidence", confidence_str(f->confidence));
    jsonw_kstr(w, "tier", f->tier == TIER_REVIEW ? "review" : "issue");
    if (f->tier_why) jsonw_kstr(w, "tier_reason", f->tier_why);
    if (f->nalso) {
        jsonw_key(w, "related_rules");
        jsonw_arr(w);
        for (size_t i = 0; i < f->nalso; i++) jsonw_str(w, f->also[i]->id);
        jsonw_end(w);
    }
    report_rule_json_class(w, r);
    jsonw_kstr(w, "path", f->path);
    jsonw_kstr(w, "file_class", fclass_name(f->cls));
    jsonw_kint(w, "line", f->line);
    jsonw_kint(w, "column", f->col);
    jsonw_kint(w, "end_line", f->end_line);
    jsonw_kint(w, "end_column", f->end_col);
    jsonw_kstr(w, "snippet", f->snippet ? f->snippet : "");
    jsonw_kstr(w, "context", f->context ? f->context : "");
    jsonw_kint(w, "context_line", f->context_line);
    jsonw_kstr(w, "fingerprint", fp);
    jsonw_key(w, "steps");
    jsonw_arr(w);
    for (size_t i = 0; i < f->nsteps; i++) {
        const finding_step *st = &f->steps[i];
        jsonw_obj(w);
        jsonw_kstr(w, "path", st->path ? st->path : f->path);
        jsonw_kint(w, "line", st->line);
        jsonw_kint(w, "column", st->col);
        jsonw_kstr(w, "message", st->message);
        jsonw_end(w);
    }
    jsonw_end(w);
    if (f->commit) {
        jsonw_kstr(w, "commit", f->commit);
        jsonw_kstr(w, "author", f->author);
        jsonw_kstr(w, "date", f->date);
    }
    jsonw_key(w, "props");
    jsonw_obj(w);
    for (size_t i = 0; i < f->nprops; i++) jsonw_kstr(w, f->props[2 * i], f->props[2 * i + 1]);
    jsonw_end(w);
    jsonw_end(w);
}

void report_json_errors(jsonw *w, const diag_list *d)
{
    jsonw_key(w, "errors");
    jsonw_arr(w);
    for (size_t i = 0; d && i < d->n; i++) {
        const diag *g = &d->v[i];
        jsonw_obj(w);
        jsonw_kstr(w, "level", diag_level_str(g->level));
        jsonw_kstr(w, "path", g->path);
        jsonw_kint(w, "line", g->line);
        jsonw_kint(w, "column", g->col);
        jsonw_kstr(w, "message", g->message);
        jsonw_end(w);
    }
    jsonw_end(w);
}

vg_status report_json(const report_ctx *c, buf *out)
{
    jsonw w;
    jsonw_init(&w, out, 1);
    jsonw_obj(&w);
    jsonw_kstr(&w, "version", c->version ? c->version : "");
    jsonw_key(&w, "findings");
    jsonw_arr(&w);
    for (size_t i = 0; i < c->n; i++) report_json_finding(&w, c->v[i]);
    jsonw_end(&w);
    report_json_errors(&w, c->diags);
    jsonw_key(&w, "stats");
    jsonw_obj(&w);
    size_t by_sev[5] = {0};
    for (size_t i = 0; i < c->n; i++) by_sev[(unsigned)c->v[i]->severity < 5 ? c->v[i]->severity : 0]++;
    jsonw_key(&w, "findings");
    jsonw_uint(&w, c->n);
    jsonw_key(&w, "by_severity");
    jsonw_obj(&w);
    for (int s = SEV_CRITICAL; s >= SEV_LOW; s--) {
        jsonw_key(&w, severity_str((severity)s));
        jsonw_uint(&w, by_sev[s]);
    }
    jsonw_end(&w);
    if (c->stats) {
        const scan_stats *s = c->stats;
        struct { const char *k; size_t v; } f[] = {
            {"files", s->files}, {"bytes", s->bytes}, {"python_files", s->python_files},
            {"skipped_binary", s->skipped_binary}, {"skipped_large", s->skipped_large},
            {"skipped_ignored", s->skipped_ignored}, {"unreadable", s->unreadable},
            {"parse_errors", s->parse_errors}, {"incomplete", s->incomplete}, {"history_blobs", s->history_blobs},
            {"policy_dropped", s->policy_dropped}, {"merged", s->merged},
            /* only in a run that read files as context (--staged, --diff, --shard) */
            {"context_files", s->context_files}, {"context_cached", s->context_cached},
        };
        for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
            if (!strncmp(f[i].k, "context_", 8) && !s->context_files) continue;
            jsonw_key(&w, f[i].k);
            jsonw_uint(&w, f[i].v);
        }
    }
    if (c->counts) {
        const filter_counts *k = c->counts;
        struct { const char *k; size_t v; } f[] = {
            {"suppressed", k->suppressed}, {"deselected", k->deselected},
            {"path_ignored", k->path_ignored}, {"below_threshold", k->below_threshold},
            {"baselined", k->baselined}, {"outside_diff", k->outside_diff},
            {"review_items", k->review},
        };
        for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
            jsonw_key(&w, f[i].k);
            jsonw_uint(&w, f[i].v);
        }
    }
    jsonw_end(&w);
    jsonw_end(&w);
    return jsonw_finish(&w);
}
