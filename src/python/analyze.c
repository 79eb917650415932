/* analyze.c - the Python analyzer: parse each .py file once, run the
 * pattern rules and the taint engine on its AST.  (stub: the rule pack
 * issue fills this in) */
#include "../core/analyzer.h"
#include "../report/finding.h"

void python_rules_register(void) {}
void taint_rules_register(void) {}

const analyzer python_analyzer = {"python", NULL, NULL, NULL, NULL};
