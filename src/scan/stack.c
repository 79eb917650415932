/* stack.c - detect the stack of stack.def in a project (stack.h). */
#include "stack.h"

#include "../core/arena.h"
#include "../core/fsutil.h"
#include "../core/intern.h"
#include "../deps/manifest.h"
#include "../python/parse.h"
#include "../python/sema.h"
#include "../walk/walk.h"
#include "fclass.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define STACK_MAX_PY (4u << 20) /* larger Python files are not read for imports */

const stack_row stack_rows[STACK_COUNT] = {
#define STACK(id, kind, name, fw, modules, dists) {#id, name, modules, dists, STK_##kind, fw},
#include "stack.def"
};

const char *stack_kind_name(int kind)
{
    static const char *const names[STK_COUNT] = {"framework", "database", "templates", "auth",
                                                 "LLM client", "HTTP client", "data format",
                                                 "processes"};
    return kind >= 0 && kind < STK_COUNT ? names[kind] : "";
}

typedef struct detect_ctx {
    const char *root;   /* display root (walk_display_root), for relative paths */
    interner *in;
    arena a;
    unsigned char found[STACK_COUNT];
} detect_ctx;

static int is_py(const char *path)
{
    size_t n = strlen(path);
    return (n > 3 && !strcmp(path + n - 3, ".py")) || (n > 4 && !strcmp(path + n - 4, ".pyi"));
}

/* Does r import one of the space-separated modules of `list`? */
static int imports_any(const py_resolver *r, const char *list)
{
    char mod[128];
    for (const char *p = list; *p;) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (n && n < sizeof mod) {
            memcpy(mod, p, n);
            mod[n] = 0;
            if (resolve_imports(r, mod)) return 1;
        }
        p += n;
    }
    return 0;
}

void stack_of_module(const py_resolver *r, unsigned char found[STACK_COUNT])
{
    unsigned fw = sema_frameworks(r);
    for (size_t i = 0; i < STACK_COUNT; i++)
        if (!found[i] && ((stack_rows[i].fw && (fw & stack_rows[i].fw)) ||
                          (*stack_rows[i].modules && imports_any(r, stack_rows[i].modules))))
            found[i] = 1;
}

/* Is distribution `name` (n bytes, as written) in the space-separated
 * list (normalized names)?  Compared as PEP 503: case, '-', '_', '.' alike. */
static int dist_listed(const char *list, const char *name, size_t n)
{
    char norm[128];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof norm; i++) {
        char ch = (char)tolower((unsigned char)name[i]);
        if (ch == '_' || ch == '.') ch = '-';
        if (ch == '-' && k && norm[k - 1] == '-') continue;
        norm[k++] = ch;
    }
    norm[k] = 0;
    for (const char *p = list; *p;) {
        while (*p == ' ') p++;
        size_t m = strcspn(p, " ");
        if (m && m == k && !memcmp(p, norm, k)) return 1;
        p += m;
    }
    return 0;
}

/* A direct dependency manifest: its runtime packages mark stacks. */
void stack_of_manifest(int kind, const char *path, const char *data, size_t len,
                       unsigned char found[STACK_COUNT])
{
    manifest m;
    memset(&m, 0, sizeof m);
    diag_list d = {0};
    manifest_parse(&m, (manifest_kind)kind, path, data, len, &d);
    diag_free(&d);
    for (size_t i = 0; i < m.n; i++) {
        const dep *x = &m.deps[i];
        if (x->eco != ECO_PYPI || (x->flags & (DEP_DEV | DEP_CONSTRAINT))) continue;
        for (size_t s = 0; s < STACK_COUNT; s++)
            if (!found[s] && dist_listed(stack_rows[s].dists, x->name, strlen(x->name)))
                found[s] = 1;
    }
    manifest_free(&m);
}

/* One file of the walk (walk_opts.jobs is 1: calls are serial). Test
 * files are left out: the stack is what the application runs. */
static void detect_file(void *ud, int thread, const char *path, const char *fs_path)
{
    (void)thread;
    detect_ctx *c = ud;
    manifest_kind mk = manifest_kind_of(path);
    int direct = mk == MK_REQUIREMENTS || mk == MK_PYPROJECT || mk == MK_PIPFILE;
    if ((!direct && !is_py(path)) || sema_is_test_path(path)) return;
    char *data = NULL;
    size_t len = 0;
    if (fs_read_all(fs_path, STACK_MAX_PY, &data, &len)) return;
    /* the application's own code: not tests, docs, examples, vendored
     * copies or maintainers' scripts (classified by the path in the project) */
    size_t rl = strlen(c->root);
    const char *rel = strcmp(c->root, ".") && !strncmp(path, c->root, rl) && path[rl] == '/'
                          ? path + rl + 1 : path;
    if (!direct && fclass_of(rel, (const unsigned char *)data, len) != FC_CODE) {
        free(data);
        return;
    }
    if (direct) {
        stack_of_manifest(mk, path, data, len, c->found);
        free(data);
        return;
    }
    diag_list errs = {0};
    py_module *m = py_parse(&c->a, c->in, path, (const unsigned char *)data, len, &errs);
    diag_free(&errs);
    if (m) stack_of_module(resolve_module(&c->a, c->in, m, path), c->found);
    arena_reset(&c->a);
    free(data);
}

int stack_detect(const char *root, unsigned char found[STACK_COUNT], diag_list *d)
{
    detect_ctx c = {0};
    char *disp = walk_display_root(root);
    c.root = disp;
    c.in = intern_new(intern_global());
    arena_init(&c.a, 0);
    walk_opts wo = {NULL, 0, 1};
    walk_stats ws = {0};
    vg_status st = walk_root(root, &wo, detect_file, &c, &ws, d);
    memcpy(found, c.found, sizeof c.found);
    arena_free(&c.a);
    intern_free(c.in);
    free(disp);
    return st ? -1 : 0;
}
