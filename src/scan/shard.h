/* shard.h - `scan --shard K/N`: one of N jobs that together cover a tree
 * exactly once (see docs/shards.md).
 *
 * A file belongs to shard K when the FNV-1a hash of its display path is
 * K-1 modulo N, so every job, on any machine, splits the same tree the
 * same way without talking to the others.  A job still reads the other
 * shards' files for the analyzers that need the whole tree (cross-module
 * taint, dependency manifests), then keeps only findings and diags on its
 * own paths, so the union of the N reports equals the unsharded report.
 */
#ifndef VG_SHARD_H
#define VG_SHARD_H

#include "../core/opts.h"
#include "../finding/finding.h"

/* 1 when `path` is in the shard of o (always without --shard) and among
 * the files o->report_only lets this run report (--staged, --diff). */
int shard_mine(const vg_opts *o, const char *path);

/* Drop (and free) the findings and diags of out on other shards' paths;
 * diags without a path stay.  Returns the number of findings dropped. */
size_t shard_filter(const vg_opts *o, vg_out *out);

#endif
