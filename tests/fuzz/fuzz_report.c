/* fuzz_report.c - libFuzzer target for what the reporters do to hostile
 * bytes: the per-file-ignores glob matcher (first line: glob, rest: path),
 * the JSON string escaper (its output must always parse back with jansson)
 * and the terminal escaper (its output must hold no control bytes). */
#include "core/buf.h"
#include "core/glob.h"
#include "fmt/jsonw.h"
#include "report/report.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t glen = nl ? (size_t)(nl - s) : size;
    char *glob = strndup(s, glen);
    size_t off = nl ? glen + 1 : size;
    char *path = strndup(s + off, size - off);
    if (glob && path) (void)glob_covers(glob, path);
    free(glob);
    free(path);

    buf b;
    buf_init(&b, 0);
    jsonw w;
    jsonw_init(&w, &b, 0);
    jsonw_arr(&w);
    jsonw_strn(&w, s, size);
    jsonw_end(&w);
    if (jsonw_finish(&w)) abort();
    json_error_t err;
    json_t *j = json_loadb(b.data, b.len, JSON_ALLOW_NUL, &err);
    if (!j) abort();
    json_decref(j);

    buf_clear(&b);
    report_visible(&b, s, size);
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.data[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) abort();
    }
    buf_free(&b);
    return 0;
}
