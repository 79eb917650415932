/* diag.h - diagnostics: messages about input, with a location.
 *
 * Library code reports problems (a parse error, an unreadable file, a
 * malformed manifest) as diags; the CLI decides how to print them.  A diag
 * list owns copies of every string it holds.  Lines and columns are
 * 1-based; 0 means "not known".
 */
#ifndef VG_DIAG_H
#define VG_DIAG_H

#include <stddef.h>

typedef enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } diag_level;

typedef struct diag {
    diag_level level;
    char *path;     /* may be NULL */
    int line, col;
    char *message;
} diag;

typedef struct diag_list {
    diag *v;
    size_t n, cap;
} diag_list;

void diag_add(diag_list *l, diag_level level, const char *path, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_move(diag_list *dst, diag_list *src); /* append src to dst; src is left empty, owning nothing */
void diag_free(diag_list *l);
const char *diag_level_str(diag_level level);

#endif
