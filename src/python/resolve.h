/* resolve.h - qualified names through imports, aliases and scopes.
 *
 * Rules and the taint engine ask one question: "what is this expression,
 * by its full dotted name?"  After
 *
 *     import subprocess as sp          from os import system as s
 *     import os.path                   run = subprocess.run
 *     from .util import helper         app = flask.Flask(__name__)
 *
 * resolve_call() of `sp.Popen(x)` is "subprocess.Popen", of `s(c)` is
 * "os.system", of `os.path.join(a)` is "os.path.join", of `run(c)` is
 * "subprocess.run", of `helper()` is "<package>.util.helper" (the package
 * taken from the file's path), and of `app.run()` is "flask.Flask.run"
 * (a name bound to the result of a call resolves to what was called, so
 * methods of instances read as Class.method).  `m = importlib.import_module
 * ("pickle")` (also __import__ and test.support's import helpers with a
 * constant name) binds m to the module.
 *
 * Scopes follow Python: module, class (not visible from nested
 * functions), function and lambda (parameters and every name bound in the
 * body are local), comprehensions; `global` sends a binding to the module.
 * A name bound to something we cannot know (a parameter, `x = f(y)` with
 * f unknown, a loop target) resolves to NULL, so a parameter called
 * `subprocess` hides the import.  A name bound nowhere in the file
 * resolves to itself: builtins read as "eval", "exec", "open", "print".
 * Bindings are flow-insensitive within a scope: when a name is bound
 * several times, the last import/alias wins and an unknown rebinding does
 * not erase a known one (recall over precision: `try: import cPickle as
 * pickle / except ImportError: import pickle` is "pickle").
 *
 * Memory and threads: the resolver and every string it returns live in
 * the arena given to resolve_module (the file's arena) and go with it.  A
 * resolver belongs to the thread that parsed the file.  Returned strings
 * are plain C strings (not interned): compare with strcmp.
 */
#ifndef VG_PY_RESOLVE_H
#define VG_PY_RESOLVE_H

#include "../core/arena.h"
#include "../core/intern.h"
#include "ast.h"
#include "parse.h"

typedef struct py_resolver py_resolver;

/* Build the name tables of one parsed module.  `path` is the file's
 * display path (for relative imports: "pkg/sub/mod.py" is module
 * "pkg.sub.mod" in package "pkg.sub"); may be NULL.  `in` is the
 * interner the module was parsed with (the first component of `import
 * os.path` is interned there).  Never fails. */
py_resolver *resolve_module(arena *a, interner *in, const py_module *m, const char *path);

/* The qualified name of a Name, Attribute chain or Call expression
 * ("subprocess.Popen", "os.path.join", "flask.Flask" for `Flask(...)`),
 * or NULL when it is not known. */
const char *resolve_name(const py_resolver *r, const py_node *e);

/* The qualified name of what a Call calls: resolve_name(call->call.func),
 * except that calling a name bound to an instance (`p = Popen(); p()`) or
 * the result of a call (`f(x)(y)`) is NULL.  NULL for anything that is not
 * a Call. */
const char *resolve_call(const py_resolver *r, const py_node *call);

/* Does the file import module `mod` or anything inside it, anywhere
 * (`import mod`, `import mod.x`, `from mod import y`, `from mod.x import
 * y`)?  `mod` is dotted ("paramiko", "xml.etree"). */
int resolve_imports(const py_resolver *r, const char *mod);

/* The scope node that holds n: the innermost Module, FunctionDef,
 * AsyncFunctionDef, Lambda, ClassDef or comprehension node (ListComp,
 * SetComp, GeneratorExp, DictComp) whose *body* contains n.  Decorators,
 * defaults and annotations belong to the enclosing scope, as in Python. */
const py_node *resolve_scope_of(const py_node *n);

/* The innermost FunctionDef/AsyncFunctionDef/Lambda whose body holds n,
 * or NULL at module level (class bodies are skipped). */
const py_node *resolve_function_of(const py_node *n);

#endif
