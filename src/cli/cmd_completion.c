/* cmd_completion.c - 'vibeguard completion bash|zsh|fish': a completion
 * script for the shell on stdout.
 *
 * The scripts know the commands and the values of --format, --profile,
 * --severity/--fail-on and --confidence (from the tables the commands
 * use); the flags of a command come from its own --help at completion
 * time, so the help text stays the one list of flags.
 */
#include "cli.h"
#include "../report/report.h"

#include <stdio.h>
#include <string.h>

static const char commands[] = "scan deps licences redact restore pii rules merge debug instructions prompt threat-model version completion help";

static void formats(char *out, size_t n)
{
    out[0] = 0;
    for (size_t i = 0; report_formats[i]; i++) {
        strncat(out, report_formats[i], n - strlen(out) - 1);
        strncat(out, " ", n - strlen(out) - 1);
    }
}

static const char bash_script[] =
    "# bash completion for vibeguard (vibeguard completion bash)\n"
    "_vibeguard() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]}\n"
    "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
    "        COMPREPLY=($(compgen -W '%s' -- \"$cur\")); return\n"
    "    fi\n"
    "    case $prev in\n"
    "        --format|-f) COMPREPLY=($(compgen -W '%s' -- \"$cur\")); return ;;\n"
    "        --profile) COMPREPLY=($(compgen -W 'default audit bandit' -- \"$cur\")); return ;;\n"
    "        --severity|--fail-on) COMPREPLY=($(compgen -W 'low medium high critical never' -- \"$cur\")); return ;;\n"
    "        --confidence) COMPREPLY=($(compgen -W 'low medium high' -- \"$cur\")); return ;;\n"
    "    esac\n"
    "    if [ \"$cmd\" = completion ]; then COMPREPLY=($(compgen -W 'bash zsh fish' -- \"$cur\")); return; fi\n"
    "    if [[ $cur == -* ]]; then\n"
    "        COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" \"$cmd\" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)\" -- \"$cur\"))\n"
    "        return\n"
    "    fi\n"
    "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
    "}\n"
    "complete -o filenames -o bashdefault -F _vibeguard vibeguard\n";

static const char zsh_script[] =
    "#compdef vibeguard\n"
    "# zsh completion for vibeguard (vibeguard completion zsh)\n"
    "_vibeguard() {\n"
    "    local -a flags\n"
    "    if (( CURRENT == 2 )); then\n"
    "        compadd -- %s\n"
    "        return\n"
    "    fi\n"
    "    case ${words[CURRENT-1]} in\n"
    "        --format|-f) compadd -- %s; return ;;\n"
    "        --profile) compadd -- default audit bandit; return ;;\n"
    "        --severity|--fail-on) compadd -- low medium high critical never; return ;;\n"
    "        --confidence) compadd -- low medium high; return ;;\n"
    "    esac\n"
    "    if [[ ${words[2]} == completion ]]; then compadd -- bash zsh fish; return; fi\n"
    "    if [[ ${words[CURRENT]} == -* ]]; then\n"
    "        flags=(${(f)\"$(${words[1]} ${words[2]} --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)\"})\n"
    "        compadd -- $flags\n"
    "        return\n"
    "    fi\n"
    "    _files\n"
    "}\n"
    "compdef _vibeguard vibeguard\n";

static const char fish_script[] =
    "# fish completion for vibeguard (vibeguard completion fish)\n"
    "complete -c vibeguard -f -n '__fish_use_subcommand' -a '%s'\n"
    "complete -c vibeguard -f -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n"
    "complete -c vibeguard -n 'not __fish_use_subcommand' -l format -s f -x -a '%s'\n"
    "complete -c vibeguard -n 'not __fish_use_subcommand' -l profile -x -a 'default audit bandit'\n"
    "complete -c vibeguard -n 'not __fish_use_subcommand' -l severity -x -a 'low medium high critical'\n"
    "complete -c vibeguard -n 'not __fish_use_subcommand' -l fail-on -x -a 'low medium high critical never'\n"
    "complete -c vibeguard -n 'not __fish_use_subcommand' -l confidence -x -a 'low medium high'\n"
    "complete -c vibeguard -n 'not __fish_use_subcommand' -a '(vibeguard (commandline -opc)[2] --help 2>/dev/null | string match -r -a -- \"--[a-z][a-z-]*\")'\n";

int cmd_completion(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs("usage: vibeguard completion bash|zsh|fish\n\n"
              "Print a completion script for the shell:\n"
              "  bash: source <(vibeguard completion bash), or save it as\n"
              "        ~/.local/share/bash-completion/completions/vibeguard\n"
              "  zsh:  vibeguard completion zsh > \"${fpath[1]}/_vibeguard\"\n"
              "  fish: vibeguard completion fish > ~/.config/fish/completions/vibeguard.fish\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (argc > 2) return cli_error("completion: one shell, not '%s'", argv[2]);
    char fmts[256];
    formats(fmts, sizeof fmts);
    if (!strcmp(argv[1], "bash")) printf(bash_script, commands, fmts);
    else if (!strcmp(argv[1], "zsh")) printf(zsh_script, commands, fmts);
    else if (!strcmp(argv[1], "fish")) printf(fish_script, commands, fmts);
    else return cli_error("completion: unknown shell '%s' (bash, zsh, fish)", argv[1]);
    return 0;
}
