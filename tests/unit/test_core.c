/* test_core.c - arena, buf, utf8, atomic writes, line tables, diag,
 * findings (creation, masking, pragmas, order). */
#include "t.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/fsutil.h"
#include "core/lines.h"
#include "core/sort.h"
#include "core/suggest.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "finding/finding.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

static const rule_meta r_test = {.id = "B999", .title = "test", .severity = SEV_MEDIUM,
                                 .confidence = CONF_HIGH, .cwe = {89}, .owasp = "A03:2021"};
static const rule_meta r_secret = {.id = "secret:test", .title = "test secret",
                                   .severity = SEV_HIGH, .confidence = CONF_HIGH, .cwe = {798}};

static vg_file mkfile(const char *path, const char *text)
{
    vg_file f = {0};
    f.path = path;
    f.data = (const unsigned char *)text;
    f.len = strlen(text);
    return f;
}


/* utf8_decode_ex of the bytes in s (NUL-terminated) with flags: the length,
 * and the code point in *cp. */
static size_t dec(const char *s, unsigned flags, uint32_t *cp)
{
    *cp = 0xFFFFFFFF;
    return utf8_decode_ex((const unsigned char *)s, strlen(s), cp, flags);
}

static void test_utf8(void)
{
    uint32_t cp;
    CHECK(dec("A", UTF8_STRICT, &cp) == 1 && cp == 'A');
    CHECK(dec("\xC3\xA9", UTF8_STRICT, &cp) == 2 && cp == 0xE9);
    CHECK(dec("\xE2\x80\xAE", UTF8_STRICT, &cp) == 3 && cp == 0x202E);
    CHECK(dec("\xF4\x8F\xBF\xBF", UTF8_STRICT, &cp) == 4 && cp == 0x10FFFF);
    /* strict refuses continuation bytes, truncation, overlongs, surrogates, > U+10FFFF */
    static const char *const bad[] = {"\x80", "\xC3", "\xE2\x80", "\xC3(", "\xC0\xAF",
                                      "\xC1\xBF", "\xE0\x9F\xBF", "\xF0\x8F\xBF\xBF",
                                      "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
                                      "\xF8\x90\x80\x80", "\xFF"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_MSG(dec(bad[i], UTF8_STRICT, &cp) == 0 && cp == 0xFFFFFFFF, "bad[%zu]", i);
        CHECK_MSG(dec(bad[i], UTF8_SURROGATES, &cp) == (i == 8 ? 3u : 0u), "bad[%zu]", i);
    }
    CHECK(dec("\xED\xA0\x80", UTF8_SURROGATES, &cp) == 3 && cp == 0xD800);
    /* lax: the shape only */
    CHECK(dec("\xC0\xAF", UTF8_LAX, &cp) == 2 && cp == '/');
    CHECK(dec("\xF8\x90\x80\x80", UTF8_LAX, &cp) == 4 && cp == 0x10000);
    CHECK(dec("\xF4\x90\x80\x80", UTF8_LAX, &cp) == 4 && cp == 0x110000);
    CHECK(dec("\x80", UTF8_LAX, &cp) == 0);
    CHECK(dec("\xE2\x80", UTF8_LAX, &cp) == 0);
    /* encode round-trips, surrogates as WTF-8 */
    static const uint32_t cps[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD800, 0xFFFF, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        char o[4];
        size_t n = utf8_encode(cps[i], o);
        uint32_t back;
        CHECK_MSG(utf8_decode_ex((const unsigned char *)o, n, &back, UTF8_SURROGATES) == n &&
                      back == cps[i], "U+%04X", (unsigned)cps[i]);
    }
    buf b;
    buf_init(&b, 0);
    utf8_put(&b, 0x20AC);
    CHECK_STR(b.data, "\xE2\x82\xAC");
    buf_free(&b);
    /* counting: every byte that is not a continuation byte */
    const unsigned char *t = (const unsigned char *)"a\xC3\xA9\xE2\x82\xAC\x80z";
    CHECK(utf8_count(t, 8) == 4);
    CHECK(utf8_skip(t, 8, 0) == 0);
    CHECK(utf8_skip(t, 8, 2) == 3);
    CHECK(utf8_skip(t, 8, 3) == 7);
    CHECK(utf8_skip(t, 8, 9) == 8);
    CHECK(utf8_back(t, 6) == 3);
    CHECK(utf8_back(t, 1) == 0);
    CHECK(utf8_back(t, 0) == 0);
}

/* Entries of dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *dp = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (dp && (e = readdir(dp)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (dp) closedir(dp);
    return n;
}

static void test_fs_atomic(void)
{
    char dir[] = "/tmp/vg-test-atomic-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *path = xasprintf("%s/out.json", dir);
    diag_list d = {0};
    CHECK(fs_write_atomic(path, "one", 3, 0640, "cannot write output", &d) == VG_OK);
    CHECK(fs_write_atomic(path, "two!", 4, 0640, "cannot write output", &d) == VG_OK);
    char *data;
    size_t len;
    CHECK(fs_read_all(path, 0, &data, &len) == VG_OK && len == 4 && !memcmp(data, "two!", 4));
    free(data);
    struct stat st;
    mode_t um = umask(022);
    umask(um);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == (0640 & ~um));
    CHECK(fs_read_all(path, 3, &data, &len) == VG_ERR_LIMIT && data == NULL);
    CHECK_INT(count_prefixed(dir, "out.json."), 0);
    CHECK_INT((int)d.n, 0);
    /* a streamed write that is aborted leaves the old file and no temporary */
    fs_atomic a;
    CHECK(fs_atomic_open(&a, path, 0644, "cannot write", &d) == VG_OK);
    CHECK(fs_atomic_write(&a, "partial", 7) == 0);
    CHECK_INT(count_prefixed(dir, "out.json."), 1);
    fs_atomic_abort(&a);
    CHECK_INT(count_prefixed(dir, "out.json."), 0);
    CHECK(fs_read_all(path, 0, &data, &len) == VG_OK && len == 4);
    free(data);
    /* a directory is refused, a missing directory fails with errno in the diag */
    CHECK(fs_write_atomic(dir, "x", 1, 0644, "cannot write output", &d) == VG_ERR_IO);
    CHECK(d.n == 1 && strstr(d.v[0].message, "cannot write output: ") != NULL);
    char *missing = xasprintf("%s/no/such.json", dir);
    CHECK(fs_write_atomic(missing, "x", 1, 0644, "cannot write output", &d) == VG_ERR_IO);
    CHECK(d.n == 2 && strstr(d.v[1].message, "No such file") != NULL);
    /* a device is written in place */
    CHECK(fs_write_atomic("/dev/null", "x", 1, 0644, "cannot write output", &d) == VG_OK);
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    diag_free(&d);
    unlink(path);
    rmdir(dir);
    free(missing);
    free(path);
}

static void test_lines(void)
{
    const unsigned char *t = (const unsigned char *)"a\r\nbb\rc\n\nlast";
    size_t n, *st = lines_build(t, 14, 0, &n);
    CHECK_INT((int)n, 5);
    static const size_t want[] = {0, 3, 6, 8, 9};
    for (size_t i = 0; i < 5 && i < n; i++) CHECK_MSG(st[i] == want[i], "line %zu", i + 1);
    CHECK(lines_find(st, n, 0) == 0 && lines_find(st, n, 2) == 0 && lines_find(st, n, 3) == 1);
    CHECK(lines_find(st, n, 7) == 2 && lines_find(st, n, 8) == 3 && lines_find(st, n, 99) == 4);
    free(st);
    /* a short guess is scanned again; a BOM offset starts line 1 */
    char many[3000];
    memset(many, '\n', sizeof many);
    st = lines_build((const unsigned char *)many, sizeof many, 3, &n);
    CHECK(n == sizeof many - 3 + 1 && st[0] == 3 && st[n - 1] == sizeof many);
    free(st);
    size_t small[2];
    CHECK(lines_scan((const unsigned char *)"x\ny\nz", 5, 0, small, 2) == 3 && small[1] == 2);
}

/* "did you mean": transpositions, prefixes, case, and nothing when far */
static void test_suggest(void)
{
    static const char *const cmds[] = {"scan", "rules", "deps", "redact", "restore", "pii"};
    CHECK(suggest_distance("fromat", "format") == 1);
    CHECK(suggest_distance("B6O2", "b602") == 1);
    CHECK(suggest_distance("", "abc") == 3);
    CHECK_STR(suggest_best("scna", cmds, 6), "scan");
    CHECK_STR(suggest_best("restor", cmds, 6), "restore");
    CHECK_STR(suggest_best("SCAN", cmds, 6), "scan");
    CHECK(suggest_best("frobnicate", cmds, 6) == NULL);
    CHECK(suggest_best("x", cmds, 6) == NULL);
    static const struct { const char *name; int id; } opts[] = {{"format", 1}, {"update-db", 2}, {NULL, 0}};
    CHECK_STR(suggest_best_in("update", opts, sizeof *opts), "update-db");
    CHECK_STR(suggest_best_in("fromat", opts, sizeof *opts), "format");
    CHECK(suggest_best_in("quiet", opts, sizeof *opts) == NULL);
}

/* ruff's noqa S-codes and detect-secrets' nextline pragma */
static void test_peer_pragmas(void)
{
    vg_file f = mkfile("p.py",
                       "run(c, shell=True)  # noqa: S602\n"          /* 1 */
                       "run(c, shell=True)  # noqa: E501,S602 ok\n"  /* 2 */
                       "run(c, shell=True)  # noqa: S603\n"          /* 3 */
                       "run(c, shell=True)  # noqa\n"                /* 4 */
                       "# pragma: allowlist nextline secret\n"       /* 5 */
                       "KEY = 'x'\n"                                  /* 6 */
                       "KEY = 'y'\n");                                /* 7 */
    CHECK(pragma_suppresses(&f, 1, 1, "B602"));
    CHECK(pragma_suppresses(&f, 2, 2, "B602"));
    CHECK(!pragma_suppresses(&f, 3, 3, "B602"));
    CHECK(pragma_suppresses(&f, 3, 3, "B603"));
    CHECK(!pragma_suppresses(&f, 4, 4, "B602"));            /* a bare noqa is a lint waiver */
    CHECK(!pragma_suppresses(&f, 1, 1, "VG702"));            /* S602 is Bandit's B602 only */
    CHECK(pragma_suppresses(&f, 6, 6, "secret:generic-api-key"));
    CHECK(pragma_suppresses(&f, 6, 6, "B105"));
    CHECK(!pragma_suppresses(&f, 6, 6, "B602"));              /* secrets only */
    CHECK(!pragma_suppresses(&f, 7, 7, "secret:generic-api-key")); /* the next line only */
    file_lines_free(&f);
}

/* sort_stable against qsort with the input position as the last key:
 * random keys, few keys, runs in order one after another, one run. */
typedef struct sort_el {
    int k, idx;
    char pad[40]; /* the size of the sorted records (a candidate, a match) */
} sort_el;

static int sort_cmp_k(const void *a, const void *b)
{
    const sort_el *x = a, *y = b;
    return (x->k > y->k) - (x->k < y->k);
}

static int sort_cmp_ki(const void *a, const void *b)
{
    const sort_el *x = a, *y = b;
    int c = sort_cmp_k(a, b);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static void test_sort_stable(void)
{
    srand(1);
    int bad = 0;
    for (int t = 0; t < 3000 && !bad; t++) {
        int n = rand() % 300, mod = 1 + rand() % 50, mode = t % 4;
        sort_el *a = xmalloc_n((size_t)n + 1, sizeof *a), *b = xmalloc_n((size_t)n + 1, sizeof *b);
        for (int i = 0; i < n; i++) {
            a[i].k = mode == 0 ? rand() % mod : mode == 1 ? (i / (1 + rand() % 5)) % mod
                   : mode == 2 ? i % (1 + n / 3) : i;
            a[i].idx = i;
        }
        memcpy(b, a, (size_t)n * sizeof *a);
        sort_stable(a, (size_t)n, sizeof *a, sort_cmp_k);
        qsort(b, (size_t)n, sizeof *b, sort_cmp_ki);
        for (int i = 0; i < n && !bad; i++) bad = a[i].k != b[i].k || a[i].idx != b[i].idx;
        free(a);
        free(b);
    }
    CHECK(!bad);
}

int main(void)
{
    test_utf8();
    test_sort_stable();
    test_peer_pragmas();
    test_suggest();
    test_fs_atomic();
    test_lines();

    /* arena */
    arena a;
    arena_init(&a, 64);
    char *s = arena_strdup(&a, "hello");
    CHECK_STR(s, "hello");
    char *prev = NULL;
    for (int i = 0; i < 1000; i++) {
        char *p = arena_alloc(&a, 7);
        CHECK(((uintptr_t)p & 7) == 0);  /* 8-byte aligned: AST nodes of 8n bytes pack tight */
        CHECK(!prev || p >= prev + 8 || p + 7 <= prev);
        prev = p;
    }
#ifdef __SANITIZE_ADDRESS__
    /* the bytes after an allocation stay poisoned, so reading a node past
     * its kind's size is reported */
    char *rz = arena_alloc(&a, 40);
    CHECK(!__asan_address_is_poisoned(rz + 39) && __asan_address_is_poisoned(rz + 40));
    arena_alloc(&a, 8);
    CHECK(__asan_address_is_poisoned(rz + 40));
#endif
    arena_reset(&a);
    CHECK(a.total == 0);
    arena_free(&a);

    /* buf with a cap */
    buf b;
    buf_init(&b, 8);
    CHECK(buf_puts(&b, "12345678") == VG_OK);
    CHECK(buf_putc(&b, '9') == VG_ERR_LIMIT);
    CHECK_STR(b.data, "12345678");
    buf_free(&b);

    registry_add(&r_test);
    registry_add(&r_secret);
    vg_opts o;
    opts_init(&o);
    vg_out out;
    out_init(&out, &o);

    /* positions: code-point columns, context lines */
    vg_file f = mkfile("a.py", "x = 1\ny = 'é' + q  # trailing\nz = 3\n");
    finding *fd = out_add(&out, &f, "B999", 2, 13, 2, 14, "found %d", 1);
    CHECK_STR(fd->message, "found 1");
    CHECK_INT(fd->line, 2);
    CHECK_INT(fd->col, 12);
    CHECK_STR(fd->snippet, "y = 'é' + q  # trailing");
    CHECK_INT(fd->context_line, 1);
    CHECK_STR(fd->context, "x = 1\ny = 'é' + q  # trailing\nz = 3");
    CHECK(!fd->suppressed);

    /* spans over a CRLF file */
    vg_file g = mkfile("b.txt", "one\r\ntwo key=ABCDEFGH\r\nthree\r\n");
    fd = out_add_span(&out, &g, "secret:test", 13, 21, "secret");
    CHECK_INT(fd->line, 2);
    CHECK_INT(fd->col, 9);
    finding_mask(fd, &g, 13, 21);
    CHECK_STR(fd->snippet, "two key=****"); /* 8 characters: nothing shown */

    /* a secret found on line 2 is masked in the context of a finding on line 1 */
    const char *mtext = "KEY = 'AKIAABCDEFGHIJKLMNOP'\nDB = 'postgres://u:hunter2hunter2@h/d'\n";
    vg_file m = mkfile("c2.py", mtext);
    size_t before = out.n, pw = (size_t)(strstr(mtext, "hunter2") - mtext);
    finding *k1 = out_add(&out, &m, "B999", 1, 1, 1, 1, "key");
    finding *k2 = out_add_span(&out, &m, "secret:test", pw, pw + 14, "db password");
    finding_mask(k2, &m, pw, pw + 14);
    CHECK(strstr(k1->context, "hunter2hunter2") != NULL);
    findings_mask_file(out.v + before, out.n - before, &m, NULL);
    CHECK(strstr(k1->context, "hunter2hunter2") == NULL);
    CHECK(strstr(k1->context, "hun****") != NULL); /* 14 characters: a quarter is 3 */
    CHECK(strstr(k2->snippet, "hun****") != NULL);
    file_lines_free(&m);

    /* pragmas */
    vg_file p = mkfile("c.py", "a()  # nosec\nb()  # nosec B602, B607\nc()  # vibeguard: ignore[B9]\n"
                               "k='x'  # gitleaks:allow\nd()\n");
    CHECK(pragma_suppresses(&p, 1, 1, "B999"));
    CHECK(pragma_suppresses(&p, 2, 2, "B602"));
    CHECK(!pragma_suppresses(&p, 2, 2, "B999"));
    CHECK(pragma_suppresses(&p, 3, 3, "B999"));
    CHECK(!pragma_suppresses(&p, 3, 3, "B602"));
    CHECK(pragma_suppresses(&p, 4, 4, "secret:test"));
    CHECK(!pragma_suppresses(&p, 4, 4, "B999"));
    CHECK(!pragma_suppresses(&p, 5, 5, "B999"));

    /* "# nosec VG101" names a rule (not a bare nosec); a pragma at the very
     * end of a file without a newline is read within its bytes */
    vg_file q = mkfile("q.py", "a()  # nosec VG101\nb()  # nosec secret:aws-access-token\n"
                               "c()  # nosec because it is a constant\n");
    CHECK(pragma_suppresses(&q, 1, 1, "VG101"));
    CHECK(!pragma_suppresses(&q, 1, 1, "B602"));
    CHECK(pragma_suppresses(&q, 2, 2, "secret:aws-access-token"));
    CHECK(!pragma_suppresses(&q, 2, 2, "VG101"));
    CHECK(pragma_suppresses(&q, 3, 3, "B602"));
    file_lines_free(&q);
    static const char *const tails[] = {"x()  # nosec B", "x()  # nosec", "x()  # nosec V",
                                        "x()  # nosec secret:", "x()  # vibeguard: ignore[B"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t tn = strlen(tails[i]);
        char *exact = malloc(tn); /* no NUL after the data: ASan sees any overread */
        memcpy(exact, tails[i], tn);
        vg_file t = {.path = "t.py", .data = (const unsigned char *)exact, .len = tn};
        CHECK(pragma_suppresses(&t, 1, 1, "B602"));
        file_lines_free(&t);
        free(exact);
    }

    /* fingerprints ignore line moves, order is deterministic */
    vg_file h1 = mkfile("d.py", "q = f'select {x}'\n");
    vg_file h2 = mkfile("d.py", "\n\n   q = f'select {x}'\n");
    finding *f1 = out_add(&out, &h1, "B999", 1, 5, 1, 5, "m");
    finding *f2 = out_add(&out, &h2, "B999", 3, 8, 3, 8, "m");
    CHECK(f1->fingerprint == f2->fingerprint);
    findings_sort(out.v, out.n);
    CHECK_STR(out.v[0]->path, "a.py");
    CHECK_STR(out.v[out.n - 1]->path, "d.py");
    CHECK(out.v[out.n - 2]->line < out.v[out.n - 1]->line);

    file_lines_free(&f);
    file_lines_free(&g);
    file_lines_free(&p);
    file_lines_free(&h1);
    file_lines_free(&h2);
    out_free(&out);
    opts_free(&o);
    registry_free();
    return T_DONE("core");
}
