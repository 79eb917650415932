/* cmd_debug.c - 'vibeguard debug' (stub until its issue lands). */
#include "cli.h"

int cmd_debug(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("'debug' is not built yet");
}
