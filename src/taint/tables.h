/* tables.h - the source, sink and sanitizer tables (sources.def, sinks.def,
 * sanitizers.def) as hash look-ups, and the identifiers the engine compares
 * AST names with.  Built once by tables_init (single threaded, before the
 * walk: taint_init calls it); read-only afterwards. */
#ifndef VG_TAINT_TABLES_H
#define VG_TAINT_TABLES_H

#include <stdint.h>

#include "taint.h"

typedef enum tab_match {
    M_REQ_ATTR = 1, M_REQ_CALL, M_SELF_ATTR, M_SELF_CALL, M_QNAME, M_CALL, M_SUFFIX,
    M_DEFAULT, M_METHOD
} tab_match;

enum { A_ANY = -1, A_RECV = -2, A_KW = 64 /* by keyword only */ };
typedef enum sink_cond { C_NONE = 0, C_SHELL, C_YAML, C_XMLPARSER, C_LOGGER, C_LOCATION,
                        C_WFILE, C_HTMLTYPE, C_UPLOAD, C_PROMPT } sink_cond;

typedef struct tab_source {
    int kind;            /* SK_* */
    tab_match match;
    const char *name;
} tab_source;

typedef struct tab_sink {
    taint_family fam;
    tab_match match;     /* M_CALL or M_METHOD */
    const char *name;
    int arg;             /* index, A_ANY or A_RECV */
    const char *kw;      /* keyword of the same argument, or NULL; interned */
    sink_cond cond;
} tab_sink;

/* Builds the look-ups and interns into intern_global() every identifier
 * below and every sink keyword.  Call it before any child of the global
 * interner interns a name (a name a child held first would not be
 * pointer-equal to ours); taint_init does, in the analyzer init phase. */
void tables_init(void);
void tables_free(void);

const tab_source *tab_source_find(tab_match match, const char *name);
/* A source of kind M_SUFFIX whose name ends the dotted callee `dotted`. */
const tab_source *tab_source_suffix(const char *dotted);
/* The first sink entry for (match, name); entries with the same key follow
 * it in tab_sink_next. */
const tab_sink *tab_sink_find(tab_match match, const char *name);
/* All three tables at once for (match, name): one hash, one chain walk. */
void tab_lookup(tab_match match, const char *name, const tab_source **src, const tab_sink **sink,
                unsigned *san);
/* Families a sanitizer makes safe (0: not a sanitizer). */
unsigned tab_sanitizer(tab_match match, const char *name);
/* The sink family whose verdicts refine findings of pattern rule `rule_id`
 * (REFINE in sinks.def), or -1. */
int tab_refined_family(const char *rule_id);

/* Identifiers (method, attribute, parameter, keyword and type names) the
 * engine compares AST identifiers with by pointer: ti_self is the interned
 * "self".  NULL before tables_init. */
#define TAINT_IDENTS(X)                                                                  \
    X(self) X(cls) X(request) X(req) X(session) X(db) X(kwargs) X(args) X(__init__) X(scope)      \
    /* URL and path parts a guard looks through */                                      \
    X(netloc) X(hostname) X(host) X(scheme) X(port) X(parent)                            \
    X(resolve) X(lower) X(strip) X(absolute)                                             \
    /* checks that are guards */                                                        \
    X(isdigit) X(isnumeric) X(isdecimal) X(isalnum) X(isalpha) X(isidentifier)           \
    X(startswith) X(is_relative_to)                                                      \
    /* keyword arguments of sinks */                                                    \
    X(Loader) X(parser) X(shell) X(content_type) X(mimetype) X(media_type) X(type)       \
    /* container methods: mutators, accessors */                                        \
    X(append) X(extend) X(insert) X(add) X(update) X(appendleft) X(setdefault) X(put)    \
    X(get) X(pop) X(values) X(items) X(keys) X(copy) X(getlist) X(replace) X(format)     \
    X(headers) X(wfile) X(text) X(body) X(write) X(writelines)                                                 \
    /* string methods a URL goes through unchanged in kind (url_transparent) */        \
    X(lstrip) X(rstrip) X(upper) X(casefold) X(join) X(encode) X(decode) X(removeprefix) \
    X(removesuffix) X(split) X(rsplit) X(partition) X(rpartition) X(title) X(zfill)      \
    X(format_map) X(__getitem__)                                                         \
    /* a decorator's attribute (route decorators themselves: python/web.def) */         \
    X(route)                                                                             \
    /* parameter annotations and defaults */                                            \
    X(Request) X(HttpRequest) X(WebSocket) X(BaseRequest) X(Depends) X(Security)         \
    X(int) X(float) X(bool) X(UUID) X(date) X(datetime) X(Decimal) X(conint)             \
    X(Session) X(AsyncSession) X(BackgroundTasks) X(Response)

#define TI_DECLARE(n) extern const char *ti_##n;
TAINT_IDENTS(TI_DECLARE)
#undef TI_DECLARE

#endif
