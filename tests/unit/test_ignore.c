/* test_ignore.c - gitignore semantics.  Every case in `cases` was checked
 * against git 2.39 (`git check-ignore` in a scratch repository holding the
 * patterns as its .gitignore and the path as a file or directory), so the
 * table records git's answer, not ours.  A path is ignored when it or one
 * of its parent directories is excluded, as git has it. */
#include "t.h"

#include "core/glob.h"
#include "walk/ignore.h"

#include <stdlib.h>
#include <string.h>

typedef struct icase {
    const char *patterns; /* .gitignore text */
    const char *path;
    int is_dir;
    int ignored;          /* git's answer */
} icase;

static const icase cases[] = {
    /* plain names match at any depth */
    {"foo\n", "foo", 0, 1},
    {"foo\n", "a/foo", 0, 1},
    {"foo\n", "a/b/foo", 1, 1},
    {"foo\n", "foobar", 0, 0},
    {"foo\n", "afoo", 0, 0},
    {"foo\n", "foo/bar", 0, 1},
    /* wildcards stop at '/' */
    {"*.log\n", "x.log", 0, 1},
    {"*.log\n", "a/b/x.log", 0, 1},
    {"*.log\n", "x.log.txt", 0, 0},
    {"*.log\n", ".log", 0, 1},
    {"a*b\n", "a/b", 0, 0},
    {"a?c\n", "abc", 0, 1},
    {"a?c\n", "a/c", 0, 0},
    {"a?c\n", "ac", 0, 0},
    /* anchoring: a leading or middle slash */
    {"/foo\n", "foo", 0, 1},
    {"/foo\n", "a/foo", 0, 0},
    {"a/foo\n", "a/foo", 0, 1},
    {"a/foo\n", "b/a/foo", 0, 0},
    {"a/*.c\n", "a/x.c", 0, 1},
    {"a/*.c\n", "a/b/x.c", 0, 0},
    {"/*.c\n", "x.c", 0, 1},
    {"/*.c\n", "d/x.c", 0, 0},
    /* directory-only */
    {"build/\n", "build", 1, 1},
    {"build/\n", "build", 0, 0},
    {"build/\n", "src/build", 1, 1},
    {"build/\n", "build/x.o", 0, 1},
    {"build/\n", "src/build", 0, 0},
    {"a/build/\n", "a/build", 1, 1},
    {"a/build/\n", "b/a/build", 1, 0},
    /* negation: last match wins */
    {"*.log\n!keep.log\n", "keep.log", 0, 0},
    {"*.log\n!keep.log\n", "other.log", 0, 1},
    {"!keep.log\n*.log\n", "keep.log", 0, 1},
    {"*\n!*.py\n", "x.py", 0, 0},
    {"*\n!*.py\n", "x.txt", 0, 1},
    /* a file under an excluded directory cannot be re-included */
    {"build/\n!build/keep.txt\n", "build/keep.txt", 0, 1},
    {"build/*\n!build/keep.txt\n", "build/keep.txt", 0, 0},
    {"build/*\n!build/keep.txt\n", "build/other.txt", 0, 1},
    /* ** */
    {"**/foo\n", "foo", 0, 1},
    {"**/foo\n", "a/b/foo", 0, 1},
    {"**/foo/bar\n", "x/foo/bar", 0, 1},
    {"**/foo/bar\n", "foo/bar", 0, 1},
    {"abc/**\n", "abc/x", 0, 1},
    {"abc/**\n", "abc/x/y", 0, 1},
    /* git check-ignore reports "abc/" for "abc/" "**", but git status still
     * walks into abc: the directory itself is not excluded */
    {"abc/**\n!abc/keep\n", "abc/keep", 0, 0},
    {"abc/**\n", "abc", 0, 0},
    {"a/**/b\n", "a/b", 0, 1},
    {"a/**/b\n", "a/x/b", 0, 1},
    {"a/**/b\n", "a/x/y/b", 0, 1},
    {"a/**/b\n", "a/xb", 0, 0},
    {"a**b\n", "axxb", 0, 1},
    {"a**b\n", "a/b", 0, 0},
    {"**\n", "anything", 0, 1},
    {"docs/**/*.md\n", "docs/a/b/x.md", 0, 1},
    {"docs/**/*.md\n", "docs/x.md", 0, 1},
    {"docs/**/*.md\n", "x.md", 0, 0},
    /* classes */
    {"[abc].txt\n", "b.txt", 0, 1},
    {"[abc].txt\n", "d.txt", 0, 0},
    {"[!abc].txt\n", "d.txt", 0, 1},
    {"[!abc].txt\n", "a.txt", 0, 0},
    {"[a-c]x\n", "bx", 0, 1},
    {"[a-c]x\n", "dx", 0, 0},
    {"[[:digit:]]*\n", "7up", 0, 1},
    {"[[:digit:]]*\n", "up7", 0, 0},
    /* comments, blanks, escapes, trailing spaces */
    {"# comment\n\n", "# comment", 0, 0},
    {"\\#hash\n", "#hash", 0, 1},
    {"\\!bang\n", "!bang", 0, 1},
    {"foo   \n", "foo", 0, 1},
    {"foo\\ \n", "foo ", 0, 1},
    {"foo\\ \n", "foo", 0, 0},
    {"\\*star\n", "*star", 0, 1},
    {"\\*star\n", "xstar", 0, 0},
    {"with space.txt\n", "with space.txt", 0, 1},
    {"*.log\r\n", "x.log", 0, 1},
    /* nothing but a slash or a bang means nothing */
    {"/\n", "foo", 0, 0},
    {"!\n", "foo", 0, 0},
    /* case matters */
    {"*.LOG\n", "x.log", 0, 0},
    /* dotfiles are ordinary names */
    {".env\n", ".env", 0, 1},
    {".env\n", "a/.env", 0, 1},
    {"*.env\n", ".env", 0, 1},
};

/* git's view: excluded itself, or under an excluded directory. */
static int ignored_full(const ignore_rules *r, const char *path, int is_dir)
{
    char buf[512];
    size_t n = strlen(path);
    for (size_t i = 0; i < n; i++) {
        if (path[i] != '/') continue;
        memcpy(buf, path, i);
        buf[i] = 0;
        if (ignore_match(r, buf, 1) == IGNORE_EXCLUDE) return 1;
    }
    return ignore_match(r, path, is_dir) == IGNORE_EXCLUDE;
}

static void glob_cases(void)
{
    CHECK(glob_match("*.py", "a.py"));
    CHECK(!glob_match("*.py", "d/a.py"));
    CHECK(glob_match("**/*.py", "d/e/a.py"));
    CHECK(glob_match("d/**", "d/e/a.py"));
    CHECK(!glob_match("[", "["));
    CHECK(glob_match("\\[", "["));
    CHECK(glob_match("[]]", "]"));
    CHECK(glob_match("[[:alpha:]-z]", "-"));
    CHECK(!glob_match("[[:nope:]]", "a"));
    CHECK(glob_match("a\xff*", "a\xff\xfe"));
    /* pathological patterns finish (git's early aborts) */
    CHECK(!glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    CHECK(!glob_match("**/**/**/**/**/**/**/**/**/**/**/**/x",
                       "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y"));
    /* ... and still answer right through the memo */
    CHECK(glob_match("**/**/**/**/**/**/**/**/**/**/**/**/y",
                      "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y"));
    CHECK(glob_match("**/a/**/a/**/a/**/a/**/a/**/a/**/b",
                      "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/b"));
    CHECK(!glob_match("**/a/**/a/**/a/**/a/**/a/**/a/**/b",
                       "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/c"));
}

static void api_cases(void)
{
    CHECK(ignore_parse("", 0) == NULL);
    CHECK(ignore_parse("# only\n\n   \n", 12) == NULL);
    ignore_rules *r = ignore_parse("a\nb\n!c\n", 7);
    CHECK_INT(ignore_count(r), 3);
    CHECK_INT(ignore_match(r, "c", 0), IGNORE_INCLUDE);
    CHECK_INT(ignore_match(r, "a", 0), IGNORE_EXCLUDE);
    CHECK_INT(ignore_match(r, "z", 0), IGNORE_NONE);
    r = ignore_append(r, "c\n", 2); /* a later file wins */
    CHECK_INT(ignore_match(r, "c", 0), IGNORE_EXCLUDE);
    r = ignore_add(r, "!a", 2);
    CHECK_INT(ignore_match(r, "x/a", 0), IGNORE_INCLUDE);
    ignore_free(r);
    /* BOM at the start of the file */
    r = ignore_parse("\xEF\xBB\xBFtarget\n", 10);
    CHECK_INT(ignore_match(r, "target", 1), IGNORE_EXCLUDE);
    ignore_free(r);
    /* an over-long line is dropped, not truncated */
    char *big = malloc(5000);
    if (big) {
        memset(big, 'x', 4999);
        big[4999] = '\n';
        r = ignore_parse(big, 5000);
        CHECK(r == NULL);
        ignore_free(r);
        free(big);
    }
}

int main(void)
{
    size_t n = sizeof cases / sizeof *cases;
    int ok = 0;
    for (size_t i = 0; i < n; i++) {
        const icase *c = &cases[i];
        ignore_rules *r = ignore_parse(c->patterns, strlen(c->patterns));
        int got = ignored_full(r, c->path, c->is_dir);
        CHECK_MSG(got == c->ignored, "patterns \"%s\" path \"%s\"%s: got %s, git says %s",
                  c->patterns, c->path, c->is_dir ? " (dir)" : "", got ? "ignored" : "kept",
                  c->ignored ? "ignored" : "kept");
        ok += got == c->ignored;
        ignore_free(r);
    }
    printf("gitignore cases agreeing with git: %d/%zu\n", ok, n);
    glob_cases();
    api_cases();
    return T_DONE("test_ignore");
}
