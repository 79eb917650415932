/* test_typosquat.c - the typosquat signals against the built-in popular
 * lists: slips that must fire (with the right target), real names that
 * must not, and the distance function. */
#include "t.h"
#include "deps/names.h"

static void fires(const names *t, name_eco eco, const char *name, const char *target)
{
    typo_hit h;
    int r = typosquat_check(t, eco, name, &h, NULL);
    CHECK_MSG(r == 1, "%s should look like a typosquat", name);
    if (r) {
        CHECK_STR(h.target, target);
        CHECK(h.how[0] != 0);
    }
}

static void silent(const names *t, name_eco eco, const char *name)
{
    typo_hit h;
    int r = typosquat_check(t, eco, name, &h, NULL);
    CHECK_MSG(r == 0, "%s flagged as imitating %s (%s)", name, r ? h.target : "", r ? h.how : "");
}

int main(void)
{
    const names *t = names_get();
    CHECK(names_count(t, NAMES_PYPI) == 15000);
    CHECK(names_count(t, NAMES_NPM) > 15000);
    CHECK(names_rank(t, NAMES_PYPI, "boto3") == 1);
    CHECK(names_rank(t, NAMES_PYPI, "reqeusts") == 0);
    CHECK(names_rank(t, NAMES_NPM, "lodash") > 0);

    fires(t, NAMES_PYPI, "reqeusts", "requests");
    fires(t, NAMES_PYPI, "python-dateutils", "python-dateutil");
    fires(t, NAMES_PYPI, "urlib3", "urllib3");
    fires(t, NAMES_PYPI, "beautifulsoup", "beautifulsoup4");
    fires(t, NAMES_PYPI, "colourama", "colorama");
    fires(t, NAMES_PYPI, "djanga", "django");
    fires(t, NAMES_PYPI, "crypt0graphy", "cryptography");
    fires(t, NAMES_PYPI, "python-requests", "requests");
    fires(t, NAMES_PYPI, "numpy-dev", "numpy");
    fires(t, NAMES_PYPI, "dateutil-python", "python-dateutil");
    fires(t, NAMES_NPM, "lodahs", "lodash");
    fires(t, NAMES_NPM, "expresss", "express");

    typo_hit h;
    CHECK(typosquat_check(t, NAMES_PYPI, "reqeusts", &h, NULL) && h.strong);
    CHECK(typosquat_check(t, NAMES_PYPI, "crypt0graphy", &h, NULL) && strstr(h.how, "'0' for 'o'"));
    CHECK(typosquat_check(t, NAMES_PYPI, "beautifulsoup", &h, NULL) && h.listed);

    silent(t, NAMES_PYPI, "requests");
    silent(t, NAMES_PYPI, "urllib3");
    silent(t, NAMES_PYPI, "python-dateutil");
    silent(t, NAMES_PYPI, "types-requests");
    silent(t, NAMES_PYPI, "flask-cors");
    silent(t, NAMES_PYPI, "pyyaml");
    silent(t, NAMES_PYPI, "abc"); /* too short to judge */
    silent(t, NAMES_PYPI, "zzqxv-internal-tool");
    silent(t, NAMES_NPM, "lodash");
    silent(t, NAMES_NPM, "express");

    int near = 0;
    CHECK(!typosquat_check(t, NAMES_PYPI, "qqqqzzzzwwww", &h, &near) && !near);

    CHECK_INT(names_distance("abcd", 4, "abdc", 4, 2), 1);
    CHECK_INT(names_distance("kitten", 6, "sitting", 7, 5), 3);
    CHECK_INT(names_distance("kitten", 6, "sitting", 7, 2), 3);
    CHECK_INT(names_distance("", 0, "ab", 2, 2), 2);
    names_release();
    return T_DONE("typosquat");
}
