/* args.h - a small table-driven option parser for the subcommands.
 *
 * Long options are "--name", "--name VALUE" or "--name=VALUE"; short ones
 * "-x", "-x VALUE" or "-xVALUE".  "--" ends the options.  Anything else is
 * a positional argument, so options and paths may be mixed.  An unknown
 * option, a missing value or a value given to a flag is an error with a
 * one-line message in p->err (with "did you mean '--x'?" when one of the
 * table's names is close).
 */
#ifndef VG_CLI_ARGS_H
#define VG_CLI_ARGS_H

#include <stddef.h>

#include "../core/opts.h"

typedef struct arg_opt {
    const char *name;   /* long name without "--"; first member (suggest_best_in) */
    char short_name;    /* 0: none */
    int has_value;      /* 0, 1, or ARG_OPTIONAL: only as --name=VALUE (else NULL) */
    int id;             /* > 0, returned by args_next */
} arg_opt;

typedef struct arg_parser {
    int argc;
    char **argv;
    int i;              /* next argv index */
    int no_more_opts;   /* after "--" */
    char err[256];
} arg_parser;

#define ARG_END 0          /* no more arguments */
#define ARG_POSITIONAL (-1) /* *value is the argument */
#define ARG_ERROR (-2)     /* p->err says why */
#define ARG_OPTIONAL 2     /* arg_opt.has_value: a value only with "=" */

/* argv[0] is the subcommand name and is skipped. */
void args_init(arg_parser *p, int argc, char **argv);
int args_next(arg_parser *p, const arg_opt *opts, const char **value);

/* Parse a non-negative integer with an optional K/M/G suffix (binary);
 * returns 0 on success. */
int args_parse_size(const char *s, size_t *out);
int args_parse_int(const char *s, int lo, int hi, int *out);

/* "B6,VG1 secret" (a --select/--ignore value) -> one list entry per id;
 * commas and blanks separate, empty entries are skipped. */
void args_add_ids(str_list *l, const char *s);

#endif
