/* pii_int.h - what the PII recognizer files share (pii.c, pii_presidio.c);
 * not for use outside src/text/.
 *
 * A recognizer pattern is one row of a table: its entity, its name (the
 * recognizer pattern's name in Presidio), the PCRE2 regex, the base score,
 * the validator that rejects the match or raises it to 1.0, and how far
 * back from a Hyperscan end the confirmation looks.
 */
#ifndef VG_PII_INT_H
#define VG_PII_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pii.h"

enum pii_validator {
    V_NONE, V_EMAIL, V_PHONE_INTL, V_PHONE_NANP, V_PHONE_UK, V_DIGITS, V_CARD, V_IBAN,
    V_IPV4, V_IPV6, V_MAC, V_URL, V_SSN, V_NHS, V_BTC, V_ETH, V_HOST, V_CONN, V_NAME,
};

/* pii_pat.flags besides SCAN_CASELESS */
#define PII_P_SCAN_ONLY 0x100u /* left out of the Presidio profile (it has its own) */
/* A gated pattern (PII_P_GATE(g), 2 bits): every match of its Hyperscan form
 * holds the gate's trigger byte (pii_gate_init), so pii_find scans for it only
 * the runs that gate keeps (pii_gate_ranges), with the other patterns of the
 * gate in a database of their own.  The digit gate's patterns promise two
 * digits or more; the others' shapes must show one trigger, else they stay
 * in the whole block's pass.  The colon gate's trigger is a ':' with
 * another at most PII_COLON_PAIR bytes on, which its patterns promise
 * (IPv6: groups of four hex digits at most; MAC).  (Gates for any ':',
 * '-', '.' and for a digit in a word were tried for IPv6, the MAC forms
 * and Bitcoin addresses: finding their runs cost more than the patterns
 * cost in the whole block's pass, docs/redact.md.) */
#define PII_P_GATE_SHIFT 9
#define PII_P_GATE(g)    ((unsigned)(g) << PII_P_GATE_SHIFT)
#define PII_P_GATE_OF(f) (((f) >> PII_P_GATE_SHIFT) & 3u)
enum {
    PII_G_NONE,
    PII_G_DIGITS,  /* a digit: the phone, card, ID, IBAN and IPv4 patterns */
    PII_G_AT,      /* '@': e-mail addresses */
    PII_G_COLON,   /* ':' and another close by: IPv6 and colon MAC addresses */
    PII_NGATES
};
#define PII_COLON_PAIR 5
#define PII_P_DIGITS PII_P_GATE(PII_G_DIGITS)

typedef struct pii_pat {
    pii_entity ent;
    const char *name;
    const char *re;      /* PCRE2; Hyperscan reads it too, lookarounds stripped.
                          * "@TLDS@" stands for the URL TLD alternation. */
    double score;
    enum pii_validator valid;
    int group;           /* capture group holding the entity (0: whole match) */
    unsigned maxlen;     /* longest match: the PCRE2 window before a hit */
    unsigned lo, hi;     /* V_DIGITS: digit count range */
    unsigned flags;      /* SCAN_CASELESS, PII_P_* */
} pii_pat;

/* A set of words, looked up by hash (pii_words_index). */
typedef struct pii_words {
    char **v;
    size_t n;
    uint32_t *slot;  /* a hash table over v (pii_words_index): index + 1, 0 empty */
    size_t mask;
} pii_words;
/* Is s[0..len) one of w's words (as strcmp reads it: up to a NUL)?  Only
 * words of fewer than 64 bytes, once w is indexed. */
int pii_words_has(const pii_words *w, const char *s, size_t len);
void pii_words_index(pii_words *w); /* after v is filled (embedded lists, < 2^32 words) */
void pii_words_free(pii_words *w);  /* the words, v and the table */

/* Presidio's own patterns, used in the Presidio profile instead of the
 * rows marked PII_P_SCAN_ONLY (pii_presidio.c). */
extern const pii_pat pii_presidio_pats[];
extern const size_t pii_presidio_npats;

/* Presidio's context rule (LemmaContextAwareEnhancer with a lemma equal to
 * the lower-cased token): one of e's context words is a substring of one of
 * the six keywords (tokens that are not spaCy stop words or punctuation)
 * ending with the token that holds byte `start`, the text tokenized the way
 * spaCy's English tokenizer does (whitespace other than one space is a
 * token; punctuation split off at word edges; hyphens and = : / split
 * inside words).  Lines are no boundary, as in Presidio. */
void pii_presidio_init(void);   /* once, before pii_presidio_context (not thread-safe) */
int pii_presidio_context(const pii_words *stop, const unsigned char *d, size_t len, size_t start,
                         pii_entity e);

/* Presidio's PhoneRecognizer (pii_phone.c): python-phonenumbers'
 * PhoneNumberMatcher at leniency VALID for each of Presidio's regions, the
 * numbering plans generated from python3-phonenumbers at build time.
 * pii_phone_open leaves *out NULL when no phone number can reach the
 * threshold.  pii_phone_find appends to v (n used, cap allocated) the
 * PHONE_NUMBER matches of d, none inside another, scored 0.4 and 0.75 with
 * one of Presidio's context words (pii_presidio_context); thread-safe. */
typedef struct pii_phone pii_phone;
vg_status pii_phone_open(double threshold, pii_phone **out, diag_list *d);
void pii_phone_close(pii_phone *ph);
void pii_phone_find(pii_phone *ph, const pii_words *stop, const unsigned char *d, size_t len,
                    pii_match **v, size_t *n, size_t *cap);
/* The regex side (pii_re.c).  Strings returned are malloc'd. */
char *pii_tld_alternation(void);                   /* Presidio's "com|edu|...|zw" */
char *pii_expand_tlds(const char *re, const char *alt); /* "@TLDS@" -> alt */
char *pii_strip_lookaround(const char *re);        /* without (?=..) (?!..) (?<=..) (?<!..) */
/* Is byte c in the 256-bit set a? */
static inline int pii_in_set(const unsigned char a[32], unsigned char c)
{
    return a[c >> 3] >> (c & 7) & 1;
}
/* The bytes a match of re can hold, as a 256-bit set (all when unknown). */
void pii_pat_alphabet(const char *re, int caseless, unsigned char a[32]);
/* Where confirmation of a hit at `to` may start PCRE2: at `from`, or
 * later when a byte outside the pattern's alphabet `a` stands between (a
 * match cannot begin before a byte it cannot hold). */
size_t pii_alpha_start(const unsigned char a[32], const unsigned char *d, size_t from, size_t to);
/* A pattern that opens with (?<![C]) and holds only bytes of C (alpha):
 * C into lead (a match starts only after a byte outside C); else lead is
 * left as it is. */
void pii_lead_class(const char *re, int caseless, const unsigned char alpha[32],
                    unsigned char lead[32]);
/* The gates (pii_re.c): where the gated patterns can match.  A
 * pattern's shape is the fewest digits, capitals (A-Z, not caseless),
 * '+', '.', '@', ':' and '-' a match holds, its longest run of digits
 * (PII_K_DRUN: digits side by side), the digits it holds up to the end
 * of its last run of four (PII_K_DIG4: a date's year is a run of four
 * with no digit before it) and its fewest bytes (PII_K_LEN), as lower
 * bounds (lookarounds stripped; all 0 for a construct not read); and
 * PII_K_ZERO, which pii_open sets.  A
 * gate holds its patterns' alphabets together, and their shapes in up to
 * PII_GATE_GROUPS groups, each group's patterns with a database of its own;
 * pii_gate_ranges gives, for each group, the [start, end) ranges of d
 * that hold every maximal run of alphabet bytes with a trigger byte that
 * meets one of the group's shapes (and two digits in the digit gate, as
 * PII_P_DIGITS promises), each with one byte outside the alphabet on
 * either side, so \b reads in a range as in d; ranges PII_GATE_JOIN bytes
 * apart or closer are joined.  A match of a gated pattern in d lies in a
 * range of its group, and a range holds no match d lacks. */
enum {
    PII_K_DIGIT, PII_K_UPPER, PII_K_PLUS, PII_K_DOT, PII_K_AT, PII_K_COLON, PII_K_HYPHEN,
    PII_K_DRUN,  /* not a byte's kind: the longest run of digits */
    PII_K_DIG4,  /* nor this: the digits up to the end of the last run of four */
    PII_K_ZERO,  /* nor this: the '0's a number can start with (pii_zero_start) */
    PII_K_LEN,   /* every byte: the length */
    PII_NKINDS
};
#define PII_GATE_SHAPES 16
#define PII_GATE_GROUPS 3
/* The digit gate's patterns whose longest digit run is shorter than this
 * (the European phone forms, IBAN) are its second group, and IPv4 (three
 * dots) its third: a dotted quad, half the digit runs of a log, goes to
 * that database alone, a date (its run of four first) to none. */
#define PII_GATE_SPLIT_RUN 4
typedef struct pii_shape {
    unsigned n[PII_NKINDS];
} pii_shape;
typedef struct pii_gate {
    int id;                           /* PII_G_* */
    unsigned char lo, hi;             /* the trigger: a byte in [lo, hi] */
    unsigned char pair;               /* and (not 0) another at most this far on */
    int trig;                         /* its kind (PII_K_*) */
    unsigned min_trig;                /* the fewest a shape holds (2 digits, else 1) */
    unsigned char kind[256];          /* 0: outside the alphabets; else 1 + PII_K_*, or
                                       * PII_K_LEN + 1 for another byte in them */
    pii_shape need[PII_GATE_GROUPS][PII_GATE_SHAPES]; /* a run must meet one */
    size_t nneed[PII_GATE_GROUPS];
    /* the same a byte a kind (255: that or more), as pii_gate_ranges
     * compares them, 16 at once, and least8 the least of each kind over
     * every need; inc8[1 + kind]: what a byte adds */
    _Alignas(16) unsigned char need8[PII_GATE_GROUPS][PII_GATE_SHAPES][16];
    _Alignas(16) unsigned char least8[16];
    _Alignas(16) unsigned char inc8[PII_NKINDS + 1][16];
} pii_gate;
/* The ranges pii_gate_ranges keeps for one group: [v[2i], v[2i + 1]). */
typedef struct pii_ranges {
    size_t *v, n, cap;
} pii_ranges;
void pii_pat_shape(const char *re, int caseless, pii_shape *out);
/* Not inside a longer number: a pattern that opens with it matches after
 * no word byte or '+', nor after a digit and a separator. */
#define PII_NB "(?<![\\w+])(?<!\\d[ .\\-/])"
/* Does every match of PCRE2 pattern re start, after PII_NB, with a '0'
 * or a '(' and a '0'?  Then a run that holds one of its matches holds a
 * '0' after no word byte or '+', nor after a digit and one of " .-/"
 * (PII_K_ZERO: a '(' before the '0' is neither).  Lookbehinds are what
 * Hyperscan's form lacks; the ranges hold every match PCRE2 confirms,
 * and a run dropped for want of one holds none (pii_gate_ranges). */
int pii_zero_start(const char *re);
void pii_gate_init(pii_gate *g, int gate);   /* gate: PII_G_* */
/* Can a pattern of this shape be gated by g (its shape holds a trigger)? */
int pii_gate_fits(const pii_gate *g, const pii_shape *need);
/* The group (< PII_GATE_GROUPS) g gives a pattern of this shape. */
int pii_gate_group(const pii_gate *g, const pii_shape *need);
void pii_gate_add(pii_gate *g, const unsigned char alpha[32], const pii_shape *need, int group);
void pii_gate_ranges(const pii_gate *g, const unsigned char *d, size_t len,
                     pii_ranges out[PII_GATE_GROUPS]);
/* The offset of the first byte of d[i, len) in [lo, hi], or len (SSE2). */
size_t pii_next_in(const unsigned char *d, size_t i, size_t len, unsigned char lo,
                   unsigned char hi);
/* The offset of the first c in d[i, len) with another c at most `dist`
 * (1..15) bytes after it, or len (SSE2). */
size_t pii_next_pair(const unsigned char *d, size_t i, size_t len, unsigned char c,
                     unsigned dist);

#endif
