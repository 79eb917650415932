/* pool.c - the worker index of the calling thread; see pool.h. */
#include "pool.h"

static _Thread_local int thread_index;

int pool_thread_index(void) { return thread_index; }
void pool_set_thread_index(int t) { thread_index = t; }
