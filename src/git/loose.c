/* loose.c - bounded reads of git's loose objects; see gitutil.h.
 *
 * A loose object is one zlib stream of "<type> <size>\0<content>".  The
 * header is inflated first (a few bytes of output), so a blob over the
 * cap costs nothing; the content is then inflated in one call into a
 * buffer of exactly the announced size.  A stream that ends early, runs
 * past its size or fails its checksum is broken: reported, never retried.
 */
#include "gitutil.h"
#include "../core/fsutil.h"
#include "../core/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* bytes of the "<type> <size>\0" header looked at */
#define LOOSE_HEADER_MAX 64

int gitutil_loose_read(const char *objdir, const char *hex, size_t max, char **data, size_t *len)
{
    if (data) *data = NULL;
    if (len) *len = 0;
    if (strlen(hex) < 4) return GITL_NOT_LOOSE;
    char *path = xasprintf("%s/%.2s/%s", objdir, hex, hex + 2);
    char *z = NULL;
    size_t zlen = 0;
    /* deflate never grows data by more than ~0.1% plus a few bytes; a
     * larger file is not an object of at most max bytes */
    vg_status rd = fs_read_all(path, max + max / 64 + 4096, &z, &zlen);
    int gone = rd == VG_ERR_IO && errno == ENOENT;
    free(path);
    if (rd == VG_ERR_LIMIT) return GITL_LARGE;
    if (rd) return gone ? GITL_NOT_LOOSE : GITL_BROKEN;

    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK) {
        free(z);
        return GITL_BROKEN;
    }
    unsigned char head[LOOSE_HEADER_MAX];
    s.next_in = (unsigned char *)z;
    s.avail_in = (uInt)zlen;
    s.next_out = head;
    s.avail_out = sizeof head;
    int zr = inflate(&s, Z_SYNC_FLUSH);
    size_t got = sizeof head - s.avail_out;
    unsigned char *nul = memchr(head, 0, got);
    int rc = GITL_BROKEN;
    char *sp = nul ? memchr(head, ' ', (size_t)(nul - head)) : NULL;
    if ((zr == Z_OK || zr == Z_STREAM_END) && nul && sp) {
        char *end;
        errno = 0;
        unsigned long long size = strtoull(sp + 1, &end, 10);
        if (end != (char *)nul || errno) goto out;
        if (size > max) {
            rc = GITL_LARGE;
            goto out;
        }
        size_t already = got - (size_t)(nul + 1 - head);
        if (already > size) goto out;
        char *buf = xmalloc((size_t)size + 1);
        memcpy(buf, nul + 1, already);
        if (zr != Z_STREAM_END) {
            s.next_out = (unsigned char *)buf + already;
            s.avail_out = (uInt)(size - already);
            /* all the input and exactly the room announced: one call ends the
             * stream, or the object is broken (truncated, too long, bad data) */
            zr = inflate(&s, Z_FINISH);
        }
        if (zr == Z_STREAM_END && s.total_out == (uLong)(nul + 1 - head) + size) {
            buf[size] = 0;
            rc = GITL_OK;
            if (data) {
                *data = buf;
                buf = NULL;
            }
            if (len) *len = (size_t)size;
        }
        free(buf);
    }
out:
    inflateEnd(&s);
    free(z);
    return rc;
}
