/* cmd_pii.c - 'vibeguard pii' (stub until its issue lands). */
#include "cli.h"

int cmd_pii(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("'pii' is not built yet");
}
