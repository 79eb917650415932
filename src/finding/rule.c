/* rule.c - the registry store: every rule of the scan, by id; see rule.h. */
#include "rule.h"
#include "../core/suggest.h"
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
    static const char *families[] = {"secret", "pii", "dep", "unicode", "licence"};
    for (size_t i = 0; i < sizeof families / sizeof *families; i++)
        if (!strcasecmp(pat, families[i]))
            return !strncasecmp(id, families[i], n) && id[n] == ':';
    return strncasecmp(id, pat, n) == 0;
}

/* The analyzers as the text summary names them ("by analyzer:"). */
static const char *const analyzer_names[] = {"python", "taint",   "secrets", "pii",
                                             "deps",   "unicode", "licence"};
#define N_ANALYZER_NAMES (sizeof analyzer_names / sizeof *analyzer_names)

int rule_matches(const rule_meta *r, const char *pat)
{
    if (r->analyzer && *pat && !strcasecmp(r->analyzer, pat)) return 1;
    return rule_id_matches(r->id, pat);
}

int registry_selector_known(const char *pat)
{
    if (!*pat) return 0;
    for (size_t i = 0; i < N_ANALYZER_NAMES; i++)
        if (!strcasecmp(pat, analyzer_names[i])) return 1;
    for (size_t i = 0; i < nrules; i++)
        if (rule_matches(rules[i], pat)) return 1;
    return 0;
}

const char *registry_suggest(const char *pat)
{
    static const char *const words[] = {"secret", "pii", "dep", "unicode", "licence", "B", "VG"};
    const char *best = suggest_best(pat, analyzer_names, N_ANALYZER_NAMES);
    if (!best) best = suggest_best(pat, words, sizeof words / sizeof *words);
    if (best) return best;
    /* rule ids, in registry order: the nearest by edit distance */
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < nrules; i++) {
        const char *one[1] = {rules[i]->id};
        if (!suggest_best(pat, one, 1)) continue;
        size_t dist = suggest_distance(pat, rules[i]->id);
        if (dist < bestd) {
            bestd = dist;
            best = rules[i]->id;
        }
    }
    return best;
}
