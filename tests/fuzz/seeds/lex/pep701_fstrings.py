songs = ['a', 'b']
f"{", ".join(songs)}"
f"{f"{f"{1}"}"}"
f"{x["key"]!r:>{width}}"
f"""{
    a
    + b
}"""
f"{'\n'.join(lines)}"
f"{x = }"
f'{x:{"<"}10}'
f"a{{b}}c{d!s}"
