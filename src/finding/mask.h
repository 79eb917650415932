/* mask.h - the one masking step every output field passes through.
 *
 * One policy says how much of a secret may be shown: a prefix of at most
 * MASK_KEEP_MAX code points and never more than a quarter of the secret;
 * a secret under MASK_SHOW_MIN code points is hidden whole.  What is
 * hidden becomes MASK_TOKEN, whatever its length.
 *
 * Two tools apply it:
 *  - mask_runs: the hidden byte ranges of one file, sorted and merged, for
 *    rendering snippets and context lines (a window of a line costs its
 *    own length plus a binary search, however many secrets the file has);
 *  - mask_set: the secret values found in each file, for every other text
 *    (messages, properties, taint steps, fingerprint keys, diagnostics,
 *    sites rendered before the file's secrets were known).  mask_set_scrub
 *    hides every occurrence of a value of that path in one Aho-Corasick
 *    pass, linear in the text and in the values.
 *
 * mask_work counts the bytes these functions examine, so tests can check
 * that the work grows linearly with the input (never a wall clock).
 */
#ifndef VG_MASK_H
#define VG_MASK_H

#include <stddef.h>

#include "../core/buf.h"

#define MASK_TOKEN "****"
#define MASK_KEEP_MAX 4   /* code points a long secret may show */
#define MASK_SHOW_MIN 12  /* a secret of fewer code points shows nothing */
#define MASK_SCRUB_MIN 3  /* bytes: shorter values are only masked by position */

/* Bytes of the visible prefix of the secret s[0..n). */
size_t mask_keep(const unsigned char *s, size_t n);
/* Append the masked form of s[0..n): its visible prefix, then MASK_TOKEN. */
void mask_put(buf *b, const unsigned char *s, size_t n);

/* The hidden byte ranges of one file. */
typedef struct mask_runs {
    size_t *start, *end;   /* sorted, disjoint, not adjacent */
    size_t n;
} mask_runs;

/* Build from the secret ranges [ms[i], me[i]) of data; each hides what
 * follows its visible prefix.  Overlapping ranges are fine. */
void mask_runs_build(mask_runs *r, const unsigned char *data, const size_t *ms, const size_t *me,
                     size_t n);
void mask_runs_free(mask_runs *r);
/* Append data[s, e) to b with every hidden run that meets it shown as one
 * MASK_TOKEN.  r may be NULL (nothing hidden). */
void mask_runs_put(const mask_runs *r, buf *b, const unsigned char *data, size_t s, size_t e);

/* Secret values by the display path of the file they were found in. */
typedef struct mask_set mask_set;

mask_set *mask_set_new(void);
void mask_set_free(mask_set *m);
/* Remember v[0..n) as a secret of path (values under MASK_SCRUB_MIN bytes
 * are ignored).  Not after mask_set_seal. */
void mask_set_add(mask_set *m, const char *path, const unsigned char *v, size_t n);
/* Move every value of src into dst (src is left empty). */
void mask_set_move(mask_set *dst, mask_set *src);
/* Index the values; after this only the lookups below. */
void mask_set_seal(mask_set *m);
/* Does path have secrets? */
int mask_set_has(const mask_set *m, const char *path);
/* s[0..n) with every secret of path masked, as a new string; NULL when
 * nothing in it is a secret of path (or m is NULL).  *outlen may be NULL. */
char *mask_set_scrub(const mask_set *m, const char *path, const char *s, size_t n,
                     size_t *outlen);
/* Replace *s (a malloc'd string) by its scrubbed form; 1 if it changed. */
int mask_set_scrub_str(const mask_set *m, const char *path, char **s);

/* Text decoded from hidden characters (tag characters, variation
 * selectors) is not in the file as written, so no secret rule sees it: copy
 * text[0..n) into b with every token that reads as a credential (a run of
 * letters, digits and _-+=./ of MASK_LIKE_LONG bytes, or of MASK_LIKE_MIN
 * with letters and digits mixed) masked.  Returns the tokens masked. */
#define MASK_LIKE_MIN 8
#define MASK_LIKE_LONG 20
size_t mask_secretlike(buf *b, const char *text, size_t n);

/* Does a package name read as a credential (a line holding a key, taken
 * for a requirement)?  A run of 16 or more letters and digits, both, with
 * no separator: real names are words joined by '-', '_' or '.'.  The scan
 * masks such a value by value when a secret rule found it; `vibeguard
 * deps` runs no secret rule, so the dependency analyzer masks such a name
 * itself (messages, properties, the inventory). */
int mask_name_secretlike(const char *name);

/* Bytes examined by the functions above since the process started. */
size_t mask_work(void);

#endif
