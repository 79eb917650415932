/* walk.h - the parallel directory walker: which files of a tree to scan.
 *
 * walk_root enumerates the regular files under one root with `jobs` worker
 * threads and calls `fn` once per file from a worker (whose
 * pool_thread_index() is set, 0 .. jobs-1).  The order of calls depends on
 * thread timing; the set of files does not.
 *
 * What is left out:
 *   - anything matched by the ignore files (.gitignore and .ignore in every
 *     directory, .git/info/exclude, and those of the enclosing repository
 *     above the root), unless no_ignore; deeper files win, .ignore wins
 *     over .gitignore in the same directory (see ignore.h);
 *   - anything matched by the `exclude` globs (gitignore syntax, strongest
 *     of all, applied even with no_ignore; a glob with a '/' is anchored at
 *     the root or matches the display path: "tests/" and "app/tests/"
 *     both leave out app/tests when scanning "app"; a leading "./" is
 *     dropped);
 *   - every directory or file named .git;
 *   - symbolic links below the root (never followed: a link cannot lead
 *     the scan out of the root or into a loop), FIFOs, devices, sockets.
 * A root that is a file is handed to `fn` as given (ignore rules do not
 * apply to a path the user named).  A root that is a symlink is followed.
 *
 * Paths: `path` is the display path, the root joined with the relative
 * path without a leading "./" (root "." gives "app.py", root "src/" gives
 * "src/app.py"); `fs_path` is what to open.  Both are bytes: spaces,
 * newlines and invalid UTF-8 pass through untouched.  They are valid only
 * during the call.
 *
 * Directories that cannot be listed are a warning diag each (sorted by
 * path) and count in stats->unreadable; the walk goes on.  walk_root fails
 * (VG_ERR_IO, an error diag) only when the root does not exist.
 */
#ifndef VG_WALK_H
#define VG_WALK_H

#include <stddef.h>

#include "../core/diag.h"
#include "../core/opts.h"
#include "../core/status.h"

typedef struct walk_opts {
    const str_list *exclude; /* may be NULL */
    int no_ignore;
    int jobs;                /* worker threads; < 1 means 1 */
} walk_opts;

typedef struct walk_stats {
    size_t files;      /* calls to fn */
    size_t ignored;    /* files and directories left out by ignore rules or excludes */
    size_t unreadable; /* directories that could not be listed */
    size_t symlinks;   /* symbolic links not followed */
    size_t dirs;       /* directories listed */
} walk_stats;

typedef void (*walk_file_fn)(void *ud, int thread, const char *path, const char *fs_path);

vg_status walk_root(const char *root, const walk_opts *o, walk_file_fn fn, void *ud,
                    walk_stats *st, diag_list *d);

/* The display form of a root: leading "./" and trailing '/' removed, "."
 * for the current directory.  Returns a new string. */
char *walk_display_root(const char *root);

#endif
