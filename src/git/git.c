/* git.c - history scan and changed lines (stub until the secrets issue). */
#include "git.h"

#include <stdlib.h>

vg_status git_history_scan(vg_scan *s, const char *root, vg_out *out, size_t *blobs,
                           diag_list *d)
{
    (void)s; (void)out;
    *blobs = 0;
    diag_add(d, DIAG_WARNING, root, 0, 0, "--history is not built yet");
    return VG_OK;
}

vg_status git_changed_lines(const char *root, const char *rev, int staged, git_changes **out,
                            diag_list *d)
{
    (void)rev; (void)staged;
    *out = NULL;
    diag_add(d, DIAG_ERROR, root, 0, 0, "--diff/--staged are not built yet");
    return VG_ERR_USAGE;
}

int git_changes_has(const git_changes *c, const char *path, int line)
{
    (void)c; (void)path; (void)line;
    return 1;
}

void git_changes_free(git_changes *c) { (void)c; }
