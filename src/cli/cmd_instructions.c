/* cmd_instructions.c - 'vibeguard instructions' and 'vibeguard prompt':
 * security instructions for the AI assistants that work on a project.
 *
 * Both detect the project's stack (web framework, ORM, template engine,
 * auth library, LLM client...) through scan/stack.h, and count the project's own findings by a scan
 * run in-process with the project's configuration, as 'vibeguard scan'
 * would.  The requirements themselves are rows of instructions.def.
 *
 * 'instructions' prints a Markdown section, or writes it into agent files
 * (AGENTS.md, CLAUDE.md, .github/copilot-instructions.md, .cursor/rules/
 * *.mdc) between the markers below, keeping every byte outside them; a
 * second run over an unchanged project writes nothing.  'prompt' prints a
 * prompt followed by the requirements its words call for.
 */
#include "cli.h"
#include "args.h"
#include "config.h"
#include "../core/buf.h"
#include "../core/fsutil.h"
#include "../core/xalloc.h"
#include "../fmt/jsonw.h"
#include "../report/report.h"
#include "../scan/families.h"
#include "../scan/run.h"
#include "../scan/stack.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define INS_BEGIN "<!-- vibeguard:begin -->"
#define INS_END "<!-- vibeguard:end -->"
#define INS_MAX_AGENT (1u << 20)  /* an agent file larger than this is refused */
#define INS_MAX_RULES 6           /* rule ids named per finding line */

/* ---- the table ---------------------------------------------------------- */

/* The stack itself (STACK rows, their kinds, detection) is scan/stack.h's. */
#define K_COUNT STK_COUNT
#define S_COUNT STACK_COUNT
#define S_GENERAL STACK_COUNT /* a GUIDE for every project */
#define STACK_GENERAL S_GENERAL
#define stacks stack_rows
static const char *const kind_heading[K_COUNT] = {"Web frameworks", "Databases", "Templates",
                                                  "Authentication", "LLM clients",
                                                  "Outbound HTTP", "Data formats",
                                                  "External programs"};

/* A requirement: for stack `stack` (S_GENERAL: everyone), or for any stack
 * of kind `kind` when stack is -1. */
static const struct ins_guide {
    int stack, kind;
    const char *keywords, *text;
} guides[] = {
#define GUIDE(id, keywords, text) {STACK_##id, -1, keywords, text},
#define GUIDE_KIND(kind, keywords, text) {-1, STK_##kind, keywords, text},
#include "instructions.def"
};
#define NGUIDES (sizeof guides / sizeof *guides)

/* cwe 0: a RULE_TOPIC row, by rule id prefix */
static const struct ins_topic {
    int cwe;
    const char *prefix, *name, *keywords, *lesson;
} topics[] = {
#define RULE_TOPIC(prefix, name, keywords, text) {0, prefix, name, keywords, text},
#include "instructions.def"
#define TOPIC(cwe, name, keywords, text) {cwe, NULL, name, keywords, text},
#include "instructions.def"
};

/* ---- the project's findings --------------------------------------------- */

typedef struct ins_group {
    const char *name;      /* topic name or rule title */
    const char *keywords;  /* the topic's, or "" */
    const char *lesson;    /* NULL: none */
    size_t count;
    str_list rules, files;
} ins_group;

typedef struct ins_findings {
    ins_group *v;
    size_t n, cap;
    size_t total;
} ins_findings;

static const struct ins_topic *topic_of(const rule_meta *r)
{
    for (size_t i = 0; i < sizeof topics / sizeof *topics; i++)
        if (topics[i].prefix && !strncmp(r->id, topics[i].prefix, strlen(topics[i].prefix)))
            return &topics[i];
    for (int k = 0; k < RULE_MAX_CWE && r->cwe[k]; k++)
        for (size_t i = 0; i < sizeof topics / sizeof *topics; i++)
            if (topics[i].cwe == r->cwe[k]) return &topics[i];
    return NULL;
}

static void findings_add(ins_findings *fs, const finding *f)
{
    const struct ins_topic *t = topic_of(f->rule);
    const char *name = t ? t->name : f->rule->title;
    ins_group *g = NULL;
    for (size_t i = 0; i < fs->n && !g; i++)
        if (!strcmp(fs->v[i].name, name)) g = &fs->v[i];
    if (!g) {
        XGROW(fs->v, fs->cap, fs->n + 1);
        g = &fs->v[fs->n++];
        memset(g, 0, sizeof *g);
        g->name = name;
        g->keywords = t ? t->keywords : "";
        g->lesson = t ? t->lesson : NULL;
    }
    g->count++;
    fs->total++;
    if (!str_list_has(&g->rules, f->rule->id)) str_list_add(&g->rules, f->rule->id);
    for (size_t k = 0; k < f->nalso; k++)
        if (!str_list_has(&g->rules, f->also[k]->id)) str_list_add(&g->rules, f->also[k]->id);
    if (!str_list_has(&g->files, f->path)) str_list_add(&g->files, f->path);
}

static int group_cmp(const void *a, const void *b)
{
    const ins_group *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

static int rule_id_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cli_scan_project(const char *root, vg_opts *o, vg_out *out)
{
    opts_init(o);
    out_init(out, o);
    vg_config cfg;
    memset(&cfg, 0, sizeof cfg);
    config_cli_set set;
    memset(&set, 0, sizeof set);
    o->quiet = 1;
    str_list_add(&o->paths, root);
    int rc = 0;
    if (config_setup(&cfg, NULL, o, &set)) {
        rc = 2;
        goto done;
    }
    families_register();
    scan_stats stats = {0};
    diag_list d = {0};
    if (scan_run(o, out, &stats, &d, NULL, NULL)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        rc = 2;
    } else {
        filter_counts counts = {0};
        report_filter(out, o, NULL, NULL, NULL, &counts);
    }
    diag_free(&d);
done:
    config_free(&cfg);
    return rc;
}

/* Scan root as 'vibeguard scan root' would and group what it reports.
 * 2 on a failed scan. */
static int scan_findings(const char *root, ins_findings *fs)
{
    vg_opts o;
    vg_out out;
    int rc = cli_scan_project(root, &o, &out);
    if (!rc) {
        for (size_t i = 0; i < out.n; i++) {
            const finding *f = out.v[i];
            if (f->suppressed || (o.profile == PROFILE_DEFAULT && f->tier != TIER_ISSUE)) continue;
            findings_add(fs, f);
        }
        qsort(fs->v, fs->n, sizeof *fs->v, group_cmp);
        for (size_t i = 0; i < fs->n; i++)
            qsort(fs->v[i].rules.v, fs->v[i].rules.n, sizeof *fs->v[i].rules.v, rule_id_cmp);
    }
    out_free(&out);
    opts_free(&o);
    return rc;
}

static void findings_free(ins_findings *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        str_list_free(&fs->v[i].rules);
        str_list_free(&fs->v[i].files);
    }
    free(fs->v);
}

/* ---- prompt words --------------------------------------------------------- */

typedef struct ins_words {
    char **v;
    size_t n, cap;
} ins_words;

static void words_of(ins_words *w, const char *text)
{
    for (const char *p = text; *p;) {
        while (*p && !isalnum((unsigned char)*p)) p++;
        const char *s = p;
        while (isalnum((unsigned char)*p)) p++;
        if (p > s && p - s < 64) {
            XGROW(w->v, w->cap, w->n + 1);
            char *x = xmalloc((size_t)(p - s) + 1);
            for (size_t i = 0; i < (size_t)(p - s); i++) x[i] = (char)tolower((unsigned char)s[i]);
            x[p - s] = 0;
            w->v[w->n++] = x;
        }
    }
}

static void words_free(ins_words *w)
{
    for (size_t i = 0; i < w->n; i++) free(w->v[i]);
    free(w->v);
}

/* Is `word` the keyword kw, or kw with a plain English ending ("logins",
 * "uploaded", "queries" for "query" is listed as its own keyword)? */
static int word_is(const char *word, const char *kw, size_t kn)
{
    static const char *const endings[] = {"", "s", "es", "ed", "ing", "er", "ers"};
    if (strncmp(word, kw, kn)) return 0;
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++)
        if (!strcmp(word + kn, endings[i])) return 1;
    return 0;
}

/* Does a word of the prompt match one of the space-separated keywords?
 * "*" matches every prompt. */
static int keywords_match(const char *keywords, const ins_words *w)
{
    for (const char *p = keywords; *p;) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (n == 1 && *p == '*') return 1;
        for (size_t i = 0; n && i < w->n; i++)
            if (word_is(w->v[i], p, n)) return 1;
        p += n;
    }
    return 0;
}

/* ---- what applies ------------------------------------------------------------ */

/* The guides that apply to the stack (and, with w, to the prompt), in
 * section order: general, then each stack's and each kind's in table
 * order.  sel[i] is 1 for guide i. */
typedef struct ins_plan {
    unsigned char found[S_COUNT];
    unsigned char kind_found[K_COUNT];
    unsigned char sel[NGUIDES];
    ins_findings fs;
    int scanned;
} ins_plan;

static int guide_applies(const ins_plan *pl, size_t i)
{
    const struct ins_guide *g = &guides[i];
    if (g->stack == S_GENERAL) return 1;
    if (g->stack >= 0) return pl->found[g->stack];
    return pl->kind_found[g->kind];
}

static void plan_select(ins_plan *pl, const ins_words *w)
{
    for (size_t i = 0; i < S_COUNT; i++)
        if (pl->found[i]) pl->kind_found[stacks[i].kind] = 1;
    size_t specific = 0;
    for (size_t i = 0; i < NGUIDES; i++) {
        pl->sel[i] = (unsigned char)guide_applies(pl, i);
        if (pl->sel[i] && w) {
            pl->sel[i] = (unsigned char)keywords_match(guides[i].keywords, w);
            specific += pl->sel[i] && strcmp(guides[i].keywords, "*");
        }
    }
    /* a prompt none of whose words names a topic gets every requirement */
    if (w && !specific)
        for (size_t i = 0; i < NGUIDES; i++) pl->sel[i] = (unsigned char)guide_applies(pl, i);
}

/* The stack as "Flask (framework), SQLAlchemy (database)"; "" when none. */
static void stack_line(buf *b, const ins_plan *pl)
{
    int first = 1;
    for (int k = 0; k < K_COUNT; k++)
        for (size_t i = 0; i < S_COUNT; i++)
            if (pl->found[i] && stacks[i].kind == k) {
                buf_printf(b, "%s%s (%s)", first ? "" : ", ", stacks[i].name, stack_kind_name(k));
                first = 0;
            }
}

static void finding_line(buf *b, const ins_group *g)
{
    buf_printf(b, "- %s: %zu finding%s (", g->name, g->count, g->count == 1 ? "" : "s");
    for (size_t r = 0; r < g->rules.n && r < INS_MAX_RULES; r++)
        buf_printf(b, "%s`%s`", r ? ", " : "", g->rules.v[r]);
    if (g->rules.n > INS_MAX_RULES) buf_puts(b, ", ...");
    buf_printf(b, ") in %zu file%s", g->files.n, g->files.n == 1 ? "" : "s");
    if (g->lesson) buf_printf(b, "; %s.", g->lesson);
    else buf_printf(b, "; see `vibeguard rules %s`.", g->rules.v[0]);
    buf_putc(b, '\n');
}

/* One "### heading" with the selected guides of stack s (or kind k). */
static void section(buf *b, const ins_plan *pl, int s, int k, const char *heading)
{
    int any = 0;
    for (size_t i = 0; i < NGUIDES; i++) {
        if (!pl->sel[i] || guides[i].stack != s || (s < 0 && guides[i].kind != k)) continue;
        if (!any) buf_printf(b, "\n### %s\n\n", heading);
        any = 1;
        buf_printf(b, "- %s\n", guides[i].text);
    }
}

/* The guides of pl->sel as Markdown sections (level-3 headings). */
static void render_guides(buf *b, const ins_plan *pl)
{
    section(b, pl, S_GENERAL, -1, "Every change");
    for (int k = 0; k < K_COUNT; k++) {
        for (size_t i = 0; i < S_COUNT; i++)
            if (pl->found[i] && stacks[i].kind == k) section(b, pl, (int)i, -1, stacks[i].name);
        if (pl->kind_found[k]) {
            char h[256];
            size_t n = (size_t)snprintf(h, sizeof h, "%s (", kind_heading[k]);
            int first = 1;
            for (size_t i = 0; i < S_COUNT && n < sizeof h; i++)
                if (pl->found[i] && stacks[i].kind == k) {
                    n += (size_t)snprintf(h + n, sizeof h - n, "%s%s", first ? "" : ", ", stacks[i].name);
                    first = 0;
                }
            if (n < sizeof h) snprintf(h + n, sizeof h - n, ")");
            section(b, pl, -1, k, h);
        }
    }
}

/* The whole section, without the markers. */
static void render_markdown(buf *b, const ins_plan *pl)
{
    buf_puts(b, "## Security instructions for AI assistants\n\n"
                "Written by `vibeguard instructions` from this project's code and scan; rerun it "
                "to refresh this section (text outside the markers is kept).\n\n");
    buf tmp;
    buf_init(&tmp, 0);
    stack_line(&tmp, pl);
    if (tmp.len) buf_printf(b, "Detected stack: %.*s.\n", (int)tmp.len, tmp.data);
    else buf_puts(b, "Detected stack: no known framework or library.\n");
    buf_free(&tmp);
    render_guides(b, pl);
    if (pl->scanned) {
        buf_puts(b, "\n### Findings in this repository\n\n");
        if (!pl->fs.total) {
            buf_puts(b, "- `vibeguard scan` reported no issue when this section was written; keep "
                        "it that way.\n");
        } else {
            buf_printf(b, "`vibeguard scan` reported these issues when this section was written; "
                          "fix them, and do not write code that repeats them:\n\n");
            for (size_t i = 0; i < pl->fs.n; i++) finding_line(b, &pl->fs.v[i]);
        }
    }
}

/* prompt: the prompt's text ('vibeguard prompt'), or NULL. */
static void render_json(buf *b, const ins_plan *pl, const char *prompt)
{
    jsonw w;
    jsonw_init(&w, b, 1);
    jsonw_obj(&w);
    if (prompt) jsonw_kstr(&w, "prompt", prompt);
    jsonw_key(&w, "stack");
    jsonw_arr(&w);
    for (int k = 0; k < K_COUNT; k++)
        for (size_t i = 0; i < S_COUNT; i++)
            if (pl->found[i] && stacks[i].kind == k) {
                jsonw_obj(&w);
                jsonw_kstr(&w, "id", stacks[i].id);
                jsonw_kstr(&w, "name", stacks[i].name);
                jsonw_kstr(&w, "kind", stack_kind_name(k));
                jsonw_end(&w);
            }
    jsonw_end(&w);
    jsonw_key(&w, "requirements");
    jsonw_arr(&w);
    for (size_t i = 0; i < NGUIDES; i++) {
        if (!pl->sel[i]) continue;
        const struct ins_guide *g = &guides[i];
        jsonw_obj(&w);
        jsonw_kstr(&w, "for", g->stack == S_GENERAL ? "general"
                              : g->stack >= 0       ? stacks[g->stack].id
                                                    : stack_kind_name(g->kind));
        jsonw_kstr(&w, "text", g->text);
        jsonw_end(&w);
    }
    jsonw_end(&w);
    jsonw_key(&w, "findings");
    if (!pl->scanned) {
        jsonw_null(&w);
    } else {
        jsonw_arr(&w);
        for (size_t i = 0; i < pl->fs.n; i++) {
            const ins_group *g = &pl->fs.v[i];
            jsonw_obj(&w);
            jsonw_kstr(&w, "topic", g->name);
            jsonw_kint(&w, "count", (int64_t)g->count);
            jsonw_kint(&w, "files", (int64_t)g->files.n);
            jsonw_key(&w, "rules");
            jsonw_arr_inline(&w);
            for (size_t r = 0; r < g->rules.n; r++) jsonw_str(&w, g->rules.v[r]);
            jsonw_end(&w);
            jsonw_end(&w);
        }
        jsonw_end(&w);
    }
    jsonw_end(&w);
    jsonw_finish(&w);
}

/* Detect, then scan unless no_scan; 2 on an error (printed). */
static int plan_build(ins_plan *pl, const char *root, int no_scan, const ins_words *w)
{
    memset(pl, 0, sizeof *pl);
    struct stat st;
    if (stat(root, &st)) return cli_error("no such file or directory: %s", root);
    diag_list d = {0};
    if (stack_detect(root, pl->found, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        diag_free(&d);
        return 2;
    }
    diag_free(&d);
    if (!no_scan) {
        if (scan_findings(root, &pl->fs)) return 2;
        pl->scanned = 1;
    }
    plan_select(pl, w);
    return 0;
}

/* ---- agent files ---------------------------------------------------------- */

static const char *find_marker(const char *s, size_t n, size_t from, const char *m)
{
    size_t ml = strlen(m);
    for (size_t i = from; i + ml <= n; i++)
        if (s[i] == m[0] && !memcmp(s + i, m, ml)) return s + i;
    return NULL;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

/* The new contents of agent file `path` (old: its bytes, NULL when it does
 * not exist) with `block` (markers included, no final newline) in place of
 * the old block, or appended.  1 with a message when the old file's
 * markers are not one begin followed by one end. */
static int splice(buf *out, const char *path, const char *old, size_t n, const buf *block)
{
    if (!old) {
        if (ends_with(path, ".mdc"))
            buf_puts(out, "---\ndescription: Security requirements for this project (vibeguard)\n"
                          "alwaysApply: true\n---\n\n");
        buf_append(out, block->data, block->len);
        buf_putc(out, '\n');
        return 0;
    }
    const char *b = find_marker(old, n, 0, INS_BEGIN);
    const char *e = find_marker(old, n, 0, INS_END);
    if (!b && !e) {
        buf_append(out, old, n);
        if (n && old[n - 1] != '\n') buf_putc(out, '\n');
        if (n) buf_putc(out, '\n');
        buf_append(out, block->data, block->len);
        buf_putc(out, '\n');
        return 0;
    }
    size_t bo = b ? (size_t)(b - old) : 0, eo = e ? (size_t)(e - old) : 0;
    if (!b || !e || eo < bo || find_marker(old, n, bo + 1, INS_BEGIN) ||
        find_marker(old, n, eo + 1, INS_END)) {
        cli_error("instructions: %s: the markers %s ... %s are not one pair; fix the file by hand",
                  path, INS_BEGIN, INS_END);
        return 1;
    }
    buf_append(out, old, bo);
    buf_append(out, block->data, block->len);
    size_t after = eo + strlen(INS_END);
    buf_append(out, old + after, n - after);
    return 0;
}

/* Write (or with check, compare) the block into path.  0 written or up to
 * date, 1 out of date (check), 2 error. */
static int write_agent_file(const char *shown, const buf *block, int check, int quiet)
{
    char *old = NULL;
    size_t n = 0;
    struct stat st;
    /* CLAUDE.md -> AGENTS.md is common: write through the link, keep it */
    char real[PATH_MAX];
    const char *path = shown;
    if (!lstat(shown, &st) && S_ISLNK(st.st_mode)) {
        if (!realpath(shown, real))
            return cli_error("instructions: %s is a link to a missing file", shown);
        path = real;
    }
    int exists = !stat(path, &st);
    if (exists && S_ISDIR(st.st_mode)) return cli_error("instructions: %s is a directory", path);
    if (exists && fs_read_all(path, INS_MAX_AGENT, &old, &n))
        return cli_error("instructions: cannot read %s: %s", path, fs_strerror(errno));
    buf out;
    buf_init(&out, 0);
    int rc = splice(&out, path, old, n, block) ? 2 : 0;
    int same = !rc && old && out.len == n && !memcmp(out.data, old, n);
    if (!rc && check) {
        if (!same) {
            fprintf(stdout, "%s: security section %s\n", shown, old ? "out of date" : "missing");
            rc = 1;
        }
    } else if (!rc && !same) {
        char *dir = xstrdup(path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = 0;
            if (fs_mkdirs(dir, 0777)) rc = cli_error("instructions: cannot create %s: %s", dir,
                                                     fs_strerror(errno));
        }
        free(dir);
        diag_list d = {0};
        if (!rc && fs_write_atomic(path, out.data, out.len, exists ? (st.st_mode & 07777) : 0666,
                                   "cannot write instructions", &d)) {
            cli_print_diags(stderr, &d, DIAG_ERROR);
            rc = 2;
        }
        diag_free(&d);
        if (!rc && !quiet) fprintf(stderr, "vibeguard: wrote the security section of %s\n", shown);
    } else if (!rc && !quiet) {
        fprintf(stderr, "vibeguard: %s is up to date\n", shown);
    }
    buf_free(&out);
    free(old);
    return rc;
}

/* ---- the commands ------------------------------------------------------------ */

static const char instructions_usage[] =
    "usage: vibeguard instructions [PATH] [--write FILE]... [--check] [--format markdown|json]\n"
    "                              [--no-scan] [-q]\n"
    "\n"
    "Security instructions for AI coding assistants, built from the stack detected\n"
    "in the project at PATH (default .) and from its own scan findings.  Without\n"
    "--write, print the Markdown section.\n"
    "\n"
    "  --write FILE   write or update the section in FILE (repeatable): AGENTS.md,\n"
    "                 CLAUDE.md, .github/copilot-instructions.md, .cursor/rules/security.mdc;\n"
    "                 the section lies between " INS_BEGIN " and\n"
    "                 " INS_END "; the rest of the file is kept byte for byte\n"
    "  --check        write nothing; exit 1 when a --write FILE is missing the section\n"
    "                 or it is out of date\n"
    "  --format FMT   markdown (default) or json (stack, requirements, findings)\n"
    "  --no-scan      detect the stack only; leave out the findings\n"
    "  -q, --quiet    no line on stderr per file written\n"
    "  -h, --help     this help\n"
    "\n"
    "FILE is relative to the current directory.\n"
    "Exit code: 0 done (or up to date), 1 --check found a stale file, 2 error.\n";

enum { I_WRITE = 1, I_CHECK, I_FORMAT, I_NO_SCAN, I_QUIET, I_HELP, I_PATH };
static const arg_opt instructions_opts[] = {
    {"write", 'w', 1, I_WRITE},     {"check", 0, 0, I_CHECK},   {"format", 'f', 1, I_FORMAT},
    {"no-scan", 0, 0, I_NO_SCAN},   {"quiet", 'q', 0, I_QUIET}, {"help", 'h', 0, I_HELP},
    {"path", 'C', 1, I_PATH},       {0, 0, 0, 0},
};

int cmd_instructions(int argc, char **argv)
{
    arg_parser ap;
    args_init(&ap, argc, argv);
    const char *val, *root = NULL;
    int check = 0, json = 0, no_scan = 0, quiet = 0, id;
    str_list files = {0};
    int rc = 0;
    while ((id = args_next(&ap, instructions_opts, &val)) != ARG_END) {
        switch (id) {
        case ARG_ERROR: rc = cli_error("instructions: %s", ap.err); goto done;
        case ARG_POSITIONAL:
        case I_PATH:
            if (root) {
                rc = cli_error("instructions: one project at a time (got '%s' and '%s')", root, val);
                goto done;
            }
            root = val;
            break;
        case I_WRITE: str_list_add(&files, val); break;
        case I_CHECK: check = 1; break;
        case I_FORMAT:
            if (!strcmp(val, "json")) json = 1;
            else if (strcmp(val, "markdown") && strcmp(val, "md")) {
                rc = cli_error("instructions: --format must be markdown or json, not '%s'", val);
                goto done;
            }
            break;
        case I_NO_SCAN: no_scan = 1; break;
        case I_QUIET: quiet = 1; break;
        case I_HELP: fputs(instructions_usage, stdout); goto done;
        }
    }
    if (check && !files.n) {
        rc = cli_error("instructions: --check needs the files to check (--write FILE)");
        goto done;
    }
    if (json && files.n) {
        rc = cli_error("instructions: --format json prints; it cannot be written with --write");
        goto done;
    }
    ins_plan pl;
    if ((rc = plan_build(&pl, root ? root : ".", no_scan, NULL))) goto done;
    buf b;
    buf_init(&b, 0);
    if (json) render_json(&b, &pl, NULL);
    else if (!files.n) render_markdown(&b, &pl);
    else {
        buf_puts(&b, INS_BEGIN "\n");
        render_markdown(&b, &pl);
        buf_puts(&b, INS_END);
        for (size_t i = 0; i < files.n; i++) {
            int r = write_agent_file(files.v[i], &b, check, quiet);
            if (r > rc) rc = r;
        }
    }
    if (json || !files.n) {
        if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout))
            rc = cli_error("instructions: cannot write to stdout");
    }
    buf_free(&b);
    findings_free(&pl.fs);
done:
    str_list_free(&files);
    return rc;
}

static const char prompt_usage[] =
    "usage: vibeguard prompt [-C PATH] [--no-scan] [--format markdown|json] TEXT...\n"
    "\n"
    "Print the prompt TEXT followed by the security requirements that apply to it\n"
    "in the project at PATH (default .): its stack's requirements whose topic a word\n"
    "of the prompt names (login: password hashing, sessions, CSRF, rate limits;\n"
    "query: bound parameters), every requirement when no word does, and this\n"
    "repository's findings on the same topics.\n"
    "\n"
    "  -C, --path PATH  the project (default .)\n"
    "  --no-scan        detect the stack only; leave out the findings\n"
    "  --format FMT     markdown (default) or json\n"
    "  -h, --help       this help\n";

int cmd_prompt(int argc, char **argv)
{
    arg_parser ap;
    args_init(&ap, argc, argv);
    const char *val, *root = ".";
    int no_scan = 0, json = 0, id, rc = 0;
    buf text;
    buf_init(&text, 0);
    while ((id = args_next(&ap, instructions_opts, &val)) != ARG_END) {
        switch (id) {
        case ARG_ERROR: rc = cli_error("prompt: %s", ap.err); goto done;
        case ARG_POSITIONAL:
            if (text.len) buf_putc(&text, ' ');
            buf_puts(&text, val);
            break;
        case I_PATH: root = val; break;
        case I_NO_SCAN: no_scan = 1; break;
        case I_FORMAT:
            if (!strcmp(val, "json")) json = 1;
            else if (strcmp(val, "markdown") && strcmp(val, "md")) {
                rc = cli_error("prompt: --format must be markdown or json, not '%s'", val);
                goto done;
            }
            break;
        case I_HELP: fputs(prompt_usage, stdout); goto done;
        default:
            rc = cli_error("prompt: --write, --check and --quiet are options of 'instructions'");
            goto done;
        }
    }
    if (!text.len) {
        rc = cli_error("prompt: no prompt given (vibeguard prompt \"Write a login endpoint\")");
        goto done;
    }
    buf_putc(&text, 0);
    ins_words w = {0};
    words_of(&w, text.data);
    ins_plan pl;
    if ((rc = plan_build(&pl, root, no_scan, &w))) {
        words_free(&w);
        goto done;
    }
    buf b;
    buf_init(&b, 0);
    if (json) {
        render_json(&b, &pl, text.data);
    } else {
        buf_printf(&b, "%s\n\nSecurity requirements for this change", text.data);
        buf tmp;
        buf_init(&tmp, 0);
        stack_line(&tmp, &pl);
        if (tmp.len) buf_printf(&b, " (stack: %.*s)", (int)tmp.len, tmp.data);
        buf_free(&tmp);
        buf_puts(&b, ":\n");
        render_guides(&b, &pl);
        int any = 0;
        for (size_t i = 0; i < pl.fs.n; i++) {
            if (!keywords_match(pl.fs.v[i].keywords, &w)) continue;
            if (!any) buf_puts(&b, "\n### Findings in this repository on the same topics\n\n");
            any = 1;
            finding_line(&b, &pl.fs.v[i]);
        }
    }
    if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout))
        rc = cli_error("prompt: cannot write to stdout");
    buf_free(&b);
    findings_free(&pl.fs);
    words_free(&w);
done:
    buf_free(&text);
    return rc;
}
