/* diag.c - diagnostic lists; see diag.h. */
#include "diag.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_add(diag_list *l, diag_level level, const char *path, int line, int col,
              const char *fmt, ...)
{
    XGROW(l->v, l->cap, l->n + 1);
    diag *d = &l->v[l->n++];
    d->level = level;
    d->path = path ? xstrdup(path) : NULL;
    d->line = line;
    d->col = col;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    d->message = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, fmt);
    vsnprintf(d->message, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
}

void diag_move(diag_list *dst, diag_list *src)
{
    if (src->n) {
        XGROW(dst->v, dst->cap, dst->n + src->n);
        memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
        dst->n += src->n;
    }
    /* src is left empty and owns nothing: a caller that moves a local list
     * need not free it too (the walk's warnings leaked their array) */
    free(src->v);
    src->v = NULL;
    src->n = src->cap = 0;
}

void diag_free(diag_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].message);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

const char *diag_level_str(diag_level level)
{
    switch (level) {
    case DIAG_NOTE: return "note";
    case DIAG_WARNING: return "warning";
    case DIAG_ERROR: return "error";
    }
    return "?";
}
