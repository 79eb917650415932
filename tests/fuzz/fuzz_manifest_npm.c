/* fuzz_manifest_npm.c - libFuzzer target for the npm manifests: the first
 * byte picks package.json, package-lock.json, yarn.lock or pnpm-lock.yaml;
 * any input gives packages and warnings, never a crash, hang or leak. */
#include "deps/manifest.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    static const struct { manifest_kind k; const char *path; } kinds[] = {
        {MK_PACKAGE_JSON, "package.json"}, {MK_PACKAGE_LOCK, "package-lock.json"},
        {MK_YARN_LOCK, "yarn.lock"}, {MK_PNPM_LOCK, "pnpm-lock.yaml"}};
    int k = data[0] % 4;
    manifest m;
    diag_list d = {0};
    manifest_parse(&m, kinds[k].k, kinds[k].path, (const char *)data + 1, size - 1, &d);
    for (size_t i = 0; i < m.n; i++)
        if (!m.deps[i].name || m.deps[i].line < 1) abort();
    manifest_free(&m);
    diag_free(&d);
    return 0;
}
