/* merge.h - one problem, one finding.
 *
 * Several rules often see the same flaw: B602, VG501 and VG702 on one
 * subprocess.run(..., shell=True); B102 and VG703 (twice, for exec and
 * compile) on exec(compile(...)); B613 and unicode:bidi on one character;
 * one sink reached from several sources.  merge_findings folds each such
 * group into one finding that keeps the strongest evidence.
 */
#ifndef VG_MERGE_H
#define VG_MERGE_H

#include "../finding/finding.h"

/* Fold, in out->v (sorted by path, line, column as findings_sort leaves
 * them), every group of findings in one file whose spans overlap on the
 * same first line and whose rules share a CWE (or are the same rule; a
 * dependency or personal-data rule folds only with itself).  The
 * kept finding is an issue rather than a review item, then the one with a
 * taint path, else the higher severity,
 * then confidence, then the first; it takes the highest severity of the
 * group, is suppressed when any member was, is an issue when any member
 * was, and lists the other rule ids in ->also (each once).  Merged-away
 * findings are freed.  Returns how many were folded. */
size_t merge_findings(vg_out *out);

#endif
