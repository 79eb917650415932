/* vectors.h - run the version-order vectors of ../shared/data/version-order
 * ("A < B", "A > B", "A = B" per line; "//" comments) through a comparator.
 * An absent file is a T_SKIP_SHARED (a failure under VG_REQUIRE_SHARED=1);
 * a file with no vector in it is a failure. */
#ifndef VG_TEST_VECTORS_H
#define VG_TEST_VECTORS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((unused)) static void run_vectors(const char *file, int (*cmp)(const char *, const char *))
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/version-order/%s", t_shared_dir(), file);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        T_SKIP_SHARED("%s absent: its version-order vectors did not run", path);
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
    CHECK_MSG(n > 0, "%s: no vectors in the file", path);
    fprintf(stderr, "%s: %d vectors\n", file, n);
}

#endif
