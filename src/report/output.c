/* output.c - what all reporters share: format dispatch, terminal-safe
 * text, severity scores, and the atomic output file. */
#include "report.h"
#include "../fmt/jsonw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int report_format_known(const char *f)
{
    return f && (!strcmp(f, "text") || !strcmp(f, "json") || !strcmp(f, "sarif") ||
                 !strcmp(f, "html"));
}

vg_status report_render(const report_ctx *c, const char *format, buf *out)
{
    if (!strcmp(format, "text")) report_text(c, out);
    else if (!strcmp(format, "json")) return report_json(c, out);
    else if (!strcmp(format, "sarif")) return report_sarif(c, out);
    else if (!strcmp(format, "html")) report_html(c, out);
    else return VG_ERR_USAGE;
    return VG_OK;
}

void report_visible(buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            size_t j = i;
            while (j < n && s[j] >= 0x20 && s[j] < 0x7F) j++;
            buf_append(b, s + i, j - i);
            i = j;
            continue;
        }
        if (c == '\t') {
            buf_putc(b, '\t');
            i++;
            continue;
        }
        if (c < 0x80) {
            buf_printf(b, "\\x%02x", c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = jsonw_utf8_decode(s + i, n - i, &cp);
        if (!len) {
            buf_printf(b, "\\x%02x", c);
            i++;
        } else if (cp < 0xA0 || jsonw_invisible(cp)) {
            buf_printf(b, "<U+%04X>", (unsigned)cp);
            i += len;
        } else {
            buf_append(b, s + i, len);
            i += len;
        }
    }
}

severity report_max_severity(finding *const *v, size_t n)
{
    severity m = SEV_NONE;
    for (size_t i = 0; i < n; i++)
        if (v[i]->severity > m) m = v[i]->severity;
    return m;
}

const char *report_security_severity(severity s)
{
    switch (s) {
    case SEV_CRITICAL: return "9.5";
    case SEV_HIGH: return "8.0";
    case SEV_MEDIUM: return "5.5";
    case SEV_LOW: return "3.0";
    default: return "0.0";
    }
}

static int write_all(int fd, const char *p, size_t left)
{
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? errno : EIO;
        p += w;
        left -= (size_t)w;
    }
    return 0;
}

vg_status report_write_atomic(const char *path, const void *data, size_t n, diag_list *d)
{
    /* A device, FIFO or socket (-o /dev/stdout, -o /dev/null) is written
     * in place: renaming over it would replace the device with a file. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write output: is a directory");
            return VG_ERR_IO;
        }
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        int err = fd < 0 ? errno : write_all(fd, data, n);
        if (fd >= 0 && close(fd) < 0 && !err) err = errno;
        if (err) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write output: %s", strerror(err));
            return VG_ERR_IO;
        }
        return VG_OK;
    }
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp) return VG_ERR_NOMEM;
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write output: %s", strerror(errno));
        free(tmp);
        return VG_ERR_IO;
    }
    /* mkstemp makes 0600; an output file is an ordinary file */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    int err = write_all(fd, data, n);
    if (!err && fsync(fd) < 0 && errno != EINVAL) err = errno;
    if (close(fd) < 0 && !err) err = errno;
    if (!err && rename(tmp, path) < 0) err = errno;
    if (err) {
        unlink(tmp);
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write output: %s", strerror(err));
        free(tmp);
        return VG_ERR_IO;
    }
    free(tmp);
    return VG_OK;
}
