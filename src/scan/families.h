/* families.h - the list of everything: every analyzer family and every
 * analyzer, in one place at the top of the tree (the composition root).
 *
 * A new family adds its registration hook and, if it reads files, its
 * analyzer here and in families.c; nothing below src/scan/ knows the list.
 */
#ifndef VG_FAMILIES_H
#define VG_FAMILIES_H

#include "../finding/analyzer.h"

/* Register every built-in family's rules and sort the registry.  Call once
 * before scanning; later calls do nothing until registry_free. */
void families_register(void);

/* Family registration hooks, one per analyzer family; each lives in its
 * own module and calls registry_add for each of its rules. */
void python_rules_register(void);  /* src/rules/   */
void taint_rules_register(void);   /* src/taint/   */
void secrets_rules_register(void); /* src/text/    */
void unicode_rules_register(void); /* src/text/    */
void pii_rules_register(void);     /* src/text/    */
void deps_rules_register(void);    /* src/deps/    */
void licence_rules_register(void); /* src/deps/licence_scan.c */

/* The analyzers, in the order they run on each file. */
extern const analyzer python_analyzer; /* src/scan/python.c: rules + taint */
extern const analyzer text_analyzer;   /* src/text/analyze.c: secrets, unicode, PII */
extern const analyzer deps_analyzer;   /* src/deps/analyze.c: manifests */
extern const analyzer licence_analyzer; /* src/deps/licence_scan.c: licences */

/* The same analyzers as a table the driver walks, the rule families
 * (rule_meta.analyzer) each one reports, NULL-terminated, and which files
 * each one reads, by display path and the scan's options (NULL: every
 * file; the driver reads a file only if a running analyzer wants it).
 * context: the file is read only for what the analyzer's finish phase
 * needs from it for the files this run reports (--staged, --diff, a
 * shard), which may be less. */
extern const analyzer *const families_analyzers[VG_ANALYZERS];
extern const char *const families_reported[VG_ANALYZERS][4];
extern int (*const families_wants[VG_ANALYZERS])(const vg_opts *o, const char *path,
                                                 int context);

int deps_wants(const vg_opts *o, const char *path, int context);  /* src/deps/: the manifests */
int licence_wants(const vg_opts *o, const char *path, int context); /* licence files, manifests, code */

/* A context file whose facts the context cache holds under key: the
 * Python analyzer (state: its state) replays them without the file's
 * bytes.  1 when it did (scan/ctxcache.h). */
int python_context_replay(vg_scan *s, void *state, uint64_t key);

#endif
