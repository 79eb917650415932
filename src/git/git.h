/* git.h - git history and diffs through libgit2, never by spawning git.
 *
 * git_history_scan: every blob introduced by any commit reachable from any
 * ref, each unique blob once, handed to scan_dispatch with commit, author,
 * date and path set on the vg_file.  A corrupt or missing repository is one
 * error diag naming it; the working-tree scan is unaffected.
 *
 * git_changed_lines: for --diff REV / --staged, the set of added or changed
 * lines per path (relative to the repository root, like finding paths when
 * scanning from the root), so the CLI can keep only findings on them.
 */
#ifndef VG_GIT_H
#define VG_GIT_H

#include <stddef.h>

#include "../core/analyzer.h"
#include "../report/finding.h"

vg_status git_history_scan(vg_scan *s, const char *root, vg_out *out, size_t *blobs,
                           diag_list *d);

typedef struct git_changes git_changes;
/* rev NULL with staged=1: index vs HEAD; rev set: working tree vs rev. */
vg_status git_changed_lines(const char *root, const char *rev, int staged, git_changes **out,
                            diag_list *d);
int git_changes_has(const git_changes *c, const char *path, int line);
void git_changes_free(git_changes *c);

#endif
