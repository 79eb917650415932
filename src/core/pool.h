/* pool.h - the one worker pool: run a function on n threads at once.
 *
 * Every parallel pass (the walker, the history pass, `debug parse`) runs
 * through pool_run, which numbers its workers 0 .. n-1 and sets each
 * thread's index before calling into the pass, so per-thread state (a
 * Hyperscan scratch, an arena, an output list) can live in plain arrays
 * indexed by it.  A pass shares its work out itself: through a pool_cursor
 * over a fixed list, or through its own queue when work grows as it runs.
 */
#ifndef VG_POOL_H
#define VG_POOL_H

#include <stdatomic.h>
#include <stddef.h>

/* Worker t of a pool_run; t is also pool_thread_index() during the call. */
typedef void (*pool_work_fn)(void *ud, int t);

/* Run work(ud, t) for t = 0 .. nthreads-1 concurrently and return when all
 * have returned: workers 1 .. n-1 on new threads, worker 0 on the caller.
 * When a thread cannot be started, the workers from it on are not run at
 * all and the pass gets fewer workers (at least worker 0): work must share
 * its items through a queue or cursor, never assume "worker t does slice
 * t".  Returns the number of workers that ran.  nthreads < 1 means 1.
 * The caller's own index is restored afterwards.  Not to be nested: an
 * inner pool's indices would overlap the outer one's. */
int pool_run(int nthreads, pool_work_fn work, void *ud);

/* Worker index of the calling thread (0 .. nthreads-1); 0 outside a pool. */
int pool_thread_index(void);

/* A shared cursor over items 0 .. n-1: each claim hands out the next index
 * exactly once, to whichever worker asks first (lock-free). */
typedef struct pool_cursor {
    atomic_size_t next;
    size_t n;
} pool_cursor;

void pool_cursor_init(pool_cursor *c, size_t n);
/* Claims the next item into *i; returns 0 (and leaves *i) when none is left. */
int pool_cursor_next(pool_cursor *c, size_t *i);

#endif
