/* llm.c - code around AI models: LLM output run as code, commands or SQL
 * in the same function (VG501), trust_remote_code=True (VG502), and the
 * metadata of the calls.def rows B614 (torch.load) and B615 (Hugging Face
 * downloads without a pinned revision), and prebuilt agent tools with a
 * shell, an interpreter, arbitrary HTTP or the whole filesystem (VG507).
 * The data-flow rules of LLM applications (VG503-VG506) are taint
 * families (src/taint/llm.c).
 *
 * VG501 is a deliberately local pattern (one function, names assigned
 * from an LLM call and what is derived from them); the taint engine
 * follows such values further. */
#include "meta.h"
#include "../core/limits.h"
#include "rules.h"

#include <string.h>

static const rule_meta llm_rules[] = {
    RULE("B614", "torch.load without weights_only", M, CH, CWE(502, 0), "A08:2021",
         "torch.load unpickles the file: a malicious checkpoint runs code.",
         "torch.load(path, weights_only=True), or use safetensors.",
         BANDIT_PLUGIN("b614_pytorch_load") " " CWE_URL(502)),
    RULE("B615", "Hugging Face download without a pinned revision", M, CH, CWE(494, 0), "A08:2021",
         "from_pretrained / hf_hub_download / load_dataset without revision= (or with a branch "
         "name) fetches whatever the repository holds today; a compromised or changed repository "
         "changes your model. Local paths are not reported.",
         "Pin revision= to a commit hash.",
         BANDIT_PLUGIN("b615_huggingface_unsafe_download") " " CWE_URL(494)),
    RULE("VG501", "LLM output executed", H, CM, CWE(94, 78, 89, 0), "A03:2021",
         "The response of an LLM client (openai, anthropic, litellm, langchain, ...) reaches eval, "
         "exec, a subprocess/os.system command or cursor.execute in the same function. Model "
         "output is attacker-influenced (prompt injection): running it is code, command or SQL "
         "injection.",
         "Never execute model output; parse it into a fixed set of allowed actions, or run it in "
         "a sandbox with no credentials, and use SQL parameters.",
         CWE_URL(94) " https://genai.owasp.org/llmrisk/llm052025-improper-output-handling/"),
    RULE("VG507", "Agent tool with unrestricted shell, code, file or HTTP access", H, CH,
         CWE(250, 78, 0), "LLM06:2025",
         "A prebuilt agent tool that hands the model a shell (ShellTool, BashProcess, "
         "load_tools([\"terminal\"])), a Python interpreter (PythonREPLTool, "
         "PythonAstREPLTool, allow_dangerous_code=True), arbitrary HTTP "
         "(allow_dangerous_requests=True, load_tools([\"requests_all\"])) or the whole "
         "filesystem (FileManagementToolkit without root_dir). Whoever steers the model "
         "(a prompt injection in a page or a document it reads) runs commands with the "
         "application's rights. The tools the application writes itself are followed by "
         "taint: their parameters are what the model chose.",
         "Give the agent narrow tools of your own with an allow-list of commands, hosts or "
         "files; run code in a sandbox with no credentials and no network; ask a person to "
         "confirm actions with side effects (HumanApprovalCallbackHandler, interrupt_before).",
         "https://genai.owasp.org/llmrisk/llm062025-excessive-agency/ " CWE_URL(250)),
    RULE("VG502", "trust_remote_code=True", H, CH, CWE(494, 829, 0), "A08:2021",
         "trust_remote_code=True runs Python code shipped with a model or dataset repository on "
         "load.",
         "Leave trust_remote_code off; if you must, pin revision= to a reviewed commit.",
         CWE_URL(494)),
};

void rules_llm_register(void)
{
    rules_register_table(llm_rules, sizeof llm_rules / sizeof *llm_rules);
}

/* The OWASP Top 10 for LLM applications entry, as the taint families set it. */
static void tag(finding *fd, const char *owasp_llm)
{
    if (fd) finding_set_prop(fd, "owasp_llm", owasp_llm);
}

/* --- VG501 ----------------------------------------------------------------- */

static const char *const llm_prefixes[] = {
    "openai.", "anthropic.", "litellm.", "langchain", "llama_index.", "google.generativeai.",
    "google.genai.", "ollama.", "cohere.", "mistralai.", "groq.", NULL,
};
static const char *const llm_methods[] = {
    "create", "acreate", "invoke", "ainvoke", "predict", "apredict", "generate", "agenerate",
    "generate_content", "complete", "acomplete", "chat", "completion", "acompletion", "run",
    "arun", "stream", "query", "send_message", NULL,
};

static int is_llm_call(rule_ctx *c, const py_node *call)
{
    const char *m = ast_call_method(call);
    if (!m || !str_in(m, llm_methods)) return 0;
    const char *q = call_qual(c, call);
    if (!q) return call->call.func->kind == PY_Attribute; /* client.x.create() on an untyped client */
    for (const char *const *p = llm_prefixes; *p; p++)
        if (str_has_prefix(q, *p)) return 1;
    return 0;
}

typedef struct llm_scan {
    rule_ctx *c;
    const py_node *root;
    const char *tainted[LLM_MAX_TAINTED];
    int n;
    int found;
    int changed;
} llm_scan;

static int tainted_name(const llm_scan *s, const char *id)
{
    for (int i = 0; i < s->n; i++)
        if (s->tainted[i] == id) return 1;
    return 0;
}

static void add_taint(llm_scan *s, const py_node *t)
{
    if (!t) return;
    if (t->kind == PY_Name) {
        if (!tainted_name(s, t->name.id) && s->n < LLM_MAX_TAINTED) {
            s->tainted[s->n++] = t->name.id;
            s->changed = 1;
        }
    } else if (t->kind == PY_Tuple || t->kind == PY_List) {
        for (int i = 0; i < t->list.elts.n; i++) add_taint(s, t->list.elts.v[i]);
    } else if (t->kind == PY_Starred) {
        add_taint(s, t->starred.value);
    }
}

static int nested_scope(const llm_scan *s, const py_node *n)
{
    return n != s->root && (n->kind == PY_FunctionDef || n->kind == PY_AsyncFunctionDef ||
                            n->kind == PY_ClassDef || n->kind == PY_Lambda);
}

static int find_taint(py_node *n, void *ud)
{
    llm_scan *s = ud;
    if (nested_scope(s, n)) return AST_SKIP;
    if ((n->kind == PY_Name && n->name.ctx == PY_Load && tainted_name(s, n->name.id)) ||
        (n->kind == PY_Call && is_llm_call(s->c, n))) {
        s->found = 1;
        return AST_STOP;
    }
    return AST_CONTINUE;
}

static int carries(llm_scan *s, const py_node *e)
{
    if (!e) return 0;
    int saved = s->found;
    s->found = 0;
    const py_node *root = s->root;
    s->root = e;
    ast_walk((py_node *)e, find_taint, s);
    s->root = root;
    int r = s->found;
    s->found = saved;
    return r;
}

static int propagate(py_node *n, void *ud)
{
    llm_scan *s = ud;
    if (nested_scope(s, n)) return AST_SKIP;
    switch (n->kind) {
    case PY_Assign:
        if (carries(s, n->assign.value))
            for (int i = 0; i < n->assign.targets.n; i++) add_taint(s, n->assign.targets.v[i]);
        break;
    case PY_AnnAssign:
        if (n->annassign.value && carries(s, n->annassign.value)) add_taint(s, n->annassign.target);
        break;
    case PY_AugAssign:
        if (carries(s, n->augassign.value)) add_taint(s, n->augassign.target);
        break;
    case PY_For: case PY_AsyncFor:
        if (carries(s, n->for_.iter)) add_taint(s, n->for_.target);
        break;
    case PY_withitem:
        if (n->withitem.optional_vars && carries(s, n->withitem.context_expr)) add_taint(s, n->withitem.optional_vars);
        break;
    case PY_NamedExpr:
        if (carries(s, n->namedexpr.value)) add_taint(s, n->namedexpr.target);
        break;
    default:
        break;
    }
    return AST_CONTINUE;
}

static const char *sink_kind(rule_ctx *c, const py_node *call, const char **name)
{
    static const char *const code[] = {"eval", "exec", "compile", NULL};
    static const char *const cmd[] = {
        "os.system", "os.popen", "subprocess.run", "subprocess.call", "subprocess.Popen",
        "subprocess.check_output", "subprocess.check_call", "subprocess.getoutput",
        "subprocess.getstatusoutput", "asyncio.create_subprocess_shell", "asyncio.create_subprocess_exec", NULL,
    };
    static const char *const sql[] = {"execute", "executemany", "executescript", NULL};
    const char *q = call_qual(c, call);
    *name = q;
    if (str_in(q, code)) return "code";
    if (str_in(q, cmd)) return "command";
    const char *m = ast_call_method(call);
    if (call->call.func->kind == PY_Attribute && str_in(m, sql)) {
        *name = m;
        return "SQL";
    }
    return NULL;
}

static int find_sinks(py_node *n, void *ud)
{
    llm_scan *s = ud;
    if (nested_scope(s, n)) return AST_SKIP;
    if (n->kind != PY_Call) return AST_CONTINUE;
    const char *name = NULL;
    const char *kind = sink_kind(s->c, n, &name);
    if (!kind) return AST_CONTINUE;
    int hit = 0;
    if (strcmp(kind, "SQL") == 0) {
        hit = carries(s, ast_call_arg(n, 0, NULL)); /* parameters are data, not SQL */
    } else {
        for (int i = 0; i < n->call.args.n && !hit; i++) hit = carries(s, n->call.args.v[i]);
        for (int i = 0; i < n->call.keywords.n && !hit; i++) hit = carries(s, n->call.keywords.v[i]->keyword.value);
    }
    if (hit) tag(rule_report(s->c, "VG501", n, "LLM output reaches %s (%s)", name ? name : "a sink", kind), "LLM05:2025");
    return AST_CONTINUE;
}

static void scan_function(rule_ctx *c, const py_node *fn)
{
    llm_scan s = {.c = c, .root = fn};
    for (int round = 0; round < 4; round++) {
        s.changed = 0;
        ast_walk((py_node *)fn, propagate, &s);
        if (!s.changed) break;
    }
    ast_walk((py_node *)fn, find_sinks, &s);
}

/* --- VG507 ----------------------------------------------------------------- */

/* A file of a langchain package itself: the library that defines and
 * wires its tools, not an application handing them to a model. */
static int in_langchain(const rule_ctx *c)
{
    const char *p = c->f ? c->f->path : NULL;
    for (; p && *p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
        if (strncmp(p, "langchain", 9) == 0) return 1;
    return 0;
}

static void agent_tools(rule_ctx *c, const py_node *n)
{
    if (in_langchain(c)) return;
    static const char *const tools[] = {
        "ShellTool", "BashProcess", "PythonREPLTool", "PythonAstREPLTool", "PythonREPL", NULL,
    };
    static const char *const loadable[] = {
        "terminal", "python_repl", "requests_all", "requests_post", "requests_put",
        "requests_patch", "requests_delete", NULL,
    };
    const char *q = call_qual(c, n);
    const char *last = q ? strrchr(q, '.') : NULL;
    last = last ? last + 1 : q;
    if (last && str_in(last, tools) && q && str_has_prefix(q, "langchain")) {
        tag(rule_report(c, "VG507", n, "%s gives the model a shell or an interpreter", last), "LLM06:2025");
        return;
    }
    if (last && strcmp(last, "FileManagementToolkit") == 0 && q && str_has_prefix(q, "langchain") &&
        !ast_call_kw(n, "root_dir")) {
        tag(rule_report(c, "VG507", n, "FileManagementToolkit without root_dir: the whole filesystem"), "LLM06:2025");
        return;
    }
    if (last && strcmp(last, "load_tools") == 0 && q && str_has_prefix(q, "langchain")) {
        const py_node *l = ast_call_arg(n, 0, "tool_names");
        for (int i = 0; l && (l->kind == PY_List || l->kind == PY_Tuple) && i < l->list.elts.n; i++) {
            const char *t = ast_const_str(l->list.elts.v[i]);
            if (t && str_in(t, loadable)) {
                tag(rule_report(c, "VG507", n, "load_tools([\"%s\"]) gives the model a shell, an "
                            "interpreter or arbitrary HTTP", t), "LLM06:2025");
                return;
            }
        }
    }
    static const char *const flags[] = {"allow_dangerous_code", "allow_dangerous_requests", NULL};
    for (const char *const *f = flags; *f; f++)
        if (is_true(ast_call_kw(n, *f))) {
            tag(rule_report(c, "VG507", n, "%s=True lets the model run what it writes", *f), "LLM06:2025");
            return;
        }
}

void llm_visit(rule_ctx *c, py_node *n)
{
    switch (n->kind) {
    case PY_Module: case PY_FunctionDef: case PY_AsyncFunctionDef:
        if (c->llm) scan_function(c, n);
        break;
    case PY_Call:
        if (c->llm) agent_tools(c, n);
        if (is_true(ast_call_kw(n, "trust_remote_code"))) {
            const char *q = call_qual(c, n);
            const char *m = ast_call_method(n);
            rule_report(c, "VG502", n, "%s with trust_remote_code=True", q ? q : m ? m : "call");
        }
        break;
    default:
        break;
    }
}
