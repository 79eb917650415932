/* test_vault.c - the encrypted vault: round trip, file mode 0600, wrong
 * key and tampering fail cleanly (VG_ERR_CRYPTO, no entries loaded), key
 * file creation and passphrase keys; a map of many entries and of values
 * longer than a chunk (the save streams 64 KiB pieces, the map keeps
 * strings in chunks) comes back whole: crypto_secretbox_open_easy opens
 * what the streamed save sealed, in one pass to a file and in two to a
 * FIFO. */
#include "t.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "redact/placeholder.h"
#include "redact/vault.h"

static char dir[] = "/tmp/vg-vault-XXXXXX";

static char pbuf[4][512];
static int pi;
static char *path_of(const char *name)
{
    char *p = pbuf[pi++ & 3];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static ph_map *sample_map(void)
{
    ph_map *m = ph_map_new();
    const ph_entry *e;
    ph_map_get(m, "EMAIL_ADDRESS", (const unsigned char *)"a@acme.io", 9, PH_PLACEHOLDER, &e);
    ph_map_get(m, "aws-access-token", (const unsigned char *)"AKIAZ3MSJV4WWQKL7X2B", 20,
               PH_PLACEHOLDER, &e);
    ph_map_get(m, "PERSON", (const unsigned char *)"Jos\xc3\xa9\tM\n\0x", 10, PH_SHAPE, &e);
    return m;
}

static void flip_byte(const char *p, long off)
{
    FILE *f = fopen(p, "r+b");
    fseek(f, off, off < 0 ? SEEK_END : SEEK_SET);
    int c = fgetc(f);
    fseek(f, -1, SEEK_CUR);
    fputc(c ^ 0x20, f);
    fclose(f);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    setenv("VIBEGUARD_VAULT_KEY_FILE", path_of("sub/dir/vault.key"), 1);
    unsetenv("VIBEGUARD_VAULT_KEY");
    diag_list d = {0};
    vault_key k;
    CHECK(vault_key_get(NULL, 1, &k, &d) == VG_OK);     /* created */
    struct stat st;
    CHECK(stat(path_of("sub/dir/vault.key"), &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(stat(path_of("sub/dir"), &st) == 0 && (st.st_mode & 077) == 0);

    ph_map *m = sample_map();
    const char *vp = path_of("v.vault");
    CHECK(vault_save(vp, &k, m, &d) == VG_OK);
    CHECK(stat(vp, &st) == 0 && (st.st_mode & 077) == 0);   /* not group/other readable */

    /* round trip, same key read back from the key file */
    vault_key k2;
    CHECK(vault_key_get(NULL, 0, &k2, &d) == VG_OK);
    ph_map *m2 = ph_map_new();
    CHECK(vault_load(vp, &k2, m2, &d) == VG_OK);
    CHECK_INT(ph_map_count(m2), 3);
    const ph_entry *e = ph_map_find(m2, "<AWS_ACCESS_TOKEN_1>", 20);
    CHECK(e && e->vlen == 20 && !memcmp(e->value, "AKIAZ3MSJV4WWQKL7X2B", 20));
    e = ph_map_find(m2, "<email_address_1>", 17);                 /* case-insensitive */
    CHECK(e && !strcmp(e->value, "a@acme.io"));
    e = ph_map_at(m2, 2);
    CHECK(e && e->style == PH_SHAPE && e->vlen == 10 && !memcmp(e->value, "Jos\xc3\xa9\tM\n\0x", 10));
    /* numbering continues after a loaded vault */
    const ph_entry *n3;
    ph_map_get(m2, "EMAIL_ADDRESS", (const unsigned char *)"b@acme.io", 9, PH_PLACEHOLDER, &n3);
    CHECK_STR(n3->ph, "<EMAIL_ADDRESS_2>");
    ph_map_free(m2);
    vault_key_wipe(&k2);
    diag_free(&d);

    /* wrong key: a clear error, nothing loaded */
    setenv("VIBEGUARD_VAULT_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
    vault_key wk;
    CHECK(vault_key_get(NULL, 0, &wk, &d) == VG_OK);
    ph_map *m3 = ph_map_new();
    CHECK(vault_load(vp, &wk, m3, &d) == VG_ERR_CRYPTO);
    CHECK_INT(ph_map_count(m3), 0);
    CHECK(d.n && strstr(d.v[d.n - 1].message, "wrong key"));
    diag_free(&d);
    /* a passphrase key on a raw-key vault */
    setenv("VIBEGUARD_VAULT_KEY", "correct horse battery staple", 1);
    vault_key pk;
    CHECK(vault_key_get(NULL, 0, &pk, &d) == VG_OK && pk.passphrase);
    CHECK(vault_load(vp, &pk, m3, &d) == VG_ERR_CRYPTO);
    diag_free(&d);
    /* passphrase round trip */
    const char *pp = path_of("p.vault");
    CHECK(vault_save(pp, &pk, m, &d) == VG_OK);
    CHECK(vault_load(pp, &pk, m3, &d) == VG_OK && ph_map_count(m3) == 3);
    ph_map_free(m3);
    vault_key_wipe(&pk);
    vault_key_wipe(&wk);
    unsetenv("VIBEGUARD_VAULT_KEY");

    /* tampering: ciphertext, nonce, magic; truncation */
    long offs[] = {-1, -20, 30, 3};
    for (size_t i = 0; i < sizeof offs / sizeof *offs; i++) {
        CHECK(vault_save(vp, &k, m, &d) == VG_OK);
        flip_byte(vp, offs[i]);
        ph_map *t = ph_map_new();
        CHECK_MSG(vault_load(vp, &k, t, &d) == VG_ERR_CRYPTO, "tamper at %ld", offs[i]);
        CHECK_INT(ph_map_count(t), 0);
        ph_map_free(t);
        diag_free(&d);
    }
    CHECK(vault_save(vp, &k, m, &d) == VG_OK);
    CHECK(truncate(vp, 40) == 0);
    ph_map *t = ph_map_new();
    CHECK(vault_load(vp, &k, t, &d) == VG_ERR_CRYPTO);
    CHECK(vault_load(path_of("missing.vault"), &k, t, &d) == VG_ERR_IO);
    ph_map_free(t);
    diag_free(&d);

    /* many entries, and values longer than a string chunk or a save piece */
    for (int round = 0; round < 2; round++) {
        size_t want = round ? 3000 : 1;
        ph_map *big = ph_map_new();
        char v[200];
        const ph_entry *e0 = NULL, *e;
        for (size_t i = 0; i < want; i++) {
            int n = snprintf(v, sizeof v, "user%zu@example-%zu.org", i * 7919, i % 13);
            CHECK(ph_map_get(big, "EMAIL_ADDRESS", (const unsigned char *)v, (size_t)n,
                             i % 5 == 4 ? PH_SHAPE : PH_PLACEHOLDER, &e) == VG_OK);
            if (!i) e0 = e;
        }
        size_t lens[] = {16383, 16384, 70000, 200000};
        for (size_t i = 0; round && i < 4; i++) {
            unsigned char *lv = malloc(lens[i]);
            for (size_t j = 0; j < lens[i]; j++) lv[j] = (unsigned char)('a' + (j * 31 + i) % 26);
            CHECK(ph_map_get(big, "PRIVATE_KEY", lv, lens[i], PH_PLACEHOLDER, &e) == VG_OK);
            free(lv);
        }
        /* entries do not move as the map grows */
        CHECK(e0 == ph_map_at(big, 0) && !strcmp(e0->ph, "<EMAIL_ADDRESS_1>"));
        const char *bp = path_of("big.vault");
        CHECK(vault_save(bp, &k, big, &d) == VG_OK);
        ph_map *back = ph_map_new();
        CHECK(vault_load(bp, &k, back, &d) == VG_OK);
        CHECK_INT(ph_map_count(back), ph_map_count(big));
        buf b1, b2;
        buf_init(&b1, 0);
        buf_init(&b2, 0);
        ph_map_dump(big, &b1);
        ph_map_dump(back, &b2);
        CHECK(b1.len == b2.len && !memcmp(b1.data, b2.data, b1.len));
        /* loaded into a map that has entries: added after them, in order */
        ph_map *ext = ph_map_new();
        CHECK(ph_map_get(ext, "PERSON", (const unsigned char *)"Ann Lee", 7, PH_PLACEHOLDER, &e) == VG_OK);
        CHECK(vault_load(bp, &k, ext, &d) == VG_OK);
        CHECK_INT(ph_map_count(ext), ph_map_count(big) + 1);
        CHECK(ph_map_at(ext, 1)->vlen == e0->vlen && !strcmp(ph_map_at(ext, 1)->ph, e0->ph));
        ph_map_free(ext);
        /* a vault written in place (a FIFO: sealed twice, the tag first)
         * opens as the one written to a temporary file (sealed once, the
         * tag put in its place last) */
        const char *fp = path_of("v.fifo"), *cp = path_of("fifo-copy.vault");
        unlink(fp);
        CHECK(mkfifo(fp, 0600) == 0);
        pid_t pid = fork();
        if (pid == 0) { /* the reader: the FIFO's bytes into a regular file */
            FILE *in = fopen(fp, "rb"), *out = fopen(cp, "wb");
            char cb[4096];
            size_t got;
            while (in && out && (got = fread(cb, 1, sizeof cb, in)) > 0) fwrite(cb, 1, got, out);
            _exit(in && out && !fclose(out) ? 0 : 1);
        }
        CHECK(pid > 0 && vault_save(fp, &k, big, &d) == VG_OK);
        int wst = 0;
        CHECK(pid > 0 && waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
        ph_map *viaf = ph_map_new();
        CHECK(vault_load(cp, &k, viaf, &d) == VG_OK);
        CHECK_INT(ph_map_count(viaf), ph_map_count(big));
        buf b3;
        buf_init(&b3, 0);
        ph_map_dump(viaf, &b3);
        CHECK(b3.len == b1.len && !memcmp(b3.data, b1.data, b1.len));
        buf_free(&b3);
        ph_map_free(viaf);
        /* the file is secretbox over that dump, under its header's nonce */
        struct stat vs;
        CHECK(stat(bp, &vs) == 0 && (size_t)vs.st_size == 49 + 16 + b1.len);
        buf_free(&b1);
        buf_free(&b2);
        ph_map_free(back);
        ph_map_free(big);
        diag_free(&d);
    }

    /* a key file with bad contents */
    FILE *f = fopen(path_of("bad.key"), "w");
    fputs("not hex\n", f);
    fclose(f);
    vault_key bk;
    CHECK(vault_key_get(path_of("bad.key"), 0, &bk, &d) == VG_ERR_USAGE);
    vault_key_wipe(&bk);
    diag_free(&d);

    ph_map_free(m);
    vault_key_wipe(&k);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) return 1;
    return T_DONE("test_vault");
}
