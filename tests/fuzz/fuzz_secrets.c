/* fuzz_secrets.c - libFuzzer target for the text pass: any bytes through
 * the one Hyperscan scan and every family's confirmation (secrets with
 * PCRE2, hidden Unicode with its decoders, PII), as a Python file, a text
 * file or an agent file (chosen by the first byte).  Never a crash, a
 * leak or a hang; every finding's span lies inside the input. */
#include "finding/analyzer.h"
#include "core/opts.h"
#include "finding/finding.h"
#include "text/secrets.h"
#include "scan/families.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static vg_opts opts;
static vg_scan scan;
static void *state;
static secrets *engine;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    opts_init(&opts);
    scan.opts = &opts;
    scan.nthreads = 1;
    diag_list d = {0};
    families_register();
    if (text_analyzer.init(&scan, &state, &d) != VG_OK) abort();
    if (secrets_open(NULL, &engine, &d) != VG_OK) abort();
    diag_free(&d);
    secret_match *m = NULL; /* builds secrets_find's own database now, not in a timed unit */
    size_t n = 0;
    secrets_find(engine, (const unsigned char *)"x", 1, NULL, &m, &n);
    free(m);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    vg_file f = {0};
    f.path = (data[0] & 3) == 0 ? "x.py" : (data[0] & 3) == 1 ? "AGENTS.md" : "notes.txt";
    f.kind = (data[0] & 3) == 0 ? FK_PYTHON : FK_TEXT;
    f.agent_file = (data[0] & 3) == 1;
    f.data = data + 1;
    f.len = size - 1;
    vg_out out;
    out_init(&out, &opts);
    text_analyzer.file(&scan, state, &f, &out);
    for (size_t i = 0; i < out.n; i++)
        if (out.v[i]->line < 1 || !out.v[i]->message) abort();
    out_free(&out);
    file_lines_free(&f);
    secret_match *m = NULL;
    size_t n = 0;
    if (secrets_find(engine, data, size, "fuzz.txt", &m, &n) == VG_OK)
        for (size_t i = 0; i < n; i++)
            if (m[i].end > size || m[i].secret_end > size || m[i].secret_start > m[i].secret_end)
                abort();
    free(m);
    return 0;
}
