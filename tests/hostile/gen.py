#!/usr/bin/env python3
"""gen.py CASE DIR [SIZE] - write one hostile input tree into DIR.

The hostile tier (tests/hostile/hostile.sh) generates every case at run
time, so nothing big is committed.  Each tree also holds an ordinary file
(ordinary.py: one B602) whose finding must survive beside the hostile
ones ("nothing else was lost").  Keys are made up, in the providers'
documented shapes.
"""
import os
import subprocess
import sys

AWS = "AKIA4YSNI2G3IITN5XVK"
PAYLOAD = ("import os\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
           "@app.route('/run')\ndef run():\n    os.system(request.args['cmd'])\n"
           "    return 'ok'\n")
ORDINARY = "import subprocess\n\n\ndef go(cmd):\n    subprocess.call(cmd, shell=True)\n"


def write(d, name, data):
    p = os.path.join(d, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def codecs_case(d, size):
    """The payload hidden by each coding cookie CPython accepts."""
    import base64
    b64 = base64.b64encode(PAYLOAD.encode("utf-16-be")).decode().rstrip("=")
    write(d, "utf_7.py", "# -*- coding: utf_7 -*-\n+" + b64 + "-\n")
    write(d, "u7.py", "# coding: u7\n+" + b64 + "-\n")
    esc = "".join(c if c == "\n" else "\\u%04x" % ord(c) for c in PAYLOAD)
    write(d, "uesc.py", "# -*- coding: unicode_escape -*-\n" + esc)
    # one line holding escaped newlines: the code is not even on its own lines
    write(d, "uesc_one_line.py", "# coding: unicode_escape\n" + PAYLOAD.replace("\n", "\\n") + "\n")
    write(d, "rawuesc.py", "# coding: raw_unicode_escape\n" + esc)
    write(d, "latin1.py", ("# -*- coding: latin-1 -*-\n# caf\u00e9\n" + PAYLOAD).encode("latin-1"))
    write(d, "cp1252.py", ("# coding: cp1252\n# \u20ac\n" + PAYLOAD).encode("cp1252"))
    # Shift_JIS-2004: 0x5C is a yen sign, so the quote after it closes the
    # string and the call runs; read raw, the quote looks escaped
    write(d, "sjis.py", b"# coding: shift_jis_2004\nimport os\nfrom flask import request\n"
          b"s = \"\\\"; os.system(request.args['cmd']) #\"\n")
    # MacArabic: 0xA8/0xA9 decode to ( and ); no decoder here: VG801 alone
    write(d, "macarabic.py", b"# coding: mac_arabic\nimport os\nos.system\xa8'ls'\xa9\n")
    write(d, "ordinary.py", ORDINARY)


def nul_case(d, size):
    write(d, "starts_nul.py", b"\0import os\nAWS_KEY = \"" + AWS.encode() + b"\"\n")
    write(d, "notes.txt", b"draft\0 key: " + AWS.encode() + b"\n")
    write(d, "blob.bin", bytes((i * 7919) % 256 for i in range(8192)))
    write(d, "ordinary.py", ORDINARY)


def zwflood_case(d, size):
    n = size or 1100000  # past the 1,048,576 hits of one family
    write(d, "flood.txt", "\u200b" * n + "\nkey = \"" + AWS + "\"\n")
    write(d, "ordinary.py", ORDINARY)


def diags_case(d, size):
    write(d, "dollars.py", "$" * (size or 100000))
    write(d, "parens.py", ")" * (size or 100000))
    write(d, "ordinary.py", ORDINARY)


def pyproject_case(d, size):
    write(d, "pyproject.toml", "[project\nname = \"x\"\n")
    write(d, "ordinary.py", ORDINARY)


def fifo_case(d, size):
    """A FIFO at every path vibeguard opens by name."""
    for sub in ("toml", "pyproject", "include", "secrets"):
        write(d, sub + "/ordinary.py", ORDINARY)
    os.mkfifo(os.path.join(d, "toml/.vibeguard.toml"))
    os.mkfifo(os.path.join(d, "pyproject/pyproject.toml"))
    write(d, "include/requirements.txt", "-r base.in\nflask==2.0.1\n")
    os.mkfifo(os.path.join(d, "include/base.in"))
    write(d, "secrets/.vibeguard.toml", "[secrets]\nconfig = \"rules.toml\"\n")
    os.mkfifo(os.path.join(d, "secrets/rules.toml"))
    for name in ("vault.fifo", "key.fifo", "baseline.fifo"):
        os.mkfifo(os.path.join(d, name))


def git(d, *args):
    subprocess.run(["git", "-C", d, "-c", "user.email=t@example.com", "-c", "user.name=t"]
                   + list(args), check=True, capture_output=True)


def history_case(d, size):
    """A repository whose largest loose blob is truncated, a secret in
    another blob, and a .git file pointing at it from outside."""
    import random
    r = random.Random(3)
    repo = os.path.join(d, "repo")
    write(repo, "big.txt", "".join(r.choice("abcdefgh \n") for _ in range(size or 200000)))
    write(repo, "conf.txt", "key = \"" + AWS + "\"\n")
    write(repo, "ordinary.py", ORDINARY)
    git(repo, "init", "-q", ".")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "one")
    oid = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD:big.txt"], check=True,
                         capture_output=True, text=True).stdout.strip()
    obj = os.path.join(repo, ".git", "objects", oid[:2], oid[2:])
    os.chmod(obj, 0o644)
    with open(obj, "r+b") as f:
        f.truncate(2000)
    out = os.path.join(d, "outside")
    write(out, ".git", "gitdir: " + os.path.abspath(os.path.join(repo, ".git")) + "\n")
    write(out, "ordinary.py", ORDINARY)


def yaml_case(d, size):
    """pnpm lockfiles nested in flow collections (libyaml is quadratic)."""
    n = size or 100000
    write(d, "a/pnpm-lock.yaml", "lockfileVersion: 5.4\npackages:\n  x: " + "[" * n + "\n")
    write(d, "b/pnpm-lock.yaml", "lockfileVersion: 5.4\npackages:\n  x: " + "{a: " * (n // 2) + "\n")
    write(d, "ordinary.py", ORDINARY)


def taint_case(d, size):
    """Taint's work in one module: size top-level SQL statements, and one
    handler of size guarded blocks (an if, a loop with a break, a try, a
    comprehension and a sink each).  Every statement is a finding."""
    n = size or 1000
    mod = ["import sqlite3", "import sys", "", "cur = sqlite3.connect('db').cursor()", "x = sys.argv[1]"]
    for i in range(n):
        mod.append('v%d = x + "%d"' % (i, i))
        mod.append('cur.execute(f"SELECT * FROM t%d WHERE a = {v%d}")' % (i, i))
    write(d, "sqlmod.py", "\n".join(mod) + "\n")
    fn = ["import sqlite3", "from flask import Flask, request", "", "app = Flask(__name__)",
          "cur = sqlite3.connect('db').cursor()", "", "", "@app.route('/q')", "def handler():",
          "    x = request.args['q']"]
    for i in range(n):
        fn += ['    v%d = x + "%d"' % (i, i),
               '    if v%d == "a":' % i,
               '        v%d = "b"' % i,
               '    for k%d in range(3):' % i,
               '        if k%d:' % i,
               '            break',
               '    try:',
               '        w%d = int(v%d)' % (i, i),
               '    except ValueError:',
               '        w%d = 0' % i,
               '    ys%d = [y for y in v%d]' % (i, i),
               '    cur.execute(f"SELECT * FROM t%d WHERE a = {v%d}")' % (i, i)]
    fn.append("    return 'ok'")
    write(d, "longfn.py", "\n".join(fn) + "\n")
    write(d, "ordinary.py", ORDINARY)


def regex_case(d, size):
    """A user's gitleaks-style rule that backtracks catastrophically on
    every line (the first branch fails after exponential work; Hyperscan
    hits on the second), given by --secrets-config (cli/) and by the
    repository's own .vibeguard.toml (repo/)."""
    rule = ("[[rules]]\nid = \"evil-backtrack\"\ndescription = \"a rule that backtracks\"\n"
            "regex = \'\'\'(\\w+\\s?)+;|marker-[0-9]{4}\'\'\'\nkeywords = [\"marker-\"]\n")
    text = "".join("abcde " * 12 + "marker-%04d\n" % (i % 10000) for i in range(size or 200))
    for sub in ("cli", "repo"):
        write(d, sub + "/notes.txt", text)
        write(d, sub + "/ordinary.py", ORDINARY)
    write(d, "rules.toml", rule)
    write(d, "repo/rules.toml", rule)
    write(d, "repo/.vibeguard.toml", "[secrets]\nconfig = \"rules.toml\"\n")


def vault_case(d, size):
    """size distinct e-mail addresses, one a line, for redact --vault: the
    placeholder map and the vault hold one entry for each."""
    n = size or 20000
    write(d, "emails.txt", "".join("mail user%07d.name@company%d.org today\n" % (i, i % 97)
                                   for i in range(n)))


def banditini_case(d, size):
    """A .bandit whose skips run on over size continuation lines (Bandit's
    INI joins them with commas), and junk ids that are warned about."""
    n = size or 20000
    lines = ["[bandit]", "skips = B101"] + ["  B110" if i % 2 else "  X%d" % i for i in range(n)]
    write(d, ".bandit", "\n".join(lines) + "\n")
    write(d, "ordinary.py", ORDINARY)


CASES = {"vault": vault_case, "banditini": banditini_case, "yaml": yaml_case, "taint": taint_case, "regex": regex_case, "codecs": codecs_case, "nul": nul_case, "zwflood": zwflood_case, "diags": diags_case,
         "pyproject": pyproject_case, "fifo": fifo_case, "history": history_case}

if __name__ == "__main__":
    case, d = sys.argv[1], sys.argv[2]
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    os.makedirs(d, exist_ok=True)
    CASES[case](d, size)
