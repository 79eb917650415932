/* rules.c - the walk that runs every Python rule family over one module,
 * the helpers the families share, and python_rules_register(). */
#include "rules.h"
#include "../core/limits.h"
#include "meta.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* --- registration ------------------------------------------------------------ */

void rules_register_table(const rule_meta *t, size_t n)
{
    for (size_t i = 0; i < n; i++) registry_add(&t[i]);
}

void python_rules_register(void)
{
    rules_general_register();
    rules_blacklist_register();
    rules_crypto_register();
    rules_injection_register();
    rules_web_register();
    rules_auth_register();
    rules_logging_register();
    rules_llm_register();
    rules_config_register();
    calls_init();
}

/* --- reporting ------------------------------------------------------------- */

finding *rule_report(rule_ctx *c, const char *id, const py_node *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return out_add(c->out, c->f, id, n->lineno, n->col_offset + 1, n->end_lineno,
                   n->end_col_offset + 1, "%s", msg);
}

void rule_mask_const(rule_ctx *c, finding *fd, const py_node *str)
{
    if (!fd || !str || str->kind != PY_Constant) return;
    size_t s = file_line_start(c->f, str->lineno) + (size_t)str->col_offset;
    size_t e = file_line_start(c->f, str->end_lineno) + (size_t)str->end_col_offset;
    if (e > c->f->len || s >= e) return;
    const unsigned char *d = c->f->data;
    while (s < e && d[s] != '\'' && d[s] != '"') s++;          /* past the prefix */
    size_t q = 0;
    while (s < e && (d[s] == '\'' || d[s] == '"') && q < 3) s++, q++;
    if (q == 2) s--, q = 1;                                    /* "" is empty, not a triple */
    if (e >= s + q) e -= q;
    if (e > s) finding_mask(fd, c->f, s, e);
}

/* --- AST helpers ------------------------------------------------------------ */

int is_const(const py_node *n) { return n && n->kind == PY_Constant; }
int is_true(const py_node *n) { return n && n->kind == PY_Constant && n->constant.value == PY_CONST_TRUE; }
int is_false(const py_node *n) { return n && n->kind == PY_Constant && n->constant.value == PY_CONST_FALSE; }
int is_none(const py_node *n) { return n && n->kind == PY_Constant && n->constant.value == PY_CONST_NONE; }

int const_int(const py_node *n, long long *out)
{
    int neg = 0;
    if (n && n->kind == PY_UnaryOp && n->unaryop.op == PY_USub) neg = 1, n = n->unaryop.operand;
    if (!n || n->kind != PY_Constant || n->constant.value != PY_CONST_INT || !n->constant.ival_ok)
        return 0;
    *out = neg ? -n->constant.ival : n->constant.ival;
    return 1;
}

static int all_caps(const char *id)
{
    int letters = 0;
    for (const char *p = id; *p; p++) {
        if (islower((unsigned char)*p)) return 0;
        if (isupper((unsigned char)*p)) letters++;
    }
    return letters >= 2;
}

static size_t mc_slot(const char *id, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)id * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 17) & (cap - 1);
}

static const py_node *module_const(rule_ctx *c, const char *id)
{
    if (!c->mc_cap) return NULL;
    for (size_t i = mc_slot(id, c->mc_cap);; i = (i + 1) & (c->mc_cap - 1)) {
        const py_node *slot = c->mc_hash[i];
        if (!slot) return NULL;
        size_t k = (size_t)(uintptr_t)slot - 1;
        if (c->mc_names[k] == id) return c->mc_values[k];
    }
}

const char *module_const_str(rule_ctx *c, const char *id)
{
    return ast_const_str(module_const(c, id));
}

static int literal_depth(rule_ctx *c, const py_node *n, int depth)
{
    if (!n || depth > 32) return 0;
    switch (n->kind) {
    case PY_Constant: return 1;
    case PY_Tuple: case PY_List:
        for (int i = 0; i < n->list.elts.n; i++)
            if (!literal_depth(c, n->list.elts.v[i], depth + 1)) return 0;
        return 1;
    case PY_Set:
        for (int i = 0; i < n->set.elts.n; i++)
            if (!literal_depth(c, n->set.elts.v[i], depth + 1)) return 0;
        return 1;
    case PY_Dict:
        for (int i = 0; i < n->dict.values.n; i++)
            if (!n->dict.keys.v[i] || !literal_depth(c, n->dict.keys.v[i], depth + 1) ||
                !literal_depth(c, n->dict.values.v[i], depth + 1))
                return 0;
        return 1;
    case PY_JoinedStr:
        for (int i = 0; i < n->joinedstr.values.n; i++)
            if (!literal_depth(c, n->joinedstr.values.v[i], depth + 1)) return 0;
        return 1;
    case PY_FormattedValue: return literal_depth(c, n->formattedvalue.value, depth + 1);
    case PY_BinOp:
        return literal_depth(c, n->binop.left, depth + 1) && literal_depth(c, n->binop.right, depth + 1);
    case PY_UnaryOp: return literal_depth(c, n->unaryop.operand, depth + 1);
    case PY_Name:
        return module_const(c, n->name.id) != NULL || all_caps(n->name.id);
    default: return 0;
    }
}

int is_literal(rule_ctx *c, const py_node *n) { return literal_depth(c, n, 0); }

const py_node *local_value(rule_ctx *c, const py_node *e)
{
    if (!e || e->kind != PY_Name) return e;
    const py_node *fn = resolve_function_of(e);
    if (!fn || fn->kind == PY_Lambda) return e;
    return block_last_assign(c, &fn->functiondef.body, e, e); /* not `x = x`'s own x */
}

/* --- string building ------------------------------------------------------- */

static int interp_depth(const py_node *n, int depth)
{
    if (!n || depth > 64) return 0; /* a + chain is a left-deep tree: bound the recursion */
    if (n->kind == PY_JoinedStr) {
        for (int i = 0; i < n->joinedstr.values.n; i++)
            if (n->joinedstr.values.v[i]->kind == PY_FormattedValue) return 1;
        return 0;
    }
    if (n->kind == PY_BinOp && n->binop.op == PY_Mod) return ast_const_str(n->binop.left) != NULL;
    if (n->kind == PY_BinOp && n->binop.op == PY_Add) {
        const py_node *l = n->binop.left, *r = n->binop.right;
        return ast_const_str(l) || ast_const_str(r) || interp_depth(l, depth + 1) || interp_depth(r, depth + 1);
    }
    if (n->kind == PY_Call && n->call.func->kind == PY_Attribute &&
        strcmp(n->call.func->attribute.attr, "format") == 0)
        return ast_const_str(n->call.func->attribute.value) != NULL;
    return 0;
}

int is_interpolation(const py_node *n) { return interp_depth(n, 0); }

typedef struct tbuf {
    char *p;
    size_t n, cap;
} tbuf;

static void tput(tbuf *b, const char *s, size_t n)
{
    if (!b->cap) return;
    size_t room = b->cap - 1 - b->n;
    if (n > room) n = room;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static int interp_rec(rule_ctx *c, const py_node *n, tbuf *b, int depth)
{
    if (!n || depth > 64) return 1;
    const char *s = ast_const_str(n);
    if (s) {
        tput(b, s, strlen(s));
        return 0;
    }
    switch (n->kind) {
    case PY_JoinedStr: {
        int dyn = 0;
        for (int i = 0; i < n->joinedstr.values.n; i++) dyn |= interp_rec(c, n->joinedstr.values.v[i], b, depth + 1);
        return dyn;
    }
    case PY_FormattedValue: {
        const char *v = n->formattedvalue.value->kind == PY_Name
                            ? module_const_str(c, n->formattedvalue.value->name.id) : NULL;
        if (v) {
            tput(b, v, strlen(v));
            return 0;
        }
        tput(b, "?", 1);
        return !is_literal(c, n->formattedvalue.value);
    }
    case PY_BinOp:
        if (n->binop.op == PY_Add)
            return interp_rec(c, n->binop.left, b, depth + 1) | interp_rec(c, n->binop.right, b, depth + 1);
        if (n->binop.op == PY_Mod && ast_const_str(n->binop.left)) {
            interp_rec(c, n->binop.left, b, depth + 1);
            return !is_literal(c, n->binop.right);
        }
        break;
    case PY_Call:
        if (is_interpolation(n)) {
            interp_rec(c, n->call.func->attribute.value, b, depth + 1);
            for (int i = 0; i < n->call.args.n; i++)
                if (!is_literal(c, n->call.args.v[i])) return 1;
            for (int i = 0; i < n->call.keywords.n; i++)
                if (!is_literal(c, n->call.keywords.v[i]->keyword.value)) return 1;
            return 0;
        }
        break;
    case PY_Name: {
        const char *v = module_const_str(c, n->name.id);
        if (v) {
            tput(b, v, strlen(v));
            return 0;
        }
        break;
    }
    default:
        break;
    }
    tput(b, "?", 1);
    return !is_literal(c, n);
}

int interp_text(rule_ctx *c, const py_node *n, char *out, size_t cap)
{
    tbuf b = {out, 0, cap};
    if (cap) out[0] = 0;
    return interp_rec(c, n, &b, 0);
}

/* --- identifiers ----------------------------------------------------------- */

static int split_words(const char *id, char words[RULES_MAX_WORDS][RULES_MAX_WORD])
{
    int nw = 0;
    size_t len = 0;
    for (const char *p = id;; p++) {
        unsigned char ch = (unsigned char)*p;
        int boundary = !ch || !isalpha(ch);
        /* camelCase: lower->Upper, and UPPERLower ("APIKey" -> API Key) */
        if (!boundary && len && isupper(ch) &&
            (islower((unsigned char)p[-1]) || (isupper((unsigned char)p[-1]) && islower((unsigned char)p[1]))))
            boundary = 2;
        if (boundary && len) {
            words[nw][len] = 0;
            if (++nw == RULES_MAX_WORDS) return nw;
            len = 0;
        }
        if (!ch) break;
        if (isalpha(ch) && len < RULES_MAX_WORD - 1) words[nw][len++] = (char)tolower(ch);
    }
    return nw;
}

int str_in(const char *s, const char *const *words)
{
    if (!s) return 0;
    for (; *words; words++)
        if (**words == *s && strcmp(s, *words) == 0) return 1;
    return 0;
}

const char *call_qual(rule_ctx *c, const py_node *call)
{
    if (call != c->q_call) {
        c->q_call = call;
        /* --profile bandit: Bandit's own naming, so every B-rule sees what Bandit sees */
        c->q_name = c->bandit ? bandit_call_name(c, call) : resolve_call(c->res, call);
    }
    return c->q_name;
}

int ident_has_word(const char *id, const char *const *words)
{
    if (!id) return 0;
    char w[RULES_MAX_WORDS][RULES_MAX_WORD];
    int nw = split_words(id, w);
    for (int i = 0; i < nw; i++) {
        if (str_in(w[i], words)) return 1;
        if (i + 1 < nw) {
            char two[64];
            size_t a = strlen(w[i]), b = strlen(w[i + 1]);
            memcpy(two, w[i], a);
            memcpy(two + a, w[i + 1], b + 1);
            if (str_in(two, words)) return 1;
        }
    }
    return 0;
}

int token_is_credential(rule_ctx *c, const char *id)
{
    static const char *const token_word[] = {"token", NULL};
    static const char *const qualifiers[] = {
        "access", "refresh", "auth", "api", "bearer", "session", "csrf", "xsrf", "jwt", "oauth",
        "secret", "github", "gitlab", "slack", "personal", "private", "reset", "verification",
        "security", "service", "client", "user", "login", "signin", "confirm", "invite", "magic",
        "idtoken", "apitoken", NULL,
    };
    if (!ident_has_word(id, token_word)) return 0;
    if (ident_has_word(id, qualifiers)) return 1;
    /* a bare "token" is a lexer token in parsers, a pagination token in
     * SDKs: count it only in web code */
    return c->web;
}

int str_has_prefix(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

int in_loop(const py_node *n)
{
    for (const py_node *child = n, *p = n->parent; p; child = p, p = p->parent) {
        switch (p->kind) {
        case PY_For: case PY_AsyncFor: case PY_While:
            if (PY_IS_STMT(child->kind)) return 1;
            break;
        case PY_FunctionDef: case PY_AsyncFunctionDef: case PY_ClassDef: case PY_Lambda: case PY_Module:
            return 0;
        default:
            break;
        }
    }
    return 0;
}

/* --- the walk -------------------------------------------------------------- */

static void collect_module_consts(rule_ctx *c)
{
    const py_list *body = &c->mod->node->module.body;
    size_t cap = 0;
    for (int i = 0; i < body->n; i++) {
        const py_node *s = body->v[i];
        const py_node *t = NULL, *v = NULL;
        if (s->kind == PY_Assign && s->assign.targets.n == 1) t = s->assign.targets.v[0], v = s->assign.value;
        else if (s->kind == PY_AnnAssign && s->annassign.value) t = s->annassign.target, v = s->annassign.value;
        if (!t || t->kind != PY_Name || !v) continue;
        if (!(v->kind == PY_Constant || ((v->kind == PY_Tuple || v->kind == PY_List || v->kind == PY_Set ||
                                          v->kind == PY_Dict) && literal_depth(c, v, 0))))
            continue;
        if (c->nmc == cap) {
            size_t nc = cap ? cap * 2 : 16;
            const char **nn = arena_alloc_n(c->a, nc, sizeof *nn);
            const py_node **nv = arena_alloc_n(c->a, nc, sizeof *nv);
            if (c->nmc) {
                memcpy(nn, c->mc_names, c->nmc * sizeof *nn);
                memcpy(nv, c->mc_values, c->nmc * sizeof *nv);
            }
            c->mc_names = nn, c->mc_values = nv, cap = nc;
        }
        c->mc_names[c->nmc] = t->name.id;
        c->mc_values[c->nmc++] = v;
    }
    /* index them: last assignment wins, as in Python */
    if (!c->nmc) return;
    c->mc_cap = 16;
    while (c->mc_cap < c->nmc * 2) c->mc_cap *= 2;
    c->mc_hash = arena_alloc_n(c->a, c->mc_cap, sizeof *c->mc_hash);
    for (size_t k = 0; k < c->nmc; k++) {
        size_t i = mc_slot(c->mc_names[k], c->mc_cap);
        while (c->mc_hash[i] && c->mc_names[(size_t)(uintptr_t)c->mc_hash[i] - 1] != c->mc_names[k])
            i = (i + 1) & (c->mc_cap - 1);
        c->mc_hash[i] = (const py_node *)(uintptr_t)(k + 1);
    }
}

/* Which families look at which node kinds: a family's visit does nothing
 * for a kind outside its row, so the walk calls it only for those (most
 * nodes are names, attributes and constants no family but one reads).
 * Under --profile bandit, Bandit's general, calls and SQL checks read
 * kinds of their own (the `bandit` column).  Keep a row in step with the
 * switch of its family's visit. */
#define END PY_KIND_COUNT
#define FUNC PY_FunctionDef, PY_AsyncFunctionDef
static const struct family_kinds {
    void (*visit)(rule_ctx *c, py_node *n);
    py_kind ours[12], bandit[12]; /* ended by END */
} families[] = {
    {general_visit,
     {PY_Assert, PY_ExceptHandler, PY_Call, PY_Assign, PY_AnnAssign, PY_Compare, PY_Dict, FUNC, PY_Constant, END},
     {PY_Assert, PY_ExceptHandler, PY_Call, PY_FunctionDef, PY_Constant, END}},
    {calls_visit, {PY_Call, PY_Import, PY_ImportFrom, END}, {PY_Call, PY_Import, PY_ImportFrom, END}},
    {injection_visit, {PY_Call, PY_JoinedStr, PY_BinOp, END}, {PY_Call, PY_Constant, END}},
    {crypto_visit, {FUNC, PY_Call, END}, {FUNC, PY_Call, END}},
    {web_visit, {PY_Call, PY_Return, PY_Assign, END}, {PY_Call, PY_Return, PY_Assign, END}},
    {auth_visit, {FUNC, PY_ClassDef, PY_Call, PY_Compare, END}, {FUNC, PY_ClassDef, PY_Call, PY_Compare, END}},
    {logging_visit, {PY_Call, END}, {PY_Call, END}},
    {llm_visit, {PY_Module, FUNC, PY_Call, END}, {PY_Module, FUNC, PY_Call, END}},
    {config_visit, {PY_Assign, PY_AnnAssign, PY_Call, FUNC, END}, {PY_Assign, PY_AnnAssign, PY_Call, FUNC, END}},
};
#undef FUNC
#define NFAMILIES (sizeof families / sizeof families[0])

/* For each node kind, the families that read it, in table order (the
 * order of their findings on one node); built once per walk. */
typedef struct dispatch {
    uint8_t n[PY_KIND_COUNT];
    uint8_t fam[PY_KIND_COUNT][NFAMILIES];
    rule_ctx *c;
} dispatch;

static void dispatch_build(dispatch *d, rule_ctx *c)
{
    memset(d->n, 0, sizeof d->n);
    d->c = c;
    for (size_t f = 0; f < NFAMILIES; f++)
        for (const py_kind *k = c->bandit ? families[f].bandit : families[f].ours; *k != END; k++)
            d->fam[*k][d->n[*k]++] = (uint8_t)f;
}
#undef END

static int visit(py_node *n, void *ud)
{
    dispatch *d = ud;
    rule_ctx *c = d->c;
    if (c->bandit && (n->kind == PY_Import || n->kind == PY_ImportFrom)) bandit_note_import(c, n);
    for (int i = 0; i < d->n[n->kind]; i++) families[d->fam[n->kind][i]].visit(c, n);
    return AST_CONTINUE;
}

void rules_run(rule_ctx *c)
{
    if (!c->mod || !c->mod->node) return;
    /* type stubs (.pyi) hold signatures, not code that runs */
    size_t plen = c->f->path ? strlen(c->f->path) : 0;
    if (plen > 4 && strcmp(c->f->path + plen - 4, ".pyi") == 0) return;
    c->frameworks = sema_frameworks(c->res);
    c->web = c->frameworks != 0;
    c->llm = sema_imports_llm(c->res);
    collect_module_consts(c);
    injection_file(c);
    dispatch d;
    dispatch_build(&d, c);
    ast_walk(c->mod->node, visit, &d);
}
