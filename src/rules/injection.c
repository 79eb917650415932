/* injection.c - commands and SQL built from data: B602-B609 (processes
 * and shells), B608 (SQL built from strings), B613 (trojan source), and
 * the metadata of the calls.def rows B601, B610-B612. */
#include "meta.h"
#include "rules.h"
#include "../core/utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

static const rule_meta injection_rules[] = {
    RULE("B601", "paramiko exec_command", M, CM, CWE(78, 0), "A03:2021",
         "paramiko's exec_command runs a shell command on the remote host; built from input it is "
         "command injection there.",
         "Run fixed commands and pass data as quoted arguments (shlex.quote).",
         BANDIT_PLUGIN("b601_paramiko_calls") " " CWE_URL(78)),
    RULE("B602", "subprocess with shell=True", H, CH, CWE(78, 0), "A03:2021",
         "A subprocess call with shell=True hands the command to /bin/sh. High severity when the "
         "command is not a constant (an attacker's ';' runs anything), low when it is.",
         "Pass a list of arguments without shell=True; never build shell strings from data.",
         BANDIT_PLUGIN("b602_subprocess_popen_with_shell_equals_true") " " CWE_URL(78)),
    RULE("B603", "subprocess without shell", L, CH, CWE(78, 0), "A03:2021",
         "A subprocess call without a shell: safe from shell metacharacters, but check that the "
         "program and its arguments are not chosen by input.",
         "Use a fixed program path and validate arguments.",
         BANDIT_PLUGIN("b603_subprocess_without_shell_equals_true") " " CWE_URL(78)),
    RULE("B604", "function call with shell=True", M, CL, CWE(78, 0), "A03:2021",
         "A call other than subprocess's with shell=True: probably a wrapper that runs a shell.",
         "Avoid shell=True; pass argument lists.",
         BANDIT_PLUGIN("b604_any_other_function_with_shell_equals_true") " " CWE_URL(78)),
    RULE("B605", "process started with a shell", H, CH, CWE(78, 0), "A03:2021",
         "os.system, os.popen and friends run their argument through the shell. High severity when "
         "the command is not a constant, low when it is.",
         "Use subprocess.run([...]) with a list and no shell.",
         BANDIT_PLUGIN("b605_start_process_with_a_shell") " " CWE_URL(78)),
    RULE("B606", "process started without a shell", L, CM, CWE(78, 0), "A03:2021",
         "os.exec*/os.spawn*/os.startfile start a program; check that it is not chosen by input.",
         "Use a fixed program path and validate arguments.",
         BANDIT_PLUGIN("b606_start_process_with_no_shell") " " CWE_URL(78)),
    RULE("B607", "process started with a partial path", L, CH, CWE(78, 426, 0), "A03:2021",
         "The program is named without a full path, so whatever comes first on PATH runs.",
         "Use the absolute path of the program (shutil.which at start-up, then a constant).",
         BANDIT_PLUGIN("b607_start_process_with_partial_path") " " CWE_URL(426)),
    RULE("B608", "SQL built from strings", M, CL, CWE(89, 0), "A03:2021",
         "A string that really is an SQL statement (SELECT ... FROM, INSERT INTO, UPDATE ... SET, "
         "DELETE FROM, DDL) built with an f-string, %, .format or + from non-constant parts. "
         "Confidence is high when it reaches .execute/.executemany/.raw/text(), low otherwise. "
         "Unlike Bandit: constant strings, log and exception messages, placeholder lists "
         "(\",\".join(\"?\" * n)), numbers (int(x)) and identifiers from a constant allow-list "
         "(for col in (\"a\", \"b\"), if col not in ALLOWED: raise) are not reported.",
         "Pass values as query parameters (cursor.execute(\"... WHERE id = %s\", (uid,))); "
         "choose identifiers from a fixed allow-list.",
         BANDIT_PLUGIN("b608_hardcoded_sql_expressions") " " CWE_URL(89)),
    RULE("B609", "wildcard in a shell command", H, CM, CWE(155, 78, 0), "A03:2021",
         "chown/chmod/tar/rsync with '*' in a shell command: file names starting with '-' become "
         "options (--checkpoint-action=exec=...).",
         "Pass explicit file lists, or put -- before the wildcard.",
         BANDIT_PLUGIN("b609_linux_commands_wildcard_injection") " " CWE_URL(155)),
    RULE("B610", "Django QuerySet.extra", M, CM, CWE(89, 0), "A03:2021",
         "QuerySet.extra() with non-constant select/where/tables/order_by inserts raw SQL.",
         "Use the ORM's expressions, or params= for values.",
         BANDIT_PLUGIN("b610_django_extra_used") " " CWE_URL(89)),
    RULE("B611", "Django RawSQL", M, CM, CWE(89, 0), "A03:2021",
         "RawSQL with a non-constant SQL string.",
         "Keep the SQL constant and pass values in params.",
         BANDIT_PLUGIN("b611_django_rawsql_used") " " CWE_URL(89)),
    RULE("B612", "logging.config.listen", M, CH, CWE(94, 0), "A08:2021",
         "logging.config.listen accepts configurations from the network, which can run code.",
         "Do not listen for logging configuration, or pass verify= to check it.",
         BANDIT_PLUGIN("b612_logging_config_insecure_listen") " " CWE_URL(94)),
    RULE("B613", "trojan source (bidirectional control characters)", H, CM, CWE(1007, 451, 0), "A03:2021",
         "Unicode bidirectional control characters in source make code display differently from "
         "how it runs (CVE-2021-42574).",
         "Remove the control characters; use escapes (\\u202e) in strings that need them.",
         BANDIT_PLUGIN("b613_trojansource") " " CWE_URL(1007)),
};

void rules_injection_register(void)
{
    rules_register_table(injection_rules, sizeof injection_rules / sizeof *injection_rules);
}

/* --- processes ------------------------------------------------------------- */

enum proc_kind { P_NONE, P_SUBPROCESS, P_SHELL, P_NOSHELL };

static const char *const subprocess_fns[] = {
    "subprocess.Popen", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
    "subprocess.run", "asyncio.create_subprocess_exec", NULL,
};
static const char *const shell_fns[] = {
    "os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "popen2.popen2",
    "popen2.popen3", "popen2.popen4", "popen2.Popen3", "popen2.Popen4", "commands.getoutput",
    "commands.getstatusoutput", "subprocess.getoutput", "subprocess.getstatusoutput",
    "asyncio.create_subprocess_shell", NULL,
};
static const char *const noshell_fns[] = {
    "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve", "os.execvp",
    "os.execvpe", "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv",
    "os.spawnve", "os.spawnvp", "os.spawnvpe", "os.startfile", NULL,
};

/* Is q in a Bandit config's list when it has one, else in the built-in? */
static int in_fns(const char *q, const str_list *own, const char *const *builtin)
{
    return own && own->n ? str_list_has(own, q) : str_in(q, builtin);
}

static int proc_kind(const rule_ctx *c, const char *q)
{
    if (!q) return P_NONE;
    const vg_opts *o = c->out->opts;
    if (in_fns(q, o ? &o->bandit_subprocess : NULL, subprocess_fns)) return P_SUBPROCESS;
    if (in_fns(q, o ? &o->bandit_shell : NULL, shell_fns)) return P_SHELL;
    if (in_fns(q, o ? &o->bandit_no_shell : NULL, noshell_fns)) return P_NOSHELL;
    return P_NONE;
}

/* shell= present and not a false constant (Bandit: shell=var counts) */
static int has_shell(const py_node *call)
{
    const py_node *v = ast_call_kw(call, "shell");
    if (!v) return 0;
    if (v->kind == PY_Constant) {
        switch (v->constant.value) {
        case PY_CONST_FALSE: case PY_CONST_NONE: return 0;
        case PY_CONST_INT: return !(v->constant.ival_ok && v->constant.ival == 0);
        case PY_CONST_STR: return v->constant.len != 0;
        default: return 1;
        }
    }
    return 1;
}

static const py_node *command_arg(const py_node *call, int kind)
{
    if (kind == P_NOSHELL) {
        /* os.spawn*(mode, path, ...): the program is the second argument */
        const py_node *f = call->call.func;
        const char *m = f->kind == PY_Attribute ? f->attribute.attr : f->kind == PY_Name ? f->name.id : "";
        if (str_has_prefix(m, "spawn")) return ast_call_arg(call, 1, NULL);
    }
    return ast_call_arg(call, 0, kind == P_SUBPROCESS ? "args" : "cmd");
}

static void check_partial_path(rule_ctx *c, const py_node *call, const py_node *cmd)
{
    const char *s = ast_const_str(cmd);
    if (!s && cmd && (cmd->kind == PY_List || cmd->kind == PY_Tuple) && cmd->list.elts.n)
        s = ast_const_str(cmd->list.elts.v[0]);
    if (!s || !*s) return;
    while (*s == ' ') s++;
    if (s[0] == '/' || s[0] == '\\' || (isalpha((unsigned char)s[0]) && s[1] == ':')) return;
    char prog[64];
    size_t i = 0;
    for (; s[i] && s[i] != ' ' && i < sizeof prog - 1; i++) prog[i] = s[i];
    prog[i] = 0;
    rule_report(c, "B607", call, "starting a process with a partial executable path (\"%s\")", prog);
}

static void check_wildcard(rule_ctx *c, const py_node *call, const py_node *cmd)
{
    char text[1024];
    if (!cmd) return;
    if (cmd->kind == PY_List || cmd->kind == PY_Tuple) return; /* no shell expands it */
    interp_text(c, cmd, text, sizeof text);
    if (!strchr(text, '*')) return;
    static const char *const cmds[] = {"chown", "chmod", "tar", "rsync"};
    for (size_t i = 0; i < 4; i++) {
        const char *p = strstr(text, cmds[i]);
        size_t n = strlen(cmds[i]);
        if (p && (p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n])) {
            rule_report(c, "B609", call, "%s with a wildcard in a shell command", cmds[i]);
            return;
        }
    }
}

/* A shell started with a constant command: Bandit's low severity, and no
 * data reaches the shell, so a place to look rather than an injection. */
static void shell_constant(finding *fd)
{
    if (!fd) return;
    fd->severity = SEV_LOW;
    fd->tier = TIER_REVIEW;
    fd->tier_why = "a constant command: no data reaches the shell";
}

static void check_process(rule_ctx *c, const py_node *call, const char *q)
{
    int kind = proc_kind(c, q);
    if (kind == P_NONE) {
        /* Bandit also counts shell=<name>; for other functions that is
         * usually an object called shell (IPython), so only True counts */
        const py_node *sv = ast_call_kw(call, "shell");
        if (sv && sv->kind == PY_Constant && has_shell(call)) rule_report(c, "B604", call, "call to %s with shell=True", q ? q : ast_call_method(call) ? ast_call_method(call) : "a function");
        return;
    }
    const py_node *cmd = local_value(c, command_arg(call, kind)); /* cmd = "ls -l"; run(cmd) */
    int constant = cmd && is_literal(c, cmd);
    if (kind == P_SUBPROCESS) {
        if (has_shell(call)) {
            finding *fd = rule_report(c, "B602", call, "%s with shell=True and %s command", q,
                                      constant ? "a constant" : "a non-constant");
            if (constant) shell_constant(fd);
            check_wildcard(c, call, cmd);
        } else {
            rule_report(c, "B603", call, "%s without a shell: check the program and arguments", q);
        }
    } else if (kind == P_SHELL) {
        finding *fd = rule_report(c, "B605", call, "%s starts a shell with %s command", q,
                                  constant ? "a constant" : "a non-constant");
        if (constant) shell_constant(fd);
        check_wildcard(c, call, cmd);
    } else {
        rule_report(c, "B606", call, "%s starts a process without a shell", q);
    }
    check_partial_path(c, call, cmd);
}

/* --- B608 ------------------------------------------------------------------ */

static const char *skip_ws(const char *p)
{
    while (*p && (isspace((unsigned char)*p) || *p == '(')) p++;
    return p;
}

static int word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return strncmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

static const char *find_word(const char *p, const char *w)
{
    for (; *p; p++)
        if (!isalnum((unsigned char)p[-1]) && word_at(p, w)) return p;
    return NULL;
}

/* Is `text` (lower-cased) the start of an SQL statement? */
static int sql_statement(const char *text)
{
    const char *p = skip_ws(text);
    if (word_at(p, "select")) {
        const char *f = find_word(p + 6, "from");
        return f && f > p + 7;
    }
    if (word_at(p, "insert") || word_at(p, "replace")) return find_word(p + 6, "into") != NULL;
    if (word_at(p, "update")) {
        const char *s = find_word(p + 6, "set");
        return s && s > p + 7;
    }
    if (word_at(p, "delete")) return word_at(skip_ws(p + 6), "from");
    if (word_at(p, "where")) return strchr(p, '?') != NULL;
    static const char *const ddl[] = {"create", "drop", "alter", "truncate"};
    static const char *const objs[] = {"table", "index", "view", "database", "schema", "trigger",
                                       "sequence", "temp", "temporary", "unique", "or", "if"};
    for (size_t i = 0; i < 4; i++)
        if (word_at(p, ddl[i])) {
            const char *q = skip_ws(p + strlen(ddl[i]));
            for (size_t k = 0; k < sizeof objs / sizeof *objs; k++)
                if (word_at(q, objs[k])) return 1;
        }
    return 0;
}

static int has_placeholder(const py_node *n, int depth)
{
    if (!n || depth > 16) return 0;
    const char *s = ast_const_str(n);
    if (s) return strcmp(s, "?") == 0 || strcmp(s, "%s") == 0 || (s[0] == ':' && s[1]) ||
                  strcmp(s, "?,") == 0 || strcmp(s, "%s,") == 0 || strcmp(s, ", ?") == 0 ||
                  strcmp(s, ", %s") == 0 || strcmp(s, ",?") == 0 || strcmp(s, ",%s") == 0;
    int found = 0;
    switch (n->kind) {
    case PY_Call:
        found |= has_placeholder(n->call.func, depth + 1);
        for (int i = 0; i < n->call.args.n; i++) found |= has_placeholder(n->call.args.v[i], depth + 1);
        break;
    case PY_Attribute: found |= has_placeholder(n->attribute.value, depth + 1); break;
    case PY_BinOp: found |= has_placeholder(n->binop.left, depth + 1) | has_placeholder(n->binop.right, depth + 1); break;
    case PY_List: case PY_Tuple:
        for (int i = 0; i < n->list.elts.n; i++) found |= has_placeholder(n->list.elts.v[i], depth + 1);
        break;
    case PY_ListComp: case PY_GeneratorExp: found |= has_placeholder(n->listcomp.elt, depth + 1); break;
    case PY_JoinedStr:
        for (int i = 0; i < n->joinedstr.values.n; i++) found |= has_placeholder(n->joinedstr.values.v[i], depth + 1);
        break;
    default: break;
    }
    return found;
}

static int literal_membership(rule_ctx *c, const py_node *test, const char *id, py_cmpop op)
{
    if (!test || test->kind != PY_Compare || test->compare.comparators.n != 1) return 0;
    const py_node *l = test->compare.left;
    if (l->kind != PY_Name || l->name.id != id || test->compare.ops[0] != op) return 0;
    return is_literal(c, test->compare.comparators.v[0]);
}

static int exits(const py_list *body)
{
    if (body->n < 1) return 0;
    int k = body->v[body->n - 1]->kind;
    return k == PY_Raise || k == PY_Return || k == PY_Continue || k == PY_Break;
}

/* The guards of a block, once: `if x not in ALLOWED: raise` (or return,
 * continue, break) and `assert x in ALLOWED`, as (x, statement index). */
static void index_guards(rule_ctx *c, block_index *bi)
{
    size_t n = 0;
    bi->guards = arena_alloc_n(c->a, bi->n ? (size_t)bi->n : 1, sizeof *bi->guards);
    for (int i = 0; i < bi->n; i++) {
        const py_node *s = bi->block->v[i], *test = NULL;
        if (s->kind == PY_If && exits(&s->if_.body)) test = s->if_.test;
        else if (s->kind == PY_Assert) test = s->assert.test;
        if (!test || test->kind != PY_Compare || test->compare.left->kind != PY_Name) continue;
        const char *x = test->compare.left->name.id;
        if (literal_membership(c, test, x, s->kind == PY_If ? PY_NotIn : PY_In))
            bi->guards[n++] = (block_assign){x, i, s};
    }
    block_sort(bi->guards, n);
    bi->nguards = n;
    bi->guards_built = 1;
    if (c->work) *c->work += (size_t)bi->n;
}

/* Is Name `e` an identifier from a constant allow-list? */
static int allowlisted(rule_ctx *c, const py_node *e)
{
    const char *id = e->name.id;
    for (const py_node *child = e, *p = e->parent; p; child = p, p = p->parent) {
        if ((p->kind == PY_For || p->kind == PY_AsyncFor) && p->for_.target->kind == PY_Name &&
            p->for_.target->name.id == id && is_literal(c, p->for_.iter))
            return 1;
        if (p->kind == PY_comprehension && p->comprehension.target->kind == PY_Name &&
            p->comprehension.target->name.id == id && is_literal(c, p->comprehension.iter))
            return 1;
        if (p->kind == PY_If && PY_IS_STMT(child->kind) && literal_membership(c, p->if_.test, id, PY_In)) return 1;
        /* an earlier `if x not in ALLOWED: raise` or `assert x in ALLOWED` in the same block */
        if (PY_IS_STMT(child->kind) && p->kind != PY_Module) {
            const py_list *blocks[4] = {0};
            switch (p->kind) {
            case PY_FunctionDef: case PY_AsyncFunctionDef: blocks[0] = &p->functiondef.body; break;
            case PY_If: blocks[0] = &p->if_.body, blocks[1] = &p->if_.orelse; break;
            case PY_For: case PY_AsyncFor: blocks[0] = &p->for_.body; break;
            case PY_While: blocks[0] = &p->while_.body; break;
            case PY_With: case PY_AsyncWith: blocks[0] = &p->with.body; break;
            case PY_Try: case PY_TryStar: blocks[0] = &p->try_.body; break;
            default: break;
            }
            for (int b = 0; b < 4 && blocks[b]; b++) {
                block_index *bi = block_index_of(c, blocks[b]);
                if (!bi->guards_built) index_guards(c, bi);
                if (block_has_before(bi->guards, bi->nguards, id, block_stmt_at(c, blocks[b], child)))
                    return 1;
            }
        }
        if (p->kind == PY_FunctionDef || p->kind == PY_AsyncFunctionDef || p->kind == PY_Lambda) break;
    }
    return 0;
}

static int safe_call(const py_node *e)
{
    if (!e || e->kind != PY_Call) return 0;
    static const char *const numeric[] = {"int", "float", "len", "bool", "round", "abs", NULL};
    const char *m = ast_call_method(e);
    if (e->call.func->kind == PY_Name && str_in(m, numeric)) return 1;
    return m && (strstr(m, "quote") || strstr(m, "escape") || strstr(m, "Identifier"));
}

static int safe_part(rule_ctx *c, const py_node *e)
{
    if (!e || is_literal(c, e) || has_placeholder(e, 0)) return 1;
    if (e->kind == PY_Name) {
        const py_node *v = local_value(c, e);
        return allowlisted(c, e) || (v != e && (safe_call(v) || is_literal(c, v)));
    }
    return safe_call(e);
}

static int all_parts_safe(rule_ctx *c, const py_node *n, int depth)
{
    if (!n || depth > 64) return 1;
    if (ast_const_str(n)) return 1;
    switch (n->kind) {
    case PY_JoinedStr:
        for (int i = 0; i < n->joinedstr.values.n; i++) {
            const py_node *v = n->joinedstr.values.v[i];
            if (v->kind == PY_FormattedValue && !safe_part(c, v->formattedvalue.value)) return 0;
        }
        return 1;
    case PY_BinOp:
        if (n->binop.op == PY_Add)
            return all_parts_safe(c, n->binop.left, depth + 1) && all_parts_safe(c, n->binop.right, depth + 1);
        if (n->binop.op == PY_Mod) {
            const py_node *r = n->binop.right;
            if (r->kind == PY_Tuple) {
                for (int i = 0; i < r->list.elts.n; i++)
                    if (!safe_part(c, r->list.elts.v[i])) return 0;
                return 1;
            }
            if (r->kind == PY_Dict) {
                for (int i = 0; i < r->dict.values.n; i++)
                    if (!safe_part(c, r->dict.values.v[i])) return 0;
                return 1;
            }
            return safe_part(c, r);
        }
        return safe_part(c, n);
    case PY_Call:
        if (is_interpolation(n)) {
            for (int i = 0; i < n->call.args.n; i++)
                if (!safe_part(c, n->call.args.v[i])) return 0;
            for (int i = 0; i < n->call.keywords.n; i++)
                if (!safe_part(c, n->call.keywords.v[i]->keyword.value)) return 0;
            return 1;
        }
        return safe_part(c, n);
    default:
        return safe_part(c, n);
    }
}

static const char *const log_methods[] = {
    "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log",
    "print", "write", "echo", "secho", "fail", "skip", "notice", NULL,
};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Is the string a message: logged, printed, raised, asserted? */
static int in_message(const py_node *n)
{
    for (const py_node *p = n->parent; p && !PY_IS_STMT(p->kind); p = p->parent) {
        if (p->kind == PY_Call) {
            const char *m = ast_call_method(p);
            if (m && (str_in(m, log_methods) || ends_with(m, "Error") || ends_with(m, "Exception") ||
                      ends_with(m, "Warning") || strcmp(m, "warn") == 0 || strcmp(m, "_") == 0 ||
                      strcmp(m, "gettext") == 0))
                return 1;
        }
    }
    const py_node *s = n;
    while (s && !PY_IS_STMT(s->kind)) s = s->parent;
    return s && (s->kind == PY_Raise || s->kind == PY_Assert);
}

static const char *const sql_sinks[] = {
    "execute", "executemany", "executescript", "raw", "mogrify", "read_sql", "read_sql_query",
    "exec_driver_sql", "text", "RawSQL", NULL,
};

static int sink_call(rule_ctx *c, const py_node *call)
{
    const char *m = ast_call_method(call);
    if (!m || !str_in(m, sql_sinks)) return 0;
    if (strcmp(m, "text") == 0 || strcmp(m, "RawSQL") == 0) {
        const char *q = call_qual(c, call);
        return q && (str_has_prefix(q, "sqlalchemy") || str_has_prefix(q, "django"));
    }
    return 1;
}

struct sink_scope {
    const py_node *scope;
    size_t start, count;
};

typedef struct sink_walk {
    rule_ctx *c;
    const py_node *root;
} sink_walk;

static int collect_sink_ids(py_node *n, void *ud)
{
    sink_walk *w = ud;
    rule_ctx *c = w->c;
    if (n != w->root && (n->kind == PY_FunctionDef || n->kind == PY_AsyncFunctionDef || n->kind == PY_Lambda))
        return AST_SKIP; /* its own scope, collected when asked */
    if (n->kind != PY_Call || !sink_call(c, n)) return AST_CONTINUE;
    const py_node *a = ast_call_arg(n, 0, NULL);
    if (a && a->kind == PY_Call && sink_call(c, a)) a = ast_call_arg(a, 0, NULL); /* execute(text(q)) */
    if (a && a->kind == PY_Name) {
        if (c->nsink_ids == c->capsink_ids) {
            size_t nc = c->capsink_ids ? c->capsink_ids * 2 : 16;
            const char **v = arena_alloc_n(c->a, nc, sizeof *v);
            if (c->nsink_ids) memcpy(v, c->sink_ids, c->nsink_ids * sizeof *v);
            c->sink_ids = v, c->capsink_ids = nc;
        }
        c->sink_ids[c->nsink_ids++] = a->name.id;
    }
    return AST_CONTINUE;
}

/* Does the built string reach an SQL sink: directly, or through a name
 * assigned here and passed to a sink in the same function? */
static int reaches_sink(rule_ctx *c, const py_node *e)
{
    const py_node *p = e->parent;
    while (p && p->kind == PY_Call && !sink_call(c, p) && is_interpolation(p)) p = p->parent;
    if (p && p->kind == PY_Call && sink_call(c, p)) return 1;
    if (p && p->kind == PY_Call && p->parent && p->parent->kind == PY_Call && sink_call(c, p->parent)) return 1;
    const char *id = NULL;
    if (p && p->kind == PY_Assign && p->assign.targets.n == 1 && p->assign.targets.v[0]->kind == PY_Name)
        id = p->assign.targets.v[0]->name.id;
    else if (p && p->kind == PY_AnnAssign && p->annassign.target->kind == PY_Name)
        id = p->annassign.target->name.id;
    else if (p && p->kind == PY_AugAssign && p->augassign.target->kind == PY_Name)
        id = p->augassign.target->name.id;
    if (!id) return 0;
    const py_node *scope = resolve_function_of(e);
    if (!scope) scope = c->mod->node;
    /* each scope is walked once per file: scope -> its sink argument names */
    if ((c->sink_map_n + 1) * 2 > c->sink_map_cap) {
        size_t nc = c->sink_map_cap ? c->sink_map_cap * 2 : 64;
        struct sink_scope *m = arena_alloc_n(c->a, nc, sizeof *m);
        for (size_t i = 0; i < c->sink_map_cap; i++)
            if (c->sink_map[i].scope) {
                size_t j = ((uintptr_t)c->sink_map[i].scope >> 4) & (nc - 1);
                while (m[j].scope) j = (j + 1) & (nc - 1);
                m[j] = c->sink_map[i];
            }
        c->sink_map = m, c->sink_map_cap = nc;
    }
    size_t j = ((uintptr_t)scope >> 4) & (c->sink_map_cap - 1);
    while (c->sink_map[j].scope && c->sink_map[j].scope != scope) j = (j + 1) & (c->sink_map_cap - 1);
    if (!c->sink_map[j].scope) {
        size_t start = c->nsink_ids;
        sink_walk w = {c, scope};
        ast_walk((py_node *)scope, collect_sink_ids, &w);
        c->sink_map[j] = (struct sink_scope){scope, start, c->nsink_ids - start};
        c->sink_map_n++;
    }
    for (size_t i = 0; i < c->sink_map[j].count; i++)
        if (c->sink_ids[c->sink_map[j].start + i] == id) return 1;
    return 0;
}

static void check_sql(rule_ctx *c, const py_node *n)
{
    /* check a + / % chain once, at its top */
    if (n->parent && n->parent->kind == PY_BinOp && (n->parent->binop.op == PY_Add || n->parent->binop.op == PY_Mod) &&
        n->parent->binop.left == n)
        return;
    if (n->parent && n->parent->kind == PY_BinOp && n->parent->binop.op == PY_Add) return;
    if (!is_interpolation(n)) return;
    char text[2048];
    if (!interp_text(c, n, text, sizeof text)) return; /* every part constant */
    for (char *p = text; *p; p++) *p = (char)tolower((unsigned char)*p);
    if (!sql_statement(text)) return;
    if (in_message(n) || all_parts_safe(c, n, 0)) return;
    int high = reaches_sink(c, n);
    finding *fd = rule_report(c, "B608", n, "SQL statement built from non-constant parts%s",
                              high ? " and executed" : "");
    fd->confidence = high ? CONF_HIGH : CONF_LOW;
}

/* --- B613 ------------------------------------------------------------------ */

void injection_file(rule_ctx *c)
{
    const unsigned char *d = c->f->data;
    size_t n = c->f->len;
    int last_line = 0;
    for (size_t i = 0; i + 2 < n; i++) {
        /* every mark starts with 0xE2 or 0xD8: skip ASCII eight bytes at a time */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, d + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i + 2 >= n) break;
        int bidi = 0;
        if (d[i] == 0xE2 && d[i + 1] == 0x80 && ((d[i + 2] >= 0xAA && d[i + 2] <= 0xAE) || d[i + 2] == 0x8E || d[i + 2] == 0x8F))
            bidi = 1;
        else if (d[i] == 0xE2 && d[i + 1] == 0x81 && d[i + 2] >= 0xA6 && d[i + 2] <= 0xA9)
            bidi = 1;
        else if (d[i] == 0xD8 && d[i + 1] == 0x9C)
            bidi = 1;
        if (!bidi) continue;
        size_t ls;
        int line = file_line_of(c->f, i, &ls);
        if (line == last_line) continue;
        last_line = line;
        uint32_t cp;
        size_t len = utf8_decode(d + i, n - i, &cp);
        out_add_span(c->out, c->f, "B613", i, i + len,
                     "bidirectional control character U+%04X in source", (unsigned)cp);
    }
}

void injection_visit(rule_ctx *c, py_node *n)
{
    switch (n->kind) {
    case PY_Call:
        if (c->bandit) {
            bandit_shell_visit(c, n); /* Bandit's B602-B607, B609 */
            break;
        }
        check_process(c, n, call_qual(c, n));
        if (is_interpolation(n)) check_sql(c, n);
        break;
    case PY_JoinedStr: case PY_BinOp:
        if (!c->bandit) check_sql(c, n);
        break;
    case PY_Constant:
        if (c->bandit) bandit_sql_visit(c, n); /* Bandit's B608 */
        break;
    default:
        break;
    }
}

int interp_parts_safe(rule_ctx *c, const py_node *n)
{
    return all_parts_safe(c, n, 0);
}
