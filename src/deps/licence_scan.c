/* licence_scan.c - the licence analyzer: the project's own licence, the
 * licences marked inside its source files, and its dependencies' licences,
 * weighed against each other with licence.def's compatibility table.
 *
 * The file phase only gathers, because the project's licence is known only
 * once the walk has met its LICENSE file and manifests: licence files and
 * manifests give declarations (by folder), source files give markers
 * (SPDX-License-Identifier lines, GPL/AGPL/LGPL/MPL notices, copies of
 * licence texts), installed metadata (*.dist-info/METADATA, node_modules'
 * package.json) and package-lock.json give packages.  Each marker and
 * package keeps a finding site made while its bytes are at hand; the
 * finish phase decides the project's licence and turns the sites that
 * conflict with it into findings (no file is read twice).  With
 * opts->lic_inventory ('vibeguard licences') every package is also
 * recorded there.
 *
 * Also the rule metadata of the licence: family.
 */
#include "licence.h"
#include "manifest.h"
#include "../core/buf.h"
#include "../core/xalloc.h"
#include "../finding/finding.h"
#include "../finding/licences.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- rules ----------------------------------------------------------------------- */

#define LIC_REFS "https://www.gnu.org/licenses/license-list.html https://spdx.org/licenses/"
static const rule_meta lic_rules[] = {
    {"licence:copyleft-code", "Copyleft code in a project under another licence", SEV_MEDIUM,
     CONF_HIGH, {0}, NULL,
     "A source file carries a copyleft licence (an SPDX-License-Identifier line, a GPL, AGPL, "
     "LGPL or MPL notice, or a copy of the licence text) that the project's own licence "
     "(LICENSE, pyproject.toml, package.json) cannot pass on. Code assistants reproduce "
     "copyleft code verbatim, notice and all; shipping it under a permissive or proprietary "
     "licence breaks its terms.",
     "Replace the code with your own or a permissively licensed equivalent, or keep it as a "
     "separate component under its own licence (its folder, its LICENSE file, its notices) and "
     "check that distributing both together is allowed.",
     LIC_REFS, "licence"},
    {"licence:dependency-conflict", "Dependency under a licence that conflicts with the project's",
     SEV_MEDIUM, CONF_MEDIUM, {0}, NULL,
     "An installed or locked dependency declares a licence (License-Expression, License, "
     "classifiers, package.json's license) whose terms the project's licence cannot meet: "
     "GPL or AGPL code in a permissive or proprietary project, or a pair the FSF lists as "
     "incompatible (Apache-2.0 in a GPL-2.0-only project).",
     "Replace the dependency with one under a compatible licence, or relicense the project; "
     "if it is only a development tool, declare it as such (devDependencies, a dev group).",
     LIC_REFS, "licence"},
    {"licence:unknown-dependency", "Dependency whose licence could not be read", SEV_LOW, CONF_LOW,
     {0}, NULL,
     "An installed or locked dependency declares no licence, or one this table does not know: "
     "nobody has checked that it may be shipped with the project.",
     "Read the package's licence and record it; 'vibeguard licences' lists every package.",
     LIC_REFS, "licence"},
};

void licence_rules_register(void)
{
    for (size_t i = 0; i < sizeof lic_rules / sizeof *lic_rules; i++) registry_add(&lic_rules[i]);
}

/* ---- what the walk gathers ------------------------------------------------------------ */

typedef struct decl {            /* a declaration of a folder's licence */
    char *dir;                   /* "" or "sub/dir/" */
    char *path;
    char *source;                /* "LICENSE", "pyproject.toml (project.license)" */
    lic_result lic;
    int prio;                    /* 0 a licence file; else lic_read_decls' priority */
    int list;                    /* one classifier of a list */
    finding_site *site;          /* licence files: the line its text starts; else NULL */
} decl;

typedef struct mark_rec {        /* the strongest licence marker of a source file */
    char *path;
    lic_mark_kind kind;
    lic_result lic;
    file_class cls;
    finding_site *site;
} mark_rec;

typedef struct pkg_rec {         /* a package and its declared licence */
    char *name, *version, *declared, *source, *path;
    const char *eco;
    lic_result lic;
    int dev;
    finding_site *site;
} pkg_rec;

typedef struct lic_state {
    const vg_opts *opts;
    pthread_mutex_t lock;
    decl *decls;
    size_t nd, capd;
    mark_rec *marks;
    size_t nm, capm;
    pkg_rec *pkgs;
    size_t np, capp;
} lic_state;

static const char *base_of(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Below an installed environment or package: what is there is a package's own. */
static int installed_path(const char *path)
{
    return strstr(path, "node_modules/") || strstr(path, "site-packages/") ||
           strstr(path, "dist-packages/") || strstr(path, ".dist-info/") ||
           strstr(path, ".egg-info/");
}

/* LICENSE, LICENCE.md, COPYING, COPYING.LESSER, LICENSE-MIT, UNLICENSE */
static int licence_file(const char *path)
{
    static const char *const stems[] = {"license", "licence", "copying", "unlicense", NULL};
    const char *b = base_of(path);
    /* LICENSE-THIRD-PARTY, LICENSES.bundled.txt: the licences of what the
     * project ships with it, not the project's own */
    static const char *const others[] = {"third", "3rd", "vendor", "bundled", "depend", NULL};
    for (int i = 0; others[i]; i++)
        for (const char *q = b; *q; q++)
            if (!strncasecmp(q, others[i], strlen(others[i]))) return 0;
    for (int i = 0; stems[i]; i++) {
        size_t n = strlen(stems[i]);
        if (strncasecmp(b, stems[i], n)) continue;
        const char *rest = b + n;
        if (!*rest) return 1;
        if (*rest != '.' && *rest != '-' && *rest != '_') return 0;
        static const char *const code[] = {".py", ".js", ".ts", ".c", ".h", ".go", ".rs", ".html",
                                           ".json", ".toml", ".yml", ".yaml", NULL};
        for (int k = 0; code[k]; k++)
            if (!strcasecmp(rest, code[k])) return 0;
        return 1;
    }
    return 0;
}

static int code_file(const vg_file *f)
{
    static const char *const exts[] = {".py", ".pyi", ".pyw", ".pyx", ".pxd", ".js", ".mjs",
                                       ".cjs", ".jsx", ".ts", ".tsx", ".c", ".h", ".cc", ".cpp",
                                       ".hpp", ".go", ".rs", ".java", ".kt", ".rb", ".php",
                                       ".sh", ".pl", ".lua", ".swift", ".cs", ".scala", NULL};
    if (f->kind == FK_PYTHON) return 1;
    const char *dot = strrchr(base_of(f->path), '.');
    if (!dot) return 0;
    for (int i = 0; exts[i]; i++)
        if (!strcasecmp(dot, exts[i])) return 1;
    return 0;
}

/* node_modules/NAME/package.json or node_modules/@SCOPE/NAME/package.json */
static int installed_npm(const char *path)
{
    const char *nm = NULL;
    for (const char *p = path; (p = strstr(p, "node_modules/")); p += 13) nm = p + 13;
    if (!nm || strcmp(base_of(path), "package.json")) return 0;
    const char *s = strchr(nm, '/');
    if (s && nm[0] == '@') s = strchr(s + 1, '/');
    return s && !strcmp(s + 1, "package.json");
}

static char *dir_of(const char *path)
{
    return xstrndup(path, (size_t)(base_of(path) - path));
}

static int depth_of(const char *dir)
{
    int d = 0;
    for (; *dir; dir++) d += *dir == '/';
    return d;
}

static void add_decl(lic_state *st, const char *path, const char *source, const lic_result *lic,
                     int prio, int list, finding_site *site)
{
    pthread_mutex_lock(&st->lock);
    XGROW(st->decls, st->capd, st->nd + 1);
    decl *d = &st->decls[st->nd++];
    d->dir = dir_of(path);
    d->path = xstrdup(path);
    d->source = xstrdup(source);
    d->lic = *lic;
    d->prio = prio;
    d->list = list;
    d->site = site;
    pthread_mutex_unlock(&st->lock);
}

static void add_pkg(lic_state *st, const vg_file *f, const char *eco, const char *name,
                    const char *version, const char *declared, const char *field, int line,
                    int list, int dev)
{
    pkg_rec p = {0};
    p.name = xstrdup(name);
    p.version = xstrdup(version ? version : "");
    p.declared = declared ? xstrdup(declared) : NULL;
    p.path = xstrdup(f->path);
    p.source = field ? xasprintf("%s (%s)", f->path, field) : xstrdup(f->path);
    p.eco = eco;
    p.dev = dev;
    if (!declared) {
        memset(&p.lic, 0, sizeof p.lic);
        p.lic.cat = LC_UNKNOWN;
    } else if (list) {
        lic_parse_list(declared, strlen(declared), &p.lic);
    } else {
        lic_parse_decl(declared, strlen(declared), &p.lic);
    }
    /* the finding is on the licence field; the rule is decided later */
    p.site = finding_site_new(f, "licence:dependency-conflict", line > 0 ? line : 1, 1,
                              line > 0 ? line : 1, 0);
    pthread_mutex_lock(&st->lock);
    XGROW(st->pkgs, st->capp, st->np + 1);
    st->pkgs[st->np++] = p;
    pthread_mutex_unlock(&st->lock);
}

typedef struct decl_ctx {
    lic_state *st;
    const vg_file *f;
} decl_ctx;

static void on_decl(void *ud, const char *field, const char *text, size_t n, int line, int prio,
                    int list)
{
    (void)line; /* a declaration is never a finding itself */
    decl_ctx *c = ud;
    lic_result r;
    lic_parse_decl(text, n, &r);
    if (!r.expr[0]) return;
    char *src = xasprintf("%s (%s)", c->f->path, field);
    add_decl(c->st, c->f->path, src, &r, prio, list, NULL);
    free(src);
}

/* The package an installed node_modules/NAME/package.json describes. */
static void npm_installed(lic_state *st, const vg_file *f)
{
    json_error_t e;
    json_t *j = json_loadb((const char *)f->data, f->len, 0, &e);
    const char *name = json_is_object(j) ? json_string_value(json_object_get(j, "name")) : NULL;
    if (name) {
        const char *ver = json_string_value(json_object_get(j, "version"));
        const char *lic = npm_licence_of(j);
        size_t off = manifest_find_key((const char *)f->data, f->len, 0, "license");
        if (off == (size_t)-1) off = manifest_find_key((const char *)f->data, f->len, 0, "licenses");
        int line = 1;
        for (size_t i = 0; off != (size_t)-1 && i < off; i++) line += f->data[i] == '\n';
        add_pkg(st, f, "npm", name, ver, lic, lic ? "license" : NULL, line, 0, 0);
    }
    json_decref(j);
}

static void from_manifest(lic_state *st, const vg_file *f, manifest_kind k)
{
    manifest m;
    diag_list d = {0};
    manifest_parse(&m, k, f->path, (const char *)f->data, f->len, &d);
    diag_free(&d); /* the deps analyzer reports what is wrong with it */
    for (size_t i = 0; i < m.n; i++) {
        const dep *x = &m.deps[i];
        if (k == MK_PACKAGE_LOCK && !x->licence) continue; /* the lockfile carries none */
        add_pkg(st, f, x->eco == ECO_NPM ? "npm" : "PyPI", x->name, x->version, x->licence,
                x->licence_field, x->licence ? x->licence_line : x->line,
                x->licence_field && !strcmp(x->licence_field, "classifier"),
                (x->flags & DEP_DEV) != 0);
    }
    manifest_free(&m);
}

static void from_code(lic_state *st, const vg_file *f)
{
    lic_mark marks[LIC_MAX_MARKS];
    size_t n = lic_find_marks((const char *)f->data, f->len, marks, LIC_MAX_MARKS);
    const lic_mark *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const lic_mark *m = &marks[i];
        if (!m->lic.known || m->lic.cat < LC_WEAK) continue;
        if (!best || m->lic.cat > best->lic.cat) best = m;
    }
    if (!best) return;
    int line = file_line_of(f, best->start, NULL);
    size_t ls = file_line_start(f, line);
    int end_line = file_line_of(f, best->end, NULL);
    finding_site *site = finding_site_new(f, "licence:copyleft-code", line, (int)(best->start - ls) + 1,
                                          end_line, 0);
    pthread_mutex_lock(&st->lock);
    XGROW(st->marks, st->capm, st->nm + 1);
    mark_rec *r = &st->marks[st->nm++];
    r->path = xstrdup(f->path);
    r->kind = best->kind;
    r->lic = best->lic;
    r->cls = f->cls;
    r->site = site;
    pthread_mutex_unlock(&st->lock);
}

/* A marker makes a finding at its own file only, which a context file (one
 * this run does not report: --staged, --diff, another shard) never shows;
 * the inventory of `vibeguard licences` counts every marked file. */
static int wants_marks(const vg_opts *o, int context) { return !context || (o && o->lic_inventory); }

static vg_status lic_file(vg_scan *s, void *state, const vg_file *f, vg_out *out)
{
    (void)s;
    (void)out;
    lic_state *st = state;
    if (f->kind == FK_BINARY || f->commit) return VG_OK;
    const char *path = f->path;
    manifest_kind k = manifest_kind_of(path);
    if (k == MK_INSTALLED || k == MK_PACKAGE_LOCK) {
        from_manifest(st, f, k);
        return VG_OK;
    }
    if (installed_npm(path)) {
        npm_installed(st, f);
        return VG_OK;
    }
    if (installed_path(path)) return VG_OK;
    if (licence_file(path)) {
        size_t at = 0;
        const char *id = lic_match_text((const char *)f->data, f->len, &at);
        if (!id) return VG_OK;
        lic_result r;
        lic_parse_decl(id, strlen(id), &r);
        int line = file_line_of(f, at, NULL);
        finding_site *site = finding_site_new(f, "licence:copyleft-code", line, 1, line, 0);
        add_decl(st, path, path, &r, 0, 0, site);
        return VG_OK;
    }
    if (lic_decl_kind(path)) {
        decl_ctx c = {st, f};
        lic_read_decls(path, (const char *)f->data, f->len, on_decl, &c);
        if (lic_decl_kind(path) != 4) return VG_OK; /* setup.py is code too */
    }
    if (code_file(f) && wants_marks(st->opts, f->context)) from_code(st, f);
    return VG_OK;
}

int licence_wants(const vg_opts *o, const char *path, int context)
{
    manifest_kind k = manifest_kind_of(path);
    if (k == MK_INSTALLED || k == MK_PACKAGE_LOCK || installed_npm(path)) return 1;
    if (installed_path(path)) return 0;
    if (licence_file(path) || lic_decl_kind(path)) return 1;
    if (!wants_marks(o, context)) return 0;
    vg_file f = {.path = path, .kind = FK_TEXT};
    const char *b = base_of(path), *dot = strrchr(b, '.');
    if (dot && (!strcmp(dot, ".py") || !strcmp(dot, ".pyw") || !strcmp(dot, ".pyi"))) return 1;
    return code_file(&f);
}

/* ---- after the walk -------------------------------------------------------------------- */

/* A project: the scan's root (the shallowest folder with a declaration),
 * or a folder below it whose manifest declares a licence of its own (a
 * package of a monorepo).  A folder with only a licence file is not one:
 * that is third-party code kept apart inside the project around it. */
typedef struct project {
    const char *dir;
    lic_result lic;
    buf src;                 /* where its licence was read */
} project;

/* The licence of the project in dir.  An SPDX expression a manifest
 * states is the most precise; else the licence files there (several: the
 * project offers each, "A OR B"); else the other fields, best first. */
static void dir_licence(const lic_state *st, const char *dir, lic_result *proj, buf *sources)
{
    memset(proj, 0, sizeof *proj);
    proj->cat = LC_UNKNOWN;
    const decl *best = NULL;
    lic_result files = {.cat = LC_UNKNOWN};
    int nfiles = 0;
    for (size_t i = 0; i < st->nd; i++) {
        const decl *d = &st->decls[i];
        if (strcmp(d->dir, dir)) continue;
        if (sources->len) buf_puts(sources, ", ");
        buf_puts(sources, d->source);
        if (!d->lic.known) continue;
        if (d->prio == 0) {
            if (nfiles && strstr(files.expr, d->lic.expr)) continue;
            if (nfiles++) {
                size_t k = strlen(files.expr);
                snprintf(files.expr + k, sizeof files.expr - k, " OR %s", d->lic.expr);
                files.single = NULL;
                if (d->lic.cat < files.cat) files.cat = d->lic.cat;
            } else {
                files = d->lic;
            }
        } else if (!best || d->prio < best->prio) {
            best = d;
        }
    }
    if (best && best->prio == 1) *proj = best->lic;
    else if (nfiles) *proj = files;
    else if (best && best->list) { /* every classifier of the best manifest */
        buf b;
        buf_init(&b, 0);
        for (size_t i = 0; i < st->nd; i++)
            if (!strcmp(st->decls[i].dir, dir) && st->decls[i].list &&
                !strcmp(st->decls[i].path, best->path)) {
                if (b.len) buf_putc(&b, '\n');
                buf_puts(&b, st->decls[i].lic.expr);
            }
        lic_parse_list(b.data ? b.data : "", b.len, proj);
        buf_free(&b);
    } else if (best) *proj = best->lic;
}

/* The projects of the scan, the root first (decls sorted by path). */
static size_t find_projects(const lic_state *st, project **out)
{
    const char *root = "";
    int rd = 1 << 30;
    for (size_t i = 0; i < st->nd; i++) {
        int d = depth_of(st->decls[i].dir);
        if (d < rd || (d == rd && strcmp(st->decls[i].dir, root) < 0)) {
            rd = d;
            root = st->decls[i].dir;
        }
    }
    project *v = NULL;
    size_t n = 0, cap = 0;
    XGROW(v, cap, 1);
    memset(&v[0], 0, sizeof v[0]);
    v[n++].dir = root;
    size_t rl = strlen(root);
    for (size_t i = 0; i < st->nd; i++) {
        const decl *d = &st->decls[i];
        if (d->prio == 0 || !strcmp(d->dir, root) || strncmp(d->dir, root, rl)) continue;
        if (!strcmp(d->dir, v[n - 1].dir)) continue;
        XGROW(v, cap, n + 1);
        memset(&v[n], 0, sizeof v[n]);
        v[n++].dir = d->dir;
    }
    for (size_t i = 0; i < n; i++) {
        buf_init(&v[i].src, 0);
        dir_licence(st, v[i].dir, &v[i].lic, &v[i].src);
    }
    *out = v;
    return n;
}

/* The project path belongs to: the deepest whose folder holds it. */
static const project *project_of(const project *v, size_t n, const char *path)
{
    const project *best = &v[0];
    for (size_t i = 1; i < n; i++) {
        size_t l = strlen(v[i].dir);
        if (!strncmp(path, v[i].dir, l) && l > strlen(best->dir)) best = &v[i];
    }
    return best;
}

/* The licence file of the deepest folder above path, below its project's
 * folder, or NULL. */
static const decl *own_licence(const lic_state *st, const char *root, const char *path)
{
    const decl *best = NULL;
    size_t rl = strlen(root);
    for (size_t i = 0; i < st->nd; i++) {
        const decl *d = &st->decls[i];
        size_t n = strlen(d->dir);
        if (d->prio != 0 || !d->lic.known || n <= rl || strncmp(path, d->dir, n)) continue;
        if (!best || n > strlen(best->dir)) best = d;
    }
    return best;
}

static severity action_sev(lic_action a)
{
    return a == LA_SEVERE ? SEV_HIGH : a == LA_CONFLICT ? SEV_MEDIUM : SEV_LOW;
}

static void set_props(finding *fd, const lic_result *lic, const lic_result *proj, const char *psrc)
{
    finding_set_prop(fd, "licence", lic->expr);
    finding_set_prop(fd, "licence_category", lic_cat_name(lic->cat));
    finding_set_prop(fd, "project_licence", proj->expr[0] ? proj->expr : "UNKNOWN");
    finding_set_prop(fd, "project_licence_source", psrc);
}

static const char *mark_word(lic_mark_kind k)
{
    return k == LM_SPDX ? "an SPDX-License-Identifier line" : k == LM_HEADER ? "a licence notice"
                                                                            : "a copy of the licence text";
}

static void finish_marks(lic_state *st, const project *pv, size_t np, vg_out *out)
{
    for (size_t i = 0; i < st->nm; i++) {
        const mark_rec *m = &st->marks[i];
        const project *pj = project_of(pv, np, m->path);
        const lic_result *proj = &pj->lic;
        const char *psrc = pj->src.data ? pj->src.data : "";
        const char *pname = proj->expr[0] ? proj->expr : "under no declared licence";
        const char *why;
        lic_action a = lic_compat(proj, &m->lic, 1, &why);
        if (a == LA_OK) continue;
        const decl *own = own_licence(st, pj->dir, m->path);
        const char *own_why = NULL;
        if (own) {
            const char *w2;
            if (lic_compat(&own->lic, &m->lic, 1, &w2) == LA_OK)
                own_why = "in a folder with its own licence file: third-party code kept under "
                          "its licence; check that shipping it with the project is allowed";
        }
        finding *fd = out_add_site(out, m->site, "this file is under %s (%s) in a project %s%s: %s",
                                   m->lic.expr, mark_word(m->kind),
                                   proj->expr[0] ? "licensed " : "", pname, why ? why : "");
        fd->severity = action_sev(a);
        fd->confidence = m->kind == LM_TEXT ? CONF_MEDIUM : CONF_HIGH;
        set_props(fd, &m->lic, proj, psrc);
        if (a <= LA_REVIEW) {
            fd->tier = TIER_REVIEW;
            fd->tier_why = proj->expr[0] ? "file-level copyleft or terms to read, not a conflict"
                                         : "the project declares no licence to weigh it against";
        } else if (own_why) {
            fd->tier = TIER_REVIEW;
            fd->tier_why = own_why;
        } else if (m->cls == FC_VENDORED) {
            fd->tier = TIER_REVIEW;
            fd->tier_why = "vendored or generated code under its own licence";
        }
    }
    /* folders under their own copyleft licence file */
    for (size_t i = 0; i < st->nd; i++) {
        const decl *d = &st->decls[i];
        const project *pj = project_of(pv, np, d->path);
        if (d->prio != 0 || !strcmp(d->dir, pj->dir) || !d->lic.known) continue;
        const lic_result *proj = &pj->lic;
        const char *psrc = pj->src.data ? pj->src.data : "";
        const char *pname = proj->expr[0] ? proj->expr : "under no declared licence";
        const char *why;
        lic_action a = lic_compat(proj, &d->lic, 1, &why);
        if (a == LA_OK) continue;
        finding *fd = out_add_site(out, d->site, "the folder %s is under %s in a project %s%s: %s",
                                   d->dir, d->lic.expr, proj->expr[0] ? "licensed " : "", pname,
                                   why ? why : "");
        fd->severity = action_sev(a);
        fd->confidence = CONF_MEDIUM;
        set_props(fd, &d->lic, proj, psrc);
        fd->tier = TIER_REVIEW;
        fd->tier_why = "a folder under its own licence file: third-party code kept apart; check "
                       "that shipping it with the project is allowed";
    }
}

static void finish_pkgs(lic_state *st, const project *pv, size_t np, vg_out *out,
                        lic_inventory *inv)
{
    for (size_t i = 0; i < st->np; i++) {
        pkg_rec *p = &st->pkgs[i];
        const project *pj = project_of(pv, np, p->path);
        const lic_result *proj = &pj->lic;
        const char *psrc = pj->src.data ? pj->src.data : "";
        const char *pname = proj->expr[0] ? proj->expr : "UNKNOWN";
        const char *why = NULL;
        lic_action a = p->dev ? LA_OK : lic_compat(proj, &p->lic, 0, &why);
        const char *verdict = p->dev ? "dev-only" : a == LA_OK ? "ok" : a == LA_INFO ? "unknown"
                              : a == LA_REVIEW ? "review" : "conflict";
        if (inv) {
            XGROW(inv->pkgs, inv->cap, inv->n + 1);
            lic_package *r = &inv->pkgs[inv->n++];
            r->name = xstrdup(p->name);
            r->version = xstrdup(p->version);
            r->ecosystem = p->eco;
            r->licence = xstrdup(p->lic.expr[0] ? p->lic.expr : "UNKNOWN");
            r->category = lic_cat_name(p->lic.cat);
            r->source = xstrdup(p->source);
            r->verdict = verdict;
            r->dev = p->dev;
        }
        if (a == LA_OK) continue;
        finding *fd;
        if (a == LA_INFO) {
            fd = out_add_site(out, p->site, "the licence of %s %s %s could not be read (%s): "
                              "check it before shipping it with a project licensed %s",
                              p->eco, p->name, p->version, p->lic.expr[0] ? p->lic.expr : "none declared",
                              pname);
            fd->rule = registry_find("licence:unknown-dependency");
            fd->confidence = CONF_LOW;
        } else {
            fd = out_add_site(out, p->site, "%s %s %s is licensed %s, which a project licensed %s "
                              "cannot take in: %s",
                              p->eco, p->name, p->version, p->lic.expr, pname, why ? why : "");
            fd->confidence = CONF_MEDIUM;
        }
        fd->severity = action_sev(a);
        set_props(fd, &p->lic, proj, psrc);
        finding_set_prop(fd, "ecosystem", p->eco);
        finding_set_prop(fd, "package", p->name);
        finding_set_prop(fd, "version", p->version);
        finding_set_prop(fd, "licence_source", p->source);
        char key[512];
        snprintf(key, sizeof key, "%s|%s|%s|%s", fd->rule->id, p->eco, p->name, p->lic.expr);
        finding_set_key(fd, key, strlen(key));
        if (a <= LA_REVIEW) {
            fd->tier = TIER_REVIEW;
            fd->tier_why = a == LA_INFO ? "the licence could not be read: a look, not a conflict"
                                        : "terms to read, not a plain conflict";
        }
    }
}

static int cmp_pkg(const void *a, const void *b)
{
    const lic_package *x = a, *y = b;
    int c = strcmp(x->ecosystem, y->ecosystem);
    if (!c) c = strcasecmp(x->name, y->name);
    if (!c) c = strcmp(x->version, y->version);
    if (!c) c = strcmp(x->source, y->source);
    return c;
}

static int cmp_decl(const void *a, const void *b)
{
    const decl *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : strcmp(x->source, y->source);
}

static int cmp_mark(const void *a, const void *b)
{
    return strcmp(((const mark_rec *)a)->path, ((const mark_rec *)b)->path);
}

static int cmp_pkg_rec(const void *a, const void *b)
{
    const pkg_rec *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (!c) c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->version, y->version);
}

static void free_decl(decl *d)
{
    free(d->dir);
    free(d->path);
    free(d->source);
    finding_site_free(d->site);
}

static void free_mark(mark_rec *m)
{
    free(m->path);
    finding_site_free(m->site);
}

static void free_pkg(pkg_rec *p)
{
    free(p->name);
    free(p->version);
    free(p->declared);
    free(p->source);
    free(p->path);
    finding_site_free(p->site);
}

/* Sort v (n records of size sz) and drop the records equal to the one
 * before (a folder reached from two roots: a PATH and its node_modules). */
static size_t sort_unique(void *v, size_t n, size_t sz, int (*cmp)(const void *, const void *),
                          void (*drop)(void *))
{
    if (n < 2) return n;
    qsort(v, n, sz, cmp);
    char *b = v;
    size_t k = 1;
    for (size_t i = 1; i < n; i++) {
        if (!cmp(b + (k - 1) * sz, b + i * sz)) {
            drop(b + i * sz);
            continue;
        }
        if (k != i) memcpy(b + k * sz, b + i * sz, sz);
        k++;
    }
    return k;
}

static void drop_decl(void *p) { free_decl(p); }
static void drop_mark(void *p) { free_mark(p); }
static void drop_pkg(void *p) { free_pkg(p); }

static void licence_finish(lic_state *st, vg_out *out)
{
    /* walk order is thread order: decide from sorted lists */
    st->nd = sort_unique(st->decls, st->nd, sizeof *st->decls, cmp_decl, drop_decl);
    st->nm = sort_unique(st->marks, st->nm, sizeof *st->marks, cmp_mark, drop_mark);
    st->np = sort_unique(st->pkgs, st->np, sizeof *st->pkgs, cmp_pkg_rec, drop_pkg);
    project *pv = NULL;
    size_t np = find_projects(st, &pv);
    lic_inventory *inv = st->opts ? st->opts->lic_inventory : NULL;
    finish_marks(st, pv, np, out);
    finish_pkgs(st, pv, np, out, inv);
    if (inv) {
        inv->project = xstrdup(pv[0].lic.expr[0] ? pv[0].lic.expr : "UNKNOWN");
        inv->project_category = lic_cat_name(pv[0].lic.cat);
        inv->project_source = xstrdup(pv[0].src.data ? pv[0].src.data : "");
        inv->files_marked = st->nm;
        if (inv->n > 1) qsort(inv->pkgs, inv->n, sizeof *inv->pkgs, cmp_pkg);
    }
    for (size_t i = 0; i < np; i++) buf_free(&pv[i].src);
    free(pv);
}

void lic_inventory_free(lic_inventory *inv)
{
    for (size_t i = 0; i < inv->n; i++) {
        free(inv->pkgs[i].name);
        free(inv->pkgs[i].version);
        free(inv->pkgs[i].licence);
        free(inv->pkgs[i].source);
    }
    free(inv->pkgs);
    free(inv->project);
    free(inv->project_source);
    memset(inv, 0, sizeof *inv);
}

static vg_status lic_init(vg_scan *s, void **state, diag_list *d)
{
    (void)d;
    lic_state *st = xcalloc(1, sizeof *st);
    st->opts = s->opts;
    pthread_mutex_init(&st->lock, NULL);
    *state = st;
    return VG_OK;
}

static vg_status lic_finish_phase(vg_scan *s, void *state, vg_out *out)
{
    (void)s;
    lic_state *st = state;
    licence_finish(st, out);
    return VG_OK;
}

static void lic_fini(void *state)
{
    lic_state *st = state;
    if (!st) return;
    for (size_t i = 0; i < st->nd; i++) free_decl(&st->decls[i]);
    for (size_t i = 0; i < st->nm; i++) free_mark(&st->marks[i]);
    for (size_t i = 0; i < st->np; i++) free_pkg(&st->pkgs[i]);
    free(st->decls);
    free(st->marks);
    free(st->pkgs);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

const analyzer licence_analyzer = {"licence", lic_init, lic_file, lic_finish_phase, lic_fini};
