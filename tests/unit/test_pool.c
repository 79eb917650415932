/* test_pool.c - the worker pool: every worker runs once with its index set,
 * the caller is worker 0 and gets its own index back, a cursor hands out
 * every item exactly once, and a pool whose threads cannot be started
 * still does all the work on the caller. */
#include "t.h"

#include "core/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define NITEMS 10000
#define NWORK 8

typedef struct ctx {
    pool_cursor cur;
    atomic_int claimed[NITEMS]; /* times each item was handed out */
    atomic_int ran[NWORK];      /* times each worker ran */
    atomic_int index_ok;        /* workers that saw pool_thread_index() == t */
    pthread_t caller;
    atomic_int t0_on_caller;
} ctx;

static void work(void *ud, int t)
{
    ctx *c = ud;
    atomic_fetch_add(&c->ran[t], 1);
    if (pool_thread_index() == t) atomic_fetch_add(&c->index_ok, 1);
    if (t == 0 && pthread_equal(pthread_self(), c->caller)) atomic_store(&c->t0_on_caller, 1);
    size_t i;
    while (pool_cursor_next(&c->cur, &i)) atomic_fetch_add(&c->claimed[i], 1);
}

static ctx *fresh(void)
{
    ctx *c = calloc(1, sizeof *c);
    pool_cursor_init(&c->cur, NITEMS);
    c->caller = pthread_self();
    return c;
}

static int each_once(ctx *c)
{
    for (size_t i = 0; i < NITEMS; i++)
        if (atomic_load(&c->claimed[i]) != 1) return 0;
    return 1;
}

static void no_work(void *ud, int t)
{
    (void)ud;
    (void)t;
}

int main(void)
{
    /* NWORK workers, each once, the caller as worker 0 */
    ctx *c = fresh();
    CHECK_INT(pool_thread_index(), 0);
    CHECK_INT(pool_run(NWORK, work, c), NWORK);
    for (int t = 0; t < NWORK; t++) CHECK_INT(atomic_load(&c->ran[t]), 1);
    CHECK_INT(atomic_load(&c->index_ok), NWORK);
    CHECK(atomic_load(&c->t0_on_caller));
    CHECK(each_once(c));
    CHECK_INT(pool_thread_index(), 0);
    free(c);

    /* nthreads < 1 means one worker, the caller */
    c = fresh();
    CHECK_INT(pool_run(0, work, c), 1);
    CHECK_INT(atomic_load(&c->ran[0]), 1);
    CHECK(atomic_load(&c->t0_on_caller));
    CHECK(each_once(c));
    free(c);

    /* an empty cursor hands out nothing and leaves *i alone */
    pool_cursor e;
    pool_cursor_init(&e, 0);
    size_t i = 42;
    CHECK_INT(pool_cursor_next(&e, &i), 0);
    CHECK_INT(i, 42);
    CHECK_INT(pool_run(3, no_work, NULL), 3);

    /* threads that cannot be started (a default stack no mmap can give):
     * the caller alone does all the work */
    pthread_attr_t def, huge;
    if (pthread_getattr_default_np(&def) == 0) {
        pthread_attr_init(&huge);
        if (pthread_attr_setstacksize(&huge, (size_t)1 << 46) == 0 &&
            pthread_setattr_default_np(&huge) == 0) {
            c = fresh();
            int ran = pool_run(NWORK, work, c);
            pthread_setattr_default_np(&def);
            if (ran == 1) {
                CHECK_INT(atomic_load(&c->ran[0]), 1);
                for (int t = 1; t < NWORK; t++) CHECK_INT(atomic_load(&c->ran[t]), 0);
                CHECK(atomic_load(&c->t0_on_caller));
                CHECK(each_once(c));
            } else {
                T_SKIP("threads with a 64 TiB stack started here (%d workers ran)", ran);
            }
            free(c);
        } else {
            T_SKIP("cannot set the default thread stack size");
        }
        pthread_attr_destroy(&huge);
        pthread_attr_destroy(&def);
    } else {
        T_SKIP("no default thread attributes to change");
    }
    CHECK_INT(pool_thread_index(), 0);

    return T_DONE("test_pool");
}
