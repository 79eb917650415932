/* scan.h - one Hyperscan database for every text pattern family.
 *
 * Secrets, hidden Unicode and PII patterns are compiled into ONE database,
 * so each file's bytes are read by Hyperscan once.  Each pattern belongs
 * to a family (who owns it) and carries a family-local id; a scan returns
 * the hits grouped by family, and each family confirms its own hits (PCRE2,
 * checksums, context) afterwards.
 *
 * Life cycle:
 *   scan_db *db = scan_db_new();                         init, one thread
 *   scan_db_add(db, SCAN_FAM_PII, "\\b\\d{3}-\\d{2}-\\d{4}\\b", 0, MY_SSN, d);
 *   ... every family adds its patterns ...
 *   scan_db_compile(db, NULL, d);   read-only afterwards, shared by all threads
 *   scan_scratch *sc = scan_scratch_new(db);             one per thread
 *   scan_hits h = {0};
 *   scan_buffer(db, sc, data, len, &h);                  any thread
 *   size_t n; const scan_hit *v = scan_hits_family(&h, SCAN_FAM_PII, &n);
 *   scan_hits_free(&h); scan_scratch_free(sc); scan_db_free(db);
 *
 * Bytes are scanned raw (never HS_FLAG_UTF8): patterns for non-ASCII text
 * are written as UTF-8 byte sequences.  Hyperscan reports END offsets only;
 * a hit is "some match of this pattern ends here" (for HS_FLAG_PREFILTER
 * patterns: "may end here"), so families confirm and find the start
 * themselves (PCRE2 over a window before the end).  A pattern Hyperscan
 * rejects is retried with HS_FLAG_PREFILTER, then dropped (scan_db_mode
 * tells which).  The compiled database is cached (serialised) in
 * $XDG_CACHE_HOME/vibeguard, else ~/.cache/vibeguard, keyed by a hash of
 * every pattern, flag and id, so a scan starts in milliseconds; a corrupt
 * or foreign cache file is ignored and rewritten (atomically).  The
 * built-in rule sets need no cache: their databases are compiled at
 * build time and embedded (scan_prebuilt_use).
 */
#ifndef VG_SCAN_H
#define VG_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "../core/diag.h"
#include "../core/limits.h"
#include "../core/status.h"

/* Who owns a pattern.  Add a family here (at the end) to join the pass. */
typedef enum scan_family {
    SCAN_FAM_SECRETS = 0,
    SCAN_FAM_UNICODE,
    SCAN_FAM_PII,
    SCAN_NFAMILIES
} scan_family;

/* Pattern flags (a subset of Hyperscan's, so callers need not include hs.h). */
#define SCAN_CASELESS   0x01u  /* HS_FLAG_CASELESS */
#define SCAN_DOTALL     0x02u  /* HS_FLAG_DOTALL */
#define SCAN_MULTILINE  0x04u  /* HS_FLAG_MULTILINE: ^ and $ at line ends */
#define SCAN_SINGLEMATCH 0x08u /* report only the first match per buffer */
#define SCAN_PREFILTER  0x10u  /* force HS_FLAG_PREFILTER */
#define SCAN_SOM        0x20u  /* HS_FLAG_SOM_LEFTMOST: hits carry a start (costly) */
#define SCAN_WIDEN      0x40u  /* counted repeats over SCAN_WIDEN_LIMIT become open-ended:
                                  a superset that compiles fast; every real match still
                                  ends at a hit (confirm the hits) */
#define SCAN_TRIM       0x80u  /* Hyperscan gets the pattern cut to what finding a
                                  match's end needs (scan_trim): every real match holds
                                  a hit; the confirmation reads back and on past it */

typedef struct scan_hit {
    uint32_t id;      /* the family-local id given to scan_db_add */
    uint8_t family;   /* scan_family */
    uint64_t from;    /* start offset with SCAN_SOM, else 0 */
    uint64_t to;      /* end offset (exclusive) */
} scan_hit;

/* Hits of one buffer, sorted by family, then id, then end offset. */
typedef struct scan_hits {
    scan_hit *v;
    size_t n, cap;
    size_t fam_start[SCAN_NFAMILIES + 1]; /* family f: v[fam_start[f] .. fam_start[f+1]) */
    size_t fam_n[SCAN_NFAMILIES]; /* hits kept per family */
    unsigned truncated; /* bit f: family f had more than SCAN_MAX_HITS hits, the rest dropped */
    int defer;          /* set: the scans leave the hits unsorted, for scan_hits_finish */
} scan_hits;

typedef struct scan_db scan_db;
typedef struct scan_scratch scan_scratch;

scan_db *scan_db_new(void);
void scan_db_free(scan_db *db);

/* Add one pattern (PCRE syntax as Hyperscan reads it); `expr` and `what`
 * (e.g. the rule id, for messages) are copied.  Patterns are checked when
 * the set is compiled, not here: one that Hyperscan rejects is retried
 * with HS_FLAG_PREFILTER, then dropped with a warning naming `what`; ask
 * scan_db_mode after scan_db_compile.  *prefiltered (if given) says
 * whether SCAN_PREFILTER was requested. */
vg_status scan_db_add(scan_db *db, scan_family fam, const char *expr, unsigned flags,
                      uint32_t id, const char *what, int *prefiltered, diag_list *d);
/* After scan_db_compile: 0 exact, 1 prefilter, -1 dropped (Hyperscan took
 * it in no mode), -2 no such pattern.  With several patterns of one id:
 * -1 if any was dropped. */
int scan_db_mode(const scan_db *db, scan_family fam, uint32_t id);
/* Add a literal (matched byte for byte, caseless with SCAN_CASELESS). */
vg_status scan_db_add_literal(scan_db *db, scan_family fam, const char *lit, size_t len,
                              unsigned flags, uint32_t id, diag_list *d);
size_t scan_db_count(const scan_db *db);

/* Compile (or load from the cache) the database.  cache_dir NULL: the
 * default directory; "" disables the cache.  After this the db is
 * read-only and may be shared by any number of threads. */
vg_status scan_db_compile(scan_db *db, const char *cache_dir, diag_list *d);
int scan_db_from_cache(const scan_db *db); /* 1 when compile loaded the cache */
int scan_db_prebuilt(const scan_db *db);   /* 1 when compile took the prebuilt set */

/* Prebuilt databases (compiled at build time, see tools/hsgen.c).
 * scan_prebuilt_use registers a blob made by scan_prebuilt_take; it must
 * outlive every later scan_db_compile and is read in place.  It returns 1
 * when the blob is usable here, 0 when it was built for other CPU
 * features or another Hyperscan (databases are then compiled and cached
 * as without it), -1 when it is malformed.  Call it before any thread
 * compiles.  The build step calls scan_prebuilt_record, then builds the
 * databases it wants (every scan_db_compile compiles and keeps a copy,
 * ignoring caches), then scan_prebuilt_take for the blob (malloc'd). */
int scan_prebuilt_use(const unsigned char *blob, size_t len);
void scan_prebuilt_record(void);
vg_status scan_prebuilt_take(unsigned char **blob, size_t *len);

scan_scratch *scan_scratch_new(const scan_db *db); /* NULL on failure */
void scan_scratch_free(scan_scratch *sc);

/* Scan one buffer; appends to *hits (all of them sorted afterwards).  Call with a
 * scratch owned by the calling thread.  An empty database finds nothing. */
vg_status scan_buffer(const scan_db *db, scan_scratch *sc, const unsigned char *data,
                      size_t len, scan_hits *hits);
/* Scan the ranges [r[2i], r[2i+1]) of data, each as a buffer of its own
 * (hit offsets relative to data), and sort all the hits once.  The caller
 * picks ranges that every match it wants lies in, with edges where the
 * pattern's \b and class reads see what they would in the whole buffer
 * (at line ends, for patterns that never hold a line end). */
vg_status scan_buffer_ranges(const scan_db *db, scan_scratch *sc, const unsigned char *data,
                             const size_t *r, size_t nr, scan_hits *hits);
/* scan_buffer_ranges with the ranges laid end to end in one buffer and
 * scanned in one Hyperscan call (a call has a fixed cost, far above the
 * bytes of a short range); hit offsets are mapped back to data.  Only for
 * ranges that no match can run across when they are put side by side:
 * each begins and ends with a byte no match holds, or at an end of data
 * (it reads as in data then, since \b reads that byte).  `g` holds the
 * buffer from call to call (zero it before the first, scan_gather_free
 * after the last). */
typedef struct scan_gather {
    unsigned char *buf;
    size_t cap;
    size_t *at, capat;  /* where each range starts in buf */
} scan_gather;
vg_status scan_buffer_gathered(const scan_db *db, scan_scratch *sc, const unsigned char *data,
                               const size_t *r, size_t nr, scan_gather *g, scan_hits *hits);
void scan_gather_free(scan_gather *g);
const scan_hit *scan_hits_family(const scan_hits *h, scan_family fam, size_t *n);
void scan_hits_clear(scan_hits *h);   /* keeps defer */
/* Sort and index hits (after scans with defer set): by family, id, end. */
void scan_hits_finish(scan_hits *h);
void scan_hits_free(scan_hits *h);

/* `expr` with every counted repeat {m,n} above `limit` turned into
 * {min(m,limit),} (malloc'd). */
char *scan_widen_repeats(const char *expr, unsigned limit);

/* Cut `expr` in place to the form Hyperscan needs to find where its
 * matches end, which is all the confirmation needs (it reads back and on
 * past the hit).  The head that can match nothing is dropped: zero-width
 * assertions and optional atoms before the first atom a match holds,
 * when there is an optional atom among them (\b[\w.-]{0,40}? before a
 * keyword costs Hyperscan work at every word byte).  The tail is cut to
 * its shortest form: an optional last part ((...)?, x*, x{0,n}) is
 * dropped and a last repeat (x+, x{m,n}) becomes x{m}, so a match of a
 * long tail ([^\s@]+) is one hit instead of one per byte.  Every match of
 * the old pattern holds a match of the new one that ends at or before
 * its end, after its start. */
void scan_trim(char *expr);

/* The default cache directory (malloc'd), or NULL when no HOME is known. */
char *scan_cache_dir(void);

/* --- families of the text analyzer ----------------------------------------
 * src/text/analyze.c keeps a table of families; each adds its patterns to
 * the one database at init and gets its own hits for every text file.
 * `state` is the family's scan-wide state (read-only in `file`; per-thread
 * data through pool_thread_index(), 0 .. s->nthreads-1). */
struct vg_out;
struct vg_scan;
struct vg_file;
struct vg_opts;

typedef struct text_family {
    const char *name;
    scan_family fam;
    vg_status (*init)(const struct vg_opts *opts, int nthreads, scan_db *db, void **state,
                      diag_list *d);
    vg_status (*file)(void *state, const struct vg_file *f, const scan_hit *hits, size_t n,
                      struct vg_out *out);
    void (*fini)(void *state);
} text_family;

extern const text_family secrets_family; /* src/text/secrets.c */
extern const text_family unicode_family; /* src/text/unicode.c */
extern const text_family pii_family;     /* src/text/pii.c (PII engineer) */

#endif
