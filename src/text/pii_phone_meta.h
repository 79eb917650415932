/* pii_phone_meta.h - the numbering-plan tables of the Presidio profile's
 * phone recognizer (pii_phone.c), generated at build time by
 * tools/phonegen.py from Debian's python3-phonenumbers into
 * build/gen/pii_phone_meta.c; not for use outside src/text/.
 *
 * Every regular expression is python-phonenumbers' own, in PCRE2 syntax
 * (UTF-8, Unicode classes, as Python's re reads a str pattern).
 */
#ifndef VG_PII_PHONE_META_H
#define VG_PII_PHONE_META_H

#include <stddef.h>

/* The matcher's expressions (phonenumbermatcher.py, phonenumberutil.py). */
enum phone_re_id {
    PHONE_RE_CANDIDATE,      /* _PATTERN: what PhoneNumberMatcher looks at */
    PHONE_RE_SECOND_NUMBER,  /* a second number starts ("/x") */
    PHONE_RE_SLASH_DATES,    /* dd/mm/yy: not a number */
    PHONE_RE_TIME_STAMP,     /* "2012-01-02 08" ... */
    PHONE_RE_TIME_SUFFIX,    /* ... followed by ":00" */
    PHONE_RE_PUB_PAGES,      /* "211-227 (2003)": page numbers */
    PHONE_RE_BRACKETS,       /* brackets that pair up */
    PHONE_RE_LEAD,           /* an opening bracket or plus */
    PHONE_RE_UNWANTED_END,   /* trailing characters a number never ends with */
    PHONE_RE_START_CHAR,     /* where a number may start: + or a digit */
    PHONE_RE_VIABLE,         /* _VALID_PHONE_NUMBER_PATTERN */
    PHONE_RE_EXTENSION,      /* an extension at the end */
    PHONE_RE_PLUS,           /* leading plus signs */
    PHONE_RE_ALPHA,          /* three letters or more: a vanity number */
    PHONE_RE_FIRST_GROUP_ONLY,
    PHONE_RE_INNER_0, PHONE_RE_INNER_1, PHONE_RE_INNER_2, /* where a candidate splits */
    PHONE_RE_INNER_3, PHONE_RE_INNER_4, PHONE_RE_INNER_5,
    PHONE_RE_N
};
#define PHONE_NINNER 6

typedef struct phone_re {
    const char *re;
    int caseless;
} phone_re;

/* A number type's description: national number pattern and possible
 * lengths as bit sets (bit n: length n; bit 0: the list was given, so an
 * empty set means no length fits).  `present` is 0 when the region has no
 * numbers of the type. */
typedef struct phone_desc {
    const char *re;
    unsigned lens, local_lens;
    int present;
} phone_desc;

/* The order _number_type_helper asks in. */
enum {
    PHONE_D_GENERAL, PHONE_D_PREMIUM, PHONE_D_TOLL_FREE, PHONE_D_SHARED_COST, PHONE_D_VOIP,
    PHONE_D_PERSONAL, PHONE_D_PAGER, PHONE_D_UAN, PHONE_D_VOICEMAIL, PHONE_D_FIXED,
    PHONE_D_MOBILE, PHONE_NDESC
};

typedef struct phone_format {
    const char *pattern;          /* NULL ends the list */
    const char *leading;          /* the last leading-digits pattern, or NULL */
    int need_np;                  /* a national-format number must show the prefix */
} phone_format;

typedef struct phone_region {
    const char *id;               /* "US"; "001" for a non-geographic entity */
    int cc;
    const char *intl_prefix, *np_parse, *np_transform, *leading;
    int same_mobile_fixed;
    phone_desc desc[PHONE_NDESC];
    int nfmt;
    const phone_format *fmt;
} phone_region;

/* A country calling code and its regions, the main one first. */
typedef struct phone_cc {
    int cc, n;
    const unsigned short *regions;  /* indexes into phone_regions */
} phone_cc;

extern const char phone_meta_version[];
extern const phone_re phone_res[PHONE_RE_N];
extern const int phone_min_nsn;      /* the shortest national number of any plan */
extern const phone_region phone_regions[];
extern const size_t phone_nregions;
extern const phone_cc phone_ccs[];   /* by ascending cc */
extern const size_t phone_nccs;

#endif
