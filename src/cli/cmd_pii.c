/* cmd_pii.c - 'vibeguard pii [FILE|-]': the personal data entities of one
 * input, Presidio-style (type, score, code-point span), as JSON or text.
 * The matched text is masked unless --show. */
#include "cli.h"
#include "args.h"
#include "../core/buf.h"
#include "../core/limits.h"
#include "../core/utf8.h"
#include "../fmt/jsonw.h"
#include "../report/report.h"
#include "../text/pii.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char pii_usage[] =
    "usage: vibeguard pii [FILE|-] [--format json|text|presidio] [--entities A,B] [--threshold X]\n"
    "                    [--show]\n"
    "\n"
    "List the personal data entities (Presidio's names and scores) in FILE, or\n"
    "standard input.  Spans count Unicode code points; byte_start/byte_end bytes.\n"
    "\n"
    "  --format FMT      json (default), text, or presidio: a JSON array of Presidio's\n"
    "                    RecognizerResult fields (entity_type, start, end, score)\n"
    "  --entities LIST   only these entities (default: all), e.g. EMAIL_ADDRESS,PHONE_NUMBER\n"
    "  --threshold X     minimum score, 0..1 (default 0.4)\n"
    "  --show            print the matched text unmasked\n"
    "  -h, --help        this help\n"
    "\n"
    "Exit code: 0 no entity, 1 entities found, 2 error.\n";

enum { P_FORMAT = 1, P_ENTITIES, P_THRESHOLD, P_SHOW, P_HELP };
static const arg_opt pii_opts[] = {
    {"format", 'f', 1, P_FORMAT},   {"entities", 'e', 1, P_ENTITIES},
    {"threshold", 't', 1, P_THRESHOLD}, {"show", 0, 0, P_SHOW},
    {"help", 'h', 0, P_HELP},       {0, 0, 0, 0},
};

/* Read a whole file (or stdin for "-") into *b, up to PII_MAX_INPUT. */
static int read_input(const char *path, buf *b)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return cli_error("cannot open %s: %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(b, chunk, n)) {
            rc = cli_error("%s: input larger than %zu MiB", path, PII_MAX_INPUT >> 20);
            break;
        }
    if (!rc && ferror(f)) rc = cli_error("cannot read %s: %s", path, strerror(errno));
    if (f != stdin) fclose(f);
    return rc;
}

/* The masked form of a match: its first characters, then '*' for each
 * remaining code point (at most 2 shown, fewer for short values). */
static void mask_text(buf *out, const unsigned char *s, size_t n)
{
    size_t cps = utf8_count(s, n), keep = cps >= 8 ? 2 : cps >= 4 ? 1 : 0;
    if (keep) buf_append(out, s, utf8_skip(s, n, keep));
    for (size_t k = keep; k < cps; k++) buf_putc(out, '*');
}

int cmd_pii(int argc, char **argv)
{
    arg_parser ap;
    args_init(&ap, argc, argv);
    const char *val, *path = NULL, *format = "json";
    unsigned mask = PII_ALL_PUBLIC;
    double threshold = 0.4;
    int show = 0, id;
    while ((id = args_next(&ap, pii_opts, &val)) != ARG_END) {
        switch (id) {
        case ARG_ERROR: return cli_error("pii: %s", ap.err);
        case ARG_POSITIONAL:
            if (path) return cli_error("pii: one input at a time (got '%s' and '%s')", path, val);
            path = val;
            break;
        case P_FORMAT:
            if (strcmp(val, "json") && strcmp(val, "text") && strcmp(val, "presidio"))
                return cli_error("pii: --format must be json, text or presidio, not '%s'", val);
            format = val;
            break;
        case P_ENTITIES: {
            const char *bad = NULL;
            size_t bl = 0;
            mask = pii_entities_parse(val, &bad, &bl);
            if (!mask) {
                if (bad) return cli_error("pii: unknown entity '%.*s'", (int)bl, bad);
                return cli_error("pii: --entities is empty");
            }
            mask &= PII_ALL_PUBLIC;
            if (!mask) return cli_error("pii: no PII entity in '%s'", val);
            break;
        }
        case P_THRESHOLD: {
            char *end;
            threshold = strtod(val, &end);
            if (*end || end == val || threshold < 0 || threshold > 1)
                return cli_error("pii: --threshold must be a number from 0 to 1, not '%s'", val);
            break;
        }
        case P_SHOW: show = 1; break;
        case P_HELP: fputs(pii_usage, stdout); return 0;
        }
    }
    if (!path) path = "-";

    buf in;
    buf_init(&in, PII_MAX_INPUT);
    int rc = read_input(path, &in);
    if (rc) {
        buf_free(&in);
        return rc;
    }
    diag_list d = {0};
    pii *p = NULL;
    if (pii_open(mask, threshold, PII_OPEN_OWN_DB | PII_OPEN_PRESIDIO, &p, &d)) {
        cli_print_diags(stderr, &d, DIAG_NOTE);
        diag_free(&d);
        buf_free(&in);
        return 2;
    }
    diag_free(&d);
    const unsigned char *data = (const unsigned char *)in.data;
    pii_match *m = NULL;
    size_t nm = 0;
    if (pii_find(p, data, in.len, &m, &nm)) {
        pii_close(p);
        buf_free(&in);
        return cli_error("pii: scanning %s failed", path);
    }

    buf out, tx;
    buf_init(&out, 0);
    buf_init(&tx, 0);
    jsonw w;
    int pres = !strcmp(format, "presidio"), json = pres || !strcmp(format, "json");
    if (json) {
        jsonw_init(&w, &out, 1);
        if (!pres) {
            jsonw_obj(&w);
            jsonw_key(&w, "entities");
        }
        jsonw_arr(&w);
    }
    size_t cp_pos = 0, byte_pos = 0, line = 1, line_cp = 0;
    for (size_t i = 0; i < nm; i++) {
        const pii_match *x = &m[i];
        /* matches are sorted by start: count code points incrementally */
        for (; byte_pos < x->start; byte_pos++) {
            cp_pos += !utf8_is_cont(data[byte_pos]);
            if (data[byte_pos] == '\n') {
                line++;
                line_cp = cp_pos;
            }
        }
        size_t cps = cp_pos, cpe = cps + utf8_count(data + x->start, x->end - x->start);
        buf_clear(&tx);
        if (show) buf_append(&tx, data + x->start, x->end - x->start);
        else mask_text(&tx, data + x->start, x->end - x->start);
        if (pres) {
            jsonw_obj(&w);
            jsonw_kstr(&w, "entity_type", pii_entity_name(x->entity));
            jsonw_key(&w, "start");
            jsonw_uint(&w, cps);
            jsonw_key(&w, "end");
            jsonw_uint(&w, cpe);
            jsonw_key(&w, "score");
            jsonw_double(&w, (double)(long)(x->score * 100 + 0.5) / 100);
            jsonw_end(&w);
        } else if (json) {
            jsonw_obj(&w);
            jsonw_kstr(&w, "type", pii_entity_name(x->entity));
            jsonw_key(&w, "score");
            jsonw_double(&w, (double)(long)(x->score * 100 + 0.5) / 100);
            jsonw_key(&w, "start");
            jsonw_uint(&w, cps);
            jsonw_key(&w, "end");
            jsonw_uint(&w, cpe);
            jsonw_key(&w, "byte_start");
            jsonw_uint(&w, x->start);
            jsonw_key(&w, "byte_end");
            jsonw_uint(&w, x->end);
            jsonw_key(&w, "text");
            jsonw_strn(&w, tx.data, tx.len);
            jsonw_end(&w);
        } else {
            buf_printf(&out, "%s:%zu:%zu: %s %.2f ", strcmp(path, "-") ? path : "<stdin>", line,
                       cps - line_cp + 1, pii_entity_name(x->entity), x->score);
            report_visible(&out, tx.data, tx.len);
            buf_putc(&out, '\n');
        }
    }
    if (json) {
        jsonw_end(&w);
        if (!pres) jsonw_end(&w);
        jsonw_finish(&w);
    } else if (!nm) {
        buf_puts(&out, "no PII found\n");
    }
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    buf_free(&out);
    buf_free(&tx);
    free(m);
    pii_close(p);
    buf_free(&in);
    return nm ? 1 : 0;
}
