/* summary.h - what one module tells the others: the summaries of its
 * functions (which parameter reaches which sink) and its calls into
 * functions it does not define (with the taint of each argument).
 *
 * taint_module adds both under the store's lock (any thread); summary_finish
 * (single-threaded, after the walk) matches calls to functions by qualified
 * name, follows parameters through callers up to a depth bound, and reports
 * each source that reaches a sink in another module.  All strings (and the
 * sinks' sites) are heap copies owned by the store.  No file is opened
 * here: a finding at a sink is made from the site its module rendered.
 */
#ifndef VG_TAINT_SUMMARY_H
#define VG_TAINT_SUMMARY_H

#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "taint.h"

typedef struct ts_step {
    char *path;
    int line, col;
    char *msg;
} ts_step;

typedef struct ts_trail {
    ts_step *v;               /* one block: the steps, then their strings (ts_trail_pack) */
    int n;
} ts_trail;

typedef struct ts_sink {
    uint32_t params;          /* parameters of the function that reach the sink */
    taint_family fam;
    char *path;               /* where the sink is */
    finding_site *site;       /* its finding's site (rule of fam), from the file's bytes */
    int line, col, end_line, end_col;  /* byte columns, 0-based as the AST */
    char *what;               /* "cursor.execute()" */
    ts_trail trail;           /* from the parameter to the sink */
} ts_sink;

typedef struct ts_func {
    char *qname;              /* "pkg.db.find_user" */
    int nparams;
    char **pnames;            /* one block: the pointers, then the names (ts_pnames_dup) */
    ts_sink *sinks;
    int nsinks;
    size_t capsinks;
    int has_ret;              /* the return summary below is known */
    uint32_t ret_params;      /* parameters that reach the return value */
    uint8_t ret_kinds;        /* sources it returns whatever the input */
    uint32_t ret_safe;        /* families the return value is safe for */
    char *ret_src;            /* it returns what this function returns (another module), or NULL */
} ts_func;

typedef struct ts_arg {
    char *kw;                 /* keyword name, or NULL for positional */
    int pos;                  /* positional index */
    uint8_t kinds;            /* concrete sources */
    uint32_t params;          /* parameters of the caller it carries */
    uint32_t safe;            /* families it is safe for */
    ts_trail trail;           /* source -> this argument */
} ts_arg;

typedef struct ts_call {
    char *callee;             /* resolved qualified name */
    char *caller;             /* qualified name of the calling function */
    char *path;
    int line, col;
    ts_arg *args;
    int nargs;
} ts_call;

typedef struct summary_store summary_store;

summary_store *summary_new(void);
void summary_free(summary_store *st);
/* All three take ownership of the record (and free it).  Thread-safe.  A
 * call is dropped unless an argument carries a source or a parameter of
 * its caller.  rec (or NULL): what is kept is also appended to it as bytes
 * (summary_rec_func, summary_rec_call below), for the context cache. */
void summary_add_func(summary_store *st, ts_func *fn, buf *rec);
void summary_add_call(summary_store *st, ts_call *c, buf *rec);
/* A finding whose taint came back from `via` (a function of another
 * module, or a library): finish keeps it unless `via` is a function of the
 * tree whose return value does not carry its arguments (or is sanitised
 * for the finding's family). */
void summary_add_deferred(summary_store *st, finding *fd, const char *via, taint_family fam,
                          int need_src);
/* need_src: the value reaching the sink had no source of its own module,
 * only what `via` returns; finish keeps the finding only when via (or a
 * function of the tree it returns the result of, transitively) returns
 * request data whatever its input. */
/* Cross-module flows: findings into `out`. */
vg_status summary_finish(summary_store *st, const vg_opts *opts, vg_out *out);

/* The records of one module as bytes (record.c): what summary_add_func and
 * summary_add_call keep, appended to b, for the scan's context cache;
 * summary_replay adds them back (sites left out: see record.c).  -1, and
 * nothing added, when the bytes are not a record.  The store keeps
 * pointers into p: the bytes must stay as they are until summary_free
 * (the context cache keeps them until ctxcache_close, after the finish).
 * Only what the join looks up is decoded, in summary_finish. */
void summary_rec_func(buf *b, const ts_func *fn);
void summary_rec_call(buf *b, const ts_call *c);
int summary_replay(summary_store *st, const unsigned char *p, size_t n);

/* For summary.c: one item of a record, its names in place. */
typedef struct rec_item {
    unsigned char tag;           /* 'F' or 'C' */
    const char *name;            /* F: qname; C: callee */
    const char *caller, *path;   /* C */
    int line, col;               /* C */
    uint64_t h, hc;              /* summary_tail2_hash of name and caller, as recorded */
    const unsigned char *body, *end; /* the rest of the item */
} rec_item;
/* The hash of the last two components of a qualified name ("db.find_user"),
 * which two names that match in the join share; recorded with each name. */
uint64_t summary_tail2_hash(const char *q);
/* Check a whole record and list its items (*items: heap, NULL when none);
 * -1 and no items when it does not parse. */
int summary_rec_items(const unsigned char *p, size_t n, rec_item **items, size_t *nitems);
/* Decode a listed item; arrays from a, strings in place in the record. */
void summary_rec_func_at(arena *a, const rec_item *it, ts_func *fn);
void summary_rec_call_at(arena *a, const rec_item *it, ts_call *c);

/* The n names of src (NULL ones kept) as one heap block, NULL-terminated,
 * freed by one free(): a summary per function of the tree, and a block per
 * name cost more in malloc's headers than the names themselves. */
char **ts_pnames_dup(const char *const *src, int n);
/* A trail holding copies of the n steps v (whose strings it borrows), as
 * one heap block freed by ts_trail_free; a path equal to the step
 * before's is stored once. */
ts_trail ts_trail_pack(const ts_step *v, int n);
void ts_trail_free(ts_trail *t);
void ts_func_free(ts_func *fn);
void ts_call_free(ts_call *c);

#endif
