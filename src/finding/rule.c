/* rule.c - the registry store: every rule of the scan, by id; see rule.h. */
#include "rule.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const rule_meta **rules;
static size_t nrules, caprules;
static int sorted; /* rules[] is in id order: look-ups may bisect */

void registry_add(const rule_meta *r)
{
    for (size_t i = 0; i < nrules; i++)
        if (strcmp(rules[i]->id, r->id) == 0) {
            rules[i] = r;
            return;
        }
    XGROW(rules, caprules, nrules + 1);
    rules[nrules++] = r;
    sorted = nrules < 2 || (sorted && strcmp(rules[nrules - 2]->id, r->id) < 0);
}

static int cmp_rule(const void *a, const void *b)
{
    const rule_meta *x = *(const rule_meta *const *)a, *y = *(const rule_meta *const *)b;
    return strcmp(x->id, y->id);
}

void registry_sort(void)
{
    if (nrules) qsort(rules, nrules, sizeof *rules, cmp_rule);
    sorted = 1;
}

void registry_free(void)
{
    free(rules);
    rules = NULL;
    nrules = caprules = 0;
    sorted = 0;
}

const rule_meta *registry_find(const char *id)
{
    if (!sorted) {
        for (size_t i = 0; i < nrules; i++)
            if (strcmp(rules[i]->id, id) == 0) return rules[i];
        return NULL;
    }
    size_t lo = 0, hi = nrules;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(rules[mid]->id, id);
        if (c == 0) return rules[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

size_t registry_count(void) { return nrules; }
const rule_meta *registry_at(size_t i) { return i < nrules ? rules[i] : NULL; }

int rule_id_matches(const char *id, const char *pat)
{
    size_t n = strlen(pat);
    if (!n) return 0;
    static const char *families[] = {"secret", "pii", "dep", "unicode"};
    for (size_t i = 0; i < sizeof families / sizeof *families; i++)
        if (!strcasecmp(pat, families[i]))
            return !strncasecmp(id, families[i], n) && id[n] == ':';
    return strncmp(id, pat, n) == 0;
}
