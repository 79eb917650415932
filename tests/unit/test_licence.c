/* test_licence.c - reading licences (deps/licence.h): names, classifiers,
 * SPDX expressions, licence texts, markers in source files, the
 * compatibility table, and the declarations of manifests. */
#include "t.h"
#include "deps/licence.h"

#include <string.h>

static lic_result decl(const char *s)
{
    lic_result r;
    lic_parse_decl(s, strlen(s), &r);
    return r;
}

typedef struct got_decl {
    char field[64], text[128];
    int line, prio, n;
} got_decl;

static void on_decl(void *ud, const char *field, const char *text, size_t n, int line, int prio,
                    int list)
{
    (void)list;
    got_decl *g = ud;
    if (g->n++) return;
    snprintf(g->field, sizeof g->field, "%s", field);
    snprintf(g->text, sizeof g->text, "%.*s", (int)n, text);
    g->line = line;
    g->prio = prio;
}

static got_decl read_decl(const char *path, const char *data)
{
    got_decl g;
    memset(&g, 0, sizeof g);
    lic_read_decls(path, data, strlen(data), on_decl, &g);
    return g;
}

int main(void)
{
    /* names people write, classifiers, deprecated ids */
    static const struct { const char *in, *expr; lic_cat cat; } names[] = {
        {"MIT", "MIT", LC_PERMISSIVE},
        {"  mit license ", "MIT", LC_PERMISSIVE},
        {"License :: OSI Approved :: MIT License", "MIT", LC_PERMISSIVE},
        {"Apache Software License", "Apache-2.0", LC_PERMISSIVE},
        {"GPL-2.0+", "GPL-2.0-or-later", LC_STRONG},
        {"GPL-2.0", "GPL-2.0-only", LC_STRONG},
        {"GPLv3+", "GPL-3.0-or-later", LC_STRONG},
        {"License :: OSI Approved :: GNU Affero General Public License v3", "AGPL-3.0-only", LC_NETWORK},
        {"LGPL-2.1-or-later", "LGPL-2.1-or-later", LC_WEAK},
        {"UNLICENSED", "Proprietary", LC_PROPRIETARY},
        {"Unlicense", "Unlicense", LC_PD},
        {"MIT OR GPL-3.0-only", "MIT OR GPL-3.0-only", LC_PERMISSIVE},
        {"MIT AND GPL-3.0-only", "MIT AND GPL-3.0-only", LC_STRONG},
        {"(Apache-2.0 OR MIT) AND AGPL-3.0-or-later", "(Apache-2.0 OR MIT) AND AGPL-3.0-or-later", LC_NETWORK},
        {"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", LC_WEAK},
        {"Apache 2.0 or MIT", "Apache-2.0 OR MIT", LC_PERMISSIVE},
        {"MIT OR Acme-Licence", "MIT OR Acme-Licence", LC_PERMISSIVE},
        {"MIT AND Acme-Licence", "MIT AND Acme-Licence", LC_UNKNOWN},
        {"Acme Corporation Licence", "Acme Corporation Licence", LC_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        lic_result r = decl(names[i].in);
        CHECK_STR(r.expr, names[i].expr);
        CHECK_INT(r.cat, names[i].cat);
    }
    CHECK(decl("MIT").single && !strcmp(decl("MIT").single, "MIT"));
    CHECK(!decl("MIT OR Apache-2.0").single);
    CHECK(!decl("Acme").known && decl("GPLv2").known);
    CHECK_STR(decl("").expr, "");
    CHECK_STR(decl("((MIT)").expr, "MIT"); /* a name: punctuation never counts */
    CHECK_STR(decl("(MIT OR GPL-3.0").expr, "(MIT OR GPL-3.0"); /* unbalanced: as written */
    CHECK_INT(decl("(MIT OR GPL-3.0").cat, LC_UNKNOWN);
    /* a first-line name, then a text; a whole text */
    CHECK_STR(decl("BSD License\n\nCopyright (c) 2020\nRedistribution and use ...").expr, "BSD");
    CHECK_STR(decl("Copyright 2020\n  Permission is hereby granted, free of charge, to any person "
                   "obtaining a copy of this software... The above copyright notice and this "
                   "permission notice shall be included in all copies.").expr, "MIT");

    /* classifiers, one a line: any one of them */
    const char *cl = "License :: OSI Approved :: GNU General Public License v3 (GPLv3)\n"
                     "License :: OSI Approved :: MIT License";
    lic_result l;
    lic_parse_list(cl, strlen(cl), &l);
    CHECK_STR(l.expr, "GPL-3.0-only OR MIT");
    CHECK_INT(l.cat, LC_PERMISSIVE);

    /* texts: the first in the file wins; BSD-3 needs its third clause */
    size_t at = 0;
    const char *bsd3 = "Redistribution and use in source and binary forms, with or without\n"
                       "modification, are permitted provided that ...\n"
                       "Neither the name of X nor the names of its contributors may be used to\n"
                       "endorse or promote products derived from this software";
    CHECK_STR(lic_match_text(bsd3, strlen(bsd3), &at), "BSD-3-Clause");
    CHECK_STR(lic_match_text(bsd3, 120, &at), "BSD-2-Clause");
    const char *lgpl = "GNU LESSER GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007\n"
                       "... version 3 of the GNU General Public License ...";
    CHECK_STR(lic_match_text(lgpl, strlen(lgpl), &at), "LGPL-3.0-only");
    const char *two = "Apache License\nVersion 2.0, January 2004\n...\n"
                      "GNU GENERAL PUBLIC LICENSE Version 2, June 1991";
    CHECK_STR(lic_match_text(two, strlen(two), &at), "Apache-2.0");
    CHECK_INT((int)at, 0);
    CHECK(lic_match_text("no licence here", 15, &at) == NULL);

    /* markers in source files */
    lic_mark m[8];
    const char *src = "#!/usr/bin/env python\n"
                      "# SPDX-License-Identifier: GPL-3.0-or-later\n"
                      "x = 'SPDX-License-Identifier: AGPL-3.0-only'\n";
    size_t n = lic_find_marks(src, strlen(src), m, 8);
    CHECK_INT((int)n, 1);
    CHECK_INT(m[0].kind, LM_SPDX);
    CHECK_STR(m[0].lic.expr, "GPL-3.0-or-later");
    CHECK_INT((int)m[0].start, 24);
    const char *js = "/* SPDX-License-Identifier: MPL-2.0 */\n";
    n = lic_find_marks(js, strlen(js), m, 8);
    CHECK(n == 1 && !strcmp(m[0].lic.expr, "MPL-2.0"));
    const char *notice = "# This program is free software: you can redistribute it and/or modify\n"
                         "# it under the terms of the GNU Affero General Public License as\n"
                         "# published by the Free Software Foundation, either version 3 of the\n"
                         "# License, or (at your option) any later version.\n";
    n = lic_find_marks(notice, strlen(notice), m, 8);
    CHECK(n == 1 && m[0].kind == LM_HEADER && !strcmp(m[0].lic.expr, "AGPL-3.0-or-later"));
    const char *gpl2 = "# modify it under the terms of the GNU General Public License\n"
                       "# version 2 as published by the Free Software Foundation.\n";
    n = lic_find_marks(gpl2, strlen(gpl2), m, 8);
    CHECK(n == 1 && !strcmp(m[0].lic.expr, "GPL-2.0-only"));
    const char *mention = "\"\"\"Unlike the GNU General Public License, this licence...\"\"\"\n";
    CHECK_INT((int)lic_find_marks(mention, strlen(mention), m, 8), 0);
    CHECK_INT((int)lic_find_marks("x = 1\n", 6, m, 8), 0);

    /* the table */
    const char *why;
    lic_result mit = decl("MIT"), gpl3 = decl("GPL-3.0-only"), agpl = decl("AGPL-3.0-only"),
               lgpl3 = decl("LGPL-3.0-only"), gpl2o = decl("GPL-2.0-only"), ap = decl("Apache-2.0"),
               prop = decl("UNLICENSED"), unk = decl("Acme"), none = decl("");
    CHECK_INT(lic_compat(&mit, &gpl3, 1, &why), LA_CONFLICT);
    CHECK(why && strstr(why, "copyleft"));
    CHECK_INT(lic_compat(&mit, &agpl, 0, &why), LA_SEVERE);
    CHECK_INT(lic_compat(&mit, &lgpl3, 0, &why), LA_OK);
    CHECK_INT(lic_compat(&mit, &lgpl3, 1, &why), LA_REVIEW);
    CHECK_INT(lic_compat(&gpl3, &mit, 0, &why), LA_OK);
    CHECK_INT(lic_compat(&gpl3, &gpl3, 1, &why), LA_OK);
    CHECK_INT(lic_compat(&gpl2o, &ap, 0, &why), LA_CONFLICT);
    CHECK_INT(lic_compat(&gpl3, &ap, 0, &why), LA_OK);
    CHECK_INT(lic_compat(&prop, &gpl3, 0, &why), LA_SEVERE);
    CHECK_INT(lic_compat(&mit, &unk, 0, &why), LA_INFO);
    CHECK_INT(lic_compat(&none, &gpl3, 1, &why), LA_REVIEW);
    CHECK_INT(lic_compat(&none, &mit, 0, &why), LA_OK);

    /* declarations of manifests */
    got_decl g = read_decl("pyproject.toml", "[project]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n");
    CHECK(g.n == 1 && !strcmp(g.field, "project.license") && g.line == 3 && g.prio == 1);
    CHECK_STR(g.text, "MIT OR Apache-2.0");
    g = read_decl("pyproject.toml", "[project]\nlicense = {text = \"BSD\"}\n");
    CHECK(g.n == 1 && !strcmp(g.field, "project.license.text") && g.prio == 2);
    g = read_decl("setup.cfg", "[metadata]\nname = x\nlicense = GPLv3\n[options]\nlicense = MIT\n");
    CHECK(g.n == 1 && !strcmp(g.text, "GPLv3") && g.line == 3);
    g = read_decl("setup.py", "setup(\n    name='x',\n    license_files=['L'],\n    license=\"BSD\",\n)\n");
    CHECK(g.n == 1 && !strcmp(g.text, "BSD") && g.line == 4 && g.prio == 4);
    g = read_decl("package.json", "{\n  \"name\": \"a\",\n  \"license\": {\"type\": \"ISC\"}\n}\n");
    CHECK(g.n == 1 && !strcmp(g.text, "ISC") && g.line == 3);
    g = read_decl("PKG-INFO", "Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: MIT\n");
    CHECK(g.n == 1 && !strcmp(g.field, "License-Expression") && g.line == 4);
    g = read_decl("pyproject.toml", "[project\nlicense = 'MIT'\n"); /* malformed: nothing */
    CHECK_INT(g.n, 0);
    CHECK_INT(lic_decl_kind("a/b/README.md"), 0);

    /* normal form */
    char buf[16];
    lic_normal("GPL-2.0+", 8, buf, sizeof buf);
    CHECK_STR(buf, "gpl 2 0 plus");
    lic_normal("aaaaaaaaaaaaaaaaaaaa", 20, buf, 4);
    CHECK_STR(buf, "aaa");
    lic_normal("a b c d e f g h", 15, buf, 4);
    CHECK_STR(buf, "a b");
    return T_DONE("licence");
}
