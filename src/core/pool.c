/* pool.c - the one worker pool and its worker index; see pool.h. */
#include "pool.h"

#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>

static _Thread_local int thread_index;

typedef struct pool_arg {
    pool_work_fn work;
    void *ud;
    int t;
} pool_arg;

int pool_thread_index(void)
{
    return thread_index;
}

static void *pool_thread(void *p)
{
    const pool_arg *a = p;
    thread_index = a->t;
    a->work(a->ud, a->t);
    return NULL;
}

int pool_run(int nthreads, pool_work_fn work, void *ud)
{
    if (nthreads < 1) nthreads = 1;
    pthread_t *th = NULL;
    pool_arg *args = NULL;
    if (nthreads > 1) {
        th = xcalloc((size_t)nthreads, sizeof *th);
        args = xcalloc((size_t)nthreads, sizeof *args);
    }
    int ran = 1;
    for (; ran < nthreads; ran++) {
        args[ran] = (pool_arg){work, ud, ran};
        if (pthread_create(&th[ran], NULL, pool_thread, &args[ran]) != 0) break;
    }
    int saved = thread_index;
    thread_index = 0;
    work(ud, 0);
    for (int t = 1; t < ran; t++) pthread_join(th[t], NULL);
    thread_index = saved;
    free(args);
    free(th);
    return ran;
}

void pool_cursor_init(pool_cursor *c, size_t n)
{
    atomic_init(&c->next, 0);
    c->n = n;
}

int pool_cursor_next(pool_cursor *c, size_t *i)
{
    size_t k = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed);
    if (k >= c->n) return 0;
    *i = k;
    return 1;
}
