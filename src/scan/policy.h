/* policy.h - apply the file-class policy (policy.def) to the findings an
 * analyzers reported: some become review items, some are not findings in
 * that kind of file at all.  Called by the driver once, after the walk,
 * the finish phases and the history pass, so cross-file findings are
 * decided like the rest. */
#ifndef VG_POLICY_H
#define VG_POLICY_H

#include <stddef.h>

#include "../finding/finding.h"

/* Decide every finding of out by the class of its file (finding.cls); the
 * policy never applies in files that steer AI agents (finding.agent).
 * Dropped findings are freed and the rest close up, in order; returns how
 * many were dropped. */
size_t policy_apply(vg_out *out);

#endif
