/* run.c - the scan driver; see run.h.
 *
 * scan_run: check the roots, init the analyzers, walk every root with
 * opts->jobs workers; each worker reads a file once into its own reusable
 * buffer, classifies it and hands it to every analyzer with its own vg_out.
 * After the walk the per-thread outputs are merged (thread order), the
 * analyzers finish, the optional git history pass runs, and findings and
 * diags are sorted so the result never depends on thread timing.
 */
#include "run.h"

#include "ctxcache.h"
#include "families.h"
#include "fclass.h"
#include "merge.h"
#include "policy.h"
#include "shard.h"
#include "../walk/walk.h"
#include "../core/limits.h"
#include "../core/fault.h"
#include "../core/xalloc.h"
#include "../git/git.h"
#include "../python/coding.h"
#include "../python/sema.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_NS 100000000LL

#define analyzers families_analyzers

typedef struct tslot {
    unsigned char *data;   /* read buffer, reused */
    size_t cap;
    buf text;              /* a Python file decoded from its coding cookie, reused */
} tslot;

typedef struct run_ctx {
    vg_scan *scan;
    const vg_opts *opts;
    vg_out *outs;          /* per thread */
    tslot *slots;          /* per thread */
    size_t max_size;
    /* counters shared by the workers (relaxed atomics) */
    size_t files, bytes, python_files, skipped_binary, skipped_large, unreadable, context_files;
    int pick;              /* only files some running analyzer wants (families_wants) */
    int context;           /* --shard, --staged: a running analyzer needs the files not reported */
    const scan_stats *base; /* stats of earlier roots */
    const char *droot;     /* display form of the root being walked ("" for ".") */
    scan_progress_fn progress;
    void *ud;
    long long next_due;    /* monotonic ns */
    pthread_mutex_t pmu;
} run_ctx;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#define ADD(field, n) __atomic_add_fetch(&rc->field, (n), __ATOMIC_RELAXED)
#define GET(field) __atomic_load_n(&rc->field, __ATOMIC_RELAXED)

static void snapshot(run_ctx *rc, scan_stats *s)
{
    *s = *rc->base;
    s->files += GET(files);
    s->bytes += GET(bytes);
    s->python_files += GET(python_files);
    s->skipped_binary += GET(skipped_binary);
    s->skipped_large += GET(skipped_large);
    s->unreadable += GET(unreadable);
}

static void maybe_progress(run_ctx *rc)
{
    if (!rc->progress) return;
    long long t = now_ns();
    if (t < __atomic_load_n(&rc->next_due, __ATOMIC_RELAXED)) return;
    if (pthread_mutex_trylock(&rc->pmu) != 0) return;
    if (t >= rc->next_due) {
        rc->next_due = t + PROGRESS_NS;
        scan_stats s;
        snapshot(rc, &s);
        rc->progress(&s, rc->ud);
    }
    pthread_mutex_unlock(&rc->pmu);
}


static int rule_selected(const str_list *sel, const str_list *ign, const rule_meta *m)
{
    int in = sel->n == 0;
    for (size_t i = 0; i < sel->n && !in; i++) in = rule_matches(m, sel->v[i]);
    for (size_t i = 0; i < ign->n && in; i++) in = !rule_matches(m, ign->v[i]);
    return in;
}

/* Would any rule of analyzer a survive this select and ignore? */
static int analyzer_selected_by(const str_list *sel, const str_list *ign, const analyzer *a)
{
    if (!sel->n && !ign->n) return 1;
    int idx = -1;
    for (int i = 0; i < VG_ANALYZERS; i++)
        if (analyzers[i] == a) idx = i;
    if (idx < 0) return 1;
    for (size_t r = 0; r < registry_count(); r++) {
        const rule_meta *m = registry_at(r);
        for (int k = 0; k < 4 && families_reported[idx][k]; k++)
            if (m->analyzer && !strcmp(m->analyzer, families_reported[idx][k]) &&
                rule_selected(sel, ign, m))
                return 1;
    }
    /* a user's own secret rule is registered only when the text analyzer
     * starts: a selector of that shape keeps it running */
    for (size_t i = 0; i < sel->n; i++)
        for (int k = 0; k < 4 && families_reported[idx][k]; k++)
            if (!strcmp(families_reported[idx][k], "secrets") &&
                !strncasecmp(sel->v[i], "secret:", 7))
                return 1;
    return 0;
}

/* An analyzer none of whose rules can be reported is not started:
 * `--select B,VG` neither compiles the secrets database nor reads
 * manifests.  A nested config's select (o->subtrees) may name rules the
 * top-level one does not: the analyzer then runs, and the filter keeps
 * what it finds to that folder.  (Ignores only add up, so the top-level
 * ignore holds everywhere.) */
static int analyzer_selected(const vg_opts *o, const analyzer *a)
{
    if (analyzer_selected_by(&o->select, &o->ignore, a)) return 1;
    for (size_t i = 0; i < o->n_subtrees; i++)
        if (o->subtrees[i].has_select &&
            analyzer_selected_by(&o->subtrees[i].select, &o->ignore, a))
            return 1;
    return 0;
}

vg_status scan_dispatch(vg_scan *s, const vg_file *f, vg_out *out)
{
    vg_status first = VG_OK;
    size_t before = out->n;
    for (int i = 0; i < VG_ANALYZERS; i++) {
        if (!analyzers[i]->file || s->off[i]) continue;
        vg_status r = analyzers[i]->file(s, s->state[i], f, out);
        if (r && !first) first = r;
    }
    /* one analyzer's secret may stand in another's context lines */
    if (!out->secrets) out->secrets = mask_set_new();
    findings_mask_file(out->v + before, out->n - before, f, out->secrets);
    return first;
}

/* Another shard's file: only analyzers with a finish phase (they gather
 * whole-tree facts: cross-module taint, manifests) see it, and what it
 * reports here is dropped; its own shard reports it. */
static void context_dispatch(vg_scan *s, const vg_file *f)
{
    vg_out tmp;
    out_init(&tmp, s->opts);
    for (int i = 0; i < VG_ANALYZERS; i++)
        if (analyzers[i]->file && analyzers[i]->finish && !s->off[i])
            analyzers[i]->file(s, s->state[i], f, &tmp);
    out_free(&tmp);
}

/* Where f sits in the project, from its path below the scan root: the
 * class every analyzer reads and the test flag of the rules. */
static void classify(vg_file *f, const char *rel)
{
    f->cls = fclass_of(rel, f->data, f->len);
    f->test_file = sema_is_test_path(rel);
}

/* The history pass: its blobs counted for the progress line, which a
 * history of thousands of commits needs as much as the walk does. */
typedef struct hist_ctx {
    vg_scan *scan;
    scan_progress_fn progress;
    void *ud;
    const scan_stats *st;  /* the walk's stats so far */
    size_t seen;           /* blobs so far (relaxed atomic) */
    long long next_due;    /* monotonic ns */
    pthread_mutex_t mu;
} hist_ctx;

/* git history hands each blob here (git knows nothing of the analyzers) */
static vg_status history_blob(void *ud, const vg_file *f, vg_out *out)
{
    hist_ctx *h = ud;
    if (!shard_mine(h->scan->opts, f->path)) return VG_OK; /* another shard's path */
    vg_file g = *f;  /* git gives path and bytes; the class is the driver's to decide */
    g.lines = NULL;
    classify(&g, g.path);
    vg_status rc = scan_dispatch(h->scan, &g, out);
    file_lines_free(&g);
    size_t seen = __atomic_add_fetch(&h->seen, 1, __ATOMIC_RELAXED);
    long long t;
    if (h->progress && (t = now_ns()) >= __atomic_load_n(&h->next_due, __ATOMIC_RELAXED) &&
        pthread_mutex_trylock(&h->mu) == 0) {
        if (t >= h->next_due) {
            h->next_due = t + PROGRESS_NS;
            scan_stats s = *h->st;
            s.history_blobs += seen;
            h->progress(&s, h->ud);
        }
        pthread_mutex_unlock(&h->mu);
    }
    return rc;
}

/* Close fd after a failed call without losing that call's errno; -1. */
static int fail_close(int fd)
{
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

/* Read fd into buf[n..limit) until limit or end of file: the new length,
 * or -1 (errno set). */
static ssize_t read_upto(int fd, unsigned char *buf, size_t n, size_t limit)
{
    while (n < limit) {
        if (fault_fail(FAULT_READ)) { /* the test build's fault injection */
            errno = EIO;
            return -1;
        }
        ssize_t r = read(fd, buf + n, limit - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    return (ssize_t)n;
}

/* Reads the whole file into the thread's buffer.  0: read; 1: too large;
 * -1: error (errno set); 2: not a regular file; 3: binary (a NUL in the
 * first 8 KiB with many control bytes, kind_is_binary; the rest left unread). */
static int read_file(run_ctx *rc, tslot *ts, const char *path, const char *fs_path, size_t *len,
                     struct stat *stp)
{
    int fd = open(fs_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) return fail_close(fd);
    *stp = st;
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return 2;
    }
    if ((size_t)st.st_size > rc->max_size) {
        close(fd);
        return 1;
    }
    size_t want = (size_t)st.st_size + 1; /* one more byte tells us it grew */
    if (ts->cap < want + 1) {
        size_t c = ts->cap ? ts->cap : 65536;
        while (c < want + 1) c *= 2;
        free(ts->data);
        ts->data = xmalloc(c);
        ts->cap = c;
    }
    /* the first 8 KiB decide binary-ness: a binary's rest is never read */
    size_t probe = want - 1 < VG_BINARY_PROBE ? want - 1 : VG_BINARY_PROBE;
    ssize_t got = read_upto(fd, ts->data, 0, probe);
    if (got < 0) return fail_close(fd);
    size_t n = (size_t)got;
    if (kind_is_binary(path, ts->data, n)) {
        close(fd);
        return 3;
    }
    for (;;) { /* the rest, growing the buffer if the file grew meanwhile */
        if (n == ts->cap - 1) {
            if (n > rc->max_size) break;
            ts->cap *= 2;
            ts->data = xrealloc(ts->data, ts->cap);
        }
        got = read_upto(fd, ts->data, n, ts->cap - 1);
        if (got < 0) return fail_close(fd);
        int eof = (size_t)got < ts->cap - 1;
        n = (size_t)got;
        if (eof) break;
    }
    close(fd);
    if (n > rc->max_size) return 1;
    ts->data[n] = 0;
    *len = n;
    return 0;
}

/* Does a running analyzer want the file at path? */
static int wanted(const vg_scan *s, const char *path)
{
    for (int i = 0; i < VG_ANALYZERS; i++)
        if (!s->off[i] && (!families_wants[i] || families_wants[i](s->opts, path, 0))) return 1;
    return 0;
}

/* The part of display path `path` below display root `droot`: where a file
 * sits in the project is decided from there ("examples/ai-app" scanned as a
 * root is a project, not an example folder; a file named on the command
 * line is judged by its own name). */
static const char *below_root(const char *droot, const char *path)
{
    size_t n = droot ? strlen(droot) : 0;
    if (n && !strncmp(path, droot, n) && path[n] == '/') return path + n + 1;
    if (n && !strcmp(path, droot)) { /* a file named as the root: its own name */
        const char *b = strrchr(path, '/');
        return b ? b + 1 : path;
    }
    return path;
}

/* A Python file with a coding cookie: every analyzer reads the text as
 * CPython would run it (python/coding.h), not the raw bytes, so a payload
 * spelled in utf-7 or unicode_escape is analysed like any other code. */
static void decode_python(tslot *ts, vg_file *f)
{
    char name[64];
    const coding_info *ci;
    if (!coding_cookie(f->data, f->len, name, sizeof name, &f->encoding_line) ||
        !(ci = coding_lookup(name)) || ci->dec == CD_UTF8)
        return;
    f->encoding = ci->canon;
    f->encoding_hides = ci->hides;
    if (ci->dec == CD_RAW || ci->dec == CD_NONE) return;
    if (coding_decode(ci, f->data, f->len, &ts->text) == 0) {
        f->data = (const unsigned char *)ts->text.data;
        f->len = ts->text.len;
        f->decoded = 1;
    }
}

/* A context file (one this run does not report) that only the Python
 * analyzer needs, and whose facts the context cache holds: replayed from
 * its stat alone, without reading it.  1 when it was. */
static int context_replayed(run_ctx *rc, const char *path, const char *fs_path)
{
    size_t n = strlen(path);
    if (!rc->scan->cache || n < 4 || strcmp(path + n - 3, ".py")) return 0;
    int py = -1;
    for (int i = 0; i < VG_ANALYZERS; i++) {
        if (rc->scan->off[i] || !analyzers[i]->finish) continue;
        if (analyzers[i] == &python_analyzer) py = i;
        else if (!families_wants[i] || families_wants[i](rc->opts, path, 1)) return 0;
    }
    struct stat st;
    if (py < 0 || lstat(fs_path, &st) != 0 || !S_ISREG(st.st_mode) ||
        (size_t)st.st_size > rc->max_size)
        return 0;
    uint64_t key = ctxcache_key(path, &st);
    return key && python_context_replay(rc->scan, rc->scan->state[py], key);
}

static void on_file(void *ud, int t, const char *path, const char *fs_path)
{
    run_ctx *rc = ud;
    if (rc->pick && !wanted(rc->scan, path)) return;
    int mine = shard_mine(rc->opts, path);
    if (!mine && !rc->context) return;
    if (!mine && context_replayed(rc, path, fs_path)) {
        ADD(context_files, 1);
        maybe_progress(rc);
        return;
    }
    vg_out *out = &rc->outs[t];
    tslot *ts = &rc->slots[t];
    size_t len = 0;
    struct stat st;
    int r = read_file(rc, ts, path, fs_path, &len, &st);
    if (!mine) r = r == 0 ? 4 : 5; /* 4: context only; 5: its own shard says why not */
    if (r == -1) {
        ADD(unreadable, 1);
        diag_add(&out->diags, DIAG_WARNING, path, 0, 0, "cannot read file: %s", strerror(errno));
    } else if (r == 1) {
        ADD(skipped_large, 1);
        diag_add(&out->diags, DIAG_NOTE, path, 0, 0,
                 "skipped: larger than the maximum file size (%zu bytes)", rc->max_size);
    } else if (r == 3) {
        ADD(skipped_binary, 1);
        diag_add(&out->diags, DIAG_NOTE, path, 0, 0,
                 "skipped: binary (NUL and control bytes in the first %u bytes)", VG_BINARY_PROBE);
        /* no bytes, but the name: path-only secret rules (PKCS#12 files) */
        vg_file f;
        memset(&f, 0, sizeof f);
        f.path = path;
        f.fs_path = fs_path;
        f.data = (const unsigned char *)"";
        f.kind = FK_BINARY;
        classify(&f, below_root(rc->droot, path));
        scan_dispatch(rc->scan, &f, out);
        file_lines_free(&f);
    } else if (r == 0 || r == 4) {
        vg_file f;
        memset(&f, 0, sizeof f);
        f.path = path;
        f.fs_path = fs_path;
        f.data = ts->data;
        f.len = len;
        f.kind = kind_of(path, ts->data, len);
        if (f.kind == FK_PYTHON) decode_python(ts, &f);
        f.agent_file = kind_is_agent_file(path);
        classify(&f, below_root(rc->droot, path));
        if (r == 0) {
            ADD(files, 1);
            ADD(bytes, len);
            if (f.kind == FK_PYTHON) ADD(python_files, 1);
            scan_dispatch(rc->scan, &f, out);
        } else { /* a file this run does not report: context only */
            ADD(context_files, 1);
            f.context = 1;
            if (rc->scan->cache) f.cache_key = ctxcache_key(path, &st);
            context_dispatch(rc->scan, &f);
        }
        file_lines_free(&f);
    }
    maybe_progress(rc);
}

static int cmp_diag(const void *a, const void *b)
{
    const diag *x = a, *y = b;
    int c = strcmp(x->path ? x->path : "", y->path ? y->path : "");
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    if (x->level != y->level) return x->level < y->level ? -1 : 1;
    return strcmp(x->message ? x->message : "", y->message ? y->message : "");
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > VG_MAX_JOBS ? VG_MAX_JOBS : (int)n;
}

vg_status scan_run(const vg_opts *opts, vg_out *out, scan_stats *st, diag_list *d,
                   scan_progress_fn progress, void *ud)
{
    long long t0 = now_ns();
    memset(st, 0, sizeof *st);
    static const char *const dot[] = {"."};
    const char *const *roots = opts->paths.n ? (const char *const *)opts->paths.v : dot;
    size_t nroots = opts->paths.n ? opts->paths.n : 1;

    for (size_t i = 0; i < nroots; i++) {
        struct stat sb;
        if (stat(roots[i], &sb) != 0) {
            diag_add(d, DIAG_ERROR, roots[i], 0, 0, "cannot scan: %s", strerror(errno));
            return VG_ERR_IO;
        }
    }

    int nthreads = opts->jobs > 0 ? opts->jobs : default_jobs();
    if (nthreads > VG_MAX_JOBS) nthreads = VG_MAX_JOBS;
    st->jobs = nthreads;

    vg_scan scan;
    memset(&scan, 0, sizeof scan);
    scan.opts = opts;
    scan.nthreads = nthreads;
    scan.thread_slot = xcalloc((size_t)nthreads * VG_ANALYZERS, sizeof *scan.thread_slot);

    for (int i = 0; i < VG_ANALYZERS; i++) scan.off[i] = !analyzer_selected(opts, analyzers[i]);

    vg_status rc = VG_OK;
    int inited = 0;
    for (; inited < VG_ANALYZERS; inited++) {
        const analyzer *a = analyzers[inited];
        if (!a->init || scan.off[inited]) continue;
        size_t before = d->n;
        rc = a->init(&scan, &scan.state[inited], d);
        if (rc) {
            if (d->n == before)
                diag_add(d, DIAG_ERROR, NULL, 0, 0, "the %s analyzer could not start: %s",
                         a->name, vg_status_str(rc));
            break;
        }
    }

    if (!rc) {
        run_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.scan = &scan;
        ctx.opts = opts;
        /* pick files by name only when every running analyzer says which */
        int running = 0, all_pick = 1;
        for (int i = 0; i < VG_ANALYZERS; i++)
            if (!scan.off[i]) running = 1, all_pick &= families_wants[i] != NULL;
        ctx.pick = running && all_pick;
        for (int i = 0; i < VG_ANALYZERS; i++)
            if (!scan.off[i] && analyzers[i]->finish)
                ctx.context = opts->shard_n > 1 || opts->report_only;
        /* what context files give the whole-tree analyses, from earlier runs */
        if (ctx.context && nroots == 1) scan.cache = ctxcache_open(opts, roots[0]);
        ctx.max_size = opts->max_file_size ? opts->max_file_size : VG_MAX_FILE_SIZE_DEFAULT;
        ctx.outs = xcalloc((size_t)nthreads, sizeof *ctx.outs);
        ctx.slots = xcalloc((size_t)nthreads, sizeof *ctx.slots);
        for (int t = 0; t < nthreads; t++) out_init(&ctx.outs[t], opts);
        ctx.progress = progress;
        ctx.ud = ud;
        ctx.next_due = t0 + PROGRESS_NS;
        pthread_mutex_init(&ctx.pmu, NULL);
        scan_stats base;
        memset(&base, 0, sizeof base);
        ctx.base = &base;
        walk_opts wo = {.exclude = &opts->exclude, .no_ignore = opts->no_ignore, .jobs = nthreads};
        size_t walk_unreadable = 0;
        for (size_t i = 0; i < nroots; i++) {
            walk_stats ws;
            memset(&ws, 0, sizeof ws);
            /* a root that vanished since the check is a warning, not a failure */
            diag_list wd = {0};
            char *droot = walk_display_root(roots[i]);
            ctx.droot = droot;
            walk_root(roots[i], &wo, on_file, &ctx, &ws, &wd);
            ctx.droot = NULL;
            free(droot);
            for (size_t k = 0; k < wd.n; k++)
                if (wd.v[k].level == DIAG_ERROR) wd.v[k].level = DIAG_WARNING;
            diag_move(&out->diags, &wd);
            if (opts->shard_k <= 1) st->skipped_ignored += ws.ignored; /* counted once */
            walk_unreadable += ws.unreadable;
            base.skipped_ignored = st->skipped_ignored;
            base.unreadable = walk_unreadable;
        }
        for (int t = 0; t < nthreads; t++) {
            out_move(out, &ctx.outs[t]);
            out_free(&ctx.outs[t]);
            free(ctx.slots[t].data);
            buf_free(&ctx.slots[t].text);
        }
        free(ctx.outs);
        free(ctx.slots);
        pthread_mutex_destroy(&ctx.pmu);
        st->files = ctx.files;
        st->bytes = ctx.bytes;
        st->python_files = ctx.python_files;
        st->skipped_binary = ctx.skipped_binary;
        st->skipped_large = ctx.skipped_large;
        st->unreadable = ctx.unreadable + walk_unreadable;
        st->context_files = ctx.context_files;

        for (int i = 0; i < VG_ANALYZERS; i++) {
            if (!analyzers[i]->finish || scan.off[i]) continue;
            vg_status r = analyzers[i]->finish(&scan, scan.state[i], out);
            if (r)
                diag_add(&out->diags, DIAG_WARNING, NULL, 0, 0, "the %s analyzer failed: %s",
                         analyzers[i]->name, vg_status_str(r));
        }
        if (scan.cache) {
            st->context_cached = ctxcache_hits(scan.cache);
            ctxcache_close(scan.cache, &out->diags);
            scan.cache = NULL;
        }
        if (opts->history) {
            hist_ctx h = {.scan = &scan, .progress = progress, .ud = ud, .st = st,
                          .next_due = now_ns() + PROGRESS_NS};
            pthread_mutex_init(&h.mu, NULL);
            for (size_t i = 0; i < nroots; i++) {
                size_t blobs = 0;
                git_history_scan(roots[i], opts->history_range, scan.nthreads, opts->max_file_size,
                                 history_blob, &h, out, &blobs, &out->diags);
                st->history_blobs += blobs;
            }
            pthread_mutex_destroy(&h.mu);
        }
        shard_filter(opts, out);
        st->parse_errors = out->parse_errors;
        st->incomplete = out->incomplete;
        st->taint_work = out->taint_work;
        st->rules_work = out->rules_work;
        if (!st->files && !st->history_blobs && !st->context_files)
            diag_add(&out->diags, DIAG_WARNING, NULL, 0, 0,
                     "nothing was scanned: no file under the given paths was read "
                     "(excluded, ignored, binary or unreadable)");
        out_scrub(out); /* the one masking step: every field, every format */
        findings_sort(out->v, out->n);
        if (opts->profile != PROFILE_BANDIT) {
            st->policy_dropped = policy_apply(out);
            st->merged = merge_findings(out);
        } else { /* Bandit's semantics: every finding is one to act on */
            for (size_t i = 0; i < out->n; i++) {
                out->v[i]->tier = TIER_ISSUE;
                out->v[i]->tier_why = NULL;
            }
        }
        if (out->diags.n > 1) qsort(out->diags.v, out->diags.n, sizeof *out->diags.v, cmp_diag);
    }

    for (int i = 0; i < inited; i++)
        if (analyzers[i]->init && analyzers[i]->fini && !scan.off[i]) analyzers[i]->fini(scan.state[i]);
    free(scan.thread_slot);
    st->seconds = (double)(now_ns() - t0) / 1e9;
    return rc;
}
