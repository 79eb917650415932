/* hash.h - non-cryptographic hashing for tables and fingerprints. */
#ifndef VG_HASH_H
#define VG_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash_fnv1a64(const void *p, size_t n);
uint64_t hash_fnv1a64_more(uint64_t h, const void *p, size_t n); /* continue a hash */
#define HASH_FNV_INIT 0xcbf29ce484222325ULL

#endif
