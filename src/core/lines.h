/* lines.h - the line index of a buffer: the offset where each line starts.
 *
 * One rule for every module that turns byte offsets into lines (the
 * Python lexer, the finding's positions and snippets): a line ends at
 * "\n", at "\r\n" or at a lone "\r", as in CPython.  The table holds
 * start[0] = `first` (the lexer passes 3 to keep a BOM out of line 1's
 * columns; everyone else 0) and then, for each line break, the offset just
 * past it; its length is the number of lines (a final line break opens an
 * empty last line).
 *
 * lines_scan writes at most `cap` entries and returns the full count, so a
 * caller can size the table from a guess (LINES_GUESS) and scan again
 * when the guess was short; one pass, eight bytes at a time between line
 * breaks.  lines_build does that into a new malloc'd table (*n entries).
 * lines_find returns the index of the line holding offset off in a table
 * of n >= 1 entries: the last i with start[i] <= off, or 0.
 */
#ifndef VG_LINES_H
#define VG_LINES_H

#include <stddef.h>

/* A first guess at the number of lines in len bytes (about 24 a line). */
#define LINES_GUESS(len) ((len) / 24 + 64)

size_t lines_scan(const unsigned char *s, size_t len, size_t first, size_t *start, size_t cap);
size_t *lines_build(const unsigned char *s, size_t len, size_t first, size_t *n);
size_t lines_find(const size_t *start, size_t n, size_t off);

#endif
