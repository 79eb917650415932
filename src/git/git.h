/* git.h - git history and diffs through libgit2, never by spawning git.
 *
 * git_history_scan: every blob introduced by any commit reachable from any
 * ref, each unique blob once (at most max_size bytes, 0: 5 MiB; binaries
 * skipped), handed to fn on one of nthreads workers with commit, author,
 * date and path set on the vg_file; fn reports into the worker's vg_out.  A corrupt or missing repository is one
 * error diag naming it; the working-tree scan is unaffected.
 *
 * git_changed_lines: for --diff REV / --staged, the set of added or changed
 * lines per path (relative to the repository root, like finding paths when
 * scanning from the root), so the CLI can keep only findings on them.
 */
#ifndef VG_GIT_H
#define VG_GIT_H

#include <stddef.h>

#include "../finding/analyzer.h"
#include "../finding/finding.h"

/* Called once per blob, from any worker, concurrently for different blobs. */
typedef vg_status (*git_blob_fn)(void *ud, const vg_file *f, vg_out *out);

/* range NULL: every commit reachable from any ref; else gitleaks'
 * --log-opts range: "REV", "A..B" (the commits of a pull request: what
 * they added, not what was there before A) or "A...B". */
vg_status git_history_scan(const char *root, const char *range, int nthreads, size_t max_size,
                           git_blob_fn fn, void *ud, vg_out *out, size_t *blobs, diag_list *d);
/* Does range name commits of root's repository?  VG_ERR_USAGE with an
 * error diag naming the revision that names none. */
vg_status git_history_check(const char *root, const char *range, diag_list *d);

typedef struct git_changes git_changes;
/* rev NULL with staged=1: index vs HEAD; rev set: working tree vs rev. */
vg_status git_changed_lines(const char *root, const char *rev, int staged, git_changes **out,
                            diag_list *d);
int git_changes_has(const git_changes *c, const char *path, int line);
/* Has path any added or changed line? */
int git_changes_has_path(const git_changes *c, const char *path);
void git_changes_free(git_changes *c);

/* Every regular file of revision rev's tree under root (blobs, never
 * checked out), at most max_size bytes each (0: 5 MiB), handed to fn with
 * its path relative to root.  Unknown revision, no repository: an error
 * diag; a corrupt object: a warning, the file skipped. */
typedef void (*git_tree_file_fn)(void *ud, const char *path, const char *data, size_t len);
vg_status git_tree_files(const char *root, const char *rev, size_t max_size, git_tree_file_fn fn,
                         void *ud, diag_list *d);

#endif
