/* fault.h - fault injection for the test build (curl's -t, SQLite's
 * faultsim): make the Nth allocation, read, write or rename fail.
 *
 * The fallible primitives of core (xalloc, fsutil) ask fault_fail(kind)
 * right before the real call and, when it returns 1, take the same path a
 * real failure would.  Only the test build (-DVG_TEST_BUILD) counts: there
 * fault_fail reads VG_FAULT="kind:N" once (kind one of alloc, read, write,
 * rename; N the 1-based number of the call of that kind that fails) and
 * returns 1 on that one call, with errno set to ENOMEM for alloc and EIO
 * otherwise.  Calls are counted across threads.  An unset, empty or
 * malformed VG_FAULT injects nothing.  In every other build fault_fail is
 * a static inline returning 0, so the hooks cost nothing.
 */
#ifndef VG_FAULT_H
#define VG_FAULT_H

enum fault_kind { FAULT_ALLOC, FAULT_READ, FAULT_WRITE, FAULT_RENAME, FAULT_KINDS };

#ifdef VG_TEST_BUILD
int fault_fail(enum fault_kind k);
#else
static inline int fault_fail(enum fault_kind k)
{
    (void)k;
    return 0;
}
#endif

#endif
