/* fclass.h - where a file sits in a project, which changes what a finding
 * in it means (a contributor's address in AUTHORS is not leaked personal
 * data; an assert in a test is how tests work).
 *
 * Every file of a scan gets one class, decided once by the scan driver
 * (src/scan/fclass.c, from the path and the first bytes) and read by every
 * analyzer from vg_file.cls.  docs/precision.md has the table of what each
 * analyzer does per class.
 */
#ifndef VG_FCLASS_H
#define VG_FCLASS_H

/* X(enum, name): the classes, in the order the classifier tries them is
 * src/scan/fclass.c's business; this order is only the enum's. */
#define FCLASS_LIST(X)                                                          \
    X(FC_CODE, "code")         /* application or library code: the default */  \
    X(FC_TEST, "test")         /* test suites, conftest, test data beside them */ \
    X(FC_DOCS, "docs")         /* documentation: docs/, *.md, *.rst, *.txt */   \
    X(FC_EXAMPLE, "example")   /* examples/, samples/, demo/ */                 \
    X(FC_VENDORED, "vendored") /* vendored, generated or minified code */       \
    X(FC_CATALOG, "catalog")   /* translation catalogs: *.po, *.pot, locale/ */ \
    X(FC_METADATA, "metadata") /* package metadata: pyproject.toml, PKG-INFO */ \
    X(FC_CREDITS, "credits")   /* AUTHORS, CONTRIBUTORS, licences, changelogs */ \
    X(FC_DATA, "data")         /* data files: CSV, JSON, logs, SQL dumps */     \
    X(FC_TEMPLATE, "template") /* HTML and e-mail templates */                   \
    X(FC_TOOLING, "tooling")   /* maintainers' scripts: top-level scripts/, tools/, .github/ */

typedef enum file_class {
#define FCLASS_ENUM(e, n) e,
    FCLASS_LIST(FCLASS_ENUM)
#undef FCLASS_ENUM
    FC_NCLASSES
} file_class;

/* "code", "test", ...; "code" for an out-of-range value. */
const char *fclass_name(file_class c);

#endif
