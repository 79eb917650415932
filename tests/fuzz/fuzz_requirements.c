/* fuzz_requirements.c - libFuzzer target for pip requirements files: any
 * input yields a package list and warnings, never a crash, hang or leak. */
#include "deps/manifest.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    manifest m;
    diag_list d = {0};
    manifest_parse(&m, MK_REQUIREMENTS, "requirements.txt", (const char *)data, size, &d);
    for (size_t i = 0; i < m.n; i++)
        if (!m.deps[i].name || !m.deps[i].spec || m.deps[i].line < 1) abort();
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].level != DIAG_WARNING) abort();
    manifest_free(&m);
    diag_free(&d);
    return 0;
}
