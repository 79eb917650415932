/* ast.c - node names, the child iterator and parent linker made from
 * ast.def, the explicit-stack walk, and dotted names. */
#include "ast.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"

static const char *const kind_names[PY_KIND_COUNT] = {
#define AST_NODE(k, member, fields) [PY_##k] = #k,
#define AST_TWIN(k, other) [PY_##k] = #k,
#include "ast.def"
#undef AST_NODE
#undef AST_TWIN
};

/* kind -> the kind whose row holds its fields (ast_schema_kind) */
static const uint8_t schema_of[PY_KIND_COUNT] = {
#define AST_NODE(k, member, fields) [PY_##k] = PY_##k,
#define AST_TWIN(k, other) [PY_##k] = PY_##other,
#include "ast.def"
#undef AST_NODE
#undef AST_TWIN
};
_Static_assert(PY_KIND_COUNT <= UINT8_MAX, "schema_of holds a kind in a byte");

/* kind -> bytes of a node of that kind (ast_node_size); 0 for twins,
 * which take their schema kind's size */
#define NODE_SIZE(member)                                                      \
    ((offsetof(py_node, member) + sizeof(struct ast_##member) + _Alignof(py_node) - 1) & \
     ~(_Alignof(py_node) - 1))
static const uint8_t node_size[PY_KIND_COUNT] = {
#define AST_NODE(k, member, fields) [PY_##k] = NODE_SIZE(member),
#define AST_TWIN(k, other)
#include "ast.def"
#undef AST_NODE
#undef AST_TWIN
};
_Static_assert(sizeof(py_node) <= UINT8_MAX, "node_size holds a size in a byte");

size_t ast_node_size(py_kind k)
{
    return k < PY_KIND_COUNT ? node_size[schema_of[k]] : sizeof(py_node);
}

py_node *ast_node_copy(py_node *dst, const py_node *n)
{
    memcpy(dst, n, ast_node_size(n->kind));
    return dst;
}

const char *ast_kind_name(py_kind k)
{
    return k < PY_KIND_COUNT ? kind_names[k] : "?";
}

py_kind ast_schema_kind(py_kind k)
{
    return k < PY_KIND_COUNT ? (py_kind)schema_of[k] : PY_KIND_COUNT;
}

const char *ast_operator_name(py_operator op)
{
    static const char *const n[] = {"Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow",
                                    "LShift", "RShift", "BitOr", "BitXor", "BitAnd", "FloorDiv"};
    return (unsigned)op < sizeof n / sizeof n[0] ? n[op] : "?";
}

const char *ast_boolop_name(py_boolop op)
{
    return op == PY_And ? "And" : "Or";
}

const char *ast_unaryop_name(py_unaryop op)
{
    static const char *const n[] = {"Invert", "Not", "UAdd", "USub"};
    return (unsigned)op < 4 ? n[op] : "?";
}

const char *ast_cmpop_name(py_cmpop op)
{
    static const char *const n[] = {"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"};
    return (unsigned)op < 10 ? n[op] : "?";
}

const char *ast_ctx_name(py_expr_context c)
{
    return c == PY_Load ? "Load" : c == PY_Store ? "Store" : "Del";
}

/* ---- children, from ast.def ---- */

/* The children of n in source order (see ast.def, "pass"): the caller
 * defines CH(x) for a node field (x may be NULL) and CHL(l) for a list,
 * then writes AST_CHILDREN_BEGIN(n), #include "ast.def", AST_CHILDREN_END.
 * Each row becomes a case that points f_ at the member's struct and
 * expands its fields three times, once per pass; a field outside the pass
 * is a constant-false branch the compiler drops. */
#define AST_CHILDREN_BEGIN(n)                                                  \
    switch ((n)->kind < PY_KIND_COUNT ? schema_of[(n)->kind] : PY_KIND_COUNT) {
#define AST_CHILDREN_END                                                       \
    default: break;                                                            \
    }
#define AST_NODE(k, member, fields)                                            \
    case PY_##k: {                                                             \
        struct ast_##member *f_ = &n->member;                                  \
        (void)f_;                                                              \
        { enum { pass_ = 0 }; fields }                                         \
        { enum { pass_ = 1 }; fields }                                         \
        { enum { pass_ = 2 }; fields }                                         \
        break;                                                                 \
    }
#define AST_TWIN(k, other)
#define F(shape, name, pass) if ((pass) == pass_) { VISIT_##shape(f_->name) }
#define VISIT_NODE(x) CH(x);
#define VISIT_OPT(x) CH(x);
#define VISIT_SINGLETON(x) CH(x);
#define VISIT_LIST(x) CHL(x);
#define VISIT_LIST_NE(x) CHL(x);
#define VISIT_KEYS(x)
#define VISIT_VALUES(x)                                                        \
    for (int j_ = 0; j_ < (x).n; j_++) {                                       \
        CH(f_->keys.v[j_]);                                                    \
        CH((x).v[j_]);                                                         \
    }
#define VISIT_IDENT(x)
#define VISIT_NAMES(x)
#define VISIT_STR(x)
#define VISIT_INT(x)
#define VISIT_CONST(x)
#define VISIT_CMPOPS(x)
#define VISIT_OPERATOR(x)
#define VISIT_BOOLOP(x)
#define VISIT_UNARYOP(x)
#define VISIT_CTX(x)
#define VISIT_EMPTY(x)

#define CB_CH(x) do { if ((x) && (r = fn((x), ud)) != 0) return r; } while (0)
#define CB_CHL(l) do { for (int i_ = 0; i_ < (l).n; i_++) CB_CH((l).v[i_]); } while (0)

int ast_for_each_child(py_node *n, ast_child_fn fn, void *ud)
{
    int r;
#define CH CB_CH
#define CHL CB_CHL
    AST_CHILDREN_BEGIN(n)
#include "ast.def"
    AST_CHILDREN_END
#undef CH
#undef CHL
    return 0;
}

/* ---- parents ---- */

typedef struct link_stack {
    py_node **v;
    size_t n, cap;
} link_stack;

#define LINK_CH(x)                                                             \
    do {                                                                       \
        py_node *c_ = (x);                                                     \
        if (c_) {                                                              \
            c_->parent = n;                                                    \
            if (s.n == s.cap) {                                                \
                s.cap = s.cap ? s.cap * 2 : 256;                               \
                s.v = xrealloc_n(s.v, s.cap, sizeof *s.v);                     \
            }                                                                  \
            s.v[s.n++] = c_;                                                   \
        }                                                                      \
    } while (0)
#define LINK_CHL(l) do { for (int i_ = 0; i_ < (l).n; i_++) LINK_CH((l).v[i_]); } while (0)

void ast_link_parents(py_node *root)
{
    link_stack s = {0};
    root->parent = NULL;
    py_node *n = root;
    for (;;) {
#define CH LINK_CH
#define CHL LINK_CHL
        AST_CHILDREN_BEGIN(n)
#include "ast.def"
        AST_CHILDREN_END
#undef CH
#undef CHL
        if (s.n == 0)
            break;
        n = s.v[--s.n];
    }
    free(s.v);
}

/* The same, but statements under `stmt` only get their parent set: their
 * own subtrees were linked when they were parsed.  Used by the parser on
 * each statement as it completes, while its nodes are still in cache. */
#define SLINK_CH(x)                                                            \
    do {                                                                       \
        py_node *c_ = (x);                                                     \
        if (c_) {                                                              \
            c_->parent = n;                                                    \
            if (!PY_IS_STMT(c_->kind)) {                                       \
                if (s->n == s->cap) {                                          \
                    s->cap = s->cap ? s->cap * 2 : 256;                        \
                    s->v = xrealloc_n(s->v, s->cap, sizeof *s->v);             \
                }                                                              \
                s->v[s->n++] = c_;                                             \
            }                                                                  \
        }                                                                      \
    } while (0)
#define SLINK_CHL(l) do { for (int i_ = 0; i_ < (l).n; i_++) SLINK_CH((l).v[i_]); } while (0)

void ast_link_stmt(py_node *stmt, void *scratch)
{
    link_stack *s = scratch;
    py_node *n = stmt;
    size_t base = s->n;
    for (;;) {
#define CH SLINK_CH
#define CHL SLINK_CHL
        AST_CHILDREN_BEGIN(n)
#include "ast.def"
        AST_CHILDREN_END
#undef CH
#undef CHL
        if (s->n == base)
            break;
        n = s->v[--s->n];
    }
}

void *ast_link_scratch_new(void)
{
    return xcalloc(1, sizeof(link_stack));
}

void ast_link_scratch_free(void *scratch)
{
    link_stack *s = scratch;
    if (s) {
        free(s->v);
        free(s);
    }
}

/* ---- explicit-stack walk ---- */

typedef struct walk_item {
    py_node *n;
    int leave; /* 1: call leave for n */
} walk_item;

typedef struct walk_stack {
    walk_item *v;
    size_t n, cap;
    size_t mark; /* children of the current node start here (reversed after) */
} walk_stack;

static int push_child(py_node *c, void *ud)
{
    walk_stack *s = ud;
    XGROW(s->v, s->cap, s->n + 1);
    s->v[s->n].n = c;
    s->v[s->n].leave = 0;
    s->n++;
    return 0;
}

int ast_walk_ex(py_node *root, ast_visit_fn enter, ast_visit_fn leave, void *ud)
{
    if (!root)
        return AST_CONTINUE;
    walk_stack s = {0};
    push_child(root, &s);
    int rc = AST_CONTINUE;
    while (s.n > 0) {
        walk_item it = s.v[--s.n];
        if (it.leave) {
            if (leave(it.n, ud) == AST_STOP) {
                rc = AST_STOP;
                break;
            }
            continue;
        }
        int r = enter ? enter(it.n, ud) : AST_CONTINUE;
        if (r == AST_STOP) {
            rc = AST_STOP;
            break;
        }
        if (leave) {
            XGROW(s.v, s.cap, s.n + 1);
            s.v[s.n].n = it.n;
            s.v[s.n].leave = 1;
            s.n++;
        }
        if (r == AST_SKIP)
            continue;
        size_t first = s.n;
        ast_for_each_child(it.n, push_child, &s);
        /* reverse so that the first child is popped first */
        for (size_t i = first, j = s.n - 1; i < j && j != (size_t)-1; i++, j--) {
            walk_item t = s.v[i];
            s.v[i] = s.v[j];
            s.v[j] = t;
        }
    }
    free(s.v);
    return rc;
}

int ast_walk(py_node *root, ast_visit_fn fn, void *ud)
{
    return ast_walk_ex(root, fn, NULL, ud);
}

size_t ast_dotted_name(const py_node *e, char *out, size_t cap)
{
    /* collect the parts from the right, then write them left to right */
    const char *parts[64];
    int np = 0;
    while (e && e->kind == PY_Attribute && np < 63) {
        parts[np++] = e->attribute.attr;
        e = e->attribute.value;
    }
    if (!e || e->kind != PY_Name || np >= 63) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    parts[np++] = e->name.id;
    size_t len = 0;
    for (int i = np - 1; i >= 0; i--) {
        size_t pl = strlen(parts[i]);
        if (len + pl + (i != np - 1) + 1 > cap) {
            if (cap)
                out[0] = '\0';
            return 0;
        }
        if (i != np - 1)
            out[len++] = '.';
        memcpy(out + len, parts[i], pl);
        len += pl;
    }
    out[len] = '\0';
    return len;
}

/* ---- small queries ---- */

const char *ast_const_str(const py_node *n)
{
    return n && n->kind == PY_Constant && n->constant.value == PY_CONST_STR ? n->constant.s : NULL;
}

const py_node *ast_call_kw(const py_node *call, const char *kw)
{
    if (!call || call->kind != PY_Call || !kw)
        return NULL;
    for (int i = 0; i < call->call.keywords.n; i++) {
        const py_node *k = call->call.keywords.v[i];
        if (k->keyword.arg && strcmp(k->keyword.arg, kw) == 0)
            return k->keyword.value;
    }
    return NULL;
}

const py_node *ast_call_arg(const py_node *call, int pos, const char *kw)
{
    if (!call || call->kind != PY_Call)
        return NULL;
    if (pos >= 0 && pos < call->call.args.n) {
        /* positions after a *args are unknown */
        for (int i = 0; i <= pos; i++)
            if (call->call.args.v[i]->kind == PY_Starred)
                return NULL;
        return call->call.args.v[pos];
    }
    return ast_call_kw(call, kw);
}

const char *ast_call_method(const py_node *call)
{
    if (!call || call->kind != PY_Call)
        return NULL;
    const py_node *f = call->call.func;
    if (f->kind == PY_Attribute)
        return f->attribute.attr;
    if (f->kind == PY_Name)
        return f->name.id;
    return NULL;
}

const char *ast_terminal_name(const py_node *e)
{
    if (!e)
        return NULL;
    switch (e->kind) {
    case PY_Name: return e->name.id;
    case PY_Attribute: return e->attribute.attr;
    case PY_Subscript: return ast_const_str(e->subscript.slice);
    case PY_Call: {
        /* request.form.get("password"), os.environ.get("TOKEN") */
        const char *m = ast_call_method(e);
        if (m && strcmp(m, "get") == 0)
            return ast_const_str(ast_call_arg(e, 0, NULL));
        return NULL;
    }
    default: return NULL;
    }
}
