# expect-error: 6:2: inconsistent use of tabs and spaces in indentation
# expect-node: FunctionDef(name='uses_tabs'
# expect-node: FunctionDef(name='fine'
def uses_tabs():
        x = 1
	return x

def fine():
    return 2
