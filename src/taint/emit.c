/* emit.c - from flows to findings, in one place.
 *
 * While a module runs, each source that reaches a sink is queued
 * (emit_queue; one entry per sink and family) and each sink leaves a
 * verdict for its line (emit_verdict: safe, unknown or tainted).  At the
 * end of the module, emit_module turns the queue into findings, in source
 * order, and refines the pattern rules' findings on the same lines.
 *
 * emit_finding is the one way a taint finding is made, for a flow inside a
 * module (here) and for one across modules (summary.c): the message, the
 * confidence by source kind and the source_kind property are written once.
 * Both make the finding from a site (finding.h), rendered from the sink
 * file's bytes while they were at hand.
 */
#include "taint_int.h"

#include <stdlib.h>

#include "../core/xalloc.h"

const char *taint_kind_word(int kinds)
{
    if (kinds & SK_WEB) return "request data";
    if (kinds & SK_TOOL) return "an argument the model chose for an agent tool";
    if (kinds & SK_LLM) return "language model output";
    if (kinds & SK_SECRET) return "a secret";
    if (kinds & SK_PII) return "personal data";
    if (kinds & SK_CLI) return "command-line input";
    if (kinds & SK_ENV) return "environment variable";
    return "untrusted data";
}

static confidence taint_kind_conf(int kinds)
{
    if (kinds & (SK_WEB | SK_MODEL | SK_SECRET)) return CONF_HIGH;
    if (kinds & (SK_CLI | SK_PII)) return CONF_MEDIUM;
    return CONF_LOW;
}

static const char *taint_kind_prop(int kinds)
{
    return kinds & SK_WEB      ? "web"
           : kinds & SK_TOOL   ? "tool"
           : kinds & SK_LLM    ? "llm"
           : kinds & SK_SECRET ? "secret"
           : kinds & SK_PII    ? "pii"
           : kinds & SK_CLI    ? "cli"
                               : "env";
}

/* The OWASP Top 10 for LLM applications entry of a flow: the rule's own for
 * the LLM families, improper output handling (LLM05) for model output in an
 * injection sink, excessive agency (LLM06) for a tool's argument. */
static const char *taint_owasp_llm(taint_family fam, int kinds)
{
    const rule_meta *r = registry_find(taint_rule_id(fam));
    if (r && r->owasp && strncmp(r->owasp, "LLM", 3) == 0) return r->owasp;
    if (kinds & SK_TOOL) return "LLM06:2025";
    if (kinds & SK_LLM) return "LLM05:2025";
    return NULL;
}

const char *taint_fam_what(taint_family fam)
{
    static const char *const w[TF_COUNT] = {
        [TF_SQL] = "an SQL query", [TF_CMD] = "a shell command", [TF_CODE] = "evaluated code",
        [TF_PATH] = "a file path", [TF_SSRF] = "an outgoing request URL",
        [TF_REDIRECT] = "a redirect target", [TF_XSS] = "an HTML response",
        [TF_SSTI] = "a template", [TF_XPATH] = "an XPath expression",
        [TF_LDAP] = "an LDAP filter", [TF_XXE] = "an XML parser",
        [TF_DESER] = "a deserializer", [TF_TRUST] = "the session",
        [TF_HEADER] = "a response header", [TF_LOG] = "a log entry",
        [TF_REDOS] = "a regular expression", [TF_FMT] = "a format string",
        [TF_LLMDATA] = "a language-model prompt", [TF_PROMPT] = "a system prompt",
        [TF_SYSSECRET] = "a system prompt", [TF_DISPATCH] = "the choice of a function"};
    return w[fam];
}

finding *emit_finding(vg_out *out, const finding_site *site, taint_family fam, uint8_t kinds,
                      const char *what, const char *from_path, int from_line)
{
    if (!site || !registry_find(taint_rule_id(fam))) return NULL;
    finding *fd = from_path ? out_add_site(out, site, "%s reaches %s: %s (from %s:%d)",
                                           taint_kind_word(kinds), taint_fam_what(fam), what,
                                           from_path, from_line)
                            : out_add_site(out, site, "%s reaches %s: %s", taint_kind_word(kinds),
                                           taint_fam_what(fam), what);
    fd->confidence = taint_kind_conf(kinds);
    if (fam == TF_LOG && fd->confidence > CONF_MEDIUM) fd->confidence = CONF_MEDIUM;
    finding_set_prop(fd, "source_kind", taint_kind_prop(kinds));
    const char *llm = taint_owasp_llm(fam, kinds);
    if (llm) finding_set_prop(fd, "owasp_llm", llm);
    /* personal data to a model is a disclosure, a credential a breach */
    if (fam == TF_LLMDATA && !(kinds & SK_SECRET)) fd->severity = SEV_MEDIUM;
    /* trust levels: the command line and the environment are the operator's
     * own; a flow from them is a place to look, not an injection */
    if (!(kinds & (SK_WEB | SK_MODEL | SK_LEAK))) {
        fd->tier = TIER_REVIEW;
        fd->tier_why = "the data comes from the command line or the environment, which the operator controls";
    }
    return fd;
}

void emit_trail(finding *fd, const ts_trail *t)
{
    for (int i = 0; i < t->n; i++)
        finding_add_step(fd, t->v[i].path, t->v[i].line, t->v[i].col + 1, "%s", t->v[i].msg);
}

/* ---- during the module ---------------------------------------------------- */

void emit_verdict(mod *md, int line, taint_family fam, int v)
{
    if (!md->report || line <= 0) return;
    for (int i = md->nverd - 1; i >= 0 && i >= md->nverd - 8; i--)
        if (md->verd[i].line == line && md->verd[i].fam == fam) {
            if (v > md->verd[i].v) md->verd[i].v = v;
            return;
        }
    XGROW(md->verd, md->capverd, (size_t)md->nverd + 1);
    md->verd[md->nverd++] = (verdict){line, fam, v};
}

void emit_queue(mod *md, taint_family fam, const py_node *at, uint8_t kinds, const step *trail,
                const char *what, const char *via)
{
    if (!md->report) return;
    md->work++;
    int i = site_idx_find(&md->pendidx, (int)fam, at->lineno, at->col_offset);
    if (i >= 0) {
        if (md->pend[i].via && !via) { /* a direct flow settles it */
            md->pend[i].via = NULL;
            md->pend[i].kinds = kinds;
            md->pend[i].trail = trail;
        }
        return;
    }
    site_idx_add(&md->pendidx, (int)fam, at->lineno, at->col_offset, md->npend);
    XGROW(md->pend, md->cappend, (size_t)md->npend + 1);
    md->pend[md->npend++] = (pending){fam, at->lineno, at->col_offset, at->end_lineno,
                                      at->end_col_offset, kinds, trail, what, via};
}

/* ---- at the end of the module --------------------------------------------- */

static int cmp_pending(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return (int)x->fam - (int)y->fam;
}

/* The queued flows as findings; a flow whose taint came back from another
 * module (`via`) waits in the store for finish to decide. */
static void emit_flows(mod *md, vg_out *out)
{
    if (md->npend > 1) qsort(md->pend, (size_t)md->npend, sizeof *md->pend, cmp_pending);
    vg_out hold; /* findings that wait for finish (taint came back from another module) */
    out_init(&hold, out->opts);
    for (int i = 0; i < md->npend; i++) {
        pending *p = &md->pend[i];
        int wait = p->via && md->ts->store;
        finding_site *site = finding_site_new(md->f, taint_rule_id(p->fam), p->line, p->col + 1,
                                              p->end_line, p->end_col + 1);
        if (!p->kinds && !wait) {
            finding_site_free(site);
            continue; /* a possible flow with no store to settle it */
        }
        finding *fd = emit_finding(wait ? &hold : out, site, p->fam, p->kinds ? p->kinds : SK_WEB,
                                   p->what ? p->what : "sink", NULL, 0);
        finding_site_free(site);
        if (!fd) continue;
        const step *chain[MAX_TRAIL + 4];
        int n = 0;
        for (const step *s = p->trail; s && n < MAX_TRAIL + 4; s = s->prev) chain[n++] = s;
        while (n > 0) {
            const step *s = chain[--n];
            finding_add_step(fd, md->f->path, s->line, s->col + 1, "%s", step_msg(md, s));
        }
        if (wait) {
            summary_add_deferred(md->ts->store, fd, p->via, p->fam, !p->kinds);
            hold.n--;
        }
    }
    diag_move(&out->diags, &hold.diags);
    out_free(&hold);
}

static int cmp_verdict(const void *a, const void *b)
{
    const verdict *x = a, *y = b;
    if (x->fam != y->fam) return (int)x->fam < (int)y->fam ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_range(const void *a, const void *b)
{
    const int *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The strongest verdict (0 none, 1 safe, 2 unknown, 3 tainted) of family
 * fam on lines lo..hi.  v is sorted by (family, line); at[k][i] is the
 * first entry from i on, in i's family, whose verdict is at least k + 2
 * (-1: none), so that one binary search answers. */
static int verdict_max(const verdict *v, int n, int (*at)[2], taint_family fam, int lo, int hi)
{
    int a = 0, b = n;
    while (a < b) {
        int m = a + (b - a) / 2;
        if (v[m].fam < fam || (v[m].fam == fam && v[m].line < lo)) a = m + 1;
        else b = m;
    }
    if (a == n || v[a].fam != fam || v[a].line > hi) return 0;
    for (int k = 1; k >= 0; k--)
        if (at[a][k] >= 0 && v[at[a][k]].line <= hi) return k + 2;
    return 1;
}

/* Pattern findings on lines where taint decided: confirmed (a source gets
 * there) or cleared (only constant or sanitised values, or dead code).
 * Sorted verdicts and dead ranges keep it n log n in the findings and
 * verdicts of a module, not their product. */
static void refine(mod *md, vg_out *out, size_t first)
{
    int nv = md->nverd, nd = md->ndead;
    if (nv > 1) qsort(md->verd, (size_t)nv, sizeof *md->verd, cmp_verdict);
    int (*at)[2] = nv ? xrealloc_n(NULL, (size_t)nv, sizeof *at) : NULL;
    for (int i = nv - 1; i >= 0; i--)
        for (int k = 0; k < 2; k++) {
            int same = i + 1 < nv && md->verd[i + 1].fam == md->verd[i].fam;
            at[i][k] = md->verd[i].v >= k + 2 ? i : same ? at[i + 1][k] : -1;
        }
    /* dead ranges by start; reach[i]: the furthest end among the first i + 1 */
    if (nd > 1) qsort(md->dead, (size_t)nd, sizeof *md->dead, cmp_range);
    int *reach = nd ? xrealloc_n(NULL, (size_t)nd, sizeof *reach) : NULL;
    for (int i = 0; i < nd; i++)
        reach[i] = i && reach[i - 1] > md->dead[i][1] ? reach[i - 1] : md->dead[i][1];
    for (size_t i = first; i < out->n; i++) {
        finding *fd = out->v[i];
        if (!fd || !fd->rule || !fd->path || strcmp(fd->path, md->f->path) != 0) continue;
        int fam = tab_refined_family(fd->rule->id);
        if (fam < 0) continue;
        md->work++;
        int best = verdict_max(md->verd, nv, at, (taint_family)fam, fd->line,
                               fd->end_line > fd->line ? fd->end_line : fd->line);
        int a = 0, b = nd; /* the ranges that start at or before the line: [0, a) */
        while (a < b) {
            int m = a + (b - a) / 2;
            if (md->dead[m][0] <= fd->line) a = m + 1;
            else b = m;
        }
        if (!best && a && reach[a - 1] >= fd->line) best = 1;
        if (best == 3) {
            fd->confidence = CONF_HIGH;
            finding_set_prop(fd, "taint", "tainted");
        } else if (best == 1) {
            fd->confidence = CONF_LOW;
            finding_set_prop(fd, "taint", "constant or sanitised");
        }
    }
    free(at);
    free(reach);
}

void emit_module(mod *md, vg_out *out, size_t first)
{
    emit_flows(md, out);
    refine(md, out, first);
}
