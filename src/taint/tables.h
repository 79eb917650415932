/* tables.h - the source, sink and sanitizer tables (sources.def, sinks.def,
 * sanitizers.def) as hash look-ups.  Built once by tables_init (single
 * threaded, before the walk); read-only afterwards. */
#ifndef VG_TAINT_TABLES_H
#define VG_TAINT_TABLES_H

#include <stdint.h>

#include "taint.h"

typedef enum tab_match {
    M_REQ_ATTR = 1, M_REQ_CALL, M_SELF_ATTR, M_SELF_CALL, M_QNAME, M_CALL, M_SUFFIX,
    M_DEFAULT, M_METHOD
} tab_match;

enum { A_ANY = -1, A_RECV = -2 };
typedef enum sink_cond { C_NONE = 0, C_SHELL, C_YAML, C_XMLPARSER, C_LOGGER } sink_cond;

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
    const char *kw;      /* keyword of the same argument, or NULL */
    sink_cond cond;
} tab_sink;

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

#endif
