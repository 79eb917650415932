/* pool.h - the index of the worker a piece of code runs on.
 *
 * Every parallel pass (the walker, the history pass, `debug parse`) numbers
 * its workers 0 .. n-1 and sets the calling thread's index before it calls
 * into an analyzer, so per-thread state (a Hyperscan scratch, an arena) can
 * live in plain arrays indexed by it.
 */
#ifndef VG_POOL_H
#define VG_POOL_H

/* Worker index of the calling thread (0 .. nthreads-1); 0 outside a pool. */
int pool_thread_index(void);
void pool_set_thread_index(int t);

#endif
