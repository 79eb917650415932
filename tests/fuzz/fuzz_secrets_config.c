/* fuzz_secrets_config.c - libFuzzer target for loading a gitleaks config
 * (--secrets-config): any bytes give a rule set or error diags, never a
 * crash or a leak (TOML, PCRE2 compilation of rules and allowlists). */
#include "core/opts.h"
#include "text/secrets.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/vg-fuzz-secrets-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    vg_opts o;
    opts_init(&o);
    o.secrets_config = path;
    secrets *s = NULL;
    diag_list d = {0};
    vg_status rc = secrets_open(&o, &s, &d);
    if (rc != VG_OK && d.n == 0) abort();
    secrets_close(s);
    diag_free(&d);
    opts_free(&o);
    unlink(path);
    return 0;
}
