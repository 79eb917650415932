/* walk.c - the parallel walker; see walk.h.
 *
 * One LIFO queue of jobs (a directory to list or a file to hand over),
 * shared by the pool's workers under one mutex; a worker that lists a
 * directory pushes all of its children in one critical section.  The walk ends when
 * the queue is empty and no worker is busy.  Each listed directory gets a
 * reference-counted context holding its ignore rules and its parent's, so
 * a child is checked against the stack of ignore files above it without
 * any shared mutable state.
 */
#include "walk.h"

#include "ignore.h"
#include "../core/limits.h"
#include "../core/pool.h"
#include "../core/buf.h"
#include "../core/glob.h"
#include "../core/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct dctx {
    struct dctx *parent;
    ignore_rules *rules;   /* this directory's .gitignore + .ignore */
    char *rel;             /* relative to the root, "" for the root */
    size_t rel_len;
    int refs;
} dctx;

typedef struct uplevel {   /* ignore rules from above the root */
    ignore_rules *rules;
    char *prefix;          /* the root's path relative to that directory, with '/' */
} uplevel;

typedef struct job {
    struct job *next;
    dctx *parent;          /* NULL for the root */
    int is_dir;
    char rel[];
} job;

typedef struct wstate {
    const walk_opts *o;
    const char *fs_root;   /* root as given, for opening */
    char *disp_prefix;     /* "" or "root/" */
    ignore_rules *exclude;
    uplevel *up;           /* nearest first */
    size_t nup;
    walk_file_fn fn;
    void *ud;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *head;
    int active, waiting;

    walk_stats *tstats;    /* per thread */
    diag_list *tdiags;     /* per thread */
} wstate;

/* ---- small helpers ---- */

static void dctx_release(dctx *c)
{
    while (c && __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        dctx *p = c->parent;
        ignore_free(c->rules);
        free(c->rel);
        free(c);
        c = p;
    }
}

static int read_small(int dirfd, const char *name, buf *out)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > WALK_MAX_IGNORE_FILE) {
        close(fd);
        return -1;
    }
    buf_clear(out);
    char tmp[8192];
    ssize_t n;
    while ((n = read(fd, tmp, sizeof tmp)) > 0)
        if (buf_append(out, tmp, (size_t)n)) break;
    close(fd);
    return n < 0 ? -1 : 0;
}

static ignore_rules *load_ignores(int dirfd, buf *tmp, int with_info_exclude)
{
    ignore_rules *r = NULL;
    if (with_info_exclude && read_small(dirfd, ".git/info/exclude", tmp) == 0)
        r = ignore_append(r, tmp->data ? tmp->data : "", tmp->len);
    if (read_small(dirfd, ".gitignore", tmp) == 0)
        r = ignore_append(r, tmp->data ? tmp->data : "", tmp->len);
    if (read_small(dirfd, ".ignore", tmp) == 0)
        r = ignore_append(r, tmp->data ? tmp->data : "", tmp->len);
    return r;
}

static int is_git_dir_at(int dirfd)
{
    struct stat st;
    return fstatat(dirfd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static char *parent_dir(const char *p) /* "/a/b" -> "/a" -> "/" -> NULL */
{
    if (strcmp(p, "/") == 0) return NULL;
    const char *s = strrchr(p, '/');
    if (!s) return NULL;
    return s == p ? xstrdup("/") : xstrndup(p, (size_t)(s - p));
}

static int has_dot_git(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return 0;
    int r = faccessat(fd, ".git", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
    close(fd);
    return r;
}

/* Ignore files of the enclosing repository above the root: from the
 * root's parent up to the directory holding .git (nearest first).  Outside
 * a repository there are none. */
static void load_up_levels(wstate *w, buf *tmp)
{
    char *real = realpath(w->fs_root, NULL);
    if (!real) return;
    if (has_dot_git(real)) {
        free(real);
        return;
    }
    char *anc[WALK_MAX_ANCESTORS];
    size_t n = 0;
    int found = 0;
    for (char *cur = parent_dir(real); cur;
         cur = n < WALK_MAX_ANCESTORS ? parent_dir(anc[n - 1]) : NULL) {
        anc[n++] = cur;
        if (has_dot_git(cur)) {
            found = 1;
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (found) {
            int fd = open(anc[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd >= 0) {
                ignore_rules *r = load_ignores(fd, tmp, i == n - 1 && is_git_dir_at(fd));
                close(fd);
                if (r) {
                    size_t al = strlen(anc[i]);
                    const char *rel = real + (al == 1 ? 1 : al + 1);
                    w->up = xrealloc_n(w->up, w->nup + 1, sizeof *w->up);
                    w->up[w->nup].rules = r;
                    w->up[w->nup].prefix = xasprintf("%s/", rel);
                    w->nup++;
                }
            }
        }
        free(anc[i]);
    }
    free(real);
}

/* Is the entry `rel` (a child of directory context c) left out? */
static int is_ignored(const wstate *w, const dctx *c, const char *rel, int is_dir, buf *tmp)
{
    int m = ignore_match(w->exclude, rel, is_dir);
    if (!m && w->exclude && *w->disp_prefix) {
        /* an exclude may also name the path as displayed ("src/app/tests"
         * while scanning "src/app") */
        buf_clear(tmp);
        buf_puts(tmp, w->disp_prefix);
        buf_puts(tmp, rel);
        m = ignore_match(w->exclude, tmp->data, is_dir);
    }
    if (m) return m == IGNORE_EXCLUDE;
    if (w->o->no_ignore) return 0;
    for (; c; c = c->parent) {
        if (!c->rules) continue;
        const char *sub = rel + c->rel_len + (c->rel_len ? 1 : 0);
        m = ignore_match(c->rules, sub, is_dir);
        if (m) return m == IGNORE_EXCLUDE;
    }
    for (size_t i = 0; i < w->nup; i++) {
        buf_clear(tmp);
        buf_puts(tmp, w->up[i].prefix);
        buf_puts(tmp, rel);
        m = ignore_match(w->up[i].rules, tmp->data, is_dir);
        if (m) return m == IGNORE_EXCLUDE;
    }
    return 0;
}

static const char *join(buf *b, const char *a, const char *rel)
{
    buf_clear(b);
    buf_puts(b, a);
    if (*rel) {
        if (b->len && b->data[b->len - 1] != '/') buf_putc(b, '/');
        buf_puts(b, rel);
    }
    return b->data ? b->data : "";
}

static job *job_new(dctx *parent, int is_dir, const char *rel, size_t rlen)
{
    job *j = xmalloc(sizeof *j + rlen + 1);
    j->next = NULL;
    j->parent = parent;
    j->is_dir = is_dir;
    memcpy(j->rel, rel, rlen);
    j->rel[rlen] = 0;
    return j;
}

static void push_list(wstate *w, job *first, job *last)
{
    if (!first) return;
    pthread_mutex_lock(&w->mu);
    last->next = w->head;
    w->head = first;
    if (w->waiting) pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

typedef struct tbufs {
    buf fs, disp, name, tmp;
} tbufs;

static void list_dir(wstate *w, int t, job *jb, tbufs *b)
{
    walk_stats *st = &w->tstats[t];
    const char *fs = join(&b->fs, w->fs_root, jb->rel);
    int fd = open(fs, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (jb->parent ? O_NOFOLLOW : 0));
    if (fd < 0) {
        st->unreadable++;
        diag_add(&w->tdiags[t], DIAG_WARNING, join(&b->disp, w->disp_prefix, jb->rel), 0, 0,
                 "cannot read directory: %s", strerror(errno));
        dctx_release(jb->parent);
        return;
    }
    dctx *c = xcalloc(1, sizeof *c);
    c->parent = jb->parent; /* the job's reference moves here */
    c->rel = xstrdup(jb->rel);
    c->rel_len = strlen(jb->rel);
    c->refs = 1;
    if (!w->o->no_ignore) c->rules = load_ignores(fd, &b->tmp, !jb->parent && is_git_dir_at(fd));
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        st->unreadable++;
        dctx_release(c);
        return;
    }
    st->dirs++;
    job *first = NULL, *last = NULL;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) continue;
        if (strcmp(name, ".git") == 0) continue;
        int type = e->d_type;
        if (type == DT_UNKNOWN) {
            struct stat sb;
            if (fstatat(dirfd(d), name, &sb, AT_SYMLINK_NOFOLLOW) != 0) continue;
            type = S_ISDIR(sb.st_mode) ? DT_DIR : S_ISREG(sb.st_mode) ? DT_REG
                   : S_ISLNK(sb.st_mode) ? DT_LNK : DT_FIFO;
        }
        if (type == DT_LNK) {
            st->symlinks++;
            continue;
        }
        if (type != DT_DIR && type != DT_REG) continue;
        const char *rel = join(&b->name, jb->rel, name);
        size_t rlen = b->name.len;
        if (rlen > WALK_MAX_REL) {
            diag_add(&w->tdiags[t], DIAG_WARNING, join(&b->disp, w->disp_prefix, rel), 0, 0,
                     "path too long, skipped");
            continue;
        }
        if (is_ignored(w, c, rel, type == DT_DIR, &b->tmp)) {
            st->ignored++;
            continue;
        }
        job *nj = job_new(type == DT_DIR ? c : NULL, type == DT_DIR, rel, rlen);
        if (type == DT_DIR) __atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
        if (!first) first = last = nj;
        else {
            nj->next = first;
            first = nj;
        }
    }
    closedir(d);
    push_list(w, first, last);
    dctx_release(c);
}

/* One pool worker: take jobs until the queue is empty and no worker is
 * busy (a busy worker may still push a directory's children). */
static void worker(void *ud, int t)
{
    wstate *w = ud;
    tbufs b;
    buf_init(&b.fs, 0);
    buf_init(&b.disp, 0);
    buf_init(&b.name, 0);
    buf_init(&b.tmp, 0);
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && w->active > 0) {
            w->waiting++;
            pthread_cond_wait(&w->cv, &w->mu);
            w->waiting--;
        }
        if (!w->head) break;
        job *jb = w->head;
        w->head = jb->next;
        w->active++;
        pthread_mutex_unlock(&w->mu);
        if (jb->is_dir) {
            list_dir(w, t, jb, &b);
        } else {
            w->tstats[t].files++;
            w->fn(w->ud, t, join(&b.disp, w->disp_prefix, jb->rel), join(&b.fs, w->fs_root, jb->rel));
        }
        free(jb);
        pthread_mutex_lock(&w->mu);
        w->active--;
        if (!w->head && w->active == 0 && w->waiting) pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    buf_free(&b.fs);
    buf_free(&b.disp);
    buf_free(&b.name);
    buf_free(&b.tmp);
}

char *walk_display_root(const char *root)
{
    const char *s = root;
    while (s[0] == '.' && s[1] == '/') {
        s += 2;
        while (*s == '/') s++;
    }
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/') n--;
    if (n == 0) return xstrdup(".");
    if (n == 1 && s[0] == '.') return xstrdup(".");
    return xstrndup(s, n);
}

static int cmp_diag(const void *a, const void *b)
{
    const diag *x = a, *y = b;
    int c = strcmp(x->path ? x->path : "", y->path ? y->path : "");
    if (c) return c;
    return strcmp(x->message, y->message);
}

vg_status walk_root(const char *root, const walk_opts *o, walk_file_fn fn, void *ud,
                    walk_stats *st, diag_list *d)
{
    struct stat sb;
    if (stat(root, &sb) != 0) {
        diag_add(d, DIAG_ERROR, root, 0, 0, "cannot scan: %s", strerror(errno));
        return VG_ERR_IO;
    }
    int jobs = o->jobs < 1 ? 1 : o->jobs > VG_MAX_JOBS ? VG_MAX_JOBS : o->jobs;
    if (!S_ISDIR(sb.st_mode)) {
        if (S_ISREG(sb.st_mode)) {
            /* the user named it: follow a symlink here, and only here */
            char *real = realpath(root, NULL);
            st->files++;
            fn(ud, 0, root, real ? real : root);
            free(real);
        }
        return VG_OK;
    }
    wstate w;
    memset(&w, 0, sizeof w);
    w.o = o;
    w.fs_root = root;
    w.fn = fn;
    w.ud = ud;
    char *disp = walk_display_root(root);
    w.disp_prefix = strcmp(disp, ".") == 0 ? xstrdup("") : xasprintf("%s/", disp);
    free(disp);
    if (strcmp(w.disp_prefix, "/") == 0) {
        free(w.disp_prefix);
        w.disp_prefix = xstrdup("/");
    }
    if (o->exclude)
        for (size_t i = 0; i < o->exclude->n; i++) {
            const char *g = glob_skip_dot(o->exclude->v[i]); /* "./build" means "build" */
            w.exclude = ignore_add(w.exclude, g, strlen(g));
        }
    buf tmp;
    buf_init(&tmp, 0);
    if (!o->no_ignore) load_up_levels(&w, &tmp);
    buf_free(&tmp);
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    w.tstats = xcalloc((size_t)jobs, sizeof *w.tstats);
    w.tdiags = xcalloc((size_t)jobs, sizeof *w.tdiags);
    w.head = job_new(NULL, 1, "", 0);
    pool_run(jobs, worker, &w);

    diag_list wd = {0};
    for (int t = 0; t < jobs; t++) {
        st->files += w.tstats[t].files;
        st->ignored += w.tstats[t].ignored;
        st->unreadable += w.tstats[t].unreadable;
        st->symlinks += w.tstats[t].symlinks;
        st->dirs += w.tstats[t].dirs;
        diag_move(&wd, &w.tdiags[t]);
    }
    if (wd.n > 1) qsort(wd.v, wd.n, sizeof *wd.v, cmp_diag);
    diag_move(d, &wd);

    free(w.tstats);
    free(w.tdiags);
    pthread_mutex_destroy(&w.mu);
    pthread_cond_destroy(&w.cv);
    ignore_free(w.exclude);
    for (size_t i = 0; i < w.nup; i++) {
        ignore_free(w.up[i].rules);
        free(w.up[i].prefix);
    }
    free(w.up);
    free(w.disp_prefix);
    return VG_OK;
}
