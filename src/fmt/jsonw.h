/* jsonw.h - a streaming JSON writer into a buf.
 *
 * The writer tracks nesting and commas, so callers only say what comes
 * next: jsonw_obj(w) / jsonw_key(w, "k") / jsonw_str(w, v) / jsonw_end(w).
 * Every string is written as valid JSON whatever its bytes: quotes,
 * backslashes and control characters are escaped, bytes that are not
 * well-formed UTF-8 become U+FFFD, and invisible format characters (bidi
 * controls, zero-width, tag characters) and U+2028/U+2029 are written as
 * \uXXXX escapes so a terminal or an editor shows them for what they are.
 * The decoded value is unchanged except for the replaced invalid bytes.
 *
 * Nesting deeper than JSONW_MAX_DEPTH sets w->err (VG_ERR_LIMIT) and the
 * writer ignores further calls; check w->err (or jsonw_finish) once at
 * the end.  The buf is owned by the caller.
 */
#ifndef VG_JSONW_H
#define VG_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/limits.h"
#include "../core/status.h"

typedef struct jsonw {
    buf *out;
    int pretty;                         /* indent with two spaces a level */
    int depth;
    unsigned char first[JSONW_MAX_DEPTH]; /* nothing written yet at this level */
    unsigned char is_obj[JSONW_MAX_DEPTH];
    unsigned char oneline[JSONW_MAX_DEPTH]; /* pretty mode: keep this level on one line */
    int after_key;                      /* a key was written; the value follows */
    vg_status err;
} jsonw;

void jsonw_init(jsonw *w, buf *out, int pretty);
void jsonw_obj(jsonw *w);               /* { */
void jsonw_arr(jsonw *w);               /* [ */
void jsonw_arr_inline(jsonw *w);        /* [ ... ] on one line even when pretty */
void jsonw_end(jsonw *w);               /* } or ] */
void jsonw_key(jsonw *w, const char *k);
void jsonw_str(jsonw *w, const char *s);          /* NULL writes null */
void jsonw_strn(jsonw *w, const char *s, size_t n);
void jsonw_int(jsonw *w, int64_t v);
void jsonw_uint(jsonw *w, uint64_t v);
void jsonw_double(jsonw *w, double v);            /* non-finite writes null */
void jsonw_bool(jsonw *w, int v);
void jsonw_null(jsonw *w);
/* Convenience: key followed by a value. */
void jsonw_kstr(jsonw *w, const char *k, const char *s);
void jsonw_kint(jsonw *w, const char *k, int64_t v);
void jsonw_kbool(jsonw *w, const char *k, int v);
/* Ends the document with a newline; returns w->err, or VG_ERR_INTERNAL when
 * containers are still open. */
vg_status jsonw_finish(jsonw *w);

/* Append s (n bytes) to b as the body of a JSON string (no quotes), with
 * the escaping described above.  Exposed for reporters that embed JSON. */
void jsonw_escape(buf *b, const char *s, size_t n);

/* Is cp an invisible format character worth showing (bidi controls,
 * zero-width, tag characters, variation selectors, fillers, BOM)? */
int jsonw_invisible(uint32_t cp);

#endif
