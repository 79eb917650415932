/* fuzz_osv_online.c - libFuzzer target for OSV querybatch answers
 * (osv_online_parse_batch): the first byte is the number of queries the
 * answer must cover, the rest the answer's text. */
#include "deps/online.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size || size > 65536) return 0;
    size_t nq = data[0] % 8;
    char **ids = NULL, **pages = NULL, err[200];
    if (!osv_online_parse_batch((const char *)data + 1, size - 1, nq, &ids, &pages, err, sizeof err))
        osv_online_batch_free(ids, pages, nq);
    return 0;
}
