/* llm.c - what flows into a language model and what the model may choose
 * (docs/llm.md): the leak sources, the prompt sinks and the agent tools.
 *
 * In a module that imports an LLM client or agent framework (md->llmmod,
 * sema_imports_llm) the engine also asks this file:
 *   llm_mark       a value read from a secret-named or personal-data-named
 *                  place (api_key, settings.OPENAI_API_KEY, user.email,
 *                  os.environ["AWS_SECRET_ACCESS_KEY"], row["ssn"]) carries
 *                  SK_SECRET or SK_PII; so does a key file or .env read
 *                  whole, the whole environment, and a person's row turned
 *                  into a dict (vars(user), user.to_dict(), model_to_dict);
 *                  masking and hashing (mask_email(), hashlib) clear them;
 *   llm_prompt     the arguments of a model call: the prompt (messages=,
 *                  prompt=, input=, contents=, the positional ones) is a
 *                  TF_LLMDATA sink, the system prompt (system=,
 *                  instructions=, system_instruction=) a TF_PROMPT one;
 *   llm_system_content  {"role": "system", "content": X} and ("system", X):
 *                  X is a system prompt (llm_system_hit reports it);
 *   llm_tool_params the parameters of an agent tool (@tool, @function_tool,
 *                  @mcp.tool(), @agent.tool) are SK_TOOL: the model picks
 *                  them, so a tool that hands one to a shell, a path, a URL
 *                  or SQL is reported by the injection families.
 * A system-prompt sink also counts as TF_SYSSECRET (eval_hit_sink); what
 * was reported there as a secret stops carrying SK_SECRET, so the model
 * call it goes on to is not a second finding for the same key. */
#include "taint_int.h"

#include <ctype.h>
#include <strings.h>

/* ---- names ------------------------------------------------------------- */

/* snake_case, CamelCase and SCREAMING_CASE into lower-case words */
static int split_words(const char *id, char w[LLM_MAX_WORDS][LLM_MAX_WORD])
{
    int n = 0;
    size_t len = 0;
    for (const char *p = id;; p++) {
        int brk = !*p || *p == '_' || *p == '-' || *p == '.' || *p == ' ' ||
                  (len && isupper((unsigned char)*p) && islower((unsigned char)p[-1]));
        if (brk && len) {
            w[n][len] = 0;
            if (++n == LLM_MAX_WORDS) return n;
            len = 0;
        }
        if (!*p) return n;
        if (*p == '_' || *p == '-' || *p == '.' || *p == ' ') continue;
        if (len < LLM_MAX_WORD - 1) w[n][len++] = (char)tolower((unsigned char)*p);
    }
}

static int in(const char *s, const char *const *l)
{
    for (; *l; l++)
        if (strcmp(s, *l) == 0) return 1;
    return 0;
}

/* The last word, or the last two or three run together, is in l. */
static int ends_with(char w[LLM_MAX_WORDS][LLM_MAX_WORD], int n, const char *const *l)
{
    char two[3 * LLM_MAX_WORD];
    for (int k = 1; k <= 3 && k <= n; k++) {
        two[0] = 0;
        for (int i = n - k; i < n; i++) strcat(two, w[i]);
        if (in(two, l)) return 1;
    }
    return 0;
}

static const char *const secret_names[] = {
    "password", "passwd", "passphrase", "secret", "secrets", "credential", "credentials",
    "apikey", "apikeys", "secretkey", "privatekey", "accesskey", "secretaccesskey",
    "clientsecret", "signingkey", "encryptionkey", "masterkey", "webhooksecret",
    "passwordhash", "hashedpassword", "accesstoken", "authtoken", "refreshtoken", "apitoken",
    "bearertoken", "sessiontoken", "idtoken", "secrettoken", "bottoken", "githubtoken",
    "hftoken", "oauthtoken", "personalaccesstoken", "authorization", "cookie", "sessionid",
    NULL,
};
/* what names a secret without holding it */
static const char *const secret_harmless[] = {
    "name", "names", "id", "arn", "path", "file", "filename", "url", "env", "var", "field",
    "version", "manager", "client", "store", "len", "length", "count", "type", "hint",
    "required", "prompt", "label", "policy", "changed", "reset", "valid", "expiry", "ttl",
    "provider", "header", "scope", "scopes", "set", "missing", "configured", NULL,
};
static const char *const pii_names[] = {
    "email", "emails", "emailaddress", "phone", "phonenumber", "mobile", "mobilenumber",
    "ssn", "socialsecuritynumber", "dob", "birthday", "birthdate", "dateofbirth", "passport",
    "passportnumber", "iban", "creditcard", "cardnumber", "ccnumber", "cvv", "taxid",
    "nationalid", "homeaddress", "streetaddress", "postaladdress", "billingaddress",
    "shippingaddress", "mailingaddress", "salary", "medicalrecord", "diagnosis", NULL,
};
/* a person's record, whole */
static const char *const person_names[] = {
    "user", "users", "customer", "customers", "patient", "patients", "employee", "employees",
    "member", "members", "person", "people", "profile", "profiles", "account", "accounts",
    "contact", "contacts", "applicant", "applicants", "student", "students", "author", NULL,
};

/* SK_SECRET, SK_PII or 0 for an identifier, key or attribute name. */
static int sensitive_kind(const char *id)
{
    if (!id || !*id) return 0;
    char w[LLM_MAX_WORDS][LLM_MAX_WORD];
    int n = split_words(id, w);
    if (!n || in(w[n - 1], secret_harmless)) return 0;
    if (ends_with(w, n, secret_names)) return SK_SECRET;
    if (ends_with(w, n, pii_names)) return SK_PII;
    return 0;
}

static int person_ident(const char *id)
{
    if (!id) return 0;
    char w[LLM_MAX_WORDS][LLM_MAX_WORD];
    int n = split_words(id, w);
    return n && in(w[n - 1], person_names);
}

/* A file that holds credentials, by its literal name: .env, a key, a
 * cloud credentials file. */
static int secret_file(const char *p)
{
    if (!p) return 0;
    static const char *const bases[] = {
        ".env", ".envrc", ".netrc", ".pgpass", ".npmrc", ".pypirc", ".git-credentials",
        "credentials", "credentials.json", "secrets.json", "secrets.yaml", "secrets.yml",
        "secrets.toml", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "service_account.json",
        "service-account.json", "kubeconfig", NULL,
    };
    const char *b = strrchr(p, '/');
    b = b ? b + 1 : p;
    if (in(b, bases) || strncmp(b, ".env.", 5) == 0) return 1;
    size_t n = strlen(b);
    static const char *const exts[] = {".pem", ".key", ".p12", ".pfx", NULL};
    for (const char *const *x = exts; *x; x++) {
        size_t k = strlen(*x);
        if (n > k && strcmp(b + n - k, *x) == 0) return 1;
    }
    return strstr(p, ".aws/credentials") || strstr(p, ".ssh/") || strstr(p, ".kube/config");
}

/* The literal path an expression names: "x", Path("x"), Path.home() / "x",
 * os.path.join(a, "x"), os.path.expanduser("~/x"). */
static const char *literal_path(const py_node *e, int depth)
{
    if (!e || depth > 4) return NULL;
    if (e->kind == PY_Constant && e->constant.value == PY_CONST_STR) return e->constant.s;
    if (e->kind == PY_BinOp && e->binop.op == PY_Div) return literal_path(e->binop.right, depth + 1);
    if (e->kind == PY_Call && e->call.args.n)
        return literal_path(e->call.args.v[e->call.args.n - 1], depth + 1);
    return NULL;
}

/* ---- sources ----------------------------------------------------------- */

static tval add_kind(fctx *c, tval v, int kind, const py_node *at, const char *text)
{
    mod *md = c->md;
    if (!kind || md->f->test_file || (v.kinds & kind) || ((v.safe >> TF_LLMDATA) & 1)) return v;
    const step *t = step_add(md, NULL, at,
                             md_str(md, "source: %s (%s)", text, taint_kind_word(kind)));
    if (!(v.kinds & SK_LEAK) || !v.trail) v.trail = t;
    v.kinds |= (uint8_t)kind;
    v.opaque = 1;
    if (!v.defline) v.defline = at->lineno;
    return v;
}

static int is_environ(mod *md, const py_node *e)
{
    return e && (e->kind == PY_Attribute || e->kind == PY_Name) && streq(qname_of(md, e), "os.environ");
}

tval llm_mark(fctx *c, const py_node *x, tval v)
{
    mod *md = c->md;
    const char *name = NULL;
    switch (x->kind) {
    case PY_Name:
        if (resolve_imports(md->r, x->name.id)) return v; /* import secrets */
        name = x->name.id;
        break;
    case PY_Attribute:
        name = x->attribute.attr;
        if (strcmp(name, "__dict__") == 0 && person_ident(ast_terminal_name(x->attribute.value)))
            return add_kind(c, v, SK_PII, x, md_expr_text(md, x));
        break;
    case PY_Subscript: {
        const py_node *k = x->subscript.slice;
        if (!k || k->kind != PY_Constant || k->constant.value != PY_CONST_STR) return v;
        int kind = sensitive_kind(k->constant.s);
        return kind ? add_kind(c, v, kind, x,
                               md_str(md, "%s[\"%s\"]", md_expr_text(md, x->subscript.value), k->constant.s))
                    : v;
    }
    case PY_FormattedValue:
        if (is_environ(md, x->formattedvalue.value))
            return add_kind(c, v, SK_SECRET, x, "os.environ, whole");
        return v;
    default: return v;
    }
    return add_kind(c, v, sensitive_kind(name), x, md_expr_text(md, x));
}

tval llm_mark_call(fctx *c, const py_node *call, tval v)
{
    mod *md = c->md;
    const py_node *f = call->call.func;
    const char *q = qname_of(md, call);
    const char *attr = f->kind == PY_Attribute ? f->attribute.attr : NULL;
    const char *last = attr ? attr : q ? last_comp(q) : f->kind == PY_Name ? f->name.id : NULL;
    const py_node *a0 = call->call.args.n ? call->call.args.v[0] : NULL;
    if (!last) return v;
    const tab_sink *sk = q ? tab_sink_find(M_CALL, q) : NULL;
    if (sk && sk->fam == TF_PROMPT) { /* a key in a system prompt was reported there */
        v.kinds &= (uint8_t)~SK_SECRET;
        return v;
    }
    /* masked, hashed, counted: no longer the value */
    static const char *const clearers[] = {"mask", "redact", "anonymize", "anonymise",
                                           "pseudonymize", "pseudonymise", "scrub", "hash",
                                           "obfuscate", "censor", "sanitize", "len", "bool",
                                           "hexdigest", "digest", "encrypt", NULL};
    char w[LLM_MAX_WORDS][LLM_MAX_WORD];
    int n = split_words(last, w);
    for (int i = 0; i < n; i++)
        if (in(w[i], clearers) || strncmp(w[i], "anonymi", 7) == 0) {
            v.kinds &= (uint8_t)~SK_LEAK;
            return v;
        }
    if (q && (strncmp(q, "hashlib.", 8) == 0 || strncmp(q, "hmac.", 5) == 0)) {
        v.kinds &= (uint8_t)~SK_LEAK;
        return v;
    }
    /* A secret or a person's data goes on through string and container
     * operations and through this module's own functions, but what a call
     * returns is not the key it was given: a client made with api_key=, a
     * response to a request that carried the token. */
    static const char *const keep[] = {
        "str", "repr", "format", "format_map", "join", "dumps", "dump", "strip", "lstrip",
        "rstrip", "lower", "upper", "title", "replace", "encode", "decode", "split", "splitlines",
        "dict", "list", "tuple", "set", "sorted", "reversed", "get", "copy", "items", "values",
        "keys", "pop", "setdefault", "b64encode", "urlsafe_b64encode", "quote", "urlencode",
        "render", "safe_substitute", "substitute", "to_json", "model_dump_json", "textwrap",
        "dedent", "indent", "fill", "f", "partial", "chain", "zip", "map", "filter", "next",
        "iter", "enumerate", "ljust", "rjust", "center", "removeprefix", "removesuffix",
        "casefold", "expandtabs", "translate", "zfill", "read", "read_text", "read_bytes",
        "readline", "readlines", "getvalue", "load", "loads", "safe_load", NULL,
    };
    int own = f->kind == PY_Name ? mod_find_func(md, NULL, f->name.id) != NULL
              : attr && is_self(f->attribute.value) && c->cls
                  ? mod_find_func(md, c->cls->name, attr) != NULL
                  : 0;
    if ((v.kinds & SK_LEAK) && !own && !in(last, keep)) v.kinds &= (uint8_t)~SK_LEAK;
    /* a secret by the name it is looked up with: os.getenv("OPENAI_API_KEY") */
    if ((streq(q, "os.getenv") || streq(q, "os.environ.get") || (attr && strcmp(attr, "get") == 0)) &&
        a0 && a0->kind == PY_Constant && a0->constant.value == PY_CONST_STR)
        return add_kind(c, v, sensitive_kind(a0->constant.s), call, md_expr_text(md, call));
    /* the whole environment */
    if ((streq(q, "dict") || streq(q, "str") || streq(q, "repr") || streq(q, "json.dumps")) &&
        is_environ(md, a0))
        return add_kind(c, v, SK_SECRET, call, md_expr_text(md, call));
    if (attr && (strcmp(attr, "copy") == 0 || strcmp(attr, "items") == 0) && is_environ(md, f->attribute.value))
        return add_kind(c, v, SK_SECRET, call, md_expr_text(md, call));
    if (streq(q, "dotenv.dotenv_values") || streq(q, "dotenv.main.dotenv_values"))
        return add_kind(c, v, SK_SECRET, call, md_expr_text(md, call));
    /* a key file read whole */
    if ((streq(q, "open") || streq(q, "io.open") || streq(q, "codecs.open")) &&
        secret_file(literal_path(a0, 0)))
        return add_kind(c, v, SK_SECRET, call, md_expr_text(md, call));
    if (attr && (strcmp(attr, "read_text") == 0 || strcmp(attr, "read_bytes") == 0 ||
                 strcmp(attr, "open") == 0) &&
        secret_file(literal_path(f->attribute.value, 0)))
        return add_kind(c, v, SK_SECRET, call, md_expr_text(md, call));
    /* a person's row as a dict */
    static const char *const rowfns[] = {"vars", "model_to_dict", "asdict", "jsonable_encoder",
                                         "to_dict", "dict", "model_dump", "model_dump_json",
                                         "as_dict", "values", "values_list", NULL};
    if (attr && in(attr, rowfns)) {
        const py_node *r = f->attribute.value;
        while (r && (r->kind == PY_Call || r->kind == PY_Attribute))
            r = r->kind == PY_Call ? r->call.func : r->attribute.value;
        if (r && r->kind == PY_Name && person_ident(r->name.id) &&
            (strcmp(attr, "values") != 0 || isupper((unsigned char)r->name.id[0])))
            return add_kind(c, v, SK_PII, call, md_expr_text(md, call));
    } else if (in(last, rowfns) && a0 && person_ident(ast_terminal_name(a0)) && !streq(q, "dict")) {
        return add_kind(c, v, SK_PII, call, md_expr_text(md, call));
    }
    return v;
}

/* ---- sinks ------------------------------------------------------------- */

/* Does the receiver chain of a model call look like one?  The method names
 * of sinks.def's C_PROMPT rows are common words (create, run, query): the
 * words of the receiver say which object it is. */
static int model_receiver(const py_node *f)
{
    static const char *const words[] = {
        "completions", "messages", "responses", "chat", "llm", "llms", "model", "models",
        "chain", "agent", "executor", "graph", "runnable", "crew", "engine", "index", "client",
        "openai", "anthropic", "claude", "gpt", "gemini", "genai", "ollama", "cohere", "co",
        "mistral", "groq", "bedrock", "runtime", "assistant", "bot", "ai", "lm", NULL,
    };
    /* a client's query() or run() is a database's or a job runner's as often */
    static const char *const generic[] = {"query", "aquery", "run", "arun", "batch", "predict",
                                          "run_sync", "kickoff", NULL};
    static const char *const sdk_only[] = {"client", "index", "co", "runtime", NULL};
    if (!f || f->kind != PY_Attribute) return 1; /* resolved by name: litellm.completion */
    int strict = in(f->attribute.attr, generic);
    for (const py_node *r = f->attribute.value; r;) {
        const char *id = r->kind == PY_Name ? r->name.id : r->kind == PY_Attribute ? r->attribute.attr : NULL;
        if (id) {
            char w[LLM_MAX_WORDS][LLM_MAX_WORD];
            int n = split_words(id, w);
            for (int i = 0; i < n; i++)
                if (in(w[i], words) && !(strict && in(w[i], sdk_only))) return 1;
        }
        r = r->kind == PY_Attribute ? r->attribute.value : r->kind == PY_Call ? r->call.func : NULL;
    }
    return 0;
}

static const char *const system_kws[] = {"system", "instructions", "system_instruction",
                                         "system_prompt", "preamble", "system_message", NULL};
static const char *const prompt_kws[] = {"messages", "prompt", "input", "contents", "message",
                                         "query", "question", "chat_history", "body", "text",
                                         "inputs", "documents", NULL};

void llm_prompt(fctx *c, py_node *call, int by_name, const call_args *a, const char *what)
{
    if (!by_name && !model_receiver(call->call.func)) return;
    for (int i = 0; i < a->n; i++) eval_hit_sink(c, TF_LLMDATA, call, a->v[i], what);
    for (int i = 0; i < a->nkw; i++) {
        const char *k = a->kwname[i];
        if (!k) continue;
        if (in(k, system_kws)) eval_hit_sink(c, TF_PROMPT, a->kwnode[i], a->kw[i], what);
        else if (in(k, prompt_kws)) eval_hit_sink(c, TF_LLMDATA, call, a->kw[i], what);
    }
}

static int const_is(const py_node *e, const char *s)
{
    return e && e->kind == PY_Constant && e->constant.value == PY_CONST_STR && strcmp(e->constant.s, s) == 0;
}

py_node *llm_system_content(const py_node *x)
{
    if (x->kind == PY_Dict) {
        py_node *content = NULL;
        int sys = 0;
        for (int i = 0; i < x->dict.keys.n; i++) {
            const py_node *k = x->dict.keys.v[i];
            if (const_is(k, "role"))
                sys = const_is(x->dict.values.v[i], "system") || const_is(x->dict.values.v[i], "developer");
            else if (const_is(k, "content"))
                content = x->dict.values.v[i];
        }
        return sys ? content : NULL;
    }
    if ((x->kind == PY_Tuple || x->kind == PY_List) && x->list.elts.n == 2 &&
        const_is(x->list.elts.v[0], "system"))
        return x->list.elts.v[1];
    return NULL;
}

tval llm_system_hit(fctx *c, py_node *content, tval v)
{
    if (!TAINTED(v)) return v;
    eval_hit_sink(c, TF_PROMPT, content, v, "a system message");
    if (taint_kinds_for(TF_SYSSECRET, v.kinds)) v.kinds &= (uint8_t)~SK_SECRET; /* reported here */
    return v;
}

/* ---- agent tools --------------------------------------------------------- */

/* @tool, @tool("name"), @langchain_core.tools.tool, @function_tool,
 * @mcp.tool(), @server.tool(), @agent.tool, @agent.tool_plain,
 * @kernel_function */
static int tool_decorator(const py_node *d)
{
    if (d->kind == PY_Call) d = d->call.func;
    const char *n = d->kind == PY_Name ? d->name.id : d->kind == PY_Attribute ? d->attribute.attr : NULL;
    if (!n) return 0;
    return strcmp(n, "tool") == 0 || strcmp(n, "function_tool") == 0 ||
           strcmp(n, "tool_plain") == 0 || strcmp(n, "kernel_function") == 0;
}

static void add_toolfn(mod *md, const py_node *n)
{
    if (!n || n->kind != PY_Name || md->ntoolfns >= LLM_MAX_TOOLFNS) return;
    for (int i = 0; i < md->ntoolfns; i++)
        if (md->toolfns[i] == n->name.id) return;
    md->toolfns[md->ntoolfns++] = n->name.id;
}

/* Tools registered by a call or a table: Tool(func=f), StructuredTool.from_function(f),
 * FunctionTool.from_defaults(fn=f), Agent(tools=[f, g]) (pydantic-ai takes plain
 * functions), and the function-calling table of the OpenAI guides,
 * `available_functions = {"get_weather": get_weather}` (a dict bound to a name
 * that says tool or function). */
static int find_tools(py_node *n, void *ud)
{
    mod *md = ud;
    if (n->kind == PY_Call) {
        const py_node *f = n->call.func;
        const char *last = f->kind == PY_Name ? f->name.id : f->kind == PY_Attribute ? f->attribute.attr : NULL;
        if (last && (strcmp(last, "from_function") == 0 || strcmp(last, "from_defaults") == 0) &&
            n->call.args.n)
            add_toolfn(md, n->call.args.v[0]);
        for (int i = 0; i < n->call.keywords.n; i++) {
            const py_node *k = n->call.keywords.v[i];
            const char *a = k->keyword.arg;
            if (!a) continue;
            if (strcmp(a, "func") == 0 || strcmp(a, "fn") == 0 || strcmp(a, "coroutine") == 0) {
                if (last && (strcmp(last, "Tool") == 0 || strcmp(last, "StructuredTool") == 0 ||
                             strcmp(last, "from_function") == 0 || strcmp(last, "from_defaults") == 0 ||
                             strcmp(last, "FunctionTool") == 0))
                    add_toolfn(md, k->keyword.value);
            } else if (strcmp(a, "tools") == 0 && (k->keyword.value->kind == PY_List ||
                                                   k->keyword.value->kind == PY_Tuple)) {
                const py_node *l = k->keyword.value;
                for (int j = 0; j < l->list.elts.n; j++) add_toolfn(md, l->list.elts.v[j]);
            }
        }
    } else if (n->kind == PY_Assign && n->assign.targets.n == 1 && n->assign.value->kind == PY_Dict) {
        const char *t = ast_terminal_name(n->assign.targets.v[0]);
        char w[LLM_MAX_WORDS][LLM_MAX_WORD];
        int nw = t ? split_words(t, w) : 0, named = 0;
        for (int i = 0; i < nw; i++)
            named |= strncmp(w[i], "tool", 4) == 0 || strncmp(w[i], "function", 8) == 0;
        const py_node *d = n->assign.value;
        for (int i = 0; named && i < d->dict.values.n; i++) add_toolfn(md, d->dict.values.v[i]);
    }
    return AST_CONTINUE;
}

static int registered_tool(mod *md, const char *name)
{
    if (!md->tools_seen) {
        md->tools_seen = 1;
        if (md->m && md->m->node) ast_walk(md->m->node, find_tools, md);
    }
    for (int i = 0; i < md->ntoolfns; i++)
        if (md->toolfns[i] == name) return 1;
    return 0;
}

void llm_tool_params(fctx *c, env *e, func *fn)
{
    mod *md = c->md;
    const py_node *def = fn->def;
    if (md->f->test_file || !def) return;
    int tool = 0;
    for (int i = 0; i < def->functiondef.decorator_list.n && !tool; i++)
        tool = tool_decorator(def->functiondef.decorator_list.v[i]);
    if (!tool && !fn->cls) tool = registered_tool(md, def->functiondef.name);
    if (!tool) return;
    static const char *const context[] = {"self", "cls", "ctx", "context", "run_context",
                                          "wrapper", "config", "callbacks", "run_manager", NULL};
    for (int i = 0; i < fn->nparams && i < 32; i++) {
        const char *pn = fn->pnames[i];
        if (!pn || in(pn, context)) continue;
        tval *cur = env_get(e, pn);
        if (!cur) continue;
        tval v = *cur;
        md->saw_source = 1;
        v.kinds |= SK_TOOL;
        v.trail = step_add(md, NULL, fn->pnodes[i],
                           md_str(md, "source: parameter `%s` of agent tool %s() (the model chooses it)",
                                  pn, fn->name));
        v.defline = fn->pnodes[i]->lineno;
        env_set(e, pn, v);
    }
}
