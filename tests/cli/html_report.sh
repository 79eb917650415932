#!/usr/bin/env bash
# html_report.sh - the HTML report as a reviewer sees it: self-contained and
# escaped (checked on the bytes), then loaded in headless Chromium: the
# filters read from the URL fragment (--dump-dom), a real click on a
# severity filter and typing in the search box (DevTools protocol over a
# pipe, tests/html_browser.py), a screenshot, and no request but the page.
. "$(dirname "$0")/../lib.sh"

P=$TMP/proj
mkdir -p "$P"
cat >"$P/app.py" <<'EOF'
import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/run")
def run():
    cmd = request.args.get("cmd")
    line = "echo " + cmd
    return subprocess.check_output(line, shell=True)


def check(x):
    assert x > 0
    return subprocess.call(["ls", "/tmp/x"])
EOF
# a file name that is markup: must show as text, never become an element
HOSTILE='x"><img src=x onerror=alert(1)>.py'
printf 'import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n' >"$P/$HOSTILE"
SECRET=AKIAQ4ZR7XW2LMN3KP5T
printf 'AWS_ACCESS_KEY_ID = "%s"\n' "$SECRET" >"$P/settings.py"

# review items too (--profile audit): 8 findings over 3 analyzers, 4 severities, 2 tiers
cd "$TMP" || exit 1
check_exit 1 "html report written" "$VG" scan proj --profile audit --format html -o "$TMP/r.html"
"$VG" scan proj --profile audit --format json -o "$TMP/r.json" 2>/dev/null
cd "$T_ROOT" || exit 1
check_json "the fixture has what the page is tested on" "$TMP/r.json" \
  "len(F) == 8 and found(rule='VG702')[0]['severity'] == 'high' and found(rule='secret:aws-access-token')[0]['severity'] == 'critical' and found(rule='B301')"

# --- the bytes: self-contained, escaped, masked ----------------------------------
cat >"$TMP/static.py" <<'EOF'
import base64, hashlib, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
secret, hostile = sys.argv[2], sys.argv[3]
def check(name, ok):
    print(("PASS " if ok else "FAIL ") + name)
csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
check("a Content-Security-Policy meta", bool(csp))
policy = dict((d.split(" ", 1) + [""])[:2] for d in csp.group(1).split("; ")) if csp else {}
check("the policy forbids every load by default", policy.get("default-src") == "'none'")
scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
check("one inline script", len(scripts) == 1 and page.count("<script") == 1)
if scripts:
    want = "'sha256-" + base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode() + "'"
    check("the policy allows that script by its hash, nothing else", policy.get("script-src") == want)
from html.parser import HTMLParser
class Loads(HTMLParser):
    loads = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("img", "iframe", "object", "embed", "link", "source", "video", "audio") or "src" in a \
                or (tag == "form" and "action" in a) or "url(" in (a.get("style") or ""):
            self.loads.append(tag)
Loads().feed(page)
check("no element that loads anything, no url() in the CSS", not Loads.loads and "url(" not in page)
check("the hostile file name is text", hostile.replace("&", "&amp;").replace('"', "&quot;")
      .replace("<", "&lt;").replace(">", "&gt;") in page and "<img" not in page)
check("the secret is masked", secret not in page)
anchors = set(re.findall(r'<details class="rule" id="([^"]+)"', page))
links = set(re.findall(r'<a class="id" href="#([^"]+)"', page))
check("every rule link has its documentation in the page", links and links <= anchors)
check("the rule documentation links out to CWE", 'href="https://cwe.mitre.org/data/definitions/78.html"' in page)
EOF
while IFS= read -r line; do
  case "$line" in
    "PASS "*) pass ;;
    *) fail "page bytes: ${line#FAIL }" ;;
  esac
done < <(python3 "$TMP/static.py" "$TMP/r.html" "$SECRET" "$HOSTILE" 2>&1)

# no findings: a page that says so, and no script to run
mkdir -p "$TMP/empty"
printf 'x = 1\n' >"$TMP/empty/ok.py"
check_exit 0 "an empty report" "$VG" scan "$TMP/empty" --format html -o "$TMP/empty.html"
check_grep "the empty page says so" '<p>No findings\.</p>' "$TMP/empty.html"
check_nogrep "the empty page has no script" '<script' "$TMP/empty.html"

# --- the page in Chromium ---------------------------------------------------------
chromium_setup "the page was not loaded"
URL="file://$TMP/r.html"
dom() { chromium_dom "$URL$1" "$2"; } # FRAGMENT OUT: the DOM after the page's script ran
# the findings shown: "rule<TAB>severity" per visible finding, sorted; then
# "GROUPS" and the keys of the visible groups; then "SHOWN" and the counter
cat >"$TMP/shown.py" <<'EOF'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.groups = []; self.in_shown = False; self.shown = ""
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "div" and "f" in cls and "hidden" not in a:
            self.rows.append(a["data-rule"] + "\t" + a["data-sev"])
        if tag == "details" and "g" in cls and "hidden" not in a:
            self.groups.append(a["data-key"])
        self.in_shown = tag == "output" and a.get("id") == "shown"
    def handle_data(self, d):
        if self.in_shown: self.shown += d
    def handle_endtag(self, tag):
        self.in_shown = False
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print("\n".join(sorted(p.rows))); print("GROUPS"); print("\n".join(p.groups)); print("SHOWN " + p.shown)
EOF
shown() { python3 "$TMP/shown.py" "$1"; }

if dom "" "$TMP/all.dom"; then pass; else fail "chromium --dump-dom: $(tail -c 300 "$TMP/all.dom.err")"; fi
shown "$TMP/all.dom" >"$TMP/all.txt"
check_grep "every finding shown by default" '^SHOWN 8 of 8 shown$' "$TMP/all.txt"
check_grep "grouped by file, the hostile name a group" '^proj/x"><img src=x onerror=alert\(1\)>\.py$' "$TMP/all.txt"

dom "#sev=high" "$TMP/high.dom"
shown "$TMP/high.dom" >"$TMP/high.txt"
check_grep "#sev=high shows the high finding" '^VG702	high$' "$TMP/high.txt"
check_nogrep "#sev=high hides the others" '	(critical|medium|low)$' "$TMP/high.txt"
check_grep "#sev=high: the counter says 1 of 8" '^SHOWN 1 of 8 shown$' "$TMP/high.txt"
check_grep "#sev=high: the high finding's file group stays" '^proj/app\.py$' "$TMP/high.txt"
check_nogrep "#sev=high: groups left empty are hidden" '^proj/settings\.py$' "$TMP/high.txt"

dom "#an=python&tier=review&group=rule" "$TMP/rule.dom"
shown "$TMP/rule.dom" >"$TMP/rule.txt"
check_grep "analyzer and tier filters: 6 Python review items" '^SHOWN 6 of 8 shown$' "$TMP/rule.txt"
check_nogrep "analyzer filter hides taint and secrets" '^(VG702|secret:)' "$TMP/rule.txt"
if sed -n '/^GROUPS$/,/^SHOWN/p' "$TMP/rule.txt" | grep -qx 'B301' &&
   ! sed -n '/^GROUPS$/,/^SHOWN/p' "$TMP/rule.txt" | grep -q '\.py$'; then pass
else fail "#group=rule groups by rule id: $(tr '\n' ' ' <"$TMP/rule.txt")"; fi

got=$(sed -n '/^GROUPS$/,/^SHOWN/p' "$TMP/rule.txt" | sed '1d;$d' | tr '\n' ' ')
if [ "$got" = "B108 B301 B101 B403 B404 B603 " ]; then pass
else fail "rule groups: the most severe first, then by id: got [$got]"; fi

dom "#q=PICKLE" "$TMP/q.dom"
shown "$TMP/q.dom" >"$TMP/q.txt"
check_grep "text search (case-insensitive) finds the pickle findings" '^SHOWN 2 of 8 shown$' "$TMP/q.txt"
check_grep "text search: B301" '^B301	medium$' "$TMP/q.txt"

# a real click and real typing, then a screenshot
STEPS='[
 {"eval": "document.body.getAttribute(\"data-shown\")"},
 {"click": "input[name=sev][value=critical]"},
 {"eval": "[document.body.getAttribute(\"data-shown\"), document.querySelector(\"div.f[data-sev=critical]\").hidden, location.hash]"},
 {"type": "input[name=q]", "text": "subprocess"},
 {"eval": "[document.getElementById(\"shown\").textContent, location.hash, Array.prototype.map.call(document.querySelectorAll(\"div.f:not([hidden])\"), function (e) { return e.getAttribute(\"data-rule\"); }).sort()]"},
 {"click": "#collapse"},
 {"eval": "document.querySelectorAll(\"details.g[open]\").length"},
 {"click": "#expand"},
 {"eval": "[document.scripts.length, document.querySelectorAll(\"img,iframe,object,embed\").length]"},
 {"click": "div.f[data-rule=VG702] > div > a.id"},
 {"eval": "[location.hash, document.getElementById(\"rule-VG702\").open, document.getElementById(\"rule-B101\").open]"},
 {"screenshot": "report.png"}
]'
if python3 "$T_ROOT/tests/html_browser.py" "$CHROMIUM" "$URL" "$STEPS" "$TMP" >"$TMP/cdp.json" 2>"$TMP/cdp.err"; then
  pass
else
  fail "DevTools session: $(tail -c 400 "$TMP/cdp.err")"
fi
check_json "the page starts with all 8 shown" "$TMP/cdp.json" 'd["results"][0] == "8"'
check_json "clicking the critical box hides the critical finding" "$TMP/cdp.json" \
  'd["results"][2] == ["7", True, "#sev=high,medium,low"]'
# "subprocess" is in the text of these five (B101 and B108 by their snippet)
check_json "typing in the search box filters the rest" "$TMP/cdp.json" \
  'd["results"][4] == ["5 of 8 shown", "#sev=high,medium,low&q=subprocess", ["B101", "B108", "B404", "B603", "VG702"]]'
check_json "collapse all closes every group" "$TMP/cdp.json" 'd["results"][6] == 0'
check_json "only the report's own script, no injected element" "$TMP/cdp.json" 'd["results"][8] == [1, 0]'
check_json "a rule link opens that rule's documentation, only that one" "$TMP/cdp.json" \
  'd["results"][10] == ["#rule-VG702", True, False]'
check_json "the page asked for nothing but itself" "$TMP/cdp.json" \
  'd["requests"] == ["'"$URL"'"]'
if python3 - "$TMP/report.png" <<'EOF'
import struct, sys
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR", "not a PNG"
w, h = struct.unpack(">II", b[16:24])
assert w == 1280 and h > 900 and len(b) > 20000, (w, h, len(b))
EOF
then pass; else fail "the screenshot is not a full-page PNG"; fi

done_tests
