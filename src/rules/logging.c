/* logging.c - secrets and personal data written to logs or stdout (VG101).
 *
 * A log call is logging.<level>(), <anything named *log*>.<level>(), a
 * logger from logging.getLogger(), or print().  Its arguments leak when
 * they name a secret (password, token, api_key, ...) or personal data
 * (ssn, credit_card, ...), directly, inside an f-string, a % or .format
 * argument, or when the message text says "password=" right before an
 * interpolated value.  Values passed through a function first (len(pw),
 * mask(token), hash(...)) are not reported. */
#include "meta.h"
#include "rules.h"

#include <ctype.h>
#include <string.h>

static const rule_meta logging_rules[] = {
    RULE("VG101", "secret or personal data in a log", M, CM, CWE(532, 359, 0), "A09:2021",
         "A password, token, API key, secret or personal data (SSN, card number) passed to a "
         "logging call or print(): logs are copied to many places and kept for a long time.",
         "Log an identifier or a masked form instead (the last four characters), never the value.",
         CWE_URL(532) " " OWASP_URL("A09_2021-Security_Logging_and_Monitoring_Failures")),
};

void rules_logging_register(void)
{
    rules_register_table(logging_rules, sizeof logging_rules / sizeof *logging_rules);
}

static const char *const sensitive_words[] = {
    "password", "passwd", "pwd", "passphrase", "secret", "apikey", "accesskey",
    "privatekey", "secretkey", "clientsecret", "ssn", "creditcard", "cardnumber", "ccnumber",
    "cvv", "cvc", "authorization", "bearer", NULL,
};
static const char *const harmless_words[] = {
    "count", "counts", "len", "length", "type", "types", "url", "uri", "endpoint", "path", "file",
    "name", "names", "field", "expiry", "expires", "expiration", "ttl", "id", "ids", "usage",
    "limit", "max", "min", "num", "index", "idx", "prompt", "reset", "required", "valid",
    "invalid", "provider", "format", "policy", "strength", "hint", "label", "changed", "updated",
    "set", "missing", "error", "errors", "status", "exists", "used", "mode", "kind", "version",
    "spent", "budget", "cost", "position", "pos", "start", "end", "encoding", "size",
    /* what handles the secret, not the secret: token_renewer_class */
    "class", "cls", "renewer", "refresher", "manager", "handler", "factory", "generator",
    "backend", "store", "storage", "loader", "validator", "checker", NULL,
};

static int sensitive_ident(rule_ctx *c, const char *id)
{
    if (!id || ident_has_word(id, harmless_words)) return 0;
    return ident_has_word(id, sensitive_words) || token_is_credential(c, id);
}

static const char *leak(rule_ctx *c, const py_node *n, int depth)
{
    if (!n || depth > 24) return NULL;
    switch (n->kind) {
    case PY_Name: case PY_Attribute: case PY_Subscript: {
        const char *t = ast_terminal_name(n);
        if (n->kind == PY_Subscript && !t) return leak(c, n->subscript.value, depth + 1);
        return sensitive_ident(c, t) ? t : NULL;
    }
    case PY_JoinedStr:
        for (int i = 0; i < n->joinedstr.values.n; i++) {
            const char *l = leak(c, n->joinedstr.values.v[i], depth + 1);
            if (l) return l;
        }
        return NULL;
    case PY_FormattedValue: return leak(c, n->formattedvalue.value, depth + 1);
    case PY_BinOp: {
        const char *l = leak(c, n->binop.left, depth + 1);
        return l ? l : leak(c, n->binop.right, depth + 1);
    }
    case PY_Tuple: case PY_List:
        for (int i = 0; i < n->list.elts.n; i++) {
            const char *l = leak(c, n->list.elts.v[i], depth + 1);
            if (l) return l;
        }
        return NULL;
    case PY_Dict:
        for (int i = 0; i < n->dict.values.n; i++) {
            const char *k = ast_const_str(n->dict.keys.v[i]);
            if (k && sensitive_ident(c, k) && !is_literal(c, n->dict.values.v[i])) return k;
            const char *l = leak(c, n->dict.values.v[i], depth + 1);
            if (l) return l;
        }
        return NULL;
    case PY_Call: {
        /* only calls that keep the value: str(), repr(), "...".format() */
        const char *q = call_qual(c, n);
        if (q && (strcmp(q, "str") == 0 || strcmp(q, "repr") == 0 || strcmp(q, "format") == 0))
            return leak(c, ast_call_arg(n, 0, NULL), depth + 1);
        if (is_interpolation(n)) {
            for (int i = 0; i < n->call.args.n; i++) {
                const char *l = leak(c, n->call.args.v[i], depth + 1);
                if (l) return l;
            }
            for (int i = 0; i < n->call.keywords.n; i++) {
                const char *k = n->call.keywords.v[i]->keyword.arg;
                if (k && sensitive_ident(c, k)) return k;
                const char *l = leak(c, n->call.keywords.v[i]->keyword.value, depth + 1);
                if (l) return l;
            }
        }
        return NULL;
    }
    default:
        return NULL;
    }
}

/* "password=?" / "token: ?" in the text of an interpolated message */
static int text_labels_secret(rule_ctx *c, const py_node *n)
{
    if (!is_interpolation(n)) return 0;
    char text[1024];
    if (!interp_text(c, n, text, sizeof text)) return 0;
    for (char *p = text; *p; p++) *p = (char)tolower((unsigned char)*p);
    static const char *const labels[] = {"password", "passwd", "api_key", "apikey", "secret", "token", "ssn"};
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        for (const char *p = strstr(text, labels[i]); p; p = strstr(p + 1, labels[i])) {
            const char *e = p + strlen(labels[i]);
            if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) continue;
            if (isalnum((unsigned char)*e) || *e == '_') continue;
            while (*e == ' ' || *e == '=' || *e == ':' || *e == '"' || *e == '\'') e++;
            if (*e == '?' || *e == '%' || *e == '{') return 1;
        }
    }
    return 0;
}

static const char *const levels[] = {
    "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", NULL,
};

static int is_log_call(const py_node *call, const char *q)
{
    if (q && strcmp(q, "print") == 0) return 1;
    const py_node *f = call->call.func;
    if (f->kind != PY_Attribute || !str_in(f->attribute.attr, levels)) return 0;
    if (q && str_has_prefix(q, "logging.")) return 1;
    const char *recv = ast_terminal_name(f->attribute.value);
    if (!recv) return 0;
    char low[64];
    size_t i = 0;
    for (; recv[i] && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)recv[i]);
    low[i] = 0;
    return strstr(low, "log") != NULL;
}

void logging_visit(rule_ctx *c, py_node *n)
{
    if (n->kind != PY_Call) return;
    const char *q = call_qual(c, n);
    if (!is_log_call(n, q)) return;
    for (int i = 0; i < n->call.args.n; i++) {
        const py_node *a = n->call.args.v[i];
        const char *what = leak(c, a, 0);
        if (what || text_labels_secret(c, a)) {
            rule_report(c, "VG101", n, "sensitive value `%s` written to a log", what ? what : "(labelled in the message)");
            return;
        }
    }
    for (int i = 0; i < n->call.keywords.n; i++) {
        const char *k = n->call.keywords.v[i]->keyword.arg;
        if (k && (strcmp(k, "exc_info") == 0 || strcmp(k, "stack_info") == 0 || strcmp(k, "file") == 0 ||
                  strcmp(k, "sep") == 0 || strcmp(k, "end") == 0 || strcmp(k, "flush") == 0))
            continue;
        const char *what = leak(c, n->call.keywords.v[i]->keyword.value, 0);
        if (what) {
            rule_report(c, "VG101", n, "sensitive value `%s` written to a log", what);
            return;
        }
    }
}
