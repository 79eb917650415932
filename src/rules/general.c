/* general.c - Bandit's general checks: B101 assert, B103 chmod, B104 bind
 * all interfaces, B105-B107 hard-coded passwords, B108 /tmp, B110/B112
 * swallowed exceptions.  (B102 exec and B113 timeouts are calls.def rows;
 * their metadata is here.) */
#include "meta.h"
#include "rules.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const rule_meta general_rules[] = {
    RULE("B101", "assert used", L, CH, CWE(703, 0), "A04:2021",
         "assert statements are removed when Python runs with -O, so an assert that guards "
         "security (an access check, input validation) silently disappears in optimised "
         "builds. Unlike Bandit, files that are tests (test_*.py, *_test.py, conftest.py, "
         "tests/ folders) are not reported: asserts are how tests work (--profile bandit "
         "reports them, as Bandit does, unless [bandit.assert_used] skips says otherwise).",
         "Raise an exception (if not ok: raise PermissionError(...)) instead of asserting.",
         BANDIT_PLUGIN("b101_assert_used") " " CWE_URL(703)),
    RULE("B102", "exec used", M, CH, CWE(95, 78, 0), "A03:2021",
         "exec() runs a string as Python code; if any part of it comes from outside the "
         "program this is code injection.",
         "Do not build code at run time; dispatch through a dict of functions or parse data "
         "with json/ast.literal_eval.",
         BANDIT_PLUGIN("b102_exec_used") " " CWE_URL(95)),
    RULE("B103", "permissive file permissions", M, CH, CWE(732, 0), "A01:2021",
         "os.chmod with a mode that makes the file writable by group or others, or "
         "executable by them; high severity when world-writable.",
         "Use the narrowest mode that works, e.g. 0o600 for secrets, 0o644 for shared data.",
         BANDIT_PLUGIN("b103_set_bad_file_permissions") " " CWE_URL(732)),
    RULE("B104", "binding to all interfaces", M, CM, CWE(605, 0), "A05:2021",
         "The string \"0.0.0.0\" (or \"::\") passed as a host/bind address exposes the "
         "service on every network interface.",
         "Bind to 127.0.0.1 by default and make the public address an explicit setting.",
         BANDIT_PLUGIN("b104_hardcoded_bind_all_interfaces") " " CWE_URL(605)),
    RULE("B105", "hard-coded password string", L, CM, CWE(259, 798, 0), "A07:2021",
         "A credential-like name (password, passwd, pwd, secret, token, api_key, ...) "
         "assigned or compared to a literal that looks like a secret. Unlike Bandit, empty "
         "strings, placeholders (changeme, xxx, <your-key>, ${VAR}), environment look-ups, "
         "URLs/paths and ordinary words (\"Bearer\", \"NextToken\") are not reported.",
         "Read the secret from the environment or a secret manager (os.environ[\"DB_PASSWORD\"]).",
         BANDIT_PLUGIN("b105_hardcoded_password_string") " " CWE_URL(259)),
    RULE("B106", "hard-coded password argument", L, CM, CWE(259, 798, 0), "A07:2021",
         "A keyword argument with a credential-like name (password=, token=, secret=, ...) "
         "given a literal that looks like a secret (same filters as B105).",
         "Pass the secret from configuration or the environment, not from a literal.",
         BANDIT_PLUGIN("b106_hardcoded_password_funcarg") " " CWE_URL(259)),
    RULE("B107", "hard-coded password default", L, CM, CWE(259, 798, 0), "A07:2021",
         "A function parameter with a credential-like name whose default value is a literal "
         "that looks like a secret (same filters as B105).",
         "Default to None and load the secret from configuration when it is missing.",
         BANDIT_PLUGIN("b107_hardcoded_password_default") " " CWE_URL(259)),
    RULE("B108", "hard-coded temporary directory", M, CM, CWE(377, 0), "A01:2021",
         "A literal path under /tmp, /var/tmp or /dev/shm: other local users can predict it, "
         "pre-create it or replace it with a symlink.",
         "Use tempfile.mkstemp / tempfile.TemporaryDirectory.",
         BANDIT_PLUGIN("b108_hardcoded_tmp_directory") " " CWE_URL(377)),
    RULE("B110", "try-except-pass", L, CH, CWE(703, 0), "A09:2021",
         "An exception handler whose whole body is `pass` hides failures, including failed "
         "security checks.",
         "Catch the specific exception you expect and log or handle it.",
         BANDIT_PLUGIN("b110_try_except_pass") " " CWE_URL(703)),
    RULE("B112", "try-except-continue", L, CH, CWE(703, 0), "A09:2021",
         "An exception handler in a loop whose whole body is `continue` hides failures.",
         "Catch the specific exception and log it before continuing.",
         BANDIT_PLUGIN("b112_try_except_continue") " " CWE_URL(703)),
    RULE("B113", "request without timeout", M, CL, CWE(400, 0), "A05:2021",
         "requests/httpx calls without a timeout (or with timeout=None) can hang forever on "
         "a slow or malicious server.",
         "Pass timeout=(connect, read) seconds, e.g. timeout=10.",
         BANDIT_PLUGIN("b113_request_without_timeout") " " CWE_URL(400)),
    RULE("VG801", "source encoding that hides code", H, CH, CWE(838, 116, 0), "A08:2021",
         "A PEP 263 coding cookie names a codec whose decoded text can hold code the bytes do "
         "not show: utf-7 spells ASCII in base64 (+AG8AcwAu...-), unicode_escape and "
         "raw_unicode_escape turn \\u006f into 'o', MacArabic decodes its own bytes to ( and ), "
         "Shift_JIS-2004 makes a backslash a yen sign. CPython runs such a file; editors, "
         "reviewers and most tools read the raw bytes. vibeguard decodes the file as CPython "
         "does and analyses the decoded text; a codec it cannot decode is reported as such.",
         "Save the file as UTF-8 and remove the coding line.",
         "https://peps.python.org/pep-0263/ " CWE_URL(838)),
};

void rules_general_register(void)
{
    rules_register_table(general_rules, sizeof general_rules / sizeof *general_rules);
}

/* --- B101, B110, B112 ---------------------------------------------------------- */

static void check_handler(rule_ctx *c, const py_node *h)
{
    if (h->excepthandler.body.n != 1) return;
    const py_node *t = h->excepthandler.type;
    /* Bandit's default: only bare `except:` and `except Exception:` */
    if (t && !(t->kind == PY_Name &&
               (strcmp(t->name.id, "Exception") == 0 || strcmp(t->name.id, "BaseException") == 0)))
        return;
    const py_node *s = h->excepthandler.body.v[0];
    if (s->kind == PY_Pass)
        rule_report(c, "B110", h, "try/except/pass: the exception is silently swallowed");
    else if (s->kind == PY_Continue)
        rule_report(c, "B112", h, "try/except/continue: the exception is silently swallowed");
}

/* --- B103 ------------------------------------------------------------------ */

static const struct { const char *name; long long bits; } stat_bits[] = {
    {"stat.S_IRWXU", 0700}, {"stat.S_IRUSR", 0400}, {"stat.S_IWUSR", 0200}, {"stat.S_IXUSR", 0100},
    {"stat.S_IRWXG", 070},  {"stat.S_IRGRP", 040},  {"stat.S_IWGRP", 020},  {"stat.S_IXGRP", 010},
    {"stat.S_IRWXO", 07},   {"stat.S_IROTH", 04},   {"stat.S_IWOTH", 02},   {"stat.S_IXOTH", 01},
    {"stat.S_ISUID", 04000}, {"stat.S_ISGID", 02000}, {"stat.S_ISVTX", 01000},
    {"stat.S_IREAD", 0400}, {"stat.S_IWRITE", 0200}, {"stat.S_IEXEC", 0100},
};

static int eval_mode(rule_ctx *c, const py_node *n, long long *out, int depth)
{
    if (!n || depth > 16) return 0;
    if (const_int(n, out)) return 1;
    if (n->kind == PY_BinOp && (n->binop.op == PY_BitOr || n->binop.op == PY_Add)) {
        long long a, b;
        if (!eval_mode(c, n->binop.left, &a, depth + 1) || !eval_mode(c, n->binop.right, &b, depth + 1)) return 0;
        *out = a | b;
        return 1;
    }
    const char *q = resolve_name(c->res, n);
    if (!q) return 0;
    for (size_t i = 0; i < sizeof stat_bits / sizeof *stat_bits; i++)
        if (strcmp(q, stat_bits[i].name) == 0) return *out = stat_bits[i].bits, 1;
    return 0;
}

static void check_chmod(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const fns[] = {"os.chmod", "os.fchmod", "os.lchmod", NULL};
    if (!str_in(q, fns)) return;
    long long mode;
    if (!eval_mode(c, ast_call_arg(call, 1, "mode"), &mode, 0)) return;
    /* Bandit also reports group-executable (0o755); that is how scripts
     * are installed, so only write access for group/others counts here. */
    if (mode & 02) {
        rule_report(c, "B103", call, "%s makes the file world-writable (mode 0o%llo)", q, mode)->severity = SEV_HIGH;
    } else if (mode & 020) {
        rule_report(c, "B103", call, "%s makes the file group-writable (mode 0o%llo)", q, mode);
    }
}

/* --- B105-B107: hard-coded credentials ------------------------------------- */

static const char *const cred_words[] = {
    "password", "passwd", "pass", "passphrase", "pwd", "pword", "token", "secret", "secrete",
    "apikey", "privatekey", "accesskey", "authkey", "secretkey", "credential", "credentials", NULL,
};
/* words that make a credential-like name mean something else */
static const char *const not_cred_words[] = {
    "url", "uri", "endpoint", "path", "file", "filename", "dir", "name", "field", "prompt", "label",
    "type", "length", "len", "min", "max", "regex", "pattern", "header", "param", "hint", "policy",
    "reset", "expiry", "expires", "expiration", "timeout", "ttl", "count", "format", "fmt",
    "template", "mode", "method", "kind", "help", "msg", "message", "error", "placeholder",
    "validator", "input", "env", "var", "column", "col", "attr", "prefix", "suffix", "sep",
    "index", "idx", "limit", "size", "usage", "budget", "location", "provider", "backend",
    "class", "cls", "id", "ids", "key", "keys", "scheme", "style", "widget", "lookup", "query",
    "required", "changed", "valid", "invalid", "enabled", "check", "confirm", "text", "title",
    "description", "version", "generator", "manager", "handler", "store", "storage", "cache",
    "source", "src", "option", "options", "flag", "setting", "settings", "arn", "button", "emoji",
    "icon", "last", "used", "at", "on", "date", "time", "ref", "arg", "args", "argument",
    "through", "thru", NULL,
};

static int cred_name(rule_ctx *c, const char *id, int bare_token_ok)
{
    static const char *const token_only[] = {"token", NULL};
    if (!id) return 0;
    /* a bare "token" (current_token, next_token) is a lexer or paging token
     * outside web code */
    if (!ident_has_word(id, cred_words)) return 0;
    if (!bare_token_ok && ident_has_word(id, token_only) && !token_is_credential(c, id)) {
        static const char *const others[] = {
            "password", "passwd", "pass", "passphrase", "pwd", "pword", "secret", "secrete", "apikey",
            "privatekey", "accesskey", "authkey", "secretkey", "credential", "credentials", NULL,
        };
        if (!ident_has_word(id, others)) return 0;
    }
    /* secret_key, api_key, private_key are keys: the "key" word is fine there */
    static const char *const keyed[] = {"apikey", "privatekey", "accesskey", "authkey", "secretkey", NULL};
    if (ident_has_word(id, keyed)) {
        static const char *const not_cred_nokey[] = {"url", "uri", "path", "file", "filename", "name",
                                                     "field", "header", "env", "var", "type", "id", NULL};
        return !ident_has_word(id, not_cred_nokey);
    }
    return !ident_has_word(id, not_cred_words);
}

static const char *const placeholder_parts[] = {
    "changeme", "change_me", "change-me", "changeit", "your", "example", "placeholder", "dummy",
    "redacted", "xxx", "***", "${", "{{", "%(", "%s", "{}", "todo", "fixme", "insert", "replace",
    "sample", "<", ">", "...", NULL,
};
static const char *const plain_words[] = {
    "password", "passwd", "secret", "token", "none", "null", "nil", "false", "true", "test",
    "testing", "fake", "default", "empty", "unknown", "n/a", "na", "bearer", "basic", "digest",
    "oauth", "jwt", "access", "refresh", "session", "csrf", "api", "key", "auth", "authorization",
    "header", "cookie", "query", "body", "form", "json", "hidden", "text", "string", "required",
    "optional", "invalid", "missing", "expired", "disabled", "enabled", "user", "admin", "root",
    "guest", "anonymous", "pass", "pwd", "value", "field", NULL,
};

static int identifier_like(const char *s)
{
    int sep = 0, lower = 0, upper = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '_' || *p == '-') sep = 1;
        else if (islower((unsigned char)*p)) lower = 1;
        else if (isupper((unsigned char)*p)) upper = 1;
        else if (!isdigit((unsigned char)*p)) return 0;
    }
    return sep && !(lower && upper);
}

static int camel_word(const char *s)
{
    if (!isupper((unsigned char)s[0])) return 0;
    for (const char *p = s; *p; p++) {
        if (!isalpha((unsigned char)*p)) return 0;
        if (isupper((unsigned char)*p) && p[1] && !islower((unsigned char)p[1])) return 0;
    }
    return 1;
}

/* Does a literal bound to a credential-like name look like a real secret? */
/* Letters joined by '-', '_', '.' ("Access-Control-Allow-Credentials",
 * "not_used"): a name, not a secret. */
static int separated_words(const char *s)
{
    int sep = 0;
    for (; *s; s++) {
        if (*s == '-' || *s == '_' || *s == '.') sep = 1;
        else if (!isalpha((unsigned char)*s)) return 0;
    }
    return sep;
}

/* A regular expression rather than a value: r"([\w!#$%&'*+.^_`|~]+)". */
static int regex_like(const char *s)
{
    static const char *const marks[] = {"\\w", "\\d", "\\s", "(?", "]+", "]*", "[^", NULL};
    for (const char *const *m = marks; *m; m++)
        if (strstr(s, *m)) return 1;
    return 0;
}

/* The value spells the name it is assigned to (apiKey = "apiKey"):
 * an enum member or a field name, not a secret.  Case, '_' and '-'
 * are ignored. */
static int names_itself(const char *name, const char *s)
{
    if (!name) return 0;
    for (;;) {
        while (*name == '_' || *name == '-') name++;
        while (*s == '_' || *s == '-') s++;
        if (!*name || !*s) return !*name && !*s;
        if (tolower((unsigned char)*name) != tolower((unsigned char)*s)) return 0;
        name++, s++;
    }
}

static int secret_like(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > 400) return 0;
    if (regex_like(s)) return 0;
    int alnum = 0;
    for (const char *p = s; *p; p++) alnum |= isalnum((unsigned char)*p) != 0;
    if (!alnum || separated_words(s)) return 0;
    int same = 1;
    for (const char *p = s; *p; p++) {
        if (isspace((unsigned char)*p)) return 0;    /* a message or a prompt */
        if (*p != s[0]) same = 0;
    }
    if (same) return 0;                               /* "xxxx", "****", "0000" */
    if (s[0] == '/' || strstr(s, "://") || str_has_prefix(s, "./")) return 0;
    char low[64];
    size_t i = 0;
    for (; s[i] && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)s[i]);
    low[i] = 0;
    for (const char *const *w = placeholder_parts; *w; w++)
        if (strstr(low, *w)) return 0;
    if (str_in(low, plain_words)) return 0;
    if (camel_word(s)) return 0;                      /* "Bearer", "NextToken" */
    if (identifier_like(s)) {                         /* "access_token", "X-API-KEY" */
        const char *last = s + n;
        while (last > s && last[-1] != '_' && last[-1] != '-') last--;
        char lw[32];
        size_t k = 0;
        for (; last[k] && k < sizeof lw - 1; k++) lw[k] = (char)tolower((unsigned char)last[k]);
        lw[k] = 0;
        static const char *const field_tail[] = {"token", "key", "secret", "password", "id", "type",
                                                 "header", "pwd", "passwd", "code", NULL};
        if (str_in(lw, field_tail)) return 0;
    }
    return 1;
}

static int identifier(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') return 0;
    return 1;
}

static void report_cred(rule_ctx *c, const char *rule, const py_node *at, const char *name, const py_node *lit)
{
    const char *s = ast_const_str(lit);
    /* token="..." passed to a call or as a default is a credential; a
     * variable called token may be a lexer token (B105 asks for more) */
    if (!s || !identifier(name) || !cred_name(c, name, rule[3] != '5') || !secret_like(s) ||
        names_itself(name, s))
        return;
    finding *fd = rule_report(c, rule, at, "hard-coded credential in `%s`", name);
    rule_mask_const(c, fd, lit);
}

static const char *target_name(const py_node *t)
{
    if (!t) return NULL;
    if (t->kind == PY_Name) return t->name.id;
    if (t->kind == PY_Attribute) return t->attribute.attr;
    if (t->kind == PY_Subscript) return ast_const_str(t->subscript.slice);
    return NULL;
}

static void check_defaults(rule_ctx *c, const py_node *fn)
{
    const py_node *a = fn->functiondef.args;
    if (!a) return;
    int npos = a->arguments.posonlyargs.n + a->arguments.args.n;
    int nd = a->arguments.defaults.n;
    for (int i = 0; i < nd; i++) {
        int pi = npos - nd + i;
        if (pi < 0) continue;
        const py_node *arg = pi < a->arguments.posonlyargs.n ? a->arguments.posonlyargs.v[pi]
                                                             : a->arguments.args.v[pi - a->arguments.posonlyargs.n];
        report_cred(c, "B107", a->arguments.defaults.v[i], arg->arg.arg, a->arguments.defaults.v[i]);
    }
    for (int i = 0; i < a->arguments.kwonlyargs.n && i < a->arguments.kw_defaults.n; i++) {
        const py_node *d = a->arguments.kw_defaults.v[i];
        if (d) report_cred(c, "B107", d, a->arguments.kwonlyargs.v[i]->arg.arg, d);
    }
}

/* --- B104, B108 ------------------------------------------------------------ */

static int is_docstring(const py_node *n)
{
    return n->parent && n->parent->kind == PY_Expr;
}

/* Inside a comparison (host == "0.0.0.0", host in {"0.0.0.0", "::"},
 * ip == ip_address("0.0.0.0")): checking a value is not binding to it. */
static int in_compare(const py_node *n)
{
    for (const py_node *p = n->parent; p && !PY_IS_STMT(p->kind); p = p->parent)
        if (p->kind == PY_Compare) return 1;
    return 0;
}

static void check_string(rule_ctx *c, const py_node *n)
{
    const char *s = n->constant.s;
    if (is_docstring(n)) return;
    if (strcmp(s, "0.0.0.0") == 0) {
        if (in_compare(n)) return;
        rule_report(c, "B104", n, "binding to all interfaces (\"0.0.0.0\")");
        return;
    }
    static const char *const builtin_tmps[] = {"/tmp", "/var/tmp", "/dev/shm"};
    /* a Bandit config's tmp_dirs replace the built-in list */
    const str_list *own = c->out->opts ? &c->out->opts->bandit_tmp_dirs : NULL;
    const char *const *tmps = own && own->n ? (const char *const *)own->v : builtin_tmps;
    size_t ntmps = own && own->n ? own->n : 3;
    for (size_t i = 0; i < ntmps; i++) {
        size_t k = strlen(tmps[i]);
        if (!k) continue; /* "" marks a configured list (opts.h) */
        while (k > 1 && tmps[i][k - 1] == '/') k--;
        if (strncmp(s, tmps[i], k) == 0 && (s[k] == 0 || s[k] == '/' || tmps[i][k] == '/')) {
            if (in_compare(n)) return;
            rule_report(c, "B108", n, "hard-coded temporary path \"%.60s\"", s);
            return;
        }
    }
}

void general_visit(rule_ctx *c, py_node *n)
{
    if (c->bandit) {
        bandit_general_visit(c, n);
        return;
    }
    switch (n->kind) {
    case PY_Assert:
        if (!c->f->test_file) rule_report(c, "B101", n, "assert is removed under python -O; do not use it for checks");
        break;
    case PY_ExceptHandler:
        check_handler(c, n);
        break;
    case PY_Call: {
        const char *q = call_qual(c, n);
        if (q) check_chmod(c, n, q);
        for (int i = 0; i < n->call.keywords.n; i++) {
            const py_node *k = n->call.keywords.v[i];
            if (k->keyword.arg) report_cred(c, "B106", k, k->keyword.arg, k->keyword.value);
        }
        break;
    }
    case PY_Assign:
        for (int i = 0; i < n->assign.targets.n; i++)
            report_cred(c, "B105", n->assign.value, target_name(n->assign.targets.v[i]), n->assign.value);
        break;
    case PY_AnnAssign:
        if (n->annassign.value) report_cred(c, "B105", n->annassign.value, target_name(n->annassign.target), n->annassign.value);
        break;
    case PY_Compare:
        if (n->compare.comparators.n == 1 && (n->compare.ops[0] == PY_Eq || n->compare.ops[0] == PY_NotEq)) {
            report_cred(c, "B105", n->compare.comparators.v[0], target_name(n->compare.left), n->compare.comparators.v[0]);
            report_cred(c, "B105", n->compare.left, target_name(n->compare.comparators.v[0]), n->compare.left);
        }
        break;
    case PY_Dict:
        for (int i = 0; i < n->dict.keys.n; i++)
            if (n->dict.keys.v[i]) report_cred(c, "B105", n->dict.values.v[i], ast_const_str(n->dict.keys.v[i]), n->dict.values.v[i]);
        break;
    case PY_FunctionDef: case PY_AsyncFunctionDef:
        check_defaults(c, n);
        break;
    case PY_Constant:
        if (n->constant.value == PY_CONST_STR) check_string(c, n);
        break;
    default:
        break;
    }
}
