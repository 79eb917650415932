/* vault.h - the placeholder map, encrypted at rest (libsodium secretbox).
 *
 * The key comes from VIBEGUARD_VAULT_KEY (64 hex digits: the key itself;
 * anything else: a passphrase stretched with Argon2id and the vault's
 * salt), else from a key file: --key-file, VIBEGUARD_VAULT_KEY_FILE, or
 * $XDG_CONFIG_HOME/vibeguard/vault.key (~/.config/...).  A missing key
 * file is created (32 random bytes as hex, mode 0600, directory 0700)
 * when `create` is set.
 *
 * Vault file: "VGVAULT1", kdf byte (0 raw key, 1 Argon2id), 16-byte salt,
 * 24-byte nonce, then secretbox(ph_map_dump text).  Written through a
 * temporary file and rename, mode 0600.  A wrong key or any changed byte
 * is VG_ERR_CRYPTO with a diag saying so; nothing is decrypted partially.
 * Both ways stream, 64 KiB at a time (vault.c): memory is the map's, not
 * a copy of the file.
 */
#ifndef VG_VAULT_H
#define VG_VAULT_H

#include "../core/diag.h"
#include "../core/status.h"
#include "placeholder.h"

typedef struct vault_key {
    unsigned char key[32];   /* raw key (kdf 0) */
    char *passphrase;        /* set for kdf 1 */
    char *source;            /* where it came from, for messages */
} vault_key;

vg_status vault_key_get(const char *key_file, int create, vault_key *k, diag_list *d);
void vault_key_wipe(vault_key *k);

/* A 32-byte key for other uses of the vault key (the redact encrypt
 * operator): the raw key itself, or the passphrase stretched with
 * Argon2id and `salt`. */
vg_status vault_key_derive(const vault_key *k, const unsigned char salt[16], unsigned char out[32],
                           diag_list *d);

vg_status vault_save(const char *path, const vault_key *k, const ph_map *m, diag_list *d);
/* Load a vault into m (entries are added). */
vg_status vault_load(const char *path, const vault_key *k, ph_map *m, diag_list *d);

#endif
