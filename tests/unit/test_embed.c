/* test_embed.c - files under data/ are compiled into the binary. */
#include "t.h"
#include "core/embed.h"

EMBED_DECL(probe_txt);

int main(void)
{
    CHECK_INT(EMBED_SIZE(probe_txt), 6);
    CHECK(memcmp(EMBED_DATA(probe_txt), "probe\n", 6) == 0);
    CHECK(EMBED_DATA(probe_txt)[6] == 0);
    return T_DONE("embed");
}
