/* rules.c - one renderer of a rule's metadata, in every form it is shown:
 * the `vibeguard rules` table, one rule's page, the rules JSON listing, and
 * the SARIF reportingDescriptor of tool.driver.rules (report_int.h).
 *
 * The facts each form takes from a rule_meta are read here, once: the
 * references list (space-separated URLs), the CWE list, the title a rule
 * without one falls back to.  Text forms pass every string through
 * report_visible; JSON forms through the escaping writer.
 */
#include "report.h"
#include "report_int.h"

#include <stdio.h>
#include <string.h>

/* The next reference of a space-separated list: skips blanks, returns the
 * token's length (0 at the end) and leaves *p after it. */
static size_t next_ref(const char **p, const char **tok)
{
    const char *s = *p ? *p : "";
    s += strspn(s, " \t\n");
    size_t n = strcspn(s, " \t\n");
    *tok = s;
    *p = s + n;
    return n;
}

static void vis(buf *b, const char *s)
{
    if (s) report_visible(b, s, strlen(s));
}

static const char *precision_of(confidence c)
{
    return c >= CONF_HIGH ? "high" : c == CONF_MEDIUM ? "medium" : "low";
}

const char *report_sarif_level(severity s)
{
    return s >= SEV_HIGH ? "error" : s == SEV_MEDIUM ? "warning" : "note";
}

/* ---- JSON ------------------------------------------------------------------ */

void report_rule_json_class(jsonw *w, const rule_meta *r)
{
    jsonw_key(w, "cwe");
    jsonw_arr_inline(w);
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i]; i++) jsonw_int(w, r->cwe[i]);
    jsonw_end(w);
    jsonw_kstr(w, "owasp", r->owasp);
    jsonw_kstr(w, "analyzer", r->analyzer);
}

static void rule_json(jsonw *w, const rule_meta *r)
{
    jsonw_obj(w);
    jsonw_kstr(w, "id", r->id);
    jsonw_kstr(w, "title", r->title);
    jsonw_kstr(w, "severity", severity_str(r->severity));
    jsonw_kstr(w, "confidence", confidence_str(r->confidence));
    report_rule_json_class(w, r);
    jsonw_kstr(w, "description", r->description);
    jsonw_kstr(w, "fix", r->fix);
    jsonw_key(w, "references");
    jsonw_arr(w);
    const char *p = r->references, *tok;
    for (size_t n; (n = next_ref(&p, &tok));) jsonw_strn(w, tok, n);
    jsonw_end(w);
    jsonw_end(w);
}

vg_status report_rules_json(const rule_meta *const *v, size_t n, const char *version, buf *out)
{
    jsonw w;
    jsonw_init(&w, out, 1);
    jsonw_obj(&w);
    jsonw_kstr(&w, "version", version);
    jsonw_key(&w, "rules");
    jsonw_arr(&w);
    for (size_t i = 0; i < n; i++) rule_json(&w, v[i]);
    jsonw_end(&w);
    jsonw_end(&w);
    return jsonw_finish(&w);
}

/* help: the fix as text, and as markdown the page code scanning shows:
 * what the rule looks for, how to fix it, the CWEs and the references. */
static void help_markdown(jsonw *w, const rule_meta *r)
{
    buf md;
    buf_init(&md, 0);
    buf_printf(&md, "## %s (%s)\n\n", r->title ? r->title : r->id, r->id);
    if (r->description) buf_printf(&md, "%s\n\n", r->description);
    buf_printf(&md, "### How to fix\n\n%s\n\n", r->fix);
    buf_printf(&md, "Severity: %s; confidence: %s.", severity_str(r->severity),
               confidence_str(r->confidence));
    if (r->owasp) buf_printf(&md, " OWASP Top 10: %s.", r->owasp);
    buf_puts(&md, "\n\n### References\n\n");
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i]; i++)
        buf_printf(&md, "- [CWE-%d](https://cwe.mitre.org/data/definitions/%d.html)\n", r->cwe[i],
                   r->cwe[i]);
    const char *p = r->references, *tok;
    size_t n;
    while ((n = next_ref(&p, &tok))) buf_printf(&md, "- <%.*s>\n", (int)n, tok);
    buf_printf(&md, "- `vibeguard rules %s`\n", r->id);
    jsonw_key(w, "help");
    jsonw_obj(w);
    jsonw_kstr(w, "text", r->fix);
    jsonw_kstr(w, "markdown", md.data);
    jsonw_end(w);
    buf_free(&md);
}

void report_rule_sarif(jsonw *w, const rule_meta *r)
{
    jsonw_obj(w);
    jsonw_kstr(w, "id", r->id);
    jsonw_kstr(w, "name", r->title ? r->title : r->id);
    report_sarif_text(w, "shortDescription", r->title ? r->title : r->id);
    report_sarif_text(w, "fullDescription", r->description ? r->description : r->title);
    if (r->fix) help_markdown(w, r);
    /* helpUri: the first reference, when the list starts with a URL */
    const char *p = r->references, *tok;
    size_t n = next_ref(&p, &tok);
    if (n && tok == r->references && !strncmp(tok, "http", 4)) {
        jsonw_key(w, "helpUri");
        jsonw_strn(w, tok, n);
    }
    jsonw_key(w, "defaultConfiguration");
    jsonw_obj(w);
    jsonw_kstr(w, "level", report_sarif_level(r->severity));
    jsonw_end(w);
    jsonw_key(w, "properties");
    jsonw_obj(w);
    jsonw_key(w, "tags");
    jsonw_arr(w);
    jsonw_str(w, "security");
    if (r->analyzer) jsonw_str(w, r->analyzer);
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i]; i++) {
        char tag[40];
        snprintf(tag, sizeof tag, "external/cwe/cwe-%d", r->cwe[i]);
        jsonw_str(w, tag);
    }
    if (r->owasp) {
        char tag[64];
        snprintf(tag, sizeof tag, "external/owasp/%s", r->owasp);
        jsonw_str(w, tag);
    }
    jsonw_end(w);
    jsonw_kstr(w, "security-severity", report_security_severity(r->severity));
    jsonw_kstr(w, "precision", precision_of(r->confidence));
    jsonw_end(w);
    jsonw_end(w);
}

/* ---- text ------------------------------------------------------------------ */

void report_rule_detail(const rule_meta *r, buf *b)
{
    vis(b, r->id);
    buf_puts(b, "  ");
    vis(b, r->title);
    buf_printf(b, "\n  severity:    %s\n  confidence:  %s\n  analyzer:    ", severity_str(r->severity),
               confidence_str(r->confidence));
    vis(b, r->analyzer ? r->analyzer : "-");
    buf_puts(b, "\n  CWE:        ");
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i]; i++) buf_printf(b, " CWE-%d", r->cwe[i]);
    if (!r->cwe[0]) buf_puts(b, " -");
    buf_puts(b, "\n  OWASP:       ");
    vis(b, r->owasp ? r->owasp : "-");
    buf_putc(b, '\n');
    const struct { const char *label, *text; } parts[] = {
        {"  description: ", r->description}, {"  fix:         ", r->fix},
        {"  references:  ", r->references},
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (!parts[i].text) continue;
        buf_puts(b, parts[i].label);
        vis(b, parts[i].text);
        buf_putc(b, '\n');
    }
}

static void rule_row(buf *b, const rule_meta *r)
{
    char cwe[64] = "-";
    size_t k = 0;
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i] && k < sizeof cwe - 16; i++)
        k += (size_t)snprintf(cwe + k, sizeof cwe - k, "%sCWE-%d", i ? "," : "", r->cwe[i]);
    buf v;
    buf_init(&v, 0);
    vis(&v, r->id);
    buf_printf(b, "%-32s %-8s %-6s %-16s %-9s ", v.data ? v.data : "", severity_str(r->severity),
               confidence_str(r->confidence), cwe, r->owasp ? r->owasp : "-");
    buf_free(&v);
    vis(b, r->title);
    buf_putc(b, '\n');
}

void report_rules_table(const rule_meta *const *v, size_t n, buf *b)
{
    buf_printf(b, "%-32s %-8s %-6s %-16s %-9s %s\n", "ID", "SEVERITY", "CONF", "CWE", "OWASP",
               "TITLE");
    for (size_t i = 0; i < n; i++) rule_row(b, v[i]);
    buf_printf(b, "%zu rule%s\n", n, n == 1 ? "" : "s");
}
