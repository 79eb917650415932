/* crypto.c - cryptography and TLS: B502/B503 bad TLS versions, B505 weak
 * keys, VG301 passwords hashed with a plain digest; and the metadata of
 * the calls.def rows B324, B501, B504, B506-B509. */
#include "meta.h"
#include "rules.h"

#include <string.h>

static const rule_meta crypto_rules[] = {
    RULE("B324", "weak hash in hashlib", H, CH, CWE(328, 327, 0), "A02:2021",
         "hashlib.md4/md5/sha1 (or hashlib.new with those names) without usedforsecurity=False: "
         "broken for signatures, integrity and passwords.",
         "Use SHA-256 or better; if the hash is not for security, say so with usedforsecurity=False.",
         BANDIT_PLUGIN("b324_hashlib") " " CWE_URL(328)),
    RULE("B501", "TLS certificate verification off", H, CH, CWE(295, 0), "A07:2021",
         "requests/httpx with verify=False accept any certificate: anyone on the path can read and "
         "change the traffic.",
         "Keep verify=True (the default); for a private CA pass verify=\"/path/ca.pem\".",
         BANDIT_PLUGIN("b501_request_with_no_cert_validation") " " CWE_URL(295)),
    RULE("B502", "broken SSL/TLS version", H, CH, CWE(327, 326, 0), "A02:2021",
         "SSLv2, SSLv3, TLS 1.0 and TLS 1.1 are broken or deprecated (RFC 8996).",
         "Use ssl.create_default_context() (TLS 1.2+), or PROTOCOL_TLS_CLIENT.",
         BANDIT_PLUGIN("b502_ssl_with_bad_version") " " CWE_URL(327)),
    RULE("B503", "broken SSL/TLS version as a default", M, CM, CWE(327, 0), "A02:2021",
         "A function whose parameter defaults to SSLv2/SSLv3/TLS 1.0/TLS 1.1.",
         "Default to ssl.PROTOCOL_TLS_CLIENT.",
         BANDIT_PLUGIN("b503_ssl_with_bad_defaults") " " CWE_URL(327)),
    RULE("B504", "ssl.wrap_socket without a version", L, CM, CWE(327, 0), "A02:2021",
         "ssl.wrap_socket without ssl_version may negotiate an old protocol (and is removed in "
         "Python 3.12).",
         "Use SSLContext.wrap_socket from ssl.create_default_context().",
         BANDIT_PLUGIN("b504_ssl_with_no_version") " " CWE_URL(327)),
    RULE("B505", "weak cryptographic key", M, CH, CWE(326, 0), "A02:2021",
         "RSA/DSA keys under 2048 bits (high severity under 1024) and EC curves under 224 bits can "
         "be broken.",
         "Use RSA/DSA of 2048 bits or more (3072 for new systems) or SECP256R1/X25519.",
         BANDIT_PLUGIN("b505_weak_cryptographic_key") " " CWE_URL(326)),
    RULE("B506", "yaml.load with an unsafe loader", M, CH, CWE(502, 20, 0), "A08:2021",
         "yaml.load without a safe Loader builds arbitrary Python objects from the document.",
         "Use yaml.safe_load, or Loader=yaml.SafeLoader.",
         BANDIT_PLUGIN("b506_yaml_load") " " CWE_URL(502)),
    RULE("B507", "SSH host key not checked", H, CM, CWE(295, 322, 0), "A07:2021",
         "paramiko with AutoAddPolicy/WarningPolicy accepts any host key: a man in the middle gets "
         "your credentials.",
         "Load known hosts (load_system_host_keys) and use RejectPolicy.",
         BANDIT_PLUGIN("b507_ssh_no_host_key_verification") " " CWE_URL(295)),
    RULE("B508", "insecure SNMP version", M, CM, CWE(319, 0), "A02:2021",
         "SNMP v1/v2c (CommunityData with mpModel 0 or 1, the default) send the community string "
         "in clear text.",
         "Use SNMPv3 (UsmUserData with authentication and privacy).",
         BANDIT_PLUGIN("b508_snmp_insecure_version") " " CWE_URL(319)),
    RULE("B509", "SNMPv3 without authentication or privacy", M, CM, CWE(319, 0), "A02:2021",
         "UsmUserData without authKey/privKey sends SNMPv3 without authentication or encryption.",
         "Pass authKey and privKey (authPriv).",
         BANDIT_PLUGIN("b509_snmp_weak_cryptography") " " CWE_URL(319)),
    RULE("VG301", "password hashed with a plain digest", M, CM, CWE(916, 328, 0), "A02:2021",
         "A password-like value hashed with md5/sha1/sha256/... (also through .update()): plain "
         "digests are fast, so stolen hashes are cracked by brute force.",
         "Use a password hash: argon2-cffi, bcrypt, hashlib.scrypt or hashlib.pbkdf2_hmac with a "
         "salt and a high iteration count (or passlib/werkzeug.security.generate_password_hash).",
         CWE_URL(916) " https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html"),
};

void rules_crypto_register(void)
{
    rules_register_table(crypto_rules, sizeof crypto_rules / sizeof *crypto_rules);
}

/* --- B502, B503 ------------------------------------------------------------ */

static const char *const bad_tls[] = {
    "PROTOCOL_SSLv2", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1", "PROTOCOL_TLSv1_1", "SSLv2_METHOD",
    "SSLv23_METHOD", "SSLv3_METHOD", "TLSv1_METHOD", "TLSv1_1_METHOD", NULL,
};

static void check_tls(rule_ctx *c, const py_node *call, const char *q)
{
    const py_node *v = ast_call_kw(call, "ssl_version");
    if (!v) v = ast_call_kw(call, "method");
    int strong = q && (strcmp(q, "ssl.wrap_socket") == 0 || strcmp(q, "OpenSSL.SSL.Context") == 0 ||
                       strcmp(q, "ssl.SSLContext") == 0);
    if (!v && strong) v = ast_call_arg(call, 0, NULL);
    const char *t = ast_terminal_name(v);
    if (!str_in(t, bad_tls)) return;
    finding *fd = rule_report(c, "B502", call, "%s with %s", q ? q : "call", t);
    if (!strong) fd->severity = SEV_MEDIUM, fd->confidence = CONF_MEDIUM;
}

static void check_tls_defaults(rule_ctx *c, const py_node *fn)
{
    const py_node *a = fn->functiondef.args;
    if (!a) return;
    for (int i = 0; i < a->arguments.defaults.n; i++)
        if (str_in(ast_terminal_name(a->arguments.defaults.v[i]), bad_tls))
            rule_report(c, "B503", a->arguments.defaults.v[i], "parameter defaults to %s",
                        ast_terminal_name(a->arguments.defaults.v[i]));
    for (int i = 0; i < a->arguments.kw_defaults.n; i++)
        if (a->arguments.kw_defaults.v[i] && str_in(ast_terminal_name(a->arguments.kw_defaults.v[i]), bad_tls))
            rule_report(c, "B503", a->arguments.kw_defaults.v[i], "parameter defaults to %s",
                        ast_terminal_name(a->arguments.kw_defaults.v[i]));
}

/* --- B505 ------------------------------------------------------------------ */

static void key_size(rule_ctx *c, const py_node *call, const char *what, const py_node *v)
{
    long long bits;
    if (!const_int(v, &bits) || bits >= 2048) return;
    finding *fd = rule_report(c, "B505", call, "%s key of %lld bits", what, bits);
    if (bits < 1024) fd->severity = SEV_HIGH;
}

static void check_keys(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const rsa[] = {"cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key", NULL};
    static const char *const dsa[] = {"cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key", NULL};
    static const char *const ec[] = {"cryptography.hazmat.primitives.asymmetric.ec.generate_private_key", NULL};
    static const char *const legacy[] = {"Crypto.PublicKey.RSA.generate", "Crypto.PublicKey.DSA.generate",
                                         "Cryptodome.PublicKey.RSA.generate", "Cryptodome.PublicKey.DSA.generate", NULL};
    if (str_in(q, rsa)) key_size(c, call, "RSA", ast_call_arg(call, 1, "key_size"));
    else if (str_in(q, dsa)) key_size(c, call, "DSA", ast_call_arg(call, 0, "key_size"));
    else if (str_in(q, legacy)) key_size(c, call, strstr(q, "RSA") ? "RSA" : "DSA", ast_call_arg(call, 0, "bits"));
    else if (str_in(q, ec)) {
        const py_node *cv = ast_call_arg(call, 0, "curve");
        if (cv && cv->kind == PY_Call) cv = cv->call.func;
        static const char *const weak[] = {"SECP192R1", "SECT163K1", "SECT163R2", NULL};
        if (str_in(ast_terminal_name(cv), weak))
            rule_report(c, "B505", call, "EC key on the weak curve %s", ast_terminal_name(cv));
    }
}

/* --- VG301 ----------------------------------------------------------------- */

static const char *const pw_words[] = {"password", "passwd", "pwd", "passphrase", "pword", NULL};

static int mentions_password(const py_node *n, int depth)
{
    if (!n || depth > 24) return 0;
    const char *t = ast_terminal_name(n);
    if (t && (n->kind == PY_Name || n->kind == PY_Attribute || n->kind == PY_Subscript) &&
        ident_has_word(t, pw_words))
        return 1;
    switch (n->kind) {
    case PY_Attribute: return mentions_password(n->attribute.value, depth + 1);
    case PY_Subscript: return mentions_password(n->subscript.value, depth + 1);
    case PY_Call:
        if (mentions_password(n->call.func, depth + 1)) return 1;
        for (int i = 0; i < n->call.args.n; i++)
            if (mentions_password(n->call.args.v[i], depth + 1)) return 1;
        return 0;
    case PY_BinOp: return mentions_password(n->binop.left, depth + 1) || mentions_password(n->binop.right, depth + 1);
    case PY_JoinedStr:
        for (int i = 0; i < n->joinedstr.values.n; i++)
            if (mentions_password(n->joinedstr.values.v[i], depth + 1)) return 1;
        return 0;
    case PY_FormattedValue: return mentions_password(n->formattedvalue.value, depth + 1);
    default: return 0;
    }
}

static void check_password_digest(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const digests[] = {
        "hashlib.md5", "hashlib.sha1", "hashlib.sha224", "hashlib.sha256", "hashlib.sha384",
        "hashlib.sha512", "hashlib.sha3_224", "hashlib.sha3_256", "hashlib.sha3_384",
        "hashlib.sha3_512", "hashlib.blake2b", "hashlib.blake2s", "hashlib.new", NULL,
    };
    const py_node *data = NULL;
    const char *algo = q;
    if (str_in(q, digests)) {
        data = ast_call_arg(call, strcmp(q, "hashlib.new") == 0 ? 1 : 0, "data");
        if (!data) data = ast_call_arg(call, strcmp(q, "hashlib.new") == 0 ? 1 : 0, "string");
    } else if (str_has_prefix(q, "hashlib.") && strlen(q) > 7 && strcmp(q + strlen(q) - 7, ".update") == 0) {
        data = ast_call_arg(call, 0, NULL);
    }
    if (data && mentions_password(data, 0))
        rule_report(c, "VG301", call, "password hashed with a plain digest (%s)", algo);
}

void crypto_visit(rule_ctx *c, py_node *n)
{
    if (n->kind == PY_FunctionDef || n->kind == PY_AsyncFunctionDef) {
        check_tls_defaults(c, n);
        return;
    }
    if (n->kind != PY_Call) return;
    const char *q = call_qual(c, n);
    check_tls(c, n, q);
    if (!q) {
        /* h = hashlib.sha256(); h.update(pw): the receiver is an instance */
        const py_node *f = n->call.func;
        if (f->kind == PY_Attribute && strcmp(f->attribute.attr, "update") == 0) {
            const char *base = resolve_name(c->res, f);
            if (base) check_password_digest(c, n, base);
        }
        return;
    }
    check_keys(c, n, q);
    check_password_digest(c, n, q);
}
