/* licence.h - licences: reading what a text, a declaration or an SPDX
 * expression says, and what a project under one makes of code or a
 * dependency under another.  The knowledge is the table licence.def; this
 * module only reads it.  Pure functions over bytes: no file access, no
 * allocation that outlives a call except lic_result's strings.
 *
 * Also the licence analyzer (licence_scan.c, `licence:` rules) and the
 * readers of the licence a manifest declares for its own package.
 */
#ifndef VG_LICENCE_H
#define VG_LICENCE_H

#include <stddef.h>

#include "../core/diag.h"

/* Least to most restrictive; LC_UNKNOWN last (it ranks above everything:
 * "MIT AND something unread" is unknown, "MIT OR something unread" MIT). */
typedef enum lic_cat {
    LC_PD = 0, LC_PERMISSIVE, LC_WEAK, LC_STRONG, LC_NETWORK, LC_PROPRIETARY, LC_UNKNOWN
} lic_cat;

typedef enum lic_action { LA_OK = 0, LA_INFO, LA_REVIEW, LA_CONFLICT, LA_SEVERE } lic_action;

/* "permissive", "weak-copyleft", ... */
const char *lic_cat_name(lic_cat c);
/* The category of a licence id of the table (canonical or an alias), or
 * LC_UNKNOWN. */
lic_cat lic_id_cat(const char *id);

/* What a declaration says: a canonical expression (ids of the table joined
 * by the expression's own AND/OR/WITH), its category, the single id when
 * the expression is one licence, else NULL. */
typedef struct lic_result {
    char expr[256];          /* canonical expression, or "" when nothing was read */
    lic_cat cat;
    const char *single;      /* static: the id when the expression is one licence */
    int known;               /* every licence of the expression was recognised */
} lic_result;

/* A declared licence: an SPDX expression ("MIT OR Apache-2.0", "GPL-2.0+"),
 * a trove classifier, or a name people write ("BSD License", "Apache 2.0").
 * A long text (a whole licence pasted into a License: field) is read as a
 * licence text.  Always fills r; r->known says whether it was understood. */
void lic_parse_decl(const char *s, size_t n, lic_result *r);

/* Several declarations, one a line (trove classifiers): the licence is any
 * one of them, as "A OR B". */
void lic_parse_list(const char *s, size_t n, lic_result *r);

/* The licence text(s) in data (a LICENSE file or a copy in a source file):
 * the id of the TEXT row that matches first in the file, its byte offset in
 * *at; NULL when none matches. */
const char *lic_match_text(const char *data, size_t len, size_t *at);

/* A licence marker inside a source file. */
typedef enum lic_mark_kind { LM_SPDX = 0, LM_HEADER, LM_TEXT } lic_mark_kind;
typedef struct lic_mark {
    lic_mark_kind kind;
    size_t start, end;       /* byte range of the marker in data */
    lic_result lic;          /* what it says */
} lic_mark;

/* The licence markers of a source file, in file order, at most max (one a
 * licence and kind): SPDX-License-Identifier lines in a comment, notices
 * (licence.def HEADER rows, with the version read after them) and copies
 * of licence texts.  Returns how many were written. */
size_t lic_find_marks(const char *data, size_t len, lic_mark *out, size_t max);

/* What a project whose licence is `project` makes of code (code=1) or of a
 * dependency (code=0) under `other`; why (static) says it in one line. */
lic_action lic_compat(const lic_result *project, const lic_result *other, int code,
                      const char **why);

/* Normal form (licence.def): lower case, every run of other characters one
 * blank, no blank at either end; into out (cap bytes, always terminated). */
void lic_normal(const char *s, size_t n, char *out, size_t cap);

/* The licences a manifest declares for the package it describes, by file
 * name (lic_decl_kind: 0 for none): pyproject.toml, PKG-INFO, setup.cfg,
 * setup.py, package.json.  fn is called once a declaration, with the
 * field's name (static), its text, its line, a priority (1: an SPDX
 * expression field, 2: a free-form licence field, 3: classifiers, 4:
 * setup.py) and whether the text is one entry of a list (classifiers).
 * A malformed manifest yields nothing (the deps analyzer reports it). */
typedef void (*lic_decl_fn)(void *ud, const char *field, const char *text, size_t n, int line,
                            int prio, int list);
int lic_decl_kind(const char *path);
void lic_read_decls(const char *path, const char *data, size_t len, lic_decl_fn fn, void *ud);

/* The licence an npm package's JSON record declares ("license", a string
 * or {"type": ...}, or the old "licenses": [{"type": ...}]), or NULL; the
 * string belongs to pkg (npm.c). */
struct json_t;
const char *npm_licence_of(const struct json_t *pkg);

#endif
