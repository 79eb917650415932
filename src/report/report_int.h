/* report_int.h - what the renderers of src/report share among themselves
 * and nobody else needs: the pieces of one JSON form written into another
 * (the deps JSON embeds the findings of the JSON report; SARIF embeds the
 * rule objects of rules.c).  Not part of the library's API (report.h).
 */
#ifndef VG_REPORT_INT_H
#define VG_REPORT_INT_H

#include "../fmt/jsonw.h"
#include "report.h"

/* json.c: one finding object; the "errors" key and its array of diags
 * (d NULL: an empty array). */
void report_json_finding(jsonw *w, const finding *f);
void report_json_errors(jsonw *w, const diag_list *d);

/* rules.c: a rule's "cwe", "owasp" and "analyzer" keys (in the rules
 * listing and in every finding object); a rule as a SARIF
 * reportingDescriptor; a severity as a SARIF level (error, warning, note). */
void report_rule_json_class(jsonw *w, const rule_meta *r);
void report_rule_sarif(jsonw *w, const rule_meta *r);
const char *report_sarif_level(severity s);

/* sarif.c: {"text": text} under key (NULL text is ""). */
void report_sarif_text(jsonw *w, const char *key, const char *text);

/* html.c: s as HTML text or a quoted attribute value (visible escapes,
 * then entities); the in-page anchor of a rule's documentation, the same
 * in id="" and href="#...". */
void report_html_text(buf *b, const char *s);
void report_html_anchor(buf *b, const char *id);

/* html_threat.c: the "Threat model" section (id="threat-model"): the
 * data-flow diagram as inline SVG, the flows, the elements and the STRIDE
 * threats.  An evidence item that opens with the id of a rule reported in
 * v links to that rule's documentation on the page. */
void report_html_threat(const report_threat *t, finding *const *v, size_t n, buf *out);

#endif
