/* vectors.h - run the version-order vectors of ../shared/data/version-order
 * ("A < B", "A > B", "A = B" per line; "//" comments) through a comparator.
 * Skips with a message when the shared data is absent. */
#ifndef VG_TEST_VECTORS_H
#define VG_TEST_VECTORS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((unused)) static const char *vectors_dir(void)
{
    const char *d = getenv("VG_SHARED_DATA");
    return d ? d : "../shared/data";
}

__attribute__((unused)) static void run_vectors(const char *file, int (*cmp)(const char *, const char *))
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/version-order/%s", vectors_dir(), file);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "skip: %s absent\n", path);
        return;
    }
    int n = 0;
    while (fgets(line, sizeof line, fp)) {
        char a[512], op[8], b[512];
        if (line[0] == '/' || sscanf(line, "%511s %7s %511s", a, op, b) != 3) continue;
        int want = op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0;
        int got = cmp(a, b), back = cmp(b, a);
        got = got < 0 ? -1 : got > 0;
        back = back < 0 ? -1 : back > 0;
        CHECK_MSG(got == want && back == -want, "%s: %s %s %s (got %d, reverse %d)", file, a, op,
                  b, got, back);
        n++;
    }
    fclose(fp);
    fprintf(stderr, "%s: %d vectors\n", file, n);
}

#endif
