/* rules.h - the Python pattern rules: one walk over a parsed module, each
 * family looking at the nodes it cares about.
 *
 * rules_run() is called by the Python analyzer (src/scan/python.c) once
 * per file, after parsing and name resolution.  Families see every node
 * in pre-order through their <family>_visit(); they ask the resolver for
 * qualified names (so aliases never hide a call) and report through
 * rule_report().  Everything a rule allocates comes from the file's arena.
 */
#ifndef VG_RULES_H
#define VG_RULES_H

#include <stddef.h>

#include "../finding/analyzer.h"
#include "../core/limits.h"
#include "../python/ast.h"
#include "../python/parse.h"
#include "../python/resolve.h"
#include "../python/sema.h"
#include "../finding/finding.h"

/* Bandit's plugin settings, from the `[bandit]` table of the config, keyed
 * as Bandit's own config file is (docs/bandit.md):
 *   [bandit.assert_used] skips = ["*_test.py"]        B101: fnmatch on the path
 *   [bandit.hardcoded_tmp_directory] tmp_dirs = [...]  B108's prefixes
 *   [bandit.try_except_pass] check_typed_exception = true   (and try_except_continue) */
typedef struct bandit_cfg {
    str_list assert_skips;
    str_list tmp_dirs;
    int has_tmp_dirs;
    int typed_pass, typed_continue;
} bandit_cfg;

/* Fill b from config_root (a toml_value table, or NULL: Bandit's defaults);
 * wrong types are ignored as Bandit ignores them.  bandit_cfg_free after. */
void bandit_cfg_load(bandit_cfg *b, const void *config_root);
void bandit_cfg_free(bandit_cfg *b);

/* The look-ups rules make through one block of statements (a function or
 * module body, an if/for/with/try block), indexed once per block and file
 * (rules.c, block_index_of), so that a look-up costs O(log n), not a scan
 * of the block: a handler of thousands of statements stays linear.  Only
 * the first RULES_SCAN_STMTS statements are indexed, as the scans read. */
typedef struct block_assign {
    const char *id;        /* interned: the target of `id = value` */
    int at;                /* the statement's index in the block */
    const py_node *value;
} block_assign;
typedef struct block_index {
    const py_list *block;
    int n;                 /* statements indexed */
    int *maxline;          /* maxline[i]: the largest lineno of statements 0..i */
    block_assign *as;      /* single-Name assignments, sorted by (id, at) */
    size_t nas;
    struct { const py_node *s; int at; } *pos; /* statement -> index (open addressing) */
    size_t pos_cap;
    block_assign *guards;  /* injection.c: membership guards, sorted by (id, at); */
    size_t nguards;        /* guards_built: filled on first use */
    int guards_built;
} block_index;

typedef struct rule_ctx {
    const vg_file *f;
    vg_out *out;
    const py_module *mod;
    const py_resolver *res;
    arena *a;
    unsigned frameworks; /* the web frameworks the file imports (sema_frameworks) */
    int web;            /* frameworks != 0: the file is web code */
    int llm;            /* the file imports an LLM client library */
    int bandit;         /* --profile bandit: each B-rule reports what Bandit's own
                           check reports (docs/bandit.md), none of our refinements */
    const bandit_cfg *bcfg; /* with bandit: Bandit's plugin settings (NULL: defaults) */
    struct bandit_alias *ba; /* with bandit: Bandit's import aliases so far (bandit_calls.c) */
    size_t nba, capba;
    const char **bim;         /* with bandit: modules imported so far, as Bandit lists them */
    size_t nbim, capbim;
    /* module-level `NAME = <literal>` bindings (rules.c fills them) */
    const char **mc_names;        /* interned */
    const py_node **mc_values;
    size_t nmc;
    const py_node **mc_hash;      /* open addressing over mc_names: index+1 */
    size_t mc_cap;
    /* B608: names passed to SQL sinks, collected once per function or
     * module (injection.c): scope -> ids[start .. start+count) */
    struct sink_scope *sink_map;
    size_t sink_map_n, sink_map_cap;
    const char **sink_ids;
    size_t nsink_ids, capsink_ids;
    /* the block indexes of this file (block_index_of): open addressing on
     * the block's address */
    block_index **bix;
    size_t bix_n, bix_cap;
    size_t *work;             /* look-up work (statements indexed, entries
                                 read), added to vg_out.rules_work */
    /* the qualified name of the Call being visited, computed once (call_qual) */
    const py_node *q_call;
    const char *q_name;
} rule_ctx;

/* How many statements a look-up through a function or module body may
 * read, so that a hostile file cannot make it quadratic. */

/* resolve_call(c->res, call), cached for the node being visited. */
const char *call_qual(rule_ctx *c, const py_node *call);

/* Run every Python rule on one parsed module. */
void rules_run(rule_ctx *c);

/* Report rule `id` at node n (its whole span); returns the finding so the
 * caller can adjust severity/confidence or mask a secret. */
finding *rule_report(rule_ctx *c, const char *id, const py_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Mask the characters of a string Constant node in a finding. */
void rule_mask_const(rule_ctx *c, finding *fd, const py_node *str);

/* --- routes (auth.c): what VG201 knows, for the threat model too ---------- */

/* The auth check of route handler fn (a FunctionDef of module mod), as
 * VG201 looks for it: an auth-like decorator, an auth dependency among
 * its parameters (Depends(get_current_user), current_user: User), a
 * check among its first statements, or an app-wide hook (before_request,
 * an auth middleware, a router with auth dependencies) in its module. */
enum { ROUTE_AUTH_NONE, ROUTE_AUTH_DECORATOR, ROUTE_AUTH_DEPENDENCY, ROUTE_AUTH_BODY,
       ROUTE_AUTH_APP };
int rules_route_auth(const py_module *mod, const py_node *fn);
/* The same for a class-based view (ClassDef cls): an auth mixin among its
 * bases (LoginRequiredMixin, PermissionRequiredMixin, UserPassesTest...),
 * an auth class decorator, or permission_classes other than AllowAny. */
int rules_class_view_auth(const py_node *cls);
/* Is a route of that path (may be NULL) or handler name privileged
 * (admin, internal, delete, users/<id>, ...)? */
int rules_route_privileged(const char *path, const char *name);

/* --- AST helpers ----------------------------------------------------------- */

/* (Call arguments, terminal names and str constants: ast_call_arg,
 * ast_call_kw, ast_call_method, ast_terminal_name, ast_const_str in ast.h.) */

int is_const(const py_node *n);              /* any Constant */
int is_true(const py_node *n);
int is_false(const py_node *n);
int is_none(const py_node *n);
int const_int(const py_node *n, long long *out); /* int Constant (also -x) */
/* A value fixed in the source: constants, containers and f-strings/
 * concatenations of constants, and module-level constants (NAME = "x"). */
int is_literal(rule_ctx *c, const py_node *n);
/* The string a module-level `NAME = "..."` binds, or NULL. */
const char *module_const_str(rule_ctx *c, const char *id);

/* For a Name inside a function: the value of its last plain assignment
 * among the function's top-level statements before it; otherwise e. */
const py_node *local_value(rule_ctx *c, const py_node *e);
/* The index of block (built on first use; arena-owned, lives as the file). */
block_index *block_index_of(rule_ctx *c, const py_list *block);
/* The value of the last `NAME = value` (NAME: Name e's id) among the
 * statements of block read before the first one past e's line, skipping
 * the one whose value is `skip` (NULL: none skipped); e when there is none. */
const py_node *block_last_assign(rule_ctx *c, const py_list *block, const py_node *e,
                                 const py_node *skip);
/* The index of statement s in block, or the number of statements indexed
 * when s is not among them. */
int block_stmt_at(rule_ctx *c, const py_list *block, const py_node *s);
/* In a sorted (id, at) array: is there an entry of id with at < limit? */
int block_has_before(const block_assign *v, size_t n, const char *id, int limit);
void block_sort(block_assign *v, size_t n);

/* Is expression n in a string-building form (f-string with fields, "%"
 * or "+" on a string constant, "...".format(...))? */
int is_interpolation(const py_node *n);
/* Append the constant text of a string-building expression to out (cap
 * bytes, NUL-terminated); dynamic parts become a single '?' marker.
 * Returns 1 when some part is not constant. */
int interp_text(rule_ctx *c, const py_node *n, char *out, size_t cap);

/* Is every non-constant part of a string-building expression harmless:
 * a number (int(x), len(x)), an escaped/quoted value, a placeholder list,
 * or an identifier from a constant allow-list?  (injection.c) */
int interp_parts_safe(rule_ctx *c, const py_node *n);
/* Identifier words: split `id` at '_', '-', '.', digits and camelCase
 * humps, lower-cased; is any of them in `words` (NULL-terminated)? */
int ident_has_word(const char *id, const char *const *words);
/* Does identifier `id` name an auth token: "token" qualified (access_token,
 * api_token, csrf_token, ...) anywhere, or a bare "token" in web code? */
int token_is_credential(rule_ctx *c, const char *id);
/* Is `s` one of the NULL-terminated `words`? */
int str_in(const char *s, const char *const *words);
int str_has_prefix(const char *s, const char *prefix);

/* Is n inside the body of a loop (For/While) before any function? */
int in_loop(const py_node *n);

/* --- the families (each: <family>.c) ---------------------------------------- */

void general_visit(rule_ctx *c, py_node *n);    /* B101-B113 */
void calls_visit(rule_ctx *c, py_node *n);      /* calls.def: blacklist calls and imports */
void injection_visit(rule_ctx *c, py_node *n);  /* B601-B612 */
void injection_file(rule_ctx *c);               /* B613 on the raw bytes */
void crypto_visit(rule_ctx *c, py_node *n);     /* B502-B509, VG301 */
void web_visit(rule_ctx *c, py_node *n);        /* B201, B202, B701-B704, VG4xx */
void auth_visit(rule_ctx *c, py_node *n);       /* VG2xx */
void logging_visit(rule_ctx *c, py_node *n);    /* VG101 */
void llm_visit(rule_ctx *c, py_node *n);        /* VG5xx, B614, B615 */
/* --profile bandit (bandit.c): Bandit's B101-B112 in place of general_visit */
void bandit_general_visit(rule_ctx *c, py_node *n);
/* --profile bandit (bandit_calls.c): Bandit's import aliases, call names,
 * blacklists and B113 */
void bandit_note_import(rule_ctx *c, const py_node *n);
const char *bandit_call_name(rule_ctx *c, const py_node *call);
void bandit_calls_visit(rule_ctx *c, py_node *n);
void bandit_web_visit(rule_ctx *c, py_node *call); /* B202, B506, B701 */
/* An id bandit_calls_visit owns under --profile bandit (calls.def skips it). */
int bandit_blacklist_id(const char *id);
/* --profile bandit: Bandit's B602-B607 and B609 in place of ours (bandit.c) */
void bandit_shell_visit(rule_ctx *c, py_node *call);
void bandit_sql_visit(rule_ctx *c, py_node *n); /* B608, on each string literal */
/* Does `id` match Bandit's password-name pattern (B105-B107)? */
int bandit_candidate(const char *id);
void config_visit(rule_ctx *c, py_node *n);     /* VG6xx, VG302, VG303: configuration slips */

/* Called once at init (single-threaded): build lookup tables. */
void calls_init(void);

#endif
