/* bandit.c - Bandit's own semantics for the checks where ours differ, used
 * by `--profile bandit` (rule_ctx.bandit).
 *
 * The default profile refines Bandit's checks (B101 leaves tests alone,
 * B105-B107 ask for a value that looks like a secret, B103 lets 0o755
 * be, ...).  A user who asks for Bandit's profile wants Bandit's answer:
 * the same finding at the same line with Bandit's id, severity and
 * confidence, and Bandit's configuration (bandit_cfg).  Each function here
 * is the contract of one Bandit plugin of the current release, written
 * from its documented behaviour and measured by bench/bandit_diff.py; the
 * families call into here instead of their own check when c->bandit is set.
 * What stays different on purpose (alias resolution, files Bandit cannot
 * parse) is listed in docs/bandit.md.
 */
#include "meta.h"
#include "rules.h"

#include "../fmt/toml.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* --- configuration ----------------------------------------------------------- */

static void str_array(str_list *out, const toml_value *t, const char *table, const char *key)
{
    const toml_value *tb = t ? toml_get(t, table) : NULL;
    const toml_value *a = tb && tb->type == TOML_TABLE ? toml_get(tb, key) : NULL;
    if (!a || a->type != TOML_ARRAY) return;
    for (size_t i = 0; i < a->u.array.n; i++)
        if (a->u.array.items[i]->type == TOML_STRING) str_list_add(out, a->u.array.items[i]->u.str.s);
}

static int bool_of(const toml_value *t, const char *table, const char *key)
{
    const toml_value *tb = t ? toml_get(t, table) : NULL;
    return tb && tb->type == TOML_TABLE ? toml_get_bool(tb, key, 0) : 0;
}

void bandit_cfg_load(bandit_cfg *b, const void *config_root)
{
    memset(b, 0, sizeof *b);
    const toml_value *root = config_root;
    const toml_value *t = root && root->type == TOML_TABLE ? toml_get(root, "bandit") : NULL;
    if (t && t->type != TOML_TABLE) t = NULL;
    str_array(&b->assert_skips, t, "assert_used", "skips");
    str_array(&b->tmp_dirs, t, "hardcoded_tmp_directory", "tmp_dirs");
    const toml_value *tb = t ? toml_get(t, "hardcoded_tmp_directory") : NULL;
    b->has_tmp_dirs = tb && tb->type == TOML_TABLE && toml_get(tb, "tmp_dirs");
    b->typed_pass = bool_of(t, "try_except_pass", "check_typed_exception");
    b->typed_continue = bool_of(t, "try_except_continue", "check_typed_exception");
}

void bandit_cfg_free(bandit_cfg *b)
{
    str_list_free(&b->assert_skips);
    str_list_free(&b->tmp_dirs);
}

/* Python's fnmatch.fnmatch on a POSIX path: '*' and '?' also match '/';
 * [...] and [!...] are sets. */
static int fnm(const char *p, const char *s, int depth)
{
    if (depth > 64) return 0;
    for (; *p; p++, s++) {
        if (*p == '*') {
            while (p[1] == '*') p++;
            for (const char *t = s;; t++) {
                if (fnm(p + 1, t, depth + 1)) return 1;
                if (!*t) return 0;
            }
        }
        if (!*s) return 0;
        if (*p == '?') continue;
        if (*p == '[') {
            const char *q = p + 1;
            int neg = *q == '!';
            if (neg) q++;
            const char *set = q;
            if (*q == ']') q++;
            while (*q && *q != ']') q++;
            if (*q == ']') {
                int in = 0;
                for (const char *r = set; r < q; r++) {
                    if (r + 2 < q && r[1] == '-') {
                        if ((unsigned char)*s >= (unsigned char)r[0] && (unsigned char)*s <= (unsigned char)r[2]) in = 1;
                        r += 2;
                    } else if (*r == *s) {
                        in = 1;
                    }
                }
                if (in == neg) return 0;
                p = q;
                continue;
            }
        }
        if (*p != *s) return 0;
    }
    return *s == 0;
}

/* Bandit matches its own file name, which is the path as walked
 * ("./pkg/x.py" under `bandit -r .`): both spellings are tried. */
static int path_skipped(rule_ctx *c, const str_list *globs)
{
    if (!globs || !globs->n || !c->f->path) return 0;
    char dotted[4096];
    snprintf(dotted, sizeof dotted, "./%s", c->f->path);
    for (size_t i = 0; i < globs->n; i++)
        if (fnm(globs->v[i], c->f->path, 0) || fnm(globs->v[i], dotted, 0)) return 1;
    return 0;
}

static finding *report(rule_ctx *c, const char *id, const py_node *at, severity s, confidence k,
                       const char *msg)
{
    finding *fd = rule_report(c, id, at, "%s", msg);
    if (fd) fd->severity = s, fd->confidence = k;
    return fd;
}

/* A string Constant that Bandit's Str checks see: not the direct child of
 * an expression statement (Bandit skips those as docstrings). */
static int bandit_str(const py_node *n)
{
    return n && n->kind == PY_Constant && n->constant.value == PY_CONST_STR &&
           !(n->parent && n->parent->kind == PY_Expr);
}

static int is_str(const py_node *n) { return n && n->kind == PY_Constant && n->constant.value == PY_CONST_STR; }

/* --- B105-B107: Bandit's candidate names ------------------------------------
 * The regex (^W$|_W_|^W_|_W$), W = (pas+wo?r?d|pass(phrase)?|pwd|token|
 * secrete?), case-insensitive, searched anywhere: a W bounded by the
 * string's ends or by '_' on both sides. */

static int ci_at(const char *s, const char *w)
{
    for (; *w; s++, w++)
        if (tolower((unsigned char)*s) != *w) return 0;
    return 1;
}

static int bounded(const char *s, size_t end) { return s[end] == 0 || s[end] == '_'; }

static int word_at(const char *s)
{
    static const char *const fixed[] = {"passphrase", "pass", "pwd", "token", "secrete", "secret", NULL};
    for (const char *const *w = fixed; *w; w++)
        if (ci_at(s, *w) && bounded(s, strlen(*w))) return 1;
    /* pas+wo?r?d */
    if (!ci_at(s, "pa")) return 0;
    size_t i = 2;
    if (tolower((unsigned char)s[i]) != 's') return 0;
    while (tolower((unsigned char)s[i]) == 's') i++;
    if (tolower((unsigned char)s[i]) != 'w') return 0;
    i++;
    for (int o = 0; o < 2; o++)
        for (int r = 0; r < 2; r++) {
            size_t j = i;
            if (o) {
                if (tolower((unsigned char)s[j]) != 'o') continue;
                j++;
            }
            if (r) {
                if (tolower((unsigned char)s[j]) != 'r') continue;
                j++;
            }
            if (tolower((unsigned char)s[j]) == 'd' && bounded(s, j + 1)) return 1;
        }
    return 0;
}

int bandit_candidate(const char *id)
{
    if (!id) return 0;
    for (const char *p = id; *p; p++)
        if ((p == id || p[-1] == '_') && word_at(p)) return 1;
    return 0;
}

static void b105(rule_ctx *c, const py_node *n)
{
    const py_node *p = n->parent;
    const char *msg = "Possible hardcoded password";
    if (!p) return;
    if (p->kind == PY_Assign) {
        if (p->assign.value != n) return;
        for (int i = 0; i < p->assign.targets.n; i++) {
            const py_node *t = p->assign.targets.v[i];
            if ((t->kind == PY_Name && bandit_candidate(t->name.id)) ||
                (t->kind == PY_Attribute && bandit_candidate(t->attribute.attr))) {
                rule_mask_const(c, report(c, "B105", n, SEV_LOW, CONF_MEDIUM, msg), n);
                return;
            }
        }
    } else if (p->kind == PY_Dict) {
        for (int i = 0; i < p->dict.keys.n; i++)
            if (p->dict.keys.v[i] == n) {
                const py_node *v = p->dict.values.v[i];
                if (bandit_candidate(n->constant.s) && v->kind == PY_Constant)
                    rule_mask_const(c, report(c, "B105", n, SEV_LOW, CONF_MEDIUM, msg), v);
                return;
            }
    } else if (p->kind == PY_Subscript) {
        const py_node *a = p->parent;
        if (p->subscript.slice == n && bandit_candidate(n->constant.s) && a && a->kind == PY_Assign &&
            is_str(a->assign.value))
            rule_mask_const(c, report(c, "B105", n, SEV_LOW, CONF_MEDIUM, msg), a->assign.value);
    } else if (p->kind == PY_Compare) {
        const py_node *l = p->compare.left, *r = p->compare.comparators.n ? p->compare.comparators.v[0] : NULL;
        const char *id = l->kind == PY_Name ? l->name.id : l->kind == PY_Attribute ? l->attribute.attr : NULL;
        if (id && bandit_candidate(id) && is_str(r))
            rule_mask_const(c, report(c, "B105", n, SEV_LOW, CONF_MEDIUM, msg), r);
    }
}

static void b106(rule_ctx *c, const py_node *call)
{
    for (int i = 0; i < call->call.keywords.n; i++) {
        const py_node *k = call->call.keywords.v[i];
        if (is_str(k->keyword.value) && k->keyword.arg && bandit_candidate(k->keyword.arg)) {
            rule_mask_const(c, report(c, "B106", k->keyword.value, SEV_LOW, CONF_MEDIUM,
                                      "Possible hardcoded password"), k->keyword.value);
            return; /* Bandit reports the first one a call */
        }
    }
}

/* Bandit pairs the defaults with the last plain parameters (args, not
 * positional-only nor keyword-only) and reports the first match, at the
 * def's line; async functions are not looked at. */
static void b107(rule_ctx *c, const py_node *fn)
{
    const py_node *a = fn->functiondef.args;
    if (!a || fn->kind != PY_FunctionDef) return;
    int na = a->arguments.args.n, nd = a->arguments.defaults.n;
    int pad = na - nd > 0 ? na - nd : 0;
    for (int i = pad; i < na && i - pad < nd; i++) {
        const py_node *v = a->arguments.defaults.v[i - pad];
        if (is_str(v) && bandit_candidate(a->arguments.args.v[i]->arg.arg)) {
            py_node at; /* the def's line, as Bandit's FunctionDef context */
            ast_node_copy(&at, fn);
            at.end_lineno = at.lineno, at.end_col_offset = at.col_offset + 3;
            rule_mask_const(c, report(c, "B107", &at, SEV_LOW, CONF_MEDIUM, "Possible hardcoded password"), v);
            return;
        }
    }
}

/* --- B103 ------------------------------------------------------------------ */

static void b103(rule_ctx *c, const py_node *call, const char *q)
{
    const char *last = q ? strrchr(q, '.') : NULL;
    last = last ? last + 1 : q;
    if (!last || !strstr(last, "chmod") || call->call.args.n != 2) return;
    const py_node *m = call->call.args.v[1];
    if (m->kind != PY_Constant || m->constant.value != PY_CONST_INT || !m->constant.ival_ok) return;
    long long mode = m->constant.ival;
    if (!(mode & 033)) return; /* S_IWOTH, S_IWGRP, S_IXGRP, S_IXOTH */
    char msg[96];
    snprintf(msg, sizeof msg, "Chmod setting a permissive mask 0o%llo on file", mode);
    report(c, "B103", call, (mode & 02) ? SEV_HIGH : SEV_MEDIUM, CONF_HIGH, msg);
}

/* --- B104, B108 ------------------------------------------------------------ */

static void str_checks(rule_ctx *c, const py_node *n)
{
    const char *s = n->constant.s;
    if (strcmp(s, "0.0.0.0") == 0)
        report(c, "B104", n, SEV_MEDIUM, CONF_MEDIUM, "Possible binding to all interfaces.");
    /* a Bandit config file's tmp_dirs (-c bandit.yaml, .bandit) or [bandit] of ours */
    const vg_opts *o = c->out->opts;
    const str_list *tmp = o && o->bandit_tmp_dirs.n ? &o->bandit_tmp_dirs
                          : c->bcfg && c->bcfg->has_tmp_dirs ? &c->bcfg->tmp_dirs : NULL;
    static const char *const dflt[] = {"/tmp", "/var/tmp", "/dev/shm"};
    size_t nt = tmp ? tmp->n : 3;
    for (size_t i = 0; i < nt; i++) {
        const char *d = tmp ? tmp->v[i] : dflt[i];
        if (!*d) continue; /* "" marks a configured list (opts.h) */
        if (strncmp(s, d, strlen(d)) == 0) {
            report(c, "B108", n, SEV_MEDIUM, CONF_MEDIUM, "Probable insecure usage of temp file/directory.");
            break;
        }
    }
}

/* --- B110, B112 ------------------------------------------------------------ */

static void handler(rule_ctx *c, const py_node *h)
{
    if (h->excepthandler.body.n != 1) return;
    const py_node *t = h->excepthandler.type;
    int k = h->excepthandler.body.v[0]->kind;
    int typed = c->bcfg && (k == PY_Pass ? c->bcfg->typed_pass : c->bcfg->typed_continue);
    if (t && !typed && !(t->kind == PY_Name && strcmp(t->name.id, "Exception") == 0)) return;
    if (k == PY_Pass) report(c, "B110", h, SEV_LOW, CONF_HIGH, "Try, Except, Pass detected.");
    else if (k == PY_Continue) report(c, "B112", h, SEV_LOW, CONF_HIGH, "Try, Except, Continue detected.");
}

void bandit_general_visit(rule_ctx *c, py_node *n)
{
    switch (n->kind) {
    case PY_Assert:
        if (!path_skipped(c, c->bcfg ? &c->bcfg->assert_skips : NULL))
            report(c, "B101", n, SEV_LOW, CONF_HIGH,
                   "Use of assert detected. The enclosed code will be removed when compiling to "
                   "optimised byte code.");
        break;
    case PY_ExceptHandler:
        handler(c, n);
        break;
    case PY_Call: {
        const char *q = call_qual(c, n);
        if (q) b103(c, n, q);
        b106(c, n);
        break;
    }
    case PY_FunctionDef:
        b107(c, n);
        break;
    case PY_Constant:
        if (bandit_str(n)) {
            b105(c, n);
            str_checks(c, n);
        }
        break;
    default:
        break;
    }
}

/* --- B602-B607, B609: Bandit's shell_injection lists ------------------------- */

static const char *const sh_subprocess[] = {"subprocess.Popen", "subprocess.call", "subprocess.check_call",
                                            "subprocess.check_output", "subprocess.run", NULL};
static const char *const sh_shell[] = {
    "os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "popen2.popen2", "popen2.popen3",
    "popen2.popen4", "popen2.Popen3", "popen2.Popen4", "commands.getoutput", "commands.getstatusoutput",
    "subprocess.getoutput", "subprocess.getstatusoutput", NULL};
static const char *const sh_noshell[] = {
    "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve", "os.execvp", "os.execvpe",
    "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp",
    "os.spawnvpe", "os.startfile", NULL};

/* Bandit's has_shell: the last shell= keyword's truth as Bandit reads it
 * (a name is true unless it is False/None, a string by its emptiness). */
static const py_node *shell_kw(const py_node *call)
{
    const py_node *v = NULL;
    for (int i = 0; i < call->call.keywords.n; i++) {
        const py_node *k = call->call.keywords.v[i];
        if (k->keyword.arg && strcmp(k->keyword.arg, "shell") == 0) v = k->keyword.value;
    }
    return v;
}

static int has_shell(const py_node *call)
{
    const py_node *v = shell_kw(call);
    if (!v) return 0;
    switch (v->kind) {
    case PY_Constant:
        switch (v->constant.value) {
        case PY_CONST_NONE: case PY_CONST_FALSE: return 0;
        case PY_CONST_TRUE: case PY_CONST_ELLIPSIS: return 1;
        case PY_CONST_STR: case PY_CONST_BYTES: return v->constant.len > 0;
        case PY_CONST_INT: case PY_CONST_FLOAT: case PY_CONST_COMPLEX: {
            for (const char *p = v->constant.s; p && *p; p++)
                if (*p >= '1' && *p <= '9') return 1;
            return 0;
        }
        }
        return 1;
    case PY_List: return v->list.elts.n > 0;
    case PY_Dict: return v->dict.keys.n > 0;
    case PY_Name: return strcmp(v->name.id, "False") != 0 && strcmp(v->name.id, "None") != 0;
    default: return 1;
    }
}

/* A finding at the shell= value's line when there is one (Bandit's
 * get_lineno_for_call_arg), else at the call. */
static finding *at_shell(rule_ctx *c, const char *id, const py_node *call, severity s, confidence k, const char *msg)
{
    const py_node *v = shell_kw(call);
    if (!v) return report(c, id, call, s, k, msg);
    py_node at;
    ast_node_copy(&at, call);
    at.lineno = v->lineno;
    if (at.end_lineno < at.lineno) at.end_lineno = at.lineno;
    return report(c, id, &at, s, k, msg);
}

static int first_str(const py_node *call) { return call->call.args.n && is_str(call->call.args.v[0]); }

static void wildcard(rule_ctx *c, const py_node *call, const char *q, int shell_list)
{
    const py_node *v = shell_kw(call);
    if (!shell_list && !(v && v->kind == PY_Constant && v->constant.value == PY_CONST_TRUE)) return;
    if (!call->call.args.n) return;
    const py_node *a = call->call.args.v[0];
    char text[1024];
    size_t n = 0;
    text[0] = 0;
    if (is_str(a)) {
        snprintf(text, sizeof text, "%s", a->constant.s);
    } else if (a->kind == PY_List) { /* " x" for each element Bandit can read */
        for (int i = 0; i < a->list.elts.n && n < sizeof text - 2; i++) {
            const py_node *e = a->list.elts.v[i];
            const char *s = is_str(e) ? e->constant.s : e->kind == PY_Name ? e->name.id
                          : e->kind == PY_Attribute ? e->attribute.attr : "None";
            int w = snprintf(text + n, sizeof text - n, " %s", s);
            if (w < 0) break;
            n += (size_t)w < sizeof text - n ? (size_t)w : sizeof text - n - 1;
        }
    } else if (a->kind == PY_Attribute) {
        snprintf(text, sizeof text, "%s", a->attribute.attr);
    } else if (a->kind == PY_Name) {
        snprintf(text, sizeof text, "%s", a->name.id);
    }
    if (!text[0] || !strchr(text, '*')) return;
    static const char *const fns[] = {"chown", "chmod", "tar", "rsync"};
    for (size_t i = 0; i < 4; i++)
        if (strstr(text, fns[i])) {
            char msg[160];
            snprintf(msg, sizeof msg, "Possible wildcard injection in call: %s", q);
            at_shell(c, "B609", call, SEV_HIGH, CONF_MEDIUM, msg);
            return;
        }
}

void bandit_shell_visit(rule_ctx *c, py_node *call)
{
    const char *q = call_qual(c, call);
    if (!q) return;
    /* Bandit's shell_injection lists from its config file replace the defaults */
    const vg_opts *o = c->out->opts;
    int sub = o && o->bandit_subprocess.n ? str_list_has(&o->bandit_subprocess, q) : str_in(q, sh_subprocess);
    int sh = o && o->bandit_shell.n ? str_list_has(&o->bandit_shell, q) : str_in(q, sh_shell);
    int nosh = o && o->bandit_no_shell.n ? str_list_has(&o->bandit_no_shell, q) : str_in(q, sh_noshell);
    int shell = has_shell(call);
    if (sub && shell && call->call.args.n) {
        if (first_str(call))
            at_shell(c, "B602", call, SEV_LOW, CONF_HIGH,
                     "subprocess call with shell=True seems safe, but may be changed in the future, "
                     "consider rewriting without shell");
        else
            at_shell(c, "B602", call, SEV_HIGH, CONF_HIGH, "subprocess call with shell=True identified, security issue.");
    }
    if (sub && !shell)
        at_shell(c, "B603", call, SEV_LOW, CONF_HIGH, "subprocess call - check for execution of untrusted input.");
    if (!sub && shell)
        at_shell(c, "B604", call, SEV_MEDIUM, CONF_LOW,
                 "Function call with shell=True parameter identified, possible security issue.");
    if (sh && call->call.args.n) {
        if (first_str(call))
            report(c, "B605", call, SEV_LOW, CONF_HIGH,
                   "Starting a process with a shell: Seems safe, but may be changed in the future, "
                   "consider rewriting without shell");
        else
            report(c, "B605", call, SEV_HIGH, CONF_HIGH,
                   "Starting a process with a shell, possible injection detected, security issue.");
    }
    if (nosh) report(c, "B606", call, SEV_LOW, CONF_MEDIUM, "Starting a process without a shell.");
    if ((sub || sh || nosh) && call->call.args.n) {
        const py_node *a = call->call.args.v[0];
        if (a->kind == PY_List && a->list.elts.n) a = a->list.elts.v[0];
        if (is_str(a)) {
            const char *s = a->constant.s;
            int full = s[0] == '/' || s[0] == '\\' || s[0] == '.' ||
                       (isalpha((unsigned char)s[0]) && s[1] == ':');
            if (!full) report(c, "B607", call, SEV_LOW, CONF_HIGH, "Starting a process with a partial executable path");
        }
    }
    if (sh || sub) wildcard(c, call, q, sh);
}

/* --- B608: Bandit's hardcoded_sql_expressions ------------------------------------
 * Each string literal is judged with the text Bandit pieces together
 * around it (its concat_string, str.format/replace receiver, or the
 * literal parts of its f-string) against Bandit's one regex. */

static int sp(char ch) { return ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == '\x1c' || ch == '\x1d' || ch == '\x1e' || ch == '\x1f'; }

static int kw(const char *s, const char *w) /* case-insensitive prefix */
{
    for (; *w; s++, w++)
        if (tolower((unsigned char)*s) != *w) return 0;
    return 1;
}

/* (select\s.*from\s|delete\s+from\s|insert\s+into\s.*values[\s(]|update\s.*set\s), I|S */
static int sql_re(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (kw(p, "select") && sp(p[6])) {
            for (const char *q = p + 7; *q; q++)
                if (kw(q, "from") && sp(q[4])) return 1;
        }
        if (kw(p, "delete") && sp(p[6])) {
            const char *q = p + 6;
            while (sp(*q)) q++;
            if (kw(q, "from") && sp(q[4])) return 1;
        }
        if (kw(p, "insert") && sp(p[6])) {
            const char *q = p + 6;
            while (sp(*q)) q++;
            if (kw(q, "into") && sp(q[4]))
                for (const char *r = q + 5; *r; r++)
                    if (kw(r, "values") && (sp(r[6]) || r[6] == '(')) return 1;
        }
        if (kw(p, "update") && sp(p[6])) {
            for (const char *q = p + 7; *q; q++)
                if (kw(q, "set") && sp(q[3])) return 1;
        }
    }
    return 0;
}

typedef struct sqlbuf {
    char *s;
    size_t n, cap;
    int any;
} sqlbuf;

static void sb_add(rule_ctx *c, sqlbuf *b, const char *t)
{
    size_t l = strlen(t);
    if (b->n + l + 2 > b->cap) {
        size_t cap = (b->n + l + 2) * 2;
        char *v = arena_alloc(c->a, cap);
        if (b->n) memcpy(v, b->s, b->n);
        b->s = v, b->cap = cap;
    }
    if (b->any) b->s[b->n++] = ' ';
    memcpy(b->s + b->n, t, l);
    b->n += l;
    b->s[b->n] = 0;
    b->any = 1;
}

/* concat_string's _get: the string literals of the BinOp tree under n,
 * left to right, not entering `stop` (the literal's own BinOp). */
static void concat_get(rule_ctx *c, const py_node *n, const py_node *stop, sqlbuf *b, int depth)
{
    if (n == stop || depth > 200) return;
    const py_node *kids[2] = {n->binop.left, n->binop.right};
    for (int i = 0; i < 2; i++) {
        if (kids[i]->kind == PY_BinOp) concat_get(c, kids[i], stop, b, depth + 1);
        else if (is_str(kids[i])) sb_add(c, b, kids[i]->constant.s);
    }
}

static const char *called_name(const py_node *call)
{
    const py_node *f = call->call.func;
    return f->kind == PY_Attribute ? f->attribute.attr : f->kind == PY_Name ? f->name.id : "";
}

static void b608(rule_ctx *c, const py_node *n)
{
    const py_node *p = n->parent, *wrapper = NULL;
    sqlbuf b = {0};
    int replace = 0;
    if (!p) return;
    if (p->kind == PY_BinOp) {
        const py_node *top = p;
        while (top->parent && top->parent->kind == PY_BinOp) top = top->parent;
        sb_add(c, &b, n->constant.s);
        concat_get(c, top, p, &b, 0);
        wrapper = top->parent;
    } else if (p->kind == PY_Attribute && (strcmp(p->attribute.attr, "format") == 0 ||
                                           (replace = strcmp(p->attribute.attr, "replace") == 0))) {
        sb_add(c, &b, n->constant.s);
        wrapper = p->parent ? p->parent->parent : NULL;
    } else if (p->kind == PY_JoinedStr) {
        const py_node *first = NULL;
        for (int i = 0; i < p->joinedstr.values.n && !first; i++)
            if (is_str(p->joinedstr.values.v[i])) first = p->joinedstr.values.v[i];
        if (first != n) return; /* the f-string is judged once, at its first literal part */
        for (int i = 0; i < p->joinedstr.values.n; i++)
            if (is_str(p->joinedstr.values.v[i])) {
                b.any = 0; /* Bandit joins these parts without a separator */
                sb_add(c, &b, p->joinedstr.values.v[i]->constant.s);
            }
        wrapper = p->parent;
    }
    if (!b.s || !sql_re(b.s)) return;
    int exec = wrapper && wrapper->kind == PY_Call &&
               (strcmp(called_name(wrapper), "execute") == 0 || strcmp(called_name(wrapper), "executemany") == 0);
    report(c, "B608", n, SEV_MEDIUM, exec && !replace ? CONF_MEDIUM : CONF_LOW,
           "Possible SQL injection vector through string-based query construction.");
}

void bandit_sql_visit(rule_ctx *c, py_node *n)
{
    if (bandit_str(n)) b608(c, n);
}
