/* bandit_config.h - Bandit's own configuration files, read from memory into
 * one jansson tree, so that what a key means is written once (by the CLI,
 * src/cli/bandit.c, which applies the tree to the scan's options).
 *
 * The formats, as Bandit users have them in their repositories:
 *   BANDIT_CONFIG_INI   .bandit: Python's configparser as far as Bandit needs
 *                       it; the [bandit] section as an object of strings
 *   BANDIT_CONFIG_YAML  -c bandit.yaml / .yml: the document, a mapping
 *   BANDIT_CONFIG_TOML  -c bandit.toml, pyproject.toml: the [tool.bandit] table
 * Nothing is printed: a malformed file is one error diag naming
 * path:line.  Sizes and nesting are capped by the readers underneath
 * (fmt/toml.h, fmt/yamljson.h); the INI reader keeps no more than the
 * input.
 */
#ifndef VG_BANDIT_CONFIG_H
#define VG_BANDIT_CONFIG_H

#include <jansson.h>
#include <stddef.h>

#include "../core/diag.h"

typedef enum bandit_config_format {
    BANDIT_CONFIG_INI,
    BANDIT_CONFIG_YAML,
    BANDIT_CONFIG_TOML
} bandit_config_format;

typedef enum bandit_config_status {
    BANDIT_CONFIG_OK,     /* *out is the settings, a JSON object */
    BANDIT_CONFIG_ABSENT, /* TOML without a [tool.bandit] table: no settings, no diag */
    BANDIT_CONFIG_BAD     /* malformed: one error diag in d (a TOML syntax error: toml's) */
} bandit_config_status;

/* The format Bandit reads a file of that name as: *.toml TOML, *.yaml and
 * *.yml YAML, anything else (.bandit, *.ini) INI. */
bandit_config_format bandit_config_format_of(const char *path);

/* Parse data[0..len) (need not be NUL-terminated; an INI file ends at a
 * NUL byte, as a C string read of it did) as format f.  path names the
 * file in diags.  On BANDIT_CONFIG_OK *out is a new reference the caller
 * releases with json_decref; otherwise *out is NULL. */
bandit_config_status bandit_config_parse(bandit_config_format f, const char *path, const char *data,
                                         size_t len, json_t **out, diag_list *d);

/* Bytes the INI reader has read and joined so far (all threads): work,
 * for tests that assert growth (tests/hostile/, VIBEGUARD_WORK=1). */
size_t bandit_config_work(void);

#endif
