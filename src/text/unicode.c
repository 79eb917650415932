/* unicode.c - hidden Unicode and injected instructions (DESIGN §6).
 *
 * The invisible characters are UTF-8 byte patterns in the shared
 * Hyperscan pass (raw bytes, no UTF-8 mode).  Consecutive characters of one
 * kind form a run and give one finding.  Severity rises in files that
 * steer AI agents (vg_file.agent_file) and, for bidi controls, inside
 * Python strings and comments, where they make code read differently from
 * how it runs (Trojan Source, CVE-2021-42574).  Tag characters
 * (U+E0000-U+E007F) and runs of variation selectors can carry a hidden
 * ASCII payload; it is decoded into the message (printable ASCII only).
 * Injected-instruction phrasing is reported in agent files only; those
 * files are few and small, so their phrases are matched by PCRE2 on the
 * agent file alone and stay out of the shared database (where their
 * word-gap repeats would slow the scan of every other byte).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "unicode.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../finding/analyzer.h"
#include "../core/buf.h"
#include "../core/limits.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"
#include "../finding/finding.h"

enum { U_BIDI = 1, U_ZW, U_TAG, U_VS, U_FILLER };

static const rule_meta unicode_rules[] = {
    {.id = "unicode:bidi", .title = "Bidirectional control character", .severity = SEV_MEDIUM,
     .confidence = CONF_HIGH, .cwe = {1007, 451}, .owasp = "A03:2021",
     .description = "Bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C) reorder how "
                    "text is displayed; inside strings and comments they make source code read "
                    "differently from how it runs (Trojan Source).",
     .fix = "Remove the control character, or write it as an escape (\\u202e) if it is data.",
     .references = "https://trojansource.codes/", .analyzer = "unicode"},
    {.id = "unicode:zero-width", .title = "Zero-width character", .severity = SEV_LOW,
     .confidence = CONF_HIGH, .cwe = {1007}, .owasp = "A03:2021",
     .description = "Zero-width characters (U+200B-U+200D, U+2060, U+FEFF not at the start, "
                    "U+180E, U+00AD) are invisible: they hide text, split keywords past filters, "
                    "or make two identical-looking names differ.",
     .fix = "Remove the character.", .analyzer = "unicode"},
    {.id = "unicode:tag", .title = "Unicode tag characters (hidden ASCII)", .severity = SEV_HIGH,
     .confidence = CONF_HIGH, .cwe = {1007, 451}, .owasp = "A03:2021",
     .description = "Tag characters U+E0000-U+E007F render as nothing but mirror ASCII; they "
                    "smuggle instructions to language models that humans cannot see.",
     .fix = "Remove the tag characters and review the hidden text shown in the message.",
     .analyzer = "unicode"},
    {.id = "unicode:variation-selector", .title = "Stray variation selectors",
     .severity = SEV_MEDIUM, .confidence = CONF_MEDIUM, .cwe = {1007}, .owasp = "A03:2021",
     .description = "Variation selectors outside emoji and ideographs, or several in a row, can "
                    "encode hidden bytes.",
     .fix = "Remove the variation selectors.", .analyzer = "unicode"},
    {.id = "unicode:filler", .title = "Invisible filler character", .severity = SEV_LOW,
     .confidence = CONF_HIGH, .cwe = {1007}, .owasp = "A03:2021",
     .description = "Fillers (U+034F, U+115F, U+1160, U+3164) look like nothing or like a space "
                    "and can make invisible identifiers.",
     .fix = "Remove the character.", .analyzer = "unicode"},
    {.id = "unicode:prompt-injection", .title = "Injected instructions in an AI agent file",
     .severity = SEV_HIGH, .confidence = CONF_MEDIUM, .cwe = {77}, .owasp = "A03:2021",
     .description = "A file that steers an AI coding agent tells it to ignore its instructions, "
                    "hide actions from the user, or send data to a URL.",
     .fix = "Review the file and remove instructions you did not write.",
     .analyzer = "unicode"},
};

void unicode_rules_register(void)
{
    for (size_t i = 0; i < sizeof unicode_rules / sizeof *unicode_rules; i++)
        registry_add(&unicode_rules[i]);
}

static const char *const kind_id[] = {
    [U_BIDI] = "unicode:bidi", [U_ZW] = "unicode:zero-width", [U_TAG] = "unicode:tag",
    [U_VS] = "unicode:variation-selector", [U_FILLER] = "unicode:filler",
};

static const struct { const char *expr; const char *what; } injections[] = {
    {"\\b(?:ignore|disregard|forget|override)\\s+(?:all\\s+|any\\s+)?(?:of\\s+)?(?:the\\s+|your\\s+)?"
     "(?:previous|prior|above|earlier|preceding|original|system)\\s+(?:instructions|prompts?|rules|"
     "directions|guidelines|messages)",
     "tells the agent to ignore its previous instructions"},
    {"\\b(?:do\\s+not|don't|never)\\s+(?:tell|inform|notify|alert|show|mention\\s+(?:this|it)\\s+to|"
     "reveal\\s+(?:this|it)\\s+to)\\s+(?:the\\s+)?user",
     "tells the agent to hide something from the user"},
    {"\\b(?:send|exfiltrate|upload|post|transmit|forward|leak|copy)\\s+(?:[^\\s]+\\s+){0,8}(?:to|at|"
     "into)\\s+(?:https?|ftp)://",
     "tells the agent to send data to a URL"},
    {"\\bexfiltrat(?:e|ion|ing)\\b", "mentions exfiltration"},
    {"\\byou\\s+are\\s+now\\s+(?:in\\s+)?(?:developer|dan|jailbreak|unrestricted|god)\\s+mode",
     "tries to switch the agent into an unrestricted mode"},
    {"\\b(?:without|don't|do\\s+not)\\s+(?:asking|ask)\\s+(?:the\\s+user\\s+)?(?:for\\s+)?"
     "(?:permission|confirmation|approval)",
     "tells the agent to act without asking the user"},
};
#define NINJ (sizeof injections / sizeof *injections)

static vg_status fam_init(const vg_opts *opts, int nthreads, scan_db *db, void **state,
                          diag_list *d)
{
    (void)opts;
    (void)nthreads;
    static const struct { const char *e; int id; } chars[] = {
        {"\\xD8\\x9C|\\xE2\\x80[\\x8E\\x8F\\xAA-\\xAE]|\\xE2\\x81[\\xA6-\\xA9]", U_BIDI},
        {"\\xE2\\x80[\\x8B-\\x8D]|\\xE2\\x81\\xA0|\\xEF\\xBB\\xBF|\\xE1\\xA0\\x8E|\\xC2\\xAD", U_ZW},
        {"\\xF3\\xA0[\\x80\\x81][\\x80-\\xBF]", U_TAG},
        {"\\xEF\\xB8[\\x80-\\x8F]|\\xF3\\xA0[\\x84-\\x87][\\x80-\\xBF]", U_VS},
        {"\\xCD\\x8F|\\xE1\\x85[\\x9F\\xA0]|\\xE3\\x85\\xA4", U_FILLER},
    };
    vg_status rc = VG_OK;
    for (size_t i = 0; i < sizeof chars / sizeof *chars && !rc; i++)
        rc = scan_db_add(db, SCAN_FAM_UNICODE, chars[i].e, 0, (uint32_t)chars[i].id,
                         kind_id[chars[i].id], NULL, d);
    pcre2_code **re = xcalloc(NINJ, sizeof *re);
    for (size_t i = 0; i < NINJ && !rc; i++) {
        int ec;
        PCRE2_SIZE eo;
        re[i] = pcre2_compile((PCRE2_SPTR)injections[i].expr, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS,
                              &ec, &eo, NULL);
        if (!re[i]) {
            diag_add(d, DIAG_ERROR, "unicode:prompt-injection", 0, 0, "pattern %zu does not compile", i);
            rc = VG_ERR_INTERNAL;
        } else {
            pcre2_jit_compile(re[i], PCRE2_JIT_COMPLETE);
        }
    }
    *state = re;
    return rc;
}

/* Injected instructions: every phrase over the (small) agent file, one
 * finding per line. */
static void find_injections(pcre2_code *const *re, const vg_file *f, vg_out *out)
{
    const unsigned char *d = f->data;
    size_t len = f->len > UNICODE_INJECT_MAX ? UNICODE_INJECT_MAX : f->len; /* agent files are small */
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    size_t *lines = NULL, nl = 0, cap = 0; /* line starts already reported */
    for (size_t i = 0; i < NINJ; i++) {
        if (!re[i]) continue;
        size_t pos = 0;
        while (pos < len) {
            int rc = pcre2_match(re[i], d, len, pos, 0, md, NULL);
            if (rc < 0) break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            size_t ms = ov[0], me = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
            size_t ls = ms;
            while (ls > 0 && d[ls - 1] != '\n') ls--;
            int seen = 0;
            for (size_t k = 0; k < nl && !seen; k++) seen = lines[k] == ls;
            if (!seen) {
                XGROW(lines, cap, nl + 1);
                lines[nl++] = ls;
                out_add_span(out, f, "unicode:prompt-injection", ms, ov[1] > ov[0] ? ov[1] : ms + 1,
                             "this line %s", injections[i].what);
            }
            pos = me;
        }
    }
    free(lines);
    pcre2_match_data_free(md);
}

/* --- decoding ---------------------------------------------------------------- */

/* Code point of the n-byte (2-4) UTF-8 sequence at p, a scan hit, or -1. */
static long hit_cp(const unsigned char *p, size_t n)
{
    uint32_t cp;
    return n >= 2 && utf8_decode(p, n, &cp) == n ? (long)cp : -1;
}

/* --- Python context (Trojan Source) --------------------------------------------
 * A forward-only lexer that knows whether an offset is inside a string
 * literal or a comment; offsets must be asked in ascending order. */
typedef struct pylex {
    size_t pos;
    int state;     /* 0 code, 1 comment, 2 string */
    char quote;
    int triple;
} pylex;

static int py_in_string_or_comment(pylex *L, const unsigned char *d, size_t len, size_t off)
{
    while (L->pos < off && L->pos < len) {
        unsigned char c = d[L->pos];
        if (L->state == 0) {
            if (c == '#') L->state = 1;
            else if (c == '\'' || c == '"') {
                L->state = 2;
                L->quote = (char)c;
                L->triple = L->pos + 2 < len && d[L->pos + 1] == c && d[L->pos + 2] == c;
                if (L->triple) L->pos += 2;
            }
        } else if (L->state == 1) {
            if (c == '\n') L->state = 0;
        } else {
            if (c == '\\') L->pos++;
            else if (c == '\n' && !L->triple) L->state = 0;
            else if (c == (unsigned char)L->quote) {
                if (!L->triple) L->state = 0;
                else if (L->pos + 2 < len && d[L->pos + 1] == c && d[L->pos + 2] == c) {
                    L->state = 0;
                    L->pos += 2;
                }
            }
        }
        L->pos++;
    }
    return L->state != 0;
}

typedef struct run {
    int kind;
    size_t start, end, count;
} run;

static int run_cmp(const void *a, const void *b)
{
    const run *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->kind - y->kind;
}

/* Is the invisible character at [s,e) part of ordinary non-Latin text or an
 * emoji sequence (ZWJ/ZWNJ between, or a selector after, a non-ASCII char)? */
static int benign(int kind, const unsigned char *d, size_t len, size_t s, size_t e)
{
    long cp = hit_cp(d + s, e - s);
    if (kind == U_ZW) {
        if (cp == 0xFEFF && s == 0) return 1; /* byte order mark */
        if ((cp == 0x200D || cp == 0x200C) && s > 0 && d[s - 1] >= 0x80 && e < len &&
            d[e] >= 0x80)
            return 1;
    }
    return 0;
}

static void put_visible(buf *b, long c)
{
    if (c >= 0x20 && c < 0x7F) buf_putc(b, (char)c);
    else if (c == '\n' || c == '\t') buf_puts(b, c == '\n' ? "\\n" : "\\t");
    else buf_printf(b, "\\x%02lx", c & 0xFF);
}

static void report_run(const vg_file *f, const run *r, int in_py_text, vg_out *out)
{
    const unsigned char *d = f->data;
    buf msg;
    buf_init(&msg, UNICODE_MSG_MAX);
    const char *where = f->agent_file ? " in a file that steers AI agents"
                        : in_py_text ? " inside a Python string or comment" : "";
    severity sev = SEV_NONE;
    int hidden_secret = 0;
    switch (r->kind) {
    case U_BIDI:
        buf_printf(&msg, "%zu bidirectional control character%s%s", r->count,
                   r->count == 1 ? "" : "s", where);
        if (in_py_text) buf_puts(&msg, ": the code may run differently from how it reads (Trojan Source)");
        if (f->agent_file || in_py_text) sev = SEV_HIGH;
        break;
    case U_ZW:
        buf_printf(&msg, "%zu zero-width character%s%s", r->count, r->count == 1 ? "" : "s", where);
        if (f->agent_file || f->kind == FK_PYTHON) sev = SEV_MEDIUM;
        break;
    case U_FILLER:
        buf_printf(&msg, "%zu invisible filler character%s%s", r->count, r->count == 1 ? "" : "s",
                   where);
        if (f->agent_file || f->kind == FK_PYTHON) sev = SEV_MEDIUM;
        break;
    case U_TAG:
    case U_VS: {
        buf hidden;
        buf_init(&hidden, UNICODE_HIDDEN_MAX);
        for (size_t p = r->start; p < r->end && hidden.len < UNICODE_HIDDEN_SHOWN;) {
            size_t n = r->kind == U_TAG || d[p] == 0xF3 ? 4 : 3;
            if (p + n > r->end) break;
            long cp = hit_cp(d + p, n);
            long v = r->kind == U_TAG ? cp - 0xE0000
                     : cp >= 0xE0100 ? cp - 0xE0100 + 16 : cp - 0xFE00;
            put_visible(&hidden, v);
            p += n;
        }
        /* the hidden text may be a smuggled secret: mask what reads as one,
         * here and (below) in the snippet, whose tag characters spell it too */
        buf shown;
        buf_init(&shown, 0);
        hidden_secret = hidden.len && mask_secretlike(&shown, hidden.data, hidden.len);
        if (!(out->opts && out->opts->show_secrets) && hidden_secret) {
            buf_free(&hidden);
            hidden = shown;
        } else {
            buf_free(&shown);
        }
        if (r->kind == U_TAG) {
            buf_printf(&msg, "%zu hidden tag character%s%s spelling \"%s\"", r->count,
                       r->count == 1 ? "" : "s", where, hidden.data ? hidden.data : "");
            if (f->agent_file) sev = SEV_CRITICAL;
        } else {
            buf_printf(&msg, "%zu variation selector%s%s", r->count, r->count == 1 ? "" : "s",
                       where);
            if (r->count >= 4) buf_printf(&msg, " (as bytes: \"%s\")", hidden.data);
            if (f->agent_file) sev = SEV_HIGH;
        }
        buf_free(&hidden);
        break;
    }
    }
    finding *fd = out_add_span(out, f, kind_id[r->kind], r->start, r->end, "%s",
                               msg.data ? msg.data : "");
    if (sev) fd->severity = sev;
    if (hidden_secret) finding_mask(fd, f, r->start, r->end);
    char cnt[32];
    snprintf(cnt, sizeof cnt, "%zu", r->count);
    finding_set_prop(fd, "count", cnt);
    buf_free(&msg);
}

static vg_status fam_file(void *state, const vg_file *f, const scan_hit *hits, size_t n,
                          vg_out *out)
{
    if (f->kind == FK_BINARY) return VG_OK;
    if (f->agent_file && state) find_injections(state, f, out);
    if (n == 0) return VG_OK;
    const unsigned char *d = f->data;
    run *runs = NULL;
    size_t nr = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        const scan_hit *h = &hits[i];
        size_t e = (size_t)h->to;
        if (e > f->len) continue;
        size_t s = utf8_back(d, e);
        if (benign((int)h->id, d, f->len, s, e)) continue;
        if (nr && runs[nr - 1].kind == (int)h->id && runs[nr - 1].end == s) {
            runs[nr - 1].end = e;
            runs[nr - 1].count++;
            continue;
        }
        XGROW(runs, cap, nr + 1);
        runs[nr++] = (run){(int)h->id, s, e, 1};
    }
    if (nr > 1) qsort(runs, nr, sizeof *runs, run_cmp);
    pylex L = {0};
    for (size_t i = 0; i < nr; i++) {
        run *r = &runs[i];
        if (r->kind == U_VS && r->count < 2) {
            /* one selector after an emoji or ideograph is ordinary text, and
             * so is a keycap: [0-9#*] U+FE0F U+20E3 */
            if (r->start > 0 && d[r->start - 1] >= 0x80) continue;
            if (r->end + 3 <= f->len && d[r->end] == 0xE2 && d[r->end + 1] == 0x83 &&
                d[r->end + 2] == 0xA3)
                continue;
        }
        int in_py = f->kind == FK_PYTHON && py_in_string_or_comment(&L, d, f->len, r->start);
        report_run(f, r, in_py, out);
    }
    free(runs);
    return VG_OK;
}

static void fam_fini(void *state)
{
    pcre2_code **re = state;
    if (!re) return;
    for (size_t i = 0; i < NINJ; i++) pcre2_code_free(re[i]);
    free(re);
}

const text_family unicode_family = {"unicode", SCAN_FAM_UNICODE, fam_init, fam_file, fam_fini};
