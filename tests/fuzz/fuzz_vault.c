/* fuzz_vault.c - libFuzzer target for the vault: the decrypted map text
 * parser (ph_map_undump) takes any bytes, and a vault file of any bytes
 * is rejected cleanly (VG_ERR_CRYPTO, nothing loaded) under a fixed key. */
#include "redact/placeholder.h"
#include "redact/vault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ph_map *m = ph_map_new();
    (void)ph_map_undump(m, (const char *)data, size);
    for (size_t i = 0; i < ph_map_count(m); i++) {
        const ph_entry *e = ph_map_at(m, i);
        if (ph_map_find(m, e->ph, e->phlen) == NULL) abort();
    }
    ph_map_free(m);

    char path[] = "/tmp/vg-fuzz-vault-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) size = 0;
    close(fd);
    vault_key k;
    memset(&k, 0, sizeof k);
    memset(k.key, 7, sizeof k.key);
    diag_list d = {0};
    ph_map *v = ph_map_new();
    vg_status rc = vault_load(path, &k, v, &d);
    if (rc == VG_OK && size < 65) abort();
    if (rc != VG_OK && ph_map_count(v)) abort();
    ph_map_free(v);
    diag_free(&d);
    unlink(path);
    return 0;
}
