/* fuzz_threat.c - libFuzzer target for the threat model's reading of a
 * Python file (scan/threat.h): any bytes, as an application module, give a
 * model without crashing; every element has an id, a type and a boundary,
 * every flow joins two elements of the model, every threat names one, and
 * the model is the same when the file is read twice (deterministic); its
 * HTML page (report/html_threat.c) renders, and markup in the input stays
 * text (no <img or <script tag on the page). */
#include "report/report.h"
#include "scan/threat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int has_el(const tm_model *m, const char *id)
{
    for (size_t i = 0; i < m->nel; i++)
        if (!strcmp(m->el[i].id, id)) return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tm_model a, b;
    threat_init(&a);
    threat_init(&b);
    threat_add_file(&a, "app/views.py", (const char *)data, size);
    threat_add_file(&a, "app/urls.py", (const char *)data, size);
    threat_finish(&a, NULL, 0, ".");
    threat_add_file(&b, "app/views.py", (const char *)data, size);
    threat_add_file(&b, "app/urls.py", (const char *)data, size);
    threat_finish(&b, NULL, 0, ".");
    if (a.nel != b.nel || a.nfl != b.nfl || a.nth != b.nth) abort();
    for (size_t i = 0; i < a.nel; i++)
        if (!a.el[i].id || !a.el[i].type || !a.el[i].boundary || strcmp(a.el[i].id, b.el[i].id)) abort();
    for (size_t i = 0; i < a.nfl; i++)
        if (!has_el(&a, a.fl[i].from) || !has_el(&a, a.fl[i].to)) abort();
    for (size_t i = 0; i < a.nth; i++)
        if (!has_el(&a, a.th[i].element) || !strchr("STRIDE", a.th[i].stride)) abort();
    tm_diff d;
    threat_diff(&a, &b, &d);
    if (d.nadded || d.nremoved || d.nchanged || d.nfadded || d.nfremoved) abort();
    threat_diff_free(&d);
    report_threat v = {.project = "app", .stack = "", .el = a.el, .nel = a.nel, .fl = a.fl,
                       .nfl = a.nfl, .th = a.th, .nth = a.nth, .files = a.files};
    buf page;
    buf_init(&page, 0);
    report_threat_page(&v, "fuzz", &page);
    /* no input byte becomes markup: "<img" or "<script" only if written by us */
    if (memmem(page.data, page.len, "<img", 4) || memmem(page.data, page.len, "<script", 7)) abort();
    buf_free(&page);
    threat_free(&a);
    threat_free(&b);
    return 0;
}
