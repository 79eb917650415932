/* manifest.h - dependency manifests and lockfiles, parsed into one list of
 * packages each with its ecosystem, name, version or specifier and place.
 *
 * Formats (recognised by file name, manifest_kind_of):
 *   PyPI: requirements*.txt / constraints*.txt / files in a requirements/ folder (with
 *         -r/-c includes, extras, markers, hashes, direct URLs, editables),
 *         pyproject.toml (PEP 621, PEP 735 groups, Poetry, PDM, uv),
 *         Pipfile, Pipfile.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml,
 *         and an installed environment: <name>.dist-info/METADATA (or the
 *         older <name>.egg-info/PKG-INFO, or a <name>.egg-info file) below a
 *         site-packages or dist-packages folder (one package each);
 *   npm:  package.json (all dependency kinds), package-lock.json and
 *         npm-shrinkwrap.json (v1-v3), yarn.lock (v1 and berry), pnpm-lock.yaml.
 * A malformed manifest is a warning diag with file:line and yields what
 * could be read, and so is a lockfile (or a requirements file with
 * requirement lines) that yields no package; parsing never fails the scan.  Inputs are capped
 * (MANIFEST_MAX_BYTES, MANIFEST_MAX_DEPS).
 */
#ifndef VG_MANIFEST_H
#define VG_MANIFEST_H

#include <stddef.h>

#include "../core/diag.h"
#include "../core/limits.h"

typedef enum manifest_kind {
    MK_NONE = 0,
    MK_REQUIREMENTS, MK_PYPROJECT, MK_PIPFILE, MK_PIPFILE_LOCK, MK_POETRY_LOCK, MK_UV_LOCK,
    MK_PDM_LOCK, MK_PYLOCK, MK_INSTALLED,
    MK_PACKAGE_JSON, MK_PACKAGE_LOCK, MK_YARN_LOCK, MK_PNPM_LOCK
} manifest_kind;

typedef enum dep_eco { ECO_PYPI = 0, ECO_NPM = 1 } dep_eco;

/* dep flags */
#define DEP_LOCKED     0x01  /* from a lockfile: a resolved version */
#define DEP_PINNED     0x02  /* exact version known (== / === / lockfile / npm exact) */
#define DEP_HASHED     0x04  /* --hash given */
#define DEP_URL        0x08  /* direct URL, VCS or path: not from the index */
#define DEP_LOCAL      0x10  /* editable or local path */
#define DEP_CONSTRAINT 0x20  /* from a -c constraints file */
#define DEP_APP        0x40  /* an application requirement: should be pinned */
#define DEP_DEV        0x80  /* development-only dependency */

typedef struct dep {
    dep_eco eco;
    char *name;          /* as written */
    char *spec;          /* specifier as written ("==1.2", "^1.0.0", ""), never NULL */
    char *version;       /* exact version when pinned, else NULL */
    int line;            /* 1-based line of the entry */
    int col, end_col;    /* 1-based byte columns of the name on that line (0: unknown) */
    unsigned flags;
    char *licence;       /* the licence the entry declares (installed metadata,
                            package-lock.json's "license"), NULL when none */
    const char *licence_field; /* static: the field it came from ("License-Expression") */
    int licence_line;    /* 1-based line of that field */
} dep;

typedef enum src_issue_kind {
    SRC_PLAIN_HTTP,      /* index or package URL over http:// */
    SRC_TRUSTED_HOST,    /* pip --trusted-host: TLS checks off for a host */
    SRC_VCS_UNPINNED     /* git/hg/svn/bzr URL without a commit */
} src_issue_kind;

typedef struct src_issue {
    src_issue_kind kind;
    int line, col, end_col;
    char *text;          /* the URL or host (credentials removed) */
    char *package;       /* the package it concerns, or NULL */
} src_issue;

typedef struct manifest {
    manifest_kind kind;
    dep_eco eco;
    dep *deps;
    size_t n, cap;
    src_issue *issues;
    size_t nissues, icap;
    char **includes;     /* -r/-c files named by a requirements file */
    int *include_constraint;
    size_t nincludes, inccap;
    int private_index;   /* an index other than the public registry is configured */
} manifest;

manifest_kind manifest_kind_of(const char *path);
const char *manifest_kind_name(manifest_kind k);

/* Parse `data` (len bytes, the file at display path `path`).  Warnings go
 * to d with path and line.  Always returns with m usable (maybe empty). */
void manifest_parse(manifest *m, manifest_kind kind, const char *path, const char *data,
                    size_t len, diag_list *d);
void manifest_free(manifest *m);

/* --- used by the format parsers (manifest.c) --- */
dep *manifest_add(manifest *m, dep_eco eco, const char *name, size_t name_len, const char *spec,
                  const char *version, int line, unsigned flags);
void manifest_issue(manifest *m, src_issue_kind kind, int line, const char *text,
                    const char *package);
/* Classify a URL found in a manifest: plain http or VCS without commit
 * (recorded as issues at line); returns 1 if it is a VCS URL. */
int manifest_check_url(manifest *m, const char *url, int line, const char *package);
/* 1-based line of byte offset off; col of the first occurrence of needle
 * on or after `from` (used to place JSON keys). */
int manifest_line_of(const char *data, size_t len, size_t off);
size_t manifest_find_key(const char *data, size_t len, size_t from, const char *key);
void manifest_place(const char *data, size_t len, size_t off, size_t name_len, dep *d);

/* The format parsers. */
void req_parse(manifest *m, const char *path, const char *data, size_t len, diag_list *d);
void npm_parse_package_json(manifest *m, const char *path, const char *data, size_t len,
                            diag_list *d);
void npm_parse_package_lock(manifest *m, const char *path, const char *data, size_t len,
                            diag_list *d);
void npm_parse_yarn_lock(manifest *m, const char *path, const char *data, size_t len,
                         diag_list *d);
void npm_parse_pnpm_lock(manifest *m, const char *path, const char *data, size_t len,
                         diag_list *d);
void py_parse_pipfile_lock(manifest *m, const char *path, const char *data, size_t len,
                           diag_list *d);
void py_parse_toml(manifest *m, const char *path, const char *data, size_t len, diag_list *d);
void py_parse_metadata(manifest *m, const char *path, const char *data, size_t len, diag_list *d);

/* PEP 508: "name[extras] (spec) ; markers" or "name @ url".  Fills the name
 * span and the spec/url; returns 0, or -1 when there is no name. */
typedef struct pep508 {
    const char *name;
    size_t name_len;
    char spec[256];      /* version specifier, parentheses and blanks removed */
    char url[512];       /* after '@', "" if none */
} pep508;
int pep508_parse(const char *s, size_t n, pep508 *r);
/* The exact version of "==1.2.3" / "===x" (no wildcard, one clause), or NULL. */
const char *pep440_exact(const char *spec, char *buf, size_t n);

#endif
