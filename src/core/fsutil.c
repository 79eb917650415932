/* fsutil.c - cache directory, mkdir -p, whole-file reads and atomic
 * writes; see fsutil.h.  The reads, writes, fsyncs and renames ask
 * fault.h first, so the test build can fail the Nth one. */
#include "fsutil.h"
#include "buf.h"
#include "fault.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *fs_cache_dir(void)
{
    const char *x = getenv("XDG_CACHE_HOME");
    if (x && *x == '/') return xasprintf("%s/vibeguard", x);
    const char *h = getenv("HOME");
    if (h && *h == '/') return xasprintf("%s/.cache/vibeguard", h);
    return NULL;
}

int fs_mkdirs(const char *dir, mode_t mode)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        mkdir(p, mode);
        *s = '/';
    }
    int rc = mkdir(p, mode) == 0 || errno == EEXIST ? 0 : -1;
    struct stat st;
    if (rc == 0 && (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
        errno = ENOTDIR;
        rc = -1;
    }
    free(p);
    return rc;
}

int fs_open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return -1;
    struct stat st;
    int e = 0;
    if (fstat(fd, &st) != 0) e = errno;
    else if (S_ISDIR(st.st_mode)) e = EISDIR;
    else if (!S_ISREG(st.st_mode)) e = FS_ENOTREG;
    else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) e = errno;
    if (e) {
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

const char *fs_strerror(int err)
{
    return err == FS_ENOTREG ? "not a regular file (a FIFO, socket or device): refused"
                             : strerror(err);
}

vg_status fs_read_all(const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = fs_open_regular(path);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "rb");
    if (!fp) {
        int e = errno;
        if (fd >= 0) close(fd);
        errno = e;
        return VG_ERR_IO;
    }
    buf b;
    buf_init(&b, max);
    char chunk[65536];
    size_t n;
    vg_status rc = VG_OK;
    for (;;) {
        if (fault_fail(FAULT_READ)) {
            rc = VG_ERR_IO;
            break;
        }
        if ((n = fread(chunk, 1, sizeof chunk, fp)) == 0) break;
        if ((rc = buf_append(&b, chunk, n))) break;
    }
    if (!rc && ferror(fp)) rc = VG_ERR_IO;
    int e = errno;
    fclose(fp);
    if (rc) {
        buf_free(&b);
        errno = e;
        return rc;
    }
    *len = b.len;
    *data = buf_detach(&b);
    return VG_OK;
}

/* ---- atomic writes ---- */

/* The process umask, read once: umask(2) can only be read by setting it,
 * and nothing in vibeguard changes it afterwards. */
static mode_t fs_umask_v;
static pthread_once_t fs_umask_once = PTHREAD_ONCE_INIT;

static void fs_umask_read(void)
{
    fs_umask_v = umask(077);
    umask(fs_umask_v);
}

static mode_t fs_umask(void)
{
    pthread_once(&fs_umask_once, fs_umask_read);
    return fs_umask_v;
}

/* Records errno as a's failure (the first one wins) and returns it. */
static int fs_atomic_fail(fs_atomic *a)
{
    int e = errno ? errno : EIO;
    if (!a->err) a->err = e;
    return a->err;
}

/* Releases a; on failure reports a->err and leaves errno set to it. */
static vg_status fs_atomic_end(fs_atomic *a, diag_list *d)
{
    int err = a->err;
    if (a->fd >= 0) close(a->fd);
    if (err && a->tmp) unlink(a->tmp);
    if (err && d) diag_add(d, DIAG_ERROR, a->path, 0, 0, "%s: %s", a->what, strerror(err));
    free(a->path);
    free(a->tmp);
    a->path = a->tmp = NULL;
    a->fd = -1;
    if (!err) return VG_OK;
    errno = err;
    return VG_ERR_IO;
}

vg_status fs_atomic_open(fs_atomic *a, const char *path, mode_t mode, const char *what,
                         diag_list *d)
{
    *a = (fs_atomic){.path = xstrdup(path), .fd = -1, .mode = mode, .what = what};
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            a->err = EISDIR;
        } else if ((a->fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
            fs_atomic_fail(a);
        }
        return a->err ? fs_atomic_end(a, d) : VG_OK;
    }
    a->tmp = xasprintf("%s.tmp.XXXXXX", path);
    a->fd = mkstemp(a->tmp);
    if (a->fd < 0) {
        fs_atomic_fail(a);
        free(a->tmp);
        a->tmp = NULL; /* nothing was created */
        return fs_atomic_end(a, d);
    }
    return VG_OK;
}

/* n bytes at the end (off < 0) or at offset off. */
static int atomic_put(fs_atomic *a, const void *data, size_t n, off_t off)
{
    const char *p = data;
    while (n && !a->err) {
        if (fault_fail(FAULT_WRITE)) return fs_atomic_fail(a);
        ssize_t w = off < 0 ? write(a->fd, p, n) : pwrite(a->fd, p, n, off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            return fs_atomic_fail(a);
        }
        p += w;
        if (off >= 0) off += w;
        n -= (size_t)w;
    }
    return a->err;
}

int fs_atomic_write(fs_atomic *a, const void *data, size_t n)
{
    return atomic_put(a, data, n, -1);
}

int fs_atomic_pwrite(fs_atomic *a, const void *data, size_t n, off_t off)
{
    if (!a->err && (!a->tmp || off < 0)) {
        errno = EINVAL;
        return fs_atomic_fail(a);
    }
    return atomic_put(a, data, n, off);
}

vg_status fs_atomic_commit(fs_atomic *a, diag_list *d)
{
    if (!a->err && a->tmp) {
        /* mkstemp made the file 0600; give it the mode open(2) would */
        if (fchmod(a->fd, a->mode & ~fs_umask()) < 0) fs_atomic_fail(a);
        else if (fault_fail(FAULT_WRITE) || (fsync(a->fd) < 0 && errno != EINVAL))
            fs_atomic_fail(a); /* EINVAL: a file system that cannot sync */
    }
    if (a->fd >= 0) {
        int rc = close(a->fd);
        a->fd = -1;
        if (rc < 0) fs_atomic_fail(a);
    }
    if (!a->err && a->tmp && (fault_fail(FAULT_RENAME) || rename(a->tmp, a->path) < 0))
        fs_atomic_fail(a);
    return fs_atomic_end(a, d);
}

void fs_atomic_abort(fs_atomic *a)
{
    if (!a->err) a->err = ECANCELED;
    int e = errno;
    fs_atomic_end(a, NULL);
    errno = e;
}

vg_status fs_write_atomic(const char *path, const void *data, size_t n, mode_t mode,
                          const char *what, diag_list *d)
{
    fs_atomic a;
    vg_status rc = fs_atomic_open(&a, path, mode, what, d);
    if (rc) return rc;
    fs_atomic_write(&a, data, n);
    return fs_atomic_commit(&a, d);
}

void fs_prune(const char *dir, const char *prefix, const char *suffix, size_t keep)
{
    DIR *dp = opendir(dir);
    if (!dp) return;
    struct ent { char *path; time_t t; } *v = NULL;
    size_t n = 0, cap = 0, lp = strlen(prefix), ls = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l < lp + ls || strncmp(e->d_name, prefix, lp) || strcmp(e->d_name + l - ls, suffix))
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        XGROW(v, cap, n + 1);
        v[n].path = p;
        v[n++].t = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime;
    }
    closedir(dp);
    while (n > keep) { /* drop the oldest */
        size_t old = 0;
        for (size_t i = 1; i < n; i++)
            if (v[i].t < v[old].t) old = i;
        unlink(v[old].path);
        free(v[old].path);
        v[old] = v[--n];
    }
    for (size_t i = 0; i < n; i++) free(v[i].path);
    free(v);
}
