/* fsutil.h - the few file-system chores several modules share.
 *
 * fs_cache_dir: the user's vibeguard cache directory,
 *   $XDG_CACHE_HOME/vibeguard, else $HOME/.cache/vibeguard (each only when
 *   absolute); a new string the caller frees, or NULL when there is none.
 * fs_mkdirs: create dir and its missing parents with `mode`; 0 when the
 *   directory exists afterwards, -1 (errno set) when it does not.
 * fs_read_all: the whole of a regular file into a new NUL-terminated buffer
 *   the caller frees.  VG_ERR_IO when it cannot be opened or read (errno
 *   set), VG_ERR_LIMIT when it holds more than `max` bytes (0: no cap).
 */
#ifndef VG_FSUTIL_H
#define VG_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "status.h"

char *fs_cache_dir(void);
int fs_mkdirs(const char *dir, mode_t mode);
vg_status fs_read_all(const char *path, size_t max, char **data, size_t *len);

#endif
