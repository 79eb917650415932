/* registry.h - every rule vibeguard knows, with its metadata.
 *
 * All analyzers register their rules here before a scan starts (single
 * threaded, from registry_init); afterwards the registry is read-only and
 * shared by all workers.  Rule ids: `B608` (Bandit's ids), `VGnnn` (our
 * code rules), `secret:<slug>`, `pii:<ENTITY>`, `dep:<kind>`,
 * `unicode:<kind>`.  A registered rule_meta must outlive the registry
 * (static tables, or memory the registering module keeps until exit).
 */
#ifndef VG_REGISTRY_H
#define VG_REGISTRY_H

#include <stddef.h>

typedef enum severity { SEV_NONE = 0, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL } severity;
typedef enum confidence { CONF_NONE = 0, CONF_LOW, CONF_MEDIUM, CONF_HIGH } confidence;

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

/* Register every built-in family.  Call once before scanning. */
void registry_init(void);
void registry_free(void);

/* Add one rule.  Re-registering an id replaces the earlier entry (used for
 * user overrides of secret rules). */
void registry_add(const rule_meta *r);
const rule_meta *registry_find(const char *id);
size_t registry_count(void);
const rule_meta *registry_at(size_t i);   /* sorted by id after registry_init */
void registry_sort(void);

const char *severity_str(severity s);     /* "low" ... "critical" */
const char *confidence_str(confidence c); /* "low" ... "high" */
severity severity_parse(const char *s);   /* SEV_NONE when unknown */
confidence confidence_parse(const char *s);

/* Does `id` match a --select/--ignore entry?  An entry matches an id
 * exactly, as a prefix ("B6", "VG1", "secret" matches "secret:..."), or
 * case-insensitively for the family words secret, pii, dep, unicode. */
int rule_id_matches(const char *id, const char *pattern);

/* Family registration hooks, one per analyzer family; each lives in its
 * own module and calls registry_add for each of its rules. */
void python_rules_register(void);  /* src/rules/   */
void taint_rules_register(void);   /* src/taint/   */
void secrets_rules_register(void); /* src/text/    */
void unicode_rules_register(void); /* src/text/    */
void pii_rules_register(void);     /* src/text/    */
void deps_rules_register(void);    /* src/deps/    */

#endif
