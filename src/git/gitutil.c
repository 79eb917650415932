/* gitutil.c - helpers shared by the libgit2 modules. */
#include "gitutil.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"

vg_status gitutil_error(diag_list *d, const char *path, const char *what)
{
    const git_error *e = git_error_last();
    if (e && e->message && *e->message)
        diag_add(d, DIAG_ERROR, path, 0, 0, "%s: %s", what, e->message);
    else
        diag_add(d, DIAG_ERROR, path, 0, 0, "%s", what);
    return VG_ERR_IO;
}

/* root's path relative to the repository work directory ("" or "a/b/"). */
char *gitutil_root_prefix(git_repository *repo, const char *root)
{
    const char *wd = git_repository_workdir(repo);
    char *rr = realpath(root, NULL), *wr = wd ? realpath(wd, NULL) : NULL;
    char *out = xstrdup("");
    if (rr && wr) {
        size_t wl = strlen(wr);
        if (!strncmp(rr, wr, wl) && rr[wl] == '/') {
            free(out);
            out = xasprintf("%s/", rr + wl + 1);
        }
    }
    free(rr);
    free(wr);
    return out;
}
