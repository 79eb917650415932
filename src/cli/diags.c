/* diags.c - the CLI's side of showing diagnostics: report_diags renders
 * them (src/report/diag.c), and this file hands it the source line of each
 * one, read again from disk for display, then writes the text to a stream.
 * Only the CLI reads a file to show it; the library never does.
 */
#include "cli.h"
#include "../core/buf.h"
#include "../report/report.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A line longer than this is shown cut (the excerpt shows less anyway). */
#define LINE_MAX_BYTES 65536

/* report_line_fn: line `line` of the regular file at path, read in chunks
 * (never a whole big file in memory); 0 when the file has that line. */
static int source_line(void *ud, const char *path, int line, buf *text)
{
    (void)ud;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    char chunk[65536];
    int at = 1, found = 0;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (const char *p = chunk, *e = chunk + n; p < e;) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(e - p);
            if (at == line) {
                found = 1;
                size_t room = LINE_MAX_BYTES - text->len;
                buf_append(text, p, len < room ? len : room);
            }
            if (!nl) break;
            if (at++ == line) goto done;
            p = nl + 1;
        }
    }
done:
    close(fd);
    if (!found) return -1;
    if (text->len && text->data[text->len - 1] == '\r') text->data[--text->len] = 0;
    return 0;
}

void cli_print_diags(FILE *fp, const diag_list *d, diag_level min)
{
    cli_print_diags_masked(fp, d, min, NULL);
}

void cli_print_diags_masked(FILE *fp, const diag_list *d, diag_level min, const mask_set *secrets)
{
    const report_diag_opts o = {.tool = "vibeguard", .line = source_line, .secrets = secrets};
    buf b;
    buf_init(&b, 0);
    report_diags(d, min, &o, &b);
    if (b.len) fwrite(b.data, 1, b.len, fp);
    buf_free(&b);
}
