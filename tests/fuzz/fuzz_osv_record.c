/* fuzz_osv_record.c - libFuzzer target for OSV records (JSON, or YAML when
 * the first byte is odd) through the index builder and matcher. */
#include "deps/osv.h"
#include "fmt/yamljson.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size || size > 65536) return 0;
    json_t *rec;
    if (data[0] & 1) {
        int line;
        char msg[128];
        rec = yaml_to_json((const char *)data + 1, size - 1, &line, msg, sizeof msg);
    } else {
        rec = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY, NULL);
    }
    if (!rec) return 0;
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "#vibeguard-osv-index 1\tfuzz\tfuzz\n");
    diag_list d = {0};
    if (json_is_object(rec)) osv_record_lines(rec, &b, &d);
    osv_db *db = NULL;
    if (!osv_open_index(b.data, b.len, "fuzz", &db, &d)) {
        static const char *const probes[] = {"0", "1.0", "1.0.0", "2.3.0rc1", "999"};
        for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) {
            osv_result r;
            osv_query(db, "PyPI", "pkg", probes[i], &r);
            osv_result_free(&r);
            osv_query(db, "npm", "pkg", probes[i], &r);
            osv_result_free(&r);
        }
        osv_close(db);
    }
    json_decref(rec);
    buf_free(&b);
    diag_free(&d);
    return 0;
}
