/* redact.h - turn text into text that is safe to paste into an assistant,
 * and back.
 *
 * redact replaces, in one pass over each block of lines:
 *   - secrets: every secret rule (secrets.h), the secret part only, so
 *     `password = "hunter2"` keeps its quotes and its key;
 *   - PII (pii.h) at or above the threshold, documentation values and
 *     loopback addresses excepted;
 *   - internal infrastructure: private IP addresses (PRIVATE_IP), internal
 *     host names (INTERNAL_HOST), connection strings with credentials
 *     (CONNECTION_STRING);
 * with placeholders from a ph_map.  Where two finds overlap the longer one
 * wins.  Placeholders hold no quotes, so a value inside a string literal
 * stays inside it.
 *
 * Streaming: input is cut into blocks that end at a line end (a block
 * holds whole lines; a line longer than REDACT_MAX_BLOCK is cut there), and
 * a block never splits a PEM "-----BEGIN ... -----END" pair unless it would
 * grow past REDACT_MAX_BLOCK.  Memory is bounded by the block size and the
 * map, not by the input.
 *
 * restore puts values back for every "<LABEL_N>" placeholder the map
 * knows (exact, else case-insensitive match) and every shape-style
 * replacement, and collects the placeholders it could not restore and
 * those an assistant mangled (HTML entities, Markdown escapes: restored
 * when known, and listed).
 *
 * The round trip is the identity: text already in the input that restore
 * would read as a placeholder (plain or mangled) is itself replaced, by a
 * <LITERAL_N> placeholder whose value is that text, so no placeholder in
 * redacted output was there before redaction.
 */
#ifndef VG_REDACT_H
#define VG_REDACT_H

#include <stdio.h>

#include "../core/buf.h"
#include "../core/diag.h"
#include "../core/limits.h"
#include "../core/status.h"
#include "../text/pii.h"
#include "../text/secrets.h"
#include "placeholder.h"

/* What happens to a value found (Presidio's operators). */
typedef enum redact_op {
    RO_REPLACE = 0,   /* a placeholder from the map (restore puts it back) */
    RO_KEEP,          /* left as it is */
    RO_MASK,          /* every code point but the last `keep` becomes `mask_char` */
    RO_HASH,          /* hex SHA-256 of salt || value */
    RO_ENCRYPT,       /* "<ENC:...>": secretbox with the vault key, base64url;
                       * redact_decrypt_buffer puts the value back */
} redact_op;

typedef struct redact_operator {
    redact_op op;
    unsigned keep;          /* RO_MASK */
    char mask_char;         /* RO_MASK ('*') */
} redact_operator;

/* Operator slots: one per PII entity (PRIVATE_IP is IP_ADDRESS), then one
 * for every secret rule. */
#define REDACT_OP_SECRET PII_NENTITIES
#define REDACT_NOPS (PII_NENTITIES + 1)

typedef struct redact_opts {
    ph_style style;
    unsigned pii_mask;      /* 0: the default entities (see redact.c) */
    double threshold;       /* PII score threshold */
    int no_secrets, no_pii, no_infra;
    redact_operator ops[REDACT_NOPS];   /* all zero: replace everything */
    unsigned char salt[16]; /* RO_HASH; all zero: random per redactor */
    unsigned char key[32];  /* RO_ENCRYPT */
    int have_key;
    int jobs;               /* threads finding candidates: 0 one per core, 1 none */
} redact_opts;

/* Parse an operator choice "ENTITY=OP" (OP: replace, keep, mask[:N[:C]],
 * hash, encrypt; ENTITY: a PII entity, PRIVATE_IP, SECRET, or ALL) into o.
 * 0, or -1 with *err set to a static message. */
int redact_operator_parse(const char *spec, redact_opts *o, const char **err);
/* Does any slot use op? */
int redact_uses_op(const redact_opts *o, redact_op op);

/* Presidio's decrypt: every "<ENC:...>" that key opens becomes its value
 * again; *bad counts the ones it could not open (left as they are). */
vg_status redact_decrypt_buffer(const unsigned char key[32], const unsigned char *data,
                                size_t len, buf *out, size_t *bad);

typedef struct redactor redactor;

/* `sec` may be NULL (no secret rules); it is borrowed.  `map` is borrowed
 * and filled as values are met. */
vg_status redactor_new(const redact_opts *o, const secrets *sec, ph_map *map, redactor **out,
                       diag_list *d);
void redactor_free(redactor *r);

/* Redact one block of whole lines, appending to out. */
vg_status redact_block(redactor *r, const unsigned char *data, size_t len, buf *out);
/* Redact a stream (blocks as described above). */
vg_status redact_stream(redactor *r, FILE *in, FILE *out, diag_list *d);
/* Counts of replacements made so far. */
size_t redactor_replaced(const redactor *r);

typedef struct restore_stats {
    size_t restored;
    size_t unknown;           /* placeholder-looking tokens not in the map */
    char *unknown_list[16];   /* the first distinct ones (malloc'd) */
    size_t n_unknown_list;
    size_t mangled;           /* placeholders written otherwise ("&lt;X_1&gt;",
                                 "\\<X\\_1\\>"); restored when known, and counted */
    char *mangled_list[16];   /* the first distinct ones as written (malloc'd) */
    size_t n_mangled_list;
} restore_stats;

/* Restore one buffer completely (no carry): used by the stream and tests. */
vg_status restore_buffer(const ph_map *m, const unsigned char *data, size_t len, buf *out,
                         restore_stats *st);
vg_status restore_stream(const ph_map *m, FILE *in, FILE *out, restore_stats *st, diag_list *d);
void restore_stats_free(restore_stats *st);

#endif
