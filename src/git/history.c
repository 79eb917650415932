/* history.c - --history: every blob introduced by any commit reachable
 * from any ref, each unique blob once, scanned for secrets.
 *
 * --history=RANGE takes gitleaks' --log-opts ranges instead of every ref:
 * "REV" (the commits reachable from REV), "A..B" (from B, not from A: the
 * commits of a pull request) and "A...B" (from either, not from their
 * merge base).  A range that excludes commits has a boundary: the parents
 * of its commits outside it.  Their trees are scanned too, as the oldest
 * commits, and every finding whose oldest occurrence is there is dropped,
 * so a secret the range did not add is not reported as added by it.
 *
 * Commits are walked oldest first (topological, reversed), so a blob is
 * attributed to the first commit whose tree holds it, i.e. the commit
 * that introduced it.  A tree already seen is skipped whole, so the walk
 * costs about one visit per distinct tree, not per commit times files.
 * Blob contents are scanned by nthreads pool workers while the walk goes
 * on: worker 0 walks the trees and queues each new blob (a bounded queue;
 * when it is full, worker 0 scans the oldest one itself, then walks on),
 * the others take blobs off the queue as they come, and worker 0 joins
 * them when the walk is done.  Each worker has its own repository handle
 * (libgit2 objects are not shared across threads) and its own output,
 * merged at the end; which worker scanned a blob changes nothing in the
 * result (the commit a blob is attributed to is fixed by the walk).
 * Binary blobs (NUL in the first 8000 bytes, as git decides) and blobs
 * over --max-file-size are skipped.
 */
#include "git.h"

#include <dirent.h>
#include <git2.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/hash.h"
#include "../core/limits.h"
#include "../core/pool.h"
#include "../core/xalloc.h"
#include "gitutil.h"

/* --- a set of object ids (open addressing) ------------------------------------ */

typedef struct oidset {
    git_oid *v;
    unsigned char *used;
    size_t n, cap;
} oidset;

static size_t oid_hash(const git_oid *o)
{
    size_t h;
    memcpy(&h, o->id, sizeof h);
    return h;
}

static void oidset_grow(oidset *s);

/* Insert; returns 1 when the id was new. */
static int oidset_add(oidset *s, const git_oid *o)
{
    if ((s->n + 1) * 2 > s->cap) oidset_grow(s);
    size_t m = s->cap - 1, i = oid_hash(o) & m;
    while (s->used[i]) {
        if (git_oid_equal(&s->v[i], o)) return 0;
        i = (i + 1) & m;
    }
    s->used[i] = 1;
    git_oid_cpy(&s->v[i], o);
    s->n++;
    return 1;
}

static int oidset_has(const oidset *s, const git_oid *o)
{
    if (!s->cap) return 0;
    size_t m = s->cap - 1, i = oid_hash(o) & m;
    for (; s->used[i]; i = (i + 1) & m)
        if (git_oid_equal(&s->v[i], o)) return 1;
    return 0;
}

static void oidset_grow(oidset *s)
{
    oidset t = {0};
    t.cap = s->cap ? s->cap * 2 : 1024;
    t.v = xcalloc(t.cap, sizeof *t.v);
    t.used = xcalloc(t.cap, 1);
    for (size_t i = 0; i < s->cap; i++)
        if (s->used[i]) oidset_add(&t, &s->v[i]);
    free(s->v);
    free(s->used);
    *s = t;
}

static void oidset_free(oidset *s)
{
    free(s->v);
    free(s->used);
}

/* --- collecting the blobs ------------------------------------------------------- */

typedef struct commit_info {
    char *hex, *author, *date;
    int boundary;    /* outside the range: what was there before it */
} commit_info;

typedef struct blob_job {
    git_oid oid;
    size_t commit;   /* index into commits */
    char *path;
} blob_job;

typedef struct hist {
    git_oid *oids;     /* the commits to walk, oldest first; the first nbound: the boundary */
    size_t noids, nbound;
    commit_info *commits; /* room for noids, made before the walk: never moves */
    size_t ncommits;
    oidset trees, blobs;  /* seen by the walk (worker 0's alone) */
    oidset broken;     /* loose objects that are truncated or corrupt: never read */
    const char *prefix; /* the scanned root below the work tree ("" for all of it) */
    const char *range;  /* --history=RANGE, NULL for every ref */
} hist;

/* The blobs the walk has queued and no worker has taken yet, oldest
 * first.  Bounded: the walk never runs more than this far ahead. */
#define HISTORY_QUEUE 1024

typedef struct blob_queue {
    pthread_mutex_t mu;
    pthread_cond_t more; /* a blob queued, or the walk done */
    blob_job ring[HISTORY_QUEUE];
    size_t head, n;
    int done;
} blob_queue;

typedef struct worker {   /* one per pool worker */
    git_repository *repo; /* its own handle (worker 0: the walk's) */
    vg_out out;
    size_t scanned;
    vg_status rc;
} worker;

typedef struct scan_pass {
    git_blob_fn fn;
    void *ud;
    size_t maxsz;
    const char *root;   /* the repository's, to open it again */
    const char *objdir; /* <commondir>/objects */
    const char *where;  /* the scanned root, for the walk's diags */
    diag_list *d;       /* the walk's diags (worker 0's alone during the pass) */
    git_repository *repo; /* the walk's */
    hist *h;
    blob_queue q;
    worker *ws;
} scan_pass;

static void emit(scan_pass *p, blob_job j);

typedef struct tree_item {
    git_tree *tree;
    char *prefix;
} tree_item;

/* Queue every blob of root's trees that no earlier tree held, for commit ci. */
static void add_commit_tree(scan_pass *p, git_tree *root, size_t ci, const char *prefix)
{
    git_repository *repo = p->repo;
    hist *h = p->h;
    tree_item *stack = NULL;
    size_t n = 0, cap = 0;
    XGROW(stack, cap, 1);
    stack[n++] = (tree_item){root, *prefix ? xasprintf("%s/", prefix) : xstrdup("")};
    while (n) {
        tree_item it = stack[--n];
        size_t cnt = git_tree_entrycount(it.tree);
        for (size_t i = 0; i < cnt; i++) {
            const git_tree_entry *e = git_tree_entry_byindex(it.tree, i);
            const git_oid *id = git_tree_entry_id(e);
            git_object_t type = git_tree_entry_type(e);
            const char *name = git_tree_entry_name(e);
            if (type == GIT_OBJECT_TREE) {
                if (!oidset_add(&h->trees, id) || oidset_has(&h->broken, id)) continue;
                git_tree *sub = NULL;
                if (git_tree_lookup(&sub, repo, id) != 0) continue;
                XGROW(stack, cap, n + 1);
                stack[n++] = (tree_item){sub, xasprintf("%s%s/", it.prefix, name)};
            } else if (type == GIT_OBJECT_BLOB) {
                if (git_tree_entry_filemode(e) == GIT_FILEMODE_LINK) continue;
                if (!oidset_add(&h->blobs, id)) continue;
                blob_job j = {.commit = ci, .path = xasprintf("%s%s", it.prefix, name)};
                git_oid_cpy(&j.oid, id);
                emit(p, j);
            }
        }
        if (it.tree != root) git_tree_free(it.tree);
        free(it.prefix);
    }
    free(stack);
}

static char *format_date(const git_signature *sig)
{
    char b[64];
    time_t t = (time_t)sig->when.time;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return xstrdup(b);
}

/* The commit that rev names ("" is HEAD, as in git's A.. ranges); 0 or -1. */
static int resolve(git_repository *repo, const char *rev, git_oid *out)
{
    git_object *obj = NULL, *c = NULL;
    int rc = git_revparse_single(&obj, repo, *rev ? rev : "HEAD");
    if (!rc) rc = git_object_peel(&c, obj, GIT_OBJECT_COMMIT);
    if (!rc) git_oid_cpy(out, git_object_id(c));
    git_object_free(c);
    git_object_free(obj);
    return rc ? -1 : 0;
}

/* Push the commits of range onto walk and hide what it excludes.  0, or
 * -1 with an error diag naming the revision that names no commit. */
static int push_range(git_repository *repo, git_revwalk *walk, const char *range,
                      const char *root, diag_list *d)
{
    const char *dots = strstr(range, "..");
    int three = dots && dots[2] == '.';
    char *a = dots ? xstrndup(range, (size_t)(dots - range)) : xstrdup(range);
    const char *b = dots ? dots + (three ? 3 : 2) : NULL;
    git_oid ia, ib, base;
    int rc = 0;
    const char *bad = NULL;
    if ((!dots && !*a) || resolve(repo, a, &ia)) bad = a;
    else if (b && resolve(repo, b, &ib)) bad = b;
    if (bad) {
        if (dots)
            diag_add(d, DIAG_ERROR, root, 0, 0, "--history: unknown revision '%s' (in '%s')", bad,
                     range);
        else
            diag_add(d, DIAG_ERROR, root, 0, 0, "--history: unknown revision '%s'", bad);
        rc = -1;
    } else if (!dots) {
        git_revwalk_push(walk, &ia);
    } else if (!three) {
        git_revwalk_push(walk, &ib);
        git_revwalk_hide(walk, &ia);
    } else {
        git_revwalk_push(walk, &ia);
        git_revwalk_push(walk, &ib);
        if (git_merge_base(&base, repo, &ia, &ib) == 0) git_revwalk_hide(walk, &base);
    }
    free(a);
    return rc;
}

/* Commits reachable from every ref and HEAD (or those of h->range),
 * oldest first, into *out.  Returns 0, or the libgit2 error that stopped
 * a complete walk; 1 when the range names no commit (error diag in d). */
static int list_commits(git_repository *repo, const hist *h, unsigned sorting, git_oid **out,
                        size_t *n, const char *root, diag_list *d)
{
    git_revwalk *walk = NULL;
    *out = NULL;
    *n = 0;
    if (git_revwalk_new(&walk, repo) != 0) return -1;
    git_revwalk_sorting(walk, sorting);
    if (h->range) {
        if (push_range(repo, walk, h->range, root, d)) {
            git_revwalk_free(walk);
            return 1;
        }
    } else {
        git_revwalk_push_glob(walk, "refs/*");
        git_revwalk_push_head(walk); /* fails harmlessly in an empty repository */
    }
    size_t cap = 0;
    git_oid oid;
    int rc;
    while ((rc = git_revwalk_next(&oid, walk)) == 0) {
        XGROW(*out, cap, *n + 1);
        git_oid_cpy(&(*out)[(*n)++], &oid);
    }
    git_revwalk_free(walk);
    return rc == GIT_ITEROVER ? 0 : rc;
}

/* Every loose object, inflated once within bounds (gitutil_loose_read):
 * the broken ones go into h->broken, each reported, so that no libgit2
 * call ever reads one (its inflate loop never ends on a truncated one). */
static void find_broken(const char *objdir, hist *h, const char *root, diag_list *d)
{
    for (int hi = 0; hi < 256; hi++) {
        char sub[PATH_MAX];
        snprintf(sub, sizeof sub, "%s/%02x", objdir, hi);
        DIR *dir = opendir(sub);
        if (!dir) continue;
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            if (strlen(de->d_name) != GIT_OID_HEXSZ - 2) continue;
            char hex[GIT_OID_HEXSZ + 1];
            snprintf(hex, sizeof hex, "%02x%.38s", hi, de->d_name);
            git_oid id;
            if (git_oid_fromstr(&id, hex) != 0) continue;
            if (gitutil_loose_read(objdir, hex, HISTORY_OBJECT_MAX, NULL, NULL) != GITL_BROKEN) continue;
            oidset_add(&h->broken, &id);
            diag_add(d, DIAG_WARNING, root, 0, 0,
                     "--history: object %s is truncated or corrupt; skipped", hex);
        }
        closedir(dir);
    }
}

typedef struct timed {
    git_time_t t;
    git_oid id;
} timed;

static int timed_cmp(const void *a, const void *b) /* newest first */
{
    const timed *x = a, *y = b;
    return x->t > y->t ? -1 : x->t < y->t ? 1 : git_oid_cmp(&x->id, &y->id);
}

/* The commits reachable from the refs and HEAD without reading a broken
 * object, newest first by committer time (the walk libgit2 would do
 * reads them all). */
static void walk_around_broken(git_repository *repo, const hist *h, git_oid **out, size_t *n)
{
    oidset seen = {0};
    git_oid *todo = NULL;
    size_t nt = 0, capt = 0, cap = 0;
    git_reference_iterator *it = NULL;
    git_reference *ref = NULL;
    git_oid head;
    if (git_reference_name_to_id(&head, repo, "HEAD") == 0) {
        XGROW(todo, capt, nt + 1);
        todo[nt++] = head;
    }
    if (git_reference_iterator_new(&it, repo) == 0) {
        while (git_reference_next(&ref, it) == 0) {
            git_reference *res = NULL;
            if (git_reference_resolve(&res, ref) == 0 && git_reference_target(res)) {
                XGROW(todo, capt, nt + 1);
                git_oid_cpy(&todo[nt++], git_reference_target(res));
            }
            git_reference_free(res);
            git_reference_free(ref);
        }
        git_reference_iterator_free(it);
    }
    git_time_t *when = NULL;
    size_t capw = 0;
    while (nt) {
        git_oid id = todo[--nt];
        if (!oidset_add(&seen, &id) || oidset_has(&h->broken, &id)) continue;
        git_commit *c = NULL;
        if (git_commit_lookup(&c, repo, &id) != 0) continue;
        XGROW(*out, cap, *n + 1);
        XGROW(when, capw, *n + 1);
        when[*n] = git_commit_time(c);
        git_oid_cpy(&(*out)[(*n)++], &id);
        for (unsigned i = 0; i < git_commit_parentcount(c); i++) {
            XGROW(todo, capt, nt + 1);
            git_oid_cpy(&todo[nt++], git_commit_parent_id(c, i));
        }
        git_commit_free(c);
    }
    timed *tv = xmalloc((*n ? *n : 1) * sizeof *tv);
    for (size_t i = 0; i < *n; i++) tv[i] = (timed){when[i], (*out)[i]};
    qsort(tv, *n, sizeof *tv, timed_cmp);
    for (size_t i = 0; i < *n; i++) (*out)[i] = tv[i].id;
    free(tv);
    free(when);
    free(todo);
    oidset_free(&seen);
}

/* The parents of the commits oids[0..n) that are not among them, the
 * range's boundary, oldest first, into *out. */
static void boundary_of(git_repository *repo, const git_oid *oids, size_t n, git_oid **out,
                        size_t *nout)
{
    oidset in = {0}, seen = {0};
    size_t cap = 0;
    *out = NULL;
    *nout = 0;
    for (size_t i = 0; i < n; i++) oidset_add(&in, &oids[i]);
    for (size_t i = 0; i < n; i++) {
        git_commit *c = NULL;
        if (git_commit_lookup(&c, repo, &oids[i]) != 0) continue;
        for (unsigned k = 0; k < git_commit_parentcount(c); k++) {
            const git_oid *p = git_commit_parent_id(c, k);
            if (oidset_has(&in, p) || !oidset_add(&seen, p)) continue;
            XGROW(*out, cap, *nout + 1);
            git_oid_cpy(&(*out)[(*nout)++], p);
        }
        git_commit_free(c);
    }
    oidset_free(&in);
    oidset_free(&seen);
}

/* The commits to walk, oldest first (the range's boundary before them),
 * into h->oids, with room for their commit_info.  VG_OK, or VG_ERR_USAGE
 * when the range names no commit (an error diag in d). */
static vg_status list_all(git_repository *repo, hist *h, const char *root, diag_list *d)
{
    git_oid *oids = NULL;
    size_t n = 0, nbound = 0;
    int lr = 0;
    if (h->broken.n && !h->range) {
        walk_around_broken(repo, h, &oids, &n);
        for (size_t i = 0; i < n / 2; i++) {
            git_oid t = oids[i];
            oids[i] = oids[n - 1 - i];
            oids[n - 1 - i] = t;
        }
    } else if ((lr = list_commits(repo, h, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE, &oids, &n,
                                  root, d)) == 1) {
        return VG_ERR_USAGE;
    } else if (lr != 0) {
        /* A shallow clone or missing objects: a sorted walk yields nothing,
         * so walk newest first as far as possible, then reverse. */
        const git_error *e = git_error_last();
        char *why = xstrdup(e && e->message ? e->message : "unknown error");
        free(oids);
        list_commits(repo, h, GIT_SORT_TIME, &oids, &n, root, d);
        if (n == 0) { /* not even that: the commits the refs point at */
            git_reference_iterator *it = NULL;
            git_reference *ref = NULL;
            size_t cap = 0;
            if (git_reference_iterator_new(&it, repo) == 0) {
                while (git_reference_next(&ref, it) == 0) {
                    git_object *obj = NULL;
                    if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
                        int dup = 0;
                        for (size_t i = 0; i < n && !dup; i++) dup = git_oid_equal(&oids[i], git_object_id(obj));
                        if (!dup) {
                            XGROW(oids, cap, n + 1);
                            git_oid_cpy(&oids[n++], git_object_id(obj));
                        }
                        git_object_free(obj);
                    }
                    git_reference_free(ref);
                }
                git_reference_iterator_free(it);
            }
        }
        for (size_t i = 0; i < n / 2; i++) {
            git_oid t = oids[i];
            oids[i] = oids[n - 1 - i];
            oids[n - 1 - i] = t;
        }
        diag_add(d, DIAG_WARNING, root, 0, 0,
                 "--history: incomplete history (shallow clone or missing objects?): %s; "
                 "%zu commits scanned",
                 why, n);
        free(why);
    }
    if (h->range && strstr(h->range, "..")) { /* what was there before: scanned first */
        git_oid *bound = NULL;
        boundary_of(repo, oids, n, &bound, &nbound);
        if (nbound) {
            oids = xrealloc_n(oids, n + nbound, sizeof *oids);
            memmove(oids + nbound, oids, n * sizeof *oids);
            memcpy(oids, bound, nbound * sizeof *oids);
            n += nbound;
        }
        free(bound);
    }
    h->oids = oids;
    h->noids = n;
    h->nbound = nbound;
    h->commits = xcalloc(n ? n : 1, sizeof *h->commits);
    return VG_OK;
}

/* Worker 0's walk: each listed commit's tree, its new blobs queued. */
static void walk_commits(scan_pass *p)
{
    git_repository *repo = p->repo;
    hist *h = p->h;
    const char *root = p->where;
    diag_list *d = p->d;
    const git_oid *oids = h->oids;
    for (size_t k = 0; k < h->noids; k++) {
        git_commit *c = NULL;
        git_tree *tree = NULL;
        if (oidset_has(&h->broken, &oids[k]) || git_commit_lookup(&c, repo, &oids[k]) != 0 ||
            oidset_has(&h->broken, git_commit_tree_id(c)) || git_commit_tree(&tree, c) != 0) {
            char hex[GIT_OID_HEXSZ + 1];
            git_oid_tostr(hex, sizeof hex, &oids[k]);
            diag_add(d, DIAG_WARNING, root, 0, 0, "--history: commit %s cannot be read; skipped", hex);
            git_commit_free(c);
            continue;
        }
        commit_info *ci = &h->commits[h->ncommits++];
        ci->boundary = k < h->nbound;
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &oids[k]);
        ci->hex = xstrdup(hex);
        const git_signature *a = git_commit_author(c);
        ci->author = a ? xasprintf("%s <%s>", a->name ? a->name : "", a->email ? a->email : "")
                       : xstrdup("");
        ci->date = a ? format_date(a) : xstrdup("");
        git_tree *top = tree;
        if (*h->prefix) { /* a root below the work tree: only what is under it */
            git_tree_entry *e = NULL;
            top = NULL;
            if (git_tree_entry_bypath(&e, tree, h->prefix) == 0) {
                if (git_tree_entry_type(e) == GIT_OBJECT_TREE && !oidset_has(&h->broken, git_tree_entry_id(e)))
                    git_tree_lookup(&top, repo, git_tree_entry_id(e));
                git_tree_entry_free(e);
            }
        }
        if (top && oidset_add(&h->trees, git_tree_id(top)))
            add_commit_tree(p, top, h->ncommits - 1, h->prefix);
        if (top && top != tree) git_tree_free(top);
        git_tree_free(tree);
        git_commit_free(c);
    }
}

/* --- one finding per secret and path: the commit that introduced it ----------- */

typedef struct keyed {
    uint64_t fp, sid;  /* fingerprint; secret id (finding.h) */
    const char *rule;
    size_t commit;  /* index: oldest first */
    size_t at;      /* position in the output */
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->fp != y->fp) return x->fp < y->fp ? -1 : 1;
    if (x->sid != y->sid) return x->sid < y->sid ? -1 : 1;
    int c = strcmp(x->rule, y->rule);
    if (c) return c;
    if (x->commit != y->commit) return x->commit < y->commit ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* A file keeps a secret in every later version (every later blob): keep
 * the finding from the oldest commit for each (rule, path, secret) - the
 * fingerprint hashes rule, path and the masked line, the secret id tells
 * two secrets behind one mask apart - and drop the repeats. */
static void dedupe(vg_out *o, const hist *h)
{
    if (!o->n) return;
    /* commit hex -> index (commits are oldest first) */
    size_t cap = 16;
    while (cap < h->ncommits * 2) cap *= 2;
    size_t *slot = xcalloc(cap, sizeof *slot);
    for (size_t i = 0; i < h->ncommits; i++) {
        size_t k = hash_fnv1a64(h->commits[i].hex, strlen(h->commits[i].hex)) & (cap - 1);
        while (slot[k]) k = (k + 1) & (cap - 1);
        slot[k] = i + 1;
    }
    keyed *v = xcalloc(o->n, sizeof *v);
    for (size_t i = 0; i < o->n; i++) {
        const finding *fd = o->v[i];
        size_t ci = SIZE_MAX; /* none: never a boundary commit's */
        if (fd->commit) {
            size_t k = hash_fnv1a64(fd->commit, strlen(fd->commit)) & (cap - 1);
            while (slot[k] && strcmp(h->commits[slot[k] - 1].hex, fd->commit)) k = (k + 1) & (cap - 1);
            if (slot[k]) ci = slot[k] - 1;
        }
        v[i] = (keyed){fd->fingerprint, fd->secret_id, fd->rule->id, ci, i};
    }
    qsort(v, o->n, sizeof *v, keyed_cmp);
    char *drop = xcalloc(o->n, 1);
    for (size_t i = 1; i < o->n; i++)
        if (v[i].fp == v[i - 1].fp && v[i].sid == v[i - 1].sid && !strcmp(v[i].rule, v[i - 1].rule))
            drop[v[i].at] = 1;
    for (size_t i = 0; i < o->n; i++) /* first seen before the range: not the range's */
        if (v[i].commit < h->ncommits && h->commits[v[i].commit].boundary) drop[v[i].at] = 1;
    size_t w = 0;
    for (size_t i = 0; i < o->n; i++) {
        if (drop[i]) finding_free(o->v[i]);
        else o->v[w++] = o->v[i];
    }
    o->n = w;
    free(drop);
    free(v);
    free(slot);
}

/* --- scanning the blobs in parallel ----------------------------------------------- */

static void scan_blob(const scan_pass *p, worker *w, const blob_job *j)
{
    git_blob *b = NULL;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &j->oid);
    if (oidset_has(&p->h->broken, &j->oid)) return; /* reported by find_broken */
    /* the size is known before anything is inflated: a loose blob is read
     * here within bounds, a packed one is asked its header first */
    char *own = NULL;
    size_t sz = 0;
    int lr = gitutil_loose_read(p->objdir, hex, p->maxsz, &own, &sz);
    if (lr == GITL_LARGE || lr == GITL_BROKEN) {
        if (lr == GITL_BROKEN)
            diag_add(&w->out.diags, DIAG_WARNING, j->path, 0, 0,
                     "--history: object %s is truncated or corrupt; skipped", hex);
        return;
    }
    if (lr == GITL_NOT_LOOSE) {
        git_odb *odb = NULL;
        size_t hsz = 0;
        git_object_t type;
        int big = git_repository_odb(&odb, w->repo) == 0 &&
                  git_odb_read_header(&hsz, &type, odb, &j->oid) == 0 && hsz > p->maxsz;
        git_odb_free(odb);
        if (big) return;
        if (git_blob_lookup(&b, w->repo, &j->oid) != 0) {
            diag_add(&w->out.diags, DIAG_WARNING, j->path, 0, 0,
                     "cannot read blob from the git history");
            return;
        }
        sz = (size_t)git_blob_rawsize(b);
    }
    const unsigned char *bytes = own ? (const unsigned char *)own : b ? git_blob_rawcontent(b) : NULL;
    /* git's binary test: a NUL in the first 8000 bytes */
    if (sz == 0 || sz > p->maxsz || !bytes || memchr(bytes, 0, sz < 8000 ? sz : 8000)) {
        free(own);
        git_blob_free(b);
        return;
    }
    const commit_info *ci = &p->h->commits[j->commit];
    vg_file f = {0};
    f.path = j->path;
    f.data = bytes;
    f.len = sz;
    f.kind = FK_TEXT; /* history is looked at for secrets only */
    f.commit = ci->hex;
    f.author = ci->author;
    f.date = ci->date;
    vg_status rc = p->fn(p->ud, &f, &w->out);
    file_lines_free(&f);
    git_blob_free(b);
    free(own);
    w->scanned++;
    if (rc && !w->rc) w->rc = rc;
}

static void scan_job(const scan_pass *p, worker *w, blob_job *j)
{
    scan_blob(p, w, j);
    free(j->path);
    j->path = NULL;
}

/* Takes the oldest queued blob off the ring into *j; the caller holds
 * q->mu and has checked that the ring is not empty. */
static void pop_oldest(blob_queue *q, blob_job *j)
{
    *j = q->ring[q->head];
    q->head = (q->head + 1) % HISTORY_QUEUE;
    q->n--;
}

/* The walk queues j; when the queue is full, worker 0 (the walk's) takes
 * the oldest blob off it and scans it before walking on. */
static void emit(scan_pass *p, blob_job j)
{
    blob_queue *q = &p->q;
    blob_job old;
    pthread_mutex_lock(&q->mu);
    int full = q->n == HISTORY_QUEUE;
    if (full) pop_oldest(q, &old);
    q->ring[(q->head + q->n) % HISTORY_QUEUE] = j;
    q->n++;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->mu);
    if (full) scan_job(p, &p->ws[0], &old);
}

/* The oldest queued blob into *j, waiting while the walk may queue more;
 * 0 when the walk is done and the queue empty. */
static int take(blob_queue *q, blob_job *j)
{
    pthread_mutex_lock(&q->mu);
    while (!q->n && !q->done) pthread_cond_wait(&q->more, &q->mu);
    int got = q->n > 0;
    if (got) pop_oldest(q, j);
    pthread_mutex_unlock(&q->mu);
    return got;
}

static void work(void *ud, int t)
{
    scan_pass *p = ud;
    worker *w = &p->ws[t];
    if (t == 0) { /* the walk, then a worker like the others */
        w->repo = p->repo;
        walk_commits(p);
        pthread_mutex_lock(&p->q.mu);
        p->q.done = 1;
        pthread_cond_broadcast(&p->q.more);
        pthread_mutex_unlock(&p->q.mu);
    } else if (git_repository_open_ext(&w->repo, p->root, 0, NULL) != 0) {
        w->rc = VG_ERR_IO; /* worker 0 scans what this one would have */
        return;
    }
    blob_job j;
    while (take(&p->q, &j)) scan_job(p, w, &j);
    if (t) git_repository_free(w->repo);
    w->repo = NULL;
}

/* Is real path `p` the directory `dir` or below it? */
static int path_under(const char *p, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/') return 1;
    return !strncmp(p, dir, n) && (p[n] == 0 || p[n] == '/');
}

/* libgit2's process-wide settings: for the pass (restore 0), then back.
 * Each tree and commit is read once (a tree seen is skipped whole) and
 * blobs are not cached, so libgit2's object cache would only grow: up to
 * its 256 MiB of parsed trees on a long history.  Off for the pass; so is
 * hashing every object read to check its id (a quarter of the pass's CPU
 * time; git does not either when it reads): a packed object is still
 * checked by zlib's checksum and the delta sizes, and the loose ones are
 * read within bounds by gitutil_loose_read.  (Strict object creation is
 * about writing objects, which the pass never does.) */
static void pass_opts(int restore)
{
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, restore);
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, restore);
}

vg_status git_history_check(const char *root, const char *range, diag_list *d)
{
    git_libgit2_init();
    git_repository *repo = NULL;
    vg_status rc = VG_OK;
    if (git_repository_open_ext(&repo, root, 0, NULL) != 0) {
        rc = gitutil_error(d, root, "--history: not a git repository (or a corrupt one)");
    } else {
        git_revwalk *walk = NULL;
        if (git_revwalk_new(&walk, repo) != 0 || push_range(repo, walk, range, root, d))
            rc = VG_ERR_USAGE;
        git_revwalk_free(walk);
        git_repository_free(repo);
    }
    git_libgit2_shutdown();
    return rc;
}

vg_status git_history_scan(const char *root, const char *range, int nthreads, size_t max_size,
                           git_blob_fn fn, void *ud, vg_out *out, size_t *blobs, diag_list *d)
{
    *blobs = 0;
    git_libgit2_init();
    pass_opts(0);
    git_repository *repo = NULL;
    if (git_repository_open_ext(&repo, root, 0, NULL) != 0) {
        vg_status rc = gitutil_error(d, root, "--history: not a git repository (or a corrupt one)");
        pass_opts(1);
        git_libgit2_shutdown();
        return rc;
    }
    const char *wd = git_repository_workdir(repo);
    char *repo_root = xstrdup(wd ? wd : git_repository_path(repo));
    /* confined to the scanned tree: the root's own history only (a root
     * below the work tree sees the paths under it), never a git directory
     * elsewhere (a .git file's gitdir:, a linked worktree) */
    char rroot[PATH_MAX], rwd[PATH_MAX], rgit[PATH_MAX];
    const char *cd = git_repository_commondir(repo);
    if (!realpath(root, rroot) || !realpath(wd ? wd : git_repository_path(repo), rwd) ||
        !realpath(cd ? cd : git_repository_path(repo), rgit) ||
        !(path_under(rgit, rroot) || (path_under(rgit, rwd) && path_under(rroot, rwd)))) {
        diag_add(d, DIAG_WARNING, root, 0, 0,
                 "--history: the repository's git directory (%s) is outside the scanned "
                 "tree; history not scanned", cd ? cd : git_repository_path(repo));
        git_repository_free(repo);
        free(repo_root);
        pass_opts(1);
        git_libgit2_shutdown();
        return VG_OK;
    }
    char *objdir = xasprintf("%s/objects", rgit);
    hist h = {0};
    h.range = range && *range ? range : NULL;
    h.prefix = path_under(rroot, rwd) && strlen(rroot) > strlen(rwd) ? rroot + strlen(rwd) + (rwd[1] != 0) : "";
    find_broken(objdir, &h, root, d);
    vg_status rc = list_all(repo, &h, root, d);
    if (!rc && h.noids) {
        int nt = nthreads > 0 ? nthreads : 1;
        scan_pass p = {.fn = fn,
                       .ud = ud,
                       .maxsz = max_size ? max_size : VG_MAX_FILE_SIZE_DEFAULT,
                       .root = repo_root,
                       .objdir = objdir,
                       .where = root,
                       .d = d,
                       .repo = repo,
                       .h = &h};
        pthread_mutex_init(&p.q.mu, NULL);
        pthread_cond_init(&p.q.more, NULL);
        p.ws = xcalloc((size_t)nt, sizeof *p.ws);
        for (int t = 0; t < nt; t++) out_init(&p.ws[t].out, out->opts);
        pool_run(nt, work, &p); /* a worker that did not start left its output empty */
        pthread_cond_destroy(&p.q.more);
        pthread_mutex_destroy(&p.q.mu);
        vg_out found;
        out_init(&found, out->opts);
        for (int t = 0; t < nt; t++) {
            *blobs += p.ws[t].scanned;
            if (p.ws[t].rc && !rc) rc = p.ws[t].rc;
            out_move(&found, &p.ws[t].out);
            out_free(&p.ws[t].out);
        }
        dedupe(&found, &h);
        out_move(out, &found);
        out_free(&found);
        free(p.ws);
        if (rc == VG_ERR_IO)
            diag_add(d, DIAG_ERROR, root, 0, 0, "--history: cannot reopen the repository");
    }
    for (size_t i = 0; i < h.ncommits; i++) {
        free(h.commits[i].hex);
        free(h.commits[i].author);
        free(h.commits[i].date);
    }
    git_repository_free(repo);
    free(h.commits);
    free(h.oids);
    oidset_free(&h.trees);
    oidset_free(&h.broken);
    free(objdir);
    oidset_free(&h.blobs);
    free(repo_root);
    pass_opts(1);
    git_libgit2_shutdown();
    return rc;
}
