/* policy.c - the file-class policy of policy.def; see policy.h. */
#include "policy.h"
#include "../finding/rule.h"

#include <stdlib.h>

enum { REVIEW, DROP };
#define C(cls) (1u << (cls))
#define ANY (~0u)

typedef struct policy {
    const char *rule;
    unsigned classes;
    int action;
    const char *why;
} policy;

static const policy table[] = {
#define POLICY(rule, classes, action, why) {rule, classes, action, why},
#include "policy.def"
#undef POLICY
};

/* The "why" of the first policy line for (rule id, class), or NULL; *drop
 * tells whether that line drops the finding. */
static const char *policy_lookup(const char *rule_id, file_class cls, int *drop)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const policy *p = &table[i];
        if (!(p->classes & C(cls)) || !rule_id_matches(rule_id, p->rule)) continue;
        *drop = p->action == DROP;
        return p->why;
    }
    *drop = 0;
    return NULL;
}

size_t policy_apply(vg_out *out)
{
    size_t w = 0;
    for (size_t r = 0; r < out->n; r++) {
        finding *f = out->v[r];
        int drop = 0;
        const char *why = f->agent ? NULL : policy_lookup(f->rule->id, f->cls, &drop);
        /* a comment or docstring is documentation, whatever the file */
        if (!why && !f->agent && f->in_doc) why = policy_lookup(f->rule->id, FC_DOCS, &drop);
        if (why && drop) {
            finding_free(f);
            continue;
        }
        if (why && f->tier == TIER_ISSUE) {
            f->tier = TIER_REVIEW;
            f->tier_why = why;
        }
        out->v[w++] = f;
    }
    size_t dropped = out->n - w;
    out->n = w;
    return dropped;
}
