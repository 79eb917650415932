/* fclass.c - names of the file classes; see fclass.h. */
#include "fclass.h"

const char *fclass_name(file_class c)
{
    static const char *const names[] = {
#define FCLASS_NAME(e, n) n,
        FCLASS_LIST(FCLASS_NAME)
#undef FCLASS_NAME
    };
    return (unsigned)c < FC_NCLASSES ? names[c] : "code";
}
