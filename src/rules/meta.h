/* meta.h - shorthands for the rule metadata tables of the Python families.
 *
 * Each family file (general.c, blacklist.c, crypto.c, injection.c, web.c,
 * auth.c, logging.c, llm.c) opens with a static rule_meta table written
 * with these macros and registers it from its rules_<family>_register().
 */
#ifndef VG_RULES_META_H
#define VG_RULES_META_H

#include "../finding/rule.h"

#define CWE_URL(n) "https://cwe.mitre.org/data/definitions/" #n ".html"
#define BANDIT_PLUGIN(slug) "https://bandit.readthedocs.io/en/latest/plugins/" slug ".html"
#define BANDIT_CALLS "https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html"
#define BANDIT_IMPORTS "https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html"
#define OWASP_URL(slug) "https://owasp.org/Top10/" slug "/"

#define L SEV_LOW
#define M SEV_MEDIUM
#define H SEV_HIGH
#define CL CONF_LOW
#define CM CONF_MEDIUM
#define CH CONF_HIGH

/* RULE(id, title, sev, conf, CWE(n, ..., 0), owasp, description, fix, references);
 * CWE() keeps the commas of the list out of the macro arguments. */
#define CWE(...) {__VA_ARGS__}
#define RULE(id, title, sev, conf, cwes, owasp, desc, fix, refs)               \
    {id, title, sev, conf, cwes, owasp, desc, fix, refs, "python"}

void rules_register_table(const rule_meta *t, size_t n);

void rules_general_register(void);
void rules_blacklist_register(void);
void rules_crypto_register(void);
void rules_injection_register(void);
void rules_web_register(void);
void rules_auth_register(void);
void rules_logging_register(void);
void rules_llm_register(void);
void rules_config_register(void);

#endif
