/* walk_bench.c - time the walker plus one read of every file (what
 * scan_run does before any analyzer runs), for bench/walk.sh.
 * usage: walk_bench ROOT JOBS [REPEAT [EXCLUDE-GLOB...]] */
#include "walk/walk.h"
#include "core/opts.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct tbuf { unsigned char *p; size_t cap; size_t files, bytes, binary; } tbuf;

static void on_file(void *ud, int t, const char *path, const char *fs_path)
{
    tbuf *b = &((tbuf *)ud)[t];
    (void)path;
    int fd = open(fs_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (5 << 20)) {
        size_t need = (size_t)st.st_size + 2;
        if (b->cap < need) {
            free(b->p);
            b->cap = need < 65536 ? 65536 : need * 2;
            b->p = malloc(b->cap);
        }
        /* as scan_run: 8 KiB first; a binary's rest is not read */
        size_t n = 0;
        ssize_t r;
        while (n < 8192 && (r = read(fd, b->p + n, 8192 - n)) > 0) n += (size_t)r;
        if (memchr(b->p, 0, n)) {
            b->binary++;
        } else {
            while ((r = read(fd, b->p + n, b->cap - 1 - n)) > 0) n += (size_t)r;
            b->files++;
            b->bytes += n;
        }
    }
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    int jobs = atoi(argv[2]), rep = argc > 3 ? atoi(argv[3]) : 5;
    str_list ex = {0};
    for (int i = 4; i < argc; i++) str_list_add(&ex, argv[i]);
    double best = 1e9;
    size_t files = 0, bytes = 0, binary = 0;
    for (int i = 0; i < rep; i++) {
        tbuf *b = calloc((size_t)jobs, sizeof *b);
        walk_opts o = {.jobs = jobs, .exclude = &ex};
        walk_stats st = {0};
        diag_list d = {0};
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        walk_root(argv[1], &o, on_file, b, &st, &d);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ms < best) best = ms;
        files = bytes = binary = 0;
        for (int t = 0; t < jobs; t++) {
            files += b[t].files;
            binary += b[t].binary;
            bytes += b[t].bytes;
            free(b[t].p);
        }
        free(b);
        diag_free(&d);
    }
    str_list_free(&ex);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    printf("%d jobs: %zu text files, %.1f MB read (+%zu binaries probed): best wall %.1f ms, "
           "CPU %.1f ms per walk (wall is inflated when the machine is loaded)\n",
           jobs, files, bytes / 1e6, binary, best, cpu / rep);
    return 0;
}
