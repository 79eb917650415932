/* finding.c - creating, masking, suppressing and ordering findings.
 *
 * See finding.h for the contract.  The per-file line index (file_line_of,
 * a core/lines table built on first use) lives here too, since turning
 * byte offsets into positions is what every analyzer needs when it
 * reports.  Snippet caps are in core/limits.h.
 */
#include "finding.h"
#include "../core/hash.h"
#include "../core/limits.h"
#include "../core/lines.h"
#include "../core/xalloc.h"
#include "../core/buf.h"
#include "../core/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct file_lines {
    size_t *start;   /* start[i]: byte offset of line i+1 */
    size_t n;
};

static file_lines *lines_of(const vg_file *f)
{
    if (!f->lines) {
        file_lines *l = xcalloc(1, sizeof *l);
        l->start = lines_build(f->data, f->len, 0, &l->n);
        ((vg_file *)f)->lines = l;
    }
    return f->lines;
}

int file_line_of(const vg_file *f, size_t off, size_t *line_start)
{
    if (!f->data) {
        if (line_start) *line_start = 0;
        return 1;
    }
    file_lines *l = lines_of(f);
    size_t lo = lines_find(l->start, l->n, off);
    if (line_start) *line_start = l->start[lo];
    return (int)lo + 1;
}

size_t file_line_start(const vg_file *f, int line)
{
    if (!f->data || line < 1) return 0;
    file_lines *l = lines_of(f);
    if ((size_t)line > l->n) return f->len;
    return l->start[line - 1];
}

void file_lines_free(vg_file *f)
{
    if (f->lines) {
        free(f->lines->start);
        free(f->lines);
        f->lines = NULL;
    }
}

/* End of the line that starts at `s` (excluding the newline). */
static size_t line_end(const vg_file *f, size_t s)
{
    size_t e = s;
    while (e < f->len && f->data[e] != '\n' && f->data[e] != '\r') e++;
    return e;
}

static int nlines(const vg_file *f)
{
    return f->data ? (int)lines_of(f)->n : 0;
}

/* Code-point column (1-based) of byte column `bcol` (1-based) on `line`. */
static int cp_col(const vg_file *f, int line, int bcol)
{
    if (!f->data || line < 1 || bcol < 1) return bcol;
    size_t s = file_line_start(f, line), e = line_end(f, s);
    size_t upto = s + (size_t)(bcol - 1) < e ? s + (size_t)(bcol - 1) : e;
    return 1 + (int)utf8_count(f->data + s, upto > s ? upto - s : 0);
}

/* The last line of a finding's snippet: its end line, capped. */
static int snippet_last(const finding *fd)
{
    int last = fd->end_line > fd->line ? fd->end_line : fd->line;
    return last - fd->line >= FINDING_SNIPPET_LINES ? fd->line + FINDING_SNIPPET_LINES - 1 : last;
}

/* Copy lines [from, to] of f into a new string, masking the byte ranges
 * [ms[m], me[m]) after their first four characters (unless show). */
static char *render(const vg_file *f, int from, int to, const size_t *ms_v, const size_t *me_v,
                    size_t nmask, int show)
{
    buf b;
    buf_init(&b, 0);
    int total = nlines(f);
    if (from < 1) from = 1;
    if (to > total) to = total;
    for (int ln = from; ln <= to; ln++) {
        size_t s = file_line_start(f, ln), e = line_end(f, s);
        size_t cut = e - s > FINDING_LINE_MAX ? s + FINDING_LINE_MAX : e;
        for (size_t i = s; i < cut; i++) {
            int masked = 0;
            for (size_t m = 0; m < nmask && !show; m++) {
                size_t ms = ms_v[m], me = me_v[m];
                /* keep the first four characters (code points) visible */
                size_t keep = ms < me ? ms + utf8_skip(f->data + ms, me - ms, 4) : ms;
                if (i >= keep && i < me) {
                    masked = 1;
                    if (i == keep) buf_puts(&b, "****");
                    break;
                }
            }
            if (!masked) buf_putc(&b, (char)f->data[i]);
        }
        if (cut < e) buf_puts(&b, "...");
        if (ln < to) buf_putc(&b, '\n');
    }
    return buf_detach(&b);
}

static void rerender_with(finding *fd, const vg_file *f, const size_t *ms, const size_t *me,
                          size_t nmask)
{
    free(fd->snippet);
    free(fd->context);
    fd->snippet = NULL;
    fd->context = NULL;
    if (!f || !f->data) {
        fd->snippet = xstrdup("");
        fd->context = xstrdup("");
        fd->context_line = fd->line;
        return;
    }
    int last = snippet_last(fd);
    fd->snippet = render(f, fd->line, last, ms, me, nmask, fd->show_secrets);
    fd->context_line = fd->line > 1 ? fd->line - 1 : 1;
    fd->context = render(f, fd->context_line, fd->line + 1, ms, me, nmask, fd->show_secrets);
}

static void rerender(finding *fd, const vg_file *f)
{
    rerender_with(fd, f, fd->mask_start, fd->mask_end, (size_t)fd->mask_count);
}

/* Byte range [*lo, *hi) of the lines a finding displays (context and snippet). */
static void shown_range(const finding *fd, const vg_file *f, size_t *lo, size_t *hi)
{
    int last = snippet_last(fd);
    if (last < fd->line + 1) last = fd->line + 1;
    *lo = file_line_start(f, fd->context_line < fd->line ? fd->context_line : fd->line);
    *hi = last >= nlines(f) ? f->len : file_line_start(f, last + 1);
}

void findings_mask_file(finding **v, size_t n, const vg_file *f)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += (size_t)v[i]->mask_count;
    if (!total || !f || !f->data) return;
    size_t *ms = xmalloc_n(total, sizeof *ms), *me = xmalloc_n(total, sizeof *me), k = 0;
    for (size_t i = 0; i < n; i++)
        for (int m = 0; m < v[i]->mask_count; m++) {
            ms[k] = v[i]->mask_start[m];
            me[k++] = v[i]->mask_end[m];
        }
    /* Each finding is re-rendered only when another finding's secret falls
     * in the lines it shows, and then only with the masks that do: cost
     * stays linear in the findings when secrets are far apart. */
    size_t *ls = xmalloc_n(total, sizeof *ls), *le = xmalloc_n(total, sizeof *le);
    for (size_t i = 0; i < n; i++) {
        size_t lo, hi, j = 0;
        int foreign = 0;
        shown_range(v[i], f, &lo, &hi);
        for (size_t m = 0; m < k; m++) {
            if (me[m] <= lo || ms[m] >= hi) continue;
            int own = 0;
            for (int o = 0; o < v[i]->mask_count; o++)
                if (v[i]->mask_start[o] == ms[m] && v[i]->mask_end[o] == me[m]) own = 1;
            foreign |= !own;
            ls[j] = ms[m];
            le[j++] = me[m];
        }
        if (foreign) rerender_with(v[i], f, ls, le, j);
    }
    free(ls);
    free(le);
    free(ms);
    free(me);
}

/* --- pragmas ------------------------------------------------------------ */

static int is_secret_rule(const char *id)
{
    return !strncmp(id, "secret:", 7) || !strcmp(id, "B105") || !strcmp(id, "B106") ||
           !strcmp(id, "B107");
}

/* Does a comma/space separated id list at p (up to the end of the list)
 * name rule_id?  Entries may be prefixes ("B6") as in --select. */
static int list_names(const char *p, const char *end, const char *rule_id)
{
    while (p < end) {
        while (p < end && (*p == ',' || *p == ' ' || *p == '\t')) p++;
        const char *s = p;
        while (p < end && *p != ',' && *p != ' ' && *p != '\t' && *p != ']') p++;
        if (p > s) {
            char tmp[128];
            size_t n = (size_t)(p - s) < sizeof tmp - 1 ? (size_t)(p - s) : sizeof tmp - 1;
            memcpy(tmp, s, n);
            tmp[n] = 0;
            if (rule_id_matches(rule_id, tmp)) return 1;
        }
        if (p < end && *p == ']') break;
    }
    return 0;
}

static const char *memfind(const char *h, size_t hn, const char *n)
{
    size_t nn = strlen(n);
    if (nn > hn) return NULL;
    for (size_t i = 0; i + nn <= hn; i++)
        if (h[i] == n[0] && memcmp(h + i, n, nn) == 0) return h + i;
    return NULL;
}

/* Does the token at [p, end) read as a rule id: letters then digits (B602,
 * VG101), or a family and a slug (secret:aws-access-token)? */
static int looks_like_rule_id(const char *p, const char *end)
{
    const char *t = p;
    while (t < end && isalpha((unsigned char)*t)) t++;
    if (t == p || t >= end) return 0;
    if (*t == ':') return t + 1 < end && isalnum((unsigned char)t[1]);
    return isdigit((unsigned char)*t) != 0;
}

/* ruff's "# noqa: S602, E501": flake8-bandit's S<nnn> is Bandit's B<nnn>
 * for every check ruff ports (S101 assert ... S704 Markup); other codes
 * and a bare "# noqa" (a lint waiver) suppress nothing here. */
static int noqa_names(const char *p, const char *end, const char *rule_id)
{
    if (rule_id[0] != 'B' || strlen(rule_id) != 4) return 0;
    while (p < end) {
        while (p < end && (*p == ',' || *p == ' ' || *p == '\t')) p++;
        const char *t = p;
        while (p < end && isalnum((unsigned char)*p)) p++;
        if (p - t == 4 && (t[0] == 'S' || t[0] == 's') && !memcmp(t + 1, rule_id + 1, 3)) return 1;
        if (p == t) break; /* not a code: the comment goes on in prose */
    }
    return 0;
}

static int line_suppresses(const char *s, size_t n, const char *rule_id)
{
    const char *p;
    if ((p = memfind(s, n, "# nosec")) || (p = memfind(s, n, "#nosec"))) {
        p += p[1] == ' ' ? 7 : 6;
        const char *end = s + n;
        if (p < end && *p == ':') p++;
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        /* a bare "# nosec" (or followed by a comment) suppresses everything */
        if (!looks_like_rule_id(p, end)) return 1;
        const char *q = p;
        while (q < end && *q != '#') q++;
        if (list_names(p, q, rule_id)) return 1;
    }
    if ((p = memfind(s, n, "vibeguard: ignore"))) {
        p += strlen("vibeguard: ignore");
        const char *end = s + n;
        if (p >= end || *p != '[') return 1;
        const char *q = memchr(p, ']', (size_t)(end - p));
        if (list_names(p + 1, q ? q : end, rule_id)) return 1;
    }
    if ((p = memfind(s, n, "noqa:")) || (p = memfind(s, n, "noqa :"))) {
        p = memchr(p, ':', (size_t)(s + n - p)) + 1;
        if (noqa_names(p, s + n, rule_id)) return 1;
    }
    if (is_secret_rule(rule_id) &&
        (memfind(s, n, "gitleaks:allow") || memfind(s, n, "pragma: allowlist secret")))
        return 1;
    return 0;
}

/* detect-secrets' "# pragma: allowlist nextline secret" on the line above. */
static int line_allows_next(const char *s, size_t n, const char *rule_id)
{
    return is_secret_rule(rule_id) && memfind(s, n, "pragma: allowlist nextline secret");
}

int pragma_suppresses(const vg_file *f, int line, int end_line, const char *rule_id)
{
    if (!f || !f->data) return 0;
    int total = nlines(f);
    if (end_line < line) end_line = line;
    if (end_line > line + 20) end_line = line + 20;
    for (int ln = line; ln <= end_line && ln <= total; ln++) {
        size_t s = file_line_start(f, ln), e = line_end(f, s);
        if (line_suppresses((const char *)f->data + s, e - s, rule_id)) return 1;
    }
    if (line > 1 && line - 1 <= total) {
        size_t s = file_line_start(f, line - 1), e = line_end(f, s);
        if (line_allows_next((const char *)f->data + s, e - s, rule_id)) return 1;
    }
    return 0;
}

/* --- creation ------------------------------------------------------------- */

static const rule_meta unknown_rule = {
    .id = "VG000", .title = "unregistered rule", .severity = SEV_LOW,
    .confidence = CONF_LOW, .analyzer = "internal",
    .description = "A finding whose rule was not registered (a bug in vibeguard).",
    .fix = "Report this to the vibeguard maintainers.",
};

static void fingerprint(finding *fd, const void *key, size_t len)
{
    uint64_t h = hash_fnv1a64(fd->rule->id, strlen(fd->rule->id) + 1);
    h = hash_fnv1a64_more(h, fd->path, strlen(fd->path) + 1);
    h = hash_fnv1a64_more(h, key, len);
    fd->fingerprint = h;
}

/* Default fingerprint content: the finding's source text with all white
 * space removed, so re-indenting or moving the code does not change it. */
static void default_key(finding *fd, const vg_file *f)
{
    if (!f || !f->data) {
        fingerprint(fd, fd->message, strlen(fd->message));
        return;
    }
    buf b;
    buf_init(&b, 0);
    int last = snippet_last(fd);
    int total = nlines(f);
    for (int ln = fd->line; ln <= last && ln <= total; ln++) {
        size_t s = file_line_start(f, ln), e = line_end(f, s);
        for (size_t i = s; i < e; i++)
            if (!isspace(f->data[i])) buf_putc(&b, (char)f->data[i]);
    }
    fingerprint(fd, b.data ? b.data : "", b.len);
    buf_free(&b);
}

static finding *create(vg_out *o, const vg_file *f, const char *rule_id, int line, int col,
                       int end_line, int end_col, const char *fmt, va_list ap)
{
    finding *fd = xcalloc(1, sizeof *fd);
    const rule_meta *r = registry_find(rule_id);
    fd->rule = r ? r : &unknown_rule;
    fd->severity = fd->rule->severity;
    fd->confidence = fd->rule->confidence;
    fd->show_secrets = o->opts ? o->opts->show_secrets : 0;
    buf b;
    buf_init(&b, 0);
    buf_vprintf(&b, fmt, ap);
    fd->message = buf_detach(&b);
    fd->path = xstrdup(f && f->path ? f->path : "");
    fd->cls = f ? f->cls : FC_CODE;
    fd->agent = f ? f->agent_file : 0;
    fd->line = line > 0 ? line : 1;
    fd->end_line = end_line >= fd->line ? end_line : fd->line;
    fd->col = cp_col(f, fd->line, col > 0 ? col : 1);
    fd->end_col = end_col > 0 ? cp_col(f, fd->end_line, end_col) : fd->col;
    if (f && f->commit) {
        fd->commit = xstrdup(f->commit);
        fd->author = xstrdup(f->author ? f->author : "");
        fd->date = xstrdup(f->date ? f->date : "");
    }
    rerender(fd, f);
    default_key(fd, f);
    fd->suppressed = pragma_suppresses(f, fd->line, fd->end_line, fd->rule->id);
    if (!r) fd->message = (free(fd->message), xasprintf("[%s] %s", rule_id, b.data ? b.data : ""));
    XGROW(o->v, o->cap, o->n + 1);
    o->v[o->n++] = fd;
    return fd;
}

finding *out_add(vg_out *o, const vg_file *f, const char *rule_id, int line, int byte_col,
                 int end_line, int end_byte_col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    finding *fd = create(o, f, rule_id, line, byte_col, end_line, end_byte_col, fmt, ap);
    va_end(ap);
    return fd;
}

finding *out_add_span(vg_out *o, const vg_file *f, const char *rule_id, size_t byte_start,
                      size_t byte_end, const char *fmt, ...)
{
    size_t ls = 0, le = 0;
    int line = file_line_of(f, byte_start, &ls);
    int end_line = file_line_of(f, byte_end > byte_start ? byte_end - 1 : byte_start, &le);
    va_list ap;
    va_start(ap, fmt);
    finding *fd = create(o, f, rule_id, line, (int)(byte_start - ls) + 1, end_line,
                         (int)((byte_end > byte_start ? byte_end : byte_start) - le) + 1, fmt, ap);
    va_end(ap);
    return fd;
}

/* --- sites ---------------------------------------------------------------- */

/* A site keeps the finding out_add made at its place (with an empty
 * message) as a pattern; out_add_site copies it out with its message. */
struct finding_site {
    char *rule_id;      /* as asked for (the pattern's rule is unknown_rule if unregistered) */
    finding *pattern;   /* no message, steps, props or masks */
    int keyless;        /* made without bytes: the fingerprint is the message's */
};

/* fmt and ap as a new string. */
static char *format_v(const char *fmt, va_list ap)
{
    buf b;
    buf_init(&b, 0);
    buf_vprintf(&b, fmt, ap);
    return buf_detach(&b);
}

/* A deep copy of a site's pattern finding. */
static finding *pattern_copy(const finding *p)
{
    finding *fd = xmalloc(sizeof *fd);
    *fd = *p;
    fd->message = xstrdup(p->message);
    fd->fix = p->fix ? xstrdup(p->fix) : NULL;
    fd->path = xstrdup(p->path);
    fd->snippet = xstrdup(p->snippet);
    fd->context = xstrdup(p->context);
    fd->commit = p->commit ? xstrdup(p->commit) : NULL;
    fd->author = p->author ? xstrdup(p->author) : NULL;
    fd->date = p->date ? xstrdup(p->date) : NULL;
    fd->steps = NULL;
    fd->nsteps = 0;
    fd->props = NULL;
    fd->nprops = 0;
    fd->also = NULL;
    fd->nalso = 0;
    return fd;
}

finding_site *finding_site_new(const vg_file *f, const char *rule_id, int line, int byte_col,
                               int end_line, int end_byte_col)
{
    vg_out tmp;
    out_init(&tmp, NULL);
    finding_site *s = xcalloc(1, sizeof *s);
    s->rule_id = xstrdup(rule_id);
    s->pattern = out_add(&tmp, f, rule_id, line, byte_col, end_line, end_byte_col, "%s", "");
    s->keyless = !f || !f->data;
    tmp.n = 0; /* the pattern is the site's */
    out_free(&tmp);
    return s;
}

finding_site *finding_site_copy(const finding_site *s)
{
    finding_site *c = xcalloc(1, sizeof *c);
    c->rule_id = xstrdup(s->rule_id);
    c->pattern = pattern_copy(s->pattern);
    c->keyless = s->keyless;
    return c;
}

void finding_site_free(finding_site *s)
{
    if (!s) return;
    free(s->rule_id);
    finding_free(s->pattern);
    free(s);
}

finding *out_add_site(vg_out *o, const finding_site *s, const char *fmt, ...)
{
    finding *fd = pattern_copy(s->pattern);
    fd->show_secrets = o->opts ? o->opts->show_secrets : 0;
    free(fd->message);
    va_list ap;
    va_start(ap, fmt);
    fd->message = format_v(fmt, ap);
    va_end(ap);
    if (s->keyless) fingerprint(fd, fd->message, strlen(fd->message));
    if (fd->rule == &unknown_rule) {
        char *m = xasprintf("[%s] %s", s->rule_id, fd->message);
        free(fd->message);
        fd->message = m;
    }
    XGROW(o->v, o->cap, o->n + 1);
    o->v[o->n++] = fd;
    return fd;
}

void finding_mask(finding *fd, const vg_file *f, size_t byte_start, size_t byte_end)
{
    if (fd->mask_count >= 4 || byte_end <= byte_start) return;
    fd->mask_start[fd->mask_count] = byte_start;
    fd->mask_end[fd->mask_count] = byte_end;
    fd->mask_count++;
    rerender(fd, f);
}

void finding_set_key(finding *fd, const void *key, size_t len)
{
    fingerprint(fd, key, len);
}

void finding_add_step(finding *fd, const char *path, int line, int col, const char *fmt, ...)
{
    fd->steps = xrealloc_n(fd->steps, fd->nsteps + 1, sizeof *fd->steps);
    finding_step *st = &fd->steps[fd->nsteps++];
    st->path = xstrdup(path ? path : fd->path);
    st->line = line;
    st->col = col;
    va_list ap;
    va_start(ap, fmt);
    st->message = format_v(fmt, ap);
    va_end(ap);
}

void finding_set_prop(finding *fd, const char *key, const char *value)
{
    for (size_t i = 0; i < fd->nprops; i++)
        if (!strcmp(fd->props[2 * i], key)) {
            free(fd->props[2 * i + 1]);
            fd->props[2 * i + 1] = xstrdup(value);
            return;
        }
    fd->props = xrealloc_n(fd->props, 2 * (fd->nprops + 1), sizeof *fd->props);
    fd->props[2 * fd->nprops] = xstrdup(key);
    fd->props[2 * fd->nprops + 1] = xstrdup(value);
    fd->nprops++;
}

const char *finding_prop(const finding *fd, const char *key)
{
    for (size_t i = 0; i < fd->nprops; i++)
        if (!strcmp(fd->props[2 * i], key)) return fd->props[2 * i + 1];
    return NULL;
}

void finding_free(finding *fd)
{
    if (!fd) return;
    free(fd->message);
    free(fd->fix);
    free(fd->path);
    free(fd->snippet);
    free(fd->context);
    for (size_t i = 0; i < fd->nsteps; i++) {
        free(fd->steps[i].path);
        free(fd->steps[i].message);
    }
    free(fd->steps);
    free(fd->commit);
    free(fd->author);
    free(fd->date);
    for (size_t i = 0; i < 2 * fd->nprops; i++) free(fd->props[i]);
    free(fd->props);
    free(fd->also);
    free(fd);
}

/* --- lists and order -------------------------------------------------------- */

void out_init(vg_out *o, const vg_opts *opts)
{
    memset(o, 0, sizeof *o);
    o->opts = opts;
}

void out_free(vg_out *o)
{
    for (size_t i = 0; i < o->n; i++) finding_free(o->v[i]);
    free(o->v);
    o->v = NULL;
    o->n = o->cap = 0;
    diag_free(&o->diags);
}

void out_move(vg_out *dst, vg_out *src)
{
    XGROW(dst->v, dst->cap, dst->n + src->n);
    if (src->n) memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
    dst->n += src->n;
    src->n = 0;
    dst->parse_errors += src->parse_errors;
    dst->incomplete += src->incomplete;
    src->parse_errors = src->incomplete = 0;
    diag_move(&dst->diags, &src->diags);
}

static int cmp_finding(const void *a, const void *b)
{
    const finding *x = *(const finding *const *)a, *y = *(const finding *const *)b;
    int c = strcmp(x->path, y->path);
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    if ((c = strcmp(x->rule->id, y->rule->id))) return c;
    if ((c = strcmp(x->message, y->message))) return c;
    if ((c = strcmp(x->commit ? x->commit : "", y->commit ? y->commit : ""))) return c;
    return x->fingerprint < y->fingerprint ? -1 : x->fingerprint > y->fingerprint;
}

void findings_sort(finding **v, size_t n)
{
    if (n > 1) qsort(v, n, sizeof *v, cmp_finding);
}
