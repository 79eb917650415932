/* fuzz_pyrules.c - libFuzzer target for the Python analyzer end to end:
 * any bytes are parsed, resolved and run through every pattern rule (and
 * whatever else the analyzer runs on the module) without crashing; every
 * finding lies inside the file and has a registered rule. */
#include "finding/analyzer.h"
#include "core/opts.h"
#include "finding/finding.h"
#include "finding/rule.h"
#include "scan/families.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vg_opts opts;
    static vg_scan scan;
    static void *state;
    if (!state) {
        opts_init(&opts);
        families_register();
        scan.opts = &opts;
        scan.nthreads = 1;
        if (python_analyzer.init(&scan, &state, NULL) != VG_OK) abort();
    }
    vg_file f = {0};
    f.path = "fuzz/app.py";
    f.data = data;
    f.len = size;
    f.kind = FK_PYTHON;
    /* each input through the default rules, then through --profile bandit's
     * (src/rules/bandit*.c) */
    for (int profile = 0; profile < 2; profile++) {
        opts.profile = profile ? PROFILE_BANDIT : PROFILE_DEFAULT;
        vg_out out;
        out_init(&out, &opts);
        if (python_analyzer.file(&scan, state, &f, &out) != VG_OK) abort();
        int lines = file_line_of(&f, size ? size - 1 : 0, NULL);
        for (size_t i = 0; i < out.n; i++) {
            const finding *fd = out.v[i];
            if (!registry_find(fd->rule->id)) abort();
            if (fd->line < 1 || fd->line > lines + 1 || fd->end_line < fd->line) abort();
        }
        out_free(&out);
    }
    file_lines_free(&f);
    return 0;
}
