/* gitutil.h - helpers shared by the libgit2 modules (history, diff). */
#ifndef VG_GITUTIL_H
#define VG_GITUTIL_H

#include "../core/diag.h"
#include "../core/status.h"

/* Add an error diag naming `path`, with libgit2's last error appended;
 * returns VG_ERR_IO. */
vg_status gitutil_error(diag_list *d, const char *path, const char *what);

/* Bounded reads of loose objects (loose.c).  libgit2 inflates a loose
 * object whole before anyone sees its size, and spins forever on a
 * truncated one; so every object --history reads is looked at here first.
 * objdir: the repository's objects directory ("<commondir>/objects").
 * hex: the object id.  At most `max` bytes of content are inflated, in
 * one bounded inflate call.
 *   GITL_NOT_LOOSE  no loose file (packed: ask libgit2);
 *   GITL_OK         *data (NUL-terminated, caller frees) and *len set
 *                   when data is not NULL;
 *   GITL_LARGE      the header says more than max bytes (nothing inflated);
 *   GITL_BROKEN     truncated or corrupt: never hand it to libgit2. */
enum { GITL_NOT_LOOSE, GITL_OK, GITL_LARGE, GITL_BROKEN };
int gitutil_loose_read(const char *objdir, const char *hex, size_t max, char **data, size_t *len);

/* The root's path relative to the repository's work directory ("" or
 * "a/b/", caller frees).  (A git_repository: include git2.h first.) */
struct git_repository;
char *gitutil_root_prefix(struct git_repository *repo, const char *root);

#endif
