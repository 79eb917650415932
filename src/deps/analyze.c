/* analyze.c - the dependency analyzer: manifests in, packages looked up
 * after the walk.  (stub: the dependencies issue fills this in) */
#include "../core/analyzer.h"
#include "../report/finding.h"

void deps_rules_register(void) {}

const analyzer deps_analyzer = {"deps", NULL, NULL, NULL, NULL};
