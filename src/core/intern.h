/* intern.h - string interning: equal names, equal pointers.
 *
 * The Python lexer interns every identifier (and dotted import name), so
 * the identifiers of an AST can be compared with `==` (Lua's "all strings
 * are unified by the scanner").  An interned string is NUL-terminated, lives
 * as long as its interner, and never moves; ident_len() gives its length.
 *
 * Who compares pointers today: the taint engine (src/taint/), for every
 * identifier against another identifier or against a name it interned at
 * init (src/taint/tables.h: ti_self, ..., and the sinks' keywords).  Not
 * interned, so compared with strcmp: the qualified names the resolver
 * returns (resolve.h), names built in buffers (dotted names, env keys),
 * string constants, and table entries matched against qualified names.
 * The pattern rules (src/rules/) still compare identifiers with strcmp.
 *
 * Thread model (two levels):
 *
 *   1. The global interner, intern_global(), is filled single-threaded in
 *      the analyzer init phase, before any child (below) interns a name: a
 *      module that compares identifiers by pointer interns the names it
 *      compares against there, e.g.
 *          const char *ti_self;                     (set once at init)
 *          ti_self = intern_cstr(intern_global(), "self");
 *      After init nobody inserts, so any thread may read it
 *      (intern_lookup).  intern_global_freeze() would make inserting an
 *      abort in test builds and a silent no-op returning NULL otherwise;
 *      the scan does not call it.
 *
 *   2. Each worker thread owns a child interner, intern_new(intern_global()),
 *      kept for the whole scan (per-thread slot) and passed to py_parse.
 *      intern(child, s) returns the parent's pointer when the parent holds
 *      the name (a child stores only what its parents lacked when it first
 *      saw the name), so a name interned at init is pointer-equal to the
 *      same name in any file on any thread.  Names new to the scan go into
 *      the child (one thread, no lock).
 *
 * A child grows with the distinct names its thread has seen (all files of
 * the scan); free it when the scan ends.  Never pass a frozen interner to
 * the parser: it must be able to insert.
 *
 * Names interned into a child are pointer-equal only within that thread's
 * files; compare them with the global pointers (or intern_lookup on the
 * same child) and you are always right.
 */
#ifndef VG_INTERN_H
#define VG_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct interner interner;

/* A new interner whose lookups fall back to `parent` first (NULL: none).
 * The parent must outlive the child and must not change while any child
 * is in use. */
interner *intern_new(const interner *parent);
void intern_free(interner *in);

/* The interned copy of s[0..n) (may contain any bytes except that it is
 * cut at nothing: embedded NULs are kept, length via ident_len). */
const char *intern(interner *in, const char *s, size_t n);
const char *intern_cstr(interner *in, const char *s);

/* The interned pointer for s[0..n) if it exists in `in` or its parent,
 * else NULL; never inserts (safe on a frozen interner from any thread). */
const char *intern_lookup(const interner *in, const char *s, size_t n);

/* Length of an interned string (stored just before it). */
static inline size_t ident_len(const char *interned)
{
    uint32_t n;
    __builtin_memcpy(&n, interned - sizeof n, sizeof n);
    return n;
}

/* The process-wide interner (created on first call; first call must be
 * single-threaded, e.g. in an analyzer init). */
interner *intern_global(void);
void intern_global_freeze(void);
size_t intern_count(const interner *in); /* names held by `in` itself */

#endif
