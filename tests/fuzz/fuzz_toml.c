/* fuzz_toml.c - libFuzzer target for the TOML reader: any input must give
 * a tree or one error diag with a line and column, never a crash or leak.
 * Both spec versions are tried. */
#include "fmt/toml.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int minor = 0; minor <= 1; minor++) {
        diag_list d = {0};
        toml_value *v = NULL;
        vg_status rc = toml_parse_ex((const char *)data, size, "fuzz.toml", minor, &v, &d);
        if (rc == VG_OK && !v) abort();
        if (rc != VG_OK && (v || d.n != 1)) abort();
        if (v) {
            (void)toml_get_path(v, "tool.vibeguard.select");
            (void)toml_get_string(v, "name");
        }
        toml_free(v);
        diag_free(&d);
    }
    return 0;
}
