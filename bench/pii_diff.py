#!/usr/bin/env python3
"""pii_diff.py - differential test of `vibeguard pii` against Presidio.

Generates a varied corpus (customer records, chat, logs, Python code, CSV)
of synthetic personal data with and without context words, runs it
through `vibeguard pii --format json` and through presidio-analyzer's
pattern recognizers, and prints, per entity, how many spans both report
with the same start, end and score (exact agreement), how many agree on
the span only, and what only one side reports.

Presidio runs from its own virtualenv (PRESIDIO_PY, default the one
scripts/install-peers.sh makes, /work/scratch/presidio/bin/python3, else
/work/scratch/presidio/venv/bin/python) with a blank spaCy English pipeline: no model download.  A blank
pipeline has no lemmatizer, so a small component sets each token's lemma
to its lower-cased text; Presidio's context enhancer then works as with a
model, minus inflection ("phones" is not lemmatized to "phone").  The
NER-based PERSON recognizer finds nothing without a model and is left
out, as are Presidio entities vibeguard does not have.  Phone numbers go
through python-phonenumbers in Presidio, and through the same matcher over
the numbering plans of Debian's python3-phonenumbers in vibeguard.

  python3 bench/pii_diff.py [--vg build/vibeguard] [--docs 400] [--seed 1]
                            [--threshold 0] [--show-diff ENTITY] [--json OUT]

Exit code 0 always (a report, not a test); --min-agreement X makes it exit
1 when an entity falls below X.
"""
import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import hashlib

ENTITIES = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS",
            "MAC_ADDRESS", "URL", "US_SSN", "US_ITIN", "US_PASSPORT", "US_BANK_NUMBER",
            "US_DRIVER_LICENSE", "UK_NHS", "CRYPTO", "DATE_TIME"]

# ---- value generators -------------------------------------------------------

FIRST = ["maria", "john", "priya", "kenji", "sarah", "david", "amara", "lukas", "chloe", "omar"]
LAST = ["garcia", "smith", "sharma", "tanaka", "cohen", "okafor", "muller", "dubois", "haddad"]
DOMAINS = ["acme-billing.io", "northwind.com", "contoso.co.uk", "fabrikam.de", "globex.org",
           "initech.net", "umbrella-health.com", "mail.hooli.xyz", "stark.industries"]


def luhn_complete(prefix, length, r):
    digits = [int(c) for c in prefix]
    while len(digits) < length - 1:
        digits.append(r.randrange(10))
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    digits.append((10 - total % 10) % 10)
    return "".join(map(str, digits))


def card(r):
    kind = r.choice(["visa", "mc", "amex", "disc"])
    if kind == "visa":
        n = luhn_complete("4" + str(r.randrange(100, 999)), 16, r)
    elif kind == "mc":
        n = luhn_complete("5" + str(r.randrange(1, 6)) + str(r.randrange(10, 99)), 16, r)
    elif kind == "amex":
        n = luhn_complete(r.choice(["34", "37"]), 15, r)
        return r.choice([n, n[:4] + " " + n[4:10] + " " + n[10:], n[:4] + "-" + n[4:10] + "-" + n[10:]])
    else:
        n = luhn_complete("6011", 16, r)
    sep = r.choice(["", " ", "-"])
    return sep.join(n[i:i + 4] for i in range(0, 16, 4))


def iban(r):
    country, length = r.choice([("GB", 22), ("DE", 22), ("FR", 27), ("NL", 18), ("ES", 24), ("IT", 27)])
    if country == "GB":
        bban = r.choice(["NWBK", "BARC", "MIDL", "LOYD"]) + "".join(r.choice(string.digits) for _ in range(14))
    elif country == "NL":
        bban = r.choice(["ABNA", "INGB", "RABO"]) + "".join(r.choice(string.digits) for _ in range(10))
    elif country == "IT":
        bban = "X" + "".join(r.choice(string.digits) for _ in range(22))
    else:
        bban = "".join(r.choice(string.digits) for _ in range(length - 4))
    num = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(num) % 97
    s = f"{country}{check:02d}{bban}"
    if r.random() < 0.4:
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def ssn(r):
    while True:
        a, g, s = r.randrange(1, 900), r.randrange(1, 100), r.randrange(1, 10000)
        if a != 666:
            break
    sep = r.choice(["-", "-", " ", "."])
    return f"{a:03d}{sep}{g:02d}{sep}{s:04d}"


def itin(r):
    mid = r.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
    sep = r.choice(["-", " ", ""])
    return f"9{r.randrange(100):02d}{sep}{mid}{sep}{r.randrange(10000):04d}"


def us_phone(r):
    a = r.randrange(201, 990)
    while a % 100 == 11 or str(a)[1:] == "11":
        a = r.randrange(201, 990)
    x = r.randrange(200, 999)
    l = r.randrange(10000)
    return r.choice([f"({a}) {x}-{l:04d}", f"{a}-{x}-{l:04d}", f"{a}.{x}.{l:04d}", f"+1 {a} {x} {l:04d}",
                     f"+1-{a}-{x}-{l:04d}", f"1-{a}-{x}-{l:04d}"])


def intl_phone(r):
    return r.choice([
        f"+44 20 7{r.randrange(100, 999)} {r.randrange(10000):04d}",
        f"+44 7{r.randrange(400, 999)} {r.randrange(100000, 999999)}",
        f"020 7{r.randrange(100, 999)} {r.randrange(10000):04d}",
        f"+49 30 {r.randrange(1000000, 99999999)}",
        f"+33 1 {r.randrange(10, 99)} {r.randrange(10, 99)} {r.randrange(10, 99)} {r.randrange(10, 99)}",
        f"+972 3-{r.randrange(100, 999)}-{r.randrange(1000, 9999)}",
        f"+91 98{r.randrange(100, 999)} {r.randrange(10000, 99999)}",
    ])


def ipv4(r):
    return ".".join(str(x) for x in (r.choice([23, 45, 81, 104, 151, 185, 203, 212]), r.randrange(256),
                                     r.randrange(256), r.randrange(1, 255)))


def ipv6(r):
    groups = [f"{r.randrange(0x2001, 0x2a10):x}"] + [f"{r.randrange(0x10000):x}" for _ in range(7)]
    if r.random() < 0.5:
        return ":".join(groups[:3]) + "::" + ":".join(groups[6:])
    return ":".join(groups)


def mac(r):
    b = [r.randrange(256) for _ in range(6)]
    b[0] |= 2
    form = r.choice(["colon", "hyphen", "cisco"])
    if form == "cisco":
        h = "".join(f"{x:02x}" for x in b)
        return ".".join(h[i:i + 4] for i in range(0, 12, 4))
    return (":" if form == "colon" else "-").join(f"{x:02X}" for x in b)


def url(r):
    host = r.choice(["shop.", "www.", "api.", "docs.", ""]) + r.choice(DOMAINS)
    path = r.choice(["", "/", "/account/settings", "/orders/" + str(r.randrange(10 ** 6)), "/search?q=shoes&page=2"])
    return r.choice(["https://", "http://", "https://", ""]) + host + path


def email(r):
    f, l = r.choice(FIRST), r.choice(LAST)
    local = r.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}_{l}{r.randrange(100)}", f"{f}+news"])
    return f"{local}@{r.choice(DOMAINS)}"


def passport(r):
    return r.choice([str(r.randrange(10 ** 8, 10 ** 9)), r.choice("ACEFHKLMNPRSTUVWXYZ") + str(r.randrange(10 ** 7, 10 ** 8))])


def bank(r):
    return str(r.randrange(10 ** (r.randrange(7, 16)), 10 ** 16))


def licence(r):
    return r.choice([r.choice(string.ascii_uppercase) + str(r.randrange(10 ** 6, 10 ** 8)),
                     r.choice(string.ascii_uppercase) + str(r.randrange(10 ** 11, 10 ** 12)),
                     "".join(r.choice(string.ascii_uppercase) for _ in range(2)) + str(r.randrange(10 ** 5, 10 ** 6)),
                     str(r.randrange(10 ** 7, 10 ** 8)) + r.choice(string.ascii_uppercase)])


def nhs(r):
    while True:
        d = [r.randrange(10) for _ in range(9)]
        if d[0] == 0:
            continue
        c = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
        if c == 11:
            c = 0
        if c == 10:
            continue
        s = "".join(map(str, d + [c]))
        return r.choice([s, f"{s[:3]} {s[3:6]} {s[6:]}", f"{s[:3]}-{s[3:6]}-{s[6:]}"])


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def btc(r):
    payload = bytes([r.choice([0, 5])]) + bytes(r.randrange(256) for _ in range(20))
    chk = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(payload + chk, "big")
    s = ""
    while n:
        n, k = divmod(n, 58)
        s = B58[k] + s
    pad = len(payload + chk) - len((payload + chk).lstrip(b"\0"))
    return "1" * pad + s


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


def date(r):
    y, m, d = r.randrange(1950, 2030), r.randrange(1, 13), r.randrange(1, 29)
    return r.choice([
        f"{y}-{m:02d}-{d:02d}", f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y % 100:02d}", f"{d:02d}.{m:02d}.{y}",
        f"{y}/{m:02d}/{d:02d}", f"{d:02d}-{MONTHS[m - 1].upper()}-{y}", f"{LONG_MONTHS[m - 1]} {d}, {y}",
        f"{d} {LONG_MONTHS[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z",
        f"{m:02d}-{d:02d}-{y}",
    ])


GEN = {
    "EMAIL_ADDRESS": (email, ["email", "e-mail", "contact"]),
    "PHONE_NUMBER": (lambda r: us_phone(r) if r.random() < 0.6 else intl_phone(r), ["phone", "call", "mobile", "tel"]),
    "CREDIT_CARD": (card, ["card", "credit card", "visa"]),
    "IBAN_CODE": (iban, ["iban", "bank transfer to"]),
    "IP_ADDRESS": (lambda r: ipv4(r) if r.random() < 0.7 else ipv6(r), ["ip", "client ip", "from"]),
    "MAC_ADDRESS": (mac, ["mac", "ethernet", "device"]),
    "URL": (url, ["link", "website", "see"]),
    "US_SSN": (ssn, ["ssn", "social security number", "SSN#"]),
    "US_ITIN": (itin, ["itin", "taxpayer id", "tax id"]),
    "US_PASSPORT": (passport, ["passport", "passport number", "travel document"]),
    "US_BANK_NUMBER": (bank, ["account", "bank account", "acct"]),
    "US_DRIVER_LICENSE": (licence, ["driver license", "license", "DL", "permit"]),
    "UK_NHS": (nhs, ["nhs number", "NHS", "health service no"]),
    "CRYPTO": (btc, ["wallet", "bitcoin", "btc"]),
    "DATE_TIME": (date, ["date of birth", "dob", "born", "date"]),
}


def value(r, ent, ctx):
    gen, words = GEN[ent]
    v = gen(r)
    label = r.choice(words) if ctx else r.choice(["value", "ref", "id", "field", "item"])
    return v, label


def doc_record(r):
    lines = []
    for _ in range(r.randrange(3, 8)):
        ent = r.choice(ENTITIES)
        v, label = value(r, ent, r.random() < 0.7)
        lines.append(f"{label.title()}: {v}")
    return "\n".join(lines) + "\n"


def doc_chat(r):
    out = []
    for _ in range(r.randrange(2, 5)):
        ent = r.choice(ENTITIES)
        v, label = value(r, ent, r.random() < 0.6)
        name = r.choice(FIRST).title()
        out.append(r.choice([
            f"{name}: hi, my {label} is {v}, can you check?",
            f"{name}: sure thing, I have {v} on file for you.",
            f"{name}: please use {label} {v} from now on.",
            f"{name}: got it -- {v}. thanks!",
        ]))
    return "\n".join(out) + "\n"


def doc_log(r):
    out = []
    for i in range(r.randrange(2, 6)):
        ent = r.choice(ENTITIES)
        v, label = value(r, ent, r.random() < 0.5)
        key = label.replace(" ", "_").lower()
        out.append(f"12:{r.randrange(60):02d}:{r.randrange(60):02d} INFO worker[{r.randrange(99)}] "
                   f"event=update {key}={v} status=ok")
    return "\n".join(out) + "\n"


def doc_code(r):
    out = ["def load_fixture():"]
    out.append("    customer = {")
    for _ in range(r.randrange(2, 6)):
        ent = r.choice(ENTITIES)
        v, label = value(r, ent, r.random() < 0.7)
        key = label.replace(" ", "_").lower()
        out.append(f'        "{key}": "{v}",')
    out.append("    }")
    out.append("    return customer")
    return "\n".join(out) + "\n"


def doc_csv(r):
    ents = r.sample(ENTITIES, 3)
    head = ",".join(GEN[e][1][0].replace(" ", "_") for e in ents)
    rows = [head]
    for _ in range(r.randrange(2, 6)):
        rows.append(",".join(GEN[e][0](r) for e in ents))
    return "\n".join(rows) + "\n"


KINDS = [doc_record, doc_chat, doc_log, doc_code, doc_csv]

PRESIDIO_RUNNER = r'''
import json, sys
import spacy
from spacy.language import Language
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine

@Language.component("vg_lower_lemma")
def lower_lemma(doc):
    for t in doc:
        t.lemma_ = t.lower_
    return doc

class BlankEngine(SpacyNlpEngine):
    def __init__(self):
        super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])
    def load(self):
        nlp = spacy.blank("en")
        nlp.add_pipe("vg_lower_lemma")
        self.nlp = {"en": nlp}

req = json.load(sys.stdin)
eng = BlankEngine()
eng.load()
an = AnalyzerEngine(nlp_engine=eng, supported_languages=["en"])
out = []
for text in req["docs"]:
    res = an.analyze(text=text, language="en", entities=req["entities"], score_threshold=req["threshold"])
    out.append([[x.entity_type, x.start, x.end, round(x.score, 2)] for x in res])
json.dump(out, sys.stdout)
'''


def run_presidio(py, docs, threshold):
    req = json.dumps({"docs": docs, "entities": ENTITIES, "threshold": threshold})
    p = subprocess.run([py, "-c", PRESIDIO_RUNNER], input=req, capture_output=True, text=True)
    if p.returncode:
        sys.exit("presidio failed:\n" + p.stderr[-3000:])
    return json.loads(p.stdout)


# keeps documents apart: Presidio's context rule counts a newline as a word
# and crosses lines, so eight newlines (between dots, punctuation that is no
# word) are more than the six words it looks back
SEP = "\n" + "\n.".join([""] * 9) + "\n"


def run_vg(vg, docs, threshold):
    """One vibeguard run over all documents joined; spans mapped back."""
    text = SEP.join(docs)
    offs, pos = [], 0
    for d in docs:
        offs.append(pos)
        pos += len(d) + len(SEP)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(text)
        path = f.name
    try:
        p = subprocess.run([vg, "pii", path, "--format", "json", "--threshold", str(threshold),
                            "--entities", ",".join(ENTITIES)], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if p.returncode not in (0, 1):
        sys.exit("vibeguard failed:\n" + p.stderr)
    res = [[] for _ in docs]
    import bisect
    for e in json.loads(p.stdout)["entities"]:
        i = bisect.bisect_right(offs, e["start"]) - 1
        res[i].append([e["type"], e["start"] - offs[i], e["end"] - offs[i], round(e["score"], 2)])
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vg", default=os.environ.get("VG", "build/vibeguard"))
    peers = "/work/scratch/presidio/bin/python3"
    ap.add_argument("--presidio-py", default=os.environ.get(
        "PRESIDIO_PY", peers if os.path.exists(peers) else "/work/scratch/presidio/venv/bin/python"))
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threshold", type=float, default=0.0)
    ap.add_argument("--show-diff", default="", help="print the disagreements of this entity (ALL: every one)")
    ap.add_argument("--json", default="", help="write the per-entity table here")
    ap.add_argument("--min-agreement", type=float, default=0.0)
    a = ap.parse_args()
    r = random.Random(a.seed)
    docs = [r.choice(KINDS)(r) for _ in range(a.docs)]
    pres = run_presidio(a.presidio_py, docs, a.threshold)
    vg = run_vg(a.vg, docs, a.threshold)
    stats = {e: {"both": 0, "span": 0, "vg_only": 0, "presidio_only": 0} for e in ENTITIES}
    diffs = []
    for i, d in enumerate(docs):
        P = {(t, s, e): sc for t, s, e, sc in pres[i]}
        V = {(t, s, e): sc for t, s, e, sc in vg[i]}
        for k in set(P) | set(V):
            st = stats[k[0]]
            if k in P and k in V:
                if abs(P[k] - V[k]) < 0.011:
                    st["both"] += 1
                    continue
                st["span"] += 1
                why = f"score vg {V[k]} presidio {P[k]}"
            elif k in P:
                st["presidio_only"] += 1
                why = f"presidio only ({P[k]})"
            else:
                st["vg_only"] += 1
                why = f"vibeguard only ({V[k]})"
            line_s = d.rfind("\n", 0, k[1]) + 1
            line_e = d.find("\n", k[2])
            diffs.append((k[0], why, d[k[1]:k[2]], d[line_s:line_e if line_e >= 0 else len(d)]))
    print(f"pii_diff: {a.docs} documents (seed {a.seed}), threshold {a.threshold}; "
          "exact = same start, end and score")
    print(f"{'entity':<20}{'spans':>7}{'exact':>7}{'span ok':>9}{'vg only':>9}{'pres only':>10}{'agree':>8}")
    worst = 1.0
    for e in ENTITIES:
        st = stats[e]
        tot = st["both"] + st["span"] + st["vg_only"] + st["presidio_only"]
        ag = st["both"] / tot if tot else 1.0
        st["agreement"] = round(ag, 3)
        worst = min(worst, ag)
        print(f"{e:<20}{tot:>7}{st['both']:>7}{st['span']:>9}{st['vg_only']:>9}{st['presidio_only']:>10}{ag:>8.2f}")
    if a.show_diff:
        for ent, why, val, line in diffs:
            if a.show_diff in ("ALL", ent):
                print(f"  {ent:<18} {why:<28} {val!r:<34} | {line.strip()[:90]}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(stats, f, indent=1)
    return 1 if worst < a.min_agreement else 0


if __name__ == "__main__":
    sys.exit(main())
