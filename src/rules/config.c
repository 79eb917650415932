/* config.c - the configuration slips a gate for AI-written code must
 * catch, where the flaw is a setting rather than a flow: a signing key
 * written in the source (VG601: the placeholder in generated code *is*
 * the deployed key), debug mode on (VG602), any Host accepted (VG603), CSRF
 * protection switched off (VG604), TLS certificate checks switched off on
 * a context (VG605), an XML parser told to resolve external entities
 * (VG606), ECB or a constant IV (VG302), SMTP logins in cleartext
 * (VG303), uploads saved without a type check (VG607) and request bodies
 * read whole (VG608, a review item).  Each check reads one statement or one call; a name bound to a
 * module-level constant counts as that constant. */
#include "meta.h"
#include "rules.h"

#include <string.h>

static const rule_meta config_rules[] = {
    RULE("VG601", "signing key is a constant", H, CH, CWE(798, 321, 0), "A07:2021",
         "A session, CSRF, JWT, HMAC or Fernet key is a literal in the source (SECRET_KEY = "
         "\"changeme\", app.secret_key = \"your-secret-key-here\", URLSafeTimedSerializer(\"secret\")). "
         "Whatever the string looks like, it is the key the application runs with: anyone with the "
         "code can forge sessions and tokens. A literal default of an environment look-up is "
         "reported for review.",
         "Read the key from the environment or a secret manager and fail at start-up when it is "
         "missing; rotate any key that was committed.",
         CWE_URL(798) " " CWE_URL(321) " https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY"),
    RULE("VG602", "debug mode on", H, CM, CWE(489, 215, 0), "A05:2021",
         "DEBUG = True in a Django settings module, or app.debug / app.config[\"DEBUG\"] = True in "
         "Flask: error pages show source, settings and local variables (and Werkzeug's debugger runs "
         "code). Settings modules named for development (dev, local, test) are reported for review.",
         "Read DEBUG from the environment with a false default: DEBUG = os.environ.get(\"DEBUG\") == \"1\".",
         CWE_URL(489) " https://docs.djangoproject.com/en/stable/ref/settings/#debug"),
    RULE("VG603", "any Host header accepted", M, CM, CWE(346, 0), "A05:2021",
         "ALLOWED_HOSTS = [\"*\"] lets any Host header through: password-reset links and absolute "
         "URLs are built from the attacker's host (host header poisoning).",
         "List the host names the site is served under.",
         "https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts"),
    RULE("VG604", "CSRF protection off", M, CM, CWE(352, 0), "A01:2021",
         "@csrf_exempt on a view, Flask-WTF's csrf.exempt, WTF_CSRF_ENABLED = False, or a Django "
         "MIDDLEWARE list with sessions but without CsrfViewMiddleware: another site can submit "
         "forms as the logged-in visitor.",
         "Keep CSRF protection on; exempt only endpoints authenticated by a token, not a cookie.",
         CWE_URL(352) " https://docs.djangoproject.com/en/stable/ref/csrf/"),
    RULE("VG605", "TLS certificate check off on a context", H, CH, CWE(295, 297, 0), "A07:2021",
         "ctx.check_hostname = False or ctx.verify_mode = ssl.CERT_NONE (or cert_reqs=CERT_NONE): "
         "the connection accepts any certificate, so anyone on the path can read and change it.",
         "Use ssl.create_default_context() as it comes; trust a private CA with load_verify_locations.",
         CWE_URL(295) " https://docs.python.org/3/library/ssl.html#ssl.SSLContext.check_hostname"),
    RULE("VG606", "XML parser resolves external entities", H, CH, CWE(611, 776, 0), "A05:2021",
         "A parser configured to resolve entities or load DTDs (lxml XMLParser(resolve_entities=True), "
         "load_dtd=True with network access, sax setFeature(feature_external_ges, True)) reads local "
         "files and URLs named by the document (XXE).",
         "Parse untrusted XML with defusedxml, or keep resolve_entities=False and no_network=True.",
         CWE_URL(611) " https://lxml.de/FAQ.html#how-do-i-use-lxml-safely-as-a-web-service-endpoint"),
    RULE("VG302", "ECB mode or a constant IV", M, CH, CWE(327, 329, 0), "A02:2021",
         "AES in ECB mode encrypts equal blocks to equal blocks (the data's shape shows through); a "
         "CBC/CFB/OFB/CTR/GCM IV or nonce written in the source repeats for every message.",
         "Use an AEAD mode (AESGCM, ChaCha20Poly1305) with a fresh os.urandom nonce for each message.",
         CWE_URL(327) " " CWE_URL(329)),
    RULE("VG303", "credentials sent in cleartext", M, CM, CWE(319, 523, 0), "A02:2021",
         "A password goes over an unencrypted connection: smtplib.SMTP(...).login(...) without "
         "starttls() in the same function, ftplib.FTP(...).login(...), or an http:// URL (not "
         "localhost) requested with auth= or a body carrying a password.",
         "Call starttls() before login() (or use SMTP_SSL), use FTP_TLS, and send credentials "
         "only to https:// endpoints.",
         CWE_URL(319)),
    RULE("VG607", "upload saved without a type check", M, CM, CWE(434, 0), "A04:2021",
         "An uploaded file (request.files[...], an UploadFile) is saved without its name's "
         "extension or its content type being checked in the function: an .html, .svg or .php "
         "served back from the upload folder runs in the site's origin or on the server.",
         "Check the extension against an allow-list (and the size) before saving; store under a "
         "generated name outside the web root.",
         CWE_URL(434) " https://flask.palletsprojects.com/en/stable/patterns/fileuploads/"),
    RULE("VG608", "request body read without a limit", L, CM, CWE(770, 400, 0), "A04:2021",
         "The whole request body is read into memory with no size given (self.rfile.read(), "
         "request.stream.read(), await request.body()): a client sends gigabytes and the worker "
         "runs out of memory. Reported for review: a server in front may cap the size.",
         "Read at most the Content-Length you accept (rfile.read(min(n, LIMIT))), or set "
         "MAX_CONTENT_LENGTH / DATA_UPLOAD_MAX_MEMORY_SIZE.",
         CWE_URL(770)),
};

void rules_config_register(void)
{
    rules_register_table(config_rules, sizeof config_rules / sizeof *config_rules);
}

/* --- helpers ----------------------------------------------------------------- */

/* The string or bytes literal n stands for: itself, or the value of a
 * module-level constant it names.  NULL for anything else (and for ""). */
static const py_node *literal_key(rule_ctx *c, const py_node *n)
{
    if (!n) return NULL;
    if (n->kind == PY_Constant && (n->constant.value == PY_CONST_STR || n->constant.value == PY_CONST_BYTES))
        return n->constant.len ? n : NULL;
    if (n->kind == PY_Name)
        for (size_t i = 0; i < c->nmc; i++)
            if (c->mc_names[i] == n->name.id) return literal_key(c, c->mc_values[i]);
    return NULL;
}

/* os.environ.get("K", "lit") / os.getenv("K", "lit"): the literal default. */
static const py_node *env_default(rule_ctx *c, const py_node *n)
{
    if (!n || n->kind != PY_Call) return NULL;
    const char *q = call_qual(c, n);
    static const char *const getters[] = {"os.environ.get", "os.getenv", "os.environ.setdefault", NULL};
    if (!str_in(q, getters)) return NULL;
    return literal_key(c, ast_call_arg(n, 1, "default"));
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* A module that configures an application: settings*.py, config*.py,
 * conf.py, or a file of a package named settings/config. */
static int settings_module(rule_ctx *c)
{
    const char *p = c->f->path;
    const char *b = base_name(p);
    return strstr(b, "settings") || strstr(b, "config") || strcmp(b, "conf.py") == 0 ||
           strstr(p, "/settings/") || strncmp(p, "settings/", 9) == 0;
}

/* Named for development: settings/dev.py, local_settings.py, test_settings. */
static int dev_module(rule_ctx *c)
{
    const char *b = base_name(c->f->path);
    static const char *const words[] = {"dev", "local", "test", "debug", "example", "sample", NULL};
    for (int i = 0; words[i]; i++)
        if (strstr(b, words[i])) return 1;
    return 0;
}

/* The name a store target sets: NAME, x.NAME, x["NAME"] (app.config[...]). */
static const char *target_name(const py_node *t)
{
    if (t->kind == PY_Name) return t->name.id;
    if (t->kind == PY_Attribute) return t->attribute.attr;
    if (t->kind == PY_Subscript) return ast_const_str(t->subscript.slice);
    return NULL;
}

/* --- VG601 --------------------------------------------------------------------- */

static int key_setting(const char *name)
{
    static const char *const keys[] = {"SECRET_KEY", "secret_key", "JWT_SECRET_KEY", "JWT_SECRET",
                                       "SECURITY_PASSWORD_SALT", "WTF_CSRF_SECRET_KEY", "SESSION_SECRET",
                                       "SIGNING_KEY", "TOKEN_SECRET", "JWT_SIGNING_KEY", NULL};
    return str_in(name, keys);
}

static void report_key(rule_ctx *c, const py_node *at, const py_node *value, const char *what)
{
    const py_node *lit = literal_key(c, value);
    int fallback = 0;
    if (!lit && (lit = env_default(c, value))) fallback = 1;
    if (!lit) return;
    if (lit == value && at->kind != PY_Call) at = value; /* the literal's span: one problem with B105 and the secret scan */
    finding *fd = fallback ? rule_report(c, "VG601", at, "%s falls back to a constant key", what)
                           : rule_report(c, "VG601", at, "%s is a constant", what);
    if (fallback || dev_module(c)) { /* a default, or a development settings module */
        fd->tier = TIER_REVIEW;
        fd->confidence = CONF_MEDIUM;
    }
    if (lit->lineno == at->lineno) rule_mask_const(c, fd, lit);
}

static void check_key_store(rule_ctx *c, const py_node *t, const py_node *value)
{
    const char *name = target_name(t);
    if (!key_setting(name)) return;
    /* SECRET_KEY = "..." wherever it is bound (a settings module, a config
     * class, a constants module imported by the app), app.secret_key,
     * app.config["SECRET_KEY"]: the names are the frameworks' own */
    report_key(c, t, value, name);
}

static void check_key_call(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const first[] = {
        "itsdangerous.URLSafeTimedSerializer", "itsdangerous.URLSafeSerializer",
        "itsdangerous.TimedSerializer", "itsdangerous.Serializer", "itsdangerous.Signer",
        "itsdangerous.TimestampSigner", "hmac.new", "hmac.digest", "hmac.HMAC",
        "cryptography.fernet.Fernet", "django.core.signing.Signer",
        "django.core.signing.TimestampSigner", NULL};
    if (str_in(q, first)) {
        const py_node *k = ast_call_arg(call, 0, strncmp(q, "hmac.", 5) == 0 ? "key" : "secret_key");
        if (!k && strncmp(q, "django.", 7) == 0) k = ast_call_kw(call, "key");
        report_key(c, call, k, q);
        return;
    }
    /* SessionMiddleware(app, secret_key=...) and app.add_middleware(SessionMiddleware, secret_key=...) */
    const char *m = ast_call_method(call);
    if ((q && strstr(q, "SessionMiddleware")) || (m && strcmp(m, "add_middleware") == 0))
        report_key(c, call, ast_call_kw(call, "secret_key"), "the session middleware's secret_key");
    /* app.config.update(SECRET_KEY="...") / from_mapping(...) / dict(SECRET_KEY=...) */
    if (m && (strcmp(m, "update") == 0 || strcmp(m, "from_mapping") == 0))
        for (int i = 0; i < call->call.keywords.n; i++) {
            const py_node *kw = call->call.keywords.v[i];
            if (kw->keyword.arg && key_setting(kw->keyword.arg) && strcmp(kw->keyword.arg, "secret_key") != 0)
                report_key(c, kw->keyword.value, kw->keyword.value, kw->keyword.arg);
        }
}

/* --- VG602, VG603, VG604 ----------------------------------------------------- */

static int has_str(const py_node *list, const char *s)
{
    if (!list || (list->kind != PY_List && list->kind != PY_Tuple)) return 0;
    for (int i = 0; i < list->list.elts.n; i++) {
        const char *v = ast_const_str(list->list.elts.v[i]);
        if (v && strcmp(v, s) == 0) return 1;
    }
    return 0;
}

static int has_str_part(const py_node *list, const char *s)
{
    if (!list || (list->kind != PY_List && list->kind != PY_Tuple)) return 0;
    for (int i = 0; i < list->list.elts.n; i++) {
        const char *v = ast_const_str(list->list.elts.v[i]);
        if (v && strstr(v, s)) return 1;
    }
    return 0;
}

static void check_settings_store(rule_ctx *c, const py_node *t, const py_node *value)
{
    const char *name = target_name(t);
    if (!name) return;
    int module_level = t->kind == PY_Name && !resolve_function_of(t);
    if (strcmp(name, "DEBUG") == 0 || (strcmp(name, "debug") == 0 && t->kind == PY_Attribute && c->web)) {
        if (!is_true(value)) return;
        if (t->kind == PY_Name && !(module_level && settings_module(c))) return;
        if (t->kind == PY_Attribute && !(c->frameworks & SEMA_FW_FLASK)) return;
        finding *fd = rule_report(c, "VG602", t, "%s = True", name);
        if (dev_module(c)) fd->tier = TIER_REVIEW;
        return;
    }
    if (strcmp(name, "ALLOWED_HOSTS") == 0 && module_level && has_str(value, "*")) {
        finding *fd = rule_report(c, "VG603", t, "ALLOWED_HOSTS accepts any host");
        if (dev_module(c)) fd->tier = TIER_REVIEW;
        return;
    }
    if (strcmp(name, "WTF_CSRF_ENABLED") == 0 && is_false(value) && !c->f->test_file) {
        finding *fd = rule_report(c, "VG604", t, "WTF_CSRF_ENABLED = False");
        if (dev_module(c)) fd->tier = TIER_REVIEW;
        return;
    }
    if ((strcmp(name, "MIDDLEWARE") == 0 || strcmp(name, "MIDDLEWARE_CLASSES") == 0) && module_level &&
        has_str_part(value, "SessionMiddleware") && !has_str_part(value, "CsrfViewMiddleware"))
        rule_report(c, "VG604", t, "%s without django.middleware.csrf.CsrfViewMiddleware", name);
}

static void check_csrf_exempt(rule_ctx *c, const py_node *def)
{
    const py_list *d = &def->functiondef.decorator_list;
    for (int i = 0; i < d->n; i++) {
        const py_node *e = d->v[i];
        const char *q = e->kind == PY_Call ? call_qual(c, e) : resolve_name(c->res, e);
        int flask_wtf = e->kind == PY_Attribute && strcmp(e->attribute.attr, "exempt") == 0 &&
                        q && strncmp(q, "flask_wtf", 9) == 0;
        if ((q && strcmp(q, "django.views.decorators.csrf.csrf_exempt") == 0) || flask_wtf)
            rule_report(c, "VG604", e, "%s() accepts cross-site form posts (CSRF exempt)",
                        def->functiondef.name);
    }
}

/* --- VG605 ----------------------------------------------------------------------- */

/* Is n under an if/else, a match case or a try handler of its function?
 * An HTTP client that turns checks off when its caller asked for verify=False
 * implements an option; an unconditional store is the slip. */
static int conditional(const py_node *n)
{
    for (const py_node *p = n->parent; p; p = p->parent) {
        switch (p->kind) {
        case PY_If: case PY_IfExp: case PY_Match: case PY_ExceptHandler: return 1;
        case PY_FunctionDef: case PY_AsyncFunctionDef: case PY_ClassDef: case PY_Lambda: case PY_Module:
            return 0;
        default: break;
        }
    }
    return 0;
}

static int cert_none(rule_ctx *c, const py_node *v)
{
    const char *q = v ? resolve_name(c->res, v) : NULL;
    return q && strcmp(q, "ssl.CERT_NONE") == 0;
}

static void check_tls_store(rule_ctx *c, const py_node *t, const py_node *value)
{
    /* self.check_hostname = False: a class that is itself a context, setting its default */
    if (t->kind != PY_Attribute || conditional(t) ||
        (t->attribute.value->kind == PY_Name && strcmp(t->attribute.value->name.id, "self") == 0))
        return;
    const char *a = t->attribute.attr;
    if (strcmp(a, "check_hostname") == 0 && is_false(value))
        rule_report(c, "VG605", t, "check_hostname = False: any host name is accepted");
    else if (strcmp(a, "verify_mode") == 0 && cert_none(c, value))
        rule_report(c, "VG605", t, "verify_mode = CERT_NONE: any certificate is accepted");
}

static void check_tls_call(rule_ctx *c, const py_node *call)
{
    if (cert_none(c, ast_call_kw(call, "cert_reqs")) && !conditional(call))
        rule_report(c, "VG605", call, "cert_reqs=CERT_NONE: any certificate is accepted");
}

/* --- VG606 ----------------------------------------------------------------------- */

static void check_xml_parser(rule_ctx *c, const py_node *call, const char *q)
{
    if (q && (strcmp(q, "lxml.etree.XMLParser") == 0 || strcmp(q, "lxml.etree.XMLTreeBuilder") == 0)) {
        const py_node *re = ast_call_kw(call, "resolve_entities");
        const py_node *dtd = ast_call_kw(call, "load_dtd"), *net = ast_call_kw(call, "no_network");
        if (is_true(re))
            rule_report(c, "VG606", call, "XMLParser(resolve_entities=True) expands external entities");
        else if (is_true(dtd) && is_false(net))
            rule_report(c, "VG606", call, "XMLParser(load_dtd=True, no_network=False) fetches DTDs");
        return;
    }
    const char *m = ast_call_method(call);
    if (!m || strcmp(m, "setFeature") != 0) return;
    const py_node *f = ast_call_arg(call, 0, NULL), *on = ast_call_arg(call, 1, NULL);
    const char *fq = f ? resolve_name(c->res, f) : NULL;
    const char *fs = ast_const_str(f);
    if (!is_true(on)) return;
    if ((fq && (strstr(fq, "feature_external_ges") || strstr(fq, "feature_external_pes"))) ||
        (fs && strstr(fs, "external-general-entities")) || (fs && strstr(fs, "external-parameter-entities")))
        rule_report(c, "VG606", call, "setFeature(external entities, True) lets the document read files and URLs");
}

/* --- VG302 ----------------------------------------------------------------------- */

static void check_cipher(rule_ctx *c, const py_node *call, const char *q)
{
    if (!q) return;
    size_t n = strlen(q);
    /* pycryptodome: AES.new(key, AES.MODE_ECB) / MODE_CBC with a literal iv */
    if (n > 4 && strcmp(q + n - 4, ".new") == 0 && strncmp(q, "Crypto", 6) == 0) {
        const py_node *mode = ast_call_arg(call, 1, "mode");
        const char *mq = mode ? resolve_name(c->res, mode) : NULL;
        const char *ml = mq ? strrchr(mq, '.') : NULL;
        if (ml && strcmp(ml, ".MODE_ECB") == 0) {
            rule_report(c, "VG302", call, "cipher in ECB mode");
            return;
        }
        const py_node *iv = ast_call_arg(call, 2, "iv");
        if (!iv) iv = ast_call_kw(call, "nonce");
        if (literal_key(c, iv)) rule_report(c, "VG302", call, "cipher with a constant IV or nonce");
        return;
    }
    /* cryptography: modes.CBC(b"...") and friends; modes.ECB() is B305's */
    static const char *const modes[] = {
        "cryptography.hazmat.primitives.ciphers.modes.CBC", "cryptography.hazmat.primitives.ciphers.modes.CFB",
        "cryptography.hazmat.primitives.ciphers.modes.OFB", "cryptography.hazmat.primitives.ciphers.modes.CTR",
        "cryptography.hazmat.primitives.ciphers.modes.GCM", NULL};
    if (str_in(q, modes) && literal_key(c, ast_call_arg(call, 0, NULL)))
        rule_report(c, "VG302", call, "%s with a constant IV or nonce", strrchr(q, '.') + 1);
}

/* --- VG303 ----------------------------------------------------------------------- */

typedef struct smtp_scan {
    rule_ctx *c;
    int plain, tls;
} smtp_scan;

static int smtp_visit(py_node *n, void *ud)
{
    smtp_scan *s = ud;
    if (n->kind != PY_Call) return AST_CONTINUE;
    const char *q = call_qual(s->c, n);
    if (q && strcmp(q, "smtplib.SMTP") == 0) s->plain = 1;
    const char *m = ast_call_method(n);
    if (m && strcmp(m, "starttls") == 0) s->tls = 1;
    return AST_CONTINUE;
}

static const py_node *bound_value(const py_node *fn, const py_node *name);

static void check_smtp_login(rule_ctx *c, const py_node *call)
{
    const char *m = ast_call_method(call);
    if (!m || strcmp(m, "login") != 0 || call->call.func->kind != PY_Attribute ||
        call->call.args.n + call->call.keywords.n < 2)
        return;
    const py_node *fn = resolve_function_of(call);
    /* the connection the login is on, when the function made it */
    const py_node *conn = bound_value(fn, call->call.func->attribute.value);
    const char *cq = conn && conn->kind == PY_Call ? call_qual(c, conn) : NULL;
    if (cq && strcmp(cq, "ftplib.FTP") == 0) {
        rule_report(c, "VG303", call, "FTP login without TLS (ftplib.FTP_TLS)");
        return;
    }
    if (cq && strcmp(cq, "smtplib.SMTP") != 0) return; /* SMTP_SSL, FTP_TLS, anything else */
    smtp_scan s = {c, 0, 0};
    ast_walk((py_node *)(fn ? fn : c->mod->node), smtp_visit, &s);
    if (s.plain && !s.tls) rule_report(c, "VG303", call, "SMTP login without starttls()");
}

/* A literal http:// URL to another machine (localhost and loopback are the
 * program's own). */
static int plain_http(const char *u)
{
    if (!u || strncmp(u, "http://", 7) != 0) return 0;
    const char *h = u + 7;
    static const char *const local[] = {"localhost", "127.", "0.0.0.0", "[::1]", NULL};
    for (int i = 0; local[i]; i++)
        if (strncmp(h, local[i], strlen(local[i])) == 0) return 0;
    return *h != 0;
}

/* A dict literal with a password-like key. */
static int carries_password(const py_node *d)
{
    if (!d || d->kind != PY_Dict) return 0;
    for (int i = 0; i < d->dict.keys.n; i++) {
        const char *k = ast_const_str(d->dict.keys.v[i]);
        if (k && (strstr(k, "password") || strstr(k, "passwd") || strcmp(k, "pwd") == 0 ||
                  strcmp(k, "secret") == 0 || strcmp(k, "client_secret") == 0))
            return 1;
    }
    return 0;
}

static void check_http_credentials(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const clients[] = {"requests.get", "requests.post", "requests.put", "requests.patch",
                                          "requests.request", "httpx.get", "httpx.post", "httpx.put",
                                          "httpx.patch", "httpx.request", NULL};
    if (!str_in(q, clients)) return;
    int req = strcmp(q + strlen(q) - 8, ".request") == 0;
    const char *u = ast_const_str(ast_call_arg(call, req ? 1 : 0, "url"));
    if (!plain_http(u)) return;
    if (ast_call_kw(call, "auth") || carries_password(ast_call_kw(call, "data")) ||
        carries_password(ast_call_kw(call, "json")))
        rule_report(c, "VG303", call, "credentials sent to an http:// URL");
}

/* --- VG607, VG608 ---------------------------------------------------------------- */

/* The function checks an upload's type: it reads `.filename`/`.content_type`
 * into a test (endswith, splitext, rsplit, `in`, a call named allowed*). */
typedef struct upload_scan {
    int checked;
} upload_scan;

static int upload_visit(py_node *n, void *ud)
{
    upload_scan *u = ud;
    if (n->kind == PY_Call) {
        const char *m = ast_call_method(n);
        const char *t = ast_terminal_name(n->call.func);
        if ((m && (strcmp(m, "endswith") == 0 || strcmp(m, "rsplit") == 0 || strcmp(m, "splitext") == 0 ||
                   strcmp(m, "suffix") == 0 || strcmp(m, "guess_type") == 0)) ||
            (t && (strstr(t, "allowed") || strstr(t, "valid") || strstr(t, "check"))))
            u->checked = 1;
    }
    if (n->kind == PY_Attribute && (strcmp(n->attribute.attr, "content_type") == 0 ||
                                    strcmp(n->attribute.attr, "mimetype") == 0 ||
                                    strcmp(n->attribute.attr, "suffix") == 0))
        u->checked = 1;
    if (n->kind == PY_Compare)
        for (int i = 0; i < n->compare.comparators.n; i++)
            if (n->compare.ops[i] == PY_In || n->compare.ops[i] == PY_NotIn) u->checked = 1;
    return u->checked ? AST_STOP : AST_CONTINUE;
}

/* request.files["f"], request.files.get("f"), request.FILES[...]: an upload. */
static int upload_expr(rule_ctx *c, const py_node *e, const py_node *fn)
{
    for (int i = 0; e && i < 4; i++) {
        if (e->kind == PY_Subscript) e = e->subscript.value;
        else if (e->kind == PY_Call && e->call.func->kind == PY_Attribute) e = e->call.func->attribute.value;
        else break;
    }
    if (e && e->kind == PY_Attribute && (strcmp(e->attribute.attr, "files") == 0 || strcmp(e->attribute.attr, "FILES") == 0))
        return sema_is_request_expr(e->attribute.value, c->frameworks);
    /* a parameter annotated UploadFile / FileStorage of a route handler (a
     * helper's FileStorage parameter was checked by its caller's form) */
    if (e && e->kind == PY_Name && fn && fn->kind != PY_Lambda &&
        sema_is_route_handler(fn, c->frameworks)) {
        const py_node *a = fn->functiondef.args;
        py_list ls[2] = {a->arguments.args, a->arguments.kwonlyargs};
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < ls[k].n; i++) {
                const py_node *p = ls[k].v[i];
                const char *ann = p->arg.annotation ? ast_terminal_name(p->arg.annotation) : NULL;
                if (p->arg.arg == e->name.id && ann && (strcmp(ann, "UploadFile") == 0 || strcmp(ann, "FileStorage") == 0))
                    return 1;
            }
    }
    return 0;
}

static const py_node *bound_value(const py_node *fn, const py_node *name)
{
    if (!fn || fn->kind == PY_Lambda || name->kind != PY_Name) return name;
    const py_list *b = &fn->functiondef.body;
    const py_node *v = name;
    for (int i = 0; i < b->n && b->v[i]->lineno <= name->lineno; i++) {
        const py_node *s = b->v[i];
        if (s->kind == PY_Assign && s->assign.targets.n == 1 && s->assign.targets.v[0]->kind == PY_Name &&
            s->assign.targets.v[0]->name.id == name->name.id)
            v = s->assign.value;
    }
    return v;
}

static void check_upload(rule_ctx *c, const py_node *call)
{
    const char *m = ast_call_method(call);
    if (!c->web || !m || strcmp(m, "save") != 0 || call->call.func->kind != PY_Attribute ||
        call->call.args.n < 1)
        return;
    const py_node *fn = resolve_function_of(call);
    const py_node *recv = bound_value(fn, call->call.func->attribute.value);
    if (!upload_expr(c, recv, fn)) return;
    upload_scan u = {0};
    ast_walk((py_node *)(fn ? fn : c->mod->node), upload_visit, &u);
    if (!u.checked) rule_report(c, "VG607", call, "uploaded file saved without checking its type");
}

static void check_body_read(rule_ctx *c, const py_node *call)
{
    const char *m = ast_call_method(call);
    if (!m || call->call.func->kind != PY_Attribute || call->call.args.n || call->call.keywords.n)
        return;
    const py_node *r = call->call.func->attribute.value;
    /* self.rfile.read(): http.server needs no framework import */
    if (strcmp(m, "read") == 0 && r->kind == PY_Attribute && strcmp(r->attribute.attr, "rfile") == 0 &&
        r->attribute.value->kind == PY_Name && strcmp(r->attribute.value->name.id, "self") == 0) {
        finding *fd = rule_report(c, "VG608", call, "the whole request body read with no size limit");
        fd->tier = TIER_REVIEW;
        return;
    }
    if (!c->web) return;
    int whole = 0;
    if (strcmp(m, "read") == 0 && r->kind == PY_Attribute && strcmp(r->attribute.attr, "stream") == 0 &&
        sema_is_request_expr(r->attribute.value, c->frameworks))
        whole = 1;
    if ((strcmp(m, "body") == 0 || strcmp(m, "get_data") == 0) && sema_is_request_expr(r, c->frameworks))
        whole = 1;
    if (!whole) return;
    finding *fd = rule_report(c, "VG608", call, "the whole request body read with no size limit");
    fd->tier = TIER_REVIEW;
}

/* --- the family ------------------------------------------------------------------ */

void config_visit(rule_ctx *c, py_node *n)
{
    switch (n->kind) {
    case PY_Assign:
        for (int i = 0; i < n->assign.targets.n; i++) {
            const py_node *t = n->assign.targets.v[i];
            check_key_store(c, t, n->assign.value);
            check_settings_store(c, t, n->assign.value);
            check_tls_store(c, t, n->assign.value);
        }
        break;
    case PY_AnnAssign:
        if (n->annassign.value) {
            check_key_store(c, n->annassign.target, n->annassign.value);
            check_settings_store(c, n->annassign.target, n->annassign.value);
        }
        break;
    case PY_Call: {
        const char *q = call_qual(c, n);
        check_key_call(c, n, q);
        check_tls_call(c, n);
        check_xml_parser(c, n, q);
        check_cipher(c, n, q);
        check_smtp_login(c, n);
        check_http_credentials(c, n, q);
        check_upload(c, n);
        check_body_read(c, n);
        break;
    }
    case PY_FunctionDef: case PY_AsyncFunctionDef:
        check_csrf_exempt(c, n);
        break;
    default:
        break;
    }
}
