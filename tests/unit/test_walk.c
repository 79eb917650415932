/* test_walk.c - the walker and the scan driver on scratch trees under
 * $TMPDIR: which files are handed over (gitignore stack, .ignore,
 * info/exclude, the enclosing repository, --exclude, --no-ignore, .git),
 * symlinks (loops, links out of the root), odd names, display paths,
 * determinism across --jobs, the binary / large skips and the stats of
 * scan_run, and file classification. */
#include "t.h"

#include "core/buf.h"
#include "core/xalloc.h"
#include "scan/run.h"
#include "walk/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp_root[512];

static void put(const char *rel, const char *content)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", tmp_root, rel);
    for (char *s = p + strlen(tmp_root) + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        mkdir(p, 0755);
        *s = '/';
    }
    size_t n = strlen(p);
    if (n && p[n - 1] == '/') {
        mkdir(p, 0755);
        return;
    }
    FILE *f = fopen(p, "wb");
    if (!f) {
        fprintf(stderr, "cannot create %s: %s\n", p, strerror(errno));
        return;
    }
    fputs(content, f);
    fclose(f);
}

static void put_bytes(const char *rel, const void *data, size_t len)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", tmp_root, rel);
    FILE *f = fopen(p, "wb");
    if (!f) return;
    fwrite(data, 1, len, f);
    fclose(f);
}

static void link_at(const char *target, const char *rel)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", tmp_root, rel);
    if (symlink(target, p) != 0) fprintf(stderr, "symlink %s: %s\n", p, strerror(errno));
}

static void rm_rf(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", path);
}

static void fresh(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmp_root, sizeof tmp_root, "%s/vg-walk.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        exit(2);
    }
}

/* ---- collecting what the walker hands over ---- */

typedef struct seen {
    pthread_mutex_t mu;
    char **v;
    size_t n, cap;
    int max_thread;
} seen;

static void on_file(void *ud, int t, const char *path, const char *fs_path)
{
    seen *s = ud;
    (void)fs_path;
    pthread_mutex_lock(&s->mu);
    XGROW(s->v, s->cap, s->n + 1);
    s->v[s->n++] = xstrdup(path);
    if (t > s->max_thread) s->max_thread = t;
    pthread_mutex_unlock(&s->mu);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks root and returns the sorted display paths joined by '|'. */
static char *walk_list(const char *root, const walk_opts *o, walk_stats *st, diag_list *d,
                       vg_status *rc_out)
{
    seen s;
    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.mu, NULL);
    walk_stats local;
    memset(&local, 0, sizeof local);
    diag_list ld = {0};
    vg_status rc = walk_root(root, o, on_file, &s, st ? st : &local, d ? d : &ld);
    if (rc_out) *rc_out = rc;
    diag_free(&ld);
    if (s.n) qsort(s.v, s.n, sizeof *s.v, cmp_str);
    size_t len = 1;
    for (size_t i = 0; i < s.n; i++) len += strlen(s.v[i]) + 1;
    char *out = xcalloc(1, len);
    for (size_t i = 0; i < s.n; i++) {
        if (i) strcat(out, "|");
        strcat(out, s.v[i]);
        free(s.v[i]);
    }
    free(s.v);
    pthread_mutex_destroy(&s.mu);
    return out;
}

static char *walk_tmp(const walk_opts *o, walk_stats *st, diag_list *d)
{
    char cwd[1024];
    if (!getcwd(cwd, sizeof cwd)) return xstrdup("");
    if (chdir(tmp_root) != 0) return xstrdup("");
    char *r = walk_list(".", o, st, d, NULL);
    if (chdir(cwd) != 0) perror("chdir");
    return r;
}

/* ---- cases ---- */

static void gitignore_tree(void)
{
    fresh();
    put(".git/config", "[core]\n");
    put(".git/HEAD", "ref: refs/heads/main\n");
    put(".git/info/exclude", "secret.txt\n");
    put(".gitignore", "*.log\nbuild/\n!keep.log\n/rootonly.txt\n");
    put(".ignore", "!x2.log\n");
    put("a.py", "print(1)\n");
    put("x.log", "");
    put("x2.log", "");
    put("keep.log", "");
    put("secret.txt", "");
    put("rootonly.txt", "");
    put("build/out.py", "");
    put("src/build", "a file named build\n");
    put("src/rootonly.txt", "");
    put("src/.gitignore", "*.tmp\n!important.log\n/anch.txt\n");
    put("src/anch.txt", "");
    put("src/deep/anch.txt", "");
    put("src/important.log", "");
    put("src/x.tmp", "");
    put("src/deep/y.tmp", "");
    put("src/deep/z.py", "");
    put("docs/notes.md", "");

    walk_opts o = {.jobs = 2};
    walk_stats st;
    memset(&st, 0, sizeof st);
    char *got = walk_tmp(&o, &st, NULL);
    /* what `git ls-files -o --exclude-standard` lists, plus .ignore's effect */
    CHECK_STR(got, ".gitignore|.ignore|a.py|docs/notes.md|keep.log|src/.gitignore|src/build|"
                   "src/deep/anch.txt|src/deep/z.py|src/important.log|src/rootonly.txt|x2.log");
    CHECK_INT(st.files, 12);
    /* x.log secret.txt rootonly.txt build/ src/x.tmp src/deep/y.tmp src/anch.txt */
    CHECK_INT(st.ignored, 7);
    free(got);

    /* --no-ignore: everything but .git */
    o.no_ignore = 1;
    got = walk_tmp(&o, NULL, NULL);
    CHECK_STR(got, ".gitignore|.ignore|a.py|build/out.py|docs/notes.md|keep.log|rootonly.txt|"
                   "secret.txt|src/.gitignore|src/anch.txt|src/build|src/deep/anch.txt|"
                   "src/deep/y.tmp|src/deep/z.py|src/important.log|src/rootonly.txt|src/x.tmp|"
                   "x.log|x2.log");
    free(got);

    /* --exclude globs (gitignore syntax, anchored at the root), also with --no-ignore */
    str_list ex = {0};
    str_list_add(&ex, "src/");
    str_list_add(&ex, "*.log");
    str_list_add(&ex, ".*");
    o.exclude = &ex;
    got = walk_tmp(&o, NULL, NULL);
    CHECK_STR(got, "a.py|build/out.py|docs/notes.md|rootonly.txt|secret.txt");
    free(got);
    /* an exclude negation beats the ignore files */
    o.no_ignore = 0;
    str_list_free(&ex);
    str_list_add(&ex, "!x.log");
    got = walk_tmp(&o, NULL, NULL);
    CHECK(strstr(got, "|x.log|") != NULL);
    free(got);
    str_list_free(&ex);

    /* the enclosing repository's ignore files apply to a sub-root */
    o.exclude = NULL;
    char sub[600];
    snprintf(sub, sizeof sub, "%s/src", tmp_root);
    put("src/deep/q.log", "");
    got = walk_list(sub, &o, NULL, NULL, NULL);
    char want[6000];
    snprintf(want, sizeof want,
             "%s/.gitignore|%s/build|%s/deep/anch.txt|%s/deep/z.py|%s/important.log|%s/rootonly.txt",
             sub, sub, sub, sub, sub, sub);
    CHECK_STR(got, want);
    free(got);
    rm_rf(tmp_root);
}

static void display_paths(void)
{
    fresh();
    put("app.py", "");
    put("sub/dir/m.py", "");
    char cwd[1024];
    if (!getcwd(cwd, sizeof cwd) || chdir(tmp_root) != 0) return;
    walk_opts o = {.jobs = 1};
    char *got = walk_list(".", &o, NULL, NULL, NULL);
    CHECK_STR(got, "app.py|sub/dir/m.py");
    free(got);
    got = walk_list("./", &o, NULL, NULL, NULL);
    CHECK_STR(got, "app.py|sub/dir/m.py");
    free(got);
    got = walk_list("sub", &o, NULL, NULL, NULL);
    CHECK_STR(got, "sub/dir/m.py");
    free(got);
    got = walk_list("./sub/", &o, NULL, NULL, NULL);
    CHECK_STR(got, "sub/dir/m.py");
    free(got);
    /* excludes: anchored at the root, or naming the display path */
    {
        str_list ex = {0};
        walk_opts oe = {.jobs = 1, .exclude = &ex};
        const char *globs[] = {"dir/", "sub/dir", "./sub/dir/", "/dir", "*.py", "sub/**/m.py"};
        for (size_t i = 0; i < sizeof globs / sizeof *globs; i++) {
            str_list_add(&ex, globs[i]);
            got = walk_list("sub", &oe, NULL, NULL, NULL);
            CHECK_MSG(strcmp(got, "") == 0, "exclude %s left %s", globs[i], got);
            free(got);
            str_list_free(&ex);
        }
        str_list_add(&ex, "other/dir");
        got = walk_list("sub", &oe, NULL, NULL, NULL);
        CHECK_STR(got, "sub/dir/m.py");
        free(got);
        str_list_free(&ex);
    }
    got = walk_list("sub//dir", &o, NULL, NULL, NULL);
    CHECK_STR(got, "sub//dir/m.py");
    free(got);
    /* a file root is shown as given */
    got = walk_list("./sub/dir/m.py", &o, NULL, NULL, NULL);
    CHECK_STR(got, "./sub/dir/m.py");
    free(got);
    /* a missing root is an error with a diag */
    diag_list d = {0};
    vg_status rc;
    got = walk_list("nope", &o, NULL, &d, &rc);
    CHECK_INT(rc, VG_ERR_IO);
    CHECK(d.n == 1 && d.v[0].level == DIAG_ERROR && strcmp(d.v[0].path, "nope") == 0);
    diag_free(&d);
    free(got);
    char *dr = walk_display_root("./././x//");
    CHECK_STR(dr, "x");
    free(dr);
    dr = walk_display_root("/");
    CHECK_STR(dr, "/");
    free(dr);
    if (chdir(cwd) != 0) perror("chdir");
    rm_rf(tmp_root);
}

static void symlinks(void)
{
    fresh();
    put("a/f.py", "");
    put("outside/secret.py", "");
    link_at("..", "a/loop");          /* a loop */
    link_at("/etc", "a/etc");          /* out of the root */
    link_at("/etc/hostname", "a/host"); /* a file out of the root */
    link_at("f.py", "a/same.py");      /* a file inside the root */
    link_at("missing", "a/dangling");
    char root[1024];
    snprintf(root, sizeof root, "%s/a", tmp_root);
    walk_opts o = {.jobs = 2};
    walk_stats st;
    memset(&st, 0, sizeof st);
    char *got = walk_list(root, &o, &st, NULL, NULL);
    char want[1100];
    snprintf(want, sizeof want, "%s/f.py", root);
    CHECK_STR(got, want);
    CHECK_INT(st.symlinks, 5);
    free(got);
    /* a file root that is a symlink is followed and shown as given */
    link_at("a/f.py", "link.py");
    snprintf(root, sizeof root, "%s/link.py", tmp_root);
    got = walk_list(root, &o, NULL, NULL, NULL);
    CHECK_STR(got, root);
    free(got);
    /* a root that is itself a symlink is followed (the user named it) */
    link_at("a", "link-to-a");
    snprintf(root, sizeof root, "%s/link-to-a", tmp_root);
    got = walk_list(root, &o, NULL, NULL, NULL);
    snprintf(want, sizeof want, "%s/f.py", root);
    CHECK_STR(got, want);
    free(got);
    rm_rf(tmp_root);
}

static void odd_names(void)
{
    fresh();
    put("with space.py", "");
    put("new\nline.py", "");
    put("\xff\xfe-latin.py", "");
    put("dir with space/x y.txt", "");
    put("-dash", "");
    put(".gitignore", "ig\\ nored\n");
    put("ig nored", "");
    walk_opts o = {.jobs = 3};
    char *got = walk_tmp(&o, NULL, NULL);
    CHECK_STR(got, "-dash|.gitignore|dir with space/x y.txt|new\nline.py|with space.py|"
                   "\xff\xfe-latin.py");
    free(got);
    rm_rf(tmp_root);
}

/* Unreadable directory and file: a warning each, the walk goes on.  As
 * root, chmod 000 does not block reads, so the check runs in a child that
 * has dropped to nobody (65534).  Returns the number of failed checks: any
 * of them, including a driver that cannot start, fails the case. */
static int unreadable_check(void)
{
    walk_opts o = {.jobs = 2};
    walk_stats st;
    memset(&st, 0, sizeof st);
    diag_list d = {0};
    char *got = walk_tmp(&o, &st, &d);
    int bad = 0;
    if (strcmp(got, "locked.py|ok.py") != 0) {
        fprintf(stderr, "unreadable: got %s\n", got);
        bad++;
    }
    if (st.unreadable != 1) bad++;
    if (!(d.n == 1 && d.v[0].level == DIAG_WARNING && strcmp(d.v[0].path, "locked") == 0 &&
          strstr(d.v[0].message, "cannot read directory"))) {
        fprintf(stderr, "unreadable: diag %zu %s\n", d.n, d.n ? d.v[0].message : "");
        bad++;
    }
    diag_free(&d);
    free(got);
    /* the driver: the file that cannot be opened is a warning and counted */
    vg_opts vo;
    opts_init(&vo);
    vo.jobs = 2;
    str_list_add(&vo.paths, tmp_root);
    vg_out out;
    out_init(&out, &vo);
    scan_stats ss;
    vg_status rc = scan_run(&vo, &out, &ss, &d, NULL, NULL);
    if (rc == VG_OK) {
        int warned = 0;
        for (size_t i = 0; i < out.diags.n; i++)
            if (out.diags.v[i].path && strstr(out.diags.v[i].path, "locked.py") &&
                strstr(out.diags.v[i].message, "cannot read file"))
                warned = 1;
        if (ss.unreadable != 2 || ss.files != 1 || !warned) {
            fprintf(stderr, "unreadable: scan_run unreadable=%zu files=%zu warned=%d\n",
                    ss.unreadable, ss.files, warned);
            bad++;
        }
    } else {
        /* a driver that cannot start is a failure of this case, not a pass */
        fprintf(stderr, "unreadable: scan_run failed (status %d): %s\n", (int)rc,
                d.n ? d.v[0].message : "(no diag)");
        bad++;
    }
    out_free(&out);
    diag_free(&d);
    opts_free(&vo);
    return bad;
}

static void unreadable(void)
{
    fresh();
    put("ok.py", "");
    put("locked.py", "x = 1\n");
    put("locked/x.py", "");
    char p[1024];
    snprintf(p, sizeof p, "%s/locked", tmp_root);
    chmod(p, 0);
    snprintf(p, sizeof p, "%s/locked.py", tmp_root);
    chmod(p, 0);
    chmod(tmp_root, 0755);
    if (geteuid() != 0) {
        CHECK_INT(unreadable_check(), 0);
    } else {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(99);
            int bad = unreadable_check();
            fflush(NULL);
            _exit(bad ? 1 : 0);
        }
        int status = 0;
        if (pid > 0) waitpid(pid, &status, 0);
        if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 99)
            T_SKIP("unreadable dir/file case: running as root and cannot drop to nobody");
        else
            CHECK_MSG(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "unreadable dir/file case as nobody failed (status %d)", status);
    }
    snprintf(p, sizeof p, "%s/locked", tmp_root);
    chmod(p, 0755);
    rm_rf(tmp_root);
}

static void determinism(void)
{
    fresh();
    char rel[256];
    for (int i = 0; i < 12; i++)
        for (int j = 0; j < 40; j++) {
            snprintf(rel, sizeof rel, "d%02d/s%d/f%03d.%s", i, j % 3, j, j % 5 ? "py" : "log");
            put(rel, "x = 1\n");
        }
    put(".gitignore", "*.log\nd03/\n");
    put("d05/.gitignore", "s1/\n");
    walk_opts o1 = {.jobs = 1}, o4 = {.jobs = 4};
    walk_stats s1, s4;
    memset(&s1, 0, sizeof s1);
    memset(&s4, 0, sizeof s4);
    char *a = walk_tmp(&o1, &s1, NULL);
    char *b = walk_tmp(&o4, &s4, NULL);
    CHECK_STR(a, b);
    CHECK_INT(s1.files, s4.files);
    CHECK_INT(s1.ignored, s4.ignored);
    /* 12 dirs x 32 .py - d03 - d05/s1 (11 files) + 2 .gitignore */
    CHECK_INT(s1.files, 11 * 32 - 11 + 2);
    for (int k = 0; k < 3; k++) {
        char *c = walk_tmp(&o4, NULL, NULL);
        CHECK_STR(c, a);
        free(c);
    }
    free(a);
    free(b);
    rm_rf(tmp_root);
}

static void kinds(void)
{
    const unsigned char py[] = "#!/usr/bin/env python3\nprint(1)\n";
    const unsigned char sh[] = "#!/bin/sh\necho\n";
    const unsigned char bin[] = {'a', 0, 'b'};
    CHECK_INT(kind_of("a.py", (const unsigned char *)"x", 1), FK_PYTHON);
    CHECK_INT(kind_of("d/a.pyi", NULL, 0), FK_PYTHON);
    CHECK_INT(kind_of("a.pyw", NULL, 0), FK_PYTHON);
    CHECK_INT(kind_of("bin/tool", py, sizeof py - 1), FK_PYTHON);
    CHECK_INT(kind_of("bin/tool", sh, sizeof sh - 1), FK_TEXT);
    CHECK_INT(kind_of("a.py.txt", NULL, 0), FK_TEXT);
    /* a NUL does not make a .py binary (CPython refuses it; the key after
     * it must still be found), nor a text file with a stray one */
    CHECK_INT(kind_of("a.py", bin, sizeof bin), FK_PYTHON);
    const unsigned char stray[] = "notes\0 and the rest of a text file\n";
    CHECK_INT(kind_of("notes.txt", stray, sizeof stray - 1), FK_TEXT);
    unsigned char noise[4096];
    for (size_t i = 0; i < sizeof noise; i++) noise[i] = (unsigned char)(i * 7919u >> 3);
    noise[0] = 0;
    CHECK_INT(kind_of("image.png", noise, sizeof noise), FK_BINARY);
    CHECK_INT(kind_of("a.bin", bin, sizeof bin), FK_BINARY);
    CHECK_INT(kind_of("README.md", (const unsigned char *)"hi", 2), FK_TEXT);
    CHECK(kind_is_agent_file(".cursorrules"));
    CHECK(kind_is_agent_file("x/.cursorrules"));
    CHECK(kind_is_agent_file(".cursor/rules/style.mdc"));
    CHECK(kind_is_agent_file("pkg/.cursor/rules/a/b.md"));
    CHECK(kind_is_agent_file(".github/copilot-instructions.md"));
    CHECK(kind_is_agent_file("sub/.github/copilot-instructions.md"));
    CHECK(kind_is_agent_file("AGENTS.md"));
    CHECK(kind_is_agent_file("docs/CLAUDE.md"));
    CHECK(kind_is_agent_file(".windsurfrules"));
    CHECK(kind_is_agent_file(".clinerules"));
    CHECK(kind_is_agent_file("GEMINI.md"));
    CHECK(kind_is_agent_file(".aider.conf.yml"));
    CHECK(!kind_is_agent_file("README.md"));
    CHECK(!kind_is_agent_file("agents.md"));
    CHECK(!kind_is_agent_file("x.cursor/rules/a"));
    CHECK(!kind_is_agent_file("github/copilot-instructions.md"));
}

static void scan_stats_case(void)
{
    fresh();
    put("app.py", "import os\nprint(os.getcwd())\n");
    put("tool", "#!/usr/bin/python\nprint(2)\n");
    put("notes.txt", "hello\n");
    put("ignored.log", "x\n");
    put(".gitignore", "*.log\n");
    unsigned char blob[64] = "binary\0data";
    put_bytes("img.png", blob, sizeof blob);
    char big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    put("big.txt", big);
    vg_opts o;
    opts_init(&o);
    o.max_file_size = 200;
    o.jobs = 2;
    str_list_add(&o.paths, tmp_root);
    /* a second root: a file given through a symlink is read (the user named it) */
    link_at("app.py", "ln.py");
    char lp[700];
    snprintf(lp, sizeof lp, "%s/ln.py", tmp_root);
    str_list_add(&o.paths, lp);
    vg_out out;
    out_init(&out, &o);
    scan_stats st;
    diag_list d = {0};
    vg_status rc = scan_run(&o, &out, &st, &d, NULL, NULL);
    CHECK_INT(rc, VG_OK);
    CHECK_INT(st.files, 5); /* app.py tool notes.txt .gitignore, and ln.py as a root */
    CHECK_INT(st.python_files, 3);
    CHECK_INT(st.skipped_binary, 1);
    CHECK_INT(st.skipped_large, 1);
    CHECK_INT(st.skipped_ignored, 1);
    CHECK_INT(st.unreadable, 0);
    CHECK_INT(st.jobs, 2);
    CHECK_INT(st.bytes, 2 * strlen("import os\nprint(os.getcwd())\n") + strlen("#!/usr/bin/python\nprint(2)\n") +
                            strlen("hello\n") + strlen("*.log\n"));
    int large_note = 0;
    for (size_t i = 0; i < out.diags.n; i++)
        if (out.diags.v[i].path && strstr(out.diags.v[i].path, "big.txt")) large_note = 1;
    CHECK(large_note);
    out_free(&out);
    diag_free(&d);

    /* a missing root fails the scan with an error diag */
    str_list_add(&o.paths, "/nonexistent/vibeguard-root");
    out_init(&out, &o);
    rc = scan_run(&o, &out, &st, &d, NULL, NULL);
    CHECK_INT(rc, VG_ERR_IO);
    CHECK(d.n >= 1 && d.v[d.n - 1].level == DIAG_ERROR);
    out_free(&out);
    diag_free(&d);
    opts_free(&o);
    rm_rf(tmp_root);
}

/* The findings and diags of scan_run, one per line. */
static char *scan_text(const char *root, int jobs)
{
    vg_opts o;
    opts_init(&o);
    o.jobs = jobs;
    str_list_add(&o.paths, root);
    vg_out out;
    out_init(&out, &o);
    scan_stats st;
    diag_list d = {0};
    char *r = NULL;
    if (scan_run(&o, &out, &st, &d, NULL, NULL) == VG_OK) {
        buf b;
        buf_init(&b, 0);
        for (size_t i = 0; i < out.n; i++) {
            const finding *f = out.v[i];
            buf_printf(&b, "%s:%d:%d %s %s\n", f->path, f->line, f->col, f->rule->id, f->message);
        }
        for (size_t i = 0; i < out.diags.n; i++)
            buf_printf(&b, "diag %s %s\n", out.diags.v[i].path ? out.diags.v[i].path : "-",
                       out.diags.v[i].message);
        buf_printf(&b, "files %zu bytes %zu\n", st.files, st.bytes);
        r = buf_detach(&b);
    }
    out_free(&out);
    diag_free(&d);
    opts_free(&o);
    return r ? r : xstrdup("scan failed");
}

/* The same findings, in the same order, whatever the number of threads. */
static void scan_determinism(void)
{
    fresh();
    char rel[128], body[512];
    for (int i = 0; i < 24; i++) {
        snprintf(rel, sizeof rel, "pkg%d/mod%d.py", i % 4, i);
        snprintf(body, sizeof body,
                 "import subprocess, pickle, hashlib\n"
                 "def f%d(x):\n"
                 "    subprocess.run(x, shell=True)\n"
                 "    h = hashlib.md5(x)\n"
                 "    return pickle.loads(x)\n"
                 "AWS_KEY = \"AKIA%016d\"\n"
                 "password = \"hunter%d-correct-horse\"\n",
                 i, i * 7919 + 1234567, i);
        put(rel, body);
    }
    put("bad/syntax.py", "def (:\n");
    put("requirements.txt", "requests==2.19.1\nreqeusts\n");
    char *a = scan_text(tmp_root, 1);
    char *b = scan_text(tmp_root, 4);
    CHECK_MSG(strstr(a, "files 26 ") != NULL, "%s", a);
    CHECK_STR(a, b);
    size_t lines = 0;
    for (const char *p = a; *p; p++) lines += *p == '\n';
    CHECK_MSG(lines > 48, "expected findings in every module, got %zu lines", lines);
    printf("scan determinism: %zu findings+diags lines identical with --jobs 1 and 4\n", lines - 1);
    free(a);
    free(b);
    rm_rf(tmp_root);
}

int main(void)
{
    gitignore_tree();
    display_paths();
    symlinks();
    odd_names();
    unreadable();
    determinism();
    kinds();
    scan_stats_case();
    scan_determinism();
    return T_DONE("test_walk");
}
