/* secrets_check.h - checksum and encoding checks of provider tokens
 * (secrets_check.c): what a rule's `check = "..."` names. */
#ifndef VG_SECRETS_CHECK_H
#define VG_SECRETS_CHECK_H

#include <stddef.h>

enum {
    SECRETS_CHECK_NONE = 0,
    SECRETS_CHECK_GITHUB_CRC32, /* GitHub ghp_/gho_/ghu_/ghs_/ghr_, npm npm_: CRC32 suffix */
    SECRETS_CHECK_JWT,          /* base64url JSON header naming "alg", JSON payload */
    SECRETS_CHECK_PYPI          /* pypi- + a v2 macaroon located at (test.)pypi.org */
};

/* The check a name stands for; SECRETS_CHECK_NONE for NULL, -1 if unknown. */
int secrets_check_id(const char *name);
/* 1 when the secret p[0..n) passes the check (always for NONE). */
int secrets_check(int check, const unsigned char *p, size_t n);

#endif
