/* hash.c - FNV-1a, 64 bits. */
#include "hash.h"

uint64_t hash_fnv1a64_more(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t hash_fnv1a64(const void *p, size_t n)
{
    return hash_fnv1a64_more(HASH_FNV_INIT, p, n);
}
