/* fuzz_manifest_py.c - libFuzzer target for the Python manifests other than
 * requirements files: the first byte picks pyproject.toml, Pipfile,
 * Pipfile.lock, poetry.lock, uv.lock, pdm.lock or pylock.toml. */
#include "deps/manifest.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    static const struct { manifest_kind k; const char *path; } kinds[] = {
        {MK_PYPROJECT, "pyproject.toml"}, {MK_PIPFILE, "Pipfile"},
        {MK_PIPFILE_LOCK, "Pipfile.lock"}, {MK_POETRY_LOCK, "poetry.lock"},
        {MK_UV_LOCK, "uv.lock"}, {MK_PDM_LOCK, "pdm.lock"}, {MK_PYLOCK, "pylock.toml"}};
    int k = data[0] % 7;
    manifest m;
    diag_list d = {0};
    manifest_parse(&m, kinds[k].k, kinds[k].path, (const char *)data + 1, size - 1, &d);
    for (size_t i = 0; i < m.n; i++)
        if (!m.deps[i].name || m.deps[i].line < 1) abort();
    manifest_free(&m);
    diag_free(&d);
    return 0;
}
