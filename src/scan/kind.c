/* kind.c - what a file is: Python, other text, or binary; and whether it
 * is one of the files that steer AI agents (DESIGN §6). */
#include "run.h"
#include "../core/limits.h"
#include "../core/utf8.h"

#include <string.h>

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && memcmp(s + n - m, suf, m) == 0;
}

/* Does `path` contain the directory components `dirs` ("a/b/") either at
 * the start or after a '/'? */
static int has_dir(const char *path, const char *dirs)
{
    size_t m = strlen(dirs);
    if (strncmp(path, dirs, m) == 0) return 1;
    for (const char *p = path; (p = strstr(p, dirs)) != NULL; p++)
        if (p > path && p[-1] == '/') return 1;
    return 0;
}

int kind_is_agent_file(const char *path)
{
    static const char *const names[] = {".cursorrules", "AGENTS.md",   "CLAUDE.md",
                                        ".windsurfrules", ".clinerules", "GEMINI.md"};
    const char *b = base_name(path);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(b, names[i]) == 0) return 1;
    if (strncmp(b, ".aider", 6) == 0) return 1;
    if (strcmp(path, ".github/copilot-instructions.md") == 0 ||
        ends_with(path, "/.github/copilot-instructions.md"))
        return 1;
    if (has_dir(path, ".cursor/rules/")) return 1;
    return 0;
}

static int python_shebang(const unsigned char *d, size_t len)
{
    if (len < 2 || d[0] != '#' || d[1] != '!') return 0;
    size_t n = 2;
    while (n < len && n < KIND_SHEBANG_MAX && d[n] != '\n') n++;
    for (size_t i = 2; i + 6 <= n; i++)
        if (memcmp(d + i, "python", 6) == 0) return 1;
    return 0;
}

static int python_name(const char *path)
{
    const char *b = base_name(path);
    return ends_with(b, ".py") || ends_with(b, ".pyi") || ends_with(b, ".pyw");
}

/* The signatures of common binary formats: an image whose metadata chunk
 * fills the probe with text (XMP in a PNG) is still an image. */
static int binary_magic(const unsigned char *d, size_t n)
{
    static const struct { const char *m; size_t n; } magic[] = {
        {"\x89PNG\r\n\x1a\n", 8}, {"\xff\xd8\xff", 3}, {"GIF87a", 6}, {"GIF89a", 6},
        {"PK\x03\x04", 4}, {"\x1f\x8b", 2}, {"\x7f" "ELF", 4}, {"BZh", 3},
        {"\xfd" "7zXZ\x00", 6}, {"7z\xbc\xaf\x27\x1c", 6}, {"\x00\x00\x01\x00", 4},
        {"wOFF", 4}, {"wOF2", 4}, {"\xca\xfe\xba\xbe", 4}, {"II*\x00", 4}, {"MM\x00*", 4},
        {"RIFF", 4}, {"%PDF-", 5},
    };
    for (size_t i = 0; i < sizeof magic / sizeof *magic; i++)
        if (n >= magic[i].n && memcmp(d, magic[i].m, magic[i].n) == 0) return 1;
    return 0;
}

/* Binary: a known binary signature, or a NUL in the probe and more than
 * 1/16 of it control bytes (other than tab, newlines, form feed and
 * escape) or bytes that are not UTF-8 (compressed data).  A text file with
 * a stray NUL stays text (a NUL must not hide the key after it), and a
 * file named as Python source is always read as Python (CPython refuses
 * the NUL; the analyzers still read the rest). */
int kind_is_binary(const char *path, const unsigned char *data, size_t n)
{
    if (!data || python_name(path)) return 0;
    if (binary_magic(data, n)) return 1;
    if (!memchr(data, 0, n)) return 0;
    size_t odd = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = data[i];
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = utf8_decode(data + i, n - i, &cp);
            if (k) {
                i += k;
                continue;
            }
            odd++;
        } else {
            odd += c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b;
        }
        i++;
    }
    return odd * 16 > n;
}

file_kind kind_of(const char *path, const unsigned char *data, size_t len)
{
    size_t probe = len < VG_BINARY_PROBE ? len : VG_BINARY_PROBE;
    if (kind_is_binary(path, data, probe)) return FK_BINARY;
    if (python_name(path)) return FK_PYTHON;
    if (data && python_shebang(data, len)) return FK_PYTHON;
    return FK_TEXT;
}
