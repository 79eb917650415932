/* run.h - one scan, end to end: walk the roots in parallel, read each file
 * once, hand it to every analyzer, then run their finish phases, the
 * optional git history pass, and sort the findings.
 *
 * scan_run fills `out` (findings, sorted, including suppressed ones with
 * ->suppressed set; the CLI filters) and `st`.  Problems with single files
 * (unreadable, too large, a parse error) are diags in out->diags, never a
 * failed scan; scan_run fails only for a root that does not exist
 * (VG_ERR_IO) or an analyzer that cannot start (its init failed), with an
 * error diag in `d`.  `progress`, when not NULL, is called from the walker
 * at most every 100 ms with the stats so far (the CLI draws the TTY line).
 */
#ifndef VG_RUN_H
#define VG_RUN_H

#include <stddef.h>

#include "../finding/analyzer.h"
#include "../finding/finding.h"
#include "../finding/stats.h"


typedef void (*scan_progress_fn)(const scan_stats *st, void *ud);

vg_status scan_run(const vg_opts *opts, vg_out *out, scan_stats *st, diag_list *d,
                   scan_progress_fn progress, void *ud);

/* Run every analyzer's file phase on one file (used by the walker and by
 * the git history pass).  Thread-safe across different files. */
vg_status scan_dispatch(vg_scan *s, const vg_file *f, vg_out *out);

/* Is this path one of the files that steer AI agents (DESIGN §6)? */
int kind_is_agent_file(const char *path);
/* Classify by name and content: FK_BINARY, FK_PYTHON or FK_TEXT. */
file_kind kind_of(const char *path, const unsigned char *data, size_t len);
/* The first bytes data[0..n) of the file at path say it is binary (see kind.c). */
int kind_is_binary(const char *path, const unsigned char *data, size_t n);

#endif
