/* cmd_scan.c - 'vibeguard scan' (stub until its issue lands). */
#include "cli.h"

int cmd_scan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("'scan' is not built yet");
}
