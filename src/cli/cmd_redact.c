/* cmd_redact.c - 'vibeguard redact' and 'vibeguard restore': streaming
 * filters between text and its placeholder form (src/redact/). */
#include "cli.h"
#include "args.h"
#include "../core/limits.h"
#include "../redact/redact.h"
#include "../redact/vault.h"
#include "../text/pii.h"
#include "../text/secrets.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char redact_usage[] =
    "usage: vibeguard redact [FILE|-] [--vault FILE] [--style placeholder|shape]\n"
    "\n"
    "Write FILE (or standard input) to standard output with secrets, personal\n"
    "data and internal infrastructure (private IPs, *.internal/*.corp/*.local/\n"
    "*.lan hosts, connection strings with credentials) replaced by typed,\n"
    "numbered placeholders: <AWS_ACCESS_TOKEN_1>, <EMAIL_ADDRESS_2>.  The same\n"
    "value always gets the same placeholder.  Works as a streaming filter.\n"
    "\n"
    "  --vault FILE       save the mapping, encrypted, for 'vibeguard restore'\n"
    "                     (an existing vault is extended)\n"
    "  --key-file FILE    vault key file (default: VIBEGUARD_VAULT_KEY, else\n"
    "                     ~/.config/vibeguard/vault.key, created mode 0600)\n"
    "  --style STYLE      placeholder (default) or shape (keep the value's form)\n"
    "  --entities LIST    PII entities to replace (default: all but DATE_TIME, URL)\n"
    "  --threshold X      minimum PII score, 0..1 (default 0.4)\n"
    "  --no-secrets, --no-pii, --no-infra   leave that kind alone\n"
    "  --operator E=OP    what happens to entity E (a PII entity, PRIVATE_IP, SECRET\n"
    "                     or ALL), Presidio's operators: replace (default), keep,\n"
    "                     mask[:N[:C]] (keep the last N characters), hash (salted\n"
    "                     SHA-256), encrypt (with the vault key); repeatable\n"
    "  --hash-salt TEXT   salt for hash (default: random for each run)\n"
    "  --decrypt          undo the encrypt operator: every <ENC:...> the key opens\n"
    "  -j, --jobs N       threads (default: one per core; the output is the same)\n"
    "  -h, --help         this help\n"
    "\n"
    "Recall first: documentation values and test card numbers are replaced too;\n"
    "a bare card number in code becomes a number (9000...1) so the code parses.\n";

static const char restore_usage[] =
    "usage: vibeguard restore --vault FILE [FILE|-] [--key-file FILE] [--strict]\n"
    "\n"
    "Put the original values back into FILE (or standard input), e.g. an\n"
    "assistant's answer: every placeholder the vault knows, matched exactly or\n"
    "case-insensitively.  Placeholders the vault does not know are left as they\n"
    "are and listed on standard error (exit code 1).  Placeholders the assistant\n"
    "mangled (&lt;EMAIL_ADDRESS_1&gt;, \\<EMAIL\\_ADDRESS\\_1\\>) are restored and\n"
    "listed too; with --strict they also make the exit code 1.\n";

enum { R_VAULT = 1, R_KEYFILE, R_STYLE, R_ENTITIES, R_THRESHOLD, R_NOSEC, R_NOPII, R_NOINFRA,
       R_OPERATOR, R_SALT, R_DECRYPT, R_JOBS, R_HELP };
static const arg_opt redact_opts_tab[] = {
    {"vault", 0, 1, R_VAULT},       {"key-file", 0, 1, R_KEYFILE},  {"style", 0, 1, R_STYLE},
    {"entities", 'e', 1, R_ENTITIES}, {"threshold", 't', 1, R_THRESHOLD},
    {"no-secrets", 0, 0, R_NOSEC},  {"no-pii", 0, 0, R_NOPII},     {"no-infra", 0, 0, R_NOINFRA},
    {"operator", 0, 1, R_OPERATOR}, {"hash-salt", 0, 1, R_SALT},   {"decrypt", 0, 0, R_DECRYPT},
    {"jobs", 'j', 1, R_JOBS},       {"help", 'h', 0, R_HELP},       {0, 0, 0, 0},
};

/* The encrypt operator's key: the vault key, a passphrase stretched with
 * this fixed salt (the key is per user, not per vault). */
static const unsigned char enc_salt[16] = "vibeguard-encr1";

/* Print and free d; the number of errors in it. */
static int print_diags(diag_list *d)
{
    int errors = 0;
    for (size_t i = 0; i < d->n; i++) {
        const diag *g = &d->v[i];
        if (g->level == DIAG_ERROR) errors++;
    }
    cli_print_diags(stderr, d, DIAG_NOTE);
    diag_free(d);
    return errors;
}

static FILE *open_in(const char *cmd, const char *path)
{
    if (!strcmp(path, "-")) return stdin;
    FILE *f = fopen(path, "rb");
    if (!f) cli_error("%s: cannot open %s: %s", cmd, path, strerror(errno));
    return f;
}

/* redact --decrypt: the whole input (bounded) through redact_decrypt_buffer. */
static int decrypt_stream(const char *path, const unsigned char key[32])
{
    FILE *in = open_in("redact", path);
    if (!in) return 2;
    buf b, o;
    buf_init(&b, PII_MAX_INPUT);
    buf_init(&o, 0);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        if (buf_append(&b, chunk, n)) {
            rc = cli_error("redact: --decrypt input larger than %zu MiB", PII_MAX_INPUT >> 20);
            break;
        }
    if (in != stdin) fclose(in);
    size_t bad = 0;
    if (!rc) {
        redact_decrypt_buffer(key, (const unsigned char *)b.data, b.len, &o, &bad);
        fwrite(o.data, 1, o.len, stdout);
        fflush(stdout);
        if (bad) rc = 1, cli_error("redact: %zu encrypted value%s the key does not open, left as is",
                                   bad, bad == 1 ? "" : "s");
    }
    buf_free(&b);
    buf_free(&o);
    return rc;
}

int cmd_redact(int argc, char **argv)
{
    arg_parser ap;
    args_init(&ap, argc, argv);
    const char *val, *path = NULL, *vault = NULL, *key_file = NULL;
    redact_opts o = {.style = PH_PLACEHOLDER, .threshold = 0.4};
    int id, decrypt = 0;
    while ((id = args_next(&ap, redact_opts_tab, &val)) != ARG_END) {
        switch (id) {
        case ARG_ERROR: return cli_error("redact: %s", ap.err);
        case R_OPERATOR: {
            const char *err = NULL;
            if (redact_operator_parse(val, &o, &err)) return cli_error("redact: --operator %s: %s", val, err);
            break;
        }
        case R_SALT:
            crypto_generichash(o.salt, sizeof o.salt, (const unsigned char *)val, strlen(val), NULL, 0);
            break;
        case R_DECRYPT: decrypt = 1; break;
        case ARG_POSITIONAL:
            if (path) return cli_error("redact: one input at a time");
            path = val;
            break;
        case R_VAULT: vault = val; break;
        case R_KEYFILE: key_file = val; break;
        case R_STYLE:
            if (!strcmp(val, "placeholder")) o.style = PH_PLACEHOLDER;
            else if (!strcmp(val, "shape")) o.style = PH_SHAPE;
            else return cli_error("redact: --style must be placeholder or shape, not '%s'", val);
            break;
        case R_ENTITIES: {
            const char *bad = NULL;
            size_t bl = 0;
            o.pii_mask = pii_entities_parse(val, &bad, &bl);
            if (!o.pii_mask) {
                if (bad) return cli_error("redact: unknown entity '%.*s'", (int)bl, bad);
                return cli_error("redact: --entities is empty");
            }
            break;
        }
        case R_THRESHOLD: {
            char *end;
            o.threshold = strtod(val, &end);
            if (*end || end == val || o.threshold < 0 || o.threshold > 1)
                return cli_error("redact: --threshold must be a number from 0 to 1, not '%s'", val);
            break;
        }
        case R_JOBS: {
            int n;
            if (args_parse_int(val, 0, REDACT_MAX_JOBS, &n))
                return cli_error("redact: --jobs needs a number from 0 to %d, not '%s'",
                                 REDACT_MAX_JOBS, val);
            o.jobs = n;
            break;
        }
        case R_NOSEC: o.no_secrets = 1; break;
        case R_NOPII: o.no_pii = 1; break;
        case R_NOINFRA: o.no_infra = 1; break;
        case R_HELP: fputs(redact_usage, stdout); return 0;
        }
    }
    if (!path) path = "-";
    int need_key = decrypt || redact_uses_op(&o, RO_ENCRYPT);
    if (key_file && !vault && !need_key) return cli_error("redact: --key-file needs --vault");
    if (need_key) {
        diag_list kd = {0};
        vault_key k;
        if (vault_key_get(key_file, 1, &k, &kd) || vault_key_derive(&k, enc_salt, o.key, &kd)) {
            print_diags(&kd);
            return 2;
        }
        vault_key_wipe(&k);
        print_diags(&kd);
        o.have_key = 1;
    }
    if (decrypt) return decrypt_stream(path, o.key);

    diag_list d = {0};
    vault_key key;
    int have_key = 0, rc = 0;
    ph_map *map = ph_map_new();
    secrets *sec = NULL;
    redactor *r = NULL;
    FILE *in = NULL;
    if (vault) {
        if (vault_key_get(key_file, 1, &key, &d)) { rc = 2; goto out; }
        have_key = 1;
        struct stat st;
        if (stat(vault, &st) == 0 && vault_load(vault, &key, map, &d)) { rc = 2; goto out; }
    }
    if (!o.no_secrets && secrets_open(NULL, &sec, &d)) { rc = 2; goto out; }
    if (sec) secrets_set_recall(sec, 1);
    if (redactor_new(&o, sec, map, &r, &d)) { rc = 2; goto out; }
    if (print_diags(&d)) { rc = 2; goto out; }
    if (!(in = open_in("redact", path))) { rc = 2; goto out; }
    if (redact_stream(r, in, stdout, &d)) {
        if (ph_map_count(map) >= PH_MAX_ENTRIES)
            diag_add(&d, DIAG_ERROR, NULL, 0, 0,
                     "more than %u distinct values: one map (and vault) holds at most that many; "
                     "redact the input in parts, each with its own vault", PH_MAX_ENTRIES);
        rc = 2;
        goto out;
    }
    if (vault && vault_save(vault, &key, map, &d)) { rc = 2; goto out; }
out:
    if (print_diags(&d)) rc = 2;
    if (in && in != stdin) fclose(in);
    redactor_free(r);
    secrets_close(sec);
    ph_map_free(map);
    if (have_key) vault_key_wipe(&key);
    return rc;
}

enum { S_VAULT = 1, S_KEYFILE, S_STRICT, S_HELP };
static const arg_opt restore_opts_tab[] = {
    {"vault", 0, 1, S_VAULT}, {"key-file", 0, 1, S_KEYFILE}, {"strict", 0, 0, S_STRICT},
    {"help", 'h', 0, S_HELP}, {0, 0, 0, 0},
};

int cmd_restore(int argc, char **argv)
{
    arg_parser ap;
    args_init(&ap, argc, argv);
    const char *val, *path = NULL, *vault = NULL, *key_file = NULL;
    int id, strict = 0;
    while ((id = args_next(&ap, restore_opts_tab, &val)) != ARG_END) {
        switch (id) {
        case ARG_ERROR: return cli_error("restore: %s", ap.err);
        case ARG_POSITIONAL:
            if (path) return cli_error("restore: one input at a time");
            path = val;
            break;
        case S_VAULT: vault = val; break;
        case S_KEYFILE: key_file = val; break;
        case S_STRICT: strict = 1; break;
        case S_HELP: fputs(restore_usage, stdout); return 0;
        }
    }
    if (!vault) return cli_error("restore: --vault FILE is required");
    if (!path) path = "-";
    diag_list d = {0};
    vault_key key;
    ph_map *map = ph_map_new();
    restore_stats st = {0};
    FILE *in = NULL;
    int rc = 0;
    if (vault_key_get(key_file, 0, &key, &d)) {
        print_diags(&d);
        ph_map_free(map);
        return 2;
    }
    if (vault_load(vault, &key, map, &d)) { rc = 2; goto out; }
    if (!(in = open_in("restore", path))) { rc = 2; goto out; }
    if (restore_stream(map, in, stdout, &st, &d)) { rc = 2; goto out; }
    if (st.unknown) {
        cli_error("restore: %zu placeholder%s not in the vault, left as is:", st.unknown,
                  st.unknown == 1 ? "" : "s");
        for (size_t i = 0; i < st.n_unknown_list; i++) cli_error("  %s", st.unknown_list[i]);
        rc = 1;
    }
    if (st.mangled) {
        cli_error("restore: %zu placeholder%s written otherwise than redact wrote %s (check "
                  "those places):", st.mangled, st.mangled == 1 ? "" : "s",
                  st.mangled == 1 ? "it" : "them");
        for (size_t i = 0; i < st.n_mangled_list; i++) cli_error("  %s", st.mangled_list[i]);
        if (strict) rc = 1;
    }
out:
    if (print_diags(&d)) rc = 2;
    if (in && in != stdin) fclose(in);
    restore_stats_free(&st);
    ph_map_free(map);
    vault_key_wipe(&key);
    return rc;
}
