/* diff.c - the lines added or changed since a revision (--diff REV) or in
 * the index (--staged), so only findings on them are kept.
 *
 * --staged compares HEAD's tree (none in a repository without commits)
 * with the index; --diff REV compares REV's tree with the working tree
 * (through the index), untracked files counting as wholly added.  Paths
 * are stored relative to the scanned root (the repository root, or the
 * sub-directory given), '/'-separated, like finding paths.
 */
#include "git.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hash.h"
#include "../core/xalloc.h"
#include "gitutil.h"

typedef struct changed_file {
    char *path;
    int *lines;      /* sorted after loading */
    size_t n, cap;
} changed_file;

struct git_changes {
    changed_file *v;
    size_t n, cap;
    size_t *slot;    /* hash index: slot[h & mask] = file index + 1 */
    size_t nslot;
    char *prefix;    /* root's path inside the repository ("" or "sub/dir/") */
};

static changed_file *file_for(git_changes *c, const char *path)
{
    if (c->n && !strcmp(c->v[c->n - 1].path, path)) return &c->v[c->n - 1];
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].path, path)) return &c->v[i];
    XGROW(c->v, c->cap, c->n + 1);
    changed_file *f = &c->v[c->n++];
    memset(f, 0, sizeof *f);
    f->path = xstrdup(path);
    return f;
}

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
                   const git_diff_line *line, void *ud)
{
    (void)hunk;
    git_changes *c = ud;
    if (line->origin != GIT_DIFF_LINE_ADDITION || line->new_lineno <= 0) return 0;
    const char *p = delta->new_file.path;
    size_t pl = strlen(c->prefix);
    if (pl && strncmp(p, c->prefix, pl) != 0) return 0;
    changed_file *f = file_for(c, p + pl);
    XGROW(f->lines, f->cap, f->n + 1);
    f->lines[f->n++] = line->new_lineno;
    return 0;
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void index_build(git_changes *c)
{
    c->nslot = 16;
    while (c->nslot < c->n * 2) c->nslot *= 2;
    c->slot = xcalloc(c->nslot, sizeof *c->slot);
    for (size_t i = 0; i < c->n; i++) {
        changed_file *f = &c->v[i];
        if (f->n > 1) qsort(f->lines, f->n, sizeof *f->lines, int_cmp);
        size_t h = hash_fnv1a64(f->path, strlen(f->path)) & (c->nslot - 1);
        while (c->slot[h]) h = (h + 1) & (c->nslot - 1);
        c->slot[h] = i + 1;
    }
}

vg_status git_changed_lines(const char *root, const char *rev, int staged, git_changes **out,
                            diag_list *d)
{
    *out = NULL;
    git_libgit2_init();
    git_repository *repo = NULL;
    git_diff *diff = NULL;
    git_object *obj = NULL;
    git_tree *tree = NULL;
    vg_status rc = VG_OK;
    const char *flag = staged ? "--staged" : "--diff";
    if (git_repository_open_ext(&repo, root, 0, NULL) != 0) {
        rc = gitutil_error(d, root, staged ? "--staged: not a git repository"
                                           : "--diff: not a git repository");
        goto done;
    }
    if (git_repository_is_bare(repo)) {
        diag_add(d, DIAG_ERROR, root, 0, 0, "%s: the repository has no working tree", flag);
        rc = VG_ERR_USAGE;
        goto done;
    }
    git_diff_options o;
    git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
    o.context_lines = 0;
    o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
              GIT_DIFF_SHOW_UNTRACKED_CONTENT;
    const char *spec = rev ? rev : "HEAD";
    if (git_revparse_single(&obj, repo, spec) == 0) {
        if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) != 0) {
            rc = gitutil_error(d, root, "cannot read the revision's tree");
            goto done;
        }
    } else if (rev) {
        diag_add(d, DIAG_ERROR, root, 0, 0, "--diff: unknown revision '%s'", rev);
        rc = VG_ERR_USAGE;
        goto done;
    } /* else: no commit yet, everything staged is new */
    int e = staged && !rev ? git_diff_tree_to_index(&diff, repo, tree, NULL, &o)
                           : git_diff_tree_to_workdir_with_index(&diff, repo, tree, &o);
    if (e != 0) {
        rc = gitutil_error(d, root, "cannot compute the diff");
        goto done;
    }
    git_changes *c = xcalloc(1, sizeof *c);
    c->prefix = gitutil_root_prefix(repo, root);
    if (git_diff_foreach(diff, NULL, NULL, NULL, on_line, c) != 0) {
        git_changes_free(c);
        rc = gitutil_error(d, root, "cannot read the diff");
        goto done;
    }
    index_build(c);
    *out = c;
done:
    git_diff_free(diff);
    git_tree_free(tree);
    git_object_free(obj);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

/* The changed file at path ("./" prefixes ignored), or NULL. */
static const changed_file *changed_at(const git_changes *c, const char *path)
{
    while (path[0] == '.' && path[1] == '/') path += 2;
    if (!c->nslot) return NULL;
    size_t h = hash_fnv1a64(path, strlen(path)) & (c->nslot - 1);
    for (; c->slot[h]; h = (h + 1) & (c->nslot - 1)) {
        const changed_file *f = &c->v[c->slot[h] - 1];
        if (!strcmp(f->path, path)) return f;
    }
    return NULL;
}

int git_changes_has(const git_changes *c, const char *path, int line)
{
    if (!c) return 1;
    const changed_file *f = changed_at(c, path);
    if (!f) return 0;
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->lines[mid] < line) lo = mid + 1;
        else hi = mid;
    }
    return lo < f->n && f->lines[lo] == line;
}

int git_changes_has_path(const git_changes *c, const char *path)
{
    if (!c) return 1;
    const changed_file *f = changed_at(c, path);
    return f && f->n > 0;
}

void git_changes_free(git_changes *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].path);
        free(c->v[i].lines);
    }
    free(c->v);
    free(c->slot);
    free(c->prefix);
    free(c);
}
