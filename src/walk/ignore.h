/* ignore.h - gitignore semantics: one parsed ignore file (the patterns and
 * their matcher are core/glob.h, shared with per-file-ignores).
 *
 * An ignore_rules holds the patterns of one file (.gitignore, .ignore,
 * .git/info/exclude, or the --exclude globs) in order.  ignore_match asks
 * about one path, relative to the directory the file applies to
 * ('/'-separated, no leading slash): the last pattern that matches decides.
 * The walker stacks these per directory (deeper files win) and never
 * descends into an ignored directory, which gives git's rule that nothing
 * under an excluded directory can be re-included.
 *
 * Patterns follow gitignore(5); see core/glob.h.
 */
#ifndef VG_IGNORE_H
#define VG_IGNORE_H

#include <stddef.h>

typedef struct ignore_rules ignore_rules;

enum { IGNORE_NONE = 0, IGNORE_EXCLUDE = 1, IGNORE_INCLUDE = -1 };

/* Parses gitignore text (never fails: unusable lines are skipped; lines
 * longer than GLOB_MAX_LINE and patterns past IGNORE_MAX_PATTERNS are
 * dropped).  Returns NULL when the text holds no pattern. */
ignore_rules *ignore_parse(const char *text, size_t len);
/* Appends the patterns of a second file (they win over r's); r may be NULL. */
ignore_rules *ignore_append(ignore_rules *r, const char *text, size_t len);
/* Adds one pattern line (as in a file) to r, creating it if NULL. */
ignore_rules *ignore_add(ignore_rules *r, const char *line, size_t len);
void ignore_free(ignore_rules *r);
size_t ignore_count(const ignore_rules *r);

/* IGNORE_EXCLUDE, IGNORE_INCLUDE (a '!' pattern matched last) or
 * IGNORE_NONE (no pattern matched). */
int ignore_match(const ignore_rules *r, const char *rel, int is_dir);

#endif
