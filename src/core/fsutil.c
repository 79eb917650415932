/* fsutil.c - cache directory, mkdir -p, whole-file reads; see fsutil.h. */
#include "fsutil.h"
#include "buf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

vg_status fs_read_all(const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) return VG_ERR_IO;
    buf b;
    buf_init(&b, max);
    char chunk[65536];
    size_t n;
    vg_status rc = VG_OK;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        if ((rc = buf_append(&b, chunk, n))) break;
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
