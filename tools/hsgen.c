/* hsgen.c - build step: compile the Hyperscan databases of the built-in
 * rule sets once, at build time, and write them as one blob that the
 * binary embeds (build/gen/hsdb.bin -> vg_embed_hsdb_bin, registered by
 * src/cli/main.c through scan_prebuilt_use).
 *
 * Compiling the patterns costs seconds; a CI job is always a cold start,
 * so the binary carries the compiled databases and only deserialises them.
 * The databases made are the ones the commands build with their default
 * options: `scan` with and without PII, `redact` (secrets and its PII
 * entities) and `pii`.  Any other set (user rules, --entities, a config)
 * finds no prebuilt entry by key and is compiled and cached as before.
 * The blob records the CPU features and the Hyperscan version it was
 * built with; a binary run elsewhere compiles instead.
 *
 * usage: hsgen OUT.bin
 */
#include "core/opts.h"
#include "finding/finding.h"
#include "redact/redact.h"
#include "scan/run.h"
#include "text/pii.h"
#include "text/scan.h"
#include "text/secrets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *what, const diag_list *d)
{
    fprintf(stderr, "hsgen: %s\n", what);
    for (size_t i = 0; d && i < d->n; i++)
        fprintf(stderr, "hsgen:   %s\n", d->v[i].message ? d->v[i].message : "");
    return 1;
}

/* One scan of an empty tree: the text analyzer builds its database at init. */
static int scan_config(const char *root, int pii)
{
    vg_opts o;
    opts_init(&o);
    str_list_add(&o.paths, root);
    o.jobs = 1;
    o.pii_enabled = pii;
    vg_out out;
    out_init(&out, &o);
    scan_stats st;
    diag_list d = {0};
    vg_status rc = scan_run(&o, &out, &st, &d, NULL, NULL);
    int r = rc ? fail("a scan could not start", &d) : 0;
    diag_free(&d);
    out_free(&out);
    opts_free(&o);
    return r;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: hsgen OUT.bin\n", stderr);
        return 2;
    }
    char root[] = "/tmp/vg-hsgen.XXXXXX";
    if (!mkdtemp(root)) return fail("cannot make a temporary directory", NULL);
    scan_prebuilt_record();
    int bad = scan_config(root, 1) || scan_config(root, 0);
    rmdir(root);

    diag_list d = {0};
    if (!bad) { /* `redact` defaults: its one pass (secrets and PII), its line-gated PII */
        secrets *sec = NULL;
        if (secrets_open(NULL, &sec, &d)) bad = fail("the secret rules did not load", &d);
        if (sec) secrets_set_recall(sec, 1);
        ph_map *map = ph_map_new();
        redact_opts ro = {.style = PH_PLACEHOLDER, .threshold = 0.4};
        redactor *r = NULL;
        if (!bad && redactor_new(&ro, sec, map, &r, &d)) bad = fail("redact could not start", &d);
        redactor_free(r);
        ph_map_free(map);
        secrets_close(sec);
    }
    if (!bad) { /* `pii` defaults (cmd_pii.c: every public entity, threshold 0.4) */
        pii *p = NULL;
        if (pii_open(PII_ALL_PUBLIC, 0.4, PII_OPEN_OWN_DB | PII_OPEN_PRESIDIO, &p, &d))
            bad = fail("pii could not start", &d);
        pii_close(p);
    }
    diag_free(&d);
    unsigned char *blob = NULL;
    size_t len = 0;
    if (scan_prebuilt_take(&blob, &len)) return fail("no databases were recorded", NULL);
    if (bad) {
        free(blob);
        return 1;
    }
    char *tmp = malloc(strlen(argv[1]) + 8);
    if (!tmp) return fail("out of memory", NULL);
    sprintf(tmp, "%s.tmp", argv[1]);
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(blob, 1, len, f) == len;
    if (f && fclose(f)) ok = 0;
    if (ok && rename(tmp, argv[1])) ok = 0;
    if (!ok) unlink(tmp);
    free(tmp);
    free(blob);
    if (!ok) return fail("cannot write the blob", NULL);
    return 0;
}
