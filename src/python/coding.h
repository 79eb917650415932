/* coding.h - PEP 263 source encodings: find a file's coding cookie, say
 * what CPython would do with it, and decode the file to UTF-8 the way
 * CPython would before it tokenizes.
 *
 * A cookie can make CPython run code that the raw bytes do not show:
 * utf-7 spells ASCII in base64 (+AG8AcwAu...-), unicode_escape and
 * raw_unicode_escape turn \u006f into 'o', MacArabic's right-to-left
 * punctuation decodes to '(' and ')', Shift_JIS-2004's 0x5C is a yen sign
 * rather than the backslash that would have escaped a quote.  Everything
 * that reads Python source (every analyzer, through the driver) reads the
 * decoded text; a cookie whose decoded text can hold such hidden ASCII is
 * a finding in itself (VG801, coding_hides).  The table of names is
 * generated from CPython's codec registry (codecs.def).
 */
#ifndef VG_PY_CODING_H
#define VG_PY_CODING_H

#include <stddef.h>

#include "../core/buf.h"

typedef enum coding_decoder {
    CD_UTF8,    /* UTF-8 or ASCII: the bytes as they are */
    CD_ICONV,   /* glibc iconv */
    CD_UESC,    /* unicode_escape (ours) */
    CD_RAWUESC, /* raw_unicode_escape (ours) */
    CD_RAW,     /* no decoder needed: code reads the same in the raw bytes */
    CD_NONE     /* no decoder although the raw bytes can mislead */
} coding_decoder;

typedef struct coding_info {
    const char *name;   /* as codecs.lookup normalises it ("utf_7") */
    const char *canon;  /* CPython's canonical name ("utf-7") */
    coding_decoder dec;
    const char *iconv;  /* iconv's name for CD_ICONV, else NULL */
    int hides;          /* decoded text can hold ASCII the bytes do not show */
} coding_info;

/* The cookie on line 1 or 2 of s (PEP 263: a comment line matching
 * `coding[:=]\s*([-\w.]+)`; line 2 only after a blank or comment line 1).
 * Copies the name as written into name[cap] and sets *line (1 or 2);
 * returns 0 when there is no cookie. */
int coding_cookie(const unsigned char *s, size_t len, char *name, size_t cap, int *line);

/* What CPython does with cookie name `name`: its table row, or NULL for a
 * name CPython rejects ("unknown encoding": the file does not run). */
const coding_info *coding_lookup(const char *name);

/* Decode s[0..len) from codec ci into out (cleared first) as UTF-8.
 * Returns 0, or -1 when the codec has no decoder here (CD_RAW, CD_NONE)
 * or the bytes are not valid in it (CPython would not run the file
 * either); out then holds nothing useful. */
int coding_decode(const coding_info *ci, const unsigned char *s, size_t len, buf *out);

#endif
