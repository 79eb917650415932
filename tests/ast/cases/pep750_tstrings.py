page = t"<p>{name}</p>"
sql = t'SELECT * FROM users WHERE id = {user_id!r:>8}'
both = t"a" t"{b}"
raw = rt"\d+{n=}" Tr'{m!s}'
spec = t"""{price:{width}.2f}
{a + 1}"""
empty = t""
nested = f"{t'{x}'}"
