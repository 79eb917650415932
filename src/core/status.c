/* status.c - names for vg_status values. */
#include "status.h"

const char *vg_status_str(vg_status s)
{
    switch (s) {
    case VG_OK: return "ok";
    case VG_ERR_IO: return "I/O error";
    case VG_ERR_PARSE: return "parse error";
    case VG_ERR_NOMEM: return "out of memory";
    case VG_ERR_LIMIT: return "limit exceeded";
    case VG_ERR_USAGE: return "usage error";
    case VG_ERR_CRYPTO: return "cryptographic check failed";
    case VG_ERR_NET: return "network error";
    case VG_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}
