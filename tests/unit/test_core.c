/* test_core.c - arena, buf, diag, findings (creation, masking, pragmas, order). */
#include "t.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "finding/finding.h"

#include <stdlib.h>

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

int main(void)
{
    /* arena */
    arena a;
    arena_init(&a, 64);
    char *s = arena_strdup(&a, "hello");
    CHECK_STR(s, "hello");
    for (int i = 0; i < 1000; i++) CHECK(((uintptr_t)arena_alloc(&a, 7) & 15) == 0 || i < 0);
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
    CHECK_STR(fd->snippet, "two key=ABCD****");

    /* a secret found on line 2 is masked in the context of a finding on line 1 */
    const char *mtext = "KEY = 'AKIAABCDEFGHIJKLMNOP'\nDB = 'postgres://u:hunter2hunter2@h/d'\n";
    vg_file m = mkfile("c2.py", mtext);
    size_t before = out.n, pw = (size_t)(strstr(mtext, "hunter2") - mtext);
    finding *k1 = out_add(&out, &m, "B999", 1, 1, 1, 1, "key");
    finding *k2 = out_add_span(&out, &m, "secret:test", pw, pw + 14, "db password");
    finding_mask(k2, &m, pw, pw + 14);
    CHECK(strstr(k1->context, "hunter2hunter2") != NULL);
    findings_mask_file(out.v + before, out.n - before, &m);
    CHECK(strstr(k1->context, "hunter2hunter2") == NULL);
    CHECK(strstr(k1->context, "hunt****") != NULL);
    CHECK(strstr(k2->snippet, "hunt****") != NULL);
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
