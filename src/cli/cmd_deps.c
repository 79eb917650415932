/* cmd_deps.c - 'vibeguard deps' (stub until its issue lands). */
#include "cli.h"

int cmd_deps(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("'deps' is not built yet");
}
