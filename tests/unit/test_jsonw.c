/* test_jsonw.c - the JSON writer: structure, escaping of quotes, control
 * characters, invalid UTF-8 and invisible characters, the depth cap; every
 * document is parsed back with jansson. */
#include "t.h"
#include "core/buf.h"
#include "fmt/jsonw.h"

#include <jansson.h>
#include <stdlib.h>

/* Write one string value, parse it back, return the decoded string. */
static char *roundtrip(const char *s, size_t n, char **raw)
{
    buf b;
    buf_init(&b, 0);
    jsonw w;
    jsonw_init(&w, &b, 0);
    jsonw_arr(&w);
    jsonw_strn(&w, s, n);
    jsonw_end(&w);
    CHECK(jsonw_finish(&w) == VG_OK);
    json_error_t err;
    json_t *j = json_loads(b.data, JSON_ALLOW_NUL, &err);
    CHECK_MSG(j != NULL, "json: %s in %s", err.text, b.data);
    char *out = NULL;
    if (j) {
        const char *v = json_string_value(json_array_get(j, 0));
        out = v ? strdup(v) : NULL;
        json_decref(j);
    }
    if (raw) *raw = buf_detach(&b);
    else buf_free(&b);
    return out;
}

static void check_rt(const char *in, const char *want_raw, const char *want_value)
{
    char *raw = NULL;
    char *v = roundtrip(in, strlen(in), &raw);
    if (want_raw) CHECK_STR(raw, want_raw);
    CHECK_STR(v, want_value);
    free(v);
    free(raw);
}

int main(void)
{
    /* structure, pretty and compact */
    buf b;
    buf_init(&b, 0);
    jsonw w;
    jsonw_init(&w, &b, 0);
    jsonw_obj(&w);
    jsonw_kstr(&w, "a", "x");
    jsonw_kint(&w, "n", -42);
    jsonw_key(&w, "l");
    jsonw_arr(&w);
    jsonw_bool(&w, 1);
    jsonw_null(&w);
    jsonw_double(&w, 0.5);
    jsonw_obj(&w);
    jsonw_end(&w);
    jsonw_arr(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_kstr(&w, "nul", NULL);
    jsonw_end(&w);
    CHECK(jsonw_finish(&w) == VG_OK);
    CHECK_STR(b.data, "{\"a\":\"x\",\"n\":-42,\"l\":[true,null,0.5,{},[]],\"nul\":null}\n");
    buf_clear(&b);
    jsonw_init(&w, &b, 1);
    jsonw_obj(&w);
    jsonw_key(&w, "k");
    jsonw_arr(&w);
    jsonw_int(&w, 1);
    jsonw_int(&w, 2);
    jsonw_end(&w);
    jsonw_end(&w);
    CHECK(jsonw_finish(&w) == VG_OK);
    CHECK_STR(b.data, "{\n  \"k\": [\n    1,\n    2\n  ]\n}\n");
    buf_clear(&b);
    jsonw_init(&w, &b, 1);
    jsonw_obj(&w);
    jsonw_key(&w, "cwe");
    jsonw_arr_inline(&w);
    jsonw_int(&w, 89);
    jsonw_int(&w, 94);
    jsonw_end(&w);
    jsonw_key(&w, "e");
    jsonw_arr_inline(&w);
    jsonw_end(&w);
    jsonw_key(&w, "o");
    jsonw_arr_inline(&w);
    jsonw_obj(&w);
    jsonw_kint(&w, "a", 1);
    jsonw_kint(&w, "b", 2);
    jsonw_end(&w);
    jsonw_str(&w, "x");
    jsonw_end(&w);
    jsonw_end(&w);
    CHECK(jsonw_finish(&w) == VG_OK);
    CHECK_STR(b.data, "{\n  \"cwe\": [89, 94],\n  \"e\": [],\n  \"o\": [{\"a\": 1, \"b\": 2}, \"x\"]\n}\n");

    /* misuse is reported, not written */
    buf_clear(&b);
    jsonw_init(&w, &b, 0);
    jsonw_obj(&w);
    jsonw_int(&w, 1); /* a value without a key is refused */
    CHECK(w.err == VG_ERR_INTERNAL);
    buf_clear(&b);
    jsonw_init(&w, &b, 0);
    jsonw_arr(&w);
    jsonw_key(&w, "k"); /* and so is a key in an array */
    CHECK(w.err == VG_ERR_INTERNAL);
    jsonw_init(&w, &b, 0);
    jsonw_obj(&w);
    CHECK(jsonw_finish(&w) == VG_ERR_INTERNAL); /* unclosed */

    /* depth cap */
    buf_clear(&b);
    jsonw_init(&w, &b, 0);
    for (int i = 0; i < 200; i++) jsonw_arr(&w);
    CHECK(w.err == VG_ERR_LIMIT);
    CHECK(jsonw_finish(&w) == VG_ERR_LIMIT);
    buf_free(&b);

    /* escaping: quotes, backslashes, controls */
    check_rt("say \"hi\" \\ bye", "[\"say \\\"hi\\\" \\\\ bye\"]\n", "say \"hi\" \\ bye");
    check_rt("a\nb\tc\rd\be\ff", "[\"a\\nb\\tc\\rd\\be\\ff\"]\n", "a\nb\tc\rd\be\ff");
    check_rt("\x1b[31mred\x7f", "[\"\\u001b[31mred\\u007f\"]\n", "\x1b[31mred\x7f");
    check_rt("\x01\x1f", "[\"\\u0001\\u001f\"]\n", "\x01\x1f");
    /* valid UTF-8 passes through */
    check_rt("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"]\n",
             "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    /* invisible characters are escaped but decode to themselves */
    check_rt("a\xe2\x80\xae" "b", "[\"a\\u202eb\"]\n", "a\xe2\x80\xae" "b");          /* RLO */
    check_rt("\xe2\x80\x8b", "[\"\\u200b\"]\n", "\xe2\x80\x8b");                       /* ZWSP */
    check_rt("\xf3\xa0\x80\x81", "[\"\\udb40\\udc01\"]\n", "\xf3\xa0\x80\x81");       /* TAG */
    check_rt("\xe2\x80\xa8", "[\"\\u2028\"]\n", "\xe2\x80\xa8");                       /* LS */
    check_rt("\xc2\x85", "[\"\\u0085\"]\n", "\xc2\x85");                               /* NEL */
    /* invalid UTF-8 becomes U+FFFD, one per bad byte */
    check_rt("a\xff" "b", "[\"a\\ufffdb\"]\n", "a\xef\xbf\xbd" "b");
    check_rt("\xc0\xaf", NULL, "\xef\xbf\xbd\xef\xbf\xbd");                  /* overlong '/' */
    check_rt("\xed\xa0\x80", NULL, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  /* surrogate */
    check_rt("\xf4\x90\x80\x80", NULL, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    check_rt("\xe2\x82", NULL, "\xef\xbf\xbd\xef\xbf\xbd");                  /* truncated */

    /* NUL inside a string (strn) */
    char *raw = NULL;
    char *v = roundtrip("a\0b", 3, &raw);
    CHECK_STR(raw, "[\"a\\u0000b\"]\n");
    free(v);
    free(raw);

    /* every byte value, every position: always valid JSON */
    for (int i = 0; i < 256; i++) {
        char s[4] = {'x', (char)i, (char)(255 - i), 0};
        char *r = roundtrip(s, 3, NULL);
        CHECK(r != NULL);
        free(r);
    }

    /* doubles */
    buf_init(&b, 0);
    jsonw_init(&w, &b, 0);
    jsonw_arr(&w);
    jsonw_double(&w, 1.0 / 0.0);
    jsonw_double(&w, 0.1);
    jsonw_end(&w);
    jsonw_finish(&w);
    CHECK_STR(b.data, "[null,0.1]\n");
    buf_free(&b);
    return T_DONE("test_jsonw");
}
