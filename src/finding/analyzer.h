/* analyzer.h - the contract between the scan driver and the analyzers.
 *
 * A scan runs in three phases:
 *   init    once, single-threaded, before the walk (load tables, compile
 *           the Hyperscan database, open the OSV index);
 *   file    once per file, from any worker thread, concurrently; the file's
 *           bytes are read once and shared by every analyzer;
 *   finish  once, single-threaded, after the walk (cross-file work: the
 *           dependency look-ups, inter-procedural taint).
 * An analyzer keeps scan-wide state in the `state` pointer its init sets
 * (read-only during the file phase, or guarded by its own lock) and
 * per-thread state through scan_thread_slot().  Analyzers report through
 * vg_out (finding.h); they never print.
 */
#ifndef VG_ANALYZER_H
#define VG_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "../core/diag.h"
#include "../core/opts.h"
#include "../core/pool.h"
#include "../core/status.h"
#include "fclass.h"

typedef enum file_kind {
    FK_TEXT = 0,    /* any text file */
    FK_PYTHON,      /* .py .pyi .pyw, or a python shebang */
    FK_BINARY       /* NUL and many control bytes in the first 8 KiB (kind_is_binary): skipped */
} file_kind;

typedef struct file_lines file_lines;

typedef struct vg_file {
    const char *path;        /* display path: relative to the scan root, '/'-separated */
    const char *fs_path;     /* path to open on disk; NULL for git blobs */
    const unsigned char *data;
    size_t len;
    file_kind kind;
    int agent_file;          /* a file that steers AI agents (AGENTS.md, .cursorrules, ...) */
    file_class cls;          /* where the file sits in the project (fclass.h) */
    int test_file;           /* a test file (sema_is_test_path: test_*.py, tests/, ...) */
    const char *commit, *author, *date;  /* set when the bytes come from git history */
    file_lines *lines;       /* line index, built on first use by file_line_of */
    /* A PEP 263 coding cookie naming a codec other than UTF-8 (the driver,
     * python/coding.h): data is then the text decoded as CPython decodes it
     * (decoded), or the bytes as they are when that is impossible. */
    const char *encoding;    /* CPython's name of the codec, else NULL */
    int encoding_line;       /* the cookie's line */
    int encoding_hides;      /* the codec can hide code from the raw bytes (VG801) */
    int decoded;             /* data is the decoded text */
    /* Read as context only (another shard's file, one --staged does not
     * report): only analyzers with a finish phase see it, and what they
     * report from it is dropped.  cache_key: its key in the context cache
     * (scan/ctxcache.h), 0 when it is not to be cached. */
    int context;
    uint64_t cache_key;
} vg_file;

/* 1-based line of byte offset `off`, and the byte offset where that line
 * starts.  Builds the line index on first call (not thread-safe for one
 * file, which is only ever handled by one thread). */
int file_line_of(const vg_file *f, size_t off, size_t *line_start);
size_t file_line_start(const vg_file *f, int line); /* byte offset, or f->len */
void file_lines_free(vg_file *f);

typedef struct vg_scan vg_scan;
typedef struct vg_out vg_out;

typedef struct analyzer {
    const char *name;
    vg_status (*init)(vg_scan *s, void **state, diag_list *d);
    vg_status (*file)(vg_scan *s, void *state, const vg_file *f, vg_out *out);
    vg_status (*finish)(vg_scan *s, void *state, vg_out *out);
    void (*fini)(void *state);
} analyzer;

/* How many analyzers the composition root lists (src/scan/families.c). */
#define VG_ANALYZERS 4

struct vg_scan {
    const vg_opts *opts;
    void *state[VG_ANALYZERS];
    unsigned char off[VG_ANALYZERS]; /* no rule of this analyzer is selected: skip it */
    int nthreads;
    /* per-thread slots: analyzer i, thread t -> slot[t * VG_ANALYZERS + i] */
    void **thread_slot;
    struct ctx_cache *cache; /* the context cache (scan/ctxcache.h), or NULL */
};


#endif
