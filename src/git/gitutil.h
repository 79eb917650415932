/* gitutil.h - helpers shared by the libgit2 modules (history, diff). */
#ifndef VG_GITUTIL_H
#define VG_GITUTIL_H

#include "../core/diag.h"
#include "../core/status.h"

/* Add an error diag naming `path`, with libgit2's last error appended;
 * returns VG_ERR_IO. */
vg_status gitutil_error(diag_list *d, const char *path, const char *what);

#endif
