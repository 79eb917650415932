/* limits.h - every cap vibeguard puts on what hostile input can grow, in
 * one place (Lua's llimits.h).
 *
 * A scanned tree, a config file, a manifest or an OSV database is input
 * an attacker may write.  Each buffer, nesting depth, count and file size
 * it can drive has a cap here, with what happens at the cap: an error or
 * a warning (never a crash), or a documented truncation.  Change a cap
 * here, not in the module that applies it.
 */
#ifndef VG_LIMITS_H
#define VG_LIMITS_H

/* ---- globs and ignore files (core/glob, walk/ignore) ---- */
#define GLOB_MAX_LINE 4096          /* bytes in one pattern line; longer ones hold no pattern */
#define GLOB_MAX_PATH 4096          /* bytes of a path glob_covers tests; longer never match */
#define GLOB_MEMO_AFTER 2000UL      /* wildmatch steps before results are memoised */
#define GLOB_BUDGET 2000000UL       /* wildmatch steps; past it the answer is "no match" */
#define IGNORE_MAX_PATTERNS 100000  /* patterns in one ignore list; later lines are dropped */

#endif
