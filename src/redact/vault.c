/* vault.c - encrypted placeholder map (see vault.h). */
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "vault.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/xalloc.h"

#define VAULT_MAGIC "VGVAULT2"   /* written; the key is bound to the header (bind_header) */
#define VAULT_MAGIC_V1 "VGVAULT1" /* read: the key is the derived key as it is */
#define VAULT_HEAD (8 + 1 + 16 + crypto_secretbox_NONCEBYTES)

static int unhex32(const char *s, size_t n, unsigned char out[32])
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) n--;
    size_t bin = 0;
    if (n != 64 || sodium_hex2bin(out, 32, s, n, NULL, &bin, NULL) || bin != 32) return -1;
    return 0;
}

static char *default_key_file(void)
{
    const char *e = getenv("VIBEGUARD_VAULT_KEY_FILE");
    if (e && *e) return xstrdup(e);
    const char *x = getenv("XDG_CONFIG_HOME");
    if (x && *x) return xasprintf("%s/vibeguard/vault.key", x);
    const char *h = getenv("HOME");
    if (h && *h) return xasprintf("%s/.config/vibeguard/vault.key", h);
    return NULL;
}

/* Create the directories above the file at `path`. */
static void mkdir_parents(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return;
    char *dir = xstrndup(path, (size_t)(slash - path));
    fs_mkdirs(dir, 0700);
    free(dir);
}

static vg_status key_get(const char *key_file, int create, vault_key *k, diag_list *d)
{
    memset(k, 0, sizeof *k);
    if (sodium_init() < 0) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "libsodium failed to initialise");
        return VG_ERR_INTERNAL;
    }
    const char *env = key_file ? NULL : getenv("VIBEGUARD_VAULT_KEY");
    if (env && *env) {
        k->source = xstrdup("VIBEGUARD_VAULT_KEY");
        if (unhex32(env, strlen(env), k->key)) k->passphrase = xstrdup(env);
        return VG_OK;
    }
    char *path = key_file ? xstrdup(key_file) : default_key_file();
    if (!path) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0,
                 "no vault key: set VIBEGUARD_VAULT_KEY or give --key-file (HOME is not set)");
        return VG_ERR_USAGE;
    }
    k->source = path;
    int fd = fs_open_regular(path);
    if (fd < 0 && errno == ENOENT && create) {
        mkdir_parents(path);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot create the vault key file: %s",
                     strerror(errno));
            return VG_ERR_IO;
        }
        char hex[65];
        randombytes_buf(k->key, 32);
        sodium_bin2hex(hex, sizeof hex, k->key, 32);
        hex[64] = '\n';
        ssize_t w = write(fd, hex, 65);
        sodium_memzero(hex, sizeof hex);
        if (w != 65 || close(fd)) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write the vault key file");
            unlink(path);
            return VG_ERR_IO;
        }
        return VG_OK;
    }
    if (fd < 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read the vault key: %s%s", fs_strerror(errno),
                 errno == ENOENT ? " (set VIBEGUARD_VAULT_KEY or give --key-file)" : "");
        return VG_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        diag_add(d, DIAG_WARNING, path, 0, 0,
                 "the vault key file is readable by group or others (chmod 600 it)");
    char hex[80];
    ssize_t r = read(fd, hex, sizeof hex);
    close(fd);
    if (r < 0 || unhex32(hex, (size_t)r, k->key)) {
        sodium_memzero(hex, sizeof hex);
        diag_add(d, DIAG_ERROR, path, 0, 0, "the vault key file must hold 64 hex digits");
        return VG_ERR_USAGE;
    }
    sodium_memzero(hex, sizeof hex);
    return VG_OK;
}

vg_status vault_key_get(const char *key_file, int create, vault_key *k, diag_list *d)
{
    vg_status rc = key_get(key_file, create, k, d);
    if (rc) vault_key_wipe(k);
    return rc;
}

void vault_key_wipe(vault_key *k)
{
    if (k->passphrase) {
        sodium_memzero(k->passphrase, strlen(k->passphrase));
        free(k->passphrase);
    }
    free(k->source);
    sodium_memzero(k, sizeof *k);
}

static vg_status derive(const vault_key *k, int kdf, const unsigned char salt[16],
                        unsigned char out[32], diag_list *d, const char *path)
{
    if (kdf == 0) {
        if (k->passphrase) goto wrong;
        memcpy(out, k->key, 32);
        return VG_OK;
    }
    if (!k->passphrase) goto wrong;
    if (crypto_pwhash(out, 32, k->passphrase, strlen(k->passphrase), salt,
                      crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                      crypto_pwhash_ALG_ARGON2ID13)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "key derivation failed (out of memory?)");
        return VG_ERR_NOMEM;
    }
    return VG_OK;
wrong:
    diag_add(d, DIAG_ERROR, path, 0, 0,
             "cannot decrypt the vault: wrong key (it was written with a %s)",
             kdf ? "passphrase" : "raw key");
    return VG_ERR_CRYPTO;
}

vg_status vault_key_derive(const vault_key *k, const unsigned char salt[16], unsigned char out[32],
                           diag_list *d)
{
    return derive(k, k->passphrase ? 1 : 0, salt, out, d, NULL);
}

/* The box key is a keyed BLAKE2b of the header (magic, kdf byte, salt)
 * under the derived key, so that a changed header byte is a wrong key and
 * fails the MAC; with a raw key the salt was otherwise never checked. The
 * nonce is authenticated by the box itself. */
static void bind_header(unsigned char key[32], const unsigned char *head)
{
    unsigned char bound[32];
    crypto_generichash(bound, sizeof bound, head, 25, key, 32);
    memcpy(key, bound, 32);
    sodium_memzero(bound, sizeof bound);
}

vg_status vault_save(const char *path, const vault_key *k, const ph_map *m, diag_list *d)
{
    if (sodium_init() < 0) return VG_ERR_INTERNAL;
    buf plain;
    buf_init(&plain, 0);
    ph_map_dump(m, &plain);
    size_t clen = crypto_secretbox_MACBYTES + plain.len;
    unsigned char *out = xmalloc(VAULT_HEAD + clen);
    memcpy(out, VAULT_MAGIC, 8);
    out[8] = k->passphrase ? 1 : 0;
    unsigned char *salt = out + 9, *nonce = out + 25;
    randombytes_buf(salt, 16);
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    unsigned char key[32];
    vg_status rc = derive(k, out[8], salt, key, d, path);
    if (!rc) bind_header(key, out);
    if (!rc) crypto_secretbox_easy(out + VAULT_HEAD, (const unsigned char *)plain.data, plain.len,
                                   nonce, key);
    sodium_memzero(key, sizeof key);
    sodium_memzero(plain.data, plain.len);
    buf_free(&plain);
    if (rc) {
        free(out);
        return rc;
    }
    rc = fs_write_atomic(path, out, VAULT_HEAD + clen, 0600, "cannot write the vault", d);
    free(out);
    return rc;
}

vg_status vault_load(const char *path, const vault_key *k, ph_map *m, diag_list *d)
{
    if (sodium_init() < 0) return VG_ERR_INTERNAL;
    char *data;
    size_t len;
    vg_status rc = fs_read_all(path, VAULT_MAX, &data, &len);
    if (rc == VG_ERR_LIMIT) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "the vault is larger than %zu MiB", VAULT_MAX >> 20);
        return rc;
    }
    if (rc) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot open the vault: %s", fs_strerror(errno));
        return rc;
    }
    const unsigned char *p = (const unsigned char *)data;
    int v1 = len >= 8 && !memcmp(p, VAULT_MAGIC_V1, 8);
    if (len < VAULT_HEAD + crypto_secretbox_MACBYTES || (memcmp(p, VAULT_MAGIC, 8) && !v1) || p[8] > 1) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "not a vibeguard vault (or truncated)");
        free(data);
        return VG_ERR_CRYPTO;
    }
    unsigned char key[32];
    rc = derive(k, p[8], p + 9, key, d, path);
    if (rc) {
        free(data);
        return rc;
    }
    if (!v1) bind_header(key, p);
    size_t clen = len - VAULT_HEAD, plen = clen - crypto_secretbox_MACBYTES;
    unsigned char *plain = xmalloc(plen + 1);
    if (crypto_secretbox_open_easy(plain, p + VAULT_HEAD, clen, p + 25, key)) {
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 "cannot decrypt the vault: wrong key (from %s) or the file was modified",
                 k->source ? k->source : "?");
        rc = VG_ERR_CRYPTO;
    } else {
        rc = ph_map_undump(m, (const char *)plain, plen);
        if (rc) diag_add(d, DIAG_ERROR, path, 0, 0, "the vault's contents are malformed");
    }
    sodium_memzero(key, sizeof key);
    sodium_memzero(plain, plen);
    free(plain);
    free(data);
    return rc;
}
