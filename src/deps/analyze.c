/* analyze.c - the dependency analyzer: every manifest the walk meets is
 * parsed in the file phase and its packages are looked up at once (an
 * index binary search and hash look-ups, microseconds each), so findings
 * are made while the manifest's bytes are at hand for snippets.  When the
 * scan's options carry an inventory ('vibeguard deps', audit.c) each
 * manifest, package and look-up is also recorded there.
 *
 * Also the rule metadata of the dep: family.
 */
#include "deps.h"
#include "names.h"
#include "online.h"
#include "../core/buf.h"
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- rules ----------------------------------------------------------------------- */

#define OSV_REF "https://osv.dev/"
static const rule_meta dep_rules[] = {
    {"dep:vulnerable", "Dependency with known vulnerabilities", SEV_HIGH, CONF_HIGH, {1395, 937, 0},
     "A06:2021",
     "A pinned or locked package version is affected by published advisories (OSV: PYSEC, GHSA, "
     "CVE). The severity follows the advisory's CVSS vector when it has one.",
     "Upgrade to the fixed version named in the finding (the smallest one that clears every "
     "advisory of the package), then regenerate the lockfile.",
     OSV_REF " https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/", "deps"},
    {"dep:malicious", "Known malicious package", SEV_CRITICAL, CONF_HIGH, {506, 1395, 0}, "A08:2021",
     "The package is listed as malicious (an OSV MAL- advisory): installing it runs an "
     "attacker's code.",
     "Remove it, treat every machine that installed it as compromised, rotate the secrets it "
     "could read, and install the package that was meant.",
     OSV_REF " https://github.com/ossf/malicious-packages", "deps"},
    {"dep:typosquat", "Possible typosquatted package name", SEV_HIGH, CONF_MEDIUM, {1357, 0},
     "A08:2021",
     "The name is one slip away from a popular package (swapped, missing or look-alike "
     "characters, other separators or word order, an added prefix or suffix, a plural). "
     "Attackers register such names, and AI assistants produce them.",
     "Check the name against the project you meant and install that one; if this package is "
     "really yours, add it to [deps] allowlist.",
     "https://github.com/typomind/typomind", "deps"},
    {"dep:unknown-package", "Package name not known to exist", SEV_LOW, CONF_LOW, {1357, 0},
     "A08:2021",
     "The name is not among the popular packages of its registry and resembles none of them; "
     "code assistants invent package names (about 20% of suggested packages do not exist) and "
     "attackers register the invented ones. With --online the registry is asked.",
     "Make sure the package exists and is the one you mean (run 'vibeguard deps --online'); "
     "add private or internal names to [deps] allowlist.",
     "https://arxiv.org/abs/2406.10279", "deps"},
    {"dep:unpinned", "Requirement without an exact version", SEV_LOW, CONF_HIGH, {1357, 829, 0},
     "A08:2021",
     "An application requirement without == or hashes installs whatever the index serves "
     "on the day, including a compromised or broken release.",
     "Pin exact versions (==) or generate hashes (pip-compile --generate-hashes, uv pip "
     "compile); keep ranges for libraries' pyproject.toml only.",
     "https://pip.pypa.io/en/stable/topics/secure-installs/", "deps"},
    {"dep:unsafe-source", "Packages from an unsafe source", SEV_HIGH, CONF_HIGH, {494, 319, 295, 0},
     "A08:2021",
     "A package index or URL over plain http, a --trusted-host that turns TLS checks off, or a "
     "VCS URL that follows a branch or tag instead of a commit: what gets installed can be "
     "changed by someone else.",
     "Use https indexes, drop --trusted-host, and pin VCS URLs to a full commit hash.",
     "https://pip.pypa.io/en/stable/topics/vcs-support/", "deps"},
};

void deps_rules_register(void)
{
    for (size_t i = 0; i < sizeof dep_rules / sizeof *dep_rules; i++) registry_add(&dep_rules[i]);
}

/* ---- context ----------------------------------------------------------------------- */

/* A deps_ctx holds what every look-up reads: the OSV index, the popular
 * name tables and, with --online, a cache of registry answers.  It is
 * opened once; check_file may then run from any worker thread (the
 * registry cache, the include list and the inventory share one lock). */
typedef struct deps_ctx deps_ctx;

typedef struct reg_entry {
    char *key;   /* "eco:name" */
    int exists;
} reg_entry;

struct deps_ctx {
    const vg_opts *opts;
    osv_db *db;
    const names *names;
    pthread_mutex_t lock;     /* guards the registry cache, diags, included and inv */
    reg_entry *reg;
    size_t nreg, regcap;
    int offline;              /* a registry look-up failed: do not try again */
    diag_list diags;
    str_list included;        /* -r files already checked (real paths), under lock */
    dep_inventory *inv;       /* opts->dep_inventory: record here; NULL in a scan */
    osv_online *online;       /* --online: OSV's API, under lock; NULL without */
    int online_warned;        /* its failure is a warning, said once */
};

static void deps_ctx_close(deps_ctx *c);
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

/* Open the OSV database named by opts->osv_db (else the environment, the
 * default cache directory, the built-in index).  Fails only when a
 * database that was asked for cannot be read (error diag in d). */
static vg_status deps_ctx_open(const vg_opts *opts, deps_ctx **out, diag_list *d)
{
    *out = NULL;
    osv_db *db = NULL;
    vg_status rc = osv_open(opts ? opts->osv_db : NULL, &db, d);
    if (rc) return rc;
    deps_ctx *c = xcalloc(1, sizeof *c);
    c->opts = opts;
    c->db = db;
    c->names = names_get();
    c->inv = opts ? opts->dep_inventory : NULL;
    if (c->inv) audit_set_db(c->inv, db);
    pthread_mutex_init(&c->lock, NULL);
    if (opts && opts->online) {
        pthread_once(&curl_once, curl_init);
        /* a refused endpoint stops an audit; a scan goes on offline (the
         * error diag says why) rather than lose its dependency checks */
        if ((rc = osv_online_open(opts->osv_url, &c->online, d)) && c->inv) {
            deps_ctx_close(c);
            return rc;
        }
    }
    *out = c;
    return VG_OK;
}

static void deps_ctx_close(deps_ctx *c)
{
    if (!c) return;
    osv_close(c->db);
    osv_online_close(c->online);
    for (size_t i = 0; i < c->nreg; i++) free(c->reg[i].key);
    free(c->reg);
    str_list_free(&c->included);
    diag_free(&c->diags);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Network diagnostics gathered by --online look-ups (the first failure is
 * remembered and later look-ups are skipped): moved into d. */
static void deps_ctx_take_diags(deps_ctx *c, diag_list *d)
{
    pthread_mutex_lock(&c->lock);
    diag_move(d, &c->diags);
    pthread_mutex_unlock(&c->lock);
}

/* ---- registry (--online) -------------------------------------------------------------- */

static size_t discard(void *p, size_t s, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return s * n;
}

int deps_registry_exists(dep_eco eco, const char *name, char *msg, size_t msgsz)
{
    pthread_once(&curl_once, curl_init);
    const char *base = getenv("VIBEGUARD_REGISTRY_URL"); /* tests and mirrors */
    char url[1024];
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(msg, msgsz, "cannot start libcurl");
        return -1;
    }
    char *esc = curl_easy_escape(h, name, 0);
    if (eco == ECO_PYPI)
        snprintf(url, sizeof url, "%s/pypi/%s/json", base ? base : "https://pypi.org", esc);
    else
        snprintf(url, sizeof url, "%s/%s", base ? base : "https://registry.npmjs.org", esc);
    curl_free(esc);
    char err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "vibeguard (dependency check)");
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    const char *host = eco == ECO_PYPI ? "pypi.org" : "registry.npmjs.org";
    if (rc != CURLE_OK) {
        snprintf(msg, msgsz, "cannot reach %s (%s): the network looks unavailable; "
                 "registry checks were skipped", base ? base : host, err[0] ? err : curl_easy_strerror(rc));
        return -1;
    }
    if (status == 404) return 0;
    if (status >= 200 && status < 300) return 1;
    snprintf(msg, msgsz, "%s answered HTTP %ld: registry checks were skipped", base ? base : host, status);
    return -1;
}

/* Cached, thread-safe; -1 when offline (diag recorded once). */
static int registry_exists(deps_ctx *c, dep_eco eco, const char *norm)
{
    char *key = xasprintf("%d:%s", (int)eco, norm);
    pthread_mutex_lock(&c->lock);
    int r = -2;
    for (size_t i = 0; i < c->nreg; i++)
        if (!strcmp(c->reg[i].key, key)) r = c->reg[i].exists;
    if (r == -2 && c->offline) r = -1;
    pthread_mutex_unlock(&c->lock);
    if (r != -2) {
        free(key);
        return r;
    }
    char msg[512];
    r = deps_registry_exists(eco, norm, msg, sizeof msg);
    pthread_mutex_lock(&c->lock);
    if (r < 0) {
        if (!c->offline) diag_add(&c->diags, DIAG_WARNING, NULL, 0, 0, "--online: %s", msg);
        c->offline = 1;
        free(key);
    } else {
        XGROW(c->reg, c->regcap, c->nreg + 1);
        c->reg[c->nreg].key = key;
        c->reg[c->nreg++].exists = r;
    }
    pthread_mutex_unlock(&c->lock);
    return r;
}

/* ---- the checks -------------------------------------------------------------------------- */

static const char *eco_name(dep_eco e) { return e == ECO_NPM ? "npm" : "PyPI"; }

static int allowlisted(const deps_ctx *c, dep_eco eco, const char *norm)
{
    if (!c->opts) return 0;
    for (size_t i = 0; i < c->opts->dep_allowlist.n; i++) {
        char n[256];
        osv_normalize_name(eco_name(eco), c->opts->dep_allowlist.v[i], n, sizeof n);
        if (!strcmp(n, norm)) return 1;
    }
    return 0;
}

static finding *dep_finding(vg_out *out, const vg_file *f, const char *rule, const dep *d,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* s with every occurrence of name replaced by shown, into out (capped). */
static void replace_name(char *out, size_t cap, const char *s, const char *name, const char *shown)
{
    buf b;
    buf_init(&b, 0);
    size_t nl = strlen(name);
    for (const char *p = s, *q; *p; p = q + nl) {
        if (!nl || !(q = strstr(p, name))) {
            buf_puts(&b, p);
            break;
        }
        buf_append(&b, p, (size_t)(q - p));
        buf_puts(&b, shown);
    }
    snprintf(out, cap, "%s", b.data ? b.data : "");
    buf_free(&b);
}

static finding *dep_finding(vg_out *out, const vg_file *f, const char *rule, const dep *d,
                            const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *name = d->name;
    buf masked;
    buf_init(&masked, 0);
    if (mask_name_secretlike(d->name)) { /* always: the inventory's name is masked too */
        char tmp[2048];
        mask_put(&masked, (const unsigned char *)d->name, strlen(d->name));
        replace_name(tmp, sizeof tmp, msg, d->name, masked.data);
        memcpy(msg, tmp, sizeof msg);
        name = masked.data;
    }
    finding *fd = out_add(out, f, rule, d->line, d->col > 0 ? d->col : 1, d->line,
                          d->end_col > 0 ? d->end_col : 0, "%s", msg);
    if (name != d->name && f && f->data) { /* and in the snippet: the name on its line */
        size_t ls = file_line_start(f, d->line), nl = strlen(d->name);
        const unsigned char *hit = NULL;
        for (size_t i = ls; !hit && i + nl <= f->len && f->data[i] != '\n'; i++)
            if (!memcmp(f->data + i, d->name, nl)) hit = f->data + i;
        if (hit) finding_mask(fd, f, (size_t)(hit - f->data), (size_t)(hit - f->data) + nl);
    }
    finding_set_prop(fd, "ecosystem", eco_name(d->eco));
    finding_set_prop(fd, "package", name);
    if (d->version) finding_set_prop(fd, "version", d->version);
    if (d->spec[0]) finding_set_prop(fd, "spec", d->spec);
    char key[512];
    snprintf(key, sizeof key, "%s|%s|%s|%s", rule, eco_name(d->eco), name,
             d->version ? d->version : d->spec);
    buf_free(&masked);
    finding_set_key(fd, key, strlen(key));
    return fd;
}

/* The advisories of d; recorded into rec when it is not NULL. */
static void check_osv(deps_ctx *c, const vg_file *f, const dep *d, vg_out *out, inv_package *rec)
{
    const char *eco = eco_name(d->eco);
    const char *ver = d->version;
    int probe = 0;
    if (!ver || (d->flags & DEP_URL)) {
        /* unpinned: only an advisory covering every version (malicious packages) can be said */
        ver = d->eco == ECO_NPM ? "999999999.0.0" : "999999999";
        probe = 1;
    }
    osv_result r;
    osv_query(c->db, eco, d->name, ver, &r);
    int online_only = 0;
    if (c->online && !probe) {
        pthread_mutex_lock(&c->lock);
        osv_online_merge(c->online, c->db, eco, d->name, ver, &r);
        pthread_mutex_unlock(&c->lock);
        for (size_t i = 0; i < r.n; i++) online_only += r.v[i].source == OSV_SRC_ONLINE;
    }
    if (rec) audit_package_advisories(rec, eco, &r, !probe);
    if (!r.n) {
        osv_result_free(&r);
        return;
    }
    const char *db = osv_label(c->db);
    char dbnote[600] = "";
    if (!osv_is_builtin(c->db)) snprintf(dbnote, sizeof dbnote, " [OSV database: %s]", db);
    if (online_only)
        snprintf(dbnote + strlen(dbnote), sizeof dbnote - strlen(dbnote), " [%d from the OSV API at %s]",
                 online_only, osv_online_host(c->online));
    /* malicious first */
    for (size_t i = 0; i < r.n; i++) {
        if (!r.v[i].malicious) continue;
        finding *fd = dep_finding(out, f, "dep:malicious", d, "%s '%s' is a known malicious package (%s): %s%s",
                                  eco, d->name, r.v[i].id, r.v[i].summary, dbnote);
        finding_set_prop(fd, "advisories", r.v[i].id);
        finding_set_prop(fd, "osv_db", db);
    }
    if (probe) {
        osv_result_free(&r);
        return;
    }
    buf ids, msg, aliases;
    buf_init(&ids, 0);
    buf_init(&msg, 0);
    buf_init(&aliases, 0);
    severity worst = SEV_NONE;
    double best_score = -1;
    const char *cvss = NULL;
    size_t nv = 0;
    for (size_t i = 0; i < r.n; i++) {
        const osv_adv *a = &r.v[i];
        if (a->malicious) continue;
        nv++;
        if (ids.len) buf_putc(&ids, ',');
        buf_puts(&ids, a->id);
        if (a->aliases[0]) {
            if (aliases.len) buf_putc(&aliases, ',');
            buf_puts(&aliases, a->aliases);
        }
        if (a->sev > worst) worst = a->sev;
        if (a->score > best_score) {
            best_score = a->score;
            cvss = a->cvss;
        }
        if (nv <= 3) {
            buf_printf(&msg, "%s%s", nv > 1 ? "; " : "", a->id);
            const char *cve = strstr(a->aliases, "CVE-");
            if (cve) buf_printf(&msg, " (%.*s)", (int)strcspn(cve, ","), cve);
            if (a->summary[0]) {
                size_t n = strlen(a->summary);
                if (n > DEPS_SUMMARY_CUT) { /* end at a word, never inside a UTF-8 sequence */
                    n = DEPS_SUMMARY_CUT;
                    while (n > DEPS_SUMMARY_CUT / 2 && a->summary[n] != ' ') n--;
                }
                buf_printf(&msg, ": %.*s%s", (int)n, a->summary, a->summary[n] ? "..." : "");
            }
        }
    }
    if (nv) {
        if (nv > 3) buf_printf(&msg, "; and %zu more", nv - 3);
        char fix[200];
        if (r.fix) snprintf(fix, sizeof fix, "upgrade to %s or later (clears all of them)", r.fix);
        else snprintf(fix, sizeof fix, "no fixed version is known");
        finding *fd = dep_finding(out, f, "dep:vulnerable", d,
                                  "%s %s %s has %zu known %s: %s; %s%s", eco, d->name, d->version,
                                  nv, nv == 1 ? "vulnerability" : "vulnerabilities", msg.data, fix,
                                  dbnote);
        if (worst != SEV_NONE) fd->severity = worst;
        if (d->flags & DEP_DEV) { /* formatters, test runners: never shipped to users */
            fd->tier = TIER_REVIEW;
            fd->tier_why = "a development-only dependency, not installed with the project";
        }
        finding_set_prop(fd, "advisories", ids.data);
        if (aliases.len) finding_set_prop(fd, "aliases", aliases.data);
        if (r.fix) finding_set_prop(fd, "fixed_version", r.fix);
        if (cvss && cvss[0]) finding_set_prop(fd, "cvss", cvss);
        if (best_score >= 0) {
            char sc[16];
            snprintf(sc, sizeof sc, "%.1f", best_score);
            finding_set_prop(fd, "score", sc);
        }
        finding_set_prop(fd, "severity_source", worst != SEV_NONE ? "advisory" : "default");
        finding_set_prop(fd, "osv_db", db);
        if (online_only) finding_set_prop(fd, "osv_online", osv_online_url(c->online));
        if (r.fix) {
            char *fx = xasprintf("Upgrade %s to %s or later.", d->name, r.fix);
            free(fd->fix);
            fd->fix = fx;
        }
    }
    buf_free(&ids);
    buf_free(&msg);
    buf_free(&aliases);
    osv_result_free(&r);
}

static void check_name(deps_ctx *c, const vg_file *f, const manifest *m, const dep *d, vg_out *out)
{
    if (d->flags & (DEP_URL | DEP_LOCAL)) return;
    char norm[256];
    osv_normalize_name(eco_name(d->eco), d->name, norm, sizeof norm);
    if (allowlisted(c, d->eco, norm)) return;
    name_eco ne = d->eco == ECO_NPM ? NAMES_NPM : NAMES_PYPI;
    typo_hit h;
    int near = 0;
    if (typosquat_check_ex(c->names, ne, norm, (d->flags & DEP_LOCKED) != 0, &h, &near)) {
        /* a lockfile lists what a registry resolved, mostly transitive
         * packages nobody typed: only the strongest signals there */
        /* a name among the most-downloaded ones is an established package,
         * however close it is to a more popular one (grequests, scrypt) */
        if (h.listed) return;
        if ((d->flags & DEP_LOCKED) && !h.strong) return;
        finding *fd = dep_finding(out, f, "dep:typosquat", d,
                                  "'%s' looks like a typosquat of the popular %s package '%s': %s",
                                  d->name, eco_name(d->eco), h.target, h.how);
        fd->confidence = h.strong ? CONF_HIGH : h.listed || h.distance == 2 ? CONF_LOW : CONF_MEDIUM;
        size_t nl = strlen(norm), tl = strlen(h.target);
        if (fd->confidence == CONF_LOW) {
            fd->tier = TIER_REVIEW;
            fd->tier_why = "two characters from a popular name: a weak likeness; check the name";
        } else if (nl == tl + 1 && !strncmp(norm, h.target, tl) && norm[tl] >= '0' && norm[tl] <= '9') {
            fd->tier = TIER_REVIEW; /* httpx2, pypdf3: how forks and major versions are named */
            fd->tier_why = "a popular name with a version digit added, as forks are named; check the name";
        }
        if (h.listed) fd->severity = SEV_MEDIUM;
        finding_set_prop(fd, "imitates", h.target);
        finding_set_prop(fd, "how", h.how);
        char *fx = xasprintf("Did you mean '%s'? Install that instead, or add '%s' to [deps] "
                             "allowlist if it is really the package you want.",
                             h.target, d->name);
        free(fd->fix);
        fd->fix = fx;
        return;
    }
    if (near || names_rank(c->names, ne, norm)) return;
    if (d->flags & DEP_LOCKED) return;          /* resolved from the registry */
    if (m->private_index) return;               /* may come from the private index */
    if (d->eco == ECO_NPM && norm[0] == '@') return; /* scoped: usually private */
    if (osv_has_package(c->db, eco_name(d->eco), norm)) return; /* it has advisories: it exists */
    if (c->opts && c->opts->online) {
        int ex = registry_exists(c, d->eco, norm);
        if (ex == 1) return;
        if (ex == 0) {
            finding *fd = dep_finding(out, f, "dep:unknown-package", d,
                                      "'%s' does not exist on %s: a hallucinated or mistyped name "
                                      "that anyone could register",
                                      d->name, d->eco == ECO_NPM ? "the npm registry" : "PyPI");
            fd->severity = SEV_HIGH;
            fd->confidence = CONF_HIGH;
            finding_set_prop(fd, "registry", "missing");
            return;
        }
    }
    finding *fd = dep_finding(out, f, "dep:unknown-package", d,
                              "'%s' is not among the %zu most-used %s packages and resembles none "
                              "of them: make sure it exists and is the one you mean (%s)",
                              d->name, names_count(c->names, ne), eco_name(d->eco),
                              c->opts && c->opts->online ? "the registry could not be asked"
                                                         : "--online asks the registry");
    finding_set_prop(fd, "registry", "not checked");
    fd->tier = TIER_REVIEW;
    fd->tier_why = "not among the most-downloaded names; --online asks the registry whether it exists";
}

static void check_pinning(const vg_file *f, const manifest *m, const dep *d, vg_out *out)
{
    if (!(d->flags & DEP_APP) || (d->flags & (DEP_PINNED | DEP_HASHED | DEP_URL | DEP_LOCAL)))
        return;
    for (size_t i = 0; i < m->nincludes; i++)
        if (m->include_constraint[i]) return; /* versions pinned by a -c constraints file */
    dep_finding(out, f, "dep:unpinned", d,
                "'%s%s' is not pinned: the installed version can change under you", d->name,
                d->spec);
}

/* The credentials of every URL on the line [ls, le) are masked in fd's
 * snippet: the password of user:password@, else the whole user part (a
 * token).  `vibeguard deps` runs no secret rule to find them. */
static void mask_userinfo(finding *fd, const vg_file *f, size_t ls, size_t le)
{
    const unsigned char *d = f->data;
    for (size_t i = ls; i + 3 <= le; i++) {
        if (memcmp(d + i, "://", 3)) continue;
        size_t u = i + 3, j = u, colon = 0;
        while (j < le && d[j] != '@' && d[j] != '/' && d[j] != ' ' && d[j] != '\t') {
            if (d[j] == ':' && !colon) colon = j;
            j++;
        }
        if (j < le && d[j] == '@' && j > u) finding_mask(fd, f, colon ? colon + 1 : u, j);
        i = j;
    }
}

static void check_issues(const vg_file *f, const manifest *m, vg_out *out)
{
    for (size_t i = 0; i < m->nissues; i++) {
        const src_issue *s = &m->issues[i];
        size_t ls = file_line_start(f, s->line), le = ls;
        while (le < f->len && f->data[le] != '\n') le++;
        /* point at the URL on its line when it is there */
        const char *lp = (const char *)f->data + ls;
        const char *hit = NULL;
        if (le > ls) {
            size_t n = strcspn(s->text, "*");
            if (n > 8) hit = memmem(lp, le - ls, s->text, n < 16 ? n : 16);
        }
        int col = hit ? (int)(hit - lp) + 1 : 1;
        finding *fd;
        switch (s->kind) {
        case SRC_PLAIN_HTTP:
            fd = out_add(out, f, "dep:unsafe-source", s->line, col, s->line, 0,
                         "packages fetched over plain http: %s (anyone on the path can swap them)",
                         s->text);
            finding_set_prop(fd, "source_issue", "plain-http");
            break;
        case SRC_TRUSTED_HOST:
            fd = out_add(out, f, "dep:unsafe-source", s->line, col, s->line, 0,
                         "TLS verification turned off for %s (--trusted-host / verify_ssl = false)",
                         s->text);
            fd->severity = SEV_MEDIUM;
            finding_set_prop(fd, "source_issue", "trusted-host");
            break;
        default:
            fd = out_add(out, f, "dep:unsafe-source", s->line, col, s->line, 0,
                         "VCS dependency not pinned to a commit: %s (a branch or tag can be moved)",
                         s->text);
            fd->severity = SEV_MEDIUM;
            finding_set_prop(fd, "source_issue", "vcs-unpinned");
            break;
        }
        finding_set_prop(fd, "url", s->text); /* credentials already '***' (manifest.c) */
        if (s->package) finding_set_prop(fd, "package", s->package);
        mask_userinfo(fd, f, ls, le);
    }
}

/* --online: one batch for the exact versions of m not asked yet; a
 * failure is one warning, and the offline data is all there is. */
static void ask_online(deps_ctx *c, const manifest *m)
{
    osv_pkg *q = xcalloc(m->n ? m->n : 1, sizeof *q);
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++) {
        const dep *d = &m->deps[i];
        if (!d->version || (d->flags & (DEP_URL | DEP_LOCAL))) continue;
        q[n++] = (osv_pkg){eco_name(d->eco), d->name, d->version};
    }
    pthread_mutex_lock(&c->lock);
    if (n && osv_online_ask(c->online, q, n) && !c->online_warned) {
        diag_add(&c->diags, DIAG_WARNING, NULL, 0, 0,
                 "--online: cannot query the OSV API at %s (%s): only the offline advisory data "
                 "was used", osv_online_host(c->online), osv_online_error(c->online));
        c->online_warned = 1;
    }
    pthread_mutex_unlock(&c->lock);
    free(q);
}

/* included: m was read through another file's -r/-c include. */
static void check_manifest(deps_ctx *c, const vg_file *f, const manifest *m, vg_out *out,
                           int included)
{
    inv_manifest *im = c->inv ? audit_manifest_new(f->path, m, included) : NULL;
    if (c->online) ask_online(c, m);
    for (size_t i = 0; i < m->n; i++) {
        const dep *d = &m->deps[i];
        if (d->flags & DEP_LOCAL) continue;
        check_osv(c, f, d, out, im ? &im->pkgs[i] : NULL);
        check_name(c, f, m, d, out);
        check_pinning(f, m, d, out);
    }
    check_issues(f, m, out);
    if (im) {
        pthread_mutex_lock(&c->lock);
        audit_manifest_add(c->inv, im);
        pthread_mutex_unlock(&c->lock);
    }
}

/* -r/-c files that are not manifests by name (base.in, ../common.txt):
 * read beside the including file, at most REQ_MAX_INCLUDE_DEPTH deep. */

static void check_includes(deps_ctx *c, const vg_file *f, const manifest *m, vg_out *out,
                           int depth)
{
    if (!f->fs_path || depth >= REQ_MAX_INCLUDE_DEPTH) return;
    for (size_t i = 0; i < m->nincludes; i++) {
        const char *inc = m->includes[i];
        if (inc[0] == '/' || strstr(inc, "://") || manifest_kind_of(inc) != MK_NONE) continue;
        const char *fslash = strrchr(f->fs_path, '/'), *pslash = strrchr(f->path, '/');
        char *fs = xasprintf("%.*s%s", fslash ? (int)(fslash - f->fs_path + 1) : 0, f->fs_path, inc);
        char *dp = xasprintf("%.*s%s", pslash ? (int)(pslash - f->path + 1) : 0, f->path, inc);
        /* two requirement files including one base file: check it once */
        char real[4096];
        int seen = 0;
        if (realpath(fs, real)) {
            pthread_mutex_lock(&c->lock);
            seen = str_list_has(&c->included, real);
            if (!seen) str_list_add(&c->included, real);
            pthread_mutex_unlock(&c->lock);
        }
        char *data = NULL;
        size_t n = 0;
        /* one reader for every named file: a FIFO here would hang the scan */
        vg_status rd = seen ? VG_OK : fs_read_all(fs, MANIFEST_MAX_BYTES, &data, &n);
        if (!seen && !rd) {
            vg_file sub = {0};
            sub.path = dp;
            sub.fs_path = fs;
            sub.data = (const unsigned char *)data;
            sub.len = n;
            sub.kind = FK_TEXT;
            manifest sm;
            manifest_parse(&sm, MK_REQUIREMENTS, dp, data, n, &out->diags);
            check_manifest(c, &sub, &sm, out, 1);
            check_includes(c, &sub, &sm, out, depth + 1);
            manifest_free(&sm);
            file_lines_free(&sub);
            free(data);
        } else if (!seen) {
            diag_add(&out->diags, DIAG_WARNING, f->path, 0, 0, "cannot read included file '%s': %s",
                     inc, rd == VG_ERR_LIMIT ? "too large" : fs_strerror(errno));
        }
        free(fs);
        free(dp);
    }
}

/* Parse the manifest f (of kind k) and report its findings into out
 * (warnings about the manifest into out->diags). */
static void check_file(deps_ctx *c, const vg_file *f, manifest_kind k, vg_out *out)
{
    manifest m;
    manifest_parse(&m, k, f->path, (const char *)f->data, f->len, &out->diags);
    check_manifest(c, f, &m, out, 0);
    if (k == MK_REQUIREMENTS) check_includes(c, f, &m, out, 0);
    manifest_free(&m);
}

/* ---- the analyzer ----------------------------------------------------------------------- */

typedef struct dep_state {
    const vg_opts *opts;
    pthread_mutex_t lock;
    char **pkg_dirs;          /* folders holding a pyproject.toml, setup.py or setup.cfg */
    size_t npkg, cappkg;
    deps_ctx *ctx;            /* opened on the first manifest (a scan), or at init
                                 (an audit: the database is part of its report) */
    int failed;
} dep_state;

static vg_status dep_init(vg_scan *s, void **state, diag_list *d)
{
    deps_ctx *ctx = NULL;
    if (s->opts->dep_inventory) {
        vg_status rc = deps_ctx_open(s->opts, &ctx, d);
        if (rc) return rc;
    }
    dep_state *st = xcalloc(1, sizeof *st);
    st->opts = s->opts;
    st->ctx = ctx;
    pthread_mutex_init(&st->lock, NULL);
    *state = st;
    return VG_OK;
}

/* Is base one of the files that make a folder a Python package's root? */
static int package_marker(const char *base)
{
    return !strcmp(base, "pyproject.toml") || !strcmp(base, "setup.py") || !strcmp(base, "setup.cfg");
}

static const char *base_of(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static void note_package(dep_state *st, const char *path)
{
    size_t n = (size_t)(base_of(path) - path);
    pthread_mutex_lock(&st->lock);
    XGROW(st->pkg_dirs, st->cappkg, st->npkg + 1);
    st->pkg_dirs[st->npkg++] = xstrndup(path, n); /* "" or "dir/" */
    pthread_mutex_unlock(&st->lock);
}

/* The manifest kind of path: by its name, or a requirements file because
 * the user named it so ('deps -r FILE', opts->dep_requirements). */
static manifest_kind kind_for(const vg_opts *o, const char *path)
{
    manifest_kind k = manifest_kind_of(path);
    if (k != MK_NONE || !o) return k;
    const char *p = path;
    while (p[0] == '.' && p[1] == '/') p += 2;
    for (size_t i = 0; i < o->dep_requirements.n; i++) {
        const char *r = o->dep_requirements.v[i];
        while (r[0] == '.' && r[1] == '/') r += 2;
        if (!strcmp(p, r)) return MK_REQUIREMENTS;
    }
    return MK_NONE;
}

static vg_status dep_file(vg_scan *s, void *state, const vg_file *f, vg_out *out)
{
    (void)s;
    dep_state *st = state;
    if (f->kind == FK_BINARY || f->commit) return VG_OK;
    if (package_marker(base_of(f->path))) note_package(st, f->path);
    manifest_kind k = kind_for(st->opts, f->path);
    if (k == MK_NONE) return VG_OK;
    pthread_mutex_lock(&st->lock);
    if (!st->ctx && !st->failed) {
        diag_list d = {0};
        if (deps_ctx_open(st->opts, &st->ctx, &d)) st->failed = 1;
        diag_move(&out->diags, &d);
        diag_free(&d);
    }
    deps_ctx *c = st->ctx;
    pthread_mutex_unlock(&st->lock);
    if (!c) return VG_OK;
    check_file(c, f, k, out);
    return VG_OK;
}

/* A requirement range inside a package (a folder at or below one with a
 * pyproject.toml, setup.py or setup.cfg: a library, its tests and docs,
 * its project templates), or a VCS requirement on a branch there, is meant
 * to be resolved by whoever installs it; only an application's own
 * requirements should pin. */
static void package_ranges_review(const dep_state *st, vg_out *out)
{
    for (size_t i = 0; i < out->n; i++) {
        finding *fd = out->v[i];
        const char *si = finding_prop(fd, "source_issue");
        int range = !strcmp(fd->rule->id, "dep:unpinned") ||
                    (!strcmp(fd->rule->id, "dep:unsafe-source") && si && !strcmp(si, "vcs-unpinned"));
        if (!range || fd->tier != TIER_ISSUE) continue;
        for (size_t k = 0; k < st->npkg; k++) {
            size_t n = strlen(st->pkg_dirs[k]);
            if (strncmp(fd->path, st->pkg_dirs[k], n)) continue;
            fd->tier = TIER_REVIEW;
            fd->tier_why = "a range in a package's requirements, resolved by whoever installs it";
            break;
        }
    }
}

static vg_status dep_finish(vg_scan *s, void *state, vg_out *out)
{
    (void)s;
    dep_state *st = state;
    if (st->ctx) deps_ctx_take_diags(st->ctx, &out->diags);
    if (st->ctx && st->ctx->online && st->ctx->inv)
        audit_set_online(st->ctx->inv, st->ctx->online);
    package_ranges_review(st, out);
    return VG_OK;
}

static void dep_fini(void *state)
{
    dep_state *st = state;
    if (!st) return;
    deps_ctx_close(st->ctx);
    for (size_t i = 0; i < st->npkg; i++) free(st->pkg_dirs[i]);
    free(st->pkg_dirs);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

int deps_wants(const vg_opts *o, const char *path, int context)
{
    (void)context;
    return kind_for(o, path) != MK_NONE || package_marker(base_of(path));
}

const analyzer deps_analyzer = {"deps", dep_init, dep_file, dep_finish, dep_fini};
