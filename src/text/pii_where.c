/* pii_where.c - where a match sits, for the scan's pii: family: on a
 * credit line, in a protocol name, in a Python comment or docstring.  The
 * people who wrote a project and the samples that explain its code are not
 * personal data it holds; `pii` and `redact` (recall first) never ask. */
#include "pii.h"

#include <string.h>
#include <strings.h>

#include "../core/xalloc.h"
#include "../finding/analyzer.h"

/* Is the line around byte `at` a credit: a copyright or licence header, an
 * author line, a __author__/__email__ dunder?  The people who wrote a
 * project are named there on purpose; that is not personal data it holds. */
int pii_credit_line(const vg_file *f, size_t at, pii_credit_cache *cc)
{
    static const char *const marks[] = {"copyright", "(c)", "\xc2\xa9", "author", "__email__",
                                        "__contact__", "__maintainer__", "__credits__",
                                        "written by", "maintained by", "modified by",
                                        "contributed by", "contributors:", NULL};
    size_t a;
    int line = file_line_of(f, at, &a);
    if (line == cc->line) return cc->verdict; /* many matches on one line: judged once */
    size_t b = file_line_start(f, line + 1);
    int hit = 0;
    for (const char *const *m = marks; *m && !hit; m++) {
        size_t k = strlen(*m);
        for (size_t i = a; i + k <= b && !hit; i++)
            hit = strncasecmp((const char *)f->data + i, *m, k) == 0;
    }
    cc->line = line;
    cc->verdict = hit;
    return hit;
}

/* Addresses that are names in a protocol, not people: SSH algorithm and
 * extension names (aes128-gcm@openssh.com, RFC 4251 §6) and git's ssh user
 * (git@github.com:org/repo). */
int pii_protocol_address(const unsigned char *d, size_t start, size_t end)
{
    static const char *const domains[] = {"@openssh.com", "@libssh.org", "@ssh.com", NULL};
    size_t n = end - start;
    for (const char *const *p = domains; *p; p++) {
        size_t k = strlen(*p);
        if (n > k && strncasecmp((const char *)d + end - k, *p, k) == 0) return 1;
    }
    return n > 4 && memcmp(d + start, "git@", 4) == 0;
}

/* The "user:password@host" of a URL (https://deploy:pw@host/): the
 * password and host read as an address, yet it is a credential, which the
 * secrets rules report. */
int pii_url_userinfo(const unsigned char *d, size_t start)
{
    size_t i = start, lim = start > 256 ? start - 256 : 0;
    if (i == 0 || d[i - 1] != ':') return 0;
    for (i--; i > lim; i--) {
        unsigned char ch = d[i - 1];
        if (ch == '/') return i >= 3 && d[i - 2] == '/' && d[i - 3] == ':';
        if (ch <= ' ' || ch == '"' || ch == '\'' || ch == '@') return 0;
    }
    return 0;
}

/* Role and system addresses (noreply@, support@, postmaster@, a
 * "none@nowhere.com" default): they name a function or nobody, not a
 * person, so they are not personal data a project holds. */
int pii_role_address(const unsigned char *d, size_t start, size_t end)
{
    static const char *const roles[] = {
        "none", "nobody", "noone", "no-one", "noreply", "no-reply", "donotreply", "do-not-reply",
        "info", "support", "admin", "administrator", "webmaster", "postmaster", "hostmaster",
        "abuse", "security", "contact", "hello", "team", "sales", "help", "root", "mailer-daemon",
        "notifications", "notification", "bounce", "bounces", "devnull", "null", NULL,
    };
    const unsigned char *at = memchr(d + start, '@', end - start);
    if (!at) return 0;
    size_t n = (size_t)(at - (d + start));
    for (const char *const *r = roles; *r; r++)
        if (strlen(*r) == n && strncasecmp((const char *)d + start, *r, n) == 0) return 1;
    return 0;
}

/* Comments and docstrings of a Python file: byte ranges where code is
 * explained, not where it holds data (a sample address in a docstring, an
 * author in a comment).  One pass over the file, strings skipped by their
 * quotes and escapes; a triple-quoted string that starts its line counts
 * as a docstring. */


static void doc_add(pii_doc_spans_t *d, size_t a, size_t b)
{
    XGROW(d->v, d->cap, d->n + 2);
    d->v[d->n++] = a;
    d->v[d->n++] = b;
}

void pii_doc_spans(const unsigned char *p, size_t len, pii_doc_spans_t *d)
{
    int line_blank = 1; /* only blanks since the last newline */
    for (size_t i = 0; i < len;) {
        unsigned char ch = p[i];
        if (ch == '\n') {
            line_blank = 1;
            i++;
        } else if (ch == '#') {
            size_t a = i;
            while (i < len && p[i] != '\n') i++;
            doc_add(d, a, i);
        } else if (ch == '\'' || ch == '"') {
            int triple = i + 2 < len && p[i + 1] == ch && p[i + 2] == ch;
            size_t a = i, q = triple ? 3 : 1;
            int doc = triple && line_blank;
            i += q;
            while (i < len) {
                if (p[i] == '\\') { i += 2; continue; }
                if (!triple && p[i] == '\n') break;
                if (p[i] == ch && (!triple || (i + 2 < len && p[i + 1] == ch && p[i + 2] == ch))) {
                    i += q;
                    break;
                }
                i++;
            }
            if (i > len) i = len;
            if (doc) doc_add(d, a, i);
            line_blank = 0;
        } else {
            if (ch != ' ' && ch != '\t' && ch != '\r') line_blank = 0;
            i++;
        }
    }
}

int pii_in_doc(const pii_doc_spans_t *d, size_t at)
{
    size_t lo = 0, hi = d->n / 2; /* spans are sorted and disjoint */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->v[2 * mid + 1] <= at) lo = mid + 1;
        else hi = mid;
    }
    return lo < d->n / 2 && d->v[2 * lo] <= at;
}

