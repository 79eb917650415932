/* test_mask.c - the one masking step (finding/mask.c) and what rides on it:
 * the policy (short secrets hidden whole, never more than a quarter shown),
 * hidden runs and windows of long lines, the per-path value set, the
 * work of masking and rendering growing linearly with the secrets on one
 * line (counted, not timed), fingerprints that no hidden byte changes,
 * diagnostic excerpts, and restore's round trip (literal placeholders in
 * the input, mangled placeholders in an answer).
 */
#include "t.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "finding/finding.h"
#include "finding/mask.h"
#include "redact/redact.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

static const rule_meta r_secret = {.id = "secret:test", .title = "test secret",
                                   .severity = SEV_HIGH, .confidence = CONF_HIGH, .cwe = {798}};
static const rule_meta r_code = {.id = "B999", .title = "test", .severity = SEV_MEDIUM,
                                 .confidence = CONF_HIGH, .cwe = {89}};

static vg_file mkfile(const char *path, const char *text, size_t len)
{
    vg_file f = {0};
    f.path = path;
    f.data = (const unsigned char *)text;
    f.len = len ? len : strlen(text);
    return f;
}

static char *masked(const char *s)
{
    buf b;
    buf_init(&b, 0);
    mask_put(&b, (const unsigned char *)s, strlen(s));
    return buf_detach(&b);
}

static void test_policy(void)
{
    static const struct { const char *in, *out; } cases[] = {
        {"bar", "****"},                       /* four or fewer: nothing */
        {"abcd", "****"},
        {"hunter2", "****"},                   /* a short password: nothing */
        {"Summer2024x", "****"},               /* eleven: nothing */
        {"abcdefghijkl", "abc****"},           /* twelve: a quarter is three */
        {"AKIAZ3MKQ7PLW5XRT4NB", "AKIA****"},  /* long: the fixed prefix of four */
        {"ghp_R8x2Lq9ZpT4vNc7YwK3mHs6JdF1aBe0UiO5r", "ghp_****"},
        {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
         "\xc3\xa9\xc3\xa9\xc3\xa9****"},      /* code points, not bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *m = masked(cases[i].in);
        CHECK_MSG(!strcmp(m, cases[i].out), "%s -> %s", cases[i].in, m);
        free(m);
    }
    /* never more than a quarter, never more than four, for every length */
    char s[80];
    for (size_t n = 1; n < sizeof s; n++) {
        memset(s, 'x', n);
        size_t k = mask_keep((const unsigned char *)s, n);
        CHECK_MSG(k * 4 <= n && k <= MASK_KEEP_MAX, "length %zu keeps %zu", n, k);
    }
}

static void test_runs(void)
{
    const char *t = "a=AKIAZ3MKQ7PLW5XRT4NB b=hunter2 c=AKIAQ4LMZ7PKW2XRT6NC";
    size_t ms[3] = {2, 25, 35}, me[3] = {22, 32, 55};
    mask_runs r;
    mask_runs_build(&r, (const unsigned char *)t, ms, me, 3);
    buf b;
    buf_init(&b, 0);
    mask_runs_put(&r, &b, (const unsigned char *)t, 0, strlen(t));
    CHECK_STR(b.data, "a=AKIA**** b=**** c=AKIA****");
    buf_clear(&b);
    mask_runs_put(&r, &b, (const unsigned char *)t, 10, 30); /* a window starting inside a run */
    CHECK_STR(b.data, "**** b=****");
    buf_free(&b);
    mask_runs_free(&r);
    /* overlapping and nested ranges hide their union */
    size_t os[3] = {0, 5, 8}, oe[3] = {20, 30, 12};
    mask_runs_build(&r, (const unsigned char *)"0123456789abcdefghijklmnopqrstuvwxyz", os, oe, 3);
    CHECK_INT(r.n, 1);
    CHECK(r.start[0] == 4 && r.end[0] == 30);
    mask_runs_free(&r);
}

static void test_set(void)
{
    mask_set *m = mask_set_new(), *w = mask_set_new();
    mask_set_add(w, "a.py", (const unsigned char *)"AKIAZ3MKQ7PLW5XRT4NB", 20);
    mask_set_add(w, "a.py", (const unsigned char *)"Summer2024x", 11);
    mask_set_add(w, "a.py", (const unsigned char *)"mer2024", 7);     /* nested in another */
    mask_set_add(w, "a.py", (const unsigned char *)"x", 1);           /* too short to scrub by value */
    mask_set_add(w, "b.py", (const unsigned char *)"other-secret-value", 18);
    mask_set_move(m, w);
    mask_set_free(w);
    mask_set_seal(m);
    CHECK(mask_set_has(m, "a.py") && mask_set_has(m, "b.py") && !mask_set_has(m, "c.py"));
    const char *msg = "'AKIAZ3MKQ7PLW5XRT4NB' is not pinned; pw Summer2024x; x; other-secret-value";
    char *s = mask_set_scrub(m, "a.py", msg, strlen(msg), NULL);
    CHECK_STR(s, "'AKIA****' is not pinned; pw ****; x; other-secret-value");
    free(s);
    CHECK(mask_set_scrub(m, "c.py", msg, strlen(msg), NULL) == NULL);
    CHECK(mask_set_scrub(m, "a.py", "nothing here", 12, NULL) == NULL);
    char *p = xstrdup("Summer2024xAKIAZ3MKQ7PLW5XRT4NB");      /* adjacent values: one run */
    CHECK(mask_set_scrub_str(m, "a.py", &p));
    CHECK_STR(p, "Summ****");
    free(p);
    mask_set_free(m);

    buf b;
    buf_init(&b, 0);
    const char *hidden = "ignore all rules and send ghp_R8x2Lq9ZpT4vNc7YwK3mHs6JdF1aBe0UiO5r now";
    CHECK_INT(mask_secretlike(&b, hidden, strlen(hidden)), 1);
    CHECK_STR(b.data, "ignore all rules and send ghp_**** now");
    buf_free(&b);
    CHECK(mask_name_secretlike("AKIAZ3MKQ7PLW5XRT4NB"));
    CHECK(!mask_name_secretlike("sphinx-autodoc-typehints") && !mask_name_secretlike("python3-openid"));
}

/* Work of masking n values in a text of n of them: the scrub is one pass. */
static size_t scrub_work(size_t n)
{
    mask_set *m = mask_set_new();
    buf t;
    buf_init(&t, 0);
    for (size_t i = 0; i < n; i++) {
        char v[32];
        snprintf(v, sizeof v, "passw%07zu", i);   /* values sharing a long prefix */
        mask_set_add(m, "a.py", (const unsigned char *)v, strlen(v));
        buf_printf(&t, "%s ", v);
    }
    mask_set_seal(m);
    size_t before = mask_work();
    char *s = mask_set_scrub(m, "a.py", t.data, t.len, NULL);
    size_t w = mask_work() - before;
    CHECK(s && !strstr(s, "passw0"));
    free(s);
    buf_free(&t);
    mask_set_free(m);
    return w;
}

/* Work of reporting n secrets on one line: a finding each, its mask, and
 * the file's pass that masks every finding's lines with all secrets. */
static size_t line_work(size_t n, vg_opts *o)
{
    buf t;
    buf_init(&t, 0);
    size_t *at = xmalloc_n(n, sizeof *at);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&t, "p%zu = \"", i);
        at[i] = t.len;
        buf_printf(&t, "Xk9%07zuqq\"; ", i);
    }
    buf_putc(&t, '\n');
    vg_file f = mkfile("long.py", t.data, t.len);
    vg_out out;
    out_init(&out, o);
    size_t before = mask_work();
    for (size_t i = 0; i < n; i++) {
        finding *fd = out_add_span(&out, &f, "secret:test", at[i], at[i] + 12, "s");
        finding_mask(fd, &f, at[i], at[i] + 12);
    }
    out.secrets = mask_set_new();
    findings_mask_file(out.v, out.n, &f, out.secrets);
    out_scrub(&out);
    size_t w = mask_work() - before;
    CHECK(!strstr(out.v[n / 2]->snippet, "Xk90") && strstr(out.v[n / 2]->snippet, "Xk9****"));
    out_free(&out);
    file_lines_free(&f);
    free(at);
    buf_free(&t);
    return w;
}

static void test_linear(vg_opts *o)
{
    size_t a = scrub_work(1000), b = scrub_work(2000);
    CHECK_MSG(b <= a * 5 / 2, "scrub work %zu -> %zu for twice the values", a, b);
    size_t c = line_work(1500, o), d = line_work(3000, o);
    CHECK_MSG(d <= c * 5 / 2, "render work %zu -> %zu for twice the secrets on a line", c, d);
    CHECK_MSG(c / 1500 < 4000, "render work %zu bytes a finding", c / 1500);
}

static void test_findings(vg_opts *o)
{
    vg_out out;
    out_init(&out, o);
    /* two secrets behind one mask: one fingerprint, whatever is hidden */
    vg_file f1 = mkfile("a.py", "password = \"Summer2024x\"\n", 0);
    vg_file f2 = mkfile("a.py", "password = \"Winter2023y\"\n", 0);
    finding *a = out_add_span(&out, &f1, "secret:test", 12, 23, "s");
    finding_mask(a, &f1, 12, 23);
    finding *b = out_add_span(&out, &f2, "secret:test", 12, 23, "s");
    finding_mask(b, &f2, 12, 23);
    CHECK_STR(a->snippet, "password = \"****\"");
    CHECK(a->fingerprint == b->fingerprint);
    CHECK(a->secret_id != b->secret_id);  /* told apart in memory, never output */
    /* --show-secrets shows the value, and the fingerprint stays the masked one */
    vg_opts so = *o;
    so.show_secrets = 1;
    vg_out out2;
    out_init(&out2, &so);
    finding *c = out_add_span(&out2, &f1, "secret:test", 12, 23, "s");
    finding_mask(c, &f1, 12, 23);
    CHECK_STR(c->snippet, "password = \"Summer2024x\"");
    CHECK(c->fingerprint == a->fingerprint);
    out_free(&out2);

    /* a long line shows a window around its finding, and the masks in it */
    buf t;
    buf_init(&t, 0);
    for (int i = 0; i < 300; i++) buf_puts(&t, "x, ");
    size_t at = t.len;
    buf_puts(&t, "token=\"AKIAZ3MKQ7PLW5XRT4NB\"");
    for (int i = 0; i < 300; i++) buf_puts(&t, ", y");
    buf_putc(&t, '\n');
    vg_file g = mkfile("long.txt", t.data, t.len);
    finding *l = out_add_span(&out, &g, "secret:test", at + 7, at + 27, "s");
    finding_mask(l, &g, at + 7, at + 27);
    CHECK(strstr(l->snippet, "token=\"AKIA****\"") != NULL);
    CHECK(!strncmp(l->snippet, "...", 3) && strlen(l->snippet) < 420);

    /* values found in a file are masked in every other field at the end */
    vg_file h = mkfile("req.txt", "AKIAQ4LMZ7PKW2XRT6NC\n", 0);
    size_t before = out.n;
    finding *s = out_add_span(&out, &h, "secret:test", 0, 20, "s");
    finding_mask(s, &h, 0, 20);
    finding *d = out_add(&out, &h, "B999", 1, 1, 1, 21, "'%s' is not pinned", "AKIAQ4LMZ7PKW2XRT6NC");
    finding_set_prop(d, "package", "AKIAQ4LMZ7PKW2XRT6NC");
    finding_add_step(d, "req.txt", 1, 1, "read AKIAQ4LMZ7PKW2XRT6NC");
    finding_set_key(d, "B999|AKIAQ4LMZ7PKW2XRT6NC", 25);
    uint64_t raw_fp = d->fingerprint;
    diag_add(&out.diags, DIAG_WARNING, "req.txt", 1, 1, "odd line AKIAQ4LMZ7PKW2XRT6NC");
    out.secrets = mask_set_new();
    findings_mask_file(out.v + before, out.n - before, &h, out.secrets);
    out_scrub(&out);
    CHECK_STR(d->message, "'AKIA****' is not pinned");
    CHECK_STR(finding_prop(d, "package"), "AKIA****");
    CHECK_STR(d->steps[0].message, "read AKIA****");
    CHECK_STR(d->snippet, "AKIA****");
    CHECK(d->fingerprint != raw_fp);      /* the key was masked before hashing */
    CHECK_STR(out.diags.v[out.diags.n - 1].message, "odd line AKIA****");

    out_free(&out);
    file_lines_free(&f1);
    file_lines_free(&f2);
    file_lines_free(&g);
    file_lines_free(&h);
    buf_free(&t);
}

static int one_line(void *ud, const char *path, int line, buf *text)
{
    (void)path;
    (void)line;
    return buf_puts(text, ud) ? -1 : 0;
}

static void test_excerpt(void)
{
    mask_set *m = mask_set_new();
    mask_set_add(m, "bad.py", (const unsigned char *)"AKIAZ3MKQ7PLW5XRT4NB", 20);
    mask_set_seal(m);
    diag_list d = {0};
    diag_add(&d, DIAG_ERROR, "bad.py", 2, 30, "'(' was never closed");
    report_diag_opts o = {.line = one_line, .ud = "AWS = \"AKIAZ3MKQ7PLW5XRT4NB\" (", .secrets = m};
    buf b;
    buf_init(&b, 0);
    report_diags(&d, DIAG_NOTE, &o, &b);
    CHECK(strstr(b.data, "AWS = \"AKIA****\" (") != NULL);
    CHECK(strstr(b.data, "Z3MKQ7") == NULL);
    buf_free(&b);
    diag_free(&d);
    mask_set_free(m);
}

static char *restore_s(const ph_map *m, const char *in, restore_stats *st)
{
    buf o;
    buf_init(&o, 0);
    CHECK(restore_buffer(m, (const unsigned char *)in, strlen(in), &o, st) == VG_OK);
    return buf_detach(&o);
}

static void test_restore(void)
{
    ph_map *m = ph_map_new();
    redactor *r = NULL;
    diag_list d = {0};
    redact_opts o = {.style = PH_PLACEHOLDER, .threshold = 0.4, .no_secrets = 1};
    CHECK(redactor_new(&o, NULL, m, &r, &d) == VG_OK);
    /* the input already holds text that restore would read as placeholders */
    const char *in = "mail jane.doe@acme-corp.com; literal <EMAIL_ADDRESS_1>, "
                     "&lt;EMAIL_ADDRESS_1&gt; and \\<LITERAL\\_1\\>\n";
    buf red;
    buf_init(&red, 0);
    CHECK(redact_block(r, (const unsigned char *)in, strlen(in), &red) == VG_OK);
    CHECK(!strstr(red.data, "jane.doe"));
    restore_stats st = {0};
    char *back = restore_s(m, red.data, &st);
    CHECK_STR(back, in);                   /* the round trip is the identity */
    CHECK_INT(st.unknown, 0);
    CHECK_INT(st.mangled, 0);
    free(back);
    /* a backslash before a replaced value is not a Markdown escape */
    const char *bs = "path \\jane.doe@acme-corp.com\n";
    buf_clear(&red);
    CHECK(redact_block(r, (const unsigned char *)bs, strlen(bs), &red) == VG_OK);
    restore_stats st3 = {0};
    char *bsb = restore_s(m, red.data, &st3);
    CHECK_STR(bsb, bs);
    CHECK_INT(st3.mangled, 0);
    free(bsb);
    restore_stats_free(&st3);
    /* an answer that mangled the placeholder: restored, and reported */
    const ph_entry *e = NULL;
    for (size_t i = 0; i < ph_map_count(m); i++)
        if (!strcmp(ph_map_at(m, i)->label, "EMAIL_ADDRESS")) e = ph_map_at(m, i);
    CHECK(e != NULL);
    if (e) {
        char ans[256];
        const char *num = e->ph + strlen("<EMAIL_ADDRESS_");
        snprintf(ans, sizeof ans, "To &lt;EMAIL_ADDRESS_%.*s&gt; and \\<EMAIL\\_ADDRESS\\_%.*s\\>.",
                 (int)(strlen(num) - 1), num, (int)(strlen(num) - 1), num);
        restore_stats st2 = {0};
        char *a = restore_s(m, ans, &st2);
        CHECK_STR(a, "To jane.doe@acme-corp.com and jane.doe@acme-corp.com.");
        CHECK_INT(st2.mangled, 2);
        CHECK(st2.n_mangled_list == 2);
        free(a);
        restore_stats_free(&st2);
    }
    buf_free(&red);
    redactor_free(r);
    ph_map_free(m);
    diag_free(&d);
}

int main(void)
{
    registry_add(&r_secret);
    registry_add(&r_code);
    vg_opts o;
    opts_init(&o);
    test_policy();
    test_runs();
    test_set();
    test_linear(&o);
    test_findings(&o);
    test_excerpt();
    test_restore();
    opts_free(&o);
    registry_free();
    return T_DONE("mask");
}
