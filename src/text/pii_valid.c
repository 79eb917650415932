/* pii_valid.c - the checksums and structure checks behind PII recognizers.
 *
 * Each validator takes the matched text (not NUL-terminated) and answers
 * yes/no; the recognizers in pii.c decide what that does to the score.
 * Pure functions: no allocation, safe from any thread.
 */
#include "pii.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Digit strings that are programming constants, not identifiers: runs
 * like 0123456789, one digit repeated, powers of two (and 2^n - 1). */
int pii_numeric_constant(const char *dig)
{
    size_t n = strlen(dig);
    int up = 1, down = 1, same = 1;
    for (size_t i = 1; i < n; i++) {
        if ((dig[i] - '0') != (dig[i - 1] - '0' + 1) % 10) up = 0;
        if ((dig[i] - '0' + 1) % 10 != (dig[i - 1] - '0')) down = 0;
        if (dig[i] != dig[0]) same = 0;
    }
    if (up || down || same) return 1;
    if (n <= 19) {
        unsigned long long x = strtoull(dig, NULL, 10);
        if (x && (!(x & (x - 1)) || !((x + 1) & x))) return 1;
    }
    return 0;
}

int pii_luhn(const char *s, size_t n)
{
    int sum = 0, ndig = 0;
    for (size_t i = n; i-- > 0;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-') continue;
        if (!isdigit(c)) return 0;
        int d = c - '0';
        if (ndig & 1) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        ndig++;
    }
    return ndig >= 12 && ndig <= 19 && sum % 10 == 0;
}

/* IBAN lengths by country (SWIFT IBAN registry). */
static const struct { char cc[3]; unsigned char len; } iban_lengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
    {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
    {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
    {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30},
    {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21},
    {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33},
    {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
    {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29},
    {"VA", 22}, {"VG", 24}, {"XK", 20},
};

int pii_iban_length(const char *cc)
{
    for (size_t i = 0; i < sizeof iban_lengths / sizeof *iban_lengths; i++)
        if (cc[0] == iban_lengths[i].cc[0] && cc[1] == iban_lengths[i].cc[1])
            return iban_lengths[i].len;
    return 0;
}

int pii_iban_valid(const char *s, size_t n)
{
    char c[40];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ') continue;
        if (k >= sizeof c || !isalnum((unsigned char)s[i])) return 0;
        c[k++] = (char)toupper((unsigned char)s[i]);
    }
    if (k < 15 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1]) ||
        !isdigit((unsigned char)c[2]) || !isdigit((unsigned char)c[3]))
        return 0;
    if ((size_t)pii_iban_length(c) != k) return 0;
    unsigned rem = 0;
    for (size_t i = 0; i < k; i++) {
        char ch = c[(i + 4) % k];
        if (isdigit((unsigned char)ch)) rem = (rem * 10 + (unsigned)(ch - '0')) % 97;
        else rem = (rem * 100 + (unsigned)(ch - 'A' + 10)) % 97;
    }
    return rem == 1;
}

int pii_nhs_valid(const char *s, size_t n)
{
    int d[10], k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '-') continue;
        if (!isdigit((unsigned char)s[i]) || k >= 10) return 0;
        d[k++] = s[i] - '0';
    }
    if (k != 10) return 0;
    int total = 0;
    for (int i = 0; i < 10; i++) total += d[i] * (10 - i);
    return total % 11 == 0;
}

/* Presidio's UsSsnRecognizer.invalidate_result, plus the 9xx area (ITINs
 * and never-issued numbers). */
int pii_ssn_invalid(const char *s, size_t n)
{
    char dig[16];
    size_t k = 0;
    int seen_dot = 0, seen_dash = 0, seen_space = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') seen_dot = 1;
        else if (c == '-') seen_dash = 1;
        else if (c == ' ') seen_space = 1;
        else if (isdigit((unsigned char)c) && k < sizeof dig - 1) dig[k++] = c;
        else return 1;
    }
    dig[k] = 0;
    if (seen_dot + seen_dash + seen_space > 1) return 1;
    if (k != 9) return 1;
    int same = 1;
    for (size_t i = 1; i < k; i++)
        if (dig[i] != dig[0]) same = 0;
    if (same) return 1;
    if ((dig[3] == '0' && dig[4] == '0') || !memcmp(dig + 5, "0000", 4)) return 1;
    static const char *const bad[] = {"000", "666", "123456789", "98765432", "078051120"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (!strncmp(dig, bad[i], strlen(bad[i]))) return 1;
    if (dig[0] == '9') return 1;
    return 0;
}

int pii_ssn_invalid_presidio(const char *s, size_t n)
{
    char dig[16];
    size_t k = 0;
    int seen_dot = 0, seen_dash = 0, seen_space = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') seen_dot = 1;
        else if (c == '-') seen_dash = 1;
        else if (c == ' ') seen_space = 1;
        else if (isdigit((unsigned char)c) && k < sizeof dig - 1) dig[k++] = c;
    }
    dig[k] = 0;
    if (seen_dot + seen_dash + seen_space > 1 || k < 9) return 1;
    int same = 1;
    for (size_t i = 1; i < k; i++)
        if (dig[i] != dig[0]) same = 0;
    if (same) return 1;
    if ((dig[3] == '0' && dig[4] == '0') || !strcmp(dig + 5, "0000")) return 1;
    if (!strncmp(dig, "000", 3) || !strncmp(dig, "666", 3)) return 1;
    return !strcmp(dig, "123456789") || !strcmp(dig, "987654320") || !strcmp(dig, "078051120");
}

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int pii_base58check_valid(const char *s, size_t n)
{
    unsigned char out[64];
    size_t outlen = 0;
    if (n == 0 || n > 60) return 0;
    memset(out, 0, sizeof out);
    for (size_t i = 0; i < n; i++) {
        const char *p = memchr(b58, s[i], sizeof b58 - 1);
        if (!p || !s[i]) return 0;
        unsigned carry = (unsigned)(p - b58);
        for (size_t j = 0; j < outlen; j++) {
            carry += (unsigned)out[j] * 58;
            out[j] = carry & 0xff;
            carry >>= 8;
        }
        while (carry) {
            if (outlen >= sizeof out) return 0;
            out[outlen++] = carry & 0xff;
            carry >>= 8;
        }
    }
    size_t zeros = 0;
    while (zeros < n && s[zeros] == '1') zeros++;
    size_t total = zeros + outlen;
    if (total != 25) return 0;
    unsigned char bytes[25];
    memset(bytes, 0, zeros);
    for (size_t j = 0; j < outlen; j++) bytes[zeros + j] = out[outlen - 1 - j];
    unsigned char h1[32], h2[32];
    crypto_hash_sha256(h1, bytes, 21);
    crypto_hash_sha256(h2, h1, 32);
    return memcmp(h2, bytes + 21, 4) == 0;
}

static uint32_t bech32_polymod(const unsigned char *v, size_t n)
{
    static const uint32_t gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t chk = 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v[i];
        for (int j = 0; j < 5; j++)
            if ((top >> j) & 1) chk ^= gen[j];
    }
    return chk;
}

int pii_bech32_valid(const char *s, size_t n)
{
    static const char cs[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    if (n < 14 || n > 90) return 0;
    int lower = 0, upper = 0;
    for (size_t i = 0; i < n; i++) {
        if (islower((unsigned char)s[i])) lower = 1;
        if (isupper((unsigned char)s[i])) upper = 1;
    }
    if (lower && upper) return 0;
    size_t sep = n;
    for (size_t i = n; i-- > 0;)
        if (s[i] == '1') { sep = i; break; }
    if (sep != 2 || n - sep - 1 < 6) return 0;
    char hrp[2] = {(char)tolower((unsigned char)s[0]), (char)tolower((unsigned char)s[1])};
    if (!(hrp[0] == 'b' && hrp[1] == 'c') && !(hrp[0] == 't' && hrp[1] == 'b')) return 0;
    unsigned char v[100];
    size_t k = 0;
    for (size_t i = 0; i < 2; i++) v[k++] = (unsigned char)hrp[i] >> 5;
    v[k++] = 0;
    for (size_t i = 0; i < 2; i++) v[k++] = (unsigned char)hrp[i] & 31;
    for (size_t i = sep + 1; i < n; i++) {
        const char *p = strchr(cs, tolower((unsigned char)s[i]));
        if (!p || !s[i]) return 0;
        v[k++] = (unsigned char)(p - cs);
    }
    uint32_t pm = bech32_polymod(v, k);
    return pm == 1 || pm == 0x2bc830a3;
}

/* Keccak-256 as Ethereum uses it (original padding 0x01, not SHA-3's). */
static uint64_t rol64(uint64_t x, unsigned s) { return s ? (x << s) | (x >> (64 - s)) : x; }

static void keccak_f(uint64_t st[25])
{
    static const uint64_t rc[24] = {
        0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
        0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
        0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
        0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
        0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
        0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
        0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
        0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
    static const unsigned rotc[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                      27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
    static const unsigned piln[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                      15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};
    for (int r = 0; r < 24; r++) {
        uint64_t bc[5], t;
        for (int i = 0; i < 5; i++)
            bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
        for (int i = 0; i < 5; i++) {
            t = bc[(i + 4) % 5] ^ rol64(bc[(i + 1) % 5], 1);
            for (int j = 0; j < 25; j += 5) st[j + i] ^= t;
        }
        t = st[1];
        for (int i = 0; i < 24; i++) {
            int j = (int)piln[i];
            uint64_t tmp = st[j];
            st[j] = rol64(t, rotc[i]);
            t = tmp;
        }
        for (int j = 0; j < 25; j += 5) {
            for (int i = 0; i < 5; i++) bc[i] = st[j + i];
            for (int i = 0; i < 5; i++) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
        }
        st[0] ^= rc[r];
    }
}

void pii_keccak256(const unsigned char *in, size_t n, unsigned char out[32])
{
    uint64_t st[25];
    memset(st, 0, sizeof st);
    const size_t rate = 136;
    unsigned char block[136];
    for (;;) {
        size_t take = n < rate ? n : rate;
        memset(block, 0, rate);
        memcpy(block, in, take);
        int last = take < rate;
        if (last) {
            block[take] ^= 0x01;
            block[rate - 1] ^= 0x80;
        }
        for (size_t i = 0; i < rate / 8; i++) {
            uint64_t w = 0;
            for (int b = 7; b >= 0; b--) w = (w << 8) | block[i * 8 + (size_t)b];
            st[i] ^= w;
        }
        keccak_f(st);
        in += take;
        n -= take;
        if (last) break;
    }
    for (int i = 0; i < 32; i++) out[i] = (unsigned char)(st[i / 8] >> (8 * (i % 8)));
}

int pii_eth_checksum(const char *s, size_t n)
{
    if (n == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        n -= 2;
    }
    if (n != 40) return -1;
    int lower = 0, upper = 0;
    char low[40];
    for (size_t i = 0; i < 40; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isxdigit(c)) return -1;
        if (islower(c)) lower = 1;
        if (isupper(c)) upper = 1;
        low[i] = (char)tolower(c);
    }
    if (!(lower && upper)) return 0;
    unsigned char h[32];
    pii_keccak256((const unsigned char *)low, 40, h);
    for (size_t i = 0; i < 40; i++) {
        if (!isalpha((unsigned char)s[i])) continue;
        int nib = (i & 1) ? (h[i / 2] & 0xf) : (h[i / 2] >> 4);
        int want_upper = nib >= 8;
        if (want_upper != !!isupper((unsigned char)s[i])) return -1;
    }
    return 1;
}

int pii_ipv4_parse(const char *s, size_t n, uint8_t out[4])
{
    int part = 0;
    size_t i = 0;
    while (part < 4) {
        if (i >= n || !isdigit((unsigned char)s[i])) return 0;
        unsigned v = 0;
        size_t st = i;
        while (i < n && isdigit((unsigned char)s[i]) && i - st < 4) v = v * 10 + (unsigned)(s[i++] - '0');
        if (i - st > 3 || v > 255 || (i - st > 1 && s[st] == '0')) return 0;
        out[part++] = (uint8_t)v;
        if (part < 4) {
            if (i >= n || s[i] != '.') return 0;
            i++;
        }
    }
    return i == n;
}

int pii_ipv6_parse(const char *s, size_t n, uint8_t out[16])
{
    char tmp[64];
    if (n < 2 || n >= sizeof tmp) return 0;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    return inet_pton(AF_INET6, tmp, out) == 1;
}

/* ---- phone numbers (the scan's recognizers) ---------------------------- */

size_t pii_digits_of(const unsigned char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isdigit(s[i])) {
            if (k + 1 < cap) out[k] = (char)s[i];
            k++;
        }
    if (cap) out[k < cap ? k : cap - 1] = 0;
    return k;
}

int pii_nanp_ok(const char *dig, size_t n, unsigned *flags)
{
    if (n == 11 && dig[0] == '1') dig++, n--;
    if (n != 10) return 0;
    if (dig[0] < '2' || dig[3] < '2') return 0;
    if (dig[1] == '1' && dig[2] == '1') return 0;           /* N11 service codes */
    if (!strncmp(dig + 3, "555", 3) && dig[6] == '0' && dig[7] == '1') *flags |= PII_F_DOC;
    return 1;
}

int pii_uk_doc(const char *nsn) /* national number without the trunk 0 */
{
    return !strncmp(nsn, "2079460", 7) || !strncmp(nsn, "1134960", 7) ||
           !strncmp(nsn, "1614960", 7) || !strncmp(nsn, "7700900", 7) ||
           !strncmp(nsn, "1632960", 7);
}

int pii_phone_intl_ok(const unsigned char *s, size_t n, unsigned *flags)
{
    char dig[40];
    size_t k = pii_digits_of(s, n, dig, sizeof dig);
    if (k >= sizeof dig) return 0;
    /* a "(0)" trunk prefix is not part of the national number */
    const unsigned char *z = memmem(s, n, "(0)", 3);
    static const struct { const char *cc; int lo, hi; } cc[] = {
        {"972", 8, 9}, {"33", 9, 9}, {"44", 9, 10}, {"49", 6, 13}, {"55", 10, 11},
        {"61", 9, 9},  {"81", 9, 10}, {"86", 10, 11}, {"91", 10, 10}, {"1", 10, 10}};
    for (size_t i = 0; i < sizeof cc / sizeof *cc; i++) {
        size_t l = strlen(cc[i].cc);
        if (strncmp(dig, cc[i].cc, l)) continue;
        const char *nsn = dig + l;
        if (z && *nsn == '0') nsn++;
        size_t m = strlen(nsn);
        if ((int)m < cc[i].lo || (int)m > cc[i].hi) return 0;
        if (nsn[0] == '0') return 0;
        if (l == 1) return pii_nanp_ok(nsn, m, flags);
        if (!strcmp(cc[i].cc, "44") && pii_uk_doc(nsn)) *flags |= PII_F_DOC;
        return 1;
    }
    return 0;
}

/* ---- documentation values and the like (the scan's and redact's flags) -- */

static int ends_with_ci(const char *s, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    return n >= m && tolower((unsigned char)s[n - 1]) == suf[m - 1] && /* suf: lower case */
           !strncasecmp(s + n - m, suf, m) && (n == m || s[n - m - 1] == '.');
}

/* Documentation host names: RFC 2606 / 6761 names. */
int pii_doc_host(const char *h, size_t n)
{
    return ends_with_ci(h, n, "example.com") || ends_with_ci(h, n, "example.org") ||
           ends_with_ci(h, n, "example.net") || ends_with_ci(h, n, "example") ||
           ends_with_ci(h, n, "test") || ends_with_ci(h, n, "invalid") ||
           ends_with_ci(h, n, "localhost");
}

static const char *const gtlds[] = {
    "aero", "app", "art", "asia", "biz", "blog", "cat", "cloud", "club", "com", "coop", "design",
    "dev", "edu", "email", "eu", "gov", "info", "int", "io", "jobs", "live", "ltd", "media", "mil",
    "mobi", "museum", "name", "net", "news", "online", "org", "page", "pro", "shop", "site",
    "store", "tech", "tel", "today", "travel", "work", "world", "xyz", NULL};

int pii_known_tld(const char *t, size_t n)
{
    if (n == 2) return isalpha((unsigned char)t[0]) && isalpha((unsigned char)t[1]);
    for (int i = 0; gtlds[i]; i++)
        if (tolower((unsigned char)t[0]) == gtlds[i][0] && strlen(gtlds[i]) == n &&
            !strncasecmp(t, gtlds[i], n))
            return 1;
    return 0;
}

static const char *const test_cards[] = {
    "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556",
    "4222222222222",    "5555555555554444", "5105105105105100", "5200828282828210",
    "2223003122003222", "378282246310005",  "371449635398431",  "378734493671000",
    "6011111111111117", "6011000990139424", "3530111333300000", "3566002020360505",
    "30569309025904",   "38520000023237",   "6200000000000005", NULL};

static const char *const doc_ibans[] = {"GB82WEST12345698765432", "DE89370400440532013000",
                                        "FR1420041010050500013M02606", "NL91ABNA0417164300",
                                        "GB29NWBK60161331926819", NULL};

int pii_test_card(const char *dig)
{
    for (int i = 0; test_cards[i]; i++)
        if (!strcmp(dig, test_cards[i])) return 1;
    return 0;
}

int pii_doc_iban(const char *s)
{
    for (int i = 0; doc_ibans[i]; i++)
        if (!strcmp(s, doc_ibans[i])) return 1;
    return 0;
}

/* Trim trailing punctuation a URL or connection string picked up. */
size_t pii_trim_punct(const unsigned char *d, size_t s, size_t e)
{
    while (e > s && strchr(".,;:!?)]}'\"", d[e - 1])) e--;
    return e;
}

int pii_private_v4(const uint8_t a[4])
{
    return a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 169 && a[1] == 254) || (a[0] == 100 && (a[1] & 0xc0) == 64);
}
