/* threat.h - the STRIDE threat model of a Python project, drawn from its
 * code ('vibeguard threat-model', docs/threat-model.md).
 *
 * The model holds elements (entry points: every route with its method,
 * path, auth check and parameters; data stores: databases with their
 * engine and connection settings, files written, caches; external
 * services: HTTP targets, LLM APIs with the model and the data sent,
 * message queues; subprocesses; secrets and where they come from), the
 * data flows between them, the trust boundaries they sit in, and for each
 * element the STRIDE threats that apply, each with its evidence (a
 * finding of the scan, or a fact of the code: "no authentication on this
 * route"), a status (open, or mitigated with the evidence) and the fix.
 *
 * The records (elements, flows, threats) are plain data of
 * finding/tmodel.h, so the HTML report can draw them.
 *
 * Building: threat_init, then the files (threat_add_file, or all of a
 * working tree with threat_add_tree, or of a revision's tree with
 * threat_add_rev, which reads blobs and never checks anything out), then
 * threat_finish with the scan's findings (or NULL), which joins Django's
 * URL configuration to its views, derives the threats and sorts
 * everything.  The model is deterministic: the same code gives the same
 * model byte for byte, whatever the walk order, so two models diff
 * (threat_diff).  Paths are relative to the root.  No value of a secret
 * is ever kept: a secret is its name and where it comes from, and a
 * connection URL keeps its scheme, host and database with the
 * credentials replaced by ****.  Library code: nothing is printed.
 */
#ifndef VG_SCAN_THREAT_H
#define VG_SCAN_THREAT_H

#include <stddef.h>

#include "../core/diag.h"
#include "../core/opts.h"
#include "../core/status.h"
#include "../finding/finding.h"
#include "../finding/tmodel.h"
#include "stack.h"

typedef struct tm_model {
    unsigned char stack[STACK_COUNT];
    tm_element *el;
    size_t nel, capel;
    tm_flow *fl;
    size_t nfl, capfl;
    tm_threat *th;
    size_t nth, capth;
    size_t files;      /* Python files read */
    int scanned;       /* threat_finish was given findings */
    struct tm_pending *pending; /* Django url rows and views, joined in threat_finish */
} tm_model;

void threat_init(tm_model *m);
void threat_free(tm_model *m);

/* One file of the project: `path` relative to the root, '/'-separated.
 * Python application code (class FC_CODE, not a test) gives elements;
 * a direct manifest gives only stack rows; anything else is ignored. */
void threat_add_file(tm_model *m, const char *path, const char *data, size_t len);
/* Every file of the working tree at root (the walker: gitignore, no links
 * out).  -1 with an error diag when the walk fails. */
int threat_add_tree(tm_model *m, const char *root, diag_list *d);
/* Every file of revision rev's tree under root, read as blobs. */
int threat_add_rev(tm_model *m, const char *root, const char *rev, diag_list *d);

/* Derive the threats and sort.  findings: the scan of the same root
 * (paths as the scan shows them, below display root `shown_root`), or
 * NULL for a model of the code alone (--no-scan, --diff).  Only
 * unsuppressed issues count. */
void threat_finish(tm_model *m, finding *const *findings, size_t n, const char *shown_root);


/* What changed from model a (the revision) to b (the working tree):
 * elements and flows added or removed, elements whose facts changed
 * (auth, parameters, settings, models...: everything but their sites),
 * and threats that are new or newly open.  Pointers into a and b. */
typedef struct tm_diff {
    const tm_element **added, **removed, **changed;
    size_t nadded, nremoved, nchanged;
    const tm_flow **fadded, **fremoved;
    size_t nfadded, nfremoved;
    const tm_threat **tnew;
    size_t ntnew;
} tm_diff;
void threat_diff(const tm_model *a, const tm_model *b, tm_diff *out);
void threat_diff_free(tm_diff *d);

#endif
