/* fsutil.h - the file-system chores several modules share: the cache
 * directory, mkdir -p, whole-file reads and atomic writes.
 *
 * fs_cache_dir: the user's vibeguard cache directory,
 *   $XDG_CACHE_HOME/vibeguard, else $HOME/.cache/vibeguard (each only when
 *   absolute); a new string the caller frees, or NULL when there is none.
 * fs_mkdirs: create dir and its missing parents with `mode`; 0 when the
 *   directory exists afterwards, -1 (errno set) when it does not.
 * fs_open_regular: open path for reading, but only a regular file: a FIFO
 *   would block the scan forever and a device never ends, so anything else
 *   is refused without blocking (errno EISDIR for a directory, FS_ENOTREG
 *   otherwise).  Every file vibeguard reads by name (configs, includes,
 *   the vault and its key, baselines, OSV records) is opened here.
 *   Returns the descriptor (O_CLOEXEC, blocking reads) or -1.
 * fs_strerror: strerror, which also names FS_ENOTREG.
 * fs_read_all: the whole of a regular file into a new NUL-terminated buffer
 *   the caller frees.  VG_ERR_IO when it cannot be opened or read, or is
 *   not a regular file (errno set; fs_strerror says it), VG_ERR_LIMIT when
 *   it holds more than `max` bytes (0: no cap).
 *
 * Atomic writes (the report, the baseline, the vault, the Hyperscan cache,
 * the OSV index and downloads).  fs_atomic_open makes a new temporary file
 * beside `path` with mkstemp (an unpredictable name, created O_EXCL, so
 * nobody can plant or race it); fs_atomic_commit fsyncs it, gives it
 * `mode` less the umask (as open(2) would) and renames it over `path`.
 * Readers of `path` see the old file or the whole new one, never a part.
 * On any failure the temporary file is removed, `path` is left as it was,
 * errno says why, and when `d` is not NULL one error diag names `path`:
 * "<what>: <strerror>" (what: "cannot write output", "cannot write the
 * vault", ...).  A `path` that exists and is not a regular file (-o
 * /dev/stdout, a FIFO) is written in place, since renaming over it would
 * replace the device with a file; a directory is an error.
 * fs_write_atomic does open, one write and commit.
 */
#ifndef VG_FSUTIL_H
#define VG_FSUTIL_H

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"
#include "status.h"

/* errno of fs_open_regular for a FIFO, socket or device */
#define FS_ENOTREG ENODEV

char *fs_cache_dir(void);
int fs_open_regular(const char *path);
const char *fs_strerror(int err);
int fs_mkdirs(const char *dir, mode_t mode);
vg_status fs_read_all(const char *path, size_t max, char **data, size_t *len);

typedef struct fs_atomic {
    char *path;       /* the destination */
    char *tmp;        /* the temporary file; NULL when writing in place */
    int fd;           /* -1 once closed */
    int err;          /* the first write error (an errno value), 0 if none */
    mode_t mode;
    const char *what; /* the diag's prefix */
} fs_atomic;

vg_status fs_atomic_open(fs_atomic *a, const char *path, mode_t mode, const char *what,
                         diag_list *d);
/* Appends n bytes; a failure is remembered and reported by the commit.
 * Returns 0 or the errno value of the (first) failure. */
int fs_atomic_write(fs_atomic *a, const void *data, size_t n);
/* Overwrites n bytes at offset off of what was written, for a header
 * known only at the end; only a temporary file can (a->tmp set: a file
 * written in place may be a FIFO), else EINVAL.  Returns as
 * fs_atomic_write. */
int fs_atomic_pwrite(fs_atomic *a, const void *data, size_t n, off_t off);
/* fsync, close, rename.  Releases a in every case. */
vg_status fs_atomic_commit(fs_atomic *a, diag_list *d);
/* Closes and removes the temporary file; path is untouched.  Releases a. */
void fs_atomic_abort(fs_atomic *a);

/* Keep the `keep` most recently used regular files of dir named
 * PREFIX...SUFFIX (by the later of access and modification time); remove
 * the others.  For the cache directory's databases and context caches. */
void fs_prune(const char *dir, const char *prefix, const char *suffix, size_t keep);

vg_status fs_write_atomic(const char *path, const void *data, size_t n, mode_t mode,
                          const char *what, diag_list *d);

#endif
