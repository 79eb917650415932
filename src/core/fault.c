/* fault.c - the VG_FAULT counter of the test build; see fault.h.  Other
 * builds compile this file to nothing but the one declaration C needs. */
#include "fault.h"

#ifdef VG_TEST_BUILD

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char *const fault_names[FAULT_KINDS] = {"alloc", "read", "write", "rename"};

static int fault_target = -1;           /* the kind VG_FAULT names, or -1 */
static unsigned long fault_nth;         /* the call of that kind that fails */
static atomic_ulong fault_calls[FAULT_KINDS];
static pthread_once_t fault_once = PTHREAD_ONCE_INIT;

/* Parses VG_FAULT without allocating (this runs inside xmalloc). */
static void fault_init(void)
{
    const char *s = getenv("VG_FAULT");
    if (!s) return;
    const char *colon = strchr(s, ':');
    if (!colon) return;
    size_t klen = (size_t)(colon - s);
    for (int k = 0; k < FAULT_KINDS; k++) {
        if (strlen(fault_names[k]) != klen || memcmp(s, fault_names[k], klen) != 0) continue;
        if (colon[1] < '0' || colon[1] > '9') return;
        char *end;
        errno = 0;
        unsigned long n = strtoul(colon + 1, &end, 10);
        if (errno || end == colon + 1 || *end || n == 0) return;
        fault_nth = n;
        fault_target = k;
        return;
    }
}

int fault_fail(enum fault_kind k)
{
    pthread_once(&fault_once, fault_init);
    if ((int)k != fault_target) return 0;
    if (atomic_fetch_add(&fault_calls[k], 1) + 1 != fault_nth) return 0;
    errno = k == FAULT_ALLOC ? ENOMEM : EIO;
    return 1;
}

#else

typedef int fault_unused; /* ISO C forbids an empty translation unit */

#endif
