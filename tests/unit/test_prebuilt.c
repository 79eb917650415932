/* test_prebuilt.c - the databases compiled at build time (text/scan.c):
 * a recorded set is found again by key with its patterns' modes, another
 * set misses it and compiles, and a blob from other CPU features, another
 * Hyperscan or a truncated file is refused, so the binary compiles then. */
#include "t.h"
#include "text/scan.h"

#include <stdint.h>

static scan_db *make_set(const char *extra)
{
    diag_list d = {0};
    scan_db *db = scan_db_new();
    scan_db_add(db, SCAN_FAM_SECRETS, "tok_[a-z0-9]{8}", 0, 3, "t", NULL, &d);
    scan_db_add(db, SCAN_FAM_SECRETS, "(?<=x)bar", 0, 4, "t", NULL, &d); /* prefilter */
    if (extra) scan_db_add(db, SCAN_FAM_PII, extra, 0, 5, "t", NULL, &d);
    diag_free(&d);
    return db;
}

static size_t hits_of(scan_db *db, const char *txt)
{
    scan_scratch *sc = scan_scratch_new(db);
    scan_hits h = {0};
    scan_buffer(db, sc, (const unsigned char *)txt, strlen(txt), &h);
    size_t n = h.n;
    scan_hits_free(&h);
    scan_scratch_free(sc);
    return n;
}

int main(void)
{
    diag_list d = {0};
    /* the build step: record one set */
    scan_prebuilt_record();
    scan_db *db = make_set(NULL);
    CHECK(scan_db_compile(db, "", &d) == VG_OK);
    CHECK(!scan_db_prebuilt(db));
    scan_db_free(db);
    unsigned char *blob = NULL;
    size_t len = 0;
    CHECK(scan_prebuilt_take(&blob, &len) == VG_OK);
    CHECK(len > 64);
    unsigned char *again = NULL;
    size_t alen = 0;
    CHECK(scan_prebuilt_take(&again, &alen) == VG_ERR_USAGE); /* taken once */
    CHECK(again == NULL);

    /* the binary: the same set comes from the blob, modes included */
    CHECK_INT(scan_prebuilt_use(blob, len), 1);
    db = make_set(NULL);
    CHECK(scan_db_compile(db, "", &d) == VG_OK);
    CHECK(scan_db_prebuilt(db));
    CHECK(!scan_db_from_cache(db));
    CHECK_INT(scan_db_mode(db, SCAN_FAM_SECRETS, 3), 0);
    CHECK_INT(scan_db_mode(db, SCAN_FAM_SECRETS, 4), 1);
    CHECK_INT(hits_of(db, "a = tok_abcd1234 xbar"), 2);
    scan_db_free(db);

    /* another set (a user rule): not in the blob, compiled */
    db = make_set("\\d{3}-\\d{2}-\\d{4}");
    CHECK(scan_db_compile(db, "", &d) == VG_OK);
    CHECK(!scan_db_prebuilt(db));
    CHECK_INT(hits_of(db, "123-45-6789"), 1);
    scan_db_free(db);

    /* other CPU features: refused, the set compiles */
    unsigned char *alt = malloc(len);
    memcpy(alt, blob, len);
    uint64_t feat;
    memcpy(&feat, alt + 16, 8);
    feat ^= 1u << 10;
    memcpy(alt + 16, &feat, 8);
    CHECK_INT(scan_prebuilt_use(alt, len), 0);
    db = make_set(NULL);
    CHECK(scan_db_compile(db, "", &d) == VG_OK);
    CHECK(!scan_db_prebuilt(db));
    scan_db_free(db);

    /* another Hyperscan version string: refused */
    memcpy(alt, blob, len);
    alt[28] ^= 0x20;
    CHECK_INT(scan_prebuilt_use(alt, len), 0);
    /* malformed: bad magic, truncated header */
    memcpy(alt, blob, len);
    alt[0] = 'X';
    CHECK_INT(scan_prebuilt_use(alt, len), -1);
    CHECK_INT(scan_prebuilt_use(blob, 20), -1);
    /* truncated entries: the header is fine, the lookup finds nothing */
    CHECK_INT(scan_prebuilt_use(blob, len / 2), 1);
    db = make_set(NULL);
    CHECK(scan_db_compile(db, "", &d) == VG_OK);
    CHECK(!scan_db_prebuilt(db));
    CHECK_INT(hits_of(db, "tok_abcd1234"), 1);
    scan_db_free(db);

    scan_prebuilt_use(NULL, 0);
    free(alt);
    free(blob);
    diag_free(&d);
    return T_DONE("test_prebuilt");
}
