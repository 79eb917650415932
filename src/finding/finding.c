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
    /* the last column asked for: findings on one line come in order, so
     * counting code points resumes here instead of at the line start */
    int col_line;
    size_t col_byte, col_cp;
    /* the pragma marks of the last line looked at (offsets into the line, or
     * SIZE_MAX), so many findings on one long line search it once */
    int mark_line;
    size_t mark_nosec, mark_ignore, mark_allow;
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

/* End of the line that starts at `s` (excluding its line break), from the
 * line index: no byte of a long line is read to find it. */
static size_t line_end(const vg_file *f, size_t s)
{
    file_lines *l = lines_of(f);
    size_t i = lines_find(l->start, l->n, s);
    size_t e = i + 1 < l->n ? l->start[i + 1] : f->len;
    if (i + 1 < l->n) {
        if (e > s && f->data[e - 1] == '\n') e--;
        if (e > s && f->data[e - 1] == '\r') e--;
    }
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
    file_lines *l = lines_of(f);
    size_t s = file_line_start(f, line), e = line_end(f, s);
    size_t upto = s + (size_t)(bcol - 1) < e ? s + (size_t)(bcol - 1) : e;
    size_t from = s, cp = 0;
    if (l->col_line == line && s + l->col_byte <= upto) {
        from = s + l->col_byte;
        cp = l->col_cp;
    }
    cp += utf8_count(f->data + from, upto - from);
    l->col_line = line;
    l->col_byte = upto - s;
    l->col_cp = cp;
    return 1 + (int)cp;
}

/* The last line of a finding's snippet: its end line, capped. */
static int snippet_last(const finding *fd)
{
    int last = fd->end_line > fd->line ? fd->end_line : fd->line;
    return last - fd->line >= FINDING_SNIPPET_LINES ? fd->line + FINDING_SNIPPET_LINES - 1 : last;
}

/* The part [*ws, *we) of the line [s, e) a snippet shows: all of a short
 * line; of a long one FINDING_LINE_MAX bytes, placed so that `focus` (the
 * finding's start) is in view when it lies on the line. */
static void line_window(const vg_file *f, size_t s, size_t e, size_t focus, size_t *ws, size_t *we)
{
    *ws = s;
    *we = e;
    if (e - s <= FINDING_LINE_MAX) return;
    size_t a = s, lead = FINDING_LINE_MAX / 4;
    if (focus >= s && focus <= e && focus - s > lead) a = focus - lead;
    if (a > e - FINDING_LINE_MAX) a = e - FINDING_LINE_MAX;
    while (a > s && (f->data[a] & 0xC0) == 0x80) a--;
    size_t b = a + FINDING_LINE_MAX;
    while (b > a && b < e && (f->data[b] & 0xC0) == 0x80) b--;
    *ws = a;
    *we = b;
}

/* Copy lines [from, to] of f into b, hiding runs (NULL: nothing hidden);
 * a long line shows the window around `focus`, marked "..." where cut. */
static void render_into(buf *b, const vg_file *f, int from, int to, size_t focus,
                        const mask_runs *runs)
{
    int total = nlines(f);
    if (from < 1) from = 1;
    if (to > total) to = total;
    for (int ln = from; ln <= to; ln++) {
        size_t s = file_line_start(f, ln), e = line_end(f, s), ws, we;
        line_window(f, s, e, focus, &ws, &we);
        if (ws > s) buf_puts(b, "...");
        mask_runs_put(runs, b, f->data, ws, we);
        if (we < e) buf_puts(b, "...");
        if (ln < to) buf_putc(b, '\n');
    }
}

static char *render(const vg_file *f, int from, int to, size_t focus, const mask_runs *runs)
{
    buf b;
    buf_init(&b, 0);
    render_into(&b, f, from, to, focus, runs);
    return buf_detach(&b);
}

/* text without its white space, as a new string */
static char *strip_space(const char *t)
{
    buf b;
    buf_init(&b, 0);
    for (const char *p = t; *p;) {
        const char *q = p;
        while (*q && !isspace((unsigned char)*q)) q++;
        buf_append(&b, p, (size_t)(q - p));
        while (isspace((unsigned char)*q)) q++;
        p = q;
    }
    return buf_detach(&b);
}

static void fingerprint(finding *fd, const void *key, size_t len)
{
    uint64_t h = hash_fnv1a64(fd->rule->id, strlen(fd->rule->id) + 1);
    h = hash_fnv1a64_more(h, fd->path, strlen(fd->path) + 1);
    h = hash_fnv1a64_more(h, key, len);
    fd->fingerprint = h;
}

static void set_key(finding *fd, char *key)
{
    free(fd->key);
    fd->key = key;
    fingerprint(fd, key, strlen(key));
}

/* Render snippet, context and (unless finding_set_key gave one) the key of
 * fd with the hidden runs.  The key is the snippet's lines without white
 * space, always masked: re-indenting or moving the code does not change
 * it, --show-secrets does not either, and no secret is hashed. */
static void rerender_runs(finding *fd, const vg_file *f, const mask_runs *runs)
{
    free(fd->snippet);
    free(fd->context);
    fd->snippet = NULL;
    fd->context = NULL;
    if (!f || !f->data) {
        fd->snippet = xstrdup("");
        fd->context = xstrdup("");
        fd->context_line = fd->line;
        if (!fd->key_set) set_key(fd, xstrdup(fd->message ? fd->message : ""));
        return;
    }
    int last = snippet_last(fd);
    const mask_runs *shown = fd->show_secrets ? NULL : runs;
    fd->snippet = render(f, fd->line, last, fd->at, shown);
    fd->context_line = fd->line > 1 ? fd->line - 1 : 1;
    fd->context = render(f, fd->context_line, fd->line + 1, fd->at, shown);
    if (fd->key_set) return;
    if (shown == runs) {
        set_key(fd, strip_space(fd->snippet));
    } else {
        char *masked = render(f, fd->line, last, fd->at, runs);
        set_key(fd, strip_space(masked));
        free(masked);
    }
}

static void rerender(finding *fd, const vg_file *f)
{
    mask_runs runs;
    mask_runs_build(&runs, f && f->data ? f->data : NULL, fd->mask_start, fd->mask_end,
                    f && f->data ? (size_t)fd->mask_count : 0);
    rerender_runs(fd, f, &runs);
    mask_runs_free(&runs);
}

/* Byte range [*lo, *hi) of the lines a finding displays (context and snippet). */
static void shown_range(const finding *fd, const vg_file *f, size_t *lo, size_t *hi)
{
    int last = snippet_last(fd);
    if (last < fd->line + 1) last = fd->line + 1;
    *lo = file_line_start(f, fd->context_line < fd->line ? fd->context_line : fd->line);
    *hi = last >= nlines(f) ? f->len : file_line_start(f, last + 1);
}

/* Does a run of r meet [lo, hi)? */
static int runs_meet(const mask_runs *r, size_t lo, size_t hi)
{
    size_t a = 0, b = r->n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (r->end[mid] <= lo) a = mid + 1;
        else b = mid;
    }
    return a < r->n && r->start[a] < hi;
}

void findings_mask_file(finding **v, size_t n, const vg_file *f, mask_set *secrets)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += (size_t)v[i]->mask_count;
        v[i]->file_masked = 1;
    }
    if (!total || !f || !f->data) return;
    size_t *ms = xmalloc_n(total, sizeof *ms), *me = xmalloc_n(total, sizeof *me), k = 0;
    for (size_t i = 0; i < n; i++)
        for (int m = 0; m < v[i]->mask_count; m++) {
            ms[k] = v[i]->mask_start[m];
            me[k] = v[i]->mask_end[m];
            mask_set_add(secrets, f->path, f->data + ms[k], me[k] - ms[k]);
            k++;
        }
    /* one sorted list of hidden runs for the file; each finding whose lines
     * meet one is rendered again with all of them: a binary search and the
     * bytes it shows, however many secrets share its line */
    mask_runs runs;
    mask_runs_build(&runs, f->data, ms, me, k);
    for (size_t i = 0; i < n; i++) {
        size_t lo, hi;
        shown_range(v[i], f, &lo, &hi);
        if (runs_meet(&runs, lo, hi)) rerender_runs(v[i], f, &runs);
    }
    mask_runs_free(&runs);
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

/* A rule list after a mark is read this far at most: lists are short, and
 * a long line must not be read again for every finding on it. */
#define PRAGMA_LIST_MAX 512

/* The marks of line ln, cached for the next finding on the same line. */
static void line_marks(const vg_file *f, int ln, size_t s, size_t e, file_lines *l)
{
    if (l->mark_line == ln) return;
    const char *t = (const char *)f->data + s, *p;
    size_t n = e - s;
    l->mark_line = ln;
    p = memfind(t, n, "# nosec");
    if (!p) p = memfind(t, n, "#nosec");
    l->mark_nosec = p ? (size_t)(p - t) : SIZE_MAX;
    p = memfind(t, n, "vibeguard: ignore");
    l->mark_ignore = p ? (size_t)(p - t) : SIZE_MAX;
    l->mark_allow = memfind(t, n, "gitleaks:allow") || memfind(t, n, "pragma: allowlist secret");
}

static int line_suppresses(const char *s, size_t n, const file_lines *l, const char *rule_id)
{
    const char *p;
    if (l->mark_nosec != SIZE_MAX) {
        p = s + l->mark_nosec;
        p += p[1] == ' ' ? 7 : 6;
        const char *end = s + n;
        if (end - p > PRAGMA_LIST_MAX) end = p + PRAGMA_LIST_MAX;
        if (p < end && *p == ':') p++;
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        /* a bare "# nosec" (or followed by a comment) suppresses everything */
        if (!looks_like_rule_id(p, end)) return 1;
        const char *q = p;
        while (q < end && *q != '#') q++;
        if (list_names(p, q, rule_id)) return 1;
    }
    if (l->mark_ignore != SIZE_MAX) {
        p = s + l->mark_ignore + strlen("vibeguard: ignore");
        const char *end = s + n;
        if (p >= end || *p != '[') return 1;
        if (end - p > PRAGMA_LIST_MAX) end = p + PRAGMA_LIST_MAX;
        const char *q = memchr(p, ']', (size_t)(end - p));
        if (list_names(p + 1, q ? q : end, rule_id)) return 1;
    }
    if (rule_id[0] == 'B' && ((p = memfind(s, n, "noqa:")) || (p = memfind(s, n, "noqa :")))) {
        p = memchr(p, ':', (size_t)(s + n - p)) + 1;
        const char *end = s + n;
        if (end - p > PRAGMA_LIST_MAX) end = p + PRAGMA_LIST_MAX;
        if (noqa_names(p, end, rule_id)) return 1;
    }
    return is_secret_rule(rule_id) && l->mark_allow;
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
    file_lines *l = lines_of(f);
    if (end_line < line) end_line = line;
    if (end_line > line + 20) end_line = line + 20;
    for (int ln = line; ln <= end_line && ln <= total; ln++) {
        size_t s = file_line_start(f, ln), e = line_end(f, s);
        line_marks(f, ln, s, e, l);
        if (line_suppresses((const char *)f->data + s, e - s, l, rule_id)) return 1;
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
    fd->at = f && f->data ? file_line_start(f, fd->line) + (size_t)(col > 0 ? col - 1 : 0) : 0;
    rerender(fd, f);
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
    fd->key = xstrdup(p->key ? p->key : "");
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
    if (s->keyless) set_key(fd, xstrdup(fd->message));
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
    if (!fd->mask_count++)
        fd->secret_own = hash_fnv1a64(f->data + byte_start, byte_end - byte_start);
    fd->secret_id = hash_fnv1a64_more(fd->secret_id ? fd->secret_id : 1469598103934665603ULL,
                                      f->data + byte_start, byte_end - byte_start);
    rerender(fd, f);
}

void finding_set_key(finding *fd, const void *key, size_t len)
{
    fd->key_set = 1;
    set_key(fd, xstrndup(key, len));
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
    free(fd->key);
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
    mask_set_free(o->secrets);
    o->secrets = NULL;
}

void out_move(vg_out *dst, vg_out *src)
{
    XGROW(dst->v, dst->cap, dst->n + src->n);
    if (src->n) memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
    dst->n += src->n;
    src->n = 0;
    dst->parse_errors += src->parse_errors;
    dst->incomplete += src->incomplete;
    dst->taint_work += src->taint_work;
    dst->rules_work += src->rules_work;
    src->parse_errors = src->incomplete = src->taint_work = src->rules_work = 0;
    diag_move(&dst->diags, &src->diags);
    if (src->secrets) {
        if (!dst->secrets) dst->secrets = mask_set_new();
        mask_set_move(dst->secrets, src->secrets);
    }
}

/* --- the one masking step ---------------------------------------------------- */

void out_scrub(vg_out *o)
{
    if (!o->secrets) o->secrets = mask_set_new();
    mask_set *m = o->secrets;
    mask_set_seal(m);
    int show = o->opts && o->opts->show_secrets;
    for (size_t i = 0; i < o->n; i++) {
        finding *fd = o->v[i];
        if (!mask_set_has(m, fd->path)) {
            for (size_t k = 0; k < fd->nsteps && !fd->show_secrets; k++)
                mask_set_scrub_str(m, fd->steps[k].path, &fd->steps[k].message);
            continue;
        }
        if (!fd->show_secrets) {
            mask_set_scrub_str(m, fd->path, &fd->message);
            mask_set_scrub_str(m, fd->path, &fd->fix);
            /* a finding made while its file was at hand was rendered with
             * the file's secrets by position; a value here is then a name
             * that happens to equal a secret, and stays.  A blob of the
             * history is another version of the file, which only the
             * secret rules read: what the others found in the working tree
             * is masked there by value. */
            if (!fd->file_masked || fd->commit) {
                mask_set_scrub_str(m, fd->path, &fd->snippet);
                mask_set_scrub_str(m, fd->path, &fd->context);
            }
            for (size_t k = 0; k < 2 * fd->nprops; k++)
                mask_set_scrub_str(m, fd->path, &fd->props[k]);
            for (size_t k = 0; k < fd->nsteps; k++)
                mask_set_scrub_str(m, fd->steps[k].path, &fd->steps[k].message);
        }
        /* the key is masked whatever --show-secrets says */
        if (fd->key && (fd->key_set || !fd->file_masked || fd->commit) &&
            mask_set_scrub_str(m, fd->path, &fd->key)) {
            char *k = fd->key;
            fd->key = NULL;
            set_key(fd, k);
        }
    }
    for (size_t i = 0; i < o->diags.n && !show; i++) {
        diag *g = &o->diags.v[i];
        if (g->path) mask_set_scrub_str(m, g->path, &g->message);
    }
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
    if (x->fingerprint != y->fingerprint) return x->fingerprint < y->fingerprint ? -1 : 1;
    /* a requirements file read directly and through another's -r: the same
     * finding twice, told apart by class only; without this their order
     * followed the threads' timing */
    return (x->cls > y->cls) - (x->cls < y->cls);
}

void findings_sort(finding **v, size_t n)
{
    if (n > 1) qsort(v, n, sizeof *v, cmp_finding);
}
