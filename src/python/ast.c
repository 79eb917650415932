/* ast.c - node names, the child iterator and the explicit-stack walk. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"

static const char *const kind_names[] = {
#define PY_KIND_NAME(k, m) #k,
    PY_KINDS(PY_KIND_NAME)
#undef PY_KIND_NAME
};

const char *ast_kind_name(py_kind k)
{
    return k < PY_KIND_COUNT ? kind_names[k] : "?";
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

/* The children of n in source order: CH(x) for a node field (may be
 * NULL), CHL(l) for a list.  Shared by the iterator and the parent linker. */
#define AST_CHILDREN(n, CH, CHL) \
    switch ((py_kind)n->kind) { \
    case PY_Module: CHL(n->module.body); break; \
    case PY_FunctionDef: \
    case PY_AsyncFunctionDef: \
        CHL(n->functiondef.decorator_list); \
        CHL(n->functiondef.type_params); \
        CH(n->functiondef.args); \
        CH(n->functiondef.returns); \
        CHL(n->functiondef.body); \
        break; \
    case PY_ClassDef: \
        CHL(n->classdef.decorator_list); \
        CHL(n->classdef.type_params); \
        CHL(n->classdef.bases); \
        CHL(n->classdef.keywords); \
        CHL(n->classdef.body); \
        break; \
    case PY_Return: CH(n->return_.value); break; \
    case PY_Delete: CHL(n->delete.targets); break; \
    case PY_Assign: CHL(n->assign.targets); CH(n->assign.value); break; \
    case PY_TypeAlias: CH(n->typealias.name); CHL(n->typealias.type_params); CH(n->typealias.value); break; \
    case PY_AugAssign: CH(n->augassign.target); CH(n->augassign.value); break; \
    case PY_AnnAssign: CH(n->annassign.target); CH(n->annassign.annotation); CH(n->annassign.value); break; \
    case PY_For: \
    case PY_AsyncFor: \
        CH(n->for_.target); CH(n->for_.iter); CHL(n->for_.body); CHL(n->for_.orelse); \
        break; \
    case PY_While: CH(n->while_.test); CHL(n->while_.body); CHL(n->while_.orelse); break; \
    case PY_If: CH(n->if_.test); CHL(n->if_.body); CHL(n->if_.orelse); break; \
    case PY_With: \
    case PY_AsyncWith: CHL(n->with.items); CHL(n->with.body); break; \
    case PY_Match: CH(n->match.subject); CHL(n->match.cases); break; \
    case PY_Raise: CH(n->raise.exc); CH(n->raise.cause); break; \
    case PY_Try: \
    case PY_TryStar: \
        CHL(n->try_.body); CHL(n->try_.handlers); CHL(n->try_.orelse); CHL(n->try_.finalbody); \
        break; \
    case PY_Assert: CH(n->assert.test); CH(n->assert.msg); break; \
    case PY_Import: CHL(n->import.names); break; \
    case PY_ImportFrom: CHL(n->importfrom.names); break; \
    case PY_Global: case PY_Nonlocal: case PY_Pass: case PY_Break: case PY_Continue: break; \
    case PY_Expr: CH(n->expr.value); break; \
    case PY_BoolOp: CHL(n->boolop.values); break; \
    case PY_NamedExpr: CH(n->namedexpr.target); CH(n->namedexpr.value); break; \
    case PY_BinOp: CH(n->binop.left); CH(n->binop.right); break; \
    case PY_UnaryOp: CH(n->unaryop.operand); break; \
    case PY_Lambda: CH(n->lambda.args); CH(n->lambda.body); break; \
    case PY_IfExp: CH(n->ifexp.test); CH(n->ifexp.body); CH(n->ifexp.orelse); break; \
    case PY_Dict: \
        for (int i = 0; i < n->dict.values.n; i++) { \
            CH(n->dict.keys.v[i]); \
            CH(n->dict.values.v[i]); \
        } \
        break; \
    case PY_Set: CHL(n->set.elts); break; \
    case PY_ListComp: \
    case PY_SetComp: \
    case PY_GeneratorExp: \
        CH(n->listcomp.elt); CHL(n->listcomp.generators); \
        break; \
    case PY_DictComp: CH(n->dictcomp.key); CH(n->dictcomp.value); CHL(n->dictcomp.generators); break; \
    case PY_Await: case PY_Yield: case PY_YieldFrom: CH(n->await.value); break; \
    case PY_Compare: CH(n->compare.left); CHL(n->compare.comparators); break; \
    case PY_Call: CH(n->call.func); CHL(n->call.args); CHL(n->call.keywords); break; \
    case PY_FormattedValue: CH(n->formattedvalue.value); CH(n->formattedvalue.format_spec); break; \
    case PY_JoinedStr: CHL(n->joinedstr.values); break; \
    case PY_Constant: break; \
    case PY_Attribute: CH(n->attribute.value); break; \
    case PY_Subscript: CH(n->subscript.value); CH(n->subscript.slice); break; \
    case PY_Starred: CH(n->starred.value); break; \
    case PY_Name: break; \
    case PY_List: case PY_Tuple: CHL(n->list.elts); break; \
    case PY_Slice: CH(n->slice.lower); CH(n->slice.upper); CH(n->slice.step); break; \
    case PY_comprehension: \
        CH(n->comprehension.target); CH(n->comprehension.iter); CHL(n->comprehension.ifs); \
        break; \
    case PY_ExceptHandler: CH(n->excepthandler.type); CHL(n->excepthandler.body); break; \
    case PY_arguments: { \
        /* source order: positional (with their defaults), *vararg, kw-only, **kwarg */ \
        CHL(n->arguments.posonlyargs); \
        CHL(n->arguments.args); \
        CHL(n->arguments.defaults); \
        CH(n->arguments.vararg); \
        CHL(n->arguments.kwonlyargs); \
        CHL(n->arguments.kw_defaults); \
        CH(n->arguments.kwarg); \
        break; \
    } \
    case PY_arg: CH(n->arg.annotation); break; \
    case PY_keyword: CH(n->keyword.value); break; \
    case PY_alias: break; \
    case PY_withitem: CH(n->withitem.context_expr); CH(n->withitem.optional_vars); break; \
    case PY_match_case: CH(n->match_case.pattern); CH(n->match_case.guard); CHL(n->match_case.body); break; \
    case PY_MatchValue: case PY_MatchSingleton: CH(n->matchvalue.value); break; \
    case PY_MatchSequence: case PY_MatchOr: CHL(n->matchsequence.patterns); break; \
    case PY_MatchMapping: CHL(n->matchmapping.keys); CHL(n->matchmapping.patterns); break; \
    case PY_MatchClass: CH(n->matchclass.cls); CHL(n->matchclass.patterns); CHL(n->matchclass.kwd_patterns); break; \
    case PY_MatchStar: case PY_MatchAs: CH(n->matchas.pattern); break; \
    case PY_TypeVar: case PY_ParamSpec: case PY_TypeVarTuple: \
        CH(n->typevar.bound); CH(n->typevar.default_value); \
        break; \
    case PY_KIND_COUNT: break; \
    }

#define CB_CH(x) do { if ((x) && (r = fn((x), ud)) != 0) return r; } while (0)
#define CB_CHL(l) do { for (int i_ = 0; i_ < (l).n; i_++) CB_CH((l).v[i_]); } while (0)

int ast_for_each_child(py_node *n, ast_child_fn fn, void *ud)
{
    int r;
    AST_CHILDREN(n, CB_CH, CB_CHL)
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
        AST_CHILDREN(n, LINK_CH, LINK_CHL)
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
        AST_CHILDREN(n, SLINK_CH, SLINK_CHL)
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
