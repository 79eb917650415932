/* test_secrets.c - the secret rules, table-driven: every rule in
 * data/secrets.toml has at least one true positive and one look-alike
 * that must stay silent in tests/fixtures/secrets/cases.tsv (generated,
 * synthetic values).  Plus the scan database (cache, corruption), the
 * entropy edges of the generic rule, gitleaks configs, user allowlists
 * and the finding produced inside a scan (masked, CWE-798). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "finding/analyzer.h"
#include "core/opts.h"
#include "core/xalloc.h"
#include "finding/finding.h"
#include "text/scan.h"
#include "text/secrets.h"
#include "t.h"
#include "scan/families.h"

static char cache_dir[] = "/tmp/vg-test-secrets-XXXXXX";

static int has_rule(const secret_match *m, size_t n, const char *slug)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].slug, slug)) return 1;
    return 0;
}

static const secret_match *find_rule(const secret_match *m, size_t n, const char *slug)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].slug, slug)) return &m[i];
    return NULL;
}

static char *unescape(const char *s)
{
    char *o = malloc(strlen(s) + 1), *p = o;
    for (; *s; s++) {
        if (*s == '\\' && s[1] == 'n') *p++ = '\n', s++;
        else if (*s == '\\' && s[1] == '\\') *p++ = '\\', s++;
        else *p++ = *s;
    }
    *p = 0;
    return o;
}

/* A table of cases: true positives found, look-alikes silent.  Returns the
 * number of true positives and look-alikes read. */
static void run_table(const secrets *s, const char *file, int *ntp_out, int *nfp_out)
{
    FILE *fp = fopen(file, "r");
    CHECK(fp != NULL);
    if (!fp) return;
    char line[16384];
    int ntp = 0, nfp = 0;
    char **seen_tp = calloc(4096, sizeof *seen_tp);
    size_t nseen = 0;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#') continue;
        line[strcspn(line, "\n")] = 0;
        char *id = line, *kind = strchr(id, '\t');
        if (!kind) continue;
        *kind++ = 0;
        char *text = strchr(kind, '\t');
        if (!text) continue;
        *text++ = 0;
        /* "@PATH  text": the case is scanned as that path */
        const char *path = "src/app.py";
        char *sep = text[0] == '@' ? strstr(text, "  ") : NULL;
        if (sep) {
            *sep = 0;
            path = text + 1;
            text = sep + 2;
        }
        char *t = unescape(text);
        secret_match *m = NULL;
        size_t n = 0;
        CHECK(secrets_find(s, (const unsigned char *)t, strlen(t), path, &m, &n) == VG_OK);
        if (!strcmp(kind, "tp")) {
            ntp++;
            CHECK_MSG(has_rule(m, n, id), "%s: true positive not found: %s", id, t);
            const secret_match *x = find_rule(m, n, id);
            if (x) CHECK(x->secret_end > x->secret_start && x->secret_end <= strlen(t));
            if (nseen < 4096) seen_tp[nseen++] = strdup(id);
        } else {
            nfp++;
            CHECK_MSG(!has_rule(m, n, id), "%s: look-alike reported: %s", id, t);
        }
        free(m);
        free(t);
    }
    fclose(fp);
    for (size_t i = 0; i < nseen; i++) free(seen_tp[i]);
    free(seen_tp);
    *ntp_out = ntp;
    *nfp_out = nfp;
}

/* The regression table: one pair per rule. */
static void test_cases(const secrets *s)
{
    int ntp = 0, nfp = 0;
    run_table(s, "tests/fixtures/secrets/cases.tsv", &ntp, &nfp);
    CHECK(ntp >= 200);
    CHECK(nfp >= 200);
    CHECK(secrets_rule_count(s) >= 200);
}

/* The hand-written formats (prefix, alphabet, length, checksum, near misses). */
static void test_formats(const secrets *s)
{
    int ntp = 0, nfp = 0;
    run_table(s, "tests/fixtures/secrets/formats.tsv", &ntp, &nfp);
    CHECK(ntp >= 90);
    CHECK(nfp >= 50);
}

static void test_entropy(const secrets *s)
{
    CHECK(secrets_entropy((const unsigned char *)"aaaa", 4) == 0);
    double e = secrets_entropy((const unsigned char *)"abcd", 4);
    CHECK(e > 1.99 && e < 2.01);
    /* generic rule threshold is 3.5 bits: 12 distinct chars (3.58) fires,
     * 11 distinct + repeats (just under 3.5) does not. */
    const char *hi = "password = \"Q7rT2mX9kL4p\"";   /* 12 distinct: log2(12)=3.58 */
    const char *lo = "password = \"Q7rT2mX9kLQ7\"";   /* 10 distinct of 12: 3.25 */
    secret_match *m;
    size_t n;
    secrets_find(s, (const unsigned char *)hi, strlen(hi), NULL, &m, &n);
    CHECK_MSG(has_rule(m, n, "generic-api-key"), "entropy 3.58 should fire");
    free(m);
    secrets_find(s, (const unsigned char *)lo, strlen(lo), NULL, &m, &n);
    CHECK_MSG(!has_rule(m, n, "generic-api-key"), "entropy 3.25 should stay silent");
    free(m);
    /* 9 characters: below the generic rule's minimum length */
    const char *shortv = "password = \"Q7rT2mX9k\"";
    secrets_find(s, (const unsigned char *)shortv, strlen(shortv), NULL, &m, &n);
    CHECK(!has_rule(m, n, "generic-api-key"));
    free(m);
    CHECK(secrets_is_placeholder((const unsigned char *)"AKIAIOSFODNN7EXAMPLE", 20));
    CHECK(secrets_is_placeholder((const unsigned char *)"${API_KEY}", 10));
    CHECK(secrets_is_placeholder((const unsigned char *)"<your-key>", 10));
    CHECK(secrets_is_placeholder((const unsigned char *)"xxxxxxxxxxxxxxxx", 16));
    CHECK(secrets_is_placeholder((const unsigned char *)"{auth_token}", 12));
    CHECK(!secrets_is_placeholder((const unsigned char *)"Q7rT2mX9kL4p", 12));
}

/* A specific rule explains the secret: the generic fallback stays quiet. */
static void test_overlap(const secrets *s)
{
    const char *t = "github_token = \"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\"";
    secret_match *m;
    size_t n;
    secrets_find(s, (const unsigned char *)t, strlen(t), NULL, &m, &n);
    CHECK(has_rule(m, n, "github-pat"));
    CHECK(!has_rule(m, n, "generic-api-key"));
    const secret_match *x = find_rule(m, n, "github-pat");
    if (x) {
        CHECK_INT(x->secret_end - x->secret_start, 40);
        CHECK(!strncmp(t + x->secret_start, "ghp_", 4));
        CHECK_STR(x->rule_id, "secret:github-pat");
    }
    free(m);
}

static const char gitleaks_cfg[] =
    "title = \"team rules\"\n"
    "[[rules]]\n"
    "id = \"acme-token\"\n"
    "description = \"ACME internal token\"\n"
    "regex = '''acme_(?:live|test)_([a-z0-9]{24})'''\n"
    "secretGroup = 1\n"
    "entropy = 3.0\n"
    "keywords = [\"acme_\"]\n"
    "[[rules.allowlists]]\n"
    "regexTarget = \"line\"\n"
    "regexes = ['''ACME_FIXTURE''']\n"
    "[allowlist]\n"
    "paths = ['''(^|/)testdata/''']\n";

static void write_file(const char *path, const char *s)
{
    FILE *f = fopen(path, "w");
    fputs(s, f);
    fclose(f);
}

static void test_gitleaks_config(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/gitleaks.toml", cache_dir);
    write_file(path, gitleaks_cfg);
    vg_opts o;
    opts_init(&o);
    o.secrets_config = path;
    secrets *s = NULL;
    diag_list d = {0};
    CHECK(secrets_open(&o, &s, &d) == VG_OK);
    CHECK_INT(secrets_rule_count(s), 1); /* replaces the defaults, as in gitleaks */
    const char *t1 = "k = acme_live_q8w7e6r5t4y3u2i1o0p9a8s7\n";
    const char *t2 = "k = acme_live_q8w7e6r5t4y3u2i1o0p9a8s7 # ACME_FIXTURE\n";
    secret_match *m;
    size_t n;
    secrets_find(s, (const unsigned char *)t1, strlen(t1), "src/a.py", &m, &n);
    CHECK(has_rule(m, n, "acme-token"));
    free(m);
    secrets_find(s, (const unsigned char *)t2, strlen(t2), "src/a.py", &m, &n);
    CHECK(!has_rule(m, n, "acme-token"));
    free(m);
    secrets_find(s, (const unsigned char *)t1, strlen(t1), "pkg/testdata/a.py", &m, &n);
    CHECK(!has_rule(m, n, "acme-token"));
    free(m);
    secrets_close(s);
    s = NULL;
    /* a rule Hyperscan takes in no mode (a back-reference) still works, by PCRE2 */
    write_file(path, "[[rules]]\nid = \"twice\"\nregex = '''\\b(tok_[a-z0-9]{12})-\\1\\b'''\n"
                     "keywords = [\"tok_\"]\n");
    CHECK(secrets_open(&o, &s, &d) == VG_OK);
    const char *t4 = "x = tok_a1b2c3d4e5f6-tok_a1b2c3d4e5f6\n";
    secrets_find(s, (const unsigned char *)t4, strlen(t4), NULL, &m, &n);
    CHECK(has_rule(m, n, "twice"));
    free(m);
    secrets_close(s);
    s = NULL;
    /* [extend] useDefault keeps the built-in rules */
    char both[2048];
    snprintf(both, sizeof both, "[extend]\nuseDefault = true\n%s", gitleaks_cfg);
    write_file(path, both);
    CHECK(secrets_open(&o, &s, &d) == VG_OK);
    CHECK(secrets_rule_count(s) > 200);
    secrets_close(s);
    s = NULL;
    /* a broken regex is an error with file:line */
    write_file(path, "[[rules]]\nid = \"bad\"\nregex = '''(unclosed'''\n");
    CHECK(secrets_open(&o, &s, &d) != VG_OK);
    CHECK(d.n > 0 && d.v[d.n - 1].line == 1 && strstr(d.v[d.n - 1].message, "bad"));
    secrets_close(s);
    diag_free(&d);
    /* user allowlist (a value) */
    opts_free(&o);
    opts_init(&o);
    str_list_add(&o.secrets_allowlist, "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");
    CHECK(secrets_open(&o, &s, &d) == VG_OK);
    const char *t3 = "x = \"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\"";
    secrets_find(s, (const unsigned char *)t3, strlen(t3), NULL, &m, &n);
    CHECK(!has_rule(m, n, "github-pat"));
    free(m);
    secrets_close(s);
    opts_free(&o);
    diag_free(&d);
}

/* The one database: two families, a corrupt cache is rebuilt. */
static void test_scan_db(void)
{
    diag_list d = {0};
    scan_db *db = scan_db_new();
    CHECK(scan_db_add(db, SCAN_FAM_SECRETS, "foo[0-9]+", 0, 7, "t", NULL, &d) == VG_OK);
    CHECK(scan_db_add(db, SCAN_FAM_PII, "\\d{3}-\\d{2}-\\d{4}", 0, 9, "t", NULL, &d) == VG_OK);
    CHECK(scan_db_add(db, SCAN_FAM_SECRETS, "(?<=x)bar", 0, 8, "t", NULL, &d) == VG_OK);
    CHECK(scan_db_add(db, SCAN_FAM_SECRETS, "a*", 0, 1, "empty-matcher", NULL, &d) == VG_OK);
    CHECK(scan_db_compile(db, cache_dir, &d) == VG_OK);
    CHECK(!scan_db_from_cache(db));
    CHECK_INT(scan_db_mode(db, SCAN_FAM_SECRETS, 7), 0);  /* exact */
    CHECK_INT(scan_db_mode(db, SCAN_FAM_SECRETS, 8), 1);  /* lookbehind: only as a prefilter */
    CHECK_INT(scan_db_mode(db, SCAN_FAM_SECRETS, 1), -1); /* matches the empty string: dropped */
    CHECK_INT(scan_db_mode(db, SCAN_FAM_PII, 99), -2);
    CHECK(d.n == 1 && !strcmp(d.v[0].path, "empty-matcher"));
    scan_scratch *sc = scan_scratch_new(db);
    scan_hits h = {0};
    const char *txt = "foo12 and 123-45-6789 xbar";
    CHECK(scan_buffer(db, sc, (const unsigned char *)txt, strlen(txt), &h) == VG_OK);
    size_t n;
    const scan_hit *v = scan_hits_family(&h, SCAN_FAM_PII, &n);
    CHECK_INT(n, 1);
    if (n) {
        CHECK_INT(v[0].id, 9);
        CHECK_INT(v[0].to, 21);
    }
    v = scan_hits_family(&h, SCAN_FAM_SECRETS, &n);
    CHECK(n >= 2);
    scan_hits_free(&h);
    scan_scratch_free(sc);
    scan_db_free(db);

    /* same set again: from the cache */
    db = scan_db_new();
    scan_db_add(db, SCAN_FAM_SECRETS, "foo[0-9]+", 0, 7, "t", NULL, &d);
    scan_db_add(db, SCAN_FAM_PII, "\\d{3}-\\d{2}-\\d{4}", 0, 9, "t", NULL, &d);
    scan_db_add(db, SCAN_FAM_SECRETS, "(?<=x)bar", 0, 8, "t", NULL, &d);
    scan_db_add(db, SCAN_FAM_SECRETS, "a*", 0, 1, "empty-matcher", NULL, &d);
    CHECK(scan_db_compile(db, cache_dir, &d) == VG_OK);
    CHECK(scan_db_from_cache(db));
    CHECK_INT(scan_db_mode(db, SCAN_FAM_SECRETS, 8), 1); /* modes come back from the cache */
    CHECK_INT(scan_db_mode(db, SCAN_FAM_SECRETS, 1), -1);
    scan_db_free(db);

    /* corrupt every cache file: ignored, rebuilt, still scans */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "for f in %s/hs-*.db; do printf 'garbage' | dd of=$f bs=1 seek=40 conv=notrunc 2>/dev/null; done", cache_dir);
    CHECK(system(cmd) == 0);
    db = scan_db_new();
    scan_db_add(db, SCAN_FAM_SECRETS, "foo[0-9]+", 0, 7, "t", NULL, &d);
    scan_db_add(db, SCAN_FAM_PII, "\\d{3}-\\d{2}-\\d{4}", 0, 9, "t", NULL, &d);
    scan_db_add(db, SCAN_FAM_SECRETS, "(?<=x)bar", 0, 8, "t", NULL, &d);
    scan_db_add(db, SCAN_FAM_SECRETS, "a*", 0, 1, "empty-matcher", NULL, &d);
    CHECK(scan_db_compile(db, cache_dir, &d) == VG_OK);
    CHECK(!scan_db_from_cache(db));
    sc = scan_scratch_new(db);
    memset(&h, 0, sizeof h);
    scan_buffer(db, sc, (const unsigned char *)txt, strlen(txt), &h);
    scan_hits_family(&h, SCAN_FAM_PII, &n);
    CHECK_INT(n, 1);
    scan_hits_free(&h);
    scan_scratch_free(sc);
    scan_db_free(db);
    diag_free(&d);
}

/* scan_trim: the head that can match nothing and the tail past a match's
 * first end are cut; anything it cannot read, or would leave empty, is
 * left as it was. */
static void test_scan_trim(void)
{
    static const char *const cases[][2] = {
        {"foo[0-9]+", "foo[0-9]"},
        {"x[a-z]{4}", "x[a-z]{4}"},                 /* a fixed count: nothing to cut */
        {"(?i)key[a-z]{3,9}?", "(?i)key[a-z]{3}"},
        {"x\\d{2,}+", "x\\d{2}"},
        {"ab*", "a"},
        {"a(?:b|c)*", "a"},
        {"x(?:/[^\\s]{0,512})?", "x"},
        {"x(?:y)?(?:z)?", "x"},
        {"(ab)+", "(ab)"},
        {"[]a]+", "[]a]"},
        {"[^]]*x", "x"},                              /* a class with ] first */
        {"q\\\\+", "q\\\\"},                        /* the escape, not the quantifier */
        {"q\\++", "q\\+"},
        {"a\\x{41}+", "a\\x{41}"},
        {"x[[:alpha:]]{2,5}", "x[[:alpha:]]{2}"},
        {"(?i)\\b[\\w.-]{0,40}?(?:key|tok)x", "(?i)(?:key|tok)x"},
        {"^\\s*foo", "foo"},
        {"(?<=x)y*z", "z"},
        {"(?<=x)y?z", "(?<=x)y?z"},
        {"\\bfoo", "\\bfoo"},                        /* no optional repeat: \b stays */
        {"(?:1[ .-]?)?\\d{3}", "(?:1[ .-]?)?\\d{3}"},/* a lone x? stays */
        {"a*", "a*"},                                /* nothing would be left */
        {"(?i)x?", "(?i)x?"},
        {"\\b(?:a)?", "\\b(?:a)?"},
        {"a?|b", "a?|b"},
        {"a|b*", "a|b*"},
        {"a|b+", "a|b"},
        {"x(?=y)", "x(?=y)"},
        {"a\\b", "a\\b"},
        {"a\\Qb+\\E+", "a\\Qb+\\E+"},                /* not read: left alone */
        {"(a", "(a"},
        {"a)", "a)"},
        {"x\\pL+", "x\\pL"},                      /* \pL is one token */
        {"[[]\\:]\\PP?", "[[]\\:]"},                 /* \PP is one token, optional */
        {"ab{ 3}", "ab{ 3}"},                        /* text to PCRE2, not a count */
        {"ab{+3}", "ab{+3}"},
        {"x\\s*(?#c)+y", "x\\s*(?#c)+y"},         /* comments, x, verbs: left whole */
        {"(?x)a b+", "(?x)a b+"},
        {"(*UTF)ab+", "(*UTF)ab+"},
        {"(a)\\1+", "(a)\\1+"},                  /* a reference to a group */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char b[256];
        snprintf(b, sizeof b, "%s", cases[i][0]);
        scan_trim(b);
        if (strcmp(b, cases[i][1])) fprintf(stderr, "scan_trim(%s) = %s\n", cases[i][0], b);
        CHECK(!strcmp(b, cases[i][1]));
    }
    /* a long optional tail is cut in one pass (it was re-read once a part) */
    {
        size_t parts = 20000;
        char *b = xmalloc(2 * parts + 2);
        b[0] = 'a';
        for (size_t i = 0; i < parts; i++) memcpy(b + 1 + 2 * i, "b?", 2);
        b[1 + 2 * parts] = 0;
        scan_trim(b);
        CHECK_STR(b, "a");
        free(b);
    }
    /* what it is for: a long tail is one hit, not one per byte */
    diag_list d = {0};
    for (int trim = 0; trim < 2; trim++) {
        scan_db *db = scan_db_new();
        CHECK(scan_db_add(db, SCAN_FAM_SECRETS, "pw=[a-z]+", trim ? SCAN_TRIM : 0, 1, "t", NULL,
                          &d) == VG_OK);
        CHECK(scan_db_compile(db, "", &d) == VG_OK);
        scan_scratch *sc = scan_scratch_new(db);
        scan_hits h = {0};
        const char *txt = "pw=abcdefghij and pw=xyz";
        CHECK(scan_buffer(db, sc, (const unsigned char *)txt, strlen(txt), &h) == VG_OK);
        size_t n;
        const scan_hit *v = scan_hits_family(&h, SCAN_FAM_SECRETS, &n);
        CHECK_INT(n, trim ? 2 : 13);
        if (trim && n == 2) {
            CHECK_INT(v[0].to, 4);
            CHECK_INT(v[1].to, 22);
        }
        scan_hits_free(&h);
        scan_scratch_free(sc);
        scan_db_free(db);
    }
    diag_free(&d);
}

/* Every built-in rule is in the Hyperscan database (none fell back to a
 * whole-file PCRE2 run, which would slow every scan). */
static void test_all_rules_in_db(void)
{
    diag_list d = {0};
    scan_db *db = scan_db_new();
    void *st = NULL;
    CHECK(secrets_family.init(NULL, 1, db, &st, &d) == VG_OK);
    CHECK(scan_db_compile(db, "", &d) == VG_OK); /* no cache: compile for real */
    size_t n = secrets_rule_count(st), dropped = 0;
    for (size_t i = 0; i < n; i++)
        if (scan_db_mode(db, SCAN_FAM_SECRETS, (uint32_t)i) < 0) dropped++;
    CHECK_INT(dropped, 1); /* pkcs12-file: a path-only rule has no pattern */
    for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s: %s\n", d.v[i].path, d.v[i].message);
    CHECK_INT(d.n, 0);
    secrets_family.fini(st);
    scan_db_free(db);
    diag_free(&d);
}

/* Inside a scan: the text analyzer reports secret:<slug>, masked. */
static void test_analyzer(void)
{
    vg_opts o;
    opts_init(&o);
    vg_scan s = {0};
    s.opts = &o;
    s.nthreads = 1;
    void *st = NULL;
    diag_list d = {0};
    CHECK(text_analyzer.init(&s, &st, &d) == VG_OK);
    const char *src = "import os\nAWS_ACCESS_KEY_ID = \"AKIAQ3EGXKTZ7NWPLR5Y\"\n"
                      "ok = \"AKIAIOSFODNN7EXAMPLE\"\n"
                      "k2 = \"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\"  # gitleaks:allow\n";
    vg_file f = {0};
    f.path = "app.py";
    f.data = (const unsigned char *)src;
    f.len = strlen(src);
    f.kind = FK_PYTHON;
    vg_out out;
    out_init(&out, &o);
    CHECK(text_analyzer.file(&s, st, &f, &out) == VG_OK);
    int aws = 0, gh_supp = 0;
    for (size_t i = 0; i < out.n; i++) {
        finding *fd = out.v[i];
        if (!strcmp(fd->rule->id, "secret:aws-access-token")) {
            aws++;
            CHECK_INT(fd->line, 2);
            CHECK(fd->rule->cwe[0] == 798);
            CHECK_STR(fd->rule->owasp, "A07:2021");
            CHECK(fd->severity == SEV_CRITICAL);
            CHECK(strstr(fd->snippet, "AKIA****") != NULL);
            CHECK(strstr(fd->snippet, "Q3EGXKTZ") == NULL);
            CHECK(strstr(fd->message, "Q3EGXKTZ") == NULL);
        }
        if (!strcmp(fd->rule->id, "secret:github-pat")) gh_supp += fd->suppressed;
    }
    CHECK_INT(aws, 1);
    CHECK_INT(gh_supp, 1);
    out_free(&out);
    file_lines_free(&f);
    text_analyzer.fini(st);
    diag_free(&d);
    opts_free(&o);
}

int main(void)
{
    if (!mkdtemp(cache_dir)) return 2; /* configs and the small cache tests */
    setenv("XDG_CACHE_HOME", "/tmp/vg-test-cache", 0); /* shared with test_unicode */
    secrets *s = NULL;
    diag_list d = {0};
    vg_status rc = secrets_open(NULL, &s, &d);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%s:%d: %s\n", d.v[i].path ? d.v[i].path : "", d.v[i].line, d.v[i].message);
    CHECK(rc == VG_OK);
    CHECK(d.n == 0);
    diag_free(&d);
    test_cases(s);
    test_formats(s);
    test_entropy(s);
    test_overlap(s);
    secrets_close(s);
    test_gitleaks_config();
    test_scan_db();
    test_scan_trim();
    test_all_rules_in_db();
    test_analyzer();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", cache_dir);
    if (system(cmd) != 0) return 2;
    return T_DONE("test_secrets");
}
