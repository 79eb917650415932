/* taint.h - taint analysis: untrusted data from a source (a web request, the
 * command line, the environment, a language model's answer) reaching a
 * dangerous sink (SQL, shell, eval, file paths, URLs, ...), within a
 * function, through helper functions, and across the modules of the tree.
 *
 * The engine runs inside the Python analyzer (src/scan/python.c), which
 * owns the parse:
 *   taint_init    once, single-threaded, before the walk and before any
 *                 child of the global interner interns a name: builds the
 *                 source/sink/sanitizer tables (sources.def, sinks.def,
 *                 sanitizers.def) and interns the names the engine compares
 *                 identifiers with (tables.h);
 *   taint_module  once per parsed module (with the module's name resolver),
 *                 from any worker thread, after the pattern rules ran on it:
 *                 reports the flows it can see in that module, refines the
 *                 module's pattern findings (out->v[first..]) and keeps the
 *                 module's function summaries (each sink with its finding's
 *                 site, rendered from f's bytes) and its calls into other
 *                 modules (under a lock);
 *   taint_finish  once, after the walk: joins calls with the summaries of
 *                 the functions they reach in other modules and reports
 *                 those flows from the kept sites (no file is read again);
 *   taint_fini    frees everything.
 * Every finding is one rule per sink family (VG701...), carries the path
 * source -> steps -> sink (finding_add_step), and never prints.  The
 * engine's own layout is in taint_int.h.
 */
#ifndef VG_TAINT_H
#define VG_TAINT_H

#include <stddef.h>

#include "../finding/analyzer.h"
#include "../finding/finding.h"

struct py_module;
struct py_resolver;

/* Sink families: (enum, rule id, title, severity, cwe1, cwe2, owasp). */
#define TAINT_FAMILIES(X)                                                      \
    X(TF_SQL, "VG701", "SQL injection", SEV_HIGH, 89, 0, "A03:2021")           \
    X(TF_CMD, "VG702", "OS command injection", SEV_HIGH, 78, 0, "A03:2021")    \
    X(TF_CODE, "VG703", "Code injection", SEV_HIGH, 94, 95, "A03:2021")        \
    X(TF_PATH, "VG704", "Path traversal", SEV_HIGH, 22, 0, "A01:2021")         \
    X(TF_SSRF, "VG705", "Server-side request forgery", SEV_HIGH, 918, 0, "A10:2021") \
    X(TF_REDIRECT, "VG706", "Open redirect", SEV_MEDIUM, 601, 0, "A01:2021")   \
    X(TF_XSS, "VG707", "Cross-site scripting", SEV_MEDIUM, 79, 0, "A03:2021")  \
    X(TF_SSTI, "VG708", "Server-side template injection", SEV_HIGH, 1336, 94, "A03:2021") \
    X(TF_XPATH, "VG709", "XPath injection", SEV_MEDIUM, 643, 0, "A03:2021")    \
    X(TF_LDAP, "VG710", "LDAP injection", SEV_HIGH, 90, 0, "A03:2021")         \
    X(TF_XXE, "VG711", "XML external entities", SEV_HIGH, 611, 0, "A05:2021")  \
    X(TF_DESER, "VG712", "Deserialization of untrusted data", SEV_HIGH, 502, 0, "A08:2021") \
    X(TF_TRUST, "VG713", "Trust boundary violation", SEV_MEDIUM, 501, 0, "A04:2021") \
    X(TF_HEADER, "VG714", "HTTP response header injection", SEV_MEDIUM, 113, 0, "A03:2021") \
    X(TF_LOG, "VG715", "Log injection", SEV_LOW, 117, 0, "A09:2021")                \
    X(TF_REDOS, "VG716", "Regular expression from untrusted data", SEV_MEDIUM, 1333, 730, "A03:2021") \
    X(TF_FMT, "VG717", "Format string from untrusted data", SEV_MEDIUM, 134, 0, "A03:2021") \
    /* LLM applications (docs/llm.md), ids in the VG5xx range of src/rules/llm.c; \
     * kept last: eval.c reads fam >= TF_LLMDATA as "an LLM family" */ \
    X(TF_LLMDATA, "VG503", "Secret or personal data sent to a language model", SEV_HIGH, 359, 200, "LLM02:2025") \
    X(TF_PROMPT, "VG504", "Request data in a system prompt or tool description", SEV_MEDIUM, 1427, 77, "LLM01:2025") \
    X(TF_SYSSECRET, "VG505", "Secret in a system prompt", SEV_HIGH, 200, 798, "LLM07:2025") \
    X(TF_DISPATCH, "VG506", "Model output picks the code that runs", SEV_HIGH, 470, 0, "LLM06:2025")

typedef enum taint_family {
#define TF_ENUM(e, id, title, sev, c1, c2, ow) e,
    TAINT_FAMILIES(TF_ENUM)
#undef TF_ENUM
    TF_COUNT
} taint_family;

/* Family masks for sanitizers.def. */
#define TFM_SQL (1u << TF_SQL)
#define TFM_CMD (1u << TF_CMD)
#define TFM_CODE (1u << TF_CODE)
#define TFM_PATH (1u << TF_PATH)
#define TFM_SSRF (1u << TF_SSRF)
#define TFM_REDIRECT (1u << TF_REDIRECT)
#define TFM_XSS (1u << TF_XSS)
#define TFM_SSTI (1u << TF_SSTI)
#define TFM_XPATH (1u << TF_XPATH)
#define TFM_LDAP (1u << TF_LDAP)
#define TFM_XXE (1u << TF_XXE)
#define TFM_DESER (1u << TF_DESER)
#define TFM_TRUST (1u << TF_TRUST)
#define TFM_HEADER (1u << TF_HEADER)
#define TFM_LOG (1u << TF_LOG)
#define TFM_REDOS (1u << TF_REDOS)
#define TFM_FMT (1u << TF_FMT)
#define TFM_LLMDATA (1u << TF_LLMDATA)
#define TFM_PROMPT (1u << TF_PROMPT)
#define TFM_SYSSECRET (1u << TF_SYSSECRET)
#define TFM_DISPATCH (1u << TF_DISPATCH)
#define TFM_ALL ((1u << TF_COUNT) - 1)

/* Source kinds (bits).  SK_TOOL: an argument of an agent tool, which the
 * model chooses.  SK_SECRET and SK_PII are not attackers but what must not
 * leave: a credential (a secret-named value, a secret environment variable,
 * a key file) and personal data (a person's fields, a whole user row); they
 * are made only in modules that import an LLM client (llm.c) and count only
 * for the families that say so (taint_kinds_for). */
enum { SK_WEB = 1, SK_CLI = 2, SK_ENV = 4, SK_LLM = 8, SK_TOOL = 16, SK_SECRET = 32, SK_PII = 64 };
#define SK_MODEL (SK_LLM | SK_TOOL)
#define SK_LEAK (SK_SECRET | SK_PII)

/* Families where the command line and the environment count as attackers
 * (the operator of a CLI picks its files, URLs and log lines on purpose). */
#define TAINT_LOCAL_FAMS \
    (TFM_SQL | TFM_CMD | TFM_CODE | TFM_DESER | TFM_SSTI | TFM_LDAP | TFM_XPATH)

/* The source kinds that count for a sink family: what leaks for the leak
 * families, the request for a system prompt, the model for its dispatch;
 * for the injection families every attacker but the secret kinds, and the
 * operator's own (command line, environment) only for TAINT_LOCAL_FAMS. */
static inline unsigned taint_kinds_for(taint_family fam, unsigned kinds)
{
    switch (fam) {
    case TF_LLMDATA: return kinds & SK_LEAK;
    case TF_SYSSECRET: return kinds & SK_SECRET;
    case TF_PROMPT: return kinds & SK_WEB;
    case TF_DISPATCH: return kinds & SK_MODEL;
    default:
        kinds &= ~(unsigned)SK_LEAK;
        if (!((TAINT_LOCAL_FAMS >> fam) & 1)) kinds &= ~(unsigned)(SK_CLI | SK_ENV);
        return kinds;
    }
}

typedef struct taint_state taint_state;

vg_status taint_init(const vg_opts *opts, taint_state **out, diag_list *d);
/* Analyse one parsed module.  `first` is the index in out->v of the
 * module's first pattern finding (those get refined).  Thread-safe. */
void taint_module(taint_state *ts, const vg_file *f, const struct py_module *m,
                  const struct py_resolver *r, vg_out *out, size_t first);
/* taint_module, also appending the module's cross-module facts to rec as
 * bytes (summary.h) for the scan's context cache; taint_replay adds such
 * bytes to the store as if their module had been analysed again: -1, and
 * nothing added, when they are not a record. */
struct buf;
void taint_module_rec(taint_state *ts, const vg_file *f, const struct py_module *m,
                      const struct py_resolver *r, vg_out *out, size_t first, struct buf *rec);
int taint_replay(taint_state *ts, const unsigned char *rec, size_t n);
vg_status taint_finish(taint_state *ts, vg_out *out);
void taint_fini(taint_state *ts);

/* Rule id of a family ("VG701"). */
const char *taint_rule_id(taint_family fam);

#endif
