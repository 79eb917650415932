/* cli.h - subcommands.  Each cmd_* takes the arguments after its own name
 * (argv[0] is the subcommand) and returns the process exit code:
 * 0 nothing at or above --fail-on, 1 findings, 2 usage or runtime error. */
#ifndef VG_CLI_H
#define VG_CLI_H

#include <stdio.h>

#include "../core/diag.h"
#include "../finding/mask.h"

#define VG_VERSION "0.1.0"

int cmd_scan(int argc, char **argv);     /* cmd_scan.c    */
int cmd_rules(int argc, char **argv);    /* cmd_rules.c   */
int cmd_deps(int argc, char **argv);     /* cmd_deps.c    */
int cmd_licences(int argc, char **argv); /* cmd_licences.c */
int cmd_redact(int argc, char **argv);   /* cmd_redact.c  */
int cmd_restore(int argc, char **argv);  /* cmd_redact.c  */
int cmd_pii(int argc, char **argv);      /* cmd_pii.c     */
int cmd_debug(int argc, char **argv);    /* cmd_debug.c   */
int cmd_merge(int argc, char **argv);    /* cmd_merge.c   */
int cmd_completion(int argc, char **argv); /* cmd_completion.c */
int cmd_instructions(int argc, char **argv); /* cmd_instructions.c */
int cmd_prompt(int argc, char **argv);   /* cmd_instructions.c */
int cmd_threat_model(int argc, char **argv); /* cmd_threat.c */

/* Scan root as 'vibeguard scan root' would (its configuration, quiet) and
 * apply report_filter; o and out are initialised here and the caller's to
 * free (out_free, then opts_free) whatever the result.  2 on a failed
 * scan (diags printed).  (cmd_instructions.c) */
struct vg_opts;
struct vg_out;
int cli_scan_project(const char *root, struct vg_opts *o, struct vg_out *out);

/* The threat model of the project directory root for the HTML report, with
 * the findings v[0..n) (paths below display root `shown`) as its evidence;
 * root NULL or not a directory, or a walk that fails: a view with only a
 * note saying why.  Free with cli_threat_report_free.  (cmd_threat.c) */
struct report_threat;
struct finding;
struct report_threat *cli_threat_report(const char *root, const char *shown, struct finding *const *v,
                                        size_t n);
void cli_threat_report_free(struct report_threat *t);

/* One line on stderr, "vibeguard: <msg>", with control characters made
 * visible; returns 2 so callers can `return cli_usage_error(...)`. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write a command's report (n bytes) to stdout and flush it: 0, or 2
 * after "CMD: cannot write the report to stdout" (a closed pipe, a full
 * disk). */
int cli_write_stdout(const char *cmd, const void *data, size_t n);

/* The diags of d at or above min on fp, one "path:line:col: level: message"
 * each (report_diags), with the source line and a caret when the file can
 * be read again (diags.c). */
void cli_print_diags(FILE *fp, const diag_list *d, diag_level min);
/* The same, with the source lines of excerpts masked with a scan's secrets. */
void cli_print_diags_masked(FILE *fp, const diag_list *d, diag_level min, const mask_set *secrets);

#endif
