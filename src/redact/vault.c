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

/* vault_save streams: the dump text is built VAULT_CHUNK bytes at a time
 * and sealed as it goes, so saving needs no copy of the map.  The box is
 * crypto_secretbox (XSalsa20-Poly1305) spelled out from its parts, as
 * libsodium builds it: the first 32 bytes of the key stream are the
 * Poly1305 key, the message is XORed with the stream from byte 32 on, and
 * the tag, over the ciphertext, comes first in the file.  The tag is
 * known only at the end: into a temporary file (the usual case) the text
 * is sealed and written in one pass and the tag written into its place
 * last; a vault written in place (a FIFO) is sealed twice, once for the
 * tag, once to write (the stream is deterministic for one key and
 * nonce).  vault_load opens it with crypto_secretbox_open_easy, which the
 * tests check. */
#define VAULT_CHUNK ((size_t)64 << 10)

typedef struct box_stream {
    const unsigned char *key, *nonce;
    crypto_onetimeauth_poly1305_state mac;
    uint64_t block;      /* the next 64-byte block of the key stream */
    fs_atomic *out;      /* NULL: the tag pass */
} box_stream;

/* Seal p[0..n) in place, the stream from b->block on; n is a multiple of
 * 64 but for the last piece.  The first piece starts with 32 zero bytes,
 * which become the Poly1305 key. */
static void box_feed(box_stream *b, unsigned char *p, size_t n)
{
    crypto_stream_xsalsa20_xor_ic(p, p, n, b->nonce, b->block, b->key);
    size_t skip = 0;
    if (b->block == 0) {
        crypto_onetimeauth_poly1305_init(&b->mac, p);
        sodium_memzero(p, 32);
        skip = 32;
    }
    crypto_onetimeauth_poly1305_update(&b->mac, p + skip, n - skip);
    if (b->out) fs_atomic_write(b->out, p + skip, n - skip);
    b->block += n / 64;
}

/* One pass over the map; the tag in mac. */
static void box_pass(const ph_map *m, const unsigned char key[32], const unsigned char *nonce,
                     fs_atomic *out, unsigned char mac[16])
{
    box_stream b = {.key = key, .nonce = nonce, .out = out};
    buf s;
    buf_init(&s, 0);
    static const unsigned char zero[32];
    buf_append(&s, zero, sizeof zero);
    ph_map_dump_head(&s);
    size_t n = ph_map_count(m);
    for (size_t i = 0; i <= n; i++) {
        if (i < n) ph_map_dump_entry(m, i, &s);
        if (s.len < VAULT_CHUNK && i < n) continue;
        size_t k = i < n ? s.len & ~(size_t)63 : s.len;
        box_feed(&b, (unsigned char *)s.data, k);
        memmove(s.data, s.data + k, s.len - k);
        s.len -= k;
    }
    crypto_onetimeauth_poly1305_final(&b.mac, mac);
    sodium_memzero(s.data, s.len);
    buf_free(&s);
}

vg_status vault_save(const char *path, const vault_key *k, const ph_map *m, diag_list *d)
{
    if (sodium_init() < 0) return VG_ERR_INTERNAL;
    unsigned char head[VAULT_HEAD + crypto_secretbox_MACBYTES];
    memcpy(head, VAULT_MAGIC, 8);
    head[8] = k->passphrase ? 1 : 0;
    unsigned char *salt = head + 9, *nonce = head + 25;
    randombytes_buf(salt, 16);
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    unsigned char key[32], again[16];
    vg_status rc = derive(k, head[8], salt, key, d, path);
    if (rc) return rc;
    bind_header(key, head);
    fs_atomic a;
    rc = fs_atomic_open(&a, path, 0600, "cannot write the vault", d);
    if (!rc && a.tmp) { /* one pass, the tag put in its place last */
        memset(head + VAULT_HEAD, 0, crypto_secretbox_MACBYTES);
        fs_atomic_write(&a, head, sizeof head);
        box_pass(m, key, nonce, &a, head + VAULT_HEAD);
        fs_atomic_pwrite(&a, head + VAULT_HEAD, crypto_secretbox_MACBYTES, VAULT_HEAD);
        rc = fs_atomic_commit(&a, d);
    } else if (!rc) {
        box_pass(m, key, nonce, NULL, head + VAULT_HEAD);
        fs_atomic_write(&a, head, sizeof head);
        box_pass(m, key, nonce, &a, again);
        if (memcmp(again, head + VAULT_HEAD, 16)) {
            fs_atomic_abort(&a);
            diag_add(d, DIAG_ERROR, path, 0, 0, "the vault changed while it was written");
            rc = VG_ERR_INTERNAL;
        } else {
            rc = fs_atomic_commit(&a, d);
        }
    }
    sodium_memzero(key, sizeof key);
    return rc;
}

/* vault_load streams too: the file is read twice, VAULT_CHUNK at a time,
 * from one descriptor.  The first pass checks the tag and decrypts
 * nothing; the second decrypts and parses into a map of its own, checking
 * the tag again (so a file changed between the passes is refused as
 * well), and only a map whose every byte was authenticated is kept. */
static int read_full(int fd, unsigned char *p, size_t n)
{
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* One pass over the mlen bytes of ciphertext at VAULT_HEAD + 16: 0 when
 * the tag matches.  With `into`, also decrypt and parse (*prc: the parse
 * status). */
static int open_pass(int fd, size_t mlen, const unsigned char key[32], const unsigned char *nonce,
                     const unsigned char tag[16], ph_map *into, vg_status *prc)
{
    if (lseek(fd, VAULT_HEAD + crypto_secretbox_MACBYTES, SEEK_SET) < 0) return -1;
    unsigned char *piece = xcalloc(1, VAULT_CHUNK), mac[16], pk[32] = {0};
    crypto_stream_xsalsa20_xor_ic(pk, pk, 32, nonce, 0, key);
    crypto_onetimeauth_poly1305_state st;
    crypto_onetimeauth_poly1305_init(&st, pk);
    sodium_memzero(pk, sizeof pk);
    buf carry;
    buf_init(&carry, 0);
    int bad = 0;
    size_t pos = 0;
    while (pos < mlen && !bad) {
        /* the text at pos is key stream byte 32 + pos: pieces end on 64 */
        size_t off = pos ? 0 : 32, n = VAULT_CHUNK - off;
        if (n > mlen - pos) n = mlen - pos;
        if (read_full(fd, piece + off, n)) {
            bad = 1;
            break;
        }
        crypto_onetimeauth_poly1305_update(&st, piece + off, n);
        if (into && !*prc) {
            crypto_stream_xsalsa20_xor_ic(piece, piece, off + n, nonce, (32 + pos - off) / 64, key);
            const char *t = (const char *)piece + off;
            size_t tn = n, used;
            if (carry.len) { /* a line begun in the last piece */
                buf_append(&carry, t, n);
                t = carry.data;
                tn = carry.len;
            }
            *prc = ph_map_undump_part(into, t, tn, pos == 0, &used);
            if (!*prc) {
                if (carry.len) {
                    memmove(carry.data, carry.data + used, carry.len - used);
                    carry.len -= used;
                } else {
                    buf_append(&carry, t + used, tn - used);
                }
            }
        }
        pos += n;
    }
    if (into && !*prc && (carry.len || !mlen)) *prc = VG_ERR_PARSE; /* an unended line */
    crypto_onetimeauth_poly1305_final(&st, mac);
    if (!bad && crypto_verify_16(mac, tag)) bad = 1;
    sodium_memzero(piece, VAULT_CHUNK);
    if (carry.data) sodium_memzero(carry.data, carry.cap);
    free(piece);
    buf_free(&carry);
    return bad ? -1 : 0;
}

vg_status vault_load(const char *path, const vault_key *k, ph_map *m, diag_list *d)
{
    if (sodium_init() < 0) return VG_ERR_INTERNAL;
    int fd = fs_open_regular(path);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        fd = -1;
        errno = e;
    }
    if (fd < 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot open the vault: %s", fs_strerror(errno));
        return VG_ERR_IO;
    }
    size_t len = (size_t)st.st_size;
    if (len > VAULT_MAX) {
        close(fd);
        diag_add(d, DIAG_ERROR, path, 0, 0, "the vault is larger than %zu MiB", VAULT_MAX >> 20);
        return VG_ERR_LIMIT;
    }
    unsigned char p[VAULT_HEAD + crypto_secretbox_MACBYTES];
    int v1 = 0;
    if (len < sizeof p || read_full(fd, p, sizeof p) ||
        ((v1 = !memcmp(p, VAULT_MAGIC_V1, 8)), memcmp(p, VAULT_MAGIC, 8) && !v1) || p[8] > 1) {
        close(fd);
        diag_add(d, DIAG_ERROR, path, 0, 0, "not a vibeguard vault (or truncated)");
        return VG_ERR_CRYPTO;
    }
    unsigned char key[32];
    vg_status rc = derive(k, p[8], p + 9, key, d, path);
    if (rc) {
        close(fd);
        return rc;
    }
    if (!v1) bind_header(key, p);
    size_t mlen = len - sizeof p;
    ph_map *t = ph_map_new();
    vg_status prc = VG_OK;
    if (open_pass(fd, mlen, key, p + 25, p + VAULT_HEAD, NULL, NULL) ||
        open_pass(fd, mlen, key, p + 25, p + VAULT_HEAD, t, &prc)) {
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 "cannot decrypt the vault: wrong key (from %s) or the file was modified",
                 k->source ? k->source : "?");
        rc = VG_ERR_CRYPTO;
    } else if (prc) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "the vault's contents are malformed");
        rc = prc;
    } else if (!ph_map_count(m)) {
        ph_map_swap(m, t);
    } else {
        for (size_t i = 0; i < ph_map_count(t) && !rc; i++) {
            const ph_entry *e = ph_map_at(t, i);
            rc = ph_map_load(m, e->label, e->num, e->style, (const unsigned char *)e->value,
                             e->vlen, e->ph, e->phlen);
        }
    }
    ph_map_free(t);
    sodium_memzero(key, sizeof key);
    close(fd);
    return rc;
}
