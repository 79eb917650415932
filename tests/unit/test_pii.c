/* test_pii.c - PII recognizers: for every entity at least five texts it
 * must find (exact span and score) and five it must not; checksum edges
 * (Luhn, mod-97, NHS, Base58Check, bech32, EIP-55); documentation flags. */
#include "t.h"

#include <math.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/diag.h"
#include "text/pii.h"
#include "text/scan.h"

static pii *P;   /* every entity incl. infrastructure, threshold 0 */

typedef struct tcase {
    pii_entity e;
    const char *text;
    const char *span;   /* expected entity text (first occurrence in text); NULL: none */
    double score;
} tcase;

/* The match of entity e in text that equals `span`, if any; else the
 * number of matches of e via *count. */
static int check_case(const tcase *c, int line)
{
    pii_match *m = NULL;
    size_t n = 0;
    size_t len = strlen(c->text);
    if (pii_find(P, (const unsigned char *)c->text, len, &m, &n)) {
        fprintf(stderr, "case %d: pii_find failed\n", line);
        return 0;
    }
    int ok = 0;
    if (c->span) {
        const char *at = strstr(c->text, c->span);
        size_t s = at ? (size_t)(at - c->text) : (size_t)-1, e = s + strlen(c->span);
        for (size_t i = 0; i < n; i++)
            if (m[i].entity == c->e && m[i].start == s && m[i].end == e &&
                fabs(m[i].score - c->score) < 0.001)
                ok = 1;
        if (!ok) {
            fprintf(stderr, "test_pii.c:%d: want %s [%s] %.2f in \"%s\"; got:", line,
                    pii_entity_name(c->e), c->span, c->score, c->text);
            for (size_t i = 0; i < n; i++)
                fprintf(stderr, " %s[%.*s]%.2f", pii_entity_name(m[i].entity),
                        (int)(m[i].end - m[i].start), c->text + m[i].start, m[i].score);
            fputc('\n', stderr);
        }
    } else {
        ok = 1;
        for (size_t i = 0; i < n; i++)
            if (m[i].entity == c->e) {
                ok = 0;
                fprintf(stderr, "test_pii.c:%d: want no %s in \"%s\"; got [%.*s] %.2f\n", line,
                        pii_entity_name(c->e), c->text, (int)(m[i].end - m[i].start),
                        c->text + m[i].start, m[i].score);
            }
    }
    free(m);
    return ok;
}

#define Y(e, text, span, score) {PII_##e, text, span, score}
#define N(e, text) {PII_##e, text, NULL, 0}

static const tcase cases[] = {
    /* EMAIL_ADDRESS: regex + known TLD -> 1.0 (Presidio's validate) */
    Y(EMAIL_ADDRESS, "contact: john.doe@acme.io today", "john.doe@acme.io", 1.0),
    Y(EMAIL_ADDRESS, "a.b-c+tag@mail.co.uk", "a.b-c+tag@mail.co.uk", 1.0),
    Y(EMAIL_ADDRESS, "<bob_99@example.org>", "bob_99@example.org", 1.0),
    Y(EMAIL_ADDRESS, "X@y.de", "X@y.de", 1.0),
    Y(EMAIL_ADDRESS, "mailto:Jane.Roe@Sub.Domain.COM,", "Jane.Roe@Sub.Domain.COM", 1.0),
    Y(EMAIL_ADDRESS, "\"to\": \"ops@acme-billing.com\"", "ops@acme-billing.com", 1.0),
    N(EMAIL_ADDRESS, "user@localhost"),
    N(EMAIL_ADDRESS, "foo@bar.unknowntld"),
    N(EMAIL_ADDRESS, "@app.route('/x')"),
    N(EMAIL_ADDRESS, "name@ and @domain.com"),
    N(EMAIL_ADDRESS, "john.doe at acme.io"),
    N(EMAIL_ADDRESS, "git@github"),

    /* PHONE_NUMBER: 0.4, +0.35 with a context word */
    Y(PHONE_NUMBER, "call +1 (212) 555-2368", "+1 (212) 555-2368", 0.75),
    Y(PHONE_NUMBER, "office 212.555.2368 x", "212.555.2368", 0.4),
    Y(PHONE_NUMBER, "London +44 20 7123 4567", "+44 20 7123 4567", 0.4),
    Y(PHONE_NUMBER, "Berlin +49 30 12345678", "+49 30 12345678", 0.4),
    Y(PHONE_NUMBER, "Paris +33 1 42 68 53 00", "+33 1 42 68 53 00", 0.4),
    Y(PHONE_NUMBER, "Paris 01 42 68 53 00", "01 42 68 53 00", 0.4),
    Y(PHONE_NUMBER, "Mumbai +91 98765 43210", "+91 98765 43210", 0.4),
    Y(PHONE_NUMBER, "mobile 98765 43210", "98765 43210", 0.75),
    Y(PHONE_NUMBER, "Sao Paulo (11) 91234-5678", "(11) 91234-5678", 0.4),
    Y(PHONE_NUMBER, "Sao Paulo +55 11 91234-5678", "+55 11 91234-5678", 0.4),
    Y(PHONE_NUMBER, "Sydney 0412 345 678", "0412 345 678", 0.4),
    Y(PHONE_NUMBER, "Sydney +61 2 9876 5432", "+61 2 9876 5432", 0.4),
    Y(PHONE_NUMBER, "Tokyo 03-1234-5678", "03-1234-5678", 0.4),
    Y(PHONE_NUMBER, "Tokyo +81 90-1234-5678", "+81 90-1234-5678", 0.4),
    Y(PHONE_NUMBER, "Beijing 138 0013 8000", "138 0013 8000", 0.4),
    Y(PHONE_NUMBER, "Beijing +86 138 0013 8000", "+86 138 0013 8000", 0.4),
    Y(PHONE_NUMBER, "Haifa 050-123-4567", "050-123-4567", 0.4),
    Y(PHONE_NUMBER, "Haifa +972 50-123-4567", "+972 50-123-4567", 0.4),
    Y(PHONE_NUMBER, "Toronto (416) 555-2368", "(416) 555-2368", 0.4),
    Y(PHONE_NUMBER, "München 089 12345678", "089 12345678", 0.4),
    Y(PHONE_NUMBER, "phone: 020 7946 0018", "020 7946 0018", 0.75),
    N(PHONE_NUMBER, "id 123-456-7890"),
    N(PHONE_NUMBER, "version 1.2.3.4"),
    N(PHONE_NUMBER, "on 2024-01-15"),
    N(PHONE_NUMBER, "+1 555"),
    N(PHONE_NUMBER, "ticket 12345"),
    N(PHONE_NUMBER, "+44 12"),
    N(PHONE_NUMBER, "(212) 155-2368"),

    /* CREDIT_CARD: 0.3 regex, Luhn -> 1.0, else dropped */
    Y(CREDIT_CARD, "card 4012 8888 8888 1881", "4012 8888 8888 1881", 1.0),
    Y(CREDIT_CARD, "4539148803436467", "4539148803436467", 1.0),
    Y(CREDIT_CARD, "mc 5555-5555-5555-4444.", "5555-5555-5555-4444", 1.0),
    Y(CREDIT_CARD, "amex 378282246310005", "378282246310005", 1.0),
    Y(CREDIT_CARD, "disc 6011111111111117", "6011111111111117", 1.0),
    Y(CREDIT_CARD, "1002,Ann Lee,+1 415-867-2291,4539 1488 0343 6467,536-22-8147",
      "4539 1488 0343 6467", 1.0), /* a CSV row: the next field follows the comma */
    N(CREDIT_CARD, "4012 8888 8888 1882"),
    N(CREDIT_CARD, "1234567890123"),
    N(CREDIT_CARD, "4111 1111 1111"),
    N(CREDIT_CARD, "0000 0000 0000 0000"),
    N(CREDIT_CARD, "3530111333300001"),

    /* IBAN_CODE: mod-97 and per-country length -> 1.0 */
    Y(IBAN_CODE, "IBAN: DE89 3704 0044 0532 0130 00, thanks", "DE89 3704 0044 0532 0130 00", 1.0),
    Y(IBAN_CODE, "GB33BUKB20201555555555", "GB33BUKB20201555555555", 1.0),
    Y(IBAN_CODE, "FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606", 1.0),
    Y(IBAN_CODE, "to NL91ABNA0417164300 now", "NL91ABNA0417164300", 1.0),
    Y(IBAN_CODE, "CH9300762011623852957", "CH9300762011623852957", 1.0),
    N(IBAN_CODE, "DE89 3704 0044 0532 0130 01"),
    N(IBAN_CODE, "GB33BUKB2020155555555"),
    N(IBAN_CODE, "XX89370400440532013000"),
    N(IBAN_CODE, "DE8937040044053201300"),
    N(IBAN_CODE, "de89370400440532013000"),

    /* IP_ADDRESS: 0.6, validated */
    Y(IP_ADDRESS, "dns 8.8.8.8.", "8.8.8.8", 0.6),
    Y(IP_ADDRESS, "host=10.0.0.5", "10.0.0.5", 0.6),
    Y(IP_ADDRESS, "ip 203.0.113.7", "203.0.113.7", 0.95),
    Y(IP_ADDRESS, "via 2001:4860:4860::8888", "2001:4860:4860::8888", 0.6),
    Y(IP_ADDRESS, "fe80::1ff:fe23:4567:890a%eth0", "fe80::1ff:fe23:4567:890a", 0.6),
    Y(IP_ADDRESS, "[2001:db8:0:0:0:0:2:1]:80", "2001:db8:0:0:0:0:2:1", 0.6),
    N(IP_ADDRESS, "256.1.1.1"),
    N(IP_ADDRESS, "v1.2.3"),
    N(IP_ADDRESS, "1.2.3.4.5"),
    N(IP_ADDRESS, "01.02.03.04"),
    N(IP_ADDRESS, "at 12:30:45"),
    N(IP_ADDRESS, "a[1::2]"),

    /* MAC_ADDRESS: 0.6 */
    Y(MAC_ADDRESS, "eth0 00:1A:2B:3C:4D:5E up", "00:1A:2B:3C:4D:5E", 0.6),
    Y(MAC_ADDRESS, "00-1a-2b-3c-4d-5e", "00-1a-2b-3c-4d-5e", 0.6),
    Y(MAC_ADDRESS, "cisco 001a.2b3c.4d5e", "001a.2b3c.4d5e", 0.6),
    Y(MAC_ADDRESS, "mac aa:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff", 0.95),
    Y(MAC_ADDRESS, "de:ad:be:ef:00:01", "de:ad:be:ef:00:01", 0.6),
    N(MAC_ADDRESS, "00:1A:2B:3C:4D"),
    N(MAC_ADDRESS, "00:1A:2B:3C:4D:5E:6F"),
    N(MAC_ADDRESS, "00:1A-2B:3C:4D:5E"),
    N(MAC_ADDRESS, "0G:1A:2B:3C:4D:5E"),
    N(MAC_ADDRESS, "12:30:45"),

    /* URL: 0.6 with a scheme, 0.5 www. */
    Y(URL, "see https://acme.io/path?q=1 now", "https://acme.io/path?q=1", 0.6),
    Y(URL, "at http://shop.acme.io.", "http://shop.acme.io", 0.6),
    Y(URL, "visit www.acme.io/docs", "www.acme.io/docs", 0.5),
    Y(URL, "website www.acme.io", "www.acme.io", 0.85),
    Y(URL, "(ftp://files.acme.io/a.zip)", "ftp://files.acme.io/a.zip", 0.6),
    N(URL, "acme.io"),
    N(URL, "http://"),
    N(URL, "https://x"),
    N(URL, "os.path.join"),
    N(URL, "wwwacme.io"),

    /* US_SSN: 0.5 delimited, 0.05 weak forms, Presidio's invalidation */
    Y(US_SSN, "id 536-22-1234", "536-22-1234", 0.5),
    Y(US_SSN, "ssn 536 22 1234", "536 22 1234", 0.85),
    Y(US_SSN, "x 536.22.1234", "536.22.1234", 0.5),
    Y(US_SSN, "SSN: 536221234", "536221234", 0.4),
    Y(US_SSN, "social security 53622-1234", "53622-1234", 0.4),
    Y(US_SSN, "plain 536221234", "536221234", 0.05),
    N(US_SSN, "078-05-1120"),
    N(US_SSN, "666-22-1234"),
    N(US_SSN, "000-22-1234"),
    N(US_SSN, "536-00-1234"),
    N(US_SSN, "536-22-0000"),
    N(US_SSN, "536-22.1234"),
    N(US_SSN, "111-11-1111"),
    N(US_SSN, "936-22-1234"),

    /* US_ITIN: 0.5 / 0.3 / 0.05 */
    Y(US_ITIN, "912-70-1234", "912-70-1234", 0.5),
    Y(US_ITIN, "no 912 78 1234", "912 78 1234", 0.5),
    Y(US_ITIN, "912701234", "912701234", 0.3),
    Y(US_ITIN, "itin 912-701234", "912-701234", 0.4),
    Y(US_ITIN, "taxpayer 999 88 1234", "999 88 1234", 0.85),
    N(US_ITIN, "912-93-1234"),
    N(US_ITIN, "812-70-1234"),
    N(US_ITIN, "912-70-12345"),
    N(US_ITIN, "912-49-1234"),
    N(US_ITIN, "9127012345"),

    /* US_PASSPORT: 0.05 nine digits, 0.1 letter + eight digits */
    Y(US_PASSPORT, "passport 912345678", "912345678", 0.4),
    Y(US_PASSPORT, "passport: A12345678", "A12345678", 0.45),
    Y(US_PASSPORT, "A12345678", "A12345678", 0.1),
    Y(US_PASSPORT, "912345678", "912345678", 0.05),
    Y(US_PASSPORT, "travel document C03005988", "C03005988", 0.45),
    N(US_PASSPORT, "12345678"),
    N(US_PASSPORT, "1234567890"),
    N(US_PASSPORT, "a12345678"),
    N(US_PASSPORT, "A1234567"),
    N(US_PASSPORT, "A123456789"),

    /* US_BANK_NUMBER: 0.05, 0.4 with context */
    Y(US_BANK_NUMBER, "account 12345678", "12345678", 0.4),
    Y(US_BANK_NUMBER, "acct: 000123456789", "000123456789", 0.4),
    Y(US_BANK_NUMBER, "12345678901234567", "12345678901234567", 0.05),
    Y(US_BANK_NUMBER, "bank 98765432", "98765432", 0.4),
    Y(US_BANK_NUMBER, "debit 11112222333344445", "11112222333344445", 0.4),
    N(US_BANK_NUMBER, "1234567"),
    N(US_BANK_NUMBER, "123456789012345678"),
    N(US_BANK_NUMBER, "12-345678"),
    N(US_BANK_NUMBER, "1234 5678"),
    N(US_BANK_NUMBER, "x12345678"),

    /* US_DRIVER_LICENSE: 0.3 alphanumeric, 0.01 digits */
    Y(US_DRIVER_LICENSE, "driver license D1234567", "D1234567", 0.65),
    Y(US_DRIVER_LICENSE, "license AB123456", "AB123456", 0.65),
    Y(US_DRIVER_LICENSE, "D1234567", "D1234567", 0.3),
    Y(US_DRIVER_LICENSE, "permit 123456789A", "123456789A", 0.65),
    Y(US_DRIVER_LICENSE, "driving 123456", "123456", 0.4),
    N(US_DRIVER_LICENSE, "d1234567"),
    N(US_DRIVER_LICENSE, "D12"),
    N(US_DRIVER_LICENSE, "ABCDEFGH"),
    N(US_DRIVER_LICENSE, "1234-567"),
    N(US_DRIVER_LICENSE, "Dx12345"),

    /* UK_NHS: checksum -> 1.0 */
    Y(UK_NHS, "NHS 943 476 5919", "943 476 5919", 1.0),
    Y(UK_NHS, "9434765919", "9434765919", 1.0),
    Y(UK_NHS, "943-476-5919", "943-476-5919", 1.0),
    Y(UK_NHS, "no. 609 139 0996", "609 139 0996", 1.0),
    Y(UK_NHS, "9078666617", "9078666617", 1.0),
    N(UK_NHS, "943 476 5918"),
    N(UK_NHS, "943 476 591"),
    N(UK_NHS, "1000000010"),
    N(UK_NHS, "94347659190"),
    N(UK_NHS, "1163726517"),
    N(UK_NHS, "created 1163726516"),          /* a Unix timestamp, not an NHS number */
    Y(UK_NHS, "nhs 1163726516", "1163726516", 1.0),
    N(UK_NHS, "0123456789"),
    N(CREDIT_CARD, "x = 0.4945912345678901234"),

    /* CRYPTO: Base58Check / bech32 -> 1.0; Ethereum 0.5, EIP-55 -> 1.0 */
    Y(CRYPTO, "btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", 1.0),
    Y(CRYPTO, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", 1.0),
    Y(CRYPTO, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 1.0),
    Y(CRYPTO, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", 1.0),
    Y(CRYPTO, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", 1.0),
    Y(CRYPTO, "to 0x52908400098527886e0f7030069857d2e4169ee7", "0x52908400098527886e0f7030069857d2e4169ee7", 0.5),
    N(CRYPTO, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"),
    N(CRYPTO, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr"),
    N(CRYPTO, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
    N(CRYPTO, "0x123"),
    N(CRYPTO, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNL"),

    /* DATE_TIME: 0.6 */
    Y(DATE_TIME, "on 1985-04-12 we", "1985-04-12", 0.6),
    Y(DATE_TIME, "born 04/12/1985", "04/12/1985", 0.95),
    Y(DATE_TIME, "am 12.04.1985", "12.04.1985", 0.6),
    Y(DATE_TIME, "at 2023-10-05T14:30:00Z", "2023-10-05T14:30:00Z", 0.6),
    Y(DATE_TIME, "since March 5, 2024", "March 5, 2024", 0.6),
    Y(DATE_TIME, "since 5 March 2024", "5 March 2024", 0.6),
    Y(DATE_TIME, "12-Apr-1985", "12-Apr-1985", 0.6),
    N(DATE_TIME, "2023-13-05"),
    N(DATE_TIME, "10.0.0.1"),
    N(DATE_TIME, "v1.2.3"),
    N(DATE_TIME, "v2024"),
    N(DATE_TIME, "13/32/2020"),

    /* PERSON: name lists, titles, context */
    Y(PERSON, "Contact John Smith today", "John Smith", 0.75),
    Y(PERSON, "we saw John Smith later", "John Smith", 0.4),
    Y(PERSON, "with Maria Garcia.", "Maria Garcia", 0.4),
    Y(PERSON, "ask Mr. Anderson", "Anderson", 0.6),
    Y(PERSON, "Dear Sarah,", "Sarah", 0.5),
    Y(PERSON, "name: Priya Sharma", "Priya Sharma", 0.75),
    Y(PERSON, "met Kenji Tanaka", "Kenji Tanaka", 0.4),
    Y(PERSON, "with José Müller", "José Müller", 0.4),
    N(PERSON, "john smith"),
    N(PERSON, "Johnson & Johnson"),
    N(PERSON, "JohnSmith"),
    N(PERSON, "the will of the people"),
    N(PERSON, "Mr"),
    N(PERSON, "john.smith@acme.io"),

    /* infrastructure (redact only) */
    Y(INTERNAL_HOST, "db01.prod.internal:5432", "db01.prod.internal", 1.0),
    Y(INTERNAL_HOST, "http://wiki.corp/x", "wiki.corp", 1.0),
    Y(INTERNAL_HOST, "printer.LAN", "printer.LAN", 1.0),
    Y(INTERNAL_HOST, "nas.local.", "nas.local", 1.0),
    Y(INTERNAL_HOST, "git.home.arpa", "git.home.arpa", 1.0),
    N(INTERNAL_HOST, "threading.local()"),
    N(INTERNAL_HOST, "self.internal = 1"),
    N(INTERNAL_HOST, "acme.io"),
    N(INTERNAL_HOST, "local"),
    N(INTERNAL_HOST, "a.localhost"),
    Y(CONNECTION_STRING, "postgresql://app:s3cr3t@db:5432/app\n", "postgresql://app:s3cr3t@db:5432/app", 1.0),
    Y(CONNECTION_STRING, "'mongodb+srv://u:p%40ss@c0.mongodb.net/x'", "mongodb+srv://u:p%40ss@c0.mongodb.net/x", 1.0),
    Y(CONNECTION_STRING, "redis://:pw@cache:6379.", "redis://:pw@cache:6379", 1.0),
    N(CONNECTION_STRING, "postgresql://db:5432/app"),
    N(CONNECTION_STRING, "https://acme.io/a@b"),
};

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK_MSG(check_case(&cases[i], (int)i), "case %zu", i);
}

/* counts per entity: at least five true and five false */
static void test_coverage(void)
{
    for (int e = 0; e < PII_NPUBLIC; e++) {
        int yes = 0, no = 0;
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
            if ((int)cases[i].e == e) {
                if (cases[i].span) yes++;
                else no++;
            }
        CHECK_MSG(yes >= 5 && no >= 5, "%s: %d true, %d false cases", pii_entity_name(e), yes, no);
    }
}

static unsigned flags_of(const char *text, pii_entity e)
{
    pii_match *m = NULL;
    size_t n = 0;
    unsigned f = 0xffff;
    pii_find(P, (const unsigned char *)text, strlen(text), &m, &n);
    for (size_t i = 0; i < n; i++)
        if (m[i].entity == e) f = m[i].flags;
    free(m);
    return f;
}

static void test_doc_values(void)
{
    CHECK(flags_of("a@example.com", PII_EMAIL_ADDRESS) & PII_F_DOC);
    CHECK(flags_of("a@mail.example.org", PII_EMAIL_ADDRESS) & PII_F_DOC);
    CHECK(!(flags_of("a@examples.com", PII_EMAIL_ADDRESS) & PII_F_DOC));
    CHECK(flags_of("call 212-555-0123", PII_PHONE_NUMBER) & PII_F_DOC);
    CHECK(!(flags_of("call 212-555-0200", PII_PHONE_NUMBER) & PII_F_DOC));
    CHECK(flags_of("ip 192.0.2.1", PII_IP_ADDRESS) & PII_F_DOC);
    CHECK(flags_of("ip 198.51.100.20", PII_IP_ADDRESS) & PII_F_DOC);
    CHECK(flags_of("ip 203.0.113.255", PII_IP_ADDRESS) & PII_F_DOC);
    CHECK(flags_of("ip 2001:db8::1", PII_IP_ADDRESS) & PII_F_DOC);
    CHECK(!(flags_of("ip 203.0.114.1", PII_IP_ADDRESS) & PII_F_DOC));
    CHECK(flags_of("ip 127.0.0.1", PII_IP_ADDRESS) & PII_F_LOCAL);
    CHECK(flags_of("ip ::1", PII_IP_ADDRESS) & PII_F_LOCAL);
    CHECK(flags_of("ip 172.20.1.1", PII_IP_ADDRESS) & PII_F_PRIVATE);
    CHECK(!(flags_of("ip 172.32.1.1", PII_IP_ADDRESS) & PII_F_PRIVATE));
    CHECK(flags_of("ip fd12:3456:789a::1", PII_IP_ADDRESS) & PII_F_PRIVATE);
    CHECK(flags_of("card 4111 1111 1111 1111", PII_CREDIT_CARD) & PII_F_TEST_CARD);
    CHECK(!(flags_of("card 4539 1488 0343 6467", PII_CREDIT_CARD) & PII_F_TEST_CARD));
    CHECK(flags_of("see https://www.example.com/x", PII_URL) & PII_F_DOC);
    CHECK(flags_of("DE89370400440532013000", PII_IBAN_CODE) & PII_F_DOC);
}

static void test_validators(void)
{
    /* Luhn */
    CHECK(pii_luhn("4539148803436467", 16));
    CHECK(pii_luhn("4539-1488-0343-6467", 19));
    CHECK(!pii_luhn("4539148803436468", 16));
    CHECK(!pii_luhn("00000000000", 11));          /* too short */
    CHECK(pii_luhn("000000000000", 12));          /* sum 0 passes, 12 digits */
    CHECK(!pii_luhn("45391488034364x7", 16));
    CHECK(!pii_luhn("79927398713000000000", 20));  /* 20 digits: too long */
    /* mod-97 and lengths */
    CHECK(pii_iban_valid("GB82WEST12345698765432", 22));
    CHECK(pii_iban_valid("GB82 WEST 1234 5698 7654 32", 27));
    CHECK(pii_iban_valid("gb82west12345698765432", 22));  /* validator upper-cases */
    CHECK(!pii_iban_valid("GB82WEST12345698765433", 22));
    CHECK(!pii_iban_valid("GB82WEST1234569876543", 21));
    CHECK(pii_iban_valid("NO9386011117947", 15));            /* shortest */
    CHECK(pii_iban_valid("LC55HEMM000100010012001200023015", 32)); /* longest */
    CHECK(!pii_iban_valid("US12345678901234567890", 22));
    CHECK_INT(pii_iban_length("DE"), 22);
    CHECK_INT(pii_iban_length("FR"), 27);
    CHECK_INT(pii_iban_length("US"), 0);
    /* NHS */
    CHECK(pii_nhs_valid("9434765919", 10));
    CHECK(pii_nhs_valid("943 476 5919", 12));
    CHECK(!pii_nhs_valid("9434765918", 10));
    CHECK(!pii_nhs_valid("1000000010", 10));   /* check digit would be 10: never valid */
    CHECK(!pii_nhs_valid("943476591", 9));
    CHECK(!pii_nhs_valid("94347659190", 11));
    /* SSN invalidation */
    CHECK(!pii_ssn_invalid("536-22-1234", 11));
    CHECK(pii_ssn_invalid("536-22 1234", 11));
    CHECK(pii_ssn_invalid("666-22-1234", 11));
    CHECK(pii_ssn_invalid("123-45-6789", 11));
    CHECK(pii_ssn_invalid("987-65-4320", 11));
    CHECK(pii_ssn_invalid("222222222", 9));
    CHECK(pii_ssn_invalid("53622123", 8));
    /* crypto */
    CHECK(pii_base58check_valid("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", 34));
    CHECK(!pii_base58check_valid("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0", 34));
    CHECK(!pii_base58check_valid("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVNl", 34)); /* 'l' not base58 */
    CHECK(pii_bech32_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", 42));
    CHECK(pii_bech32_valid("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", 62)); /* bech32m */
    CHECK(!pii_bech32_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", 42));
    CHECK(!pii_bech32_valid("bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", 42)); /* mixed case */
    CHECK_INT(pii_eth_checksum("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", 42), 1);
    CHECK_INT(pii_eth_checksum("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", 42), 1);
    CHECK_INT(pii_eth_checksum("0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb", 42), 0);
    CHECK_INT(pii_eth_checksum("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6Fb", 42), -1);
    unsigned char h[32];
    pii_keccak256((const unsigned char *)"", 0, h);
    CHECK(h[0] == 0xc5 && h[1] == 0xd2 && h[31] == 0x70);  /* keccak256("") = c5d246...a470 */
    /* IP parsing */
    uint8_t a4[4], a6[16];
    CHECK(pii_ipv4_parse("192.168.0.1", 11, a4) && a4[0] == 192 && a4[3] == 1);
    CHECK(!pii_ipv4_parse("192.168.0.01", 12, a4));
    CHECK(!pii_ipv4_parse("192.168.0", 9, a4));
    CHECK(!pii_ipv4_parse("1.2.3.256", 9, a4));
    CHECK(pii_ipv6_parse("::1", 3, a6) && a6[15] == 1);
    CHECK(!pii_ipv6_parse("1:2:3:4:5:6:7", 13, a6));
}

static void test_entities_parse(void)
{
    const char *bad = NULL;
    size_t bl = 0;
    CHECK_INT(pii_entities_parse("EMAIL_ADDRESS, phone_number", &bad, &bl),
              PII_BIT(PII_EMAIL_ADDRESS) | PII_BIT(PII_PHONE_NUMBER));
    CHECK_INT(pii_entities_parse("EMAIL_ADDRESS,NOPE", &bad, &bl), 0);
    CHECK(bad && bl == 4 && !strncmp(bad, "NOPE", 4));
    CHECK_STR(pii_entity_name(PII_UK_NHS), "UK_NHS");
    CHECK_INT(pii_entity_parse("crypto"), PII_CRYPTO);
}

static void test_threshold_and_mask(void)
{
    diag_list d = {0};
    pii *q = NULL;
    CHECK(pii_open(PII_BIT(PII_PHONE_NUMBER), 0.5, 1, &q, &d) == VG_OK);
    pii_match *m = NULL;
    size_t n = 0;
    const char *t = "call 212-555-2368 and then later maybe 212-555-2369, mail a@acme.io";
    pii_find(q, (const unsigned char *)t, strlen(t), &m, &n);
    CHECK_INT(n, 1);   /* only the one with a context word reaches 0.5; no email */
    if (n) CHECK_INT(m[0].start, 5);
    free(m);
    pii_close(q);
    /* long, hostile input: no crash, bounded windows */
    size_t big = 256 << 10;
    char *s = malloc(big);
    for (size_t i = 0; i < big; i++) s[i] = "0123456789 -.@:"[i % 15];
    CHECK(pii_find(P, (const unsigned char *)s, big, &m, &n) == VG_OK);
    free(m);
    free(s);
    diag_free(&d);
}

/* Does engine e find entity ent on exactly `span` of t with `score`? */
static int finds(pii *e, const char *t, pii_entity ent, const char *span, double score)
{
    pii_match *m = NULL;
    size_t n = 0, sl = strlen(span);
    int hit = 0;
    if (pii_find(e, (const unsigned char *)t, strlen(t), &m, &n)) return 0;
    for (size_t i = 0; i < n; i++)
        if (m[i].entity == ent && m[i].end - m[i].start == sl && !memcmp(t + m[i].start, span, sl) &&
            fabs(m[i].score - score) < 0.011)
            hit = 1;
    free(m);
    return hit;
}

/* The Presidio profile gives Presidio's results (each case checked against
 * presidio-analyzer 2.2 with a blank spaCy pipeline); the scan's profile
 * keeps its own. */
static void test_presidio_profile(void)
{
    diag_list d = {0};
    pii *q = NULL;
    CHECK(pii_open(PII_ALL_PUBLIC, 0.0, PII_OPEN_OWN_DB | PII_OPEN_PRESIDIO, &q, &d) == VG_OK);
    if (!q) return;
    const char *t1 = "event=update contact=amara_smith90@acme-billing.io status=ok";
    CHECK(finds(q, t1, PII_EMAIL_ADDRESS, "contact=amara_smith90@acme-billing.io", 1.0));
    CHECK(finds(q, t1, PII_URL, "acme-billing.io", 0.5));
    CHECK(finds(q, "passport c53382477", PII_US_PASSPORT, "c53382477", 0.45)); /* caseless */
    CHECK(finds(q, "passport c53382477", PII_US_DRIVER_LICENSE, "c53382477", 0.3));
    CHECK(finds(q, "Taxpayer id: 912-78-1234", PII_US_ITIN, "912-78-1234", 0.85));
    CHECK(finds(q, "Taxpayer id: 912-78-1234", PII_US_SSN, "912-78-1234", 0.5));
    CHECK(!finds(P, "Taxpayer id: 912-78-1234", PII_US_SSN, "912-78-1234", 0.5)); /* scan: 9xx no SSN */
    /* substring context: "update" holds "date" */
    CHECK(finds(q, "the update 2021-03-04 shipped", PII_DATE_TIME, "2021-03-04", 0.95));
    /* six keywords back across lines (a CSV header), one forward */
    CHECK(finds(q, "phone,ip,date\n+1-732-997-1378,23.190.252.168,2004-07-11T21:22:40Z\n",
                PII_DATE_TIME, "2004-07-11T21:22:40Z", 1.0));
    CHECK(finds(q, "ip,card,link\n23.178.85.150,370934558900645,https://shop.contoso.co.uk/account/x\n",
                PII_US_BANK_NUMBER, "370934558900645", 0.4));
    CHECK(finds(q, "Priya: got it -- 609111296. thanks!", PII_US_PASSPORT, "609111296", 0.05));
    pii_close(q);
    diag_free(&d);
}

/* The Presidio profile's phone numbers are python-phonenumbers' (each case
 * checked against PhoneNumberMatcher at leniency VALID for Presidio's
 * regions, with phonenumbers 8.12 and 9.0): a number of each region
 * found, near misses silent. */
static const tcase presidio_phones[] = {
    Y(PHONE_NUMBER, "call (212) 555-2368", "(212) 555-2368", 0.4),
    Y(PHONE_NUMBER, "office 415.867.5309 ext", "415.867.5309", 0.4),
    Y(PHONE_NUMBER, "Toronto 416-967-1111", "416-967-1111", 0.4),
    Y(PHONE_NUMBER, "Kingston +1 876 927 1234", "+1 876 927 1234", 0.4),   /* JM, through +1 */
    Y(PHONE_NUMBER, "ring 212-555-2368 x 42", "212-555-2368 x 42", 0.4),  /* extension */
    Y(PHONE_NUMBER, "London +44 20 7946 0958", "+44 20 7946 0958", 0.4),
    Y(PHONE_NUMBER, "London 020 7946 0958", "020 7946 0958", 0.4),
    Y(PHONE_NUMBER, "mobile 07700 900123", "07700 900123", 0.75),
    Y(PHONE_NUMBER, "Leeds 0113 496 0000", "0113 496 0000", 0.4),
    Y(PHONE_NUMBER, "phone: 020 7946 0958", "020 7946 0958", 0.75),
    Y(PHONE_NUMBER, "Berlin 030 12345678", "030 12345678", 0.4),
    Y(PHONE_NUMBER, "Munich +49 89 1234567", "+49 89 1234567", 0.4),
    Y(PHONE_NUMBER, "Handy 0151 23456789", "0151 23456789", 0.4),
    Y(PHONE_NUMBER, "Berlin 030 1234", "030 1234", 0.4),   /* DE numbers are short */
    Y(PHONE_NUMBER, "Paris 01 42 68 53 00", "01 42 68 53 00", 0.4),
    Y(PHONE_NUMBER, "Lyon +33 6 12 34 56 78", "+33 6 12 34 56 78", 0.4),
    Y(PHONE_NUMBER, "Tel Aviv 03-123-4567", "03-123-4567", 0.4),
    Y(PHONE_NUMBER, "Haifa 050-123-4567", "050-123-4567", 0.4),
    Y(PHONE_NUMBER, "Jerusalem +972 2-123-4567", "+972 2-123-4567", 0.4),
    Y(PHONE_NUMBER, "Mumbai +91 98765 43210", "+91 98765 43210", 0.4),
    Y(PHONE_NUMBER, "Delhi 011 2345 6789", "011 2345 6789", 0.4),
    Y(PHONE_NUMBER, "Pune 098765 43210", "098765 43210", 0.4),
    Y(PHONE_NUMBER, "Mumbai 5876543210", "5876543210", 0.4),
    Y(PHONE_NUMBER, "Sao Paulo (11) 91234-5678", "(11) 91234-5678", 0.4),
    Y(PHONE_NUMBER, "Rio +55 21 2345-6789", "+55 21 2345-6789", 0.4),
    Y(PHONE_NUMBER, "Sydney +61 2 9876 5432", "+61 2 9876 5432", 0.4),  /* any region after + */
    Y(PHONE_NUMBER, "id 123-456-7890", "123-456-7890", 0.4),          /* valid somewhere */
    N(PHONE_NUMBER, "bill 1-800-FLOWERS"),
    N(PHONE_NUMBER, "+44 20 1234"),
    N(PHONE_NUMBER, "on 12/05/2023"),
    N(PHONE_NUMBER, "version 1.2.3.4"),
    N(PHONE_NUMBER, "abc2125552368"),
    N(PHONE_NUMBER, "code 0x2125552368"),
    N(PHONE_NUMBER, "cost $212-555-2368"),
    N(PHONE_NUMBER, "at 2012-01-02 08:30"),
    N(PHONE_NUMBER, "+1 555 0100"),
    N(PHONE_NUMBER, "+1 (212) 555-236"),
    N(PHONE_NUMBER, "ticket 12345"),
    N(PHONE_NUMBER, "pages 211-227 (2003)"),
    N(PHONE_NUMBER, "+999 1234 5678"),
    N(PHONE_NUMBER, "zeros 00 00 00 00 00"),
    N(PHONE_NUMBER, "Paris 01 42 68 53"),
};

static void test_presidio_phones(void)
{
    diag_list d = {0};
    pii *q = NULL;
    CHECK(pii_open(PII_BIT(PII_PHONE_NUMBER), 0.0, PII_OPEN_OWN_DB | PII_OPEN_PRESIDIO, &q, &d) ==
          VG_OK);
    if (!q) return;
    pii *scan = P;
    P = q;   /* check_case asks P */
    for (size_t i = 0; i < sizeof presidio_phones / sizeof *presidio_phones; i++)
        CHECK(check_case(&presidio_phones[i], (int)i));
    P = scan;
    pii_close(q);
    diag_free(&d);
}

/* Is pii_find(e, x) what confirming one scan of every pattern of e over
 * the whole of x gives?  db is e's patterns, compiled. */
static int same_as_whole(pii *e, scan_db *db, scan_scratch *sc, const unsigned char *x, size_t len,
                         const char *what)
{
    size_t na = 0, nb = 0, nh;
    pii_match *a = NULL, *b = NULL;
    scan_hits h = {0};
    int ok = scan_buffer(db, sc, x, len, &h) == VG_OK;
    const scan_hit *hv = scan_hits_family(&h, SCAN_FAM_PII, &nh);
    ok = ok && pii_confirm(e, x, len, hv, nh, &a, &na) == VG_OK;
    ok = ok && pii_find(e, x, len, &b, &nb) == VG_OK;
    CHECK_MSG(ok && na == nb, "%s: %zu matches whole, %zu gated", what, na, nb);
    int same = ok && na == nb;
    for (size_t i = 0; ok && i < na && i < nb; i++)
        if (a[i].entity != b[i].entity || a[i].start != b[i].start || a[i].end != b[i].end ||
            a[i].score != b[i].score) {
            CHECK_MSG(0, "%s: match %zu differs: %s %zu-%zu [%.*s] whole, %s %zu-%zu [%.*s] gated",
                      what, i, pii_entity_name(a[i].entity), a[i].start, a[i].end,
                      (int)(a[i].end - a[i].start), (const char *)x + a[i].start,
                      pii_entity_name(b[i].entity), b[i].start, b[i].end,
                      (int)(b[i].end - b[i].start), (const char *)x + b[i].start);
            ok = same = 0;
        }
    free(a);
    free(b);
    scan_hits_free(&h);
    return same ? (int)na : -1;
}

/* The speed-ups keep the whole-buffer results: pii_find (digit patterns
 * scanned only on the runs the digit gate keeps, names found without Hyperscan)
 * returns what confirming one scan of every pattern over the whole text
 * returns; a text with no Hyperscan hit still has its names. */
static void test_gated_same(void)
{
    static const char *const texts[] = {
        "x = 1\ncall 212-555-2368\n7\n4539 1488 0343 6467\n",
        "ip=203.45.1.2 client=10.20.3.4\r\nSSN 536-22-8147\r\n\n\n+44 20 7123 4567",
        "1\n2\n3 4\n(212) 555-2368\n\n9\n",                 /* one digit a line, then a phone */
        "Hi, Maria Garcia here (phone +44 20 7123 0001). My card 4539 1488 0343 6467 failed.\n"
        "2024-05-03T10:01:01Z INFO login user=maria.garcia1@acme-billing.io ip=203.45.1.2\n",
        "John\nSmith 123456789\nDr. Kenji Tanaka, 0x52908400098527886E0F7030069857D2E4169EE7",
        "\xc3\xa9John Smith, Jos\xc3\xa9 Garcia; _Maria Cohen, Ann123, db1.prod.internal:5432",
    };
    diag_list d = {0};
    scan_db *db = scan_db_new();
    CHECK(pii_add_patterns(P, db, &d) == VG_OK);
    CHECK(scan_db_compile(db, "", &d) == VG_OK);
    scan_scratch *sc = scan_scratch_new(db);
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        char what[32];
        snprintf(what, sizeof what, "text %zu", t);
        CHECK(same_as_whole(P, db, sc, (const unsigned char *)texts[t], strlen(texts[t]), what) > 0);
    }
    pii_match *m = NULL;
    size_t n = 0;
    const char *names = "Regards, Priya Sharma";
    CHECK(pii_confirm(P, (const unsigned char *)names, strlen(names), NULL, 0, &m, &n) == VG_OK);
    CHECK_INT(n, 1);
    if (n) CHECK_INT(m[0].entity, PII_PERSON);
    free(m);
    scan_scratch_free(sc);
    scan_db_free(db);
    diag_free(&d);
}


/* ---- the gates against the whole-buffer scan, on generated text ----
 *
 * Digit-heavy text of every shape the gated patterns read (phones of each
 * country, cards, SSNs, ITINs, NHS numbers, IBANs, IPs, passports,
 * licences, bank numbers, dates, versions, e-mail, IPv6 and MAC addresses
 * and runs of their bytes), glued to letters, capitals, '+', '.', '@',
 * brackets and the other separators in every order, and random runs of
 * those bytes: pii_find (the gated patterns scanned only on the runs the
 * gate keeps) must give exactly what one scan of every pattern over the
 * whole text gives (the scan's profile, which has every gated pattern;
 * fuzz_pii checks Presidio's too). */
static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng_state >> 33) % n);
}

static void put_digits(buf *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++) buf_putc(b, (char)('0' + rnd(10)));
}

/* A number with a valid Luhn digit of `n` digits, in groups of 4. */
static void put_luhn(buf *b, unsigned n, const char *sep)
{
    char d[20];
    d[0] = "34561"[rnd(5)];
    for (unsigned i = 1; i < n - 1; i++) d[i] = (char)('0' + rnd(10));
    unsigned sum = 0;
    for (unsigned i = 0; i < n - 1; i++) {
        unsigned v = (unsigned)(d[n - 2 - i] - '0');
        if (i % 2 == 0) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
    }
    d[n - 1] = (char)('0' + (10 - sum % 10) % 10);
    for (unsigned i = 0; i < n; i++) {
        if (i && i % 4 == 0) buf_puts(b, sep);
        buf_putc(b, d[i]);
    }
}

static void put_token(buf *b)
{
    static const char *const seps[] = {" ", "-", ".", "/", "", " - ", "  ", "("};
    static const char *const glue[] = {" ", " ", " ", "\n", ", ", "; ", "=", ":", "'", "\"",
                                       "_", "x", "A", "+", ".", "-", "(", ")", "/", "@", "\t",
                                       " #", "v", "Z "};
    switch (rnd(31)) {
    case 0: buf_printf(b, "+%s %u %u %04u", (const char *[]){"1", "44", "33", "49", "91", "972",
                                                            "61", "81", "86", "55"}[rnd(10)],
                       rnd(1000), rnd(10000), rnd(10000)); break;
    case 1: buf_printf(b, "(%03u) %03u-%04u", 200 + rnd(800), 200 + rnd(800), rnd(10000)); break;
    case 2: buf_printf(b, "%03u%s%03u%s%04u", 200 + rnd(800), seps[rnd(5)], rnd(1000), seps[rnd(5)], rnd(10000)); break;
    case 3: put_luhn(b, 13 + rnd(7), seps[rnd(3)]); break;
    case 4: buf_printf(b, "%03u%s%02u%s%04u", rnd(1000), seps[rnd(4)], rnd(100), seps[rnd(4)], rnd(10000)); break;
    case 5: buf_printf(b, "9%02u%s%u%s%04u", rnd(100), seps[rnd(3)], 50 + rnd(50), seps[rnd(3)], rnd(10000)); break;
    case 6: buf_printf(b, "%u.%u.%u.%u", rnd(300), rnd(300), rnd(256), rnd(256)); break;
    case 7: buf_printf(b, "%c%08u", 'A' + rnd(26), rnd(100000000)); break;
    case 8: buf_printf(b, "%c%c%u", 'A' + rnd(26), 'A' + rnd(26), rnd(10000000)); break;
    case 9: put_digits(b, 1 + rnd(18)); break;
    case 10: buf_printf(b, "0%u%s%u%s%u", 1 + rnd(9999), seps[rnd(8)], rnd(100000000), seps[rnd(8)], rnd(100000)); break;
    case 11: buf_printf(b, "%03u %03u %04u", rnd(1000), rnd(1000), rnd(10000)); break;
    case 12: buf_printf(b, "%04u-%02u-%02u%s%02u:%02u", 1990 + rnd(40), 1 + rnd(12), 1 + rnd(31), rnd(2) ? "T" : " ", rnd(24), rnd(60)); break;
    case 13: buf_printf(b, "%u/%u/%u", 1 + rnd(31), 1 + rnd(12), rnd(3000)); break;
    case 14: buf_printf(b, "v%u.%u.%u.%u", rnd(10), rnd(10), rnd(10), rnd(10)); break;
    case 15: buf_printf(b, "0%u %u %u %u %u", 1 + rnd(9), rnd(100), rnd(100), rnd(100), rnd(100)); break;
    case 16: buf_printf(b, "%02u%c%c%c%05u", rnd(100), 'A' + rnd(26), 'A' + rnd(26), 'A' + rnd(26), rnd(100000)); break;
    case 17: buf_printf(b, "%09u%c", rnd(1000000000), 'A' + rnd(26)); break;
    case 18: buf_printf(b, "1%u%s%04u%s%04u", 3 + rnd(7), seps[rnd(3)], rnd(10000), seps[rnd(3)], rnd(10000)); break;
    case 19: buf_printf(b, "GB%02u WEST %04u %04u %04u %02u", rnd(100), rnd(10000), rnd(10000), rnd(10000), rnd(100)); break;
    case 20: { /* a random run of the bytes the gate reads */
        static const char al[] = "0123456789012345678901234567890123456789 .-/()+AZKQ";
        for (unsigned i = 0, n = 1 + rnd(30); i < n; i++) buf_putc(b, al[rnd(sizeof al - 1)]);
        break;
    }
    case 21: buf_puts(b, (const char *[]){"phone", "card", "ssn", "license", "passport", "account",
                                          "nhs", "ip", "tax", "itin", "bank", "number"}[rnd(12)]); break;
    case 22: buf_printf(b, "%u.%u.%u.%u", rnd(10), rnd(10), rnd(10), rnd(10)); break;
    case 23: buf_printf(b, "%c%c%0*u", 'A' + rnd(26), 'A' + rnd(26), (int)(3 + rnd(3)), rnd(100000)); break;
    case 24: buf_printf(b, "%c%0*u", 'A' + rnd(26), (int)(3 + rnd(4)), rnd(1000000)); break;
    case 25: buf_printf(b, "%s%u@%s.%s", (const char *[]){"maria.garcia", "j", "x+tag", "_a",
                                                         "-b", "a..b", "O'Neil", "%u"}[rnd(8)],
                       rnd(100), (const char *[]){"acme-billing", "a", "-x", "mail.corp",
                                                 "b_c", "127.0.0"}[rnd(6)],
                       (const char *[]){"io", "com", "c", "co.uk", "x1", "internal"}[rnd(6)]); break;
    case 27: buf_puts(b, (const char *[]){"2001:db8::1", "fe80::1ff:fe23:4567:890a", "::1",
                                          "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "12:34:56",
                                          "aa:bb:cc:dd:ee:ff", "00:1A:2b:3C:4d:5E", "a::",
                                          "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "x[1:2:3]",
                                          "Note::", "10:05:05Z", "1::2:3:4:5:6:7"}[rnd(14)]); break;
    case 28: { /* a random run of the bytes an IPv6 or MAC address holds */
        static const char al[] = "0123456789abcdefABCDEF:::::.";
        for (unsigned i = 0, n = 1 + rnd(40); i < n; i++) buf_putc(b, al[rnd(sizeof al - 1)]);
        break;
    }
    case 26: { /* a random run of the bytes an e-mail address holds */
        static const char al[] = "abcXYZ019._%+-@@@";
        for (unsigned i = 0, n = 1 + rnd(40); i < n; i++) buf_putc(b, al[rnd(sizeof al - 1)]);
        break;
    }
    default: buf_puts(b, glue[rnd(sizeof glue / sizeof *glue)]); break;
    }
    buf_puts(b, glue[rnd(sizeof glue / sizeof *glue)]);
}

static void test_gate_differential(void)
{
    diag_list d = {0};
    scan_db *db = scan_db_new();
    CHECK(pii_add_patterns(P, db, &d) == VG_OK);
    CHECK(scan_db_compile(db, "", &d) == VG_OK);
    scan_scratch *sc = scan_scratch_new(db);
    rng_state = 7;
    size_t total = 0, found = 0;
    for (int t = 0; t < 32; t++) { /* 32 texts of 32 KiB: 1 MiB */
        buf b;
        buf_init(&b, 0);
        while (b.len < 32768) put_token(&b);
        total += b.len;
        char what[32];
        snprintf(what, sizeof what, "generated text %d", t);
        int n = same_as_whole(P, db, sc, (const unsigned char *)b.data, b.len, what);
        buf_free(&b);
        if (n < 0) break;
        found += (size_t)n;
    }
    CHECK_MSG(found > total / 64, "only %zu matches in %zu bytes", found, total);
    scan_scratch_free(sc);
    scan_db_free(db);
    diag_free(&d);
}

int main(void)
{
    diag_list d = {0};
    if (pii_open(PII_ALL_PUBLIC | PII_INFRA_MASK, 0.0, 1, &P, &d)) {
        for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s\n", d.v[i].message);
        return 1;
    }
    diag_free(&d);
    test_cases();
    test_coverage();
    test_doc_values();
    test_validators();
    test_entities_parse();
    test_threshold_and_mask();
    test_presidio_profile();
    test_presidio_phones();
    test_gated_same();
    test_gate_differential();
    pii_close(P);
    return T_DONE("test_pii");
}
