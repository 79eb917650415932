/* embed.h - files of data/ compiled into the binary.
 *
 * The Makefile turns data/NAME into two symbols, vg_embed_NAME and
 * vg_embed_NAME_end, with '.' and '-' in NAME replaced by '_'
 * (data/secrets.toml -> vg_embed_secrets_toml).  A NUL byte follows the
 * data, so text files can be read as C strings.  Use:
 *     EMBED_DECL(secrets_toml);
 *     const char *s = EMBED_DATA(secrets_toml); size_t n = EMBED_SIZE(secrets_toml);
 */
#ifndef VG_EMBED_H
#define VG_EMBED_H

#include <stddef.h>

#define EMBED_DECL(name)                                                       \
    extern const char vg_embed_##name[];                                       \
    extern const char vg_embed_##name##_end[]
#define EMBED_DATA(name) (vg_embed_##name)
#define EMBED_SIZE(name) ((size_t)(vg_embed_##name##_end - vg_embed_##name))

#endif
