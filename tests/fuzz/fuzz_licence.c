/* fuzz_licence.c - libFuzzer target for the licence readers: the first
 * byte picks a declaration (a name or SPDX expression), a list of
 * classifiers, a licence text, a source file's markers, an installed
 * METADATA, or the declaration of a pyproject.toml, PKG-INFO, setup.cfg,
 * setup.py or package.json; every result is checked for sanity. */
#include "deps/licence.h"
#include "deps/manifest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void on_decl(void *ud, const char *field, const char *text, size_t n, int line, int prio,
                    int list)
{
    (void)ud;
    (void)list;
    if (!field || (n && !text) || line < 1 || prio < 1 || prio > 4) abort();
    lic_result r;
    lic_parse_decl(text, n, &r);
}

static void check_result(const lic_result *r)
{
    if (strlen(r->expr) >= sizeof r->expr || (unsigned)r->cat > LC_UNKNOWN) abort();
    if (r->single && !r->known) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    lic_result r;
    static const char *const paths[] = {"pyproject.toml", "PKG-INFO", "setup.cfg", "setup.py",
                                        "package.json"};
    switch (data[0] % 10) {
    case 0: lic_parse_decl(s, n, &r); check_result(&r); break;
    case 1: {
        lic_mark m[8];
        size_t k = lic_find_marks(s, n, m, 8);
        if (k > 8) abort();
        for (size_t i = 0; i < k; i++) {
            if (m[i].start > m[i].end || m[i].end > n) abort();
            check_result(&m[i].lic);
        }
        break;
    }
    case 2: {
        size_t at = 0;
        const char *id = lic_match_text(s, n, &at);
        if (id && (at >= n || lic_id_cat(id) == LC_UNKNOWN)) abort();
        break;
    }
    case 3: lic_parse_list(s, n, &r); check_result(&r); break;
    case 4: {
        manifest m;
        diag_list d = {0};
        manifest_parse(&m, MK_INSTALLED, "x.dist-info/METADATA", s, n, &d);
        for (size_t i = 0; i < m.n; i++)
            if (m.deps[i].licence && (!m.deps[i].licence_field || m.deps[i].licence_line < 1)) abort();
        manifest_free(&m);
        diag_free(&d);
        break;
    }
    default: lic_read_decls(paths[data[0] % 10 - 5], s, n, on_decl, NULL); break;
    }
    return 0;
}
