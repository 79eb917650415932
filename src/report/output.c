/* output.c - what all reporters share: format dispatch, terminal-safe
 * text and severity scores. */
#include "report.h"
#include "../core/utf8.h"
#include "../fmt/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const report_formats[] = {"text", "json", "sarif", "html", "gitlab-sast", "gitlab-secrets",
                                      "junit", NULL};

int report_format_known(const char *f)
{
    for (size_t i = 0; f && report_formats[i]; i++)
        if (!strcmp(f, report_formats[i])) return 1;
    return 0;
}

vg_status report_render(const report_ctx *c, const char *format, buf *out)
{
    if (!strcmp(format, "text")) report_text(c, out);
    else if (!strcmp(format, "json")) return report_json(c, out);
    else if (!strcmp(format, "sarif")) return report_sarif(c, out);
    else if (!strcmp(format, "html")) report_html(c, out);
    else if (!strcmp(format, "gitlab-sast")) return report_gitlab_sast(c, out);
    else if (!strcmp(format, "gitlab-secrets")) return report_gitlab_secrets(c, out);
    else if (!strcmp(format, "junit")) return report_junit(c, out);
    else return VG_ERR_USAGE;
    return VG_OK;
}

void report_visible(buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            size_t j = i;
            while (j < n && s[j] >= 0x20 && s[j] < 0x7F) j++;
            buf_append(b, s + i, j - i);
            i = j;
            continue;
        }
        if (c == '\t') {
            buf_putc(b, '\t');
            i++;
            continue;
        }
        if (c < 0x80) {
            buf_printf(b, "\\x%02x", c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (!len) {
            buf_printf(b, "\\x%02x", c);
            i++;
        } else if (cp < 0xA0 || jsonw_invisible(cp)) {
            buf_printf(b, "<U+%04X>", (unsigned)cp);
            i += len;
        } else {
            buf_append(b, s + i, len);
            i += len;
        }
    }
}

severity report_max_severity(finding *const *v, size_t n)
{
    severity m = SEV_NONE;
    for (size_t i = 0; i < n; i++)
        if (v[i]->severity > m) m = v[i]->severity;
    return m;
}

const char *report_security_severity(severity s)
{
    switch (s) {
    case SEV_CRITICAL: return "9.5";
    case SEV_HIGH: return "8.0";
    case SEV_MEDIUM: return "5.5";
    case SEV_LOW: return "3.0";
    default: return "0.0";
    }
}
