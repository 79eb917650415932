/* t.h - the unit-test harness (Redis-sized): checks count, failures print
 * file:line and the expression, and T_DONE() prints the machine line the
 * runner sums ("RESULT <name> <passed> <failed> <skipped>") and returns the exit code.
 * Tests run from the repository root. */
#ifndef VG_T_H
#define VG_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_passed, t_failed, t_skipped;

/* T_SKIP("reason"): a check that cannot run here (missing reference data);
 * counted and listed by the runner, never as a pass. */
#define T_SKIP(...)                                                            \
    do {                                                                       \
        t_skipped++;                                                           \
        fprintf(stderr, "SKIP [%s]: ", __FILE__);                              \
        fprintf(stderr, __VA_ARGS__);                                          \
        fputc('\n', stderr);                                                   \
    } while (0)

/* The reference data beside the checkout: $VG_SHARED_DATA, else
 * ../shared/data (tests run from the repository root). */
static inline const char *t_shared_dir(void)
{
    const char *d = getenv("VG_SHARED_DATA");
    return d && *d ? d : "../shared/data";
}

/* T_SKIP_SHARED("reason"): a check whose data under t_shared_dir() is
 * absent.  A counted skip on a developer's machine; a failure when
 * VG_REQUIRE_SHARED=1 (.ci/run sets it), so a CI run without the data
 * cannot pass on a sliver of its checks. */
#define T_SKIP_SHARED(...)                                                     \
    do {                                                                       \
        const char *t_req = getenv("VG_REQUIRE_SHARED");                       \
        if (t_req && strcmp(t_req, "1") == 0) {                                \
            t_failed++;                                                        \
            fprintf(stderr, "%s:%d: FAIL: shared data required "               \
                            "(VG_REQUIRE_SHARED=1): ", __FILE__, __LINE__);    \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
        } else {                                                               \
            T_SKIP(__VA_ARGS__);                                               \
        }                                                                      \
    } while (0)

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) t_passed++;                                                  \
        else {                                                                 \
            t_failed++;                                                        \
            fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                      \
    } while (0)

#define CHECK_MSG(cond, ...)                                                   \
    do {                                                                       \
        if (cond) t_passed++;                                                  \
        else {                                                                 \
            t_failed++;                                                        \
            fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond);   \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
        }                                                                      \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *t_a = (a), *t_b = (b);                                     \
        if (t_a && t_b && strcmp(t_a, t_b) == 0) t_passed++;                   \
        else {                                                                 \
            t_failed++;                                                        \
            fprintf(stderr, "%s:%d: FAIL: %s == %s\n  got:  %s\n  want: %s\n", \
                    __FILE__, __LINE__, #a, #b, t_a ? t_a : "(null)",           \
                    t_b ? t_b : "(null)");                                     \
        }                                                                      \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long t_a = (long long)(a), t_b = (long long)(b);                  \
        if (t_a == t_b) t_passed++;                                            \
        else {                                                                 \
            t_failed++;                                                        \
            fprintf(stderr, "%s:%d: FAIL: %s == %s (got %lld, want %lld)\n",   \
                    __FILE__, __LINE__, #a, #b, t_a, t_b);                     \
        }                                                                      \
    } while (0)

#define T_DONE(name)                                                           \
    (printf("RESULT %s %d %d %d\n", (name), t_passed, t_failed, t_skipped), t_failed ? 1 : 0)

#endif
