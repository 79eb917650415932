/* tmodel.c - the vocabulary of the threat model's records (tmodel.h):
 * the STRIDE letters, the trust boundaries and their order, attributes. */
#include "tmodel.h"

#include <string.h>

const char *const tm_boundaries[TM_BOUNDARY_COUNT] = {"internet", "application", "data",
                                                      "third-party", "host"};

const char *threat_stride_name(char letter)
{
    switch (letter) {
    case 'S': return "Spoofing";
    case 'T': return "Tampering";
    case 'R': return "Repudiation";
    case 'I': return "Information disclosure";
    case 'D': return "Denial of service";
    case 'E': return "Elevation of privilege";
    default: return "";
    }
}

const char *threat_boundary_name(const char *b)
{
    if (!strcmp(b, "internet")) return "Internet (untrusted)";
    if (!strcmp(b, "application")) return "Application";
    if (!strcmp(b, "data")) return "Data stores";
    if (!strcmp(b, "third-party")) return "Third-party services";
    if (!strcmp(b, "host")) return "Host (processes)";
    return b;
}

const char *threat_attr(const tm_element *e, const char *key)
{
    for (size_t i = 0; i + 1 < e->attrs.n; i += 2)
        if (!strcmp(e->attrs.v[i], key)) return e->attrs.v[i + 1];
    return NULL;
}
