/* fuzz_ignore.c - libFuzzer target for the gitignore parser and matcher.
 * The input's first line is a path to test; the rest is an ignore file.
 * Any input must parse and match without a crash, leak or hang. */
#include "core/glob.h"
#include "walk/ignore.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t plen = nl ? (size_t)(nl - s) : size;
    if (plen > 1024) plen = 1024;
    char *path = malloc(plen + 1);
    memcpy(path, s, plen);
    path[plen] = 0;
    size_t off = nl ? (size_t)(nl - s) + 1 : size;
    ignore_rules *r = ignore_parse(s + off, size - off);
    (void)ignore_match(r, path, 0);
    (void)ignore_match(r, path, 1);
    (void)glob_match(path, "a/b/c.txt");
    ignore_free(r);
    free(path);
    return 0;
}
