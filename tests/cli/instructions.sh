#!/usr/bin/env bash
# instructions.sh - 'vibeguard instructions' and 'vibeguard prompt' on two
# small realistic projects written here (a Flask + Flask-SQLAlchemy app with
# one SQL injection, a FastAPI app calling OpenAI that runs model output in
# a shell): the detected stack, the requirements, the findings lines, the
# idempotent rewrite between markers, the bytes outside them, and the
# written agent files scanning clean.  Markdown is parsed (tests md.py
# below: headings -> bullets), JSON with check_json.
. "$(dirname "$0")/../lib.sh"

# ---- the projects -------------------------------------------------------
F=$TMP/flaskapp
mkdir -p "$F/app" "$F/tests"
cat > "$F/app/__init__.py" <<'EOF'
import os

from flask import Flask, request, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///app.db")
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), unique=True)


@app.route("/search")
def search():
    q = request.args.get("q", "")
    rows = db.session.execute(text(f"SELECT id, name FROM user WHERE name LIKE '%{q}%'"))
    return render_template("search.html", rows=rows)


@app.route("/user/<int:uid>")
def user(uid):
    stmt = text("SELECT name FROM user WHERE id = :id").bindparams(id=uid)
    row = db.session.execute(stmt).first()
    return {"name": row.name if row else None}
EOF
# a test file's imports are not the application's stack
cat > "$F/tests/test_app.py" <<'EOF'
import requests
import yaml


def test_health():
    assert requests.get("http://localhost:5000/").status_code == 200
EOF

# nor are the imports of examples, docs and maintainers' scripts
mkdir -p "$F/examples" "$F/docs" "$F/scripts"
printf 'import django\nimport pymongo\n' > "$F/examples/other_stack.py"
printf 'import yaml\nproject = "flaskapp"\n' > "$F/docs/conf.py"
printf 'import anthropic\n' > "$F/scripts/release_notes.py"

A=$TMP/fastapp
mkdir -p "$A"
cat > "$A/main.py" <<'EOF'
import os
import subprocess

from fastapi import FastAPI
from openai import OpenAI
from pydantic import BaseModel

app = FastAPI()
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


class Ask(BaseModel):
    question: str


@app.post("/ask")
def ask(body: Ask):
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": body.question}],
    )
    return {"answer": resp.choices[0].message.content}


@app.post("/run")
def run(body: Ask):
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "A shell command for: " + body.question}],
    )
    cmd = resp.choices[0].message.content
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return {"out": out.stdout}
EOF

# md.py FILE EXPR: EXPR holds on the parsed Markdown: `h` maps each heading
# (## or ###) to its bullet lines, `stack` is the "Detected stack:" list,
# `text` the whole file
cat > "$TMP/md.py" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
h, cur, stack = {}, None, []
for line in text.splitlines():
    m = re.match(r"^#{2,3} (.*)$", line)
    if m:
        cur = m.group(1); h.setdefault(cur, []); continue
    if line.startswith("Detected stack: "):
        stack = [s.strip() for s in line[len("Detected stack: "):].rstrip(".").split(", ")]
    if line.startswith("- ") and cur is not None:
        h[cur].append(line[2:])
ok = eval(sys.argv[2])
if not ok:
    print("headings:", list(h), "stack:", stack, file=sys.stderr)
    sys.exit(1)
EOF
check_md() { # DESCRIPTION FILE EXPR
  local why
  if why=$(python3 "$TMP/md.py" "$2" "$3" 2>&1); then pass; else fail "$1: $why"; fi
}

# ---- instructions: the Flask project ---------------------------------------
check_exit 0 "instructions prints the section" "$VG" instructions "$F"
cp "$TMP/.out" "$TMP/flask.md"
check_md "stack: Flask, Flask-SQLAlchemy, its Jinja2" "$TMP/flask.md" \
  'stack == ["Flask (framework)", "SQLAlchemy (database)", "Jinja2 (templates)"]'
check_md "imports of tests, examples, docs and scripts are not the stack" "$TMP/flask.md" \
  '"PyYAML" not in text and "Outbound HTTP" not in "".join(h) and "Django" not in text and "Anthropic" not in text'
check_md "a section per detected component" "$TMP/flask.md" \
  'all(k in h for k in ("Every change", "Flask", "SQLAlchemy", "Jinja2"))'
check_md "SQLAlchemy: bind parameters, never f-strings" "$TMP/flask.md" \
  'any("bindparams" in b and "f-strings" in b for b in h["SQLAlchemy"])'
check_md "Flask: SECRET_KEY from the environment, debug off" "$TMP/flask.md" \
  'any("SECRET_KEY" in b and "debug off" in b for b in h["Flask"])'
check_md "the SQL injection found here is named with its rules and count" "$TMP/flask.md" \
  '(any(b.startswith("SQL injection: 1 finding (") and "`VG701`" in b and "in 1 file" in b
        for b in h["Findings in this repository"]))'
check_md "no LLM section without an LLM client" "$TMP/flask.md" '"LLM clients" not in "".join(h)'

check_exit 0 "--no-scan leaves the findings out" "$VG" instructions --no-scan "$F"
check_md "--no-scan: no findings heading" "$TMP/.out" '"Findings in this repository" not in h'

# ---- --write: idempotent, bytes outside the markers kept --------------------
printf '# Notes for agents\n\nUse tabs.\tKeep this line: caf\xc3\xa9 \\r\r\nno final newline' > "$F/AGENTS.md"
cp "$F/AGENTS.md" "$TMP/orig"
check_exit 0 "--write AGENTS.md" "$VG" instructions "$F" --write "$F/AGENTS.md"
cp "$F/AGENTS.md" "$TMP/w1"
check_exit 0 "--write again" "$VG" instructions "$F" --write "$F/AGENTS.md"
check "a second run gives identical bytes" cmp "$TMP/w1" "$F/AGENTS.md"
check_grep "the second run says up to date" 'up to date' "$TMP/.err"
python3 - "$TMP/orig" "$F/AGENTS.md" > "$TMP/split" <<'EOF'
import sys
orig, new = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
b, e = new.index(b"<!-- vibeguard:begin -->"), new.index(b"<!-- vibeguard:end -->")
print("prefix-kept", new[:len(orig)] == orig)
print("one-pair", new.count(b"<!-- vibeguard:begin -->") == 1 and new.count(b"<!-- vibeguard:end -->") == 1 and b < e)
print("section-inside", b"Security instructions for AI assistants" in new[b:e])
EOF
check_grep "the old file is kept byte for byte before the section" '^prefix-kept True$' "$TMP/split"
check_grep "one pair of markers" '^one-pair True$' "$TMP/split"
check_grep "the section lies between them" '^section-inside True$' "$TMP/split"

# text the user adds after the section, and edits inside it
printf '\n## Team rules\n\nKeep me.\n' >> "$F/AGENTS.md"
cp "$F/AGENTS.md" "$TMP/w2"
python3 - "$F/AGENTS.md" <<'EOF'
import sys
p = sys.argv[1]; s = open(p, "rb").read()
s = s.replace(b"### Flask\n", b"### Flask\n\n- a stale line someone wrote by hand\n")
open(p, "wb").write(s)
EOF
check_exit 1 "--check finds the edited section stale" "$VG" instructions "$F" --check --write "$F/AGENTS.md"
check_exit 0 "--write restores the section" "$VG" instructions "$F" -q --write "$F/AGENTS.md"
check "the section is restored; text after the markers kept" cmp "$TMP/w2" "$F/AGENTS.md"
check_exit 0 "--check on an up-to-date file" "$VG" instructions "$F" --check --write "$F/AGENTS.md"
check_exit 1 "--check on a missing file" "$VG" instructions "$F" --check --write "$F/CLAUDE.md"
check "--check writes nothing" test ! -e "$F/CLAUDE.md"

# a begin marker without an end: refused, file untouched
printf 'x\n<!-- vibeguard:begin -->\nhalf\n' > "$TMP/broken.md"
cp "$TMP/broken.md" "$TMP/broken.orig"
check_exit 2 "unpaired markers are an error" "$VG" instructions "$F" --no-scan --write "$TMP/broken.md"
check "the unpaired file is left as it was" cmp "$TMP/broken.orig" "$TMP/broken.md"

# every file assistants read, new directories made; .mdc gets front matter
(cd "$F" && "$VG" instructions -q --write CLAUDE.md --write .github/copilot-instructions.md \
   --write .cursor/rules/security.mdc) >"$TMP/.out" 2>"$TMP/.err"
check "--write several files at once" test -s "$F/.github/copilot-instructions.md" -a -s "$F/CLAUDE.md"
check_grep "the Cursor rule opens with its front matter" '^alwaysApply: true$' "$F/.cursor/rules/security.mdc"
check "the Cursor rule's first line is the front matter" test "$(head -n 1 "$F/.cursor/rules/security.mdc")" = "---"

# CLAUDE.md as a link to AGENTS.md: written through, the link kept
L=$TMP/linked
mkdir -p "$L"
cp "$F/app/__init__.py" "$L/app.py"
printf '# Agents\n' > "$L/AGENTS.md"
ln -s AGENTS.md "$L/CLAUDE.md"
(cd "$L" && "$VG" instructions -q --no-scan --write CLAUDE.md --write AGENTS.md) 2>"$TMP/.err"
check "the link is still a link" test -L "$L/CLAUDE.md"
check_md "the section went into the link's target" "$L/AGENTS.md" '"Flask" in h and text.startswith("# Agents\n")'
check_exit 0 "--check through the link" "$VG" instructions "$L" --no-scan --check --write "$L/CLAUDE.md"

# ---- the written files pass vibeguard's own agent-file checks ---------------
"$VG" scan "$F/AGENTS.md" "$F/CLAUDE.md" "$F/.github/copilot-instructions.md" \
  "$F/.cursor/rules/security.mdc" --profile audit --format json >"$TMP/agents.json" 2>"$TMP/.err"
check_json "the written agent files scan clean (audit profile, every analyzer)" "$TMP/agents.json" \
  'd["findings"] == []'
"$VG" scan "$F" --format json >"$TMP/proj.json" 2>/dev/null
check_json "the project scan finds nothing in its agent files" "$TMP/proj.json" \
  'not [f for f in d["findings"] if f["path"].endswith(("AGENTS.md", "CLAUDE.md", ".mdc", "copilot-instructions.md"))]'

# ---- instructions: the FastAPI + OpenAI project -------------------------------
check_exit 0 "instructions --format json" "$VG" instructions "$A" --format json
cp "$TMP/.out" "$TMP/fast.json"
check_json "stack: FastAPI, OpenAI, subprocess" "$TMP/fast.json" \
  '[s["id"] for s in d["stack"]] == ["FASTAPI", "OPENAI", "SUBPROCESS"]'
check_json "the LLM client's requirement: model output is untrusted" "$TMP/fast.json" \
  'any(r["for"] == "LLM client" and "untrusted" in r["text"] and "subprocess" in r["text"] for r in d["requirements"])'
check_json "no Flask or SQLAlchemy requirement in a FastAPI app" "$TMP/fast.json" \
  'not [r for r in d["requirements"] if r["for"] in ("FLASK", "SQLALCHEMY")]'
check_json "the model output run in a shell is a command-injection line" "$TMP/fast.json" \
  '[(f["topic"], f["count"]) for f in d["findings"]] == [("command injection", 1)]'
check_exit 0 "instructions markdown (FastAPI)" "$VG" instructions "$A"
check_md "Markdown: an LLM section naming OpenAI" "$TMP/.out" \
  '"LLM clients (OpenAI)" in h and "FastAPI" in h'
"$VG" instructions "$A" -q --write "$A/AGENTS.md" 2>/dev/null
"$VG" scan "$A/AGENTS.md" --profile audit --format json >"$TMP/a2.json" 2>/dev/null
check_json "the FastAPI project's AGENTS.md scans clean" "$TMP/a2.json" 'd["findings"] == []'

# ---- every component at once: all requirements pass the agent-file checks ----
K=$TMP/everything
mkdir -p "$K"
python3 - "$T_ROOT/src/scan/stack.def" "$K/app.py" <<'EOF'
import re, sys
src = open(sys.argv[1]).read()
mods = []
for m in re.finditer(r'^STACK\((\w+),\s*\w+,\s*"[^"]*",\s*([^,]+),\s*"([^"]*)"', src, re.M):
    fw, ms = m.group(2), m.group(3).split()
    if not ms:
        ms = [re.search(r"SEMA_FW_(\w+)", fw).group(1).lower().replace("drf", "rest_framework")]
    mods.append(ms[0])
with open(sys.argv[2], "w") as f:
    f.write("".join("import %s\n" % x for x in mods))
EOF
nstack=$(grep -c "^STACK(" "$T_ROOT/src/scan/stack.def")
check_exit 0 "instructions on a file importing every component" "$VG" instructions "$K" --no-scan --format json
check_json "every STACK row of scan/stack.def is detected" "$TMP/.out" "len(d['stack']) == $nstack"
"$VG" instructions "$K" -q --no-scan --write "$K/AGENTS.md" 2>/dev/null
"$VG" scan "$K/AGENTS.md" --profile audit --format json >"$TMP/k.json" 2>/dev/null
check_json "every requirement in the table passes the agent-file checks" "$TMP/k.json" 'd["findings"] == []'
check_json "... and they were all written" "$TMP/.out" \
  'len(d["requirements"]) == '"$(grep -cE '^GUIDE(_KIND)?\(' "$T_ROOT/src/cli/instructions.def")"

# ---- a project with no code yet: the stack from its manifests ---------------
N=$TMP/newproj
mkdir -p "$N"
printf 'Django==5.0.6\npsycopg[binary]==3.1.19\nlangchain_openai==0.1.8\n' > "$N/requirements.txt"
cat > "$N/pyproject.toml" <<'EOF'
[project]
name = "newproj"
version = "0.1.0"
dependencies = ["PyJWT>=2.8"]

[dependency-groups]
dev = ["requests>=2.32"]
EOF
check_exit 0 "instructions on manifests only" "$VG" instructions "$N" --no-scan --format json
check_json "the stack from requirements.txt and pyproject.toml (PEP 503 names; dev group left out)" "$TMP/.out" \
  '[s["id"] for s in d["stack"]] == ["DJANGO", "DBAPI", "PYJWT", "LANGCHAIN"]'
check_json "--no-scan: findings null" "$TMP/.out" 'd["findings"] is None'

# ---- prompt --------------------------------------------------------------------
check_exit 0 "prompt" "$VG" prompt -C "$F" "Write a login endpoint"
cp "$TMP/.out" "$TMP/login.md"
check "the prompt comes first, as given" test "$(head -n 1 "$TMP/login.md")" = "Write a login endpoint"
check_md "login: password hashing and rate limits" "$TMP/login.md" \
  'any("hash passwords" in b and "rate-limit" in b for b in h["Every change"])'
check_md "login: session cookies and CSRF for Flask" "$TMP/login.md" \
  'any("SESSION_COOKIE_SECURE" in b for b in h["Flask"]) and any("CSRF" in b for b in h["Flask"])'
check_md "login: nothing about uploads, templates or logging" "$TMP/login.md" \
  '(not any("secure_filename" in b for b in h["Flask"]) and "Jinja2" not in h and
    not any("Do not log" in b for b in h["Every change"]))'
check_exit 0 "prompt about a search query" "$VG" prompt -C "$F" "Add a search page that queries users by name"
check_md "query: the SQL-injection finding of this repository is recalled" "$TMP/.out" \
  'any("SQL injection" in b for b in h.get("Findings in this repository on the same topics", []))'
check_exit 0 "prompt naming no topic" "$VG" prompt -C "$A" --no-scan "Refactor this"
check_md "a prompt naming no topic gets every requirement of the stack" "$TMP/.out" \
  '"FastAPI" in h and "LLM clients (OpenAI)" in h'
check_exit 0 "prompt --format json" "$VG" prompt -C "$F" --no-scan --format json "Write a login endpoint"
check_json "prompt JSON: the prompt and the login requirements" "$TMP/.out" \
  '(d["prompt"] == "Write a login endpoint" and any("rate-limit" in r["text"] for r in d["requirements"])
    and not any("secure_filename" in r["text"] for r in d["requirements"]))'
check_exit 2 "prompt without text" "$VG" prompt -C "$A"
check_exit 2 "instructions --check without --write" "$VG" instructions "$A" --check
check_exit 2 "instructions on a missing path" "$VG" instructions "$TMP/nope"
check_exit 0 "instructions --help" "$VG" instructions --help
check_grep "main --help lists instructions" 'instructions' <("$VG" --help)

done_tests
