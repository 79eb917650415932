/* cmd_debug.c - 'vibeguard debug': look inside the Python frontend.
 *
 *   debug ast FILE...                  ast.dump() text of each file (CPython 3.11 format)
 *   debug ast --list LIST --outdir DIR dump every path listed in LIST (one per line)
 *                                      into DIR/<n>.txt (n = 1-based line); errors in DIR/<n>.err;
 *                                      node positions (Kind line col end_line end_col, one
 *                                      node per line, pre-order) in DIR/<n>.pos
 *   debug parse [--jobs N] PATH...     parse only (.py files under each PATH): files, bytes,
 *                                      parse errors, MB/s, AST and arena bytes per source byte
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/diag.h"
#include "../core/intern.h"
#include "../core/limits.h"
#include "../core/pool.h"
#include "../core/xalloc.h"
#include "../python/dump.h"
#include "../python/parse.h"
#include "cli.h"

static int read_file(const char *path, unsigned char **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    buf b;
    buf_init(&b, 0);
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
        buf_append(&b, tmp, n);
    int err = ferror(fp);
    fclose(fp);
    if (err) {
        buf_free(&b);
        return -1;
    }
    *len = b.len;
    *data = (unsigned char *)buf_detach(&b);
    return 0;
}

/* Positions of every node CPython gives positions to (JoinedStr's inside
 * not included: CPython 3.11 places them inconsistently). */
static int pos_line(py_node *n, void *ud)
{
    buf *b = ud;
    switch (n->kind) {
    case PY_Module: case PY_comprehension: case PY_arguments: case PY_match_case:
    case PY_withitem:
        return AST_CONTINUE;
    case PY_MatchSingleton: /* CPython's value is a plain constant, not a node */
        buf_printf(b, "%s %d %d %d %d\n", ast_kind_name((py_kind)n->kind), n->lineno,
                   n->col_offset, n->end_lineno, n->end_col_offset);
        return AST_SKIP;
    default:
        break;
    }
    buf_printf(b, "%s %d %d %d %d\n", ast_kind_name((py_kind)n->kind), n->lineno, n->col_offset,
               n->end_lineno, n->end_col_offset);
    return n->kind == PY_JoinedStr ? AST_SKIP : AST_CONTINUE;
}

/* Dump one file into out (with a newline), positions into pos (if not
 * NULL); errors into d. */
static int dump_one(const char *path, interner *in, arena *a, buf *out, buf *pos, diag_list *d)
{
    unsigned char *data;
    size_t len;
    if (read_file(path, &data, &len)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    py_module *m = py_parse(a, in, path, data, len, d);
    ast_dump(out, m->node);
    buf_putc(out, '\n');
    if (pos)
        ast_walk(m->node, pos_line, pos);
    free(data);
    arena_reset(a);
    return 0;
}

static int debug_ast_list(const char *list, const char *outdir)
{
    FILE *fp = fopen(list, "r");
    if (!fp)
        return cli_error("cannot open %s", list);
    interner *in = intern_new(intern_global());
    arena a;
    arena_init(&a, 0);
    char line[4096];
    int idx = 0, rc = 0;
    buf out, pos;
    buf_init(&out, 0);
    buf_init(&pos, 0);
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        idx++;
        if (!line[0])
            continue;
        diag_list d = {0};
        buf_clear(&out);
        buf_clear(&pos);
        dump_one(line, in, &a, &out, &pos, &d);
        char *p = xasprintf("%s/%d.txt", outdir, idx);
        FILE *o = fopen(p, "w");
        if (o) {
            fwrite(out.data, 1, out.len, o);
            fclose(o);
        } else {
            rc = 2;
        }
        free(p);
        p = xasprintf("%s/%d.pos", outdir, idx);
        o = fopen(p, "w");
        if (o) {
            if (pos.len)
                fwrite(pos.data, 1, pos.len, o);
            fclose(o);
        }
        free(p);
        if (d.n) {
            p = xasprintf("%s/%d.err", outdir, idx);
            o = fopen(p, "w");
            if (o) {
                cli_print_diags(o, &d, DIAG_NOTE);
                fclose(o);
            }
            free(p);
        }
        diag_free(&d);
    }
    fclose(fp);
    buf_free(&out);
    buf_free(&pos);
    arena_free(&a);
    intern_free(in);
    return rc;
}

static int debug_ast(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "--list") == 0 && strcmp(argv[3], "--outdir") == 0)
        return debug_ast_list(argv[2], argv[4]);
    if (argc < 2)
        return cli_error("usage: vibeguard debug ast FILE...");
    interner *in = intern_new(intern_global());
    arena a;
    arena_init(&a, 0);
    buf out;
    buf_init(&out, 0);
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        diag_list d = {0};
        buf_clear(&out);
        if (dump_one(argv[i], in, &a, &out, NULL, &d))
            rc = 2;
        else
            fwrite(out.data, 1, out.len, stdout);
        cli_print_diags(stderr, &d, DIAG_NOTE);
        diag_free(&d);
    }
    buf_free(&out);
    arena_free(&a);
    intern_free(in);
    return rc;
}

/* ---- debug parse ---- */

typedef struct pfile {
    char *path;
    unsigned char *data;
    size_t len;
    diag_list errors;
    size_t node_bytes, arena_bytes; /* the parse's nodes; all it took from the arena */
} pfile;

typedef struct pjob {
    pfile *files;
    pool_cursor next; /* into files */
} pjob;

static int has_py_ext(const char *p)
{
    size_t n = strlen(p);
    return n > 3 && (strcmp(p + n - 3, ".py") == 0 || strcmp(p + n - 4, ".pyi") == 0);
}

static void collect(const char *path, pfile **v, size_t *n, size_t *cap, int top)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d)
            return;
        struct dirent *e;
        char **names = NULL;
        size_t nn = 0, nc = 0;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            XGROW(names, nc, nn + 1);
            names[nn++] = xasprintf("%s/%s", path, e->d_name);
        }
        closedir(d);
        for (size_t i = 0; i < nn; i++) {
            collect(names[i], v, n, cap, 0);
            free(names[i]);
        }
        free(names);
        return;
    }
    if (!S_ISREG(st.st_mode) || (!top && !has_py_ext(path)))
        return;
    XGROW(*v, *cap, *n + 1);
    memset(&(*v)[*n], 0, sizeof **v);
    (*v)[*n].path = xstrdup(path);
    (*n)++;
}

/* One pool worker: its own interner and arena; errors go to the file. */
static void parse_worker(void *ud, int t)
{
    (void)t;
    pjob *j = ud;
    interner *in = intern_new(intern_global());
    arena a;
    arena_init(&a, 0);
    size_t i;
    while (pool_cursor_next(&j->next, &i)) {
        pfile *f = &j->files[i];
        py_module *m = py_parse(&a, in, f->path, f->data, f->len, &f->errors);
        f->node_bytes = m->node_bytes;
        f->arena_bytes = a.total;
        arena_reset(&a);
    }
    arena_free(&a);
    intern_free(in);
}

static double now(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int debug_parse(int argc, char **argv)
{
    int jobs = 1;
    pfile *files = NULL;
    size_t n = 0, cap = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
            jobs = atoi(argv[++i]);
            if (jobs < 1 || jobs > VG_MAX_JOBS)
                return cli_error("--jobs must be 1..%d", VG_MAX_JOBS);
        } else {
            collect(argv[i], &files, &n, &cap, 1);
        }
    }
    if (n == 0)
        return cli_error("usage: vibeguard debug parse [--jobs N] PATH... (no .py files found)");
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        if (read_file(files[i].path, &files[i].data, &files[i].len) == 0)
            bytes += files[i].len;
    }
    pjob job = {.files = files};
    pool_cursor_init(&job.next, n);
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    pool_run(jobs, parse_worker, &job);
    double dt = now(CLOCK_MONOTONIC) - t0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    size_t nerr = 0, nbad = 0, node_bytes = 0, arena_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        cli_print_diags(stdout, &files[i].errors, DIAG_NOTE);
        node_bytes += files[i].node_bytes;
        arena_bytes += files[i].arena_bytes;
        nerr += files[i].errors.n;
        nbad += files[i].errors.n > 0;
        diag_free(&files[i].errors);
        free(files[i].data);
        free(files[i].path);
    }
    free(files);
    printf("files: %zu\nbytes: %zu\nparse errors: %zu (in %zu files)\nseconds: %.3f\nMB/s: %.1f\n"
           "cpu seconds: %.3f\nMB/s per cpu second: %.1f\njobs: %d\n",
           n, bytes, nerr, nbad, dt, dt > 0 ? (double)bytes / 1e6 / dt : 0.0, cpu,
           cpu > 0 ? (double)bytes / 1e6 / cpu : 0.0, jobs);
    double per = bytes ? 1.0 / (double)bytes : 0.0;
    printf("AST bytes: %zu (%.2f per source byte)\narena bytes: %zu (%.2f per source byte)\n",
           node_bytes, (double)node_bytes * per, arena_bytes, (double)arena_bytes * per);
    return 0;
}

int cmd_debug(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "ast") == 0)
        return debug_ast(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "parse") == 0)
        return debug_parse(argc - 1, argv + 1);
    return cli_error("usage: vibeguard debug ast FILE... | debug parse [--jobs N] PATH...");
}
