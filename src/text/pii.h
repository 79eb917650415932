/* pii.h - personal data (PII) recognizers, validators and scoring.
 *
 * The entity names and base scores are Presidio's, so users can switch
 * between the two: a recognizer pattern gives a base score, a validator
 * (Luhn, mod-97, NHS checksum, Base58Check/bech32, ...) either rejects the
 * match or raises it to 1.0, and a context word among the five words
 * before a match raises the score by 0.35 (to at least 0.4).  PERSON is
 * found from name lists (data/pii_first_names.txt, pii_last_names.txt)
 * and titles; it stays low (< 0.5) without context.
 *
 * Three redact-only types (PRIVATE_IP is an IP_ADDRESS flag instead):
 * INTERNAL_HOST (*.internal, *.corp, *.local, *.lan, ...) and
 * CONNECTION_STRING (scheme://user:password@host) are never reported by
 * `pii` or `scan`; they exist for `redact`.
 *
 * Two ways in, like secrets.h:
 *   - inside a scan: `pii_family` (scan.h) adds the patterns to the one
 *     Hyperscan database and turns confirmed matches into pii:<ENTITY>
 *     findings (documentation values stay silent);
 *   - outside a scan (`pii`, `redact`): pii_open + pii_find on any bytes.
 */
#ifndef VG_PII_H
#define VG_PII_H

#include <stddef.h>
#include <stdint.h>

#include "../core/diag.h"
#include "../core/status.h"
#include "scan.h"

typedef enum pii_entity {
    PII_EMAIL_ADDRESS = 0,
    PII_PHONE_NUMBER,
    PII_CREDIT_CARD,
    PII_IBAN_CODE,
    PII_IP_ADDRESS,
    PII_MAC_ADDRESS,
    PII_URL,
    PII_US_SSN,
    PII_US_ITIN,
    PII_US_PASSPORT,
    PII_US_BANK_NUMBER,
    PII_US_DRIVER_LICENSE,
    PII_UK_NHS,
    PII_CRYPTO,
    PII_DATE_TIME,
    PII_PERSON,
    PII_NPUBLIC,                 /* entities above are Presidio's */
    PII_INTERNAL_HOST = PII_NPUBLIC,
    PII_CONNECTION_STRING,
    PII_NENTITIES
} pii_entity;

#define PII_BIT(e) (1u << (e))

/* ---- where a match sits (pii_where.c), for the scan only ---- */

typedef struct vg_file vg_file;

/* Is the line of byte `at` a credit (copyright, author, __email__, ...)?
 * cc remembers the last line judged: many matches on a line cost one look. */
typedef struct pii_credit_cache {
    int line;    /* the line last judged (0: none) */
    int verdict;
} pii_credit_cache;
int pii_credit_line(const vg_file *f, size_t at, pii_credit_cache *cc);

/* An address that names a protocol item (aes128-gcm@openssh.com, git@host). */
int pii_protocol_address(const unsigned char *d, size_t start, size_t end);
/* Is the address at d[start, end) a role or system address (noreply@,
 * support@, none@), which names no person? */
int pii_role_address(const unsigned char *d, size_t start, size_t end);
/* Does the address starting at d[start] follow "scheme://user:", so that
 * it is the password and host of a URL? */
int pii_url_userinfo(const unsigned char *d, size_t start);

/* Comments and docstrings of a Python file as sorted start/end pairs (v is
 * the caller's to free); pii_in_doc: is byte `at` inside one? */
typedef struct pii_doc_spans_t {
    size_t *v;
    size_t n, cap;
} pii_doc_spans_t;
void pii_doc_spans(const unsigned char *p, size_t len, pii_doc_spans_t *d);
int pii_in_doc(const pii_doc_spans_t *d, size_t at);

/* The entities a docstring or comment explains rather than holds; numbers
 * that pass a checksum are not among them. */
#define PII_DOC_ENTITIES                                                                 \
    (PII_BIT(PII_EMAIL_ADDRESS) | PII_BIT(PII_PERSON) | PII_BIT(PII_IP_ADDRESS) |          \
     PII_BIT(PII_URL) | PII_BIT(PII_DATE_TIME) | PII_BIT(PII_PHONE_NUMBER) |                 \
     PII_BIT(PII_MAC_ADDRESS))
/* Defaults: every public entity but URL and DATE_TIME (noise in code). */
#define PII_DEFAULT_MASK                                                       \
    (((1u << PII_NPUBLIC) - 1) & ~PII_BIT(PII_URL) & ~PII_BIT(PII_DATE_TIME))
#define PII_ALL_PUBLIC ((1u << PII_NPUBLIC) - 1)
#define PII_INFRA_MASK (PII_BIT(PII_INTERNAL_HOST) | PII_BIT(PII_CONNECTION_STRING))

const char *pii_entity_name(pii_entity e);   /* "EMAIL_ADDRESS" */
int pii_entity_parse(const char *name);      /* -1 when unknown (case-insensitive) */
/* Parse "A,B,C" into a mask; 0 with *bad set to the first unknown name. */
unsigned pii_entities_parse(const char *list, const char **bad, size_t *badlen);

/* Flags of a match. */
#define PII_F_DOC       0x01u /* documentation value (example.com, 555-01xx, 192.0.2.0/24, ...) */
#define PII_F_TEST_CARD 0x02u /* a published test card number */
#define PII_F_PRIVATE   0x04u /* private/link-local/ULA IP address (internal infrastructure) */
#define PII_F_LOCAL     0x08u /* loopback / unspecified / broadcast address */
#define PII_F_DIGITS4   0x10u /* an IPv4 of four single digits (1.2.3.4): a version as often */

typedef struct pii_match {
    pii_entity entity;
    double score;
    size_t start, end;       /* byte range */
    unsigned flags;
    const char *pattern;     /* the recognizer pattern's name (static) */
} pii_match;

typedef struct pii pii;

/* pii_open flags */
#define PII_OPEN_OWN_DB       0x1u /* compile a Hyperscan database of its own (pii_find);
                                    * else the patterns join a shared one (pii_add_patterns) */
#define PII_OPEN_PRESIDIO     0x2u /* the Presidio profile (pii_presidio.c): Presidio's
                                    * patterns, validators and context rule; else the
                                    * scan's, tuned for code */
#define PII_OPEN_SHARED       0x8u /* with PII_OPEN_OWN_DB: only the gated patterns
                                    * (PII_P_GATE: digits, e-mail) get own databases;
                                    * pii_add_patterns gives the others to the caller's
                                    * one pass, whose hits go to pii_find_shared */
#define PII_OPEN_ANY_CONTEXT  0x4u /* a context word by either rule counts (redact:
                                    * recall first) */
#define PII_OPEN_BY_ENTITY    0x10u /* pii_find's matches come by entity, then start,
                                    * longest first, not by position (redact sorts
                                    * its candidates itself) */

/* Build an engine for the entities in `mask` (0: PII_DEFAULT_MASK) that
 * reports matches scoring at least `threshold`.  Patterns that cannot
 * reach the threshold even with context are left out. */
vg_status pii_open(unsigned mask, double threshold, unsigned flags, pii **out, diag_list *d);
void pii_close(pii *p);

/* Add the engine's patterns to a shared database (family SCAN_FAM_PII). */
vg_status pii_add_patterns(const pii *p, scan_db *db, diag_list *d);

/* Confirm the PII hits of a buffer: every entity, Presidio-deduplicated
 * (a match inside a higher-scoring match of the same entity is dropped),
 * sorted by start, then end.  *out is malloc'd.  Thread-safe. */
vg_status pii_confirm(const pii *p, const unsigned char *data, size_t len, const scan_hit *hits,
                      size_t nhits, pii_match **out, size_t *n);

/* Scan and confirm with the engine's own database (pii_open own_db=1).
 * Not thread-safe (one scratch per engine). */
vg_status pii_find(pii *p, const unsigned char *data, size_t len, pii_match **out, size_t *n);

/* The scratch state of a find (Hyperscan scratch, the gate's ranges, the
 * hits): pii_find and pii_find_shared with w NULL use the engine's own,
 * so one thread at a time; threads that find beside each other on one
 * engine (PII_OPEN_OWN_DB) each pass their own.  NULL when out of memory. */
typedef struct pii_work pii_work;
pii_work *pii_work_new(const pii *p);
void pii_work_free(pii_work *w);

/* pii_find for a PII_OPEN_SHARED engine: `hits` are the PII hits of the
 * caller's scan of data with pii_add_patterns' patterns; the digit-gated
 * patterns are scanned here, with w's scratch (NULL: the engine's). */
vg_status pii_find_shared(pii *p, pii_work *w, const unsigned char *data, size_t len,
                          const scan_hit *hits, size_t nhits, pii_match **out, size_t *n);

/* --- validators (pii_valid.c), exposed for tests ------------------------ */
int pii_luhn(const char *s, size_t n);
/* Digits that are a programming constant: a run up or down, one digit
 * repeated, a power of two or one less (dig NUL-terminated). */
int pii_numeric_constant(const char *dig);
/* The scan's phone checks (pii_valid.c): the digits of s[0..n) into out
 * (NUL-terminated, truncated to cap; returns how many there were); a
 * NANP number (10 digits, or 11 with the leading 1); the UK's numbers
 * reserved for drama and documentation (the national number without its
 * trunk 0); an international number (+CC and a national number of a
 * length that country uses).  *flags gets PII_F_DOC for a documentation
 * number. */
size_t pii_digits_of(const unsigned char *s, size_t n, char *out, size_t cap);
int pii_nanp_ok(const char *dig, size_t n, unsigned *flags);
int pii_uk_doc(const char *nsn);
int pii_phone_intl_ok(const unsigned char *s, size_t n, unsigned *flags);            /* digits only; separators skipped */
int pii_iban_valid(const char *s, size_t n);      /* spaces skipped; length per country + mod-97 */
int pii_iban_length(const char *country2);        /* 0 when the country has no IBAN */
int pii_nhs_valid(const char *s, size_t n);       /* 10 digits; separators skipped */
int pii_ssn_invalid(const char *s, size_t n);     /* Presidio's invalidation rules + 9xx area */
int pii_ssn_invalid_presidio(const char *s, size_t n); /* exactly Presidio's rules */
int pii_base58check_valid(const char *s, size_t n);
int pii_bech32_valid(const char *s, size_t n);    /* bech32 and bech32m, hrp bc/tb */
int pii_eth_checksum(const char *s, size_t n);    /* 1 EIP-55 ok, 0 not mixed case, -1 bad */
int pii_ipv4_parse(const char *s, size_t n, uint8_t out[4]);
int pii_ipv6_parse(const char *s, size_t n, uint8_t out[16]);
int pii_doc_host(const char *h, size_t n);        /* RFC 2606 / 6761 names, any case */
int pii_known_tld(const char *t, size_t n);       /* two letters, or a common gTLD */
int pii_test_card(const char *dig);               /* a published test card number */
int pii_doc_iban(const char *s);                  /* a documentation IBAN (no spaces) */
int pii_private_v4(const uint8_t a[4]);           /* RFC 1918, link-local, CGNAT */
size_t pii_trim_punct(const unsigned char *d, size_t s, size_t e); /* trailing .,;:!?)]}'" */
void pii_keccak256(const unsigned char *in, size_t n, unsigned char out[32]);

#endif
