# expect-error: 6:11: unterminated string literal (detected at line 6)
# expect-node: FunctionDef(name='ok_before'
# expect-node: FunctionDef(name='ok_after'
def ok_before():
    pass
message = "never closed
def ok_after():
    return subprocess.call(cmd, shell=True)
