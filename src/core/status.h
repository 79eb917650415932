/* status.h - the one status type every fallible library call returns.
 *
 * Library code (everything under src/ but src/cli/) never prints and never
 * exits.  A fallible call returns a vg_status; zero is success, so callers
 * write `vg_status rc = f(...); if (rc) return rc;`.  The human-readable
 * message lives in a diag (see diag.h), never in the return value.
 */
#ifndef VG_STATUS_H
#define VG_STATUS_H

typedef enum vg_status {
    VG_OK = 0,
    VG_ERR_IO,       /* a file or directory could not be read or written */
    VG_ERR_PARSE,    /* malformed input (TOML, JSON, manifest, Python)   */
    VG_ERR_NOMEM,    /* an allocation failed                             */
    VG_ERR_LIMIT,    /* input exceeded a cap (size, depth, length)       */
    VG_ERR_USAGE,    /* a bad argument or configuration value            */
    VG_ERR_CRYPTO,   /* wrong key, tampered vault                        */
    VG_ERR_NET,      /* network unavailable or refused                   */
    VG_ERR_INTERNAL  /* a library we depend on failed unexpectedly       */
} vg_status;

const char *vg_status_str(vg_status s);

#endif
