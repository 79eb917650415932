/* policy.h - apply the file-class policy (policy.def) to the findings an
 * analyzer reported for one file: some become review items, some are not
 * findings in that kind of file at all.  Called by the driver once per
 * file after every analyzer ran on it, and on each cross-file finding
 * with the class of the file it points at. */
#ifndef VG_POLICY_H
#define VG_POLICY_H

#include <stddef.h>

#include "../finding/finding.h"

/* Decide out->v[from .. out->n) of file class cls (agent: the file steers
 * AI agents, where the policy never applies).  Dropped findings are freed
 * and the rest close up, in order. */
void policy_apply(vg_out *out, size_t from, file_class cls, int agent);

/* The "why" of the first policy line for (rule id, class), or NULL; *drop
 * tells whether that line drops the finding. */
const char *policy_lookup(const char *rule_id, file_class cls, int *drop);

#endif
