/* fuzz_taint.c - libFuzzer target for the taint engine: any bytes are
 * parsed, resolved and run through taint_module and taint_finish (as two
 * modules of one project, so cross-module joins run too) without crashing
 * or leaking; every finding is a registered rule (VG7xx, the LLM families
 * VG503-VG506) inside the file. */
#include "core/arena.h"
#include "core/intern.h"
#include "core/opts.h"
#include "python/parse.h"
#include "python/resolve.h"
#include "finding/finding.h"
#include "finding/rule.h"
#include "taint/taint.h"
#include "scan/families.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vg_opts opts;
    static interner *in;
    if (!in) {
        opts_init(&opts);
        families_register();
    }
    taint_state *ts = NULL;
    if (taint_init(&opts, &ts, NULL) != VG_OK) abort();
    if (!in) in = intern_new(intern_global()); /* after taint_init interned its names */
    vg_out out;
    out_init(&out, &opts);
    static const char *const paths[2] = {"app/views.py", "app/db.py"};
    for (int k = 0; k < 2; k++) {
        arena a;
        arena_init(&a, 0);
        diag_list errs = {0};
        py_module *m = py_parse(&a, in, paths[k], data, size, &errs);
        py_resolver *r = resolve_module(&a, in, m, paths[k]);
        vg_file f = {0};
        f.path = paths[k];
        f.data = data;
        f.len = size;
        f.kind = FK_PYTHON;
        taint_module(ts, &f, m, r, &out, out.n);
        int lines = file_line_of(&f, size ? size - 1 : 0, NULL);
        for (size_t i = 0; i < out.n; i++) {
            const finding *fd = out.v[i];
            if (!registry_find(fd->rule->id)) abort();
            if (strcmp(fd->path, paths[k]) == 0 && (fd->line < 1 || fd->line > lines + 1))
                abort();
        }
        file_lines_free(&f);
        diag_free(&errs);
        arena_free(&a);
    }
    taint_finish(ts, &out); /* cross-module findings from the sites of the file phase */
    for (size_t i = 0; i < out.n; i++)
        if (!out.v[i]->snippet || !out.v[i]->context || out.v[i]->line < 1) abort();
    taint_fini(ts);
    out_free(&out);
    return 0;
}
