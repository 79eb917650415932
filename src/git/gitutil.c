/* gitutil.c - helpers shared by the libgit2 modules. */
#include "gitutil.h"

#include <git2.h>

vg_status gitutil_error(diag_list *d, const char *path, const char *what)
{
    const git_error *e = git_error_last();
    if (e && e->message && *e->message)
        diag_add(d, DIAG_ERROR, path, 0, 0, "%s: %s", what, e->message);
    else
        diag_add(d, DIAG_ERROR, path, 0, 0, "%s", what);
    return VG_ERR_IO;
}
