/* tree.c - the files of a revision's tree, read as blobs (never checked
 * out, never run), for 'threat-model --diff REV': the model of REV is
 * built from these bytes as the model of the working tree is from files.
 *
 * Only the part of the tree under the scanned root is read (paths are
 * handed over relative to it, '/'-separated).  Every object is looked at
 * within bounds first (gitutil_loose_read): a loose blob is read there, a
 * truncated or corrupt one is a warning and skipped, never given to
 * libgit2; a packed blob is asked its size before it is inflated.
 */
#include "git.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../core/limits.h"
#include "../core/xalloc.h"
#include "gitutil.h"

#define TREE_MAX_DEPTH 64 /* directories nested in a revision's tree */

typedef struct tree_walk {
    git_repository *repo;
    const char *objdir;
    size_t maxsz;
    git_tree_file_fn fn;
    void *ud;
    diag_list *d;
    const char *root;
} tree_walk;

/* Is the loose object `id` (if loose) sound? */
static int object_ok(const tree_walk *w, const git_oid *id)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    return gitutil_loose_read(w->objdir, hex, (size_t)1 << 30, NULL, NULL) != GITL_BROKEN;
}

static void read_blob(tree_walk *w, const git_oid *id, const char *path)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    char *own = NULL;
    size_t sz = 0;
    int lr = gitutil_loose_read(w->objdir, hex, w->maxsz, &own, &sz);
    if (lr == GITL_BROKEN)
        diag_add(w->d, DIAG_WARNING, path, 0, 0, "object %s is truncated or corrupt; skipped", hex);
    if (lr == GITL_BROKEN || lr == GITL_LARGE) return;
    git_blob *b = NULL;
    if (lr == GITL_NOT_LOOSE) {
        git_odb *odb = NULL;
        size_t hsz = 0;
        git_object_t type;
        int big = git_repository_odb(&odb, w->repo) == 0 &&
                  git_odb_read_header(&hsz, &type, odb, id) == 0 && hsz > w->maxsz;
        git_odb_free(odb);
        if (big) return;
        if (git_blob_lookup(&b, w->repo, id) != 0) {
            diag_add(w->d, DIAG_WARNING, path, 0, 0, "cannot read the blob of the revision");
            return;
        }
        sz = (size_t)git_blob_rawsize(b);
    }
    const char *bytes = own ? own : b ? git_blob_rawcontent(b) : NULL;
    if (bytes && sz <= w->maxsz) w->fn(w->ud, path, bytes, sz);
    git_blob_free(b);
    free(own);
}

/* The entries of tree t, whose path is `dir` ("" or "a/b/") relative to the
 * repository; `under` is the root's prefix, what is read lies below it. */
static void walk_tree(tree_walk *w, git_tree *t, const char *dir, const char *under, int depth)
{
    size_t n = git_tree_entrycount(t);
    size_t dl = strlen(dir), ul = strlen(under);
    for (size_t i = 0; i < n; i++) {
        const git_tree_entry *e = git_tree_entry_byindex(t, i);
        char *path = xasprintf("%s%s", dir, git_tree_entry_name(e));
        size_t pl = strlen(path);
        git_object_t type = git_tree_entry_type(e);
        git_filemode_t mode = git_tree_entry_filemode(e);
        /* inside the root, or on the way down to it */
        int inside = pl >= ul && !strncmp(path, under, ul);
        int toward = pl < ul && !strncmp(under, path, pl) && under[pl] == '/';
        (void)dl;
        if (type == GIT_OBJECT_TREE && (inside || toward) && depth < TREE_MAX_DEPTH) {
            const git_oid *id = git_tree_entry_id(e);
            git_tree *sub = NULL;
            if (object_ok(w, id) && git_tree_lookup(&sub, w->repo, id) == 0) {
                char *subdir = xasprintf("%s/", path);
                walk_tree(w, sub, subdir, under, depth + 1);
                free(subdir);
                git_tree_free(sub);
            }
        } else if (type == GIT_OBJECT_BLOB && inside &&
                   (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE)) {
            read_blob(w, git_tree_entry_id(e), path + ul);
        }
        free(path);
    }
}

vg_status git_tree_files(const char *root, const char *rev, size_t max_size, git_tree_file_fn fn,
                         void *ud, diag_list *d)
{
    git_libgit2_init();
    git_repository *repo = NULL;
    git_object *obj = NULL;
    git_tree *tree = NULL;
    vg_status rc = VG_OK;
    char *objdir = NULL, *under = NULL;
    if (git_repository_open_ext(&repo, root, 0, NULL) != 0) {
        rc = gitutil_error(d, root, "--diff: not a git repository");
        goto done;
    }
    const char *cd = git_repository_commondir(repo);
    objdir = xasprintf("%s/objects", cd ? cd : git_repository_path(repo));
    if (git_revparse_single(&obj, repo, rev) != 0) {
        diag_add(d, DIAG_ERROR, root, 0, 0, "--diff: unknown revision '%s'", rev);
        rc = VG_ERR_USAGE;
        goto done;
    }
    if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) != 0) {
        rc = gitutil_error(d, root, "--diff: cannot read the revision's tree");
        goto done;
    }
    under = gitutil_root_prefix(repo, root);
    tree_walk w = {repo, objdir, max_size ? max_size : VG_MAX_FILE_SIZE_DEFAULT, fn, ud, d, root};
    walk_tree(&w, tree, "", under, 0);
done:
    free(objdir);
    free(under);
    git_tree_free(tree);
    git_object_free(obj);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}
