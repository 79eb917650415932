#!/bin/sh
# embed.sh DATAFILE OUT.c - write a C file that embeds DATAFILE as
# vg_embed_<name>[] .. vg_embed_<name>_end (see src/core/embed.h).
set -eu
name=$(basename "$1" | tr '.-' '__')
cat > "$2" <<EOC
/* generated from $1 by scripts/embed.sh; do not edit */
__asm__(".section .rodata\n.balign 16\n"
        ".global vg_embed_${name}\nvg_embed_${name}:\n"
        ".incbin \"$1\"\n"
        ".global vg_embed_${name}_end\nvg_embed_${name}_end:\n.byte 0\n.previous\n");
EOC
