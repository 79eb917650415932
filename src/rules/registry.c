/* registry.c - the table of all rules; see registry.h. */
#include "registry.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const rule_meta **rules;
static size_t nrules, caprules;
static int initialised;
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

void registry_init(void)
{
    if (initialised) return;
    initialised = 1;
    python_rules_register();
    taint_rules_register();
    secrets_rules_register();
    unicode_rules_register();
    pii_rules_register();
    deps_rules_register();
    registry_sort();
}

void registry_free(void)
{
    free(rules);
    rules = NULL;
    nrules = caprules = 0;
    initialised = 0;
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

const char *severity_str(severity s)
{
    static const char *n[] = {"none", "low", "medium", "high", "critical"};
    return (unsigned)s < 5 ? n[s] : "none";
}

const char *confidence_str(confidence c)
{
    static const char *n[] = {"none", "low", "medium", "high"};
    return (unsigned)c < 4 ? n[c] : "none";
}

severity severity_parse(const char *s)
{
    if (!strcasecmp(s, "low")) return SEV_LOW;
    if (!strcasecmp(s, "medium")) return SEV_MEDIUM;
    if (!strcasecmp(s, "high")) return SEV_HIGH;
    if (!strcasecmp(s, "critical")) return SEV_CRITICAL;
    return SEV_NONE;
}

confidence confidence_parse(const char *s)
{
    if (!strcasecmp(s, "low")) return CONF_LOW;
    if (!strcasecmp(s, "medium")) return CONF_MEDIUM;
    if (!strcasecmp(s, "high")) return CONF_HIGH;
    return CONF_NONE;
}

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
