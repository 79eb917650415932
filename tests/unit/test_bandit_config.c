/* test_bandit_config.c - Bandit's config files read from memory
 * (rules/bandit_config.h): configparser's continuation lines, the error
 * diags with their lines, [tool.bandit] absent or present, a YAML that is
 * not a mapping.  The CLI's use of the tree is tests/cli/bandit_config.sh. */
#include "t.h"

#include "rules/bandit_config.h"

#include <jansson.h>
#include <string.h>

static bandit_config_status parse(bandit_config_format f, const char *s, json_t **j, diag_list *d)
{
    return bandit_config_parse(f, "cfg", s, strlen(s), j, d);
}

static const char *str(json_t *j, const char *key) { return json_string_value(json_object_get(j, key)); }

int main(void)
{
    json_t *j;
    diag_list d = {0};

    CHECK(bandit_config_format_of(".bandit") == BANDIT_CONFIG_INI);
    CHECK(bandit_config_format_of("setup.ini") == BANDIT_CONFIG_INI);
    CHECK(bandit_config_format_of("b.yml") == BANDIT_CONFIG_YAML);
    CHECK(bandit_config_format_of("pyproject.toml") == BANDIT_CONFIG_TOML);

    /* continuation lines join with commas; keys are lower-cased; a later
     * key of the same name wins; other sections are skipped */
    CHECK(parse(BANDIT_CONFIG_INI,
                "; c\n[other]\nskips = B999\n[bandit]\n# c\nSkips: B101,\n  B102\n\tB103\n"
                "tests = B1\ntests = B602\n  B607\nexclude = ./vendor\n",
                &j, &d) == BANDIT_CONFIG_OK);
    CHECK(j && str(j, "skips") && !strcmp(str(j, "skips"), "B101,,B102,B103"));
    CHECK(j && str(j, "tests") && !strcmp(str(j, "tests"), "B602,B607"));
    CHECK(j && str(j, "exclude") && !strcmp(str(j, "exclude"), "./vendor"));
    CHECK(d.n == 0);
    json_decref(j);

    /* an INI file ends at a NUL byte */
    static const char nul[] = "[bandit]\nskips = B1\0\nbad\n";
    CHECK(bandit_config_parse(BANDIT_CONFIG_INI, "cfg", nul, sizeof nul - 1, &j, &d) == BANDIT_CONFIG_OK);
    CHECK(j && str(j, "skips") && !strcmp(str(j, "skips"), "B1"));
    json_decref(j);

    CHECK(parse(BANDIT_CONFIG_INI, "[bandit]\nskips = B1\nnot a pair\n", &j, &d) == BANDIT_CONFIG_BAD);
    CHECK(!j && d.n == 1 && d.v[0].level == DIAG_ERROR && d.v[0].line == 3 && !strcmp(d.v[0].path, "cfg"));
    diag_free(&d);
    CHECK(parse(BANDIT_CONFIG_INI, "no section\n", &j, &d) == BANDIT_CONFIG_BAD);
    CHECK(!j && d.n == 1 && strstr(d.v[0].message, "no [bandit] section"));
    diag_free(&d);

    CHECK(parse(BANDIT_CONFIG_YAML, "skips: [B101]\nshell_injection:\n  shell: []\n", &j, &d) == BANDIT_CONFIG_OK);
    CHECK(j && json_is_array(json_object_get(j, "skips")) && json_is_object(json_object_get(j, "shell_injection")));
    json_decref(j);
    CHECK(parse(BANDIT_CONFIG_YAML, "", &j, &d) == BANDIT_CONFIG_OK && j && json_object_size(j) == 0);
    json_decref(j);
    CHECK(parse(BANDIT_CONFIG_YAML, "- a\n", &j, &d) == BANDIT_CONFIG_BAD && !j && d.n == 1);
    diag_free(&d);
    CHECK(parse(BANDIT_CONFIG_YAML, "a: 1\nskips: [B101\n", &j, &d) == BANDIT_CONFIG_BAD && !j && d.n == 1 &&
          d.v[0].line >= 2);
    diag_free(&d);

    CHECK(parse(BANDIT_CONFIG_TOML, "[project]\nname = \"p\"\n", &j, &d) == BANDIT_CONFIG_ABSENT && !j && !d.n);
    CHECK(parse(BANDIT_CONFIG_TOML, "[tool.bandit]\nskips = [\"B1\"]\nn = 3\n", &j, &d) == BANDIT_CONFIG_OK);
    CHECK(j && json_is_array(json_object_get(j, "skips")) && json_integer_value(json_object_get(j, "n")) == 3);
    json_decref(j);
    CHECK(parse(BANDIT_CONFIG_TOML, "[tool.bandit\n", &j, &d) == BANDIT_CONFIG_BAD && !j && d.n == 1 &&
          d.v[0].line == 1);
    diag_free(&d);
    return T_DONE("test_bandit_config");
}
