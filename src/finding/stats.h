/* stats.h - what one scan counted: files, bytes, skips.
 *
 * Filled by the scan driver (src/scan/run.c) and the CLI's filtering step,
 * printed by every reporter; kept here, below both, so that the reporters
 * need nothing from the driver.
 */
#ifndef VG_STATS_H
#define VG_STATS_H

#include <stddef.h>

typedef struct scan_stats {
    size_t files;            /* files handed to the analyzers */
    size_t bytes;            /* their total size */
    size_t python_files;
    size_t skipped_binary;   /* NUL and control bytes in the first 8 KiB */
    size_t skipped_large;    /* over --max-file-size */
    size_t skipped_ignored;  /* by .gitignore/.ignore/--exclude (files and dirs) */
    size_t unreadable;       /* could not be opened or read */
    size_t parse_errors;     /* files whose Python had syntax errors */
    size_t incomplete;       /* files not fully searched (a cap was hit): the gate fails */
    size_t history_blobs;    /* blobs scanned by --history */
    size_t context_files;    /* read as context only (--staged, --diff, --shard) */
    size_t context_cached;   /* of those, Python files whose facts came from the context cache */
    size_t suppressed;       /* findings dropped by inline pragmas (filled by the CLI) */
    size_t policy_dropped;   /* not findings in their kind of file (scan/policy.def) */
    size_t merged;           /* folded into another finding of the same problem */
    size_t taint_work;       /* statements, expressions and names taint visited: work, for
                              * the hostile tests (VIBEGUARD_WORK=1 prints it), not a report field */
    size_t rules_work;       /* the pattern rules' look-ups through statement blocks: the same */
    int jobs;
    double seconds;          /* wall time of the scan */
} scan_stats;

#endif
