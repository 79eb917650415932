/* glob.h - the one glob semantics of vibeguard: gitignore(5) patterns
 * matched with git's wildmatch (WM_PATHNAME).  .gitignore files, the
 * walker's `exclude` globs and the report's `per-file-ignores` all mean
 * the same thing by the same pattern.
 *
 * A pattern line: '#' starts a comment, trailing blanks are dropped unless
 * escaped, '!' negates, a trailing '/' matches directories only, a '/' at
 * the start or in the middle anchors the pattern to its base directory
 * (otherwise it matches the last path component at any depth), '*' '?'
 * '[...]' (with [:class:]) stop at '/', '**' spans directories ("**" + "/x",
 * "x/" + "**", "a/" + "**" + "/b"), a backslash escapes the next character.
 * Lines longer than GLOB_MAX_LINE hold no pattern.  Patterns and paths are
 * bytes ('/'-separated, relative, no leading slash); nothing assumes UTF-8.
 * Pathological patterns are bounded (git's early aborts, a memo, a step
 * budget past which the answer is "no match").
 */
#ifndef VG_GLOB_H
#define VG_GLOB_H

#include <stddef.h>

enum { GLOB_NEGATE = 1, GLOB_DIRONLY = 2, GLOB_BASENAME = 4 };

typedef struct glob_pat {
    char *glob;      /* the pattern without '!', leading '/' and trailing '/' */
    unsigned flags;  /* GLOB_* */
} glob_pat;

/* git wildmatch with WM_PATHNAME: 1 when `text` matches `pattern`. */
int glob_match(const char *pattern, const char *text);

/* Parses one pattern line (no newline).  1 and *p filled (p->glob is a new
 * string: glob_pat_free), or 0 when the line holds no pattern. */
int glob_pat_parse(glob_pat *p, const char *line, size_t len);
void glob_pat_free(glob_pat *p);
/* Does p match the walk entry `rel` (relative to p's base directory)?
 * GLOB_NEGATE is the caller's to apply. */
int glob_pat_match(const glob_pat *p, const char *rel, int is_dir);

/* A glob from the configuration or the command line (exclude,
 * per-file-ignores) is a pattern line with any leading "./" dropped
 * ("./build" means "build"); glob_skip_dot returns s past them. */
const char *glob_skip_dot(const char *s);
/* Would the configuration glob `pattern`, given as an exclude, leave out
 * the file `path` (relative to the scan root)?  That is: does it match the
 * file or one of the directories above it, which the walk would not enter?
 * A negated pattern on its own leaves out nothing. */
int glob_covers(const char *pattern, const char *path);

#endif
