#!/usr/bin/env python3
"""secrets_diff.py - differential oracle: vibeguard's secret rules against
gitleaks on the same inputs, with an agreement table.

Two inputs:
  1. a generated corpus: real-format tokens of ~60 providers (shapes from
     the providers' documentation, built here, not from either tool's
     rules) planted one a line in the places they leak - Python code,
     YAML, JSON, .env, shell history, curl command lines, INI/TOML - plus
     look-alikes a scanner must leave alone (placeholders of the right
     length, one repeated character, a wrong GitHub/npm checksum, a
     truncated token, a prefix inside a longer word, documentation
     example keys).  Every value is random from a fixed seed: none is a
     real credential.
  2. the precision corpus (bench/precision, ~/.cache/vibeguard/corpus):
     findings of both tools compared by (file, line).

    python3 bench/secrets_diff.py [--vg build/vibeguard] [--gitleaks PATH]
                                  [--corpus DIR] [--keep DIR] [--details]

gitleaks comes from the Go module proxy into /work/scratch (never part of
`make test`):
    GOPATH=/work/scratch/go go install github.com/zricethezav/gitleaks/v8@latest
A token counts as found by a tool when the tool reports a finding on its
line (any rule: which rule names it differs between the tools by design).
"""
import argparse, base64, json, os, random, string, subprocess, sys, tempfile, zlib
from collections import defaultdict

R = random.Random(20261202)
U, L, D = string.ascii_uppercase, string.ascii_lowercase, string.digits
AN = U + L + D
HEX = "0123456789abcdef"
B64 = AN + "+/"
URL = AN + "_-"
BECH = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
BAD = ("example", "test", "xxxx", "0000", "1234", "abcd", "fake", "dummy", "todo", "your", "sample")


def r(alpha, n):
    while True:
        s = "".join(R.choice(alpha) for _ in range(n))
        if not any(w in s.lower() for w in BAD):
            return s


def b62(v):
    a = D + U + L
    s = ""
    while v:
        s, v = a[v % 62] + s, v // 62
    return s.rjust(6, "0")


def crc_token(prefix):
    body = r(AN, 30)
    return f"{prefix}_{body}{b62(zlib.crc32(body.encode()))}"


def b64u(o):
    return base64.urlsafe_b64encode(json.dumps(o, separators=(",", ":")).encode()).decode().rstrip("=")


def uuid():
    return "-".join(r(HEX, n) for n in (8, 4, 4, 4, 12))


def jwt():
    h = b64u({"alg": R.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"})
    p = b64u({"sub": r(D, 8), "name": r(L, 6), "iat": 1700000000 + R.randrange(10**7)})
    return f"{h}.{p}.{r(URL, 43)}"


# provider: (variable name, token maker).  Shapes from provider docs.
TOKENS = {
    "aws-access-key-id": ("AWS_ACCESS_KEY_ID", lambda: "AKIA" + r(B32, 16)),
    "aws-sts-key-id": ("AWS_ACCESS_KEY_ID", lambda: "ASIA" + r(B32, 16)),
    "github-classic-pat": ("GITHUB_TOKEN", lambda: crc_token("ghp")),
    "github-oauth": ("GH_OAUTH_TOKEN", lambda: crc_token("gho")),
    "github-app-server": ("GH_INSTALLATION_TOKEN", lambda: crc_token("ghs")),
    "github-app-user": ("GH_USER_TOKEN", lambda: crc_token("ghu")),
    "github-refresh": ("GH_REFRESH_TOKEN", lambda: crc_token("ghr")),
    "github-fine-grained": ("GH_PAT", lambda: "github_pat_" + r(AN, 22) + "_" + r(AN, 59)),
    "npm": ("NPM_TOKEN", lambda: crc_token("npm")),
    "gitlab-pat": ("GITLAB_TOKEN", lambda: "glpat-" + r(URL, 20)),
    "gitlab-runner": ("RUNNER_TOKEN", lambda: "glrt-" + r(URL, 20)),
    "slack-bot": ("SLACK_BOT_TOKEN", lambda: f"xoxb-{r(D, R.choice([10, 11, 12]))}-{r(D, R.choice([12, 13]))}-{r(AN, 24)}"),
    "slack-user": ("SLACK_USER_TOKEN", lambda: f"xoxp-{r(D, 12)}-{r(D, 12)}-{r(D, 13)}-{r(HEX, 32)}"),
    "slack-app": ("SLACK_APP_TOKEN", lambda: f"xapp-1-A{r(U + D, 10)}-{r(D, 13)}-{r(HEX, 64)}"),
    "slack-webhook": ("SLACK_WEBHOOK_URL", lambda: f"https://hooks.slack.com/services/T{r(U + D, 8)}/B{r(U + D, 10)}/{r(AN, 24)}"),
    "stripe-live": ("STRIPE_SECRET_KEY", lambda: "sk_live_51" + r(AN, R.choice([22, 97]))),
    "stripe-test": ("STRIPE_SECRET_KEY", lambda: "sk_test_51" + r(AN, 97)),
    "stripe-restricted": ("STRIPE_RESTRICTED_KEY", lambda: "rk_live_" + r(AN, 24)),
    "stripe-webhook": ("STRIPE_WEBHOOK_SECRET", lambda: "whsec_" + r(AN, 32)),
    "openai-project": ("OPENAI_API_KEY", lambda: "sk-proj-" + r(URL, 156)),
    "openai-legacy": ("OPENAI_API_KEY", lambda: "sk-" + r(AN, 20) + "T3BlbkFJ" + r(AN, 20)),
    "anthropic": ("ANTHROPIC_API_KEY", lambda: "sk-ant-api03-" + r(URL, 93) + "AA"),
    "huggingface": ("HF_TOKEN", lambda: "hf_" + r(U + L, 34)),
    "groq": ("GROQ_API_KEY", lambda: "gsk_" + r(AN, 52)),
    "gcp-api-key": ("GOOGLE_API_KEY", lambda: "AIzaSy" + r(URL, 33)),
    "gcp-oauth-secret": ("GOOGLE_CLIENT_SECRET", lambda: "GOCSPX-" + r(URL, 28)),
    "azure-ad-secret": ("AZURE_CLIENT_SECRET", lambda: r(AN, 3) + R.choice(D) + "Q~" + r(AN + "_~.-", R.choice([31, 34]))),
    "azure-storage": ("AZURE_STORAGE_CONNECTION_STRING", lambda: f"DefaultEndpointsProtocol=https;AccountName=st{r(L + D, 8)};AccountKey={r(B64, 86)}==;EndpointSuffix=core.windows.net"),
    "bedrock-long": ("AWS_BEARER_TOKEN_BEDROCK", lambda: "ABSKQmVkcm9ja0FQSUtleS1" + r(B64, 110) + "="),
    "vault-service": ("VAULT_TOKEN", lambda: "hvs." + r(URL, 95)),
    "vault-batch": ("VAULT_TOKEN", lambda: "hvb." + r(URL, 150)),
    "1password-sa": ("OP_SERVICE_ACCOUNT_TOKEN", lambda: "ops_eyJ" + r(B64, 600) + "=="),
    "1password-secret-key": ("OP_SECRET_KEY", lambda: "A3-" + "-".join(r(U + D, n) for n in (6, 6, 5, 5, 5, 5))),
    "age": ("AGE_KEY", lambda: "AGE-SECRET-KEY-1" + r(BECH, 58)),
    "atlassian": ("JIRA_API_TOKEN", lambda: "ATATT3xFfGF0" + r(URL, 171) + "=" + r(HEX.upper(), 8)),
    "confluent-secret": ("CONFLUENT_API_SECRET", lambda: r(B64, 64)),
    "doppler-personal": ("DOPPLER_TOKEN", lambda: "dp.pt." + r(AN, 43)),
    "doppler-service": ("DOPPLER_TOKEN", lambda: "dp.st.prd." + r(AN, 43)),
    "flyio-macaroon": ("FLY_API_TOKEN", lambda: "FlyV1 fm2_" + r(B64, 300) + "="),
    "okta": ("OKTA_API_TOKEN", lambda: "00" + r(URL, 40)),
    "planetscale-pw": ("DATABASE_PASSWORD", lambda: "pscale_pw_" + r(URL, 43)),
    "planetscale-token": ("PLANETSCALE_SERVICE_TOKEN", lambda: "pscale_tkn_" + r(URL, 43)),
    "snyk": ("SNYK_TOKEN", uuid),
    "sonarqube": ("SONAR_TOKEN", lambda: "squ_" + r(HEX, 40)),
    "sourcegraph": ("SRC_ACCESS_TOKEN", lambda: "sgp_" + r(HEX, 16) + "_" + r(HEX, 40)),
    "sendgrid": ("SENDGRID_API_KEY", lambda: "SG." + r(URL, 22) + "." + r(URL, 43)),
    "twilio-api-key": ("TWILIO_API_KEY", lambda: "SK" + r(HEX, 32)),
    "databricks": ("DATABRICKS_TOKEN", lambda: "dapi" + r(HEX, 32)),
    "digitalocean": ("DIGITALOCEAN_TOKEN", lambda: "dop_v1_" + r(HEX, 64)),
    "shopify": ("SHOPIFY_ACCESS_TOKEN", lambda: "shpat_" + r(HEX, 32)),
    "telegram": ("TELEGRAM_BOT_TOKEN", lambda: r(D, R.choice([9, 10])) + ":AA" + r(URL, 33)),
    "grafana-sa": ("GRAFANA_TOKEN", lambda: "glsa_" + r(AN, 32) + "_" + r(HEX, 8)),
    "linear": ("LINEAR_API_KEY", lambda: "lin_api_" + r(AN, 40)),
    "heroku-v2": ("HEROKU_API_KEY", lambda: "HRKU-AA" + r(URL, 58)),
    "pypi": ("TWINE_PASSWORD", lambda: "pypi-AgEIcHlwaS5vcmc" + r(URL, 150)),
    "jwt": ("ID_TOKEN", jwt),
    "postman": ("POSTMAN_API_KEY", lambda: "PMAK-" + r(HEX, 24) + "-" + r(HEX, 34)),
    "mailgun": ("MAILGUN_API_KEY", lambda: "key-" + r(HEX, 32)),
    "dynatrace": ("DT_API_TOKEN", lambda: "dt0c01." + r(U + D, 24) + "." + r(U + D, 64)),
    "newrelic": ("NEW_RELIC_API_KEY", lambda: "NRAK-" + r(U + D, 27)),
    "pulumi": ("PULUMI_ACCESS_TOKEN", lambda: "pul-" + r(HEX, 40)),
    "password": ("DB_PASSWORD", lambda: r(AN, 12) + R.choice("#!@%") + r(D, 3)),
}


def lookalikes():
    """(label, variable, value): a value of a token's shape that is not one."""
    out = []
    for _ in range(3):
        t = crc_token("ghp")
        out.append(("github wrong checksum", "GITHUB_TOKEN", t[:-1] + ("A" if t[-1] != "A" else "B")))
        t = crc_token("npm")
        out.append(("npm wrong checksum", "NPM_TOKEN", t[:-1] + ("A" if t[-1] != "A" else "B")))
    out += [
        ("placeholder", "GITHUB_TOKEN", "ghp_" + "x" * 36),
        ("placeholder", "AWS_ACCESS_KEY_ID", "AKIAXXXXXXXXXXXXXXXX"),
        ("docs example", "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
        ("docs example", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("placeholder", "STRIPE_SECRET_KEY", "sk_live_" + "0" * 24),
        ("placeholder", "SLACK_BOT_TOKEN", "xoxb-000000000000-0000000000000-" + "x" * 24),
        ("docs example", "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
        ("placeholder", "OPENAI_API_KEY", "sk-proj-" + "x" * 156),
        ("placeholder", "GOOGLE_API_KEY", "AIzaSy" + "X" * 33),
        ("placeholder", "SENDGRID_API_KEY", "SG." + "x" * 22 + "." + "x" * 43),
        ("placeholder", "HF_TOKEN", "hf_" + "x" * 34),
        ("placeholder", "PASSWORD", "changeme"),
        ("placeholder", "API_KEY", "your-api-key-here"),
        ("env reference", "API_KEY", "${API_KEY}"),
        ("env reference", "SECRET_KEY", "os.environ['SECRET_KEY']"),
        ("one character", "TWILIO_API_KEY", "SK" + "0" * 32),
        ("one character", "DATABRICKS_TOKEN", "dapi" + "a" * 32),
        ("truncated", "ANTHROPIC_API_KEY", "sk-ant-api03-" + r(URL, 30)),
        ("truncated", "GITHUB_TOKEN", "ghp_" + r(AN, 20)),
        ("truncated", "VAULT_TOKEN", "hvs." + r(URL, 20)),
        ("prefix in a word", "TASK_NAME", "task_live_" + r(AN, 24)),
        ("prefix in a word", "NAME", "myshpat_" + r(HEX, 32)),
        ("prefix in a word", "IMAGE", "bdop_v1_" + r(HEX, 64)),
        ("not a secret", "GIT_SHA", r(HEX, 40)),
        ("not a secret", "REQUEST_ID", uuid()),
        ("not a secret", "PUBLISHABLE_KEY", "pk_live_" + r(AN, 24)),
        ("not a secret", "OKTA_ORG_URL", "https://dev-" + r(D, 6) + ".okta.com"),
        ("not a secret", "PASSWORD_MIN_LENGTH", "12"),
        ("not a secret", "TOKEN_URL", "https://oauth2.googleapis.com/token"),
        ("jwt without alg", "ID_TOKEN", b64u({"typ": "JWT", "kind": "x"}) + "." + b64u({"sub": "1"}) + "." + r(URL, 43)),
    ]
    return out


# contexts: (file name, line template).  {var} and {val} are filled.
CONTEXTS = [
    ("src/settings.py", '{var} = "{val}"'),
    ("config/app.yaml", "  {lvar}: {val}"),
    ("config/app.json", '  "{lvar}": "{val}",'),
    (".env", "{var}={val}"),
    ("home/.bash_history", "export {var}='{val}'"),
    ("scripts/call.sh", 'curl -s -H "Authorization: Bearer {val}" https://api.service.example/v1/me'),
    ("config/app.ini", "{lvar} = {val}"),
]


def build(root):
    """Write the corpus; return {(file, line): (kind, label)}."""
    planted = {}
    lines = defaultdict(list)
    for name, (var, make) in sorted(TOKENS.items()):
        for fname, tmpl in CONTEXTS:
            if fname == "scripts/call.sh" and name in ("azure-storage", "1password-secret-key", "flyio-macaroon", "age"):
                continue  # not something sent as a bearer token
            val = make()
            if name == "flyio-macaroon" and fname == "scripts/call.sh":
                continue
            text = tmpl.format(var=var, lvar=var.lower(), val=val)
            lines[fname].append(text)
            planted[(fname, len(lines[fname]))] = ("token", name)
    for label, var, val in lookalikes():
        for fname, tmpl in CONTEXTS:
            if fname == "scripts/call.sh":
                continue
            lines[fname].append(tmpl.format(var=var, lvar=var.lower(), val=val))
            planted[(fname, len(lines[fname]))] = ("lookalike", label)
    # curl -u on the command line
    for i in range(6):
        lines["home/.bash_history"].append(f"curl -u deploy:{r(AN, 14)} https://ci.internal.example/api/build/{i}")
        planted[("home/.bash_history", len(lines["home/.bash_history"]))] = ("token", "curl-user")
    lines["home/.bash_history"].append('curl -u "$CI_USER:$CI_PASSWORD" https://ci.internal.example/api')
    planted[("home/.bash_history", len(lines["home/.bash_history"]))] = ("lookalike", "env reference")
    for fname, ls in lines.items():
        p = os.path.join(root, fname)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write("\n".join(ls) + "\n")
    return planted


def run_vg(vg, root):
    env = dict(os.environ, XDG_CACHE_HOME=os.environ.get("XDG_CACHE_HOME", "/tmp/vg-bench-cache"))
    env.pop("GITLEAKS_CONFIG", None)
    p = subprocess.run([vg, "scan", "--select", "secret", "--profile", "audit", "--no-ignore",
                        "--format", "json", root], capture_output=True, text=True, env=env)
    d = json.loads(p.stdout)
    out = set()
    for f in d["findings"]:
        path = os.path.relpath(os.path.join(root, f["path"]) if not os.path.isabs(f["path"]) else f["path"], root)
        for ln in range(f["line"], f.get("end_line", f["line"]) + 1):
            out.add((path, ln))
    return out


def run_gl(gl, root):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as t:
        rep = t.name
    subprocess.run([gl, "dir", "--no-banner", "--exit-code", "0", "--report-format", "json",
                    "--report-path", rep, root], capture_output=True, text=True)
    with open(rep) as f:
        d = json.load(f) or []
    os.unlink(rep)
    out = set()
    for x in d:
        path = os.path.relpath(x["File"], root) if os.path.isabs(x["File"]) else os.path.relpath(os.path.join(root, x["File"]), root) if not x["File"].startswith(root) else os.path.relpath(x["File"], root)
        for ln in range(x["StartLine"], x["EndLine"] + 1):
            out.add((path, ln))
    return out


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "   - "


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--vg", default=os.environ.get("VG") or os.path.join(here, "..", "build", "vibeguard"))
    ap.add_argument("--gitleaks", default=os.environ.get("GITLEAKS") or "/work/scratch/go/bin/gitleaks")
    ap.add_argument("--corpus", default=os.environ.get("VG_CORPUS") or os.path.expanduser("~/.cache/vibeguard/corpus"))
    ap.add_argument("--keep", help="write the generated corpus here and keep it")
    ap.add_argument("--details", action="store_true", help="list every disagreement")
    a = ap.parse_args()
    if not os.path.exists(a.gitleaks):
        sys.exit(f"gitleaks not found at {a.gitleaks}: GOPATH=/work/scratch/go go install "
                 "github.com/zricethezav/gitleaks/v8@latest")
    root = a.keep or tempfile.mkdtemp(prefix="vg-secrets-diff-")
    os.makedirs(root, exist_ok=True)
    planted = build(root)
    vg, gl = run_vg(a.vg, root), run_gl(a.gitleaks, root)

    print("## generated corpus: real-format tokens and look-alikes, one a line")
    print(f"{'provider':24} {'planted':>7} {'vibeguard':>9} {'gitleaks':>8}")
    by = defaultdict(lambda: [0, 0, 0])
    tot = {"token": [0, 0, 0], "lookalike": [0, 0, 0]}
    dis = []
    for key, (kind, label) in sorted(planted.items()):
        v, g = key in vg, key in gl
        row = by[(kind, label)]
        row[0] += 1; row[1] += v; row[2] += g
        t = tot[kind]
        t[0] += 1; t[1] += v; t[2] += g
        if v != g:
            dis.append((kind, label, key, "vibeguard" if v else "gitleaks"))
    for (kind, label), (n, v, g) in sorted(by.items()):
        if kind == "token":
            print(f"{label:24} {n:7} {v:9} {g:8}")
    print(f"{'real-format tokens':24} {tot['token'][0]:7} {pct(tot['token'][1], tot['token'][0]):>9} "
          f"{pct(tot['token'][2], tot['token'][0]):>8}   (found)")
    print()
    print(f"{'look-alike':24} {'planted':>7} {'vibeguard':>9} {'gitleaks':>8}   (flagged)")
    for (kind, label), (n, v, g) in sorted(by.items()):
        if kind == "lookalike":
            print(f"{label:24} {n:7} {v:9} {g:8}")
    print(f"{'look-alikes':24} {tot['lookalike'][0]:7} {pct(tot['lookalike'][1], tot['lookalike'][0]):>9} "
          f"{pct(tot['lookalike'][2], tot['lookalike'][0]):>8}   (flagged)")
    agree = sum(1 for k in planted if (k in vg) == (k in gl))
    print(f"\nagreement on planted lines: {agree}/{len(planted)} = {pct(agree, len(planted)).strip()}")
    if a.details:
        for kind, label, (f, ln), who in dis:
            print(f"  only {who:9} {kind:9} {label:22} {f}:{ln}")

    if os.path.isdir(a.corpus):
        vgc, glc = run_vg(a.vg, a.corpus), run_gl(a.gitleaks, a.corpus)
        # one finding = one (file, first line) per tool; compare by line
        both = vgc & glc
        print("\n## precision corpus (bench/precision): findings by (file, line), audit profile")
        print(f"vibeguard lines {len(vgc)}, gitleaks lines {len(glc)}, both {len(both)}, "
              f"only vibeguard {len(vgc - glc)}, only gitleaks {len(glc - vgc)}")
        if a.details:
            for k in sorted(glc - vgc)[:60]:
                print(f"  only gitleaks   {k[0]}:{k[1]}")
            for k in sorted(vgc - glc)[:60]:
                print(f"  only vibeguard  {k[0]}:{k[1]}")
    if not a.keep:
        subprocess.run(["rm", "-rf", root])


if __name__ == "__main__":
    main()
