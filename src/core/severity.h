/* severity.h - the two scales every finding is graded on.
 *
 * The vocabulary at the bottom of the tree: options (the --severity and
 * --fail-on thresholds), rules (their defaults) and findings share it.
 * Both scales order from NONE (unset / below everything) upward, so a
 * threshold test is a plain integer comparison.
 */
#ifndef VG_SEVERITY_H
#define VG_SEVERITY_H

typedef enum severity { SEV_NONE = 0, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL } severity;
typedef enum confidence { CONF_NONE = 0, CONF_LOW, CONF_MEDIUM, CONF_HIGH } confidence;

const char *severity_str(severity s);     /* "low" ... "critical"; "none" when unset */
const char *confidence_str(confidence c); /* "low" ... "high"; "none" when unset */
severity severity_parse(const char *s);   /* case-insensitive; SEV_NONE when unknown */
confidence confidence_parse(const char *s);

#endif
