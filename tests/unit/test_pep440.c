/* test_pep440.c - PEP 440 ordering against every vector of
 * ../shared/data/version-order/pypi-*.txt, and specifier matching. */
#include "t.h"
#include "deps/pep440.h"
#include "vectors.h"

static int py_cmp(const char *a, const char *b) { return pep440_cmp_str(a, b); }

int main(void)
{
    run_vectors("pypi-versions.txt", py_cmp);
    run_vectors("pypi-versions-generated.txt", py_cmp);

    pep440_ver v;
    CHECK_INT(pep440_parse("1!2.0.post3.dev4+ubuntu-1", 25, &v), 0);
    CHECK_INT(v.epoch, 1);
    CHECK_INT(v.post, 3);
    CHECK_INT(v.dev, 4);
    CHECK_STR(v.local, "ubuntu.1");
    CHECK_INT(pep440_parse("not-a-version", 13, &v), 1);
    CHECK_INT(pep440_parse("   ", 3, &v), -1);
    CHECK(pep440_cmp_str("1.0", "1.0.0") == 0);
    CHECK(pep440_cmp_str("0.12.01", "0.12.1") == 0);

    static const struct { const char *spec, *ver; int want; } s[] = {
        {"==1.0", "1.0", 1}, {"==1.0", "1.0.0", 1}, {"==1.0", "1.0+local", 1},
        {"==1.0+local", "1.0", 0}, {"==1.*", "1.9", 1}, {"==1.*", "2.0", 0},
        {"!=1.3.*", "1.3.2", 0}, {"!=1.3.*", "1.4", 1}, {"~=2.2", "2.9", 1},
        {"~=2.2", "3.0", 0}, {"~=1.4.5", "1.4.9", 1}, {"~=1.4.5", "1.5.0", 0},
        {">=1.0,<2", "1.5", 1}, {">=1.0, <2", "2.0", 0}, {"<2.0", "2.0rc1", 0},
        {"<2.0rc2", "2.0rc1", 1}, {">1.7", "1.7.post1", 0}, {">1.7.post1", "1.7.post2", 1},
        {">1.7", "1.7+loc", 0}, {">1.7", "1.8", 1}, {"<=1.7", "1.7+loc", 1},
        {"===1.0.0-FOO", "1.0.0-foo", 1}, {"", "3", 1}, {"=>1.0", "1.0", -1},
        {"~=1", "1.0", -1}, {">=1.*", "1.0", -1}, {">=1.0", "legacy-thing", 0},
    };
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        CHECK_MSG(pep440_spec_match(s[i].spec, s[i].ver) == s[i].want, "%s ~ %s", s[i].spec,
                  s[i].ver);
    return T_DONE("pep440");
}
