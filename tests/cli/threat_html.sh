#!/usr/bin/env bash
# threat_html.sh - the "Threat model" section of the HTML report as a
# reviewer sees it, for examples/ai-app and the three apps of tests/threat/:
# loaded in headless Chromium (--dump-dom), its routes, elements, diagram
# nodes, flows and STRIDE threats (with their status) are those of the
# JSON model of 'vibeguard threat-model'; evidence naming a reported rule
# links to that rule's documentation on the page; connection passwords and
# secret values appear nowhere; a route path that is markup stays text.
# Then the page of its own (threat-model --format html), the note for a
# scan of several paths, --no-threat-model, and no section in other formats.
. "$(dirname "$0")/../lib.sh"

A=$T_ROOT/tests/threat
apps="ai-app flask_shop fastapi_assistant django_notes"
dir_of() { if [ "$1" = ai-app ]; then echo "$T_ROOT/examples/ai-app"; else echo "$A/$1"; fi; }
# values the code holds that no page may show
SECRETS="Sup3rS3cretPassw0rd portal-jwt-signing-key-2024 django-insecure-0c7d1f5e9a2b4c6d8e0f1a3b5c7d9e1f"

# a Flask app whose route path and parameter name are markup
H=$TMP/hostile
mkdir -p "$H"
cat >"$H/app.py" <<'EOF'
from flask import Flask, request

app = Flask(__name__)


@app.route('/x"><img src=x onerror=alert(1)>')
def page():
    return request.args.get("<b>q</b>", "")


@app.route("/éééééééééééééééééééé")
def long_name():
    return "cut in its node at a character boundary"
EOF
apps="$apps hostile"
dir_of_h() { if [ "$1" = hostile ]; then echo "$H"; else dir_of "$1"; fi; }

for app in $apps; do
  d=$(dir_of_h "$app")
  "$VG" scan "$d" --format html -o "$TMP/$app.html" 2>"$TMP/$app.err"
  rc=$?
  if [ "$rc" -le 1 ] && [ -s "$TMP/$app.html" ]; then pass; else fail "$app: scan --format html (exit $rc)"; fi
  check_exit 0 "$app: threat-model --format json" "$VG" threat-model "$d" --format json
  cp "$TMP/.out" "$TMP/$app.json"
  for s in $SECRETS; do
    check_nogrep "$app: the page never shows a secret value" "$s" "$TMP/$app.html"
  done
  check_nogrep "$app: the markup in a route is text, never an element" '<img' "$TMP/$app.html"
done
check_grep "the ai-app model knows the connection URL (masked)" 'db\.prod\.internal' "$TMP/ai-app.html"

# the page's bytes: still one script, allowed by its hash; nothing loaded
cat >"$TMP/static.py" <<'EOF'
import base64, hashlib, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
csp = re.search(r'content="([^"]*script-src[^"]*)"', page)
scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
ok = csp and len(scripts) == 1 and ("'sha256-" + base64.b64encode(hashlib.sha256(
    scripts[0].encode()).digest()).decode() + "'") in csp.group(1)
print("PASS" if ok else "FAIL the script's hash is not in the policy")
print("PASS" if "url(" not in page and "<svg" in page and page.count("<svg") == 1
      else "FAIL the diagram is not one inline SVG without url()")
EOF
while IFS= read -r line; do
  case "$line" in PASS*) pass ;; *) fail "ai-app page bytes: ${line#FAIL }" ;; esac
done < <(python3 "$TMP/static.py" "$TMP/ai-app.html" 2>&1)

# ---- the section in Chromium, against the JSON model ------------------------------
chromium_setup "the section was not loaded"
dom() { chromium_dom "file://$1" "$2"; } # PAGE OUT
# the section as the DOM has it vs the model: one "PASS"/"FAIL what" per line
cat >"$TMP/section.py" <<'EOF'
import json, sys
from collections import Counter
from html.parser import HTMLParser
dom, model, app = open(sys.argv[1], encoding="utf-8").read(), json.load(open(sys.argv[2])), sys.argv[3]
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0; self.inside = False; self.ids = set(); self.rows = []; self.nodes = []
        self.threats = []; self.flows = 0; self.links = []; self.text = []; self.cell = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"): self.ids.add(a["id"])
        if tag == "section" and a.get("id") == "threat-model": self.inside = True
        if not self.inside: return
        cls = (a.get("class") or "").split()
        if tag == "tr" and "tm-el" in cls: self.rows.append(a["data-id"])
        if tag == "g" and "tm-n" in cls: self.nodes.append(a["data-id"])
        if tag == "tr" and "tm-threat" in cls:
            self.threats.append((a["data-element"], a["data-stride"], a["data-status"]))
        if tag == "tr" and "tm-flow" in cls: self.flows += 1
        if tag == "a" and "href" in a: self.links.append(a["href"])
    def handle_endtag(self, tag):
        if tag == "section": self.inside = False
    def handle_data(self, d):
        if self.inside: self.text.append(d)
p = P(); p.feed(dom)
text = " ".join(p.text)
def check(what, ok):
    print(("PASS " if ok else "FAIL ") + app + ": " + what)
el = model["elements"]
check("a Threat model section", "threat-model" in p.ids)
routes = sorted(e["id"] for e in el if e["kind"] == "entry")
check("every route of the model is a row, and no other", routes and
      sorted(r for r in p.rows if r.startswith("route:")) == routes)
check("each route shows its method and path", all(e["methods"] in text and e["path"] in text
      for e in el if e["kind"] == "entry"))
check("every element but the client has a row in its table", sorted(p.rows) ==
      sorted(e["id"] for e in el if e["kind"] != "actor"))
check("the diagram has a node per element", sorted(p.nodes) == sorted(e["id"] for e in el))
check("the flow table has every flow", p.flows == len(model["flows"]))
want = Counter((t["element"], t["stride"], t["status"]) for t in model["threats"])
check("every STRIDE threat with its status", Counter(p.threats) == want and len(want) > 0)
check("the counts of open and mitigated threats",
      "%d open, %d mitigated" % (model["summary"]["open"], model["summary"]["mitigated"]) in text)
check("every in-page link of the section has its target",
      all(h[1:] in p.ids for h in p.links if h.startswith("#")))
for e in el:
    if e["kind"] == "external" and e["type"] == "llm":
        check("the LLM API shows its model", all(m in text for m in e["models"]))
print("LINKS %d" % sum(1 for h in p.links if h.startswith("#rule-")))
EOF
for app in $apps; do
  if dom "$TMP/$app.html" "$TMP/$app.dom"; then pass; else fail "$app: chromium --dump-dom: $(tail -c 300 "$TMP/$app.dom.err")"; fi
  python3 "$TMP/section.py" "$TMP/$app.dom" "$TMP/$app.json" "$app" >"$TMP/$app.check" 2>&1
  while IFS= read -r line; do
    case "$line" in PASS*) pass ;; LINKS*) ;; *) fail "${line#FAIL }" ;; esac
  done <"$TMP/$app.check"
  for s in $SECRETS; do
    check_nogrep "$app: the DOM never shows a secret value" "$s" "$TMP/$app.dom"
  done
done
if grep -Eq '^LINKS [1-9]' "$TMP/ai-app.check"; then pass
else fail "ai-app: no evidence links to a reported rule"; fi
check_grep "ai-app: the summary links to the section with its counts" \
  'href="#threat-model">threat model</a>: [0-9]+ threats, [0-9]+ open' "$TMP/ai-app.dom"
check_grep "ai-app: an unauthenticated privileged route, its finding linked" \
  'href="#rule-VG201">VG201</a>' "$TMP/ai-app.dom"
check_grep "hostile: a long name is cut in its node, whole in its title" \
  '<text[^>]*>GET /éééééééééé…</text>' "$TMP/hostile.dom"
check_nogrep "hostile: no character broken by the cut" $'\xef\xbf\xbd' "$TMP/hostile.dom"
check_grep "hostile: the route's markup is its text" \
  '/x"&gt;&lt;img src=x onerror=alert\(1\)&gt;' "$TMP/hostile.dom"

# ---- a page of its own; the note; --no-threat-model; other formats ------------------
check_exit 0 "threat-model --format html" "$VG" threat-model "$A/fastapi_assistant" --format html -o "$TMP/own.html"
dom "$TMP/own.html" "$TMP/own.dom"
python3 "$TMP/section.py" "$TMP/own.dom" "$TMP/fastapi_assistant.json" own-page >"$TMP/own.check" 2>&1
while IFS= read -r line; do
  case "$line" in PASS*) pass ;; LINKS*) ;; *) fail "${line#FAIL }" ;; esac
done <"$TMP/own.check"
check_nogrep "the page of its own has no script" '<script' "$TMP/own.html"
check_grep "a model of its own: no findings on the page, so no rule links" '^LINKS 0$' "$TMP/own.check"

# past the diagram's cap (THREAT_HTML_MAX_NODES): a note, the flows still listed
B=$TMP/big
mkdir -p "$B"
{ echo "from flask import Flask"; echo "app = Flask(__name__)"
  for i in $(seq 1 410); do printf '\n\n@app.route("/r%d")\ndef r%d():\n    return "ok"\n' "$i" "$i"; done; } >"$B/app.py"
check_exit 0 "410 routes: threat-model --format html" "$VG" threat-model "$B" --no-scan --format html -o "$TMP/big.html"
check_grep "410 routes: too large to draw, said so" 'Too large to draw \(41[0-9] elements' "$TMP/big.html"
check_nogrep "410 routes: no diagram" '<svg' "$TMP/big.html"
if [ "$(grep -c 'class="tm-flow"' "$TMP/big.html")" -ge 410 ]; then pass; else fail "410 routes: every flow in the table"; fi

"$VG" scan "$A/flask_shop" "$A/django_notes" --format html -o "$TMP/two.html" 2>/dev/null
check_grep "two paths: the section says the model is of one directory" \
  'threat model is drawn for one project directory' "$TMP/two.html"
"$VG" scan "$A/flask_shop" --format html --no-threat-model -o "$TMP/none.html" 2>/dev/null
check_nogrep "--no-threat-model: no section" 'id="threat-model"' "$TMP/none.html"
check_grep "--no-threat-model: the findings are still there" 'class="f"' "$TMP/none.html"
"$VG" scan "$A/flask_shop" --format json -o "$TMP/flask.json" 2>/dev/null
check_nogrep "json has no threat model" 'tm-|threat-model' "$TMP/flask.json"

done_tests
