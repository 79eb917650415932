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
 * kinds share typevar.  Each member's struct is named after it
 * (struct ast_call), so code generated from the schema can point at it.
 *
 * The schema itself - every kind, its fields in CPython's order, their
 * shapes and the order the walk visits them - is one table, ast.def; the
 * enum below, the child iterator (ast.c) and ast.dump (dump.c) are made
 * from it.  A new kind or field is a row there plus its C field here.
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
 * Size: a node takes the header (kind, positions, parent) plus its own
 * union member only, ast_node_size(kind) bytes, not sizeof(py_node): a
 * Name is 48 bytes where the largest kind (arguments) is 128.  So only
 * the member of the node's kind may be touched, and a node is never
 * copied by assignment (`*d = *n`, `py_node at = *n` read sizeof(py_node)
 * bytes, past the end of a smaller node): use ast_node_copy.  A node made
 * by hand (on the stack, or a whole sizeof(py_node) allocation) has room
 * for any kind.
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

/* Every kind, in the order of ast.def (the schema: fields, child order,
 * dump text). */
typedef enum py_kind {
#define AST_NODE(k, member, fields) PY_##k,
#define AST_TWIN(k, other) PY_##k,
#include "ast.def"
#undef AST_NODE
#undef AST_TWIN
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
        struct ast_module { py_list body; } module;
        /* ---- stmt ---- */
        struct ast_functiondef {     /* FunctionDef, AsyncFunctionDef */
            const char *name;
            py_node *args;           /* arguments */
            py_list body, decorator_list;
            py_node *returns;        /* ? */
            py_list type_params;     /* PEP 695 (3.12+) */
        } functiondef;
        struct ast_classdef {
            const char *name;
            py_list bases, keywords, body, decorator_list, type_params;
        } classdef;
        struct ast_return_ { py_node *value; } return_;     /* value? */
        struct ast_delete { py_list targets; } delete;
        struct ast_assign { py_list targets; py_node *value; } assign;
        struct ast_typealias { py_node *name; py_list type_params; py_node *value; } typealias;
        struct ast_augassign { py_node *target; py_operator op; py_node *value; } augassign;
        struct ast_annassign {
            py_node *target, *annotation, *value;     /* value? */
            int simple;
        } annassign;
        struct ast_for_ { py_node *target, *iter; py_list body, orelse; } for_; /* For, AsyncFor */
        struct ast_while_ { py_node *test; py_list body, orelse; } while_;
        struct ast_if_ { py_node *test; py_list body, orelse; } if_;
        struct ast_with { py_list items, body; } with;      /* items: withitem */
        struct ast_match { py_node *subject; py_list cases; } match; /* cases: match_case */
        struct ast_raise { py_node *exc, *cause; } raise;   /* both ? */
        struct ast_try_ { py_list body, handlers, orelse, finalbody; } try_; /* Try, TryStar */
        struct ast_assert { py_node *test, *msg; } assert;  /* msg? */
        struct ast_import { py_list names; } import;        /* names: alias */
        struct ast_importfrom { const char *module; py_list names; int level; } importfrom; /* module? */
        struct ast_global { py_names names; } global;       /* Global, Nonlocal */
        struct ast_expr { py_node *value; } expr;
        struct ast_pass { char unused; } pass;              /* Pass, Break, Continue */
        /* ---- expr ---- */
        struct ast_boolop { py_boolop op; py_list values; } boolop;
        struct ast_namedexpr { py_node *target, *value; } namedexpr;
        struct ast_binop { py_node *left; py_operator op; py_node *right; } binop;
        struct ast_unaryop { py_unaryop op; py_node *operand; } unaryop;
        struct ast_lambda { py_node *args; py_node *body; } lambda;
        struct ast_ifexp { py_node *test, *body, *orelse; } ifexp;
        struct ast_dict { py_list keys, values; } dict;     /* keys[i] NULL for **d */
        struct ast_set { py_list elts; } set;
        struct ast_listcomp { py_node *elt; py_list generators; } listcomp; /* ListComp, SetComp, GeneratorExp */
        struct ast_dictcomp { py_node *key, *value; py_list generators; } dictcomp;
        struct ast_await { py_node *value; } await;         /* Await, Yield (value?), YieldFrom */
        struct ast_compare {
            py_node *left;
            py_cmpop *ops;                             /* ops[i] pairs comparators.v[i] */
            py_list comparators;
        } compare;
        struct ast_call { py_node *func; py_list args, keywords; } call;
        struct ast_formattedvalue {
            py_node *value;
            int conversion;                            /* -1, 's', 'r' or 'a' */
            py_node *format_spec;                      /* JoinedStr? */
            const char *str;                           /* Interpolation: the expression's text */
        } formattedvalue;
        struct ast_joinedstr { py_list values; } joinedstr;
        struct ast_constant {  /* packed: Constant is the commonest kind after Name */
            const char *s;     /* STR/BYTES: decoded value, NUL-terminated (may hold NULs);
                                  INT/FLOAT/COMPLEX: the source text of the literal */
            union {
                int64_t ival;  /* INT: the value when ival_ok */
                double fval;   /* FLOAT: the value; COMPLEX: the imaginary part */
            };
            const char *kind;  /* "u" for a u-prefixed string, else NULL (CPython Constant.kind) */
            uint32_t len;      /* of s; a file is at most PY_MAX_FILE bytes */
            uint8_t value;     /* py_const_kind */
            uint8_t ival_ok;
            uint8_t invalid_utf8; /* STR: the source held bytes that are not UTF-8 (kept as is) */
        } constant;
        struct ast_attribute { py_node *value; const char *attr; py_expr_context ctx; } attribute;
        struct ast_subscript { py_node *value, *slice; py_expr_context ctx; } subscript;
        struct ast_starred { py_node *value; py_expr_context ctx; } starred;
        struct ast_name { const char *id; py_expr_context ctx; } name;
        struct ast_list { py_list elts; py_expr_context ctx; } list; /* List, Tuple */
        struct ast_slice { py_node *lower, *upper, *step; } slice; /* all ? */
        /* ---- helper nodes ---- */
        struct ast_comprehension { py_node *target, *iter; py_list ifs; int is_async; } comprehension;
        struct ast_excepthandler { py_node *type; const char *name; py_list body; } excepthandler; /* type?, name? */
        struct ast_arguments {
            py_list posonlyargs, args;                 /* arg */
            py_node *vararg;                           /* arg? */
            py_list kwonlyargs, kw_defaults;           /* kw_defaults[i] may be NULL */
            py_node *kwarg;                            /* arg? */
            py_list defaults;
        } arguments;
        struct ast_arg { const char *arg; py_node *annotation; } arg; /* annotation? */
        struct ast_keyword { const char *arg; py_node *value; } keyword; /* arg? (NULL for **kw) */
        struct ast_alias { const char *name; const char *asname; } alias; /* name dotted "os.path"; asname? */
        struct ast_withitem { py_node *context_expr, *optional_vars; } withitem; /* optional_vars? */
        struct ast_match_case { py_node *pattern, *guard; py_list body; } match_case; /* guard? */
        /* ---- patterns ---- */
        struct ast_matchvalue { py_node *value; } matchvalue; /* MatchValue (expr), MatchSingleton (Constant) */
        struct ast_matchsequence { py_list patterns; } matchsequence; /* MatchSequence, MatchOr */
        struct ast_matchmapping { py_list keys, patterns; const char *rest; } matchmapping; /* rest? */
        struct ast_matchclass {
            py_node *cls;
            py_list patterns;
            py_names kwd_attrs;
            py_list kwd_patterns;
        } matchclass;
        struct ast_matchas { py_node *pattern; const char *name; } matchas; /* MatchAs (both ?), MatchStar (name?) */
        /* ---- type params (PEP 695) ---- */
        struct ast_typevar {
            const char *name;
            py_node *bound;          /* TypeVar only, ? */
            py_node *default_value;  /* 3.13, ? */
        } typevar;                   /* TypeVar, ParamSpec, TypeVarTuple */
    };
};

/* "FunctionDef", "Call", ... (the CPython class name). */
const char *ast_kind_name(py_kind k);
/* The bytes a node of kind k takes (see "Size" above): the header and
 * k's union member, a multiple of the node's alignment; sizeof(py_node)
 * when k is not a kind. */
size_t ast_node_size(py_kind k);
/* Copy node n into dst, which is a whole py_node or holds at least
 * ast_node_size(n->kind) bytes; reads only that many bytes of n.
 * Returns dst. */
py_node *ast_node_copy(py_node *dst, const py_node *n);
/* The kind whose ast.def row holds k's fields: k itself, or for a twin the
 * kind it copies (AsyncFor -> For, Tuple -> List); PY_KIND_COUNT when k is
 * not a kind. */
py_kind ast_schema_kind(py_kind k);
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

/* Small queries the analyzers share (all take NULL and return NULL). */
/* The value of a str Constant, else NULL. */
const char *ast_const_str(const py_node *n);
/* Call argument `pos` (0-based; -1: keyword only), unless a *args comes at
 * or before it; when there are fewer positional arguments, keyword `kw`
 * (NULL: none). */
const py_node *ast_call_arg(const py_node *call, int pos, const char *kw);
/* The value of keyword argument `kw` of a Call. */
const py_node *ast_call_kw(const py_node *call, const char *kw);
/* The name a call ends in: `attr` of x.attr(...), `id` of f(...). */
const char *ast_call_method(const py_node *call);
/* The last identifier of a Name or Attribute, the key of a Subscript with
 * a str constant key (request.form["password"] -> "password"), or the
 * first argument of a .get("...") call. */
const char *ast_terminal_name(const py_node *e);

#endif
