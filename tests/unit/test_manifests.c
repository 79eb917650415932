/* test_manifests.c - one fixture per manifest format
 * (tests/fixtures/deps/manifests/): every package with its version or
 * specifier and line, the unsafe sources, and malformed files giving a
 * warning with file:line instead of a crash. */
#include "t.h"
#include "core/buf.h"
#include "deps/manifest.h"

#include <stdlib.h>

#define DIR "tests/fixtures/deps/manifests/"

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    buf b;
    buf_init(&b, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(&b, chunk, n);
    fclose(fp);
    *len = b.len;
    return buf_detach(&b);
}

/* "name version-or-spec line flags" per package, then "! kind line text" per issue. */
static char *dump(const char *rel, diag_list *d, manifest *keep)
{
    char path[256];
    snprintf(path, sizeof path, DIR "%s", rel);
    size_t len = 0;
    char *data = slurp(path, &len);
    if (!data) {
        fprintf(stderr, "missing fixture %s\n", path);
        return strdup("");
    }
    manifest m;
    manifest_parse(&m, manifest_kind_of(path), path, data, len, d);
    buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < m.n; i++) {
        const dep *p = &m.deps[i];
        buf_printf(&b, "%s %s %d%s%s%s%s%s\n", p->name, p->version ? p->version : p->spec[0] ? p->spec : "-",
                   p->line, p->flags & DEP_LOCKED ? " L" : "", p->flags & DEP_HASHED ? " H" : "",
                   p->flags & DEP_URL ? " U" : "", p->flags & DEP_APP ? " A" : "",
                   p->flags & DEP_DEV ? " D" : "");
    }
    static const char *const kinds[] = {"http", "trusted", "vcs"};
    for (size_t i = 0; i < m.nissues; i++)
        buf_printf(&b, "! %s %d %s\n", kinds[m.issues[i].kind], m.issues[i].line, m.issues[i].text);
    if (keep) *keep = m;
    else manifest_free(&m);
    free(data);
    return buf_detach(&b);
}

static void expect(const char *rel, const char *want)
{
    diag_list d = {0};
    char *got = dump(rel, &d, NULL);
    CHECK_STR(got, want);
    CHECK_MSG(d.n == 0, "%s: %zu unexpected diags (first: %s)", rel, d.n, d.n ? d.v[0].message : "");
    free(got);
    diag_free(&d);
}

static void malformed(const char *rel, int line)
{
    diag_list d = {0};
    char *got = dump(rel, &d, NULL);
    CHECK_MSG(d.n >= 1, "%s: no warning", rel);
    if (d.n) {
        CHECK_INT(d.v[0].level, DIAG_WARNING);
        CHECK_MSG(d.v[0].line == line, "%s: warning at line %d, want %d (%s)", rel, d.v[0].line, line,
                  d.v[0].message);
        CHECK(strstr(d.v[0].path, rel) != NULL);
    }
    free(got);
    diag_free(&d);
}

int main(void)
{
    CHECK_INT(manifest_kind_of("a/requirements-dev.txt"), MK_REQUIREMENTS);
    CHECK_INT(manifest_kind_of("requirements/prod.txt"), MK_REQUIREMENTS);
    CHECK_INT(manifest_kind_of("x/constraints.txt"), MK_REQUIREMENTS);
    CHECK_INT(manifest_kind_of("notes.txt"), MK_NONE);
    CHECK_INT(manifest_kind_of("web/package.json"), MK_PACKAGE_JSON);
    CHECK_INT(manifest_kind_of("node_modules/x/package.json"), MK_NONE);
    CHECK_INT(manifest_kind_of("pylock.dev.toml"), MK_PYLOCK);
    CHECK_INT(manifest_kind_of("npm-shrinkwrap.json"), MK_PACKAGE_LOCK);

    manifest m;
    diag_list d = {0};
    char *got = dump("req/requirements.txt", &d, &m);
    CHECK_STR(got,
              "flask 0.12.2 7 A\n"
              "requests >=2.0 8 A\n"
              "Django 3.2.0 9 H A\n"
              "proj - 11 U A\n"
              "pkg git+https://github.com/org/pkg.git@0123456789abcdef0123456789abcdef01234567 12 U A\n"
              "urllib3 1.26.4 13 A\n"
              "reqeusts - 15 A\n"
              "! http 3 http://mirror.internal/simple\n"
              "! trusted 4 mirror.internal\n"
              "! vcs 11 git+https://github.com/org/proj.git@main#egg=proj\n");
    CHECK_INT(m.nincludes, 2);
    if (m.nincludes == 2) {
        CHECK_STR(m.includes[0], "base.in");
        CHECK_STR(m.includes[1], "constraints.txt");
        CHECK_INT(m.include_constraint[1], 1);
    }
    CHECK_INT(m.private_index, 1);
    if (m.n > 2) CHECK_INT(m.deps[2].col, 1);
    if (m.n > 1) CHECK_INT(m.deps[1].end_col, 9);
    manifest_free(&m);
    free(got);
    CHECK_INT(d.n, 0);
    diag_free(&d);

    expect("pyproject/pyproject.toml",
           "httpx >=0.27 4\n"
           "jinja2 2.10 5\n"
           "private-lib git+https://example.com/private-lib.git@v1.0 6 U\n"
           "pyyaml >=6 10\n"
           "pytest 8.0.0 13 D\n"
           "flask 2.0.0 17\n"
           "pillow ^9.0 18\n"
           "! vcs 6 git+https://example.com/private-lib.git@v1.0\n"
           "! vcs 21 git+https://example.com/private-lib.git@v1.0\n");
    expect("pipfile/Pipfile",
           "requests * 7\n"
           "flask 1.0 8\n"
           "mylib - 9 U\n"
           "pytest >=7 12 D\n"
           "! http 1 http://pypi.example.com/simple\n"
           "! trusted 1 http://pypi.example.com/simple\n");
    expect("pipfile/Pipfile.lock",
           "flask 1.0 8 L H\n"
           "jinja2 2.10 12 L\n"
           "pytest 7.0.0 17 L D\n");
    expect("poetry/poetry.lock",
           "flask 0.12.2 2 L\n"
           "mylib 1.0.0 8 L U\n");
    expect("uv/uv.lock",
           "jinja2 2.10 10 L\n"
           "tool 1.0 15 L U\n");
    expect("pdm/pdm.lock", "requests 2.2.0 5 L\n");
    expect("pylock/pylock.toml",
           "urllib3 1.26.4 5 L\n"
           "tool - 10 L U\n"
           "! vcs 10 git+https://github.com/org/tool.git\n");
    expect("npm/package.json",
           "lodash 4.17.20 4\n"
           "express ^4.18.0 5\n"
           "my-fork github:org/my-fork#main 6 U\n"
           "minimist 1.2.0 7\n"
           "local file:../local 8 U\n"
           "lodahs ^1.0.0 11 D\n"
           "! vcs 6 github:org/my-fork#main\n");
    expect("npm/package-lock.json",
           "lodash 4.17.20 6 L\n"
           "debug 2.6.9 10 L D\n"
           "! http 10 http://registry.npmjs.org/debug/-/debug-2.6.9.tgz\n");
    expect("npm-v1/package-lock.json",
           "minimist 1.2.0 5 L\n"
           "nested 0.1.0 8 L\n"
           "gitdep git+https://github.com/org/gitdep.git#main 11 L U\n"
           "! vcs 11 git+https://github.com/org/gitdep.git#main\n");
    expect("yarn/yarn.lock",
           "@babel/code-frame 7.12.13 5 L\n"
           "lodash 4.17.15 11 L\n"
           "! http 13 http://registry.yarnpkg.com/lodash/-/lodash-4.17.15.tgz\n");
    expect("yarn-berry/yarn.lock", "lodash 4.17.20 5 L\n");
    expect("pnpm/pnpm-lock.yaml",
           "lodash 4.17.20 10 L\n"
           "@babel/core 7.22.0 14 L D\n");
    expect("pnpm9/pnpm-lock.yaml",
           "minimist 1.2.0 5 L\n"
           "left-pad 1.3.0 8 L\n"
           "! http 8 http://example.com/left-pad-1.3.0.tgz\n");

    malformed("bad/package.json", 4);
    malformed("bad/pyproject.toml", 4);
    malformed("bad/requirements.txt", 2);
    malformed("bad/yarn.lock", 3);
    malformed("bad/pnpm-lock.yaml", 3);

    /* PEP 508 */
    pep508 r;
    CHECK_INT(pep508_parse("Foo.Bar [x,y] (>=1.0, <2) ; os_name == 'nt'", 44, &r), 0);
    CHECK_INT((int)r.name_len, 7);
    CHECK_STR(r.spec, ">=1.0,<2");
    CHECK_INT(pep508_parse(">=1.0", 5, &r), -1);
    CHECK_INT(pep508_parse("req\xc3\xa9" "ests==1.0", 14, &r), -1);
    CHECK_INT(pep508_parse("flask 1.0", 9, &r), -1);
    CHECK_INT(pep508_parse("flask ==1.*", 11, &r), 0);
    char ex[64];
    CHECK(pep440_exact("==1.2.3", ex, sizeof ex) && !strcmp(ex, "1.2.3"));
    CHECK(pep440_exact("==1.2.*", ex, sizeof ex) == NULL);
    CHECK(pep440_exact(">=1,==2", ex, sizeof ex) == NULL);
    return T_DONE("manifests");
}
