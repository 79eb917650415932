/* severity.c - names of the severity and confidence levels; see severity.h. */
#include "severity.h"

#include <strings.h>

const char *severity_str(severity s)
{
    static const char *n[] = {"none", "low", "medium", "high", "critical"};
    return (unsigned)s < 5 ? n[s] : "none";
}

const char *confidence_str(confidence c)
{
    static const char *n[] = {"none", "low", "medium", "high"};
    return (unsigned)c < 4 ? n[c] : "none";
}

severity severity_parse(const char *s)
{
    if (!strcasecmp(s, "low")) return SEV_LOW;
    if (!strcasecmp(s, "medium")) return SEV_MEDIUM;
    if (!strcasecmp(s, "high")) return SEV_HIGH;
    if (!strcasecmp(s, "critical")) return SEV_CRITICAL;
    return SEV_NONE;
}

confidence confidence_parse(const char *s)
{
    if (!strcasecmp(s, "low")) return CONF_LOW;
    if (!strcasecmp(s, "medium")) return CONF_MEDIUM;
    if (!strcasecmp(s, "high")) return CONF_HIGH;
    return CONF_NONE;
}
