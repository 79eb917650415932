/* fuzz_bandit_config.c - libFuzzer target for Bandit's config files
 * (rules/bandit_config.h): the first byte picks .bandit (INI), bandit.yaml
 * or pyproject.toml ([tool.bandit]). */
#include "rules/bandit_config.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    static const struct { bandit_config_format f; const char *path; } kinds[] = {
        {BANDIT_CONFIG_INI, ".bandit"}, {BANDIT_CONFIG_YAML, "bandit.yaml"},
        {BANDIT_CONFIG_TOML, "pyproject.toml"}};
    int k = data[0] % 3;
    if (bandit_config_format_of(kinds[k].path) != kinds[k].f) abort();
    diag_list d = {0};
    json_t *j = NULL;
    bandit_config_status st = bandit_config_parse(kinds[k].f, kinds[k].path, (const char *)data + 1,
                                                  size - 1, &j, &d);
    /* the contract: a tree exactly when OK, an object; an error diag exactly when BAD */
    if ((st == BANDIT_CONFIG_OK) != (j != NULL)) abort();
    if (j && !json_is_object(j)) abort();
    size_t errors = 0;
    for (size_t i = 0; i < d.n; i++) errors += d.v[i].level == DIAG_ERROR;
    if ((st == BANDIT_CONFIG_BAD) != (errors > 0)) abort();
    json_decref(j);
    diag_free(&d);
    return 0;
}
