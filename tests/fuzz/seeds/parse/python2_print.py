# expect-error: 5:5: Missing parentheses in call to 'print'. Did you mean print(...)?
# expect-error: 7:1: Missing parentheses in call to 'print'. Did you mean print(...)?
# expect-node: FunctionDef(name='py3_function'
def legacy():
    print "hello", name

print "module level"

def py3_function():
    print("fine")
