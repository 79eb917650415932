/* rule.h - the rule record and the registry store that holds every rule.
 *
 * Each analyzer family registers its rules here before a scan starts
 * (single threaded; the list of families and the call that registers them
 * all, families_register, live in the composition root, src/scan/families.c);
 * afterwards the registry is read-only and
 * shared by all workers.  Rule ids: `B608` (Bandit's ids), `VGnnn` (our
 * code rules), `secret:<slug>`, `pii:<ENTITY>`, `dep:<kind>`,
 * `unicode:<kind>`.  A registered rule_meta must outlive the registry
 * (static tables, or memory the registering module keeps until exit).
 */
#ifndef VG_RULE_H
#define VG_RULE_H

#include <stddef.h>

#include "../core/severity.h"

#define RULE_MAX_CWE 4

typedef struct rule_meta {
    const char *id;          /* "B608", "VG101", "secret:aws-access-token" */
    const char *title;       /* short name: "SQL built from strings" */
    severity severity;       /* default severity */
    confidence confidence;   /* default confidence */
    int cwe[RULE_MAX_CWE];   /* most specific first; 0-terminated */
    const char *owasp;       /* "A03:2021" or NULL */
    const char *description; /* what the rule looks for, and why */
    const char *fix;         /* how to fix a finding */
    const char *references;  /* space-separated URLs, or NULL */
    const char *analyzer;    /* "python", "secrets", "pii", "deps", "unicode", "taint" */
} rule_meta;

/* Drop every rule (the registered records stay their owners'). */
void registry_free(void);

/* Add one rule.  Re-registering an id replaces the earlier entry (used for
 * user overrides of secret rules). */
void registry_add(const rule_meta *r);
const rule_meta *registry_find(const char *id);
size_t registry_count(void);
const rule_meta *registry_at(size_t i);   /* sorted by id after registry_sort */
void registry_sort(void);

/* Does `id` match a --select/--ignore entry?  An entry matches an id
 * exactly or as a prefix ("B6", "VG1", "secret" matches "secret:..."),
 * case-insensitively ("b602" is B602); the family words secret, pii, dep
 * and unicode match only their own "family:" ids. */
int rule_id_matches(const char *id, const char *pattern);

/* rule_id_matches, and also an analyzer's name as the summary prints it
 * ("python", "taint", "secrets", "pii", "deps", "unicode") for every rule
 * that analyzer reports. */
int rule_matches(const rule_meta *r, const char *pattern);

/* Does a selector name anything?  1 when it matches a registered rule (as
 * rule_matches does) or is an analyzer name; 0 otherwise.  Call after the
 * families registered their rules. */
int registry_selector_known(const char *pattern);

/* The closest known selector (a rule id, an analyzer name, a family word)
 * to an unknown one, for "did you mean"; NULL when nothing is close.  The
 * string is static or the registry's. */
const char *registry_suggest(const char *pattern);

#endif
