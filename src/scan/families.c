/* families.c - register every family's rules; see families.h. */
#include "families.h"
#include "../finding/rule.h"

#include <stddef.h>

void families_register(void)
{
    if (registry_count()) return;
    python_rules_register();
    taint_rules_register();
    secrets_rules_register();
    unicode_rules_register();
    pii_rules_register();
    deps_rules_register();
    licence_rules_register();
    registry_sort();
}

const analyzer *const families_analyzers[VG_ANALYZERS] = {&python_analyzer, &text_analyzer,
                                                         &deps_analyzer, &licence_analyzer};

const char *const families_reported[VG_ANALYZERS][4] = {
    {"python", "taint", NULL}, {"secrets", "pii", "unicode", NULL}, {"deps", NULL}, {"licence", NULL}};

int (*const families_wants[VG_ANALYZERS])(const vg_opts *o, const char *path, int context) = {
    NULL, NULL, deps_wants, licence_wants};
