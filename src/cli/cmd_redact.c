/* cmd_redact.c - 'vibeguard redact' and 'vibeguard restore' (stub). */
#include "cli.h"

int cmd_redact(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("'redact' is not built yet");
}

int cmd_restore(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("'restore' is not built yet");
}
