/* ast.h - the Python syntax tree, shaped exactly like CPython's `ast` module.
 *
 * The Python docs (https://docs.python.org/3/library/ast.html) are the
 * reference: every node kind is a CPython class (PY_Call is ast.Call) and
 * its fields carry the CPython field names.  One struct, py_node, holds
 * every kind: `kind` says which, and the union member named after the
 * class in lower case holds the fields:
 *
 *     if (n->kind == PY_Call && n->call.func->kind == PY_Attribute)
 *         ... n->call.func->attribute.attr ...
 *
 * A member whose lower-case name is a C keyword gets a trailing '_'
 * (n->if_, n->for_, n->while_, n->return_).  Async twins share the member
 * of their sync kind (AsyncFunctionDef -> functiondef, AsyncFor -> for_,
 * AsyncWith -> with), TryStar shares try_, and the three type parameter
 * kinds share typevar.
 *
 * Sequences are py_list (pointer + count); an optional field (`expr?` in
 * the CPython grammar) is NULL when absent.  Dict.keys and
 * arguments.kw_defaults may hold NULL entries, as in CPython.
 * Identifiers (names, attributes, import names, parameter names) are
 * interned: compare pointers (see src/core/intern.h for the thread model).
 *
 * Positions are on every node (also comprehension, arguments, ... which
 * CPython leaves without them): lineno and end_lineno 1-based,
 * col_offset and end_col_offset 0-based UTF-8 byte offsets, exactly as
 * CPython reports them.  `parent` links each node to the one holding it
 * (NULL for the Module).
 *
 * Every node, list and decoded string lives in the arena passed to
 * py_parse (parse.h); all of it goes with one arena_reset().
 *
 * Depth: nesting (brackets, blocks, unary operators) is capped by the
 * parser, but a long left-associative chain (a + b + c + ..., 100,000
 * terms) is a legal tree that deep.  Walk trees with ast_walk /
 * ast_walk_ex (explicit stack), or cap your own recursion.
 */
#ifndef VG_PY_AST_H
#define VG_PY_AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct py_node py_node;

typedef struct py_list {
    py_node **v;
    int n;
} py_list;

typedef struct py_names { /* a list of identifiers (Global.names, MatchClass.kwd_attrs) */
    const char **v;       /* interned */
    int n;
} py_names;

/* The X-macro lists every kind once: (Kind, member).  Order: mod, stmt,
 * expr, helper nodes, patterns, type params. */
#define PY_KINDS(X)                                                            \
    X(Module, module)                                                          \
    X(FunctionDef, functiondef) X(AsyncFunctionDef, functiondef)               \
    X(ClassDef, classdef) X(Return, return_) X(Delete, delete)                 \
    X(Assign, assign) X(TypeAlias, typealias) X(AugAssign, augassign)          \
    X(AnnAssign, annassign) X(For, for_) X(AsyncFor, for_)                     \
    X(While, while_) X(If, if_) X(With, with) X(AsyncWith, with)               \
    X(Match, match) X(Raise, raise) X(Try, try_) X(TryStar, try_)              \
    X(Assert, assert) X(Import, import) X(ImportFrom, importfrom)              \
    X(Global, global) X(Nonlocal, global) X(Expr, expr)                        \
    X(Pass, pass) X(Break, pass) X(Continue, pass)                             \
    X(BoolOp, boolop) X(NamedExpr, namedexpr) X(BinOp, binop)                  \
    X(UnaryOp, unaryop) X(Lambda, lambda) X(IfExp, ifexp) X(Dict, dict)        \
    X(Set, set) X(ListComp, listcomp) X(SetComp, listcomp)                     \
    X(DictComp, dictcomp) X(GeneratorExp, listcomp) X(Await, await)            \
    X(Yield, await) X(YieldFrom, await) X(Compare, compare) X(Call, call)      \
    X(FormattedValue, formattedvalue) X(JoinedStr, joinedstr)                  \
    X(Constant, constant) X(Attribute, attribute) X(Subscript, subscript)      \
    X(Starred, starred) X(Name, name) X(List, list) X(Tuple, list)             \
    X(Slice, slice)                                                            \
    X(comprehension, comprehension) X(ExceptHandler, excepthandler)            \
    X(arguments, arguments) X(arg, arg) X(keyword, keyword) X(alias, alias)    \
    X(withitem, withitem) X(match_case, match_case)                            \
    X(MatchValue, matchvalue) X(MatchSingleton, matchvalue)                    \
    X(MatchSequence, matchsequence) X(MatchMapping, matchmapping)              \
    X(MatchClass, matchclass) X(MatchStar, matchas) X(MatchAs, matchas)        \
    X(MatchOr, matchsequence)                                                  \
    X(TypeVar, typevar) X(ParamSpec, typevar) X(TypeVarTuple, typevar)

typedef enum py_kind {
#define PY_KIND_ENUM(k, m) PY_##k,
    PY_KINDS(PY_KIND_ENUM)
#undef PY_KIND_ENUM
    PY_KIND_COUNT
} py_kind;

/* Ranges, for "is this a statement / an expression / a pattern". */
#define PY_IS_STMT(k) ((k) >= PY_FunctionDef && (k) <= PY_Continue)
#define PY_IS_EXPR(k) ((k) >= PY_BoolOp && (k) <= PY_Slice)
#define PY_IS_PATTERN(k) ((k) >= PY_MatchValue && (k) <= PY_MatchOr)

typedef enum py_expr_context { PY_Load, PY_Store, PY_Del } py_expr_context;
typedef enum py_boolop { PY_And, PY_Or } py_boolop;
typedef enum py_operator {
    PY_Add, PY_Sub, PY_Mult, PY_MatMult, PY_Div, PY_Mod, PY_Pow,
    PY_LShift, PY_RShift, PY_BitOr, PY_BitXor, PY_BitAnd, PY_FloorDiv
} py_operator;
typedef enum py_unaryop { PY_Invert, PY_Not, PY_UAdd, PY_USub } py_unaryop;
typedef enum py_cmpop {
    PY_Eq, PY_NotEq, PY_Lt, PY_LtE, PY_Gt, PY_GtE, PY_Is, PY_IsNot, PY_In, PY_NotIn
} py_cmpop;

/* Constant.value: what kind of Python object it is. */
typedef enum py_const_kind {
    PY_CONST_NONE, PY_CONST_TRUE, PY_CONST_FALSE, PY_CONST_ELLIPSIS,
    PY_CONST_INT, PY_CONST_FLOAT, PY_CONST_COMPLEX,
    PY_CONST_STR,   /* s/len: the decoded value as UTF-8 (implicit concatenation done) */
    PY_CONST_BYTES  /* s/len: the decoded bytes */
} py_const_kind;

struct py_node {
    uint16_t kind;          /* py_kind */
    int lineno, col_offset, end_lineno, end_col_offset;
    py_node *parent;
    union {
        /* ---- mod ---- */
        struct { py_list body; } module;
        /* ---- stmt ---- */
        struct {                     /* FunctionDef, AsyncFunctionDef */
            const char *name;
            py_node *args;           /* arguments */
            py_list body, decorator_list;
            py_node *returns;        /* ? */
            py_list type_params;     /* PEP 695 (3.12+) */
        } functiondef;
        struct {
            const char *name;
            py_list bases, keywords, body, decorator_list, type_params;
        } classdef;
        struct { py_node *value; } return_;           /* value? */
        struct { py_list targets; } delete;
        struct { py_list targets; py_node *value; } assign;
        struct { py_node *name; py_list type_params; py_node *value; } typealias;
        struct { py_node *target; py_operator op; py_node *value; } augassign;
        struct {
            py_node *target, *annotation, *value;     /* value? */
            int simple;
        } annassign;
        struct { py_node *target, *iter; py_list body, orelse; } for_;  /* For, AsyncFor */
        struct { py_node *test; py_list body, orelse; } while_;
        struct { py_node *test; py_list body, orelse; } if_;
        struct { py_list items, body; } with;          /* items: withitem */
        struct { py_node *subject; py_list cases; } match; /* cases: match_case */
        struct { py_node *exc, *cause; } raise;        /* both ? */
        struct { py_list body, handlers, orelse, finalbody; } try_; /* Try, TryStar */
        struct { py_node *test, *msg; } assert;        /* msg? */
        struct { py_list names; } import;              /* names: alias */
        struct { const char *module; py_list names; int level; } importfrom; /* module? */
        struct { py_names names; } global;             /* Global, Nonlocal */
        struct { py_node *value; } expr;
        struct { char unused; } pass;                  /* Pass, Break, Continue */
        /* ---- expr ---- */
        struct { py_boolop op; py_list values; } boolop;
        struct { py_node *target, *value; } namedexpr;
        struct { py_node *left; py_operator op; py_node *right; } binop;
        struct { py_unaryop op; py_node *operand; } unaryop;
        struct { py_node *args; py_node *body; } lambda;
        struct { py_node *test, *body, *orelse; } ifexp;
        struct { py_list keys, values; } dict;         /* keys[i] NULL for **d */
        struct { py_list elts; } set;
        struct { py_node *elt; py_list generators; } listcomp; /* ListComp, SetComp, GeneratorExp */
        struct { py_node *key, *value; py_list generators; } dictcomp;
        struct { py_node *value; } await;              /* Await, Yield (value?), YieldFrom */
        struct {
            py_node *left;
            py_cmpop *ops;                             /* ops[i] pairs comparators.v[i] */
            py_list comparators;
        } compare;
        struct { py_node *func; py_list args, keywords; } call;
        struct {
            py_node *value;
            int conversion;                            /* -1, 's', 'r' or 'a' */
            py_node *format_spec;                      /* JoinedStr? */
        } formattedvalue;
        struct { py_list values; } joinedstr;
        struct {
            py_const_kind value;
            const char *s;     /* STR/BYTES: decoded value, NUL-terminated (may hold NULs);
                                  INT/FLOAT/COMPLEX: the source text of the literal */
            size_t len;
            int64_t ival;      /* INT: the value when ival_ok */
            int ival_ok;
            double fval;       /* FLOAT: the value; COMPLEX: the imaginary part */
            const char *kind;  /* "u" for a u-prefixed string, else NULL (CPython Constant.kind) */
            int invalid_utf8;  /* STR: the source held bytes that are not UTF-8 (kept as is) */
        } constant;
        struct { py_node *value; const char *attr; py_expr_context ctx; } attribute;
        struct { py_node *value, *slice; py_expr_context ctx; } subscript;
        struct { py_node *value; py_expr_context ctx; } starred;
        struct { const char *id; py_expr_context ctx; } name;
        struct { py_list elts; py_expr_context ctx; } list;  /* List, Tuple */
        struct { py_node *lower, *upper, *step; } slice;     /* all ? */
        /* ---- helper nodes ---- */
        struct { py_node *target, *iter; py_list ifs; int is_async; } comprehension;
        struct { py_node *type; const char *name; py_list body; } excepthandler; /* type?, name? */
        struct {
            py_list posonlyargs, args;                 /* arg */
            py_node *vararg;                           /* arg? */
            py_list kwonlyargs, kw_defaults;           /* kw_defaults[i] may be NULL */
            py_node *kwarg;                            /* arg? */
            py_list defaults;
        } arguments;
        struct { const char *arg; py_node *annotation; } arg;          /* annotation? */
        struct { const char *arg; py_node *value; } keyword;           /* arg? (NULL for **kw) */
        struct { const char *name; const char *asname; } alias;        /* name dotted "os.path"; asname? */
        struct { py_node *context_expr, *optional_vars; } withitem;    /* optional_vars? */
        struct { py_node *pattern, *guard; py_list body; } match_case; /* guard? */
        /* ---- patterns ---- */
        struct { py_node *value; } matchvalue;         /* MatchValue (expr), MatchSingleton (Constant) */
        struct { py_list patterns; } matchsequence;    /* MatchSequence, MatchOr */
        struct { py_list keys, patterns; const char *rest; } matchmapping; /* rest? */
        struct {
            py_node *cls;
            py_list patterns;
            py_names kwd_attrs;
            py_list kwd_patterns;
        } matchclass;
        struct { py_node *pattern; const char *name; } matchas; /* MatchAs (both ?), MatchStar (name?) */
        /* ---- type params (PEP 695) ---- */
        struct {
            const char *name;
            py_node *bound;          /* TypeVar only, ? */
            py_node *default_value;  /* 3.13, ? */
        } typevar;                   /* TypeVar, ParamSpec, TypeVarTuple */
    };
};

/* "FunctionDef", "Call", ... (the CPython class name). */
const char *ast_kind_name(py_kind k);
const char *ast_operator_name(py_operator op);   /* "Add" ... */
const char *ast_boolop_name(py_boolop op);       /* "And", "Or" */
const char *ast_unaryop_name(py_unaryop op);     /* "Not" ... */
const char *ast_cmpop_name(py_cmpop op);         /* "Eq" ... */
const char *ast_ctx_name(py_expr_context c);     /* "Load" ... */

/* The direct children of n, in source (CPython field) order, NULL entries
 * skipped.  fn returns nonzero to stop; ast_for_each_child returns that
 * value (0 when every child was visited). */
typedef int (*ast_child_fn)(py_node *child, void *ud);
int ast_for_each_child(py_node *n, ast_child_fn fn, void *ud);

/* Set `parent` in every node under root (py_parse does this already;
 * for trees built or edited by hand).  Explicit stack. */
void ast_link_parents(py_node *root);
/* For the parser: link one statement whose nested statements are linked
 * already (scratch from ast_link_scratch_new, reused across calls). */
void ast_link_stmt(py_node *stmt, void *scratch);
void *ast_link_scratch_new(void);
void ast_link_scratch_free(void *scratch);

/* Pre-order walk of the whole subtree under root (root included), with an
 * explicit stack: no recursion, safe on any depth.  The callback returns
 *   AST_CONTINUE  go into this node's children,
 *   AST_SKIP      do not visit this node's children,
 *   AST_STOP      end the walk (ast_walk returns AST_STOP).
 * Children are visited in source order. */
enum { AST_CONTINUE = 0, AST_SKIP = 1, AST_STOP = 2 };
typedef int (*ast_visit_fn)(py_node *n, void *ud);
int ast_walk(py_node *root, ast_visit_fn fn, void *ud);
/* The same with a `leave` callback (may be NULL) called after a node's
 * children (not for skipped-into nodes' children, but for the node itself
 * when enter returned AST_CONTINUE or AST_SKIP): scopes push in enter and
 * pop in leave. */
int ast_walk_ex(py_node *root, ast_visit_fn enter, ast_visit_fn leave, void *ud);

/* The dotted name of a Name/Attribute chain ("os.path.join") into out
 * (NUL-terminated); returns the length, or 0 (out = "") when the
 * expression is not a plain dotted name or does not fit in cap. */
size_t ast_dotted_name(const py_node *e, char *out, size_t cap);

#endif
