/* suggest.c - the closest known word to a mistyped one; see suggest.h. */
#include "suggest.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define SUGGEST_MAX_LEN 64

size_t suggest_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > SUGGEST_MAX_LEN || m > SUGGEST_MAX_LEN) return SIZE_MAX;
    size_t d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];
    for (size_t i = 0; i <= n; i++) d[i][0] = i;
    for (size_t j = 0; j <= m; j++) d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t cost = ca != cb;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[n][m];
}

static size_t allowed(const char *word)
{
    size_t n = strlen(word) / 3;
    return n < 1 ? 1 : n > 3 ? 3 : n;
}

static int is_prefix(const char *word, const char *cand)
{
    size_t n = strlen(word);
    return n >= 3 && n < strlen(cand) && !strncasecmp(cand, word, n);
}

/* One candidate against the best so far: prefixes rank as distance 1. */
static void consider(const char *word, const char *cand, const char **best, size_t *bestd)
{
    if (!cand || !*cand) return;
    size_t dist = is_prefix(word, cand) ? 1 : suggest_distance(word, cand);
    if (dist == 0 && strcmp(word, cand)) dist = 1; /* only case differs: still worth saying */
    if (dist <= allowed(word) && dist < *bestd) {
        *best = cand;
        *bestd = dist;
    }
}

const char *suggest_best(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (size_t i = 0; i < n; i++) consider(word, cands[i], &best, &bestd);
    return best;
}

const char *suggest_best_in(const char *word, const void *table, size_t stride)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (const char *p = table;; p += stride) {
        const char *cand;
        memcpy(&cand, p, sizeof cand);
        if (!cand) break;
        consider(word, cand, &best, &bestd);
    }
    return best;
}
