# expect-error: 4:11: '(' was never closed
# expect-node: FunctionDef(name='next_function'
# expect-node: Call(func=Name(id='exec', ctx=Load())
result = f(1, 2,
    3, 4

def next_function(code):
    exec(code)
