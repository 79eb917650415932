/* fclass.h (scan) - classify a file of the scan; see src/finding/fclass.h
 * for the classes.  Decided from the display path (relative to the scan
 * root, '/'-separated) and, for generated and minified files, the first
 * bytes; never from anything outside the file. */
#ifndef VG_SCAN_FCLASS_H
#define VG_SCAN_FCLASS_H

#include <stddef.h>

#include "../finding/fclass.h"

file_class fclass_of(const char *path, const unsigned char *data, size_t len);

#endif
