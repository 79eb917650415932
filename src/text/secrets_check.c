/* secrets_check.c - structure checks that a regex cannot express: the
 * checksums and encodings some providers build into their tokens.
 *
 * A rule names its check with `check = "..."` in data/secrets.toml; a
 * secret that fails it is a look-alike (a typo, a made-up value of the
 * right shape, a truncated copy) and is not reported.  Each check reads
 * only the secret's bytes and is documented by the provider:
 *   github-crc32  GitHub's ghp_/gho_/ghu_/ghs_/ghr_ tokens and npm's npm_
 *                 tokens: 30 random base62 characters, then the CRC32 of
 *                 those 30 characters in base62 (0-9A-Za-z), 6 digits.
 *   jwt           header.payload[.signature]: the header and the payload
 *                 are base64url JSON objects (RFC 7519), the header names
 *                 "alg", and the payload's first bytes are JSON text.
 *   pypi-macaroon pypi-<base64url macaroon>: the macaroon decodes to the
 *                 binary v2 format whose location is pypi.org or
 *                 test.pypi.org (the fixed prefix AgEIcHlwaS5vcmc...).
 */
#include "secrets_check.h"

#include <stdint.h>
#include <string.h>

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

static int b62_digit(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    if (c >= 'a' && c <= 'z') return c - 'a' + 36;
    return -1;
}

/* PREFIX_ + 30 base62 + 6 base62 digits of CRC32(the 30). */
static int check_github_crc32(const unsigned char *p, size_t n)
{
    const unsigned char *us = memchr(p, '_', n);
    if (!us) return 0;
    /* github_pat_ (fine-grained) tokens carry no documented checksum */
    size_t off = (size_t)(us - p) + 1;
    if (n - off != 36) return 1;
    const unsigned char *body = p + off;
    uint64_t v = 0;
    for (int i = 30; i < 36; i++) {
        int d = b62_digit(body[i]);
        if (d < 0) return 0;
        v = v * 62 + (uint64_t)d;
    }
    return v == crc32_of(body, 30);
}

static int b64url_val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
}

/* Decode up to `cap` bytes of base64url (either alphabet, padding
 * optional); returns the decoded length or -1 on a bad character. */
static long b64_decode(const unsigned char *p, size_t n, unsigned char *out, size_t cap)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '=') break;
        int v = b64url_val(p[i]);
        if (v < 0) return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap) return (long)o;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    return (long)o;
}

static int json_object(const unsigned char *d, long n)
{
    while (n > 0 && (d[n - 1] == ' ' || d[n - 1] == '\n' || d[n - 1] == '\r')) n--;
    return n >= 2 && d[0] == '{' && d[n - 1] == '}';
}

static int check_jwt(const unsigned char *p, size_t n)
{
    const unsigned char *d1 = memchr(p, '.', n);
    if (!d1) return 0;
    size_t hl = (size_t)(d1 - p);
    const unsigned char *pl = d1 + 1;
    const unsigned char *d2 = memchr(pl, '.', n - hl - 1);
    size_t pll = d2 ? (size_t)(d2 - pl) : n - hl - 1;
    unsigned char hdr[512], body[64];
    long h = b64_decode(p, hl, hdr, sizeof hdr);
    if (h < 0 || (size_t)h == sizeof hdr) return h == (long)sizeof hdr; /* huge header: accept */
    if (!json_object(hdr, h) || !memmem(hdr, (size_t)h, "\"alg\"", 5)) return 0;
    long b = b64_decode(pl, pll < 84 ? pll : 84, body, sizeof body);
    if (b < 2 || body[0] != '{' || body[1] != '"') return 0;
    for (long i = 0; i < b; i++) /* JSON text: no control bytes */
        if ((body[i] < 0x20 && body[i] != '\t' && body[i] != '\n' && body[i] != '\r') ||
            body[i] == 0x7f)
            return 0;
    return 1;
}

/* Binary macaroon v2: version byte 0x02, then field 1 (location) of
 * length 8 "pypi.org" or 13 "test.pypi.org". */
static int check_pypi(const unsigned char *p, size_t n)
{
    if (n < 6 || memcmp(p, "pypi-", 5)) return 0;
    unsigned char m[24];
    long k = b64_decode(p + 5, n - 5 < 32 ? n - 5 : 32, m, sizeof m);
    if (k < 16 || m[0] != 0x02 || m[1] != 0x01) return 0;
    if (m[2] == 8) return !memcmp(m + 3, "pypi.org", 8);
    if (m[2] == 13) return !memcmp(m + 3, "test.pypi.org", 13);
    return 0;
}

int secrets_check_id(const char *name)
{
    if (!name) return SECRETS_CHECK_NONE;
    if (!strcmp(name, "github-crc32")) return SECRETS_CHECK_GITHUB_CRC32;
    if (!strcmp(name, "jwt")) return SECRETS_CHECK_JWT;
    if (!strcmp(name, "pypi-macaroon")) return SECRETS_CHECK_PYPI;
    return -1;
}

int secrets_check(int check, const unsigned char *p, size_t n)
{
    switch (check) {
    case SECRETS_CHECK_GITHUB_CRC32: return check_github_crc32(p, n);
    case SECRETS_CHECK_JWT: return check_jwt(p, n);
    case SECRETS_CHECK_PYPI: return check_pypi(p, n);
    default: return 1;
    }
}
