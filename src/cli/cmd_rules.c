/* cmd_rules.c - 'vibeguard rules' (stub until its issue lands). */
#include "cli.h"

int cmd_rules(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("'rules' is not built yet");
}
