#!/usr/bin/env bash
# threat_model.sh - 'vibeguard threat-model' on three small realistic apps
# of tests/threat/ (a Flask shop with SQLite, a subprocess and an outbound
# price feed; a FastAPI support assistant calling OpenAI, whose model output
# reaches a shell; a Django notes site with a urls.py, Postgres settings and
# a hard-coded SECRET_KEY): the whole JSON model against the expected one
# written beside each app (tests/threat/NAME.expect.json), the facts a
# reviewer reads in it, the Markdown tables and the Mermaid diagram parsed,
# byte-for-byte determinism, no secret value anywhere, and --diff REV in a
# throwaway git repository (a new route, a new outbound call, a new store).
# Regenerate the expected models with VG_GOLDEN_UPDATE=1.
. "$(dirname "$0")/../lib.sh"

A=$T_ROOT/tests/threat
apps="flask_shop fastapi_assistant django_notes"

# ---- the whole model, against the expected one ---------------------------------
for app in $apps; do
  check_exit 0 "threat-model $app --format json" "$VG" threat-model "$A/$app" --format json
  cp "$TMP/.out" "$TMP/$app.json"
  if [ "${VG_GOLDEN_UPDATE:-0}" = 1 ]; then cp "$TMP/$app.json" "$A/$app.expect.json"; fi
  check_json "$app: the model is the expected one ($app.expect.json)" "$TMP/$app.json" \
    "d == __import__('json').load(open('$A/$app.expect.json'))"
  "$VG" threat-model "$A/$app" --format json >"$TMP/$app.2.json" 2>/dev/null
  check "$app: a second run gives the same bytes" cmp -s "$TMP/$app.json" "$TMP/$app.2.json"
done

# helpers for the expressions below: el(id), th(element, letter)
el() { echo "[e for e in d['elements'] if e['id'] == '$1'][0]"; }
th() { echo "[t for t in d['threats'] if t['element'] == '$1' and t['stride'] == '$2']"; }

# ---- Flask ----------------------------------------------------------------------
F=$TMP/flask_shop.json
check_json "flask: the stack" "$F" "{'FLASK', 'FLASK_LOGIN', 'DBAPI', 'HTTP_CLIENT', 'SUBPROCESS'} <= {s['id'] for s in d['stack']}"
check_json "flask: every route with its method and path" "$F" \
  "sorted(e['id'] for e in d['elements'] if e['kind'] == 'entry') == ['route:DELETE /admin/users/<int:uid>', 'route:GET /item/<int:item_id>', 'route:GET /search', 'route:POST /admin/backup', 'route:POST /orders']"
check_json "flask: the admin route has no auth and is privileged" "$F" \
  "$(el 'route:DELETE /admin/users/<int:uid>')['auth'] is None and $(el 'route:DELETE /admin/users/<int:uid>')['privileged']"
check_json "flask: /orders is behind @login_required" "$F" \
  "$(el 'route:POST /orders')['auth'] == 'decorator @login_required'"
check_json "flask: parameters and their validation" "$F" \
  "{(p['name'], p['in'], p['validation']) for p in $(el 'route:POST /orders')['params']} == {('qty', 'form', 'int()'), ('note', 'form', None)} and $(el 'route:GET /item/<int:item_id>')['params'] == [{'name': 'item_id', 'in': 'path', 'validation': 'int converter'}]"
check_json "flask: spoofing of the admin route is open, with VG201 as evidence" "$F" \
  "any(t['status'] == 'open' and any('VG201' in x for x in t['evidence']) and any('no authentication' in x for x in t['evidence']) for t in $(th 'route:DELETE /admin/users/<int:uid>' S))"
check_json "flask: repudiation: the logged write is mitigated, the silent delete open" "$F" \
  "$(th 'route:POST /orders' R)[0]['status'] == 'mitigated' and $(th 'route:DELETE /admin/users/<int:uid>' R)[0]['status'] == 'open'"
check_json "flask: the SQLite store, its file, and SQL injection found by the scan" "$F" \
  "$(el 'store:database:sqlite')['settings'] == 'shop.db' and any('VG701' in x for t in $(th 'store:database:sqlite' T) for x in t['evidence'])"
check_json "flask: the tar subprocess runs through a shell with data" "$F" \
  "$(el 'proc:tar')['shell'] and $(el 'proc:tar')['dynamic'] and $(th 'proc:tar' E)[0]['status'] == 'open'"
check_json "flask: the price feed: https, fixed, no timeout (B113)" "$F" \
  "$(el 'http:prices.example.com')['scheme'] == 'https' and $(th 'http:prices.example.com' I)[0]['status'] == 'mitigated' and any('B113' in x for x in $(th 'http:prices.example.com' D)[0]['evidence'])"
check_json "flask: the log file written, the secret from the environment" "$F" \
  "'store:file:/var/log/shop/backups.log' in [e['id'] for e in d['elements']] and $(el 'secret:FLASK_SECRET_KEY')['source'] == 'environment'"
check_json "flask: flows: the client into every route, routes to the store" "$F" \
  "{'route:GET /search', 'route:POST /orders'} <= {f['to'] for f in d['flows'] if f['from'] == 'client'} and {'from': 'route:GET /search', 'to': 'store:database:sqlite', 'label': 'SQL', 'crosses_boundary': True} in d['flows']"

# ---- FastAPI + OpenAI ----------------------------------------------------------
P=$TMP/fastapi_assistant.json
check_json "fastapi: the LLM API, its model and what goes into the prompt" "$P" \
  "$(el 'llm:openai')['models'] == ['gpt-4o-mini'] and 'q.text' in $(el 'llm:openai')['data'] and $(el 'llm:openai')['user_data']"
check_json "fastapi: LLM output reaches a shell (open, with the taint finding)" "$P" \
  "$(th 'llm:openai' E)[0]['status'] == 'open' and any('LLM output reaches a sink' in x and 'VG702' in x for x in $(th 'llm:openai' E)[0]['evidence'])"
check_json "fastapi: prompt injection and data sent to the provider are open" "$P" \
  "$(th 'llm:openai' T)[0]['status'] == 'open' and $(th 'llm:openai' I)[0]['status'] == 'open'"
check_json "fastapi: flows to the model and back through the helper" "$P" \
  "{'from': 'route:POST /ask', 'to': 'llm:openai', 'label': 'prompt', 'crosses_boundary': True} in d['flows'] and any(f['from'] == 'llm:openai' and f['to'] == 'route:POST /ask' for f in d['flows'])"
check_json "fastapi: Depends(current_user) is the auth of /ask; /admin/run has none" "$P" \
  "$(el 'route:POST /ask')['auth'] == 'auth dependency' and $(el 'route:POST /admin/run')['auth'] is None"
check_json "fastapi: a pydantic body is validated; a bare str query is not" "$P" \
  "{'name': 'q', 'in': 'body', 'validation': 'schema Question'} in $(el 'route:POST /ask')['params'] and {'name': 'fields', 'in': 'query', 'validation': None} in $(el 'route:GET /customers/{customer_id}')['params']"
check_json "fastapi: the CRM is plain http (open), its host from the module constant" "$P" \
  "$(el 'http:crm.internal.example')['scheme'] == 'http' and any(t['status'] == 'open' and 'plain http' in t['evidence'][0] for t in $(th 'http:crm.internal.example' I))"
check_json "fastapi: the database from the environment, its default masked of nothing" "$P" \
  "$(el 'store:database:postgresql')['settings'].startswith('environment DATABASE_URL')"
check_json "fastapi: the Celery broker from the environment, a message from /ask" "$P" \
  "$(el 'queue:celery')['settings'].startswith('environment CELERY_BROKER_URL') and {'from': 'route:POST /ask', 'to': 'queue:celery', 'label': 'message', 'crosses_boundary': True} in d['flows']"
check_json "fastapi: the outbound calls of a route are a DoS threat without a rate limit" "$P" \
  "$(th 'route:POST /ask' D)[0]['status'] == 'open'"

# ---- Django ---------------------------------------------------------------------
D=$TMP/django_notes.json
check_json "django: routes from urls.py joined to their views" "$D" \
  "sorted(e['id'] for e in d['elements'] if e['kind'] == 'entry') == ['route:ANY /manage/purge/', 'route:ANY /notes/', 'route:ANY /notes/<int:pk>/', 'route:ANY /notes/export/', 'route:GET,DELETE /admin/notes/', 'route:POST /notes/new/']"
check_json "django: a class-based view: its methods, its auth mixin, its form fields" "$D" \
  "$(el 'route:POST /notes/new/')['auth'].startswith('view class') and {p['name'] for p in $(el 'route:POST /notes/new/')['params']} == {'title', 'body'}"
check_json "django: the admin class view without a mixin: open E, writes" "$D" \
  "$(el 'route:GET,DELETE /admin/notes/')['auth'] is None and $(el 'route:GET,DELETE /admin/notes/')['writes'] and $(th 'route:GET,DELETE /admin/notes/' E)[0]['status'] == 'open'"
check_json "django: the view's site and the URL's" "$D" \
  "$(el 'route:ANY /notes/')['sites'] == ['notes/views.py:15', 'notesite/urls.py:6']"
check_json "django: purge has no auth, is privileged, writes and logs" "$D" \
  "$(el 'route:ANY /manage/purge/')['auth'] is None and $(el 'route:ANY /manage/purge/')['privileged'] and $(el 'route:ANY /manage/purge/')['writes'] and $(el 'route:ANY /manage/purge/')['logs']"
check_json "django: the Postgres engine of DATABASES, views querying it" "$D" \
  "$(el 'store:database:postgresql')['engine'] == 'postgresql' and any(f['from'] == 'route:ANY /notes/' and f['to'] == 'store:database:postgresql' for f in d['flows'])"
check_json "django: the hard-coded SECRET_KEY is open (VG601), its value nowhere" "$D" \
  "$(th 'secret:SECRET_KEY' I)[0]['status'] == 'open' and 'django-insecure' not in raw"
check_json "django: the export writes a file whose path is data (VG704)" "$D" \
  "any('VG704' in x for t in d['threats'] if t['element'].startswith('store:file:') for x in t['evidence'])"

# ---- Markdown and Mermaid -------------------------------------------------------
cat > "$TMP/md.py" <<'EOF'
import json, re, sys
md, model = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
m = re.search(r"```mermaid\n(.*?)```", md, re.S)
assert m, "no mermaid block"
lines = m.group(1).splitlines()
assert lines[0] == "flowchart LR", lines[0]
nodes = set(re.findall(r"^\s+(e\d+)[\[\(\{>]", m.group(1), re.M))
assert len(nodes) == len(model["elements"]), (len(nodes), len(model["elements"]))
edges = re.findall(r"^\s+(e\d+) (?:-->|==>)\|\"[^\"]*\"\| (e\d+)$", m.group(1), re.M)
assert len(edges) == len(model["flows"]), (len(edges), len(model["flows"]))
assert all(a in nodes and b in nodes for a, b in edges), "an edge to an unknown node"
assert m.group(1).count("subgraph ") == m.group(1).count("\n  end") == len(model["boundaries"])
for label in re.findall(r'"([^"]*)"', m.group(1)):
    assert "<" not in label, label  # HTML-like text is entity-coded
def table(title):
    t = re.search(r"### " + title + r"\n\n\|.*\n\|[-|]+\n((?:\|.*\n)*)", md)
    return t.group(1).splitlines() if t else []
routes = [e for e in model["elements"] if e["kind"] == "entry"]
assert len(table("Entry points")) == len(routes), table("Entry points")
threats = re.search(r"## Threats\n\n(\d+) threats, (\d+) open", md)
assert int(threats.group(1)) == model["summary"]["threats"] and int(threats.group(2)) == model["summary"]["open"]
rows = re.findall(r"^\| ([STRIDE]) \| ", md, re.M)
assert len(rows) == model["summary"]["threats"], (len(rows), model["summary"]["threats"])
print("ok")
EOF
for app in $apps; do
  check_exit 0 "threat-model $app (markdown)" "$VG" threat-model "$A/$app"
  cp "$TMP/.out" "$TMP/$app.md"
  check "$app: Markdown tables and the Mermaid diagram match the JSON model" \
    /usr/bin/python3 "$TMP/md.py" "$TMP/$app.md" "$TMP/$app.json"
done
check_grep "flask: the admin route's missing auth in the table" '^\| `DELETE /admin/users/<int:uid>` \| delete_user \| \*\*none\*\*' "$TMP/flask_shop.md"
check_nogrep "django: no secret value in the Markdown" 'django-insecure' "$TMP/django_notes.md"

# ---- --no-scan: the code alone ---------------------------------------------------
check_exit 0 "threat-model --no-scan" "$VG" threat-model "$A/flask_shop" --no-scan --format json
check_json "--no-scan: no finding as evidence, the code's threats still there" "$TMP/.out" \
  "not d['scanned'] and not any('.py:' in x for t in d['threats'] for x in t['evidence']) and any(t['element'] == 'route:DELETE /admin/users/<int:uid>' and t['status'] == 'open' for t in d['threats'])"

# ---- credentials in connection settings: masked, the threat open ---------------
S=$TMP/creds
mkdir -p "$S"
cat > "$S/app.py" <<'EOF'
from sqlalchemy import create_engine
import redis

engine = create_engine("postgresql://admin:hunter2-Tq8v@db.internal:5432/app?sslmode=require")
cache = redis.from_url("redis://:s3cr3t-Zx9@cache.internal:6379/0")
EOF
for fmt in json markdown; do
  "$VG" threat-model "$S" --format $fmt >"$TMP/creds.$fmt" 2>/dev/null
  check_nogrep "no password of a connection URL in the $fmt model" 'hunter2|s3cr3t' "$TMP/creds.$fmt"
done
check_json "the settings keep scheme, host and database, the credentials as ****" "$TMP/creds.json" \
  "$(el 'store:database:postgresql')['settings'] == 'postgresql://****@db.internal:5432/app' and $(th 'store:database:postgresql' I)[0]['status'] == 'open'"

# ---- routes registered by calls: Flask add_url_rule, Starlette Route -------------
U=$TMP/calls
mkdir -p "$U"
cat > "$U/app.py" <<'EOF'
from flask import Flask, request
from starlette.routing import Route

app = Flask(__name__)


def export():
    return request.args.get("fmt", "csv")


app.add_url_rule("/admin/export", view_func=export, methods=["post"])


async def homepage(request):
    return None

routes = [Route("/", homepage)]
EOF
check_exit 0 "threat-model on routes registered by calls" "$VG" threat-model "$U" --no-scan --format json
check_json "add_url_rule and Route are entry points, with the handler's facts" "$TMP/.out" \
  "sorted(e['id'] for e in d['elements'] if e['kind'] == 'entry') == ['route:GET /', 'route:POST /admin/export'] and $(el 'route:POST /admin/export')['params'] == [{'name': 'fmt', 'in': 'query', 'validation': None}]"

# ---- a helper of another module: its calls are the flows of the routes using it -
X=$TMP/modules
mkdir -p "$X/svc"
cat > "$X/svc/llm.py" <<'EOF'
import anthropic

client = anthropic.Anthropic()


def summarize(text):
    msg = client.messages.create(model="claude-sonnet-4-5", max_tokens=300,
                                 messages=[{"role": "user", "content": text}])
    return msg.content[0].text
EOF
cat > "$X/svc/api.py" <<'EOF'
from flask import Flask, request

from .llm import summarize

app = Flask(__name__)


@app.post("/summary")
def summary():
    return {"summary": summarize(request.form["text"])}
EOF
check_exit 0 "threat-model on a project of two modules" "$VG" threat-model "$X" --no-scan --format json
check_json "the route calls the other module's helper: prompt and model output flows" "$TMP/.out" \
  "{'from': 'route:POST /summary', 'to': 'llm:anthropic', 'label': 'prompt', 'crosses_boundary': True} in d['flows'] and any(f['from'] == 'llm:anthropic' and f['to'] == 'route:POST /summary' for f in d['flows']) and not any(f['from'] == 'app' and f['to'] == 'llm:anthropic' for f in d['flows'])"
check_json "the provider and model of the helper's call, max_tokens set" "$TMP/.out" \
  "$(el 'llm:anthropic')['models'] == ['claude-sonnet-4-5'] and $(th 'llm:anthropic' D)[0]['status'] == 'mitigated'"

# ---- the same code elsewhere, files written in another order: the same model ----
C=$TMP/copy
mkdir -p "$C"
for f in notes/views.py notesite/urls.py notesite/settings.py notes/models.py notes/__init__.py notesite/__init__.py; do
  mkdir -p "$C/$(dirname "$f")"; cp "$A/django_notes/$f" "$C/$f"
done
"$VG" threat-model "$C" --format json >"$TMP/copy.json" 2>/dev/null
check "the model does not depend on where the project is or the order files were made" \
  cmp -s "$TMP/copy.json" "$TMP/django_notes.json"

# ---- --diff REV in a throwaway repository -------------------------------------
R=$TMP/repo
mkdir -p "$R"
cp "$A/flask_shop/app.py" "$A/flask_shop/requirements.txt" "$R/"
git -C "$R" init -q
git -C "$R" -c user.name=t -c user.email=t@example.com add -A
git -C "$R" -c user.name=t -c user.email=t@example.com commit -qm base
check_exit 0 "--diff HEAD with no change" "$VG" threat-model "$R" --diff HEAD
check_grep "--diff: nothing changed" 'No element, flow or threat changed' "$TMP/.out"
cat >> "$R/app.py" <<'EOF'


import redis

cache = redis.Redis(host="cache.internal", port=6379)


@app.route("/webhook", methods=["POST"])
def webhook():
    event = request.get_json()
    cache.set("last", str(event))
    requests.post("https://hooks.partner.example/notify", json=event, timeout=5)
    return jsonify(ok=True)
EOF
# the admin route gets its check: a changed element, a threat mitigated
sed -i 's|^@app.route("/admin/users/<int:uid>", methods=\["DELETE"\])|&\n@login_required|' "$R/app.py"
check_exit 0 "--diff HEAD --format json after a change" "$VG" threat-model "$R" --diff HEAD --format json
cp "$TMP/.out" "$TMP/diff.json"
check_json "--diff: the new route, outbound call and store are added" "$TMP/diff.json" \
  "{e['id'] for e in d['added']} == {'route:POST /webhook', 'http:hooks.partner.example', 'store:cache:redis'}"
check_json "--diff: nothing removed; the admin route changed (now authenticated)" "$TMP/diff.json" \
  "d['removed'] == [] and [e['id'] for e in d['changed']] == ['route:DELETE /admin/users/<int:uid>'] and d['changed'][0]['auth'] == 'decorator @login_required'"
check_json "--diff: the new flows" "$TMP/diff.json" \
  "{(f['from'], f['to']) for f in d['flows_added']} >= {('client', 'route:POST /webhook'), ('route:POST /webhook', 'http:hooks.partner.example'), ('route:POST /webhook', 'store:cache:redis')}"
check_json "--diff: the new route's open threats" "$TMP/diff.json" \
  "any(t['element'] == 'route:POST /webhook' and t['stride'] == 'S' for t in d['threats_opened'])"
check_exit 0 "--diff HEAD (markdown)" "$VG" threat-model "$R" --diff HEAD
check_grep "--diff markdown lists the added route" '^- route `POST /webhook` \(auth: none\)' "$TMP/.out"
check_grep "--diff markdown lists the new store" '^- cache `redis \(cache\)`' "$TMP/.out"
check_exit 0 "--diff never touches the working tree" git -C "$R" diff --quiet HEAD -- requirements.txt
check_exit 2 "--diff with an unknown revision" "$VG" threat-model "$R" --diff no-such-rev
check_grep "--diff: the unknown revision is named" "unknown revision 'no-such-rev'" "$TMP/.err"
mkdir -p "$TMP/norepo"
check_exit 2 "--diff outside a repository" "$VG" threat-model "$TMP/norepo" --diff HEAD

# ---- usage ----------------------------------------------------------------------------
check_exit 0 "threat-model --help" "$VG" threat-model --help
check_grep "--help names --diff" '--diff REV' "$TMP/.out"
check_exit 2 "a bad --format" "$VG" threat-model "$A/flask_shop" --format yaml
check_exit 2 "--format html does not take --diff" "$VG" threat-model "$A/flask_shop" --format html --diff HEAD
check_exit 2 "a path that is not a directory" "$VG" threat-model "$TMP/nothing-here"
VGA=$(cd "$(dirname "$VG")" && pwd)/$(basename "$VG")
bash "$T_ROOT/scripts/gen-man.sh" "$VGA" "$TMP/vibeguard.1" 2>/dev/null
check_grep "the man page has the command's --help" '^\.SH "VIBEGUARD THREAT-MODEL"' "$TMP/vibeguard.1"
check_exit 0 "-o writes the model to a file" "$VG" threat-model "$A/flask_shop" --no-scan -o "$TMP/model.md"
check_grep "-o: the file holds the model" '^# Threat model: flask_shop' "$TMP/model.md"
done_tests
