/* placeholder.h - the mapping between sensitive values and placeholders.
 *
 * Each distinct value gets one typed, numbered placeholder the first time
 * it is seen (<EMAIL_ADDRESS_1>, <AWS_ACCESS_TOKEN_2>: numbered per type),
 * and the same placeholder every time after, whatever type a later
 * recognizer gives it.  In the shape style the replacement keeps the
 * value's form instead (sk_live_XXXXXXXXXXXX, user2@example.com,
 * postgresql://user:password@hostname:5432/dbname), made unique with the
 * number where the form allows.
 *
 * The map owns copies of every value and placeholder.  Lookups by
 * placeholder are exact first, then case-insensitive (assistants
 * sometimes change case).  The map is capped at PH_MAX_ENTRIES distinct
 * values; past that ph_map_get fails with VG_ERR_LIMIT.
 *
 * Memory is a small constant per value beyond its bytes and its
 * replacement's (docs/redact.md has the figures): entries live in fixed
 * blocks and the strings in shared chunks, so nothing is moved as the
 * map grows and an entry pointer stays valid as long as the map; labels
 * are stored once, not per entry; the two indexes hold 32-bit slots.
 */
#ifndef VG_PLACEHOLDER_H
#define VG_PLACEHOLDER_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/limits.h"
#include "../core/status.h"

typedef enum ph_style { PH_PLACEHOLDER = 0, PH_SHAPE = 1 } ph_style;

typedef struct ph_entry {
    const char *label;  /* EMAIL_ADDRESS (shared by the entries of a label) */
    char *value;        /* the original bytes (NUL-terminated copy) */
    char *ph;           /* what replaces the value (NUL-terminated) */
    uint32_t vlen;      /* a value is at most a block (REDACT_MAX_BLOCK) */
    uint32_t phlen;
    unsigned num;       /* 1-based, per label */
    ph_style style;
    uint64_t vhash;     /* ph_value_hash of the value */
    uint64_t phhash;    /* of the replacement, lowered (the by-placeholder index;
                         * set when ph_map_find indexes the entry) */
} ph_entry;

typedef struct ph_map ph_map;

ph_map *ph_map_new(void);
void ph_map_free(ph_map *m);
size_t ph_map_count(const ph_map *m);
const ph_entry *ph_map_at(const ph_map *m, size_t i);

/* The replacement for value v (creating it with `label` and `style` when
 * v is new; any name: ph_label_from makes it a label, so a rule's slug
 * will do).  *out stays valid as long as the map. */
vg_status ph_map_get(ph_map *m, const char *label, const unsigned char *v, size_t n,
                     ph_style style, const ph_entry **out);
/* The same with h = ph_value_hash(v, n), computed before (by redact's
 * workers, off the thread that owns the map). */
uint64_t ph_value_hash(const unsigned char *v, size_t n);
vg_status ph_map_get_hashed(ph_map *m, const char *label, const unsigned char *v, size_t n,
                            uint64_t h, ph_style style, const ph_entry **out);
/* A hint that ph_map_get_hashed will look up hash h soon: level 0 loads
 * its slot into the cache, 1 the entry the slot names (its slot loaded
 * by now), 2 that entry's value.  In a map of 100,000s of values each is
 * a cache miss; issued a few values ahead, level by level, the misses
 * overlap instead of following one another.  Changes nothing else. */
void ph_map_prefetch(const ph_map *m, uint64_t h, int level);
/* Add an entry as loaded from a vault (label, number, style, value,
 * replacement); keeps the per-label counters past every loaded number. */
vg_status ph_map_load(ph_map *m, const char *label, unsigned num, ph_style style,
                      const unsigned char *v, size_t vn, const char *ph, size_t phn);
/* The entry whose placeholder is p[0..n): exact, else case-insensitive.
 * It indexes the placeholders added since its last call, so it is not
 * for two threads at once (the map is not const for that moment). */
const ph_entry *ph_map_find(const ph_map *m, const char *p, size_t n);

/* "aws-access-token" -> "AWS_ACCESS_TOKEN" (letters, digits, '_'; capped). */
void ph_label_from(char *out, size_t cap, const char *name);

/* The shape-style replacement for a value (exposed for tests). */
void ph_shape(buf *out, const char *label, const unsigned char *v, size_t n, unsigned num);

/* Serialise every entry as text lines (for the vault) and parse them back.
 * ph_map_dump is the head line then ph_map_dump_entry for each entry in
 * order (vault_save streams those, a bounded buffer at a time). */
void ph_map_dump(const ph_map *m, buf *out);
void ph_map_dump_head(buf *out);
void ph_map_dump_entry(const ph_map *m, size_t i, buf *out);
vg_status ph_map_undump(ph_map *m, const char *s, size_t n);
/* The same a piece at a time: parses the whole lines of s[0..n) (the head
 * line first when `first`), *used = the bytes they took; the caller
 * keeps the rest for the next piece.  A last piece must be used whole. */
vg_status ph_map_undump_part(ph_map *m, const char *s, size_t n, int first, size_t *used);
/* Exchange the contents of two maps. */
void ph_map_swap(ph_map *a, ph_map *b);

#endif
