/* ctxcache.h - the context cache: what a file that this run reads only as
 * context gives the whole-tree analyses, kept between runs.
 *
 * `scan --staged`, `--diff REV` and `--shard K/N` report the findings of
 * some files only; the others are read for what cross-module taint needs
 * from them (the summaries of their functions and their calls into other
 * modules, taint.h).  Those facts depend on the file's bytes, its path and
 * the rule set alone, so they are kept in the cache directory
 * (fs_cache_dir()/context-<identity>.bin, one file per scanned root and
 * rule set) under a key made of the path and the file's stat (device,
 * inode, size, modification and change times, as git's index does), and
 * a later run replays them instead of parsing the file again: a pre-commit
 * hook on one changed file in a large tree does not parse the tree.
 *
 * The identity hashes the binary (its inode, size and modification time),
 * the version, the root's absolute path and the options the facts depend
 * on; anything else invalidates it.  A file modified within the last two
 * seconds is not stored (its next change might keep the same times).  The
 * cache holds no finding and no secret: names, lines and the steps of
 * flows.  A cache that cannot be read or does not parse is ignored (it is
 * rebuilt); one that cannot be written is a note, never a failure.
 * Lookups are lock-free once loaded; stores take a lock.
 */
#ifndef VG_SCAN_CTXCACHE_H
#define VG_SCAN_CTXCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../core/diag.h"
#include "../core/opts.h"

typedef struct ctx_cache ctx_cache;

/* NULL when the cache is off (VIBEGUARD_NO_CACHE set, no cache directory). */
ctx_cache *ctxcache_open(const vg_opts *o, const char *root);
/* The key of a file: 0 when it must not be cached (changed too recently). */
uint64_t ctxcache_key(const char *path, const struct stat *st);
/* The stored bytes of key, or NULL.  Valid until ctxcache_close. */
const unsigned char *ctxcache_get(ctx_cache *c, uint64_t key, size_t *len);
/* Store (a copy of) rec under key; the entry is written at close. */
void ctxcache_put(ctx_cache *c, uint64_t key, const void *rec, size_t len);
/* How many lookups found their entry. */
size_t ctxcache_hits(const ctx_cache *c);
/* Write the entries this run used or stored (if any changed) and free. */
void ctxcache_close(ctx_cache *c, diag_list *d);

/* For tests and the fuzz target: parse a cache file's bytes (ctxcache.c's
 * format); the number of entries, or -1 when they do not parse. */
int ctxcache_parse(ctx_cache *c, const unsigned char *p, size_t n);
ctx_cache *ctxcache_new_empty(uint64_t identity);

#endif
