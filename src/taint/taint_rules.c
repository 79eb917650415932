/* rules.c - the taint rules, one per sink family (VG701-VG717; VG503-VG506 for LLM apps).
 *
 * Ids, titles, severities and CWEs come from TAINT_FAMILIES (taint.h); the
 * descriptions and fixes are here.  Confidence is the default for a flow
 * from a web request; findings set their own confidence by source kind
 * (web, LLM: high; command line: medium; environment: low).
 */
#include "taint.h"

#define REF_CWE(n) "https://cwe.mitre.org/data/definitions/" #n ".html"

static const struct {
    const char *desc, *fix, *refs;
} texts[TF_COUNT] = {
    [TF_SQL] = {"Untrusted data reaches the text of an SQL statement (cursor.execute, "
                "SQLAlchemy text(), Django raw/extra/RawSQL).",
                "Pass the value as a query parameter: cursor.execute(\"... WHERE id = %s\", "
                "(value,)); never build SQL with f-strings, % or +.",
                REF_CWE(89)},
    [TF_CMD] = {"Untrusted data reaches a shell command or the program name of a process "
                "(os.system, subprocess with shell=True, os.popen, asyncio subprocesses).",
                "Run a fixed program with an argument list and shell=False; quote with "
                "shlex.quote only when a shell is unavoidable.",
                REF_CWE(78)},
    [TF_CODE] = {"Untrusted data is evaluated as Python code (eval, exec, compile).",
                 "Never evaluate input; parse it (json.loads, ast.literal_eval) or dispatch "
                 "through a dictionary of allowed operations.",
                 REF_CWE(94) " " REF_CWE(95)},
    [TF_PATH] = {"Untrusted data selects a file path (open, send_file, FileResponse, "
                 "shutil, os.remove, pathlib).",
                 "Reduce the name with werkzeug.utils.secure_filename or os.path.basename, "
                 "or resolve it and check it stays under the base directory "
                 "(os.path.commonpath / Path.is_relative_to) before use.",
                 REF_CWE(22)},
    [TF_SSRF] = {"Untrusted data chooses the URL or host of an outgoing request (requests, "
                 "httpx, urllib, aiohttp).",
                 "Parse the URL and check its scheme and host against an allow-list before "
                 "the request; block private and link-local addresses.",
                 REF_CWE(918)},
    [TF_REDIRECT] = {"Untrusted data is the target of a redirect.",
                     "Redirect only to relative paths or to hosts on an allow-list "
                     "(url_has_allowed_host_and_scheme in Django).",
                     REF_CWE(601)},
    [TF_XSS] = {"Untrusted data is written into an HTML response without escaping "
                "(HTMLResponse, HttpResponse, make_response, Markup, mark_safe, a string "
                "returned from a route).",
                "Render through a template with autoescaping, or escape with html.escape / "
                "markupsafe.escape.",
                REF_CWE(79)},
    [TF_SSTI] = {"Untrusted data is compiled as a template (render_template_string, "
                 "jinja2.Template, Environment.from_string).",
                 "Keep templates constant and pass untrusted values as template variables.",
                 REF_CWE(1336)},
    [TF_XPATH] = {"Untrusted data is part of an XPath expression (lxml xpath, XPath()).",
                  "Use XPath variables: tree.xpath(\"//user[@name=$n]\", n=value).",
                  REF_CWE(643)},
    [TF_LDAP] = {"Untrusted data is part of an LDAP search filter.",
                 "Escape values with ldap.filter.escape_filter_chars (ldap3: "
                 "escape_filter_chars) before building the filter.",
                 REF_CWE(90)},
    [TF_XXE] = {"Untrusted XML is parsed by a parser that resolves external entities.",
                "Parse with defusedxml, or an lxml XMLParser(resolve_entities=False, "
                "no_network=True).",
                REF_CWE(611)},
    [TF_DESER] = {"Untrusted data is deserialized by a format that can run code (pickle, "
                  "dill, shelve, jsonpickle, yaml.load, marshal, torch.load).",
                  "Use a data-only format (json, yaml.safe_load) for untrusted input, or sign "
                  "and verify the payload before loading it.",
                  REF_CWE(502)},
    [TF_TRUST] = {"Untrusted data is stored in the server-side session, where later code "
                  "trusts it.",
                  "Validate the value before storing it in the session.",
                  REF_CWE(501)},
    [TF_HEADER] = {"Untrusted data is written into an HTTP response header (CR/LF lets the "
                   "client split the response).",
                   "Reject values containing \\r or \\n, or use an allow-list.",
                   REF_CWE(113)},
    [TF_LOG] = {"Untrusted data is written to a log (CR/LF forges log entries).",
                "Strip \\r and \\n (value.replace(\"\\n\", \"\")) or log with a structured "
                "formatter that escapes them.",
                REF_CWE(117)},
    [TF_REDOS] = {"Untrusted data is compiled as a regular expression (re.compile, "
                  "re.search, re.match, ...): a pattern with nested repetition makes the "
                  "matcher run for exponential time on a short input (ReDoS).",
                  "Escape the value with re.escape to match it literally, or match with a "
                  "library that runs in linear time (google-re2).",
                  REF_CWE(1333) " " REF_CWE(730)},
    [TF_FMT] = {"Untrusted data is the format string of str.format / format_map: "
                "\"{0.__init__.__globals__[SECRET]}\" reads attributes and globals of the "
                "arguments.",
                "Keep format strings constant; substitute user templates with "
                "string.Template(text).safe_substitute(...) or a sandboxed template engine.",
                REF_CWE(134)},
    [TF_LLMDATA] = {"A secret (an API key, a password, a secret environment variable, a key "
                    "file, the whole environment) or personal data (a person's email, phone, "
                    "SSN, address or birth date, a whole user row) reaches the prompt of a "
                    "language-model call (OpenAI, Anthropic, Google, Mistral, LiteLLM, "
                    "LangChain, LlamaIndex, Ollama, Cohere, Bedrock): it leaves for the "
                    "provider, its logs and possibly its training data, and the model can "
                    "repeat it to whoever talks to it. A user's own question is not reported.",
                    "Send the model only what the task needs: never credentials; personal data "
                    "masked or pseudonymised (presidio, scrubadub) or replaced by an id the "
                    "application maps back.",
                    "https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/ "
                    REF_CWE(359)},
    [TF_PROMPT] = {"Request data is written into a system prompt (a system message, system=, "
                   "instructions=, system_instruction=, SystemMessage, a (\"system\", ...) "
                   "template) or into a tool's description: the user's text gets the authority "
                   "of the developer's instructions, which is prompt injection by construction.",
                   "Keep system prompts and tool descriptions constant; put what the user "
                   "wrote in a user message, delimited, and validate choices against an "
                   "allow-list.",
                   "https://genai.owasp.org/llmrisk/llm01-prompt-injection/ " REF_CWE(1427)},
    [TF_SYSSECRET] = {"A secret (an API key, a password, a secret environment variable) is "
                      "written into a system prompt: system prompts leak (\"repeat the text "
                      "above\"), and whoever talks to the model can get it back.",
                      "Keep credentials out of prompts: the code that calls the tool or API "
                      "holds the key; the model only names the action.",
                      "https://genai.owasp.org/llmrisk/llm072025-system-prompt-leakage/ "
                      REF_CWE(200)},
    [TF_DISPATCH] = {"Model output (or a tool argument the model chose) picks a function, "
                     "method or module by name: getattr(obj, name), globals()[name], "
                     "importlib.import_module(name). A prompt-injected answer calls whatever "
                     "the process can reach.",
                     "Dispatch through a fixed dictionary of allowed tools and reject every "
                     "other name.",
                     "https://genai.owasp.org/llmrisk/llm062025-excessive-agency/ " REF_CWE(470)},
};

static rule_meta rules[TF_COUNT];

const char *taint_rule_id(taint_family fam)
{
    static const char *const ids[TF_COUNT] = {
#define TF_ID(e, id, title, sev, c1, c2, ow) [e] = id,
        TAINT_FAMILIES(TF_ID)
#undef TF_ID
    };
    return (unsigned)fam < TF_COUNT ? ids[fam] : "VG700";
}

void taint_rules_register(void)
{
#define TF_META(e, id_, title_, sev_, c1, c2, ow)                              \
    rules[e] = (rule_meta){.id = id_, .title = title_, .severity = sev_,       \
                           .confidence = CONF_HIGH, .cwe = {c1, c2, 0, 0},     \
                           .owasp = ow, .description = texts[e].desc,          \
                           .fix = texts[e].fix, .references = texts[e].refs,   \
                           .analyzer = "taint"};
    TAINT_FAMILIES(TF_META)
#undef TF_META
    for (int i = 0; i < TF_COUNT; i++) registry_add(&rules[i]);
}
