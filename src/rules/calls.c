/* calls.c - the engine behind calls.def (qualified call -> rule, with
 * argument conditions) and the metadata of Bandit's blacklists (B3xx
 * calls, B4xx imports).  The rules of the other families that calls.def
 * also feeds (B113, B324, B501, ...) keep their metadata in their family
 * file. */
#include "meta.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- metadata: blacklisted calls ---------------------------------------------- */

#define BL_CALL(id, title, sev, cwes, owasp, desc, fix)                       \
    {id, title, sev, CH, cwes, owasp, desc, fix, BANDIT_CALLS, "python"}
#define BL_IMPORT(id, title, sev, cwes, owasp, desc, fix)                     \
    {id, title, sev, CH, cwes, owasp, desc, fix, BANDIT_IMPORTS, "python"}

static const rule_meta blacklist_rules[] = {
    BL_CALL("B301", "pickle and friends deserialize code", M, CWE(502, 0), "A08:2021",
            "pickle, cPickle, dill, shelve, jsonpickle and pandas.read_pickle run code chosen by "
            "whoever wrote the data; loading untrusted bytes is remote code execution.",
            "Use JSON or another data-only format; if you must, sign the data (hmac) and verify before loading."),
    BL_CALL("B302", "marshal deserialization", M, CWE(502, 0), "A08:2021",
            "marshal is not safe against malicious data and its format changes between Python versions.",
            "Use JSON or another data-only format."),
    BL_CALL("B303", "weak hash (MD2/MD4/MD5/SHA1) in Crypto or cryptography", M, CWE(328, 327, 0), "A02:2021",
            "MD2, MD4, MD5 and SHA-1 are broken for collision resistance. (hashlib's weak hashes are B324.)",
            "Use SHA-256 or stronger; for passwords use bcrypt, scrypt or argon2."),
    BL_CALL("B304", "broken cipher", H, CWE(327, 0), "A02:2021",
            "ARC2, ARC4, Blowfish, DES, 3DES, IDEA, CAST5, SEED and XOR are broken or too weak.",
            "Use AES-GCM or ChaCha20-Poly1305 (cryptography's AEAD primitives)."),
    BL_CALL("B305", "ECB cipher mode", M, CWE(327, 0), "A02:2021",
            "ECB encrypts equal blocks to equal ciphertext and leaks the structure of the data.",
            "Use an authenticated mode (GCM) or the Fernet recipe."),
    BL_CALL("B306", "tempfile.mktemp", M, CWE(377, 0), "A01:2021",
            "mktemp returns a name without creating the file: another process can create it first.",
            "Use tempfile.mkstemp or NamedTemporaryFile."),
    BL_CALL("B307", "eval", M, CWE(95, 94, 0), "A03:2021",
            "eval() runs a string as Python code; on anything derived from input that is code injection.",
            "Use ast.literal_eval for literals, json.loads for data, or an explicit dispatch table."),
    BL_CALL("B308", "mark_safe on a non-constant", M, CWE(79, 0), "A03:2021",
            "django's mark_safe switches off escaping; Bandit reports every call, we report calls whose "
            "argument is not a constant (a constant cannot carry an attacker's markup).",
            "Build HTML with format_html() or a template, which escape their arguments."),
    BL_CALL("B310", "urlopen with any scheme", M, CWE(22, 918, 0), "A10:2021",
            "urllib's urlopen/urlretrieve also open file:// and custom schemes; with a URL from input "
            "that reads local files. Literal http(s) URLs (also f-strings with a fixed http(s) prefix) "
            "are not reported.",
            "Check the scheme (http/https) before opening, or use requests."),
    BL_CALL("B311", "random is not for security", L, CWE(338, 330, 0), "A02:2021",
            "The random module is a predictable PRNG; tokens, passwords, salts or nonces made with it "
            "can be guessed.",
            "Use the secrets module (secrets.token_urlsafe, secrets.choice)."),
    BL_CALL("B312", "telnetlib", H, CWE(319, 0), "A02:2021",
            "Telnet sends everything, credentials included, in clear text.",
            "Use SSH (paramiko, asyncssh)."),
    BL_CALL("B313", "xml.etree.cElementTree parsing", M, CWE(611, 776, 0), "A05:2021",
            "The stdlib XML parsers are open to entity expansion (billion laughs) and related attacks.",
            "Parse untrusted XML with defusedxml (defusedxml.ElementTree.parse)."),
    BL_CALL("B314", "xml.etree.ElementTree parsing", M, CWE(611, 776, 0), "A05:2021",
            "The stdlib XML parsers are open to entity expansion (billion laughs) and related attacks.",
            "Parse untrusted XML with defusedxml (defusedxml.ElementTree.parse)."),
    BL_CALL("B315", "xml.sax.expatreader parsing", M, CWE(611, 776, 0), "A05:2021",
            "The stdlib XML parsers are open to entity expansion (billion laughs) and related attacks.",
            "Use defusedxml.expatreader."),
    BL_CALL("B316", "xml.dom.expatbuilder parsing", M, CWE(611, 776, 0), "A05:2021",
            "The stdlib XML parsers are open to entity expansion (billion laughs) and related attacks.",
            "Use defusedxml.expatbuilder."),
    BL_CALL("B317", "xml.sax parsing", M, CWE(611, 776, 0), "A05:2021",
            "The stdlib XML parsers are open to entity expansion (billion laughs) and related attacks.",
            "Use defusedxml.sax."),
    BL_CALL("B318", "xml.dom.minidom parsing", M, CWE(611, 776, 0), "A05:2021",
            "The stdlib XML parsers are open to entity expansion (billion laughs) and related attacks.",
            "Use defusedxml.minidom."),
    BL_CALL("B319", "xml.dom.pulldom parsing", M, CWE(611, 776, 0), "A05:2021",
            "The stdlib XML parsers are open to entity expansion (billion laughs) and related attacks.",
            "Use defusedxml.pulldom."),
    BL_CALL("B320", "lxml parsing", M, CWE(611, 0), "A05:2021",
            "lxml resolves entities by default: external entities (XXE) and entity expansion.",
            "Use defusedxml.lxml, or a parser made with resolve_entities=False, no_network=True."),
    BL_CALL("B321", "ftplib", H, CWE(319, 0), "A02:2021",
            "FTP sends credentials and data in clear text.",
            "Use SFTP/FTPS (paramiko, ftplib.FTP_TLS)."),
    BL_CALL("B323", "unverified SSL context", M, CWE(295, 0), "A07:2021",
            "ssl._create_unverified_context switches off certificate and host name checks.",
            "Use ssl.create_default_context()."),
    BL_IMPORT("B401", "import telnetlib", H, CWE(319, 0), "A02:2021",
              "telnetlib speaks a clear-text protocol.", "Use SSH instead."),
    BL_IMPORT("B402", "import ftplib", H, CWE(319, 0), "A02:2021",
              "ftplib speaks a clear-text protocol.", "Use SFTP/FTPS instead."),
    BL_IMPORT("B403", "import pickle", L, CWE(502, 0), "A08:2021",
              "pickle, cPickle, dill and shelve deserialize code; importing them deserves a look.",
              "Prefer a data-only format (JSON)."),
    BL_IMPORT("B404", "import subprocess", L, CWE(78, 0), "A03:2021",
              "subprocess runs commands; each use deserves a look (see B602-B607).",
              "Make sure commands are lists of constant programs and checked arguments."),
    BL_IMPORT("B405", "import xml.etree", L, CWE(611, 776, 0), "A05:2021",
              "The stdlib ElementTree parser is open to XML attacks.", "Use defusedxml."),
    BL_IMPORT("B406", "import xml.sax", L, CWE(611, 776, 0), "A05:2021",
              "The stdlib SAX parser is open to XML attacks.", "Use defusedxml."),
    BL_IMPORT("B407", "import xml.dom.expatbuilder", L, CWE(611, 776, 0), "A05:2021",
              "expatbuilder is open to XML attacks.", "Use defusedxml."),
    BL_IMPORT("B408", "import xml.dom.minidom", L, CWE(611, 776, 0), "A05:2021",
              "minidom is open to XML attacks.", "Use defusedxml."),
    BL_IMPORT("B409", "import xml.dom.pulldom", L, CWE(611, 776, 0), "A05:2021",
              "pulldom is open to XML attacks.", "Use defusedxml."),
    BL_IMPORT("B410", "import lxml", L, CWE(611, 0), "A05:2021",
              "lxml resolves entities by default.", "Use defusedxml.lxml or a hardened parser."),
    BL_IMPORT("B411", "import xmlrpc", H, CWE(776, 611, 0), "A05:2021",
              "xmlrpc parses untrusted XML and is open to XML attacks.",
              "Call defusedxml.xmlrpc.monkey_patch() first."),
    BL_IMPORT("B412", "CGI handler (httpoxy)", H, CWE(20, 0), "A05:2021",
              "wsgiref CGIHandler and twisted CGIScript are affected by httpoxy (the Proxy header "
              "becomes HTTP_PROXY).",
              "Do not run CGI handlers; if you must, strip the Proxy header."),
    BL_IMPORT("B413", "import pycrypto", H, CWE(1104, 327, 0), "A06:2021",
              "pycrypto is unmaintained and has known vulnerabilities.",
              "Use the cryptography package (or pycryptodome)."),
    BL_IMPORT("B415", "import pyghmi", H, CWE(319, 0), "A02:2021",
              "IPMI is an insecure protocol.", "Use a secure management protocol."),
};

void rules_blacklist_register(void)
{
    rules_register_table(blacklist_rules, sizeof blacklist_rules / sizeof *blacklist_rules);
}

/* --- the table ------------------------------------------------------------- */

typedef enum call_cond {
    C_ANY, C_KW_FALSE, C_KW_TRUE, C_NO_KW, C_DYNAMIC, C_URL, C_WEAK_HASH, C_HASH_NEW,
    C_YAML, C_HOST_KEY, C_SNMP_V12, C_SNMP_NOAUTH, C_EXTRA, C_TORCH, C_REVISION, C_AUTOESCAPE
} call_cond;

typedef struct call_rule {
    const char *rule, *name;
    call_cond cond;
    const char *arg;
} call_rule;

typedef struct method_rule {
    const char *rule, *method, *module;
    call_cond cond;
    const char *arg;
} method_rule;

typedef struct import_rule {
    const char *rule, *module;
} import_rule;

static call_rule call_rules[] = {
#define CALL(r, n, c, a) {r, n, C_##c, a},
#define METHOD(r, m, mod, c, a)
#define IMPORT(r, m)
#include "calls.def"
#undef CALL
#undef METHOD
#undef IMPORT
};

static const method_rule method_rules[] = {
#define CALL(r, n, c, a)
#define METHOD(r, m, mod, c, a) {r, m, mod, C_##c, a},
#define IMPORT(r, m)
#include "calls.def"
#undef CALL
#undef METHOD
#undef IMPORT
};

static const import_rule import_rules[] = {
#define CALL(r, n, c, a)
#define METHOD(r, m, mod, c, a)
#define IMPORT(r, m) {r, m},
#include "calls.def"
#undef CALL
#undef METHOD
#undef IMPORT
};

#define NCALLS (sizeof call_rules / sizeof *call_rules)
#define NMETHODS (sizeof method_rules / sizeof *method_rules)
#define NIMPORTS (sizeof import_rules / sizeof *import_rules)

static size_t nexact; /* call_rules[0..nexact) exact names, sorted; the rest "mod.*" */

static int is_wild(const char *name)
{
    size_t n = strlen(name);
    return n >= 2 && name[n - 1] == '*' && name[n - 2] == '.';
}

static int cmp_call(const void *a, const void *b)
{
    const call_rule *x = a, *y = b;
    int wx = is_wild(x->name), wy = is_wild(y->name);
    if (wx != wy) return wx - wy;
    return strcmp(x->name, y->name);
}

void calls_init(void)
{
    qsort(call_rules, NCALLS, sizeof *call_rules, cmp_call);
    nexact = 0;
    while (nexact < NCALLS && !is_wild(call_rules[nexact].name)) nexact++;
}

/* --- conditions ------------------------------------------------------------ */

static int kw_present_or_splat(const py_node *call, const char *kw)
{
    for (int i = 0; i < call->call.keywords.n; i++) {
        const char *a = call->call.keywords.v[i]->keyword.arg;
        if (!a || strcmp(a, kw) == 0) return 1; /* **kwargs may carry it */
    }
    return 0;
}

static int url_is_http(const py_node *a)
{
    const char *s = ast_const_str(a);
    if (!s && a && a->kind == PY_JoinedStr && a->joinedstr.values.n) s = ast_const_str(a->joinedstr.values.v[0]);
    if (!s && a && a->kind == PY_BinOp && a->binop.op == PY_Add) s = ast_const_str(a->binop.left);
    if (!s && a && a->kind == PY_BinOp && a->binop.op == PY_Mod) s = ast_const_str(a->binop.left);
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

static int local_path(const char *s)
{
    return s && (s[0] == '/' || s[0] == '.' || s[0] == '~');
}

/* Does the condition hold?  May lower severity/confidence through *sev. */
static int cond_holds(rule_ctx *c, const py_node *call, call_cond cond, const char *arg, severity *sev,
                      confidence *conf)
{
    const py_node *v;
    switch (cond) {
    case C_ANY:
        return 1;
    case C_KW_FALSE:
        return is_false(ast_call_kw(call, arg));
    case C_KW_TRUE:
        return is_true(ast_call_kw(call, arg));
    case C_NO_KW:
        v = ast_call_kw(call, arg);
        if (v) return is_none(v);
        return !kw_present_or_splat(call, arg);
    case C_DYNAMIC:
        v = ast_call_arg(call, 0, NULL);
        if (!v && call->call.keywords.n) v = call->call.keywords.v[0]->keyword.value;
        return v && !is_literal(c, v);
    case C_URL:
        v = ast_call_arg(call, 0, "url");
        if (!v) return call->call.args.n > 0 || kw_present_or_splat(call, "url"); /* *args: any scheme */
        return !url_is_http(v);
    case C_WEAK_HASH:
        return !is_false(ast_call_kw(call, "usedforsecurity"));
    case C_HASH_NEW: {
        const char *name = ast_const_str(ast_call_arg(call, 0, "name"));
        static const char *const weak[] = {"md4", "md5", "sha", "sha1", NULL};
        if (!name) return 0;
        char low[16];
        size_t i = 0;
        for (; name[i] && i < sizeof low - 1; i++) low[i] = (char)(name[i] | 0x20);
        low[i] = 0;
        return str_in(low, weak) && !is_false(ast_call_kw(call, "usedforsecurity"));
    }
    case C_YAML: {
        static const char *const safe[] = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", NULL};
        v = ast_call_arg(call, 1, "Loader");
        if (!v) return !kw_present_or_splat(call, "Loader");
        return !str_in(ast_terminal_name(v), safe);
    }
    case C_HOST_KEY: {
        static const char *const bad[] = {"AutoAddPolicy", "WarningPolicy", NULL};
        v = ast_call_arg(call, 0, "policy");
        if (v && v->kind == PY_Call) v = v->call.func;
        return str_in(ast_terminal_name(v), bad);
    }
    case C_SNMP_V12: {
        long long mp;
        v = ast_call_kw(call, "mpModel");
        if (!v) return call->call.args.n < 2;
        return const_int(v, &mp) && (mp == 0 || mp == 1);
    }
    case C_SNMP_NOAUTH:
        return call->call.args.n < 3 && !ast_call_kw(call, "authKey") && !ast_call_kw(call, "privKey");
    case C_EXTRA:
        for (int i = 0; i < call->call.args.n; i++)
            if (!is_literal(c, call->call.args.v[i])) return 1;
        for (int i = 0; i < call->call.keywords.n; i++)
            if (!is_literal(c, call->call.keywords.v[i]->keyword.value)) return 1;
        return 0;
    case C_TORCH:
        return !is_true(ast_call_kw(call, "weights_only"));
    case C_REVISION: {
        static const char *const floating[] = {"main", "master", "latest", NULL};
        v = ast_call_kw(call, "revision");
        if (local_path(ast_const_str(ast_call_arg(call, 0, NULL)))) return 0;
        if (!v) return !kw_present_or_splat(call, "revision");
        return is_none(v) || str_in(ast_const_str(v), floating);
    }
    case C_AUTOESCAPE:
        v = ast_call_kw(call, "autoescape");
        if (!v) {
            if (kw_present_or_splat(call, "autoescape")) return 0;
            return 1;
        }
        if (is_false(v)) return 1;
        (void)sev, (void)conf;
        return 0;
    }
    return 0;
}

/* --- matching -------------------------------------------------------------- */

static void report_call(rule_ctx *c, const py_node *call, const call_rule *r, const char *qual)
{
    severity sev = SEV_NONE;
    confidence conf = CONF_NONE;
    if (c->bandit && bandit_blacklist_id(r->rule)) return; /* bandit_calls.c has Bandit's list */
    if (!cond_holds(c, call, r->cond, r->arg, &sev, &conf)) return;
    if (c->bandit && strcmp(r->rule, "B703") == 0) conf = CONF_HIGH; /* Bandit's django_xss rating */
    const rule_meta *m = registry_find(r->rule);
    finding *fd = rule_report(c, r->rule, call, "%s: %s()", m ? m->title : r->rule, qual);
    if (sev) fd->severity = sev;
    if (conf) fd->confidence = conf;
}

static int cmp_key(const void *key, const void *elem)
{
    return strcmp(key, ((const call_rule *)elem)->name);
}

static void check_call(rule_ctx *c, const py_node *call)
{
    const char *q = call_qual(c, call);
    if (q) {
        const call_rule *hit = bsearch(q, call_rules, nexact, sizeof *call_rules, cmp_key);
        if (hit) {
            while (hit > call_rules && strcmp(hit[-1].name, q) == 0) hit--;
            for (; hit < call_rules + nexact && strcmp(hit->name, q) == 0; hit++) report_call(c, call, hit, q);
        }
        for (size_t i = nexact; i < NCALLS; i++) {
            size_t n = strlen(call_rules[i].name) - 1; /* keep the '.' */
            if (strncmp(q, call_rules[i].name, n) == 0 && q[n]) report_call(c, call, &call_rules[i], q);
        }
    }
    const char *m = call->call.func->kind == PY_Attribute ? call->call.func->attribute.attr : NULL;
    if (!m) return;
    for (size_t i = 0; i < NMETHODS; i++) {
        const method_rule *mr = &method_rules[i];
        if (strcmp(m, mr->method) != 0 || !resolve_imports(c->res, mr->module)) continue;
        call_rule as_call = {mr->rule, mr->method, mr->cond, mr->arg};
        report_call(c, call, &as_call, q ? q : m);
    }
}

static int module_matches(const char *cand, const char *bl)
{
    size_t n = strlen(bl);
    return strncmp(cand, bl, n) == 0 && (cand[n] == 0 || cand[n] == '.');
}

/* Does the statement import bl or anything inside it?  For `from m import
 * a, b`, full holds "m.a", "m.b". */
static int import_matches(const py_node *n, const char *const *full, const char *bl)
{
    if (n->kind == PY_Import) {
        for (int i = 0; i < n->import.names.n; i++)
            if (module_matches(n->import.names.v[i]->alias.name, bl)) return 1;
        return 0;
    }
    if (!n->importfrom.module) return 0;
    if (module_matches(n->importfrom.module, bl)) return 1;
    for (int i = 0; i < n->importfrom.names.n; i++)
        if (module_matches(full[i], bl)) return 1;
    return 0;
}

static void check_import(rule_ctx *c, const py_node *n)
{
    /* "module.name" of each name of a `from` import, made once per statement */
    const char **full = NULL;
    if (n->kind == PY_ImportFrom && (n->importfrom.level != 0 || !n->importfrom.module)) return;
    if (n->kind == PY_ImportFrom) {
        full = arena_alloc_n(c->a, (size_t)n->importfrom.names.n + 1, sizeof *full);
        for (int i = 0; i < n->importfrom.names.n; i++) {
            char b[512];
            snprintf(b, sizeof b, "%s.%s", n->importfrom.module, n->importfrom.names.v[i]->alias.name);
            full[i] = arena_strdup(c->a, b);
        }
    }
    for (size_t k = 0; k < NIMPORTS; k++) {
        const import_rule *ir = &import_rules[k];
        if (!import_matches(n, full, ir->module)) continue;
        /* one finding per statement and rule */
        int dup = 0;
        for (size_t j = 0; j < k && !dup; j++)
            if (strcmp(import_rules[j].rule, ir->rule) == 0)
                dup = import_matches(n, full, import_rules[j].module);
        if (!dup) rule_report(c, ir->rule, n, "%s (%s)", registry_find(ir->rule) ? registry_find(ir->rule)->title : ir->rule, ir->module);
    }
}

void calls_visit(rule_ctx *c, py_node *n)
{
    if (c->bandit) bandit_calls_visit(c, n);
    if (n->kind == PY_Call) check_call(c, n);
    else if ((n->kind == PY_Import || n->kind == PY_ImportFrom) && !c->bandit) check_import(c, n);
}
