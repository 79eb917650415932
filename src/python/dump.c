/* dump.c - ast.dump() text (see dump.h).  One function per field shape;
 * the per-kind switch lists the fields in CPython 3.11's _fields order. */
#include "dump.h"

#include <string.h>

#include "../core/intern.h"
#include "../core/utf8.h"
#include "uniprint.h"

typedef struct dumper {
    buf *o;
    int depth;
    int nfields;
} dumper;

static void node(dumper *d, const py_node *n);

static int printable(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 0x20 && cp < 0x7f;
    size_t lo = 0, hi = sizeof uni_nonprint / sizeof uni_nonprint[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < uni_nonprint[mid][0])
            hi = mid;
        else if (cp > uni_nonprint[mid][1])
            lo = mid + 1;
        else
            return 0;
    }
    return 1;
}

static char pick_quote(const char *s, size_t n)
{
    int sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
    return sq && !dq ? '"' : '\'';
}

void dump_repr_str(buf *o, const char *s, size_t n)
{
    char q = pick_quote(s, n);
    buf_putc(o, q);
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && u[j] >= 0x20 && u[j] < 0x7f && u[j] != '\\' && u[j] != (unsigned char)q)
            j++;
        if (j > i) {
            buf_append(o, s + i, j - i);
            i = j;
            continue;
        }
        unsigned c = u[i];
        if (c == '\\' || c == (unsigned char)q) {
            buf_putc(o, '\\');
            buf_putc(o, (char)c);
            i++;
        } else if (c == '\n') {
            buf_puts(o, "\\n");
            i++;
        } else if (c == '\r') {
            buf_puts(o, "\\r");
            i++;
        } else if (c == '\t') {
            buf_puts(o, "\\t");
            i++;
        } else if (c < 0x80) {
            buf_printf(o, "\\x%02x", c);
            i++;
        } else {
            /* lenient: WTF-8 surrogates and whatever else is shaped like UTF-8 */
            uint32_t cp;
            size_t len = utf8_decode_ex(u + i, n - i, &cp, UTF8_LAX);
            if (!len) {
                buf_printf(o, "\\udc%02x", c); /* as surrogateescape would */
                len = 1;
            } else if (printable(cp) && !(cp >= 0xD800 && cp <= 0xDFFF))
                buf_append(o, s + i, len);
            else if (cp <= 0xFF)
                buf_printf(o, "\\x%02x", cp);
            else if (cp <= 0xFFFF)
                buf_printf(o, "\\u%04x", cp);
            else
                buf_printf(o, "\\U%08x", cp);
            i += len;
        }
    }
    buf_putc(o, q);
}

void dump_repr_bytes(buf *o, const char *s, size_t n)
{
    char q = pick_quote(s, n);
    buf_putc(o, 'b');
    buf_putc(o, q);
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c == '\\' || c == (unsigned char)q) {
            buf_putc(o, '\\');
            buf_putc(o, (char)c);
        } else if (c == '\n')
            buf_puts(o, "\\n");
        else if (c == '\r')
            buf_puts(o, "\\r");
        else if (c == '\t')
            buf_puts(o, "\\t");
        else if (c < 0x20 || c >= 0x7f)
            buf_printf(o, "\\x%02x", c);
        else
            buf_putc(o, (char)c);
    }
    buf_putc(o, q);
}

/* ---- fields ---- */

static void begin(dumper *d, const char *name)
{
    buf_puts(d->o, name);
    buf_putc(d->o, '(');
    d->nfields = 0;
}

static void fname(dumper *d, const char *name)
{
    if (d->nfields++)
        buf_puts(d->o, ", ");
    buf_puts(d->o, name);
    buf_putc(d->o, '=');
}

/* a required node field */
static void f_node(dumper *d, const char *name, const py_node *n)
{
    fname(d, name);
    int saved = d->nfields;
    node(d, n);
    d->nfields = saved;
}

/* an optional node field: omitted when NULL */
static void f_opt(dumper *d, const char *name, const py_node *n)
{
    if (n)
        f_node(d, name, n);
}

static void f_list(dumper *d, const char *name, py_list l)
{
    fname(d, name);
    int saved = d->nfields;
    buf_putc(d->o, '[');
    for (int i = 0; i < l.n; i++) {
        if (i)
            buf_puts(d->o, ", ");
        if (l.v[i])
            node(d, l.v[i]);
        else
            buf_puts(d->o, "None");
    }
    buf_putc(d->o, ']');
    d->nfields = saved;
}

static void f_ident(dumper *d, const char *name, const char *s)
{
    if (!s)
        return;
    fname(d, name);
    dump_repr_str(d->o, s, ident_len(s));
}

static void f_names(dumper *d, const char *name, py_names l)
{
    fname(d, name);
    buf_putc(d->o, '[');
    for (int i = 0; i < l.n; i++) {
        if (i)
            buf_puts(d->o, ", ");
        dump_repr_str(d->o, l.v[i], ident_len(l.v[i]));
    }
    buf_putc(d->o, ']');
}

static void f_int(dumper *d, const char *name, int v)
{
    fname(d, name);
    buf_printf(d->o, "%d", v);
}

static void f_word(dumper *d, const char *name, const char *cls)
{
    fname(d, name);
    buf_puts(d->o, cls);
    buf_puts(d->o, "()");
}

static void f_ctx(dumper *d, py_expr_context c)
{
    f_word(d, "ctx", ast_ctx_name(c));
}

static void constant_value(dumper *d, const py_node *n)
{
    buf *o = d->o;
    switch (n->constant.value) {
    case PY_CONST_NONE: buf_puts(o, "None"); break;
    case PY_CONST_TRUE: buf_puts(o, "True"); break;
    case PY_CONST_FALSE: buf_puts(o, "False"); break;
    case PY_CONST_ELLIPSIS: buf_puts(o, "Ellipsis"); break;
    case PY_CONST_INT:
    case PY_CONST_FLOAT:
    case PY_CONST_COMPLEX: buf_append(o, n->constant.s, n->constant.len); break;
    case PY_CONST_STR: dump_repr_str(o, n->constant.s, n->constant.len); break;
    case PY_CONST_BYTES: dump_repr_bytes(o, n->constant.s, n->constant.len); break;
    }
}

static void node(dumper *d, const py_node *n)
{
    if (d->depth >= DUMP_MAX_DEPTH) {
        buf_puts(d->o, "...");
        return;
    }
    d->depth++;
    py_kind k = (py_kind)n->kind;
    begin(d, ast_kind_name(k));
    switch (k) {
    case PY_Module:
        f_list(d, "body", n->module.body);
        fname(d, "type_ignores");
        buf_puts(d->o, "[]");
        break;
    case PY_FunctionDef:
    case PY_AsyncFunctionDef:
        f_ident(d, "name", n->functiondef.name);
        f_node(d, "args", n->functiondef.args);
        f_list(d, "body", n->functiondef.body);
        f_list(d, "decorator_list", n->functiondef.decorator_list);
        f_opt(d, "returns", n->functiondef.returns);
        if (n->functiondef.type_params.n)
            f_list(d, "type_params", n->functiondef.type_params);
        break;
    case PY_ClassDef:
        f_ident(d, "name", n->classdef.name);
        f_list(d, "bases", n->classdef.bases);
        f_list(d, "keywords", n->classdef.keywords);
        f_list(d, "body", n->classdef.body);
        f_list(d, "decorator_list", n->classdef.decorator_list);
        if (n->classdef.type_params.n)
            f_list(d, "type_params", n->classdef.type_params);
        break;
    case PY_Return: f_opt(d, "value", n->return_.value); break;
    case PY_Delete: f_list(d, "targets", n->delete.targets); break;
    case PY_Assign:
        f_list(d, "targets", n->assign.targets);
        f_node(d, "value", n->assign.value);
        break;
    case PY_TypeAlias:
        f_node(d, "name", n->typealias.name);
        f_list(d, "type_params", n->typealias.type_params);
        f_node(d, "value", n->typealias.value);
        break;
    case PY_AugAssign:
        f_node(d, "target", n->augassign.target);
        f_word(d, "op", ast_operator_name(n->augassign.op));
        f_node(d, "value", n->augassign.value);
        break;
    case PY_AnnAssign:
        f_node(d, "target", n->annassign.target);
        f_node(d, "annotation", n->annassign.annotation);
        f_opt(d, "value", n->annassign.value);
        f_int(d, "simple", n->annassign.simple);
        break;
    case PY_For:
    case PY_AsyncFor:
        f_node(d, "target", n->for_.target);
        f_node(d, "iter", n->for_.iter);
        f_list(d, "body", n->for_.body);
        f_list(d, "orelse", n->for_.orelse);
        break;
    case PY_While:
        f_node(d, "test", n->while_.test);
        f_list(d, "body", n->while_.body);
        f_list(d, "orelse", n->while_.orelse);
        break;
    case PY_If:
        f_node(d, "test", n->if_.test);
        f_list(d, "body", n->if_.body);
        f_list(d, "orelse", n->if_.orelse);
        break;
    case PY_With:
    case PY_AsyncWith:
        f_list(d, "items", n->with.items);
        f_list(d, "body", n->with.body);
        break;
    case PY_Match:
        f_node(d, "subject", n->match.subject);
        f_list(d, "cases", n->match.cases);
        break;
    case PY_Raise:
        f_opt(d, "exc", n->raise.exc);
        f_opt(d, "cause", n->raise.cause);
        break;
    case PY_Try:
    case PY_TryStar:
        f_list(d, "body", n->try_.body);
        f_list(d, "handlers", n->try_.handlers);
        f_list(d, "orelse", n->try_.orelse);
        f_list(d, "finalbody", n->try_.finalbody);
        break;
    case PY_Assert:
        f_node(d, "test", n->assert.test);
        f_opt(d, "msg", n->assert.msg);
        break;
    case PY_Import: f_list(d, "names", n->import.names); break;
    case PY_ImportFrom:
        f_ident(d, "module", n->importfrom.module);
        f_list(d, "names", n->importfrom.names);
        f_int(d, "level", n->importfrom.level);
        break;
    case PY_Global:
    case PY_Nonlocal: f_names(d, "names", n->global.names); break;
    case PY_Expr: f_node(d, "value", n->expr.value); break;
    case PY_Pass: case PY_Break: case PY_Continue: break;
    case PY_BoolOp:
        f_word(d, "op", ast_boolop_name(n->boolop.op));
        f_list(d, "values", n->boolop.values);
        break;
    case PY_NamedExpr:
        f_node(d, "target", n->namedexpr.target);
        f_node(d, "value", n->namedexpr.value);
        break;
    case PY_BinOp:
        f_node(d, "left", n->binop.left);
        f_word(d, "op", ast_operator_name(n->binop.op));
        f_node(d, "right", n->binop.right);
        break;
    case PY_UnaryOp:
        f_word(d, "op", ast_unaryop_name(n->unaryop.op));
        f_node(d, "operand", n->unaryop.operand);
        break;
    case PY_Lambda:
        f_node(d, "args", n->lambda.args);
        f_node(d, "body", n->lambda.body);
        break;
    case PY_IfExp:
        f_node(d, "test", n->ifexp.test);
        f_node(d, "body", n->ifexp.body);
        f_node(d, "orelse", n->ifexp.orelse);
        break;
    case PY_Dict:
        f_list(d, "keys", n->dict.keys);
        f_list(d, "values", n->dict.values);
        break;
    case PY_Set: f_list(d, "elts", n->set.elts); break;
    case PY_ListComp:
    case PY_SetComp:
    case PY_GeneratorExp:
        f_node(d, "elt", n->listcomp.elt);
        f_list(d, "generators", n->listcomp.generators);
        break;
    case PY_DictComp:
        f_node(d, "key", n->dictcomp.key);
        f_node(d, "value", n->dictcomp.value);
        f_list(d, "generators", n->dictcomp.generators);
        break;
    case PY_Await:
    case PY_YieldFrom: f_node(d, "value", n->await.value); break;
    case PY_Yield: f_opt(d, "value", n->await.value); break;
    case PY_Compare:
        f_node(d, "left", n->compare.left);
        fname(d, "ops");
        buf_putc(d->o, '[');
        for (int i = 0; i < n->compare.comparators.n; i++) {
            if (i)
                buf_puts(d->o, ", ");
            buf_puts(d->o, ast_cmpop_name(n->compare.ops[i]));
            buf_puts(d->o, "()");
        }
        buf_putc(d->o, ']');
        f_list(d, "comparators", n->compare.comparators);
        break;
    case PY_Call:
        f_node(d, "func", n->call.func);
        f_list(d, "args", n->call.args);
        f_list(d, "keywords", n->call.keywords);
        break;
    case PY_FormattedValue:
        f_node(d, "value", n->formattedvalue.value);
        f_int(d, "conversion", n->formattedvalue.conversion);
        f_opt(d, "format_spec", n->formattedvalue.format_spec);
        break;
    case PY_JoinedStr: f_list(d, "values", n->joinedstr.values); break;
    case PY_Constant:
        fname(d, "value");
        constant_value(d, n);
        if (n->constant.kind) {
            fname(d, "kind");
            dump_repr_str(d->o, n->constant.kind, strlen(n->constant.kind));
        }
        break;
    case PY_Attribute:
        f_node(d, "value", n->attribute.value);
        f_ident(d, "attr", n->attribute.attr);
        f_ctx(d, n->attribute.ctx);
        break;
    case PY_Subscript:
        f_node(d, "value", n->subscript.value);
        f_node(d, "slice", n->subscript.slice);
        f_ctx(d, n->subscript.ctx);
        break;
    case PY_Starred:
        f_node(d, "value", n->starred.value);
        f_ctx(d, n->starred.ctx);
        break;
    case PY_Name:
        f_ident(d, "id", n->name.id);
        f_ctx(d, n->name.ctx);
        break;
    case PY_List:
    case PY_Tuple:
        f_list(d, "elts", n->list.elts);
        f_ctx(d, n->list.ctx);
        break;
    case PY_Slice:
        f_opt(d, "lower", n->slice.lower);
        f_opt(d, "upper", n->slice.upper);
        f_opt(d, "step", n->slice.step);
        break;
    case PY_comprehension:
        f_node(d, "target", n->comprehension.target);
        f_node(d, "iter", n->comprehension.iter);
        f_list(d, "ifs", n->comprehension.ifs);
        f_int(d, "is_async", n->comprehension.is_async);
        break;
    case PY_ExceptHandler:
        f_opt(d, "type", n->excepthandler.type);
        f_ident(d, "name", n->excepthandler.name);
        f_list(d, "body", n->excepthandler.body);
        break;
    case PY_arguments:
        f_list(d, "posonlyargs", n->arguments.posonlyargs);
        f_list(d, "args", n->arguments.args);
        f_opt(d, "vararg", n->arguments.vararg);
        f_list(d, "kwonlyargs", n->arguments.kwonlyargs);
        f_list(d, "kw_defaults", n->arguments.kw_defaults);
        f_opt(d, "kwarg", n->arguments.kwarg);
        f_list(d, "defaults", n->arguments.defaults);
        break;
    case PY_arg:
        f_ident(d, "arg", n->arg.arg);
        f_opt(d, "annotation", n->arg.annotation);
        break;
    case PY_keyword:
        f_ident(d, "arg", n->keyword.arg);
        f_node(d, "value", n->keyword.value);
        break;
    case PY_alias:
        f_ident(d, "name", n->alias.name);
        f_ident(d, "asname", n->alias.asname);
        break;
    case PY_withitem:
        f_node(d, "context_expr", n->withitem.context_expr);
        f_opt(d, "optional_vars", n->withitem.optional_vars);
        break;
    case PY_match_case:
        f_node(d, "pattern", n->match_case.pattern);
        f_opt(d, "guard", n->match_case.guard);
        f_list(d, "body", n->match_case.body);
        break;
    case PY_MatchValue: f_node(d, "value", n->matchvalue.value); break;
    case PY_MatchSingleton:
        fname(d, "value");
        constant_value(d, n->matchvalue.value);
        break;
    case PY_MatchSequence:
    case PY_MatchOr: f_list(d, "patterns", n->matchsequence.patterns); break;
    case PY_MatchMapping:
        f_list(d, "keys", n->matchmapping.keys);
        f_list(d, "patterns", n->matchmapping.patterns);
        f_ident(d, "rest", n->matchmapping.rest);
        break;
    case PY_MatchClass:
        f_node(d, "cls", n->matchclass.cls);
        f_list(d, "patterns", n->matchclass.patterns);
        f_names(d, "kwd_attrs", n->matchclass.kwd_attrs);
        f_list(d, "kwd_patterns", n->matchclass.kwd_patterns);
        break;
    case PY_MatchStar: f_ident(d, "name", n->matchas.name); break;
    case PY_MatchAs:
        f_opt(d, "pattern", n->matchas.pattern);
        f_ident(d, "name", n->matchas.name);
        break;
    case PY_TypeVar:
    case PY_ParamSpec:
    case PY_TypeVarTuple:
        f_ident(d, "name", n->typevar.name);
        f_opt(d, "bound", n->typevar.bound);
        f_opt(d, "default_value", n->typevar.default_value);
        break;
    case PY_KIND_COUNT: break;
    }
    buf_putc(d->o, ')');
    d->depth--;
}

void ast_dump(buf *out, const py_node *n)
{
    dumper d = {out, 0, 0};
    node(&d, n);
}
