/* main.c - the front door: register the prebuilt Hyperscan databases,
 * then dispatch to a subcommand. */
#include "cli.h"
#include "../core/suggest.h"
#include "../deps/osv.h"

#include "../core/embed.h"
#include "../text/scan.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: vibeguard <command> [options]\n"
    "\n"
    "commands:\n"
    "  scan [PATH...]     all analyzers over a tree (code, secrets, PII, Unicode, deps)\n"
    "  deps [PATH]        audit dependency manifests against the OSV database\n"
    "  licences [PATH]    the project's licence, its packages' licences, the conflicts\n"
    "  redact [FILE|-]    replace secrets and PII with placeholders\n"
    "  restore --vault F  put redacted values back\n"
    "  pii [FILE|-]       list personal data entities\n"
    "  rules [ID]         list rules and their metadata\n"
    "  instructions       security instructions for AI assistants (AGENTS.md, CLAUDE.md...)\n"
    "  prompt TEXT        a prompt with this project's security requirements appended\n"
    "  threat-model       a STRIDE threat model drawn from the code (Markdown, Mermaid, JSON)\n"
    "  merge REPORT...    join JSON or SARIF reports (e.g. of scan --shard K/N)\n"
    "  debug ast|parse    inspect the Python frontend\n"
    "  completion SHELL   a completion script for bash, zsh or fish\n"
    "  version            print the version\n"
    "\n"
    "Run 'vibeguard <command> --help' for a command's options.\n";

int cli_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("vibeguard: ", stderr);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) fprintf(stderr, "\\x%02x", *p);
        else fputc(*p, stderr);
    }
    fputc('\n', stderr);
    return 2;
}

int cli_write_stdout(const char *cmd, const void *data, size_t n)
{
    if (n && (fwrite(data, 1, n, stdout) != n || fflush(stdout)))
        return cli_error("%s: cannot write the report to stdout", cmd);
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(int, char **);
} cmds[] = {
    {"scan", cmd_scan},     {"rules", cmd_rules},     {"deps", cmd_deps},
    {"redact", cmd_redact}, {"restore", cmd_restore}, {"pii", cmd_pii},
    {"debug", cmd_debug},   {"merge", cmd_merge},     {"completion", cmd_completion},
    {"instructions", cmd_instructions}, {"prompt", cmd_prompt},
    {"licences", cmd_licences}, {"licenses", cmd_licences},
    {"threat-model", cmd_threat_model},
};

/* The databases compiled at build time (tools/hsgen.c, see text/scan.h). */
EMBED_DECL(hsdb_bin);

int main(int argc, char **argv)
{
    scan_prebuilt_use((const unsigned char *)EMBED_DATA(hsdb_bin), EMBED_SIZE(hsdb_bin));
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") && argc > 2) { /* "help scan" is "scan --help" */
        char *args[] = {argv[2], "--help", NULL};
        if (strcmp(argv[2], "help") && strcmp(argv[2], "version"))
            for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
                if (!strcmp(argv[2], cmds[i].name)) return cmds[i].fn(2, args);
    }
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
            puts("usage: vibeguard version\n\nPrint the version and exit.");
            return 0;
        }
        if (argc > 2) return cli_error("version: unexpected argument '%s'", argv[2]);
        printf("vibeguard %s\n", VG_VERSION);
        osv_db *db = osv_open_builtin();
        char date[16];
        if (osv_data_date(db, date, sizeof date)) snprintf(date, sizeof date, "unknown");
        printf("advisory data (built-in): %s; dated %s; PyPI %zu entries, npm none\n"
               "  (refresh with 'vibeguard deps --update-db'; 'deps' reports the data it used)\n",
               osv_label(db), date, osv_count_eco(db, "PyPI"));
        osv_close(db);
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (!strcmp(cmd, cmds[i].name)) return cmds[i].fn(argc - 1, argv + 1);
    const char *names[sizeof cmds / sizeof *cmds + 3];
    size_t nn = 0;
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) names[nn++] = cmds[i].name;
    names[nn++] = "version";
    names[nn++] = "help";
    const char *near = cmd[0] == '-' ? NULL : suggest_best(cmd, names, nn);
    if (near) return cli_error("unknown command '%s' (did you mean '%s'?)", cmd, near);
    if (cmd[0] == '-' && cmd[1] == '-') {
        const char *flag = suggest_best(cmd + 2, (const char *[]){"help", "version"}, 2);
        if (flag) return cli_error("unknown option '%s' (did you mean '--%s'?)", cmd, flag);
    }
    cli_error("unknown command '%s' (try 'vibeguard --help')", cmd);
    return 2;
}
