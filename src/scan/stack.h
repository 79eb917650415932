/* stack.h - the components of a project's stack (stack.def): which web
 * framework, ORM, template engine, auth library, LLM client, HTTP client,
 * data format and external program a project uses, detected from its
 * Python imports (through python/resolve and python/sema) and its direct
 * dependency manifests.  One detection for every command that asks:
 * 'instructions' and 'prompt' (guidance by stack), 'threat-model' (the
 * elements of the model).
 */
#ifndef VG_SCAN_STACK_H
#define VG_SCAN_STACK_H

#include "../core/diag.h"
#include "../core/status.h"
#include "../python/resolve.h"

enum stack_kind {
    STK_FRAMEWORK, STK_DATABASE, STK_TEMPLATE, STK_AUTH, STK_LLM, STK_HTTP, STK_DATA,
    STK_PROCESS, STK_COUNT
};

enum {
#define STACK(id, kind, name, fw, modules, dists) STACK_##id,
#include "stack.def"
    STACK_COUNT
};

typedef struct stack_row {
    const char *id, *name, *modules, *dists;
    int kind;      /* STK_* */
    unsigned fw;   /* SEMA_FW_* bits, 0 for none */
} stack_row;

extern const stack_row stack_rows[STACK_COUNT];

/* "framework", "database", "templates", "auth", "LLM client", ... */
const char *stack_kind_name(int kind);

/* Mark in found[] the rows module r uses (its imports, or for a
 * framework row the frameworks sema sees).  Leaves other entries alone. */
void stack_of_module(const py_resolver *r, unsigned char found[STACK_COUNT]);

/* Mark in found[] the rows whose distributions direct manifest `path`
 * (a manifest_kind of deps/manifest.h: requirements, pyproject, Pipfile)
 * names among its runtime dependencies. */
void stack_of_manifest(int kind, const char *path, const char *data, size_t len,
                       unsigned char found[STACK_COUNT]);

/* The stack of the project at root: its application code (class FC_CODE,
 * not test files) and its direct manifests' runtime dependencies.  A
 * failed walk is -1 with an error diag in d. */
int stack_detect(const char *root, unsigned char found[STACK_COUNT], diag_list *d);

#endif
