/* pii.c - PII recognizers: patterns, confirmation, context scoring, and
 * the pii:<ENTITY> family of the one-pass text scan.
 *
 * Every recognizer pattern joins a Hyperscan database (the shared one in
 * a scan, the engine's own for `pii` and `redact`); Hyperscan reports
 * where a match may end, and pii_confirm runs the pattern's PCRE2 (JIT)
 * over a bounded window before that end to get exact spans.  Then, as in
 * Presidio: the validator rejects the match or sets its score to 1.0, a
 * context word among the five words before the match adds 0.35 (to at
 * least 0.4), results under the threshold go, and a match contained in
 * another of the same entity with a higher or equal score is dropped.
 *
 * PERSON has no Presidio pattern (Presidio uses an NER model): here a
 * first name from data/pii_first_names.txt followed by a capitalised word
 * scores 0.3, by a surname from data/pii_last_names.txt 0.4, alone 0.15;
 * a title (Mr, Dr, ...) before a capitalised name 0.6.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pii.h"
#include "pii_int.h"

#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../finding/analyzer.h"
#include "../core/buf.h"
#include "../core/embed.h"
#include "../core/limits.h"
#include "../core/sort.h"
#include "../core/xalloc.h"
#include "../finding/finding.h"
#include "../finding/rule.h"

EMBED_DECL(pii_first_names_txt);
EMBED_DECL(pii_last_names_txt);
EMBED_DECL(pii_stop_words_txt);
EMBED_DECL(pii_email_tlds_txt);

static const char *const entity_names[PII_NENTITIES] = {
    "EMAIL_ADDRESS", "PHONE_NUMBER",  "CREDIT_CARD",    "IBAN_CODE",         "IP_ADDRESS",
    "MAC_ADDRESS",   "URL",           "US_SSN",         "US_ITIN",           "US_PASSPORT",
    "US_BANK_NUMBER", "US_DRIVER_LICENSE", "UK_NHS",    "CRYPTO",            "DATE_TIME",
    "PERSON",        "INTERNAL_HOST", "CONNECTION_STRING",
};

const char *pii_entity_name(pii_entity e)
{
    return (unsigned)e < PII_NENTITIES ? entity_names[e] : "UNKNOWN";
}

int pii_entity_parse(const char *name)
{
    for (int i = 0; i < PII_NENTITIES; i++)
        if (!strcasecmp(name, entity_names[i])) return i;
    return -1;
}

unsigned pii_entities_parse(const char *list, const char **bad, size_t *badlen)
{
    unsigned mask = 0;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && isspace((unsigned char)*p)) p++, n--;
        while (n && isspace((unsigned char)p[n - 1])) n--;
        if (n) {
            char tmp[64];
            int id = -1;
            if (n < sizeof tmp) {
                memcpy(tmp, p, n);
                tmp[n] = 0;
                id = pii_entity_parse(tmp);
            }
            if (id < 0) {
                if (bad) *bad = p;
                if (badlen) *badlen = n;
                return 0;
            }
            mask |= PII_BIT(id);
        }
        if (!e) break;
        p = e + 1;
    }
    return mask;
}

/* ---- the recognizer table ------------------------------------------------ */

#define NB PII_NB /* not inside a longer number */
#define NE "(?![\\w\\-]|[ .\\-/]\\d)"
/* a whole number: not part of a decimal, a version or a dashed id.  A comma
 * after it ends the number: CSV rows of customer data put the next field
 * right there ("...,4539 1488 0343 6467,536-22-8147"). */
#define NUMB "(?<![\\w.\\-])"
#define NUME "(?![\\w]|[.\\-]\\d)"
#define MONTHS "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
#define DB "(?<![\\w.\\-/])"          /* date start */
#define DE "(?![\\w]|[./\\-]\\d)"      /* date end */
#define ITIN_MID "(?:5\\d|6[0-5]|7\\d|8[0-8]|9[0-24-9])"
#define NAME_WORD "[A-Z][a-z]+(?:[\\-'][A-Z]?[a-z]+)?"

static const pii_pat pats[] = {
    {PII_EMAIL_ADDRESS, "Email (Medium)",
     "(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\\-]{0,62}[A-Za-z0-9_%+\\-])?@"
     "(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?\\.){1,8}[A-Za-z]{2,24}\\b",
     0.5, V_EMAIL, 0, 700, 0, 0, PII_P_SCAN_ONLY | PII_P_GATE(PII_G_AT)},

    {PII_PHONE_NUMBER, "Phone (international)",
     "(?<![\\w+])\\+(?:1|33|44|49|55|61|81|86|91|972)[ .\\-]?(?:\\(0\\)[ ]?)?(?:\\(\\d{1,4}\\)[ .\\-]?)?"
     "\\d{1,5}(?:[ .\\-]?\\d{1,5}){0,5}(?!\\d)",
     0.4, V_PHONE_INTL, 0, 48, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (US/CA)",
     NB "(?<![\\-.])(?:1[ .\\-]?)?(?:\\(\\d{3}\\)[ ]?|\\d{3}[ .\\-]?)\\d{3}[ .\\-]?\\d{4}" NE,
     0.4, V_PHONE_NANP, 0, 24, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (UK)",
     NB "(?:\\(0\\d{2,4}\\)[ ]?|0\\d{2,4}[ ]?)\\d{3,4}[ ]?\\d{3,4}" NE,
     0.4, V_PHONE_UK, 0, 24, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (FR)", NB "0[1-9](?:[ .\\-]?\\d{2}){4}" NE,
     0.4, V_NONE, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (DE)",
     NB "(?:\\(0[1-9]\\d{1,4}\\)|0[1-9]\\d{1,4})[ /\\-]\\d{3,8}(?:[ \\-]\\d{1,5})?" NE,
     0.4, V_DIGITS, 0, 24, 8, 12, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (IN)", NB "(?:0|91[ \\-]?)?[6-9]\\d{4}[ \\-]?\\d{5}" NE,
     0.4, V_NONE, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (BR)", NB "\\(?[1-9]{2}\\)?[ ]?9?\\d{4}-\\d{4}" NE,
     0.4, V_NONE, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (AU)",
     NB "(?:\\(0[2378]\\)[ ]?\\d{4}[ ]?\\d{4}|0[2378][ ]?\\d{4}[ ]?\\d{4}|04\\d{2}[ ]?\\d{3}[ ]?\\d{3})" NE,
     0.4, V_NONE, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (JP)", NB "0\\d{1,4}-\\d{1,4}-\\d{4}" NE,
     0.4, V_DIGITS, 0, 20, 10, 11, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (CN mobile)", NB "1[3-9]\\d[ \\-]?\\d{4}[ \\-]?\\d{4}" NE,
     0.4, V_NONE, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (CN)", NB "0\\d{2,3}-\\d{7,8}" NE,
     0.4, V_NONE, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_PHONE_NUMBER, "Phone (IL)", NB "0(?:5\\d|7\\d|[2-489])-?\\d{3}-?\\d{4}" NE,
     0.4, V_NONE, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},

    {PII_CREDIT_CARD, "All Credit Cards (weak)",
     NUMB "(?:4\\d{3}|5[0-5]\\d{2}|6\\d{3}|1\\d{3}|3\\d{3})[- ]?\\d{3,4}[- ]?\\d{3,4}[- ]?\\d{3,5}" NUME,
     0.3, V_CARD, 0, 32, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},

    {PII_IBAN_CODE, "IBAN Generic",
     "\\b[A-Z]{2}\\d{2}[ ]?[A-Z0-9]{4}(?:[ ]?[A-Z0-9]{4}){1,7}(?:[ ]?[A-Z0-9]{1,4})?\\b",
     0.5, V_IBAN, 0, 48, 0, 0, PII_P_DIGITS},

    {PII_IP_ADDRESS, "IPv4", "(?<![\\w.])(?:\\d{1,3}\\.){3}\\d{1,3}(?!\\w|\\.\\d)",
     0.6, V_IPV4, 0, 20, 0, 0, PII_P_DIGITS},
    {PII_IP_ADDRESS, "IPv6",
     "(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,6}:(?:\\d{1,3}\\.){3}\\d{1,3}"
     "|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\\w:]|\\.\\w)",
     0.6, V_IPV6, 0, 48, 0, 0, PII_P_GATE(PII_G_COLON)},

    {PII_MAC_ADDRESS, "MAC (colon)", "(?<![\\w:\\-])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![\\w:\\-])",
     0.6, V_MAC, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_GATE(PII_G_COLON)},
    {PII_MAC_ADDRESS, "MAC (hyphen)", "(?<![\\w:\\-])[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?![\\w:\\-])",
     0.6, V_MAC, 0, 20, 0, 0, PII_P_SCAN_ONLY},
    {PII_MAC_ADDRESS, "MAC (Cisco)", "(?<![\\w.])[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}(?![\\w.])",
     0.6, V_MAC, 0, 16, 0, 0, PII_P_SCAN_ONLY},

    {PII_URL, "Standard Url", "\\b(?:https?|ftp|wss?)://[^\\s\"'<>()\\[\\]{}\\\\^`|]{3,500}",
     0.6, V_URL, 0, 520, 0, 0, SCAN_CASELESS | PII_P_SCAN_ONLY},
    {PII_URL, "Non schema URL",
     "(?<![\\w./])www\\.[A-Za-z0-9\\-]{1,63}(?:\\.[A-Za-z0-9\\-]{1,63}){1,6}(?:/[^\\s\"'<>()\\[\\]{}]{0,400})?",
     0.5, V_URL, 0, 900, 0, 0, PII_P_SCAN_ONLY},

    {PII_US_SSN, "SSN1 (very weak)", "\\b\\d{5}-\\d{4}\\b", 0.05, V_SSN, 0, 12, 0, 0, PII_P_DIGITS},
    {PII_US_SSN, "SSN2 (very weak)", "\\b\\d{3}-\\d{6}\\b", 0.05, V_SSN, 0, 12, 0, 0, PII_P_DIGITS},
    {PII_US_SSN, "SSN4 (very weak)", "\\b\\d{9}\\b", 0.05, V_SSN, 0, 12, 0, 0, PII_P_DIGITS},
    {PII_US_SSN, "SSN5 (medium)", "\\b\\d{3}[- .]\\d{2}[- .]\\d{4}\\b", 0.5, V_SSN, 0, 12, 0, 0, PII_P_DIGITS},

    {PII_US_ITIN, "Itin (very weak)",
     "\\b9\\d{2}[- ]" ITIN_MID "\\d{4}\\b|\\b9\\d{2}" ITIN_MID "[- ]\\d{4}\\b",
     0.05, V_NONE, 0, 12, 0, 0, PII_P_DIGITS},
    {PII_US_ITIN, "Itin (weak)", "\\b9\\d{2}" ITIN_MID "\\d{4}\\b", 0.3, V_NONE, 0, 12, 0, 0, PII_P_DIGITS},
    {PII_US_ITIN, "Itin (medium)", "\\b9\\d{2}[- ]" ITIN_MID "[- ]\\d{4}\\b", 0.5, V_NONE, 0, 12, 0, 0, PII_P_DIGITS},

    {PII_US_PASSPORT, "Passport (very weak)", "\\b\\d{9}\\b", 0.05, V_NONE, 0, 12, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_US_PASSPORT, "Passport Next Generation (very weak)", "\\b[A-Z]\\d{8}\\b", 0.1, V_NONE, 0, 12, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},

    {PII_US_BANK_NUMBER, "Bank Account (weak)", "\\b\\d{8,17}\\b", 0.05, V_NONE, 0, 20, 0, 0, PII_P_DIGITS},

    {PII_US_DRIVER_LICENSE, "Driver License - Alphanumeric (weak)",
     "\\b(?:[A-Z]\\d{3,14}|[A-Z]{2}\\d{3,7}|\\d{2}[A-Z]{3}\\d{5,6}|\\d{9}[A-Z]|[A-Z]{2}\\d{6}[A-Z]"
     "|\\d{8}[A-Z]{2}|\\d{3}[A-Z]{2}\\d{4}|\\d{7,8}[A-Z])\\b",
     0.3, V_NONE, 0, 20, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},
    {PII_US_DRIVER_LICENSE, "Driver License - Digits (very weak)", "\\b(?:\\d{6,14}|\\d{16})\\b",
     0.01, V_NONE, 0, 20, 0, 0, PII_P_DIGITS},

    {PII_UK_NHS, "NHS (medium)", NUMB "\\d{3}[- ]?\\d{3}[- ]?\\d{4}" NUME, 0.5, V_NHS, 0, 16, 0, 0, PII_P_SCAN_ONLY | PII_P_DIGITS},

    {PII_CRYPTO, "Crypto (Medium)", "\\b(?:bc1|BC1|[13])[a-zA-HJ-NP-Z0-9]{25,59}\\b",
     0.5, V_BTC, 0, 64, 0, 0, 0},
    {PII_CRYPTO, "Ethereum address", "\\b0x[0-9a-fA-F]{40}\\b", 0.5, V_ETH, 0, 44, 0, 0, 0},

    {PII_DATE_TIME, "ISO 8601",
     DB "\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])(?:[T ](?:[01]\\d|2[0-3]):[0-5]\\d"
     "(?::[0-5]\\d(?:\\.\\d{1,9})?)?(?:Z|[+\\-]\\d{2}:?\\d{2})?)?" DE,
     0.6, V_NONE, 0, 40, 0, 0, PII_P_SCAN_ONLY},
    {PII_DATE_TIME, "mm/dd/yyyy or mm/dd/yy",
     DB "(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\\d|3[01])/(?:\\d{4}|\\d{2})" DE, 0.6, V_NONE, 0, 12, 0, 0, PII_P_SCAN_ONLY},
    {PII_DATE_TIME, "dd/mm/yyyy or dd.mm.yyyy",
     DB "(?:0?[1-9]|[12]\\d|3[01])([/.\\-])(?:0?[1-9]|1[0-2])[/.\\-](?:\\d{4}|\\d{2})" DE,
     0.6, V_NONE, 0, 12, 0, 0, PII_P_SCAN_ONLY},
    {PII_DATE_TIME, "yyyy/mm/dd", DB "\\d{4}/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\\d|3[01])" DE,
     0.6, V_NONE, 0, 12, 0, 0, PII_P_SCAN_ONLY},
    {PII_DATE_TIME, "mm-dd-yyyy", DB "(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\\d|3[01])-\\d{4}" DE,
     0.6, V_NONE, 0, 12, 0, 0, PII_P_SCAN_ONLY},
    {PII_DATE_TIME, "Month dd, yyyy",
     "\\b" MONTHS "\\.? (?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?,? \\d{4}\\b", 0.6, V_NONE, 0, 32, 0, 0, PII_P_SCAN_ONLY},
    {PII_DATE_TIME, "dd Month yyyy",
     "\\b(?:0?[1-9]|[12]\\d|3[01]) " MONTHS "\\.?,? \\d{4}\\b", 0.6, V_NONE, 0, 32, 0, 0, PII_P_SCAN_ONLY},
    {PII_DATE_TIME, "dd-MMM-yyyy", "\\b(?:0?[1-9]|[12]\\d|3[01])-" MONTHS "-(?:\\d{4}|\\d{2})\\b",
     0.6, V_NONE, 0, 24, 0, 0, PII_P_SCAN_ONLY},

    {PII_PERSON, "Title and name",
     "\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\\.? (" NAME_WORD "(?: " NAME_WORD ")?)",
     0.6, V_NONE, 1, 64, 0, 0, 0},

    {PII_INTERNAL_HOST, "Internal host name",
     "(?<![\\w.\\-])(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?\\.){1,8}"
     "(?:internal|corp|local|lan|intranet|localdomain|home\\.arpa)(?![\\w\\-(]|\\.[A-Za-z0-9])",
     1.0, V_HOST, 0, 560, 0, 0, SCAN_CASELESS},
    {PII_CONNECTION_STRING, "Connection string with credentials",
     "\\b[A-Za-z][A-Za-z0-9+.\\-]{1,30}://[^\\s:/@\"'<>]{0,128}:[^\\s@\"'<>/]{1,256}@[^\\s\"'<>/:@]{1,255}"
     "(?::\\d{1,5})?(?:/[^\\s\"'<>]{0,512})?",
     1.0, V_CONN, 0, 1300, 0, 0, 0},
};

#define NSTATIC (sizeof pats / sizeof *pats)
#define PAT_NAMES NSTATIC          /* the first-name list pattern */
#define NPATS (NSTATIC + 1 + pii_presidio_npats) /* then Presidio's own patterns */

static const pii_pat names_pat = {PII_PERSON, "Name list", NULL, 0.4, V_NAME, 0, 64, 0, 0, 0};

static const pii_pat *pat_at(size_t k)
{
    return k < NSTATIC ? &pats[k] : k == NSTATIC ? &names_pat : &pii_presidio_pats[k - NSTATIC - 1];
}

/* Context words (Presidio's, plus a few for code: split identifiers
 * like phone_number and customerEmail give "phone", "number", ...). */
static const char *const ctx_words[PII_NENTITIES][16] = {
    [PII_EMAIL_ADDRESS] = {"email", "mail", "e-mail", NULL},
    [PII_PHONE_NUMBER] = {"phone", "number", "telephone", "tel", "cell", "cellphone", "mobile",
                          "call", "fax", "contact", NULL},
    [PII_CREDIT_CARD] = {"credit", "card", "visa", "mastercard", "cc", "amex", "discover", "jcb",
                         "diners", "maestro", "instapayment", NULL},
    [PII_IBAN_CODE] = {"iban", "bank", "transaction", NULL},
    [PII_IP_ADDRESS] = {"ip", "ipv4", "ipv6", "addr", NULL},
    [PII_MAC_ADDRESS] = {"mac", "hardware", "ethernet", "nic", "wifi", NULL},
    [PII_URL] = {"url", "website", "link", NULL},
    [PII_US_SSN] = {"social", "security", "ssn", "ssns", "ss", "ssid", NULL},
    [PII_US_ITIN] = {"individual", "taxpayer", "itin", "tax", "payer", "taxid", "tin", NULL},
    [PII_US_PASSPORT] = {"us", "united", "states", "passport", "travel", "document", NULL},
    [PII_US_BANK_NUMBER] = {"bank", "check", "account", "acct", "save", "debit", NULL},
    [PII_US_DRIVER_LICENSE] = {"driver", "license", "licence", "permit", "lic", "identification",
                               "dls", "cdls", "driving", NULL},
    [PII_UK_NHS] = {"nhs", "health", "national", "service", "authority", NULL},
    [PII_CRYPTO] = {"wallet", "btc", "bitcoin", "crypto", "eth", "ethereum", NULL},
    [PII_DATE_TIME] = {"date", "birthday", "dob", "born", "birth", "birthdate", NULL},
    [PII_PERSON] = {"name", "dear", "customer", "patient", "client",
                    "employee", "user", "contact", "author", "by", "hi", "hello"},
};
static const char *const ctx_person_more[] = {"firstname", "lastname", "fullname", "surname",
                                              "regards", "sincerely", "signed", "from", "thanks",
                                              "owner", "manager", NULL};

/* ---- the engine ---------------------------------------------------------- */

struct pii {
    unsigned mask;
    double threshold;
    unsigned flags;            /* PII_OPEN_* */
    int *active;               /* per pattern (NPATS) */
    pcre2_code **re;
    char **src;                /* patterns with "@TLDS@" expanded (else NULL) */
    pii_words stop;            /* spaCy's stop words (Presidio's context rule) */
    pii_words tlds;            /* the Public Suffix List's TLDs (Presidio's e-mail check) */
    pii_words first, last;     /* name sets */
    uint64_t name_lens[26][32];/* bit l of [c - 'A'][b & 31]: a first name of l bytes starts
                                * with c, then b (b 0 for a name of one byte) */
    unsigned char (*alpha)[32];/* per pattern: the bytes a match can hold (pii_pat_alphabet) */
    unsigned char (*lead)[32]; /* per pattern: pii_lead_class, or none */
    scan_db *db;               /* own database (pii_find) */
    unsigned char *gate_of;    /* per pattern: its gate (PII_G_*), PII_G_NONE: none */
    unsigned char *group;      /* and its group in the gate */
    scan_db *gdb[PII_NGATES][PII_GATE_GROUPS]; /* each group's own database */
    pii_gate gate[PII_NGATES]; /* where they can match (pii_gate_ranges) */
    pii_work *w;               /* the state of pii_find and pii_find_shared */
    pii_phone *phone;          /* Presidio profile: its PhoneRecognizer (pii_phone.c) */
};

/* What one find_with call writes: a thread of its own for each caller
 * that runs beside others (redact's workers); the rest of a pii is only
 * read once it is open. */
struct pii_work {
    scan_scratch *sc;          /* for p->db */
    scan_scratch *gsc[PII_NGATES][PII_GATE_GROUPS]; /* for p->gdb */
    pii_ranges ranges[PII_GATE_GROUPS]; /* the ranges a gate keeps */
    scan_gather gather;        /* and their bytes, end to end */
    scan_hits hits;
};

pii_work *pii_work_new(const pii *p)
{
    pii_work *w = xcalloc(1, sizeof *w);
    w->hits.defer = 1; /* find_with sorts once after all its scans */
    int bad = p->db && !(w->sc = scan_scratch_new(p->db));
    for (int g = 0; g < PII_NGATES; g++)
        for (int q = 0; q < PII_GATE_GROUPS; q++)
            if (p->gdb[g][q] && !(w->gsc[g][q] = scan_scratch_new(p->gdb[g][q]))) bad = 1;
    if (bad) {
        pii_work_free(w);
        return NULL;
    }
    return w;
}

void pii_work_free(pii_work *w)
{
    if (!w) return;
    scan_hits_free(&w->hits);
    scan_scratch_free(w->sc);
    for (int g = 0; g < PII_NGATES; g++)
        for (int q = 0; q < PII_GATE_GROUPS; q++) scan_scratch_free(w->gsc[g][q]);
    for (int q = 0; q < PII_GATE_GROUPS; q++) free(w->ranges[q].v);
    scan_gather_free(&w->gather);
    free(w);
}

static int has_ctx_words(pii_entity e) { return (unsigned)e < PII_NPUBLIC && ctx_words[e][0]; }

/* A score raised by a context word (Presidio's enhancer: +0.35, at least 0.4). */
static double ctx_boost(double s) { return fmin(1.0, fmax(s + 0.35, 0.4)); }

/* redact wants only "at the threshold or not": a context word cannot
 * change that when the score is there already or cannot get there. */
static int ctx_moot(const pii *p, double s)
{
    return (p->flags & PII_OPEN_ANY_CONTEXT) &&
           (s + 1e-9 >= p->threshold || ctx_boost(s) + 1e-9 < p->threshold);
}

/* The best score a pattern can reach: 1.0 through a validator, else its
 * base score raised by context. */
static double pat_reach(const pii_pat *pt)
{
    switch (pt->valid) {
    case V_EMAIL: case V_CARD: case V_IBAN: case V_NHS: case V_BTC: case V_ETH:
        return 1.0;
    default: break;
    }
    double s = pt->score;
    if (has_ctx_words(pt->ent) && s < 1.0) s = ctx_boost(s);
    return s;
}

/* One word a line (no '#' comments, trailing blanks cut) into w, indexed. */
static void load_words(const char *data, size_t len, pii_words *w)
{
    size_t cap = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        size_t l = (size_t)(e - p);
        while (l && (p[l - 1] == '\r' || p[l - 1] == ' ')) l--;
        if (l && p[0] != '#') {
            XGROW(w->v, cap, w->n + 1);
            w->v[w->n++] = xstrndup(p, l);
        }
        p = e + 1;
    }
    pii_words_index(w);
}

static vg_status add_set(const pii *p, scan_db *db, int set, diag_list *d);
static int gate_of(const pii *p, size_t k);

/* Are the patterns of gate g's databases (PII_G_NONE: the whole block's
 * pass) given to Hyperscan cut (scan_trim)?  pii_open reads the shapes
 * of what add_set gives.  Cut, a connection string is one hit, not one
 * per byte of its host; not the digit gate's: cut, its patterns cost
 * Hyperscan 10% more (50% in the short-run group) over the digit runs. */
static int cut_in(int g) { return g != PII_G_DIGITS; }

static const char *pat_re(const pii *p, size_t k)
{
    return p->src[k] ? p->src[k] : pat_at(k)->re;
}

vg_status pii_open(unsigned mask, double threshold, unsigned flags, pii **out, diag_list *d)
{
    pii *p = xcalloc(1, sizeof *p);
    p->mask = mask ? mask : PII_DEFAULT_MASK;
    p->threshold = threshold;
    p->flags = flags;
    p->active = xcalloc(NPATS, sizeof *p->active);
    p->re = xcalloc(NPATS, sizeof *p->re);
    p->src = xcalloc(NPATS, sizeof *p->src);
    p->alpha = xcalloc(NPATS, sizeof *p->alpha);
    p->lead = xcalloc(NPATS, sizeof *p->lead);
    p->gate_of = xcalloc(NPATS, 1);
    p->group = xcalloc(NPATS, 1);
    int pres = (flags & PII_OPEN_PRESIDIO) != 0;
    char *alt = NULL;
    if (flags & (PII_OPEN_PRESIDIO | PII_OPEN_ANY_CONTEXT)) {
        pii_presidio_init();
        load_words(EMBED_DATA(pii_stop_words_txt), EMBED_SIZE(pii_stop_words_txt), &p->stop);
        load_words(EMBED_DATA(pii_email_tlds_txt), EMBED_SIZE(pii_email_tlds_txt), &p->tlds);
    }
    for (size_t k = 0; k < NPATS; k++) {
        const pii_pat *pt = pat_at(k);
        if (!(p->mask & PII_BIT(pt->ent))) continue;
        if (k > NSTATIC ? !pres : pres && (pt->flags & PII_P_SCAN_ONLY)) continue;
        if (pat_reach(pt) + 1e-9 < threshold) continue;
        p->active[k] = 1;
        if (k == PAT_NAMES) continue;
        if (strstr(pt->re, "@TLDS@")) {
            if (!alt) alt = pii_tld_alternation();
            p->src[k] = pii_expand_tlds(pt->re, alt);
        }
        int err;
        PCRE2_SIZE eoff;
        p->re[k] = pcre2_compile((PCRE2_SPTR)pat_re(p, k), PCRE2_ZERO_TERMINATED,
                                 PCRE2_USE_OFFSET_LIMIT |
                                     ((pt->flags & SCAN_CASELESS) ? PCRE2_CASELESS : 0), &err, &eoff,
                                 NULL);
        if (!p->re[k]) {
            PCRE2_UCHAR msg[128];
            pcre2_get_error_message(err, msg, sizeof msg);
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "pii pattern '%s': %s at %zu", pt->name,
                     (const char *)msg, (size_t)eoff);
            free(alt);
            pii_close(p);
            return VG_ERR_INTERNAL;
        }
        pcre2_jit_compile(p->re[k], PCRE2_JIT_COMPLETE);
        pii_pat_alphabet(pat_re(p, k), (pt->flags & SCAN_CASELESS) != 0, p->alpha[k]);
        pii_lead_class(pat_re(p, k), (pt->flags & SCAN_CASELESS) != 0, p->alpha[k], p->lead[k]);
    }
    free(alt);
    if (pres && (p->mask & PII_BIT(PII_PHONE_NUMBER)) && pii_phone_open(threshold, &p->phone, d)) {
        pii_close(p);
        return VG_ERR_INTERNAL;
    }
    if (p->active[PAT_NAMES] || (p->mask & PII_BIT(PII_PERSON))) {
        load_words(EMBED_DATA(pii_first_names_txt), EMBED_SIZE(pii_first_names_txt), &p->first);
        load_words(EMBED_DATA(pii_last_names_txt), EMBED_SIZE(pii_last_names_txt), &p->last);
    }
    if (p->active[PAT_NAMES]) {
        for (size_t i = 0; i < p->first.n; i++) {
            size_t l = strlen(p->first.v[i]);
            const unsigned char *w = (const unsigned char *)p->first.v[i];
            if (w[0] >= 'A' && w[0] <= 'Z' && l < 64)
                p->name_lens[w[0] - 'A'][w[1] & 31] |= 1ull << l;
        }
        if (!p->first.n) p->active[PAT_NAMES] = 0;
    }
    for (int g = 0; g < PII_NGATES; g++) pii_gate_init(&p->gate[g], g);
    for (size_t k = 0; k < NPATS; k++) {
        int g = gate_of(p, k);
        if (!p->active[k] || k == PAT_NAMES || g == PII_G_NONE) continue;
        /* the shape of what Hyperscan is given (add_set), which can be
         * shorter than the PCRE2 form (scan_trim) */
        char *hs = pii_strip_lookaround(pat_re(p, k));
        char *wide = scan_widen_repeats(hs, SCAN_WIDEN_LIMIT);
        int ci = (pat_at(k)->flags & SCAN_CASELESS) != 0;
        pii_shape sh;
        pii_pat_shape(wide, ci, &sh);
        int q = pii_gate_group(&p->gate[g], &sh);
        if (cut_in(g)) {
            scan_trim(wide);
            pii_pat_shape(wide, ci, &sh);
        }
        free(wide);
        free(hs);
        if (!pii_gate_fits(&p->gate[g], &sh)) continue; /* the whole block's pass */
        if (g == PII_G_DIGITS && pii_zero_start(pat_re(p, k))) sh.n[PII_K_ZERO] = 1;
        p->gate_of[k] = (unsigned char)g;
        p->group[k] = (unsigned char)q;
        pii_gate_add(&p->gate[g], p->alpha[k], &sh, p->group[k]);
    }
    if (flags & PII_OPEN_OWN_DB) {
        int shared = (flags & PII_OPEN_SHARED) != 0;
        p->db = shared ? NULL : scan_db_new();
        vg_status rc = shared ? VG_OK : add_set(p, p->db, PII_G_NONE, d);
        for (int g = PII_G_NONE + 1; g < PII_NGATES && !rc; g++)
            for (int q = 0; q < PII_GATE_GROUPS && !rc; q++) {
                scan_db **gd = &p->gdb[g][q];
                *gd = scan_db_new();
                rc = add_set(p, *gd, PII_GATE_GROUPS * g + q, d);
                if (!rc) rc = scan_db_compile(*gd, NULL, d);
                if (!rc && !scan_db_count(*gd)) {
                    scan_db_free(*gd);
                    *gd = NULL;
                }
            }
        if (!rc && p->db) rc = scan_db_compile(p->db, NULL, d);
        if (!rc && !(p->w = pii_work_new(p))) rc = VG_ERR_INTERNAL;
        if (rc) {
            pii_close(p);
            return rc;
        }
    }
    *out = p;
    return VG_OK;
}

void pii_close(pii *p)
{
    if (!p) return;
    for (size_t k = 0; k < NPATS; k++) {
        if (p->re[k]) pcre2_code_free(p->re[k]);
        free(p->src[k]);
    }
    free(p->re);
    free(p->src);
    free(p->active);
    pii_words_free(&p->stop);
    pii_words_free(&p->tlds);
    pii_words_free(&p->first);
    pii_words_free(&p->last);
    free(p->alpha);
    free(p->lead);
    free(p->gate_of);
    free(p->group);
    pii_work_free(p->w);
    scan_db_free(p->db);
    pii_phone_close(p->phone);
    for (int g = 0; g < PII_NGATES; g++)
        for (int q = 0; q < PII_GATE_GROUPS; q++) scan_db_free(p->gdb[g][q]);
    free(p);
}

/* The gate pattern k asks for (PII_P_GATE; none when a match can hold a
 * line end); pii_open keeps it only when the pattern's shape fits. */
static int gate_of(const pii *p, size_t k)
{
    unsigned g = PII_P_GATE_OF(pat_at(k)->flags);
    return g < PII_NGATES && !pii_in_set(p->alpha[k], '\n') ? (int)g : PII_G_NONE;
}

/* Add the active patterns to db: all (set -1), the ungated (PII_G_NONE) or
 * those of group q of gate g (PII_GATE_GROUPS * g + q). */
static vg_status add_set(const pii *p, scan_db *db, int set, diag_list *d)
{
    for (size_t k = 0; k < NPATS; k++) {
        if (!p->active[k] || k == PAT_NAMES) continue; /* names: find_names, no Hyperscan */
        if (set == PII_G_NONE && p->gate_of[k] != PII_G_NONE) continue;
        if (set > PII_G_NONE && PII_GATE_GROUPS * p->gate_of[k] + p->group[k] != set) continue;
        const pii_pat *pt = pat_at(k);
        const char *re = pat_re(p, k);
        char what[96];
        snprintf(what, sizeof what, "pii:%s (%s)", entity_names[pt->ent], pt->name);
        int gate = set > PII_G_NONE ? set / PII_GATE_GROUPS : PII_G_NONE;
        unsigned fl = (pt->flags & SCAN_CASELESS) | SCAN_WIDEN | (cut_in(gate) ? SCAN_TRIM : 0);
        /* Hyperscan gets the pattern without its lookarounds: a superset
         * that compiles exactly and scans faster than a prefilter; PCRE2
         * confirms with them. */
        char *hs = pii_strip_lookaround(re);
        vg_status rc = scan_db_add(db, SCAN_FAM_PII, hs, fl, (uint32_t)k, what, NULL, d);
        free(hs);
        if (rc) return rc;
    }
    return VG_OK;
}

vg_status pii_add_patterns(const pii *p, scan_db *db, diag_list *d)
{
    return add_set(p, db, (p->flags & PII_OPEN_SHARED) ? PII_G_NONE : -1, d);
}

/* ---- confirmation -------------------------------------------------------- */

typedef struct mvec {
    pii_match *v;
    size_t n, cap;
} mvec;

static int is_word(unsigned char c) { return isalnum(c) || c == '_'; }

/* Is one of e's context words among the five words before `start`?
 * Words are runs of letters and digits; identifiers split at '_' and at
 * lower-to-upper case changes (customerPhone -> customer, phone). */
static int context_hit(const unsigned char *d, size_t start, pii_entity e)
{
    if (!has_ctx_words(e)) return 0;
    size_t from = start > PII_CONTEXT_BACK ? start - PII_CONTEXT_BACK : 0;
    /* read back from start: a word ends where reading forward ends it (at
     * a byte not a letter or digit, or a capital after a small letter), so
     * these are the last five words; one cut by `from` is none, and the
     * first */
    size_t i = start;
    for (int nw = 0; nw < 5; nw++) {
        while (i > from && !isalnum(d[i - 1])) i--;
        if (i == from) return 0;
        size_t we = i--;
        while (i > from && isalnum(d[i - 1]) && !(isupper(d[i]) && islower(d[i - 1]))) i--;
        if (i == from && from > 0 && isalnum(d[from - 1])) return 0; /* partial word */
        char w[24];
        size_t l = we - i < sizeof w ? we - i : sizeof w - 1;
        for (size_t j = 0; j < l; j++) w[j] = (char)tolower(d[i + j]);
        w[l] = 0;
        for (int j = 0; j < 16 && ctx_words[e][j]; j++)
            if (w[0] == ctx_words[e][j][0] && !strcmp(w, ctx_words[e][j])) return 1;
        if (e == PII_PERSON)
            for (int j = 0; ctx_person_more[j]; j++)
                if (w[0] == ctx_person_more[j][0] && !strcmp(w, ctx_person_more[j])) return 1;
    }
    return 0;
}

/* The context rule of the engine's profile: Presidio's, the scan's, or
 * (redact) either. */
static int ctx_hit(const pii *p, const unsigned char *d, size_t len, size_t start, pii_entity e)
{
    int any = (p->flags & PII_OPEN_ANY_CONTEXT) != 0;
    if (!(p->flags & PII_OPEN_PRESIDIO) || any)
        if (context_hit(d, start, e)) return 1;
    return (p->flags & (PII_OPEN_PRESIDIO | PII_OPEN_ANY_CONTEXT)) &&
           pii_presidio_context(&p->stop, d, len, start, e);
}

static const char *lower_copy(char *out, size_t cap, const char *s, size_t n)
{
    size_t k = 0;
    for (; k + 1 < cap && k < n; k++) out[k] = (char)tolower((unsigned char)s[k]);
    out[k] = 0;
    return out;
}

/* Validate one candidate and append it when it survives.  bs..be is the
 * entity span. */
static void consider(const pii *p, size_t k, const unsigned char *d, size_t len, size_t bs,
                     size_t be, mvec *out)
{
    const pii_pat *pt = pat_at(k);
    double score = pt->score;
    unsigned flags = 0;
    const char *s = (const char *)d + bs;
    size_t n = be - bs;
    char dig[48], tld[64];
    int pres = (p->flags & PII_OPEN_PRESIDIO) != 0;
    switch (pt->valid) {
    case V_NONE: break;
    case V_EMAIL: {
        const char *at = memchr(s, '@', n);
        if (!at) return;
        const char *dom = at + 1;
        size_t dn = (size_t)(s + n - dom);
        const char *dot = NULL;
        for (size_t i = dn; i-- > 0;)
            if (dom[i] == '.') { dot = dom + i; break; }
        size_t tl = dot ? (size_t)(s + n - dot - 1) : 0;
        if (!dot || !(pres ? pii_words_has(&p->tlds, lower_copy(tld, sizeof tld, dot + 1, tl), tl)
                           : pii_known_tld(dot + 1, tl)))
            return;
        if (pii_doc_host(dom, dn)) flags |= PII_F_DOC;
        score = 1.0;
        break;
    }
    case V_PHONE_INTL:
        if (!pii_phone_intl_ok(d + bs, n, &flags)) return;
        break;
    case V_PHONE_NANP: {
        size_t m = pii_digits_of(d + bs, n, dig, sizeof dig);
        if (!pii_nanp_ok(dig, m, &flags)) return;
        break;
    }
    case V_PHONE_UK: {
        size_t m = pii_digits_of(d + bs, n, dig, sizeof dig);
        if (m < 10 || m > 11 || dig[0] != '0' || !strchr("1235789", dig[1])) return;
        if (pii_uk_doc(dig + 1)) flags |= PII_F_DOC;
        break;
    }
    case V_DIGITS: {
        size_t m = pii_digits_of(d + bs, n, dig, sizeof dig);
        if (m < pt->lo || m > pt->hi) return;
        break;
    }
    case V_CARD: {
        size_t m = pii_digits_of(d + bs, n, dig, sizeof dig);
        if (!pii_luhn(s, n)) return;
        if (!pres) { /* the scan's: constants and bare UATP-like numbers are not cards */
            if (m < 13 || m > 19 || (m == 13 && dig[0] == '1') || pii_numeric_constant(dig)) return;
            if (dig[0] == '1' && !context_hit(d, bs, PII_CREDIT_CARD)) return;
        }
        if (pii_test_card(dig)) flags |= PII_F_TEST_CARD;
        score = 1.0;
        break;
    }
    case V_IBAN: {
        int want = pii_iban_length(s);
        if (!want) return;
        size_t i = 0;
        int got = 0;
        char c[40];
        while (i < n && got < want) {
            if (isalnum((unsigned char)s[i])) c[got++] = s[i];
            i++;
        }
        if (got < want || (i < n && isalnum((unsigned char)s[i]))) return;
        be = bs + i;
        n = i;
        if (!pii_iban_valid(s, n)) return;
        c[got] = 0;
        if (pii_doc_iban(c)) flags |= PII_F_DOC;
        score = 1.0;
        break;
    }
    case V_IPV4: {
        uint8_t a[4];
        if (!pii_ipv4_parse(s, n, a)) return;
        if ((a[0] == 192 && a[1] == 0 && a[2] == 2) || (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
            (a[0] == 203 && a[1] == 0 && a[2] == 113))
            flags |= PII_F_DOC;
        else if (a[0] == 127 || a[0] == 0 || (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255))
            flags |= PII_F_LOCAL;
        else if (pii_private_v4(a))
            flags |= PII_F_PRIVATE;
        else if (a[0] < 10 && a[1] < 10 && a[2] < 10 && a[3] < 10)
            flags |= PII_F_DOC | PII_F_DIGITS4; /* 1.2.3.4, 3.1.0.2: versions, sections */
        break;
    }
    case V_IPV6: {
        uint8_t a[16];
        if (!pii_ipv6_parse(s, n, a)) return;
        int groups = 0, longest = 0, cur = 0;
        for (size_t i = 0; i <= n; i++) {
            if (i == n || s[i] == ':') {
                if (cur) groups++;
                cur = 0;
            } else if (++cur > longest) longest = cur;
        }
        int is_loop = n == 3 && !memcmp(s, "::1", 3);
        if (!pres && !is_loop && groups < 3 && longest < 3) return;
        static const uint8_t zero[16];
        if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) flags |= PII_F_DOC;
        else if (is_loop || !memcmp(a, zero, 16)) flags |= PII_F_LOCAL;
        else if ((a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)) flags |= PII_F_PRIVATE;
        break;
    }
    case V_MAC: {
        int allz = 1, allf = 1;
        for (size_t i = 0; i < n; i++) {
            if (!isxdigit((unsigned char)s[i])) continue;
            if (s[i] != '0') allz = 0;
            if (tolower((unsigned char)s[i]) != 'f') allf = 0;
        }
        if ((allz || allf) && pres) return;   /* Presidio's invalidation */
        if (allz || allf) flags |= PII_F_LOCAL;
        break;
    }
    case V_URL: {
        be = pii_trim_punct(d, bs, be);
        n = be - bs;
        const char *h = s;
        const char *sep = memmem(s, n, "://", 3);
        if (sep) h = sep + 3;
        const char *he = h;
        while (he < s + n && !strchr("/:?#", *he)) he++;
        const char *at = memchr(h, '@', (size_t)(he - h));
        if (at) h = at + 1;
        if ((size_t)(he - h) < 3) return;
        if (pii_doc_host(h, (size_t)(he - h)) || !strncmp(h, "127.0.0.1", 9)) flags |= PII_F_DOC;
        break;
    }
    case V_SSN:
        /* the scan also drops area 9xx (ITINs, never SSNs) */
        if (pres ? pii_ssn_invalid_presidio(s, n) : pii_ssn_invalid(s, n)) return;
        break;
    case V_NHS:
        pii_digits_of(d + bs, n, dig, sizeof dig);
        if (!pii_nhs_valid(s, n)) return;
        /* the scan's: constants, and ten bare digits starting with 1 read as a
         * Unix timestamp */
        if (!pres && (pii_numeric_constant(dig) || (n == 10 && dig[0] == '1' &&
                                                 !context_hit(d, bs, PII_UK_NHS))))
            return;
        score = 1.0;
        break;
    case V_BTC:
        if (n > 3 && !strncasecmp(s, "bc1", 3) ? !pii_bech32_valid(s, n)
                                               : !pii_base58check_valid(s, n))
            return;
        score = 1.0;
        break;
    case V_ETH: {
        int r = pii_eth_checksum(s, n);
        if (r < 0) return;
        if (r > 0) score = 1.0;
        break;
    }
    case V_HOST: {
        static const char *const code_words[] = {"self.", "cls.", "this.", "threading.", "obj.",
                                                 "ctx.", "os.", "sys.", "config.", "settings.",
                                                 "request.", "req.", "window.", "module.", NULL};
        for (int i = 0; code_words[i]; i++) /* the first byte first: one host in 100 is one */
            if (s[0] == code_words[i][0] && !strncmp(s, code_words[i], strlen(code_words[i])))
                return;
        break;
    }
    case V_CONN:
        be = pii_trim_punct(d, bs, be);
        n = be - bs;
        break;
    case V_NAME: break;
    }
    if (score < 1.0 && !ctx_moot(p, score) && ctx_hit(p, d, len, bs, pt->ent))
        score = ctx_boost(score);
    if (score + 1e-9 < p->threshold) return;
    XGROW(out->v, out->cap, out->n + 1);
    out->v[out->n++] = (pii_match){pt->ent, score, bs, be, flags, pt->name};
}

/* PERSON from the first-name list: the hit ends a first name. */
static void confirm_name(const pii *p, const unsigned char *d, size_t len, size_t to, mvec *out)
{
    size_t ws = to;
    while (ws > 0 && (isalpha(d[ws - 1]) || d[ws - 1] >= 0x80)) ws--;
    if (ws == to || !isupper(d[ws])) return;
    if (ws > 0 && (is_word(d[ws - 1]) || d[ws - 1] == '@' || d[ws - 1] == '.')) return;
    if (to < len && (is_word(d[to]) || d[to] >= 0x80 || d[to] == '@')) return;
    if (!pii_words_has(&p->first, (const char *)d + ws, to - ws)) return;
    size_t end = to;
    double score = 0.15;
    /* an optional middle initial, then a capitalised word */
    size_t q = to;
    if (q + 1 < len && d[q] == ' ') {
        q++;
        if (q + 2 < len && isupper(d[q]) && d[q + 1] == '.' && d[q + 2] == ' ') q += 3;
        if (q < len && isupper(d[q])) {
            size_t ls = q;
            q++;
            while (q < len && (islower(d[q]) || d[q] >= 0x80 ||
                               ((d[q] == '-' || d[q] == '\'') && q + 1 < len && isalpha(d[q + 1]))))
                q++;
            if (q - ls >= 2 && !(q < len && (isalnum(d[q]) || d[q] == '_'))) {
                end = q;
                score = pii_words_has(&p->last, (const char *)d + ls, q - ls) ? 0.4 : 0.3;
            }
        }
    }
    if (!ctx_moot(p, score) && context_hit(d, ws, PII_PERSON)) score = ctx_boost(score);
    if (score + 1e-9 < p->threshold) return;
    XGROW(out->v, out->cap, out->n + 1);
    out->v[out->n++] = (pii_match){PII_PERSON, score, ws, end, 0, names_pat.name};
}

/* PERSON without Hyperscan: a hit of "\b(?:Aaron|...)" that confirm_name
 * accepts ends a maximal run of letters (and UTF-8 bytes) that starts with
 * a capital, and the run is the name: ask at the end of each such run. */
static void find_names(const pii *p, const unsigned char *d, size_t len, mvec *out)
{
    unsigned char run[256]; /* 1: a capital, 2: another letter or a UTF-8 byte */
    for (unsigned c = 0; c < 256; c++)
        run[c] = c >= 'A' && c <= 'Z' ? 1 : (isalpha((int)c) || c >= 0x80) ? 2 : 0;
    /* from capital to capital (most bytes are not one): a capital that
     * starts no run is inside one, which starts no name */
    size_t i = 0;
    while ((i = pii_next_in(d, i, len, 'A', 'Z')) < len) {
        size_t ws = i++;
        while (i < len && run[d[i]]) i++;
        if (ws > 0 && run[d[ws - 1]]) continue;
        if (i - ws < 64 && (p->name_lens[d[ws] - 'A'][i - ws > 1 ? d[ws + 1] & 31 : 0] >> (i - ws) & 1))
            confirm_name(p, d, len, i, out);
    }
}

static int cmp_dedup(const void *a, const void *b)
{
    const pii_match *x = a, *y = b;
    if (x->entity != y->entity) return (int)x->entity - (int)y->entity;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    size_t lx = x->end - x->start, ly = y->end - y->start;
    if (lx != ly) return lx > ly ? -1 : 1;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return 0;
}

static int cmp_pos(const void *a, const void *b)
{
    const pii_match *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return (int)x->entity - (int)y->entity;
}

/* Can a match in d[s, e), of bytes of `alpha`, pass pattern pt's
 * validator?  0 only when none can: an IPv6 address (inet_pton's) holds
 * "::" or six colons (10:05:05 in every log line: this spares PCRE2 a
 * search from each hit). */
static int may_pass(const pii_pat *pt, const unsigned char alpha[32], const unsigned char *d,
                    size_t s, size_t e)
{
    if (pt->valid != V_IPV6) return 1;
    unsigned colons = 0;
    for (size_t i = s; i < e && pii_in_set(alpha, d[i]); i++)
        if (d[i] == ':') {
            if (++colons >= 6 || (i + 1 < e && d[i + 1] == ':')) return 1;
        }
    return 0;
}

vg_status pii_confirm(const pii *p, const unsigned char *data, size_t len, const scan_hit *hits,
                      size_t nhits, pii_match **out, size_t *n)
{
    mvec mv = {0};
    size_t *done = xcalloc(NPATS, sizeof *done);
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    if (!md || !mc) {
        pcre2_match_data_free(md), pcre2_match_context_free(mc), free(done);
        return VG_ERR_NOMEM;
    }
    /* the names are found in hit order, as when they were hits of their own */
    int names = p->active[PAT_NAMES];
    for (size_t i = 0; i < nhits; i++) {
        size_t k = hits[i].id, to = (size_t)hits[i].to;
        if (names && k > PAT_NAMES) {
            find_names(p, data, len, &mv);
            names = 0;
        }
        if (k >= NPATS || !p->active[k] || to > len || k == PAT_NAMES) continue;
        if (to <= done[k] && done[k]) continue;
        const pii_pat *pt = pat_at(k);
        size_t s = to > pt->maxlen ? to - pt->maxlen : 0;
        if (s < done[k]) s = done[k];
        s = pii_alpha_start(p->alpha[k], data, s, to);
        /* the run of its bytes starts at s, after a byte its lookbehind
         * refuses: no match starts in [s, to] (an IPv6 hit in 10:05:05Z) */
        if (s > 0 && pii_in_set(p->lead[k], data[s - 1]) && !pii_in_set(p->alpha[k], data[s - 1])) {
            done[k] = to;
            continue;
        }
        size_t limit = to + pt->maxlen + 16;
        if (limit > len) limit = len;
        /* what PCRE2 finds lies in [s, limit): none passes the validator */
        if (!may_pass(pt, p->alpha[k], data, s, limit)) {
            done[k] = to;
            continue;
        }
        for (;;) {
            pcre2_set_offset_limit(mc, to); /* a failed search stops at the hit */
            int rc = pcre2_match(p->re[k], data, limit, s, 0, md, mc);
            if (rc < 0) {
                done[k] = to;
                break;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            size_t ms = ov[0], me = ov[1];
            if (ms > to) {
                done[k] = ms > to ? ms : to;
                break;
            }
            if (me <= to + pt->maxlen && !(me == limit && limit < len)) {
                size_t bs = ms, be = me;
                if (pt->group && rc > pt->group && ov[2 * pt->group] != PCRE2_UNSET) {
                    bs = ov[2 * pt->group];
                    be = ov[2 * pt->group + 1];
                }
                if (be > bs) consider(p, k, data, len, bs, be, &mv);
            }
            s = me > ms ? me : ms + 1;
            done[k] = s;
            /* at s == to on: a match that starts there ends past the hit,
             * at a hit of its own, which looks for it from here */
            if (s >= to || s >= limit) break;
        }
    }
    if (names) find_names(p, data, len, &mv);
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    free(done);
    if (p->phone) pii_phone_find(p->phone, &p->stop, data, len, &mv.v, &mv.n, &mv.cap);

    /* Presidio's remove_duplicates: drop a match contained in one of the
     * same entity with a higher or equal score.  Sorted by entity, start,
     * longest first, so containers come first; `act` holds the kept
     * matches that may still contain later ones (they end after the
     * current start), a short list since matches are short. */
    if (mv.n > 1) {
        sort_stable(mv.v, mv.n, sizeof *mv.v, cmp_dedup);
        size_t w = 0, na = 0, ca = 0, *act = NULL;
        for (size_t i = 0; i < mv.n; i++) {
            pii_match m = mv.v[i];
            if (i && m.entity != mv.v[i - 1].entity) na = 0;
            int keep = 1;
            for (size_t a = 0; a < na;) {
                const pii_match *k = &mv.v[act[a]];
                if (k->end <= m.start) {
                    act[a] = act[--na];
                    continue;
                }
                if (k->start <= m.start && k->end >= m.end && k->score >= m.score) keep = 0;
                a++;
            }
            if (!keep) continue;
            mv.v[w] = m;
            XGROW(act, ca, na + 1);
            act[na++] = w++;
        }
        free(act);
        mv.n = w;
        if (!(p->flags & PII_OPEN_BY_ENTITY)) sort_stable(mv.v, mv.n, sizeof *mv.v, cmp_pos);
    }
    *out = mv.v;
    *n = mv.n;
    return VG_OK;
}

/* The caller's hits `pre`, the own and the gated database's; confirmed. */
static vg_status find_with(pii *p, pii_work *w, const unsigned char *data, size_t len,
                           const scan_hit *pre, size_t npre, pii_match **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    scan_hits_clear(&w->hits);
    if (npre) {
        XGROW(w->hits.v, w->hits.cap, npre);
        memcpy(w->hits.v, pre, npre * sizeof *pre);
        w->hits.n = npre;
    }
    vg_status rc = p->db ? scan_buffer(p->db, w->sc, data, len, &w->hits) : VG_OK;
    for (int g = 0; g < PII_NGATES && !rc; g++) {
        int any = 0;
        for (int q = 0; q < PII_GATE_GROUPS; q++) any |= p->gdb[g][q] != NULL;
        if (!any) continue;
        pii_gate_ranges(&p->gate[g], data, len, w->ranges);
        for (int q = 0; q < PII_GATE_GROUPS && !rc; q++) {
            if (!p->gdb[g][q]) continue;
            rc = scan_buffer_gathered(p->gdb[g][q], w->gsc[g][q], data, w->ranges[q].v,
                                      w->ranges[q].n, &w->gather, &w->hits);
        }
    }
    if (rc) return rc;
    scan_hits_finish(&w->hits);
    size_t nh;
    const scan_hit *h = scan_hits_family(&w->hits, SCAN_FAM_PII, &nh);
    return pii_confirm(p, data, len, h, nh, out, n);
}

vg_status pii_find(pii *p, const unsigned char *data, size_t len, pii_match **out, size_t *n)
{
    *n = 0;
    return p->db ? find_with(p, p->w, data, len, NULL, 0, out, n) : (*out = NULL, VG_ERR_USAGE);
}

vg_status pii_find_shared(pii *p, pii_work *w, const unsigned char *data, size_t len,
                          const scan_hit *hits, size_t nhits, pii_match **out, size_t *n)
{
    *n = 0;
    if ((p->flags & PII_OPEN_SHARED) && p->w)
        return find_with(p, w ? w : p->w, data, len, hits, nhits, out, n);
    *out = NULL;
    return VG_ERR_USAGE;
}

/* ---- rules and the scan family ------------------------------------------- */

static rule_meta pii_rules[PII_NPUBLIC];
static char pii_rule_ids[PII_NPUBLIC][40];
static char pii_rule_titles[PII_NPUBLIC][64];

void pii_rules_register(void)
{
    static const char *const titles[PII_NPUBLIC] = {
        "Email address",    "Phone number",          "Credit card number", "IBAN",
        "IP address",       "MAC address",           "URL",                "US Social Security number",
        "US ITIN",          "US passport number",    "US bank account number",
        "US driver's license number", "UK NHS number", "Crypto wallet address",
        "Date or time",     "Person name"};
    for (int e = 0; e < PII_NPUBLIC; e++) {
        snprintf(pii_rule_ids[e], sizeof pii_rule_ids[e], "pii:%s", entity_names[e]);
        snprintf(pii_rule_titles[e], sizeof pii_rule_titles[e], "%s (personal data)", titles[e]);
        pii_rules[e] = (rule_meta){
            .id = pii_rule_ids[e],
            .title = pii_rule_titles[e],
            .severity = SEV_LOW,
            .confidence = CONF_MEDIUM,
            .cwe = {359, 0},
            .owasp = "A01:2021",
            .description = "Personal data in source or data files (Presidio's recognizers: "
                           "patterns, checksums and context words). A fixture full of "
                           "real-looking customer data is a GDPR problem.",
            .fix = "Replace real personal data with synthetic values (example.com addresses, "
                   "555-01xx numbers, documentation IP ranges, test card numbers), or run the "
                   "text through 'vibeguard redact'.",
            .references = "https://microsoft.github.io/presidio/supported_entities/",
            .analyzer = "pii",
        };
        registry_add(&pii_rules[e]);
    }
}

typedef struct pii_fam_state {
    pii *p;
} pii_fam_state;

static vg_status fam_init(const vg_opts *opts, int nthreads, scan_db *db, void **state,
                          diag_list *d)
{
    (void)nthreads;
    *state = NULL;
    if (!opts->pii_enabled) return VG_OK;
    unsigned mask = 0;
    for (size_t i = 0; i < opts->pii_entities.n; i++) {
        const char *bad = NULL;
        size_t bl = 0;
        unsigned m = pii_entities_parse(opts->pii_entities.v[i], &bad, &bl);
        if (!m && bad) {
            diag_add(d, DIAG_ERROR, opts->config_path, 0, 0, "unknown PII entity '%.*s'",
                     (int)bl, bad);
            return VG_ERR_USAGE;
        }
        mask |= m;
    }
    mask &= PII_ALL_PUBLIC;
    pii_fam_state *st = xcalloc(1, sizeof *st);
    vg_status rc = pii_open(mask, opts->pii_threshold, 0, &st->p, d);
    if (!rc) rc = pii_add_patterns(st->p, db, d);
    if (rc) {
        pii_close(st->p);
        free(st);
        return rc;
    }
    *state = st;
    return VG_OK;
}

static vg_status fam_file(void *state, const vg_file *f, const scan_hit *hits, size_t n,
                          vg_out *out)
{
    pii_fam_state *st = state;
    if (!st) return VG_OK;   /* no hits still leaves the names to find */
    pii_match *m = NULL;
    size_t nm = 0;
    vg_status rc = pii_confirm(st->p, f->data, f->len, hits, n, &m, &nm);
    if (rc) return rc;
    pii_doc_spans_t docs = {0};
    if (f->kind == FK_PYTHON && nm) pii_doc_spans(f->data, f->len, &docs);
    pii_credit_cache credits = {0};
    for (size_t i = 0; i < nm; i++) {
        const pii_match *x = &m[i];
        if (x->entity >= PII_NPUBLIC) continue;
        if (x->flags & (PII_F_DOC | PII_F_LOCAL | PII_F_PRIVATE)) continue;
        if ((x->flags & PII_F_TEST_CARD) && f->test_file) continue; /* test cards in tests */
        if ((x->entity == PII_EMAIL_ADDRESS || x->entity == PII_PERSON) &&
            pii_credit_line(f, x->start, &credits))
            continue;
        if (x->entity == PII_EMAIL_ADDRESS && (pii_protocol_address(f->data, x->start, x->end) ||
                                               pii_role_address(f->data, x->start, x->end) ||
                                               pii_url_userinfo(f->data, x->start)))
            continue;
        /* code explained, not data held: a sample address or host in a
         * docstring; identifiers that pass a checksum stay reported there */
        if (docs.n && (PII_BIT(x->entity) & PII_DOC_ENTITIES) && pii_in_doc(&docs, x->start))
            continue;
        finding *fd = out_add_span(out, f, pii_rule_ids[x->entity], x->start, x->end,
                                   "%s (score %.2f)", pii_rule_titles[x->entity], x->score);
        if (!fd) continue;
        finding_mask(fd, f, x->start, x->end);
        fd->confidence = x->score >= 0.85 ? CONF_HIGH : x->score >= 0.5 ? CONF_MEDIUM : CONF_LOW;
        char sc[16];
        snprintf(sc, sizeof sc, "%.2f", x->score);
        finding_set_prop(fd, "score", sc);
        finding_set_prop(fd, "entity", entity_names[x->entity]);
    }
    free(docs.v);
    free(m);
    return VG_OK;
}

static void fam_fini(void *state)
{
    pii_fam_state *st = state;
    if (!st) return;
    pii_close(st->p);
    free(st);
}

const text_family pii_family = {"pii", SCAN_FAM_PII, fam_init, fam_file, fam_fini};
