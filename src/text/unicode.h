/* unicode.h - hidden Unicode (bidi, zero-width, tag characters, variation
 * selectors, fillers) and injected instructions in AI agent files.
 *
 * The family (unicode_family, declared in scan.h) joins the text
 * analyzer's one Hyperscan pass; its rules are unicode:<kind>.
 */
#ifndef VG_UNICODE_H
#define VG_UNICODE_H

#include "../finding/rule.h"
#include "scan.h"

#endif
