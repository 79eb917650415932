/* test_redact.c - placeholders (same value, same placeholder; numbering
 * per type; shapes), redact of secrets/PII/infrastructure, restore
 * (exact, case-insensitive, unknown placeholders) and the streaming
 * filters across block boundaries, byte for byte. */
#include "t.h"

#include <stdlib.h>

#include "redact/placeholder.h"
#include "redact/redact.h"
#include "text/secrets.h"

static char *redact_str(redactor *r, const char *in)
{
    buf o;
    buf_init(&o, 0);
    CHECK(redact_block(r, (const unsigned char *)in, strlen(in), &o) == VG_OK);
    return buf_detach(&o);
}

static char *restore_str(const ph_map *m, const char *in, restore_stats *st)
{
    buf o;
    buf_init(&o, 0);
    CHECK(restore_buffer(m, (const unsigned char *)in, strlen(in), &o, st) == VG_OK);
    return buf_detach(&o);
}

static void test_map(void)
{
    ph_map *m = ph_map_new();
    const ph_entry *a, *b, *c, *x;
    ph_map_get(m, "EMAIL_ADDRESS", (const unsigned char *)"a@acme.io", 9, PH_PLACEHOLDER, &a);
    ph_map_get(m, "EMAIL_ADDRESS", (const unsigned char *)"b@acme.io", 9, PH_PLACEHOLDER, &b);
    ph_map_get(m, "PHONE_NUMBER", (const unsigned char *)"a@acme.io", 9, PH_PLACEHOLDER, &x);
    ph_map_get(m, "aws-access-token", (const unsigned char *)"AKIAZ3MSJV4WWQKL7X2B", 20, PH_PLACEHOLDER, &c);
    CHECK_STR(a->ph, "<EMAIL_ADDRESS_1>");
    CHECK_STR(b->ph, "<EMAIL_ADDRESS_2>");
    CHECK(x == a);                                   /* same value, same placeholder */
    CHECK_STR(c->ph, "<AWS_ACCESS_TOKEN_1>");
    CHECK(ph_map_find(m, "<Email_Address_2>", 17) == b);
    CHECK(ph_map_find(m, "<EMAIL_ADDRESS_3>", 17) == NULL);
    char lab[PH_MAX_LABEL];
    ph_label_from(lab, sizeof lab, "--weird..slug--");
    CHECK_STR(lab, "WEIRD_SLUG");
    ph_map_free(m);

    /* a placeholder never repeats one the counters did not make: a
     * vault's entry, or a shape that reads like a placeholder */
    m = ph_map_new();
    CHECK(ph_map_load(m, "PHONE_NUMBER", 1, PH_SHAPE, (const unsigned char *)"555", 3,
                      "<email_address_1>", 17) == VG_OK);
    CHECK(ph_map_get(m, "EMAIL_ADDRESS", (const unsigned char *)"a@acme.io", 9, PH_PLACEHOLDER,
                     &a) == VG_OK);
    CHECK_STR(a->ph, "<EMAIL_ADDRESS_2>");
    ph_map_free(m);
    m = ph_map_new();
    ph_map_get(m, "SECRET", (const unsigned char *)"<SECRET_1>", 10, PH_SHAPE, &x);
    ph_map_get(m, "SECRET", (const unsigned char *)"s3cr3t-value", 12, PH_PLACEHOLDER, &a);
    CHECK(strcmp(a->ph, x->ph) != 0);
    ph_map_free(m);

    buf s;
    buf_init(&s, 0);
    ph_shape(&s, "STRIPE_ACCESS_TOKEN", (const unsigned char *)"sk_live_51HqLyjWDar", 19, 1);
    CHECK_STR(s.data, "sk_live_00XXXXXXXXX");
    buf_clear(&s);
    ph_shape(&s, "CONNECTION_STRING", (const unsigned char *)"postgresql://u:p@db.internal:5432/app", 37, 1);
    CHECK_STR(s.data, "postgresql://user:password@hostname:5432/dbname");
    buf_clear(&s);
    ph_shape(&s, "EMAIL_ADDRESS", (const unsigned char *)"x@y.io", 6, 2);
    CHECK_STR(s.data, "user2@example.com");
    buf_clear(&s);
    ph_shape(&s, "PRIVATE_IP", (const unsigned char *)"10.9.8.7", 8, 3);
    CHECK_STR(s.data, "10.0.0.3");
    buf_clear(&s);
    ph_shape(&s, "PHONE_NUMBER", (const unsigned char *)"+1 212-555-2368", 15, 12);
    CHECK_STR(s.data, "+0 000-000-0012");
    buf_free(&s);

    /* public IPs in shape style: the documentation networks hold 762, and
     * a log has more; every value keeps a shape of its own (the map once
     * gave up at the 763rd, "limit exceeded") */
    m = ph_map_new();
    int fails = 0;
    char ip[32];
    for (unsigned i = 0; i < 3000; i++) {
        int n = snprintf(ip, sizeof ip, "81.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
        if (ph_map_get(m, "IP_ADDRESS", (const unsigned char *)ip, (size_t)n, PH_SHAPE, &a)) fails++;
        else if (i == 0) CHECK_STR(a->ph, "192.0.2.1");
        else if (i == 761) CHECK_STR(a->ph, "203.0.113.254");
        else if (i == 762) CHECK_STR(a->ph, "198.18.0.0");
    }
    CHECK(fails == 0);
    CHECK(ph_map_count(m) == 3000);
    ph_map_free(m);
}

static void test_redact_restore(const secrets *sec)
{
    ph_map *m = ph_map_new();
    redactor *r = NULL;
    diag_list d = {0};
    redact_opts o = {.style = PH_PLACEHOLDER, .threshold = 0.4};
    CHECK(redactor_new(&o, sec, m, &r, &d) == VG_OK);
    const char *in =
        "email john.doe@acme.io and again john.doe@acme.io; docs a@example.com\n"
        "db = \"postgresql://app:Tr0ub4dor@db01.prod.internal:5432/app\"\n"
        "host 10.1.2.3 public 81.2.69.160 loopback 127.0.0.1 doc 192.0.2.9 ver 3.1.4.1\n"
        "wiki at http://wiki.corp/page and card 4539 1488 0343 6467, test card 4111111111111111\n"
        "key = 'AKIAZ3MSJV4WWQKL7X2B'\n";
    char *red = redact_str(r, in);
    CHECK(strstr(red, "email <EMAIL_ADDRESS_1> and again <EMAIL_ADDRESS_1>;"));
    CHECK(strstr(red, "docs <EMAIL_ADDRESS_2>"));       /* recall first: documentation values too */
    CHECK(strstr(red, "db = \"<CONNECTION_STRING_1>\""));             /* stays inside the quotes */
    CHECK(strstr(red, "host <PRIVATE_IP_1> public <IP_ADDRESS_1> loopback 127.0.0.1 doc <IP_ADDRESS_2> ver 3.1.4.1"));
    CHECK(strstr(red, "http://<INTERNAL_HOST_1>/page"));
    CHECK(strstr(red, "card <CREDIT_CARD_1>, test card <CREDIT_CARD_2>"));
    if (sec) CHECK(strstr(red, "key = '<AWS_ACCESS_TOKEN_1>'"));
    CHECK(!strstr(red, "Tr0ub4dor") && !strstr(red, "john.doe"));
    restore_stats st = {0};
    char *back = restore_str(m, red, &st);
    CHECK_STR(back, in);
    CHECK_INT(st.unknown, 0);
    /* an assistant's answer: changed case, and a placeholder we never made */
    char *ans = restore_str(m, "Send it to <email_address_1>, not <EMAIL_ADDRESS_9>.", &st);
    CHECK_STR(ans, "Send it to john.doe@acme.io, not <EMAIL_ADDRESS_9>.");
    CHECK_INT(st.unknown, 1);
    CHECK(st.n_unknown_list == 1 && !strcmp(st.unknown_list[0], "<EMAIL_ADDRESS_9>"));
    restore_stats_free(&st);
    free(ans);
    free(back);
    free(red);
    redactor_free(r);

    /* shape style round trip */
    ph_map *m2 = ph_map_new();
    o.style = PH_SHAPE;
    CHECK(redactor_new(&o, sec, m2, &r, &d) == VG_OK);
    red = redact_str(r, in);
    CHECK(strstr(red, "\"postgresql://user:password@hostname:5432/dbname\""));
    CHECK(strstr(red, "email user@example.com and again user@example.com;"));
    restore_stats st2 = {0};
    back = restore_str(m2, red, &st2);
    CHECK_STR(back, in);
    restore_stats_free(&st2);
    free(back);
    free(red);
    redactor_free(r);
    ph_map_free(m2);
    ph_map_free(m);
    diag_free(&d);
}

/* The stream filters on input far larger than a block, with values at
 * every offset around the block boundaries. */
static void test_stream(const secrets *sec)
{
    buf in;
    buf_init(&in, 0);
    for (int i = 0; in.len < 3 * REDACT_BLOCK; i++)
        buf_printf(&in, "%06d user%d@acme.io called from 10.0.%d.%d about order %d\n", i, i % 97,
                   i % 200, i % 250 + 1, i);
    buf_puts(&in, "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nno newline at end");
    FILE *fi = fmemopen(in.data, in.len, "rb");
    char *red = NULL, *back = NULL;
    size_t rn = 0, bn = 0;
    FILE *fo = open_memstream(&red, &rn);
    ph_map *m = ph_map_new();
    redactor *r = NULL;
    diag_list d = {0};
    redact_opts o = {.style = PH_PLACEHOLDER, .threshold = 0.4};
    CHECK(redactor_new(&o, sec, m, &r, &d) == VG_OK);
    CHECK(redact_stream(r, fi, fo, &d) == VG_OK);
    fclose(fi);
    fclose(fo);
    CHECK(rn > 0 && !strstr(red, "@acme.io"));
    CHECK(strstr(red, "<EMAIL_ADDRESS_98>") == NULL && strstr(red, "<EMAIL_ADDRESS_97>"));
    fi = fmemopen(red, rn, "rb");
    fo = open_memstream(&back, &bn);
    restore_stats st = {0};
    CHECK(restore_stream(m, fi, fo, &st, &d) == VG_OK);
    fclose(fi);
    fclose(fo);
    CHECK_INT(bn, in.len);
    CHECK(bn == in.len && !memcmp(back, in.data, bn));
    CHECK_INT(st.unknown, 0);
    restore_stats_free(&st);
    free(red);
    free(back);
    redactor_free(r);
    ph_map_free(m);
    buf_free(&in);
    diag_free(&d);
}

int main(void)
{
    diag_list d = {0};
    secrets *sec = NULL;
    if (secrets_open(NULL, &sec, &d) != VG_OK) {
        fprintf(stderr, "secrets_open failed; testing without secret rules\n");
        sec = NULL;
    }
    diag_free(&d);
    test_map();
    test_redact_restore(sec);
    test_stream(sec);
    secrets_close(sec);
    return T_DONE("test_redact");
}
