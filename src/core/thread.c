/* thread.c - the worker index of the calling thread. */
#include "analyzer.h"

static _Thread_local int thread_index;

int scan_thread_index(void) { return thread_index; }
void scan_set_thread_index(int t) { thread_index = t; }
