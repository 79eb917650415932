#!/usr/bin/env python3
"""fixture_check.py - the one fixture runner: every folder of tests/fixtures,
every analyzer, one expectation protocol, checked in both directions.

    fixture_check.py VG [SUITE...]     scan each suite and check it
    fixture_check.py VG --list LIST DIR
                                       scan DIR and compare with LIST

Output, one line each, read by tests/cli/fixtures.sh and demo.sh:
    PASS <what>    FAIL <what>    STAT <summary of a suite>

## Where the expectation is written

A code fixture (.py, .pyi) carries it on the line itself, at the end:

    subprocess.call(cmd, shell=True)    # expect: B602
    x = f"SELECT {a}"                   # expect: B608[conf=high],VG101
    cursor.execute("SELECT 1")          # ok

Every other fixture (text, data, manifests, agent files) has a sidecar
NAME.expect beside it: one expected finding a line, `LINE RULE_ID`, with
the same optional [sev=...,conf=...]; `#` starts a comment.  A sidecar with
no finding in it says the file must stay silent.  A code file may have a
sidecar too (when a comment would change what it tests, or the file is
another test's input); the sidecar is then its whole expectation.

## What is checked

Each suite is one folder, scanned as a project (`vibeguard scan .` from
inside it, `--profile audit` so review items count, `--select` where the
suite says so).  A finding meets the expectation of its own rule and of
every rule merged into it (`related_rules`); `[tier=issue]` or
`[tier=review]` asks for the tier too.  For
every file of the suite:
  - every expected (line, rule) is reported there (one check each; with
    [sev=], [conf=] the finding has that severity / confidence);
  - every `# ok` line has no finding (one check each);
  - nothing else is reported in the file: each finding on a line that
    does not expect its rule is a failure (one check per file when clean).
A rule reported twice on one line counts once (golden.sh sees duplicates).
A text file with no sidecar, a sidecar with no file, a fixture folder that
no suite owns and a finding outside every fixture are failures too.

--list compares a whole scan (the default profile: what a user sees) with
LIST, one `PATH:LINE RULE_ID` a line (the complete set of findings of an
example project), in both directions; here too a rule reported twice at one
place is one entry.
"""
import collections
import json
import os
import re
import subprocess
import sys

FIXTURES = "tests/fixtures"
CODE = (".py", ".pyi")


class Suite:
    def __init__(self, folder, select=None, skip=None):
        self.folder = folder          # under tests/fixtures
        self.select = select          # --select, or None: every analyzer
        self.skip = skip or {}        # relative path -> why it is not a fixture here


# Every folder under tests/fixtures belongs to one suite; a suite's
# sub-folder that is a suite of its own (python/taint) is left to that one.
SUITES = [
    Suite("python", select="B,VG1,VG2,VG3,VG4,VG5,VG6,VG8"),  # every VG family but taint (VG7)
    Suite("python/taint", select="VG7"),
    Suite("python/llmapp", select="VG5,VG7"),  # LLM applications: the VG5xx rules and the taint they use
    Suite("parse_errors"),
    Suite("pii"),
    Suite("secrets", skip={
        "cases.tsv": "the regression table; test_secrets runs every row through the engine",
        "formats.tsv": "the hand-written format cases; test_secrets runs every row"}),
    Suite("unicode"),
    Suite("deps", skip={
        "osv": "an advisory database (test_osv, deps.sh --osv-db), not a project",
        "online": "OSV API records and a project for deps_online.sh's stand-in server",
        "lockfiles": "lockfiles as yarn writes them, read by deps_lockfiles.sh"}),
    Suite("redact"),
    Suite("licence", select="licence"),
    Suite("licence/gpl2only", select="licence"),
    Suite("licence/proprietary", select="licence"),
    Suite("licence/nolicence", select="licence"),
]

ANN = re.compile(r"#\s*(?:expect:\s*([A-Za-z0-9_:.\-,= \[\]]+?)|(ok))\s*$")
ITEM = re.compile(r"([A-Za-z0-9_:.\-]+)(?:\[([^\]]*)\])?")
ATTR = {"sev": "severity", "conf": "confidence", "tier": "tier"}


def parse_items(text, where):
    """'B602[sev=low],VG101' -> [(rule, {field: value})]; raises on junk."""
    items = []
    for part in text.split(","):
        part = part.strip()
        m = ITEM.fullmatch(part)
        if not m:
            raise ValueError("%s: cannot read expectation %r" % (where, part))
        attrs = {}
        for kv in (m.group(2) or "").replace(",", " ").split():
            k, _, v = kv.partition("=")
            if k not in ATTR or not v:
                raise ValueError("%s: unknown attribute %r (sev=, conf=, tier=)" % (where, kv))
            attrs[ATTR[k]] = v
        items.append((m.group(1), attrs))
    return items


def inline_expectations(path, rel):
    """{line: [(rule, attrs)]} and the set of `# ok` lines of a code file."""
    want, ok = {}, set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for no, line in enumerate(fh, 1):
            m = ANN.search(line.rstrip("\n"))
            if not m:
                continue
            if m.group(2):
                ok.add(no)
            else:
                want[no] = parse_items(m.group(1), "%s:%d" % (rel, no))
    return want, ok


def data_lines(path):
    """(number, text) of the lines of a sidecar or list, `#` comments and
    blank lines left out."""
    with open(path, encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            line = line.split("#", 1)[0].strip()
            if line:
                yield no, line


def sidecar_expectations(path, rel):
    want = {}
    for no, line in data_lines(path):
        m = re.fullmatch(r"(\d+)\s+(\S+)", line)
        if not m:
            raise ValueError("%s.expect:%d: want 'LINE RULE_ID', got %r" % (rel, no, line))
        want.setdefault(int(m.group(1)), []).extend(
            parse_items(m.group(2), "%s.expect:%d" % (rel, no)))
    return want, set()


def scan(vg, root, select, profile="audit"):
    cmd = [vg, "scan", ".", "--format", "json", "--fail-on", "never", "--no-color",
           "--profile", profile]
    if select:
        cmd += ["--select", select]
    p = subprocess.run(cmd, cwd=root, capture_output=True)
    if p.returncode != 0:
        return None, "scan of %s exited %d: %s" % (root, p.returncode, p.stderr[:400].decode("utf-8", "replace"))
    try:
        return json.loads(p.stdout)["findings"], None
    except ValueError as e:
        return None, "scan of %s: not a JSON report: %s" % (root, e)


def rule_ids(f):
    """The rule of a finding and the rules merged into it (one problem, one
    finding): an expectation of any of them is met by the finding."""
    return [f["rule_id"]] + f.get("related_rules", [])


def by_place(findings):
    """{path: {line: {rule: [finding, ...]}}}, a finding under each of its rule ids"""
    got = collections.defaultdict(lambda: collections.defaultdict(lambda: collections.defaultdict(list)))
    for f in findings:
        for r in rule_ids(f):
            got[os.path.normpath(f["path"])][f["line"]][r].append(f)
    return got


class Tally:
    def __init__(self):
        self.expected = self.found = self.quiet = self.unexpected = 0

    @staticmethod
    def ok(what):
        print("PASS " + what)

    @staticmethod
    def bad(what):
        print("FAIL " + what)


def check_file(rel, want, ok_lines, got, t):
    """Both directions for one file: want {line: [(rule, attrs)]}, got {line: {rule: [f]}}."""
    for line in sorted(want):
        for rule, attrs in want[line]:
            t.expected += 1
            hits = got.get(line, {}).get(rule, [])
            wrong = ["%s=%s (got %s)" % (k, v, ",".join(sorted({h[k] for h in hits})))
                     for k, v in attrs.items() if hits and all(h[k] != v for h in hits)]
            if hits and not wrong:
                t.found += 1
                t.ok("%s:%d %s" % (rel, line, rule))
            elif hits:
                t.bad("%s:%d %s: %s" % (rel, line, rule, "; ".join(wrong)))
            else:
                others = ",".join(sorted(got.get(line, {}))) or "nothing"
                t.bad("%s:%d: missed %s (got %s)" % (rel, line, rule, others))
    for line in sorted(ok_lines):
        t.quiet += 1
        if got.get(line):
            t.bad("%s:%d: '# ok' line reports %s" % (rel, line, ",".join(sorted(got[line]))))
        else:
            t.ok("%s:%d ok" % (rel, line))
    extra = []
    for line in sorted(got):
        if line in ok_lines:
            continue
        wanted = {r for r, _ in want.get(line, [])}
        seen = set()
        for rule in sorted(got[line]):
            for f in got[line][rule]:
                if id(f) in seen or wanted & set(rule_ids(f)):
                    continue
                seen.add(id(f))
                extra.append((line, f["rule_id"]))
    for line, rule in extra:
        t.unexpected += 1
        t.bad("%s:%d: unexpected %s (not in the expectation)" % (rel, line, rule))
    if not extra:
        t.ok("%s: nothing unexpected" % rel)


def skipped(rel, skip):
    return any(rel == s or rel.startswith(s + "/") for s in skip)


def run_suite(vg, suite, owned):
    root = os.path.join(FIXTURES, suite.folder)
    skip = dict(suite.skip)
    for o in owned:
        if o.startswith(suite.folder + "/"):
            skip[o[len(suite.folder) + 1:]] = "the %s suite" % o
    findings, err = scan(vg, root, suite.select)
    if err:
        Tally.bad(err)
        return
    got = by_place(findings)
    t = Tally()
    seen = set()
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        rel_dir = os.path.relpath(dirpath, root)
        dirs[:] = [d for d in dirs if not skipped(os.path.normpath(os.path.join(rel_dir, d)), skip)]
        names = set(files)
        for name in sorted(files):
            rel = os.path.normpath(os.path.join(rel_dir, name))
            shown = os.path.join(suite.folder, rel)
            if skipped(rel, skip):
                continue
            if name.endswith(".expect"):
                if name[:-len(".expect")] not in names:
                    t.bad("%s: a sidecar without its file" % shown)
                continue
            seen.add(rel)
            full = os.path.join(dirpath, name)
            try:
                if name + ".expect" in names:
                    want, ok_lines = sidecar_expectations(full + ".expect", shown)
                elif name.endswith(CODE):
                    want, ok_lines = inline_expectations(full, shown)
                else:
                    t.bad("%s: no %s.expect beside it (a text fixture states its findings there)"
                          % (shown, name))
                    continue
            except ValueError as e:
                t.bad(str(e))
                continue
            check_file(shown, want, ok_lines, got.get(rel, {}), t)
    for path in sorted(set(got) - seen):
        if not skipped(path, skip):
            t.bad("%s: finding in a file outside the fixtures: %s"
                  % (os.path.join(suite.folder, path), ",".join(sorted({r for l in got[path].values() for r in l}))))
    print("STAT %s: %d expected findings, %d found (recall %.1f%%); %d '# ok' lines; "
          "%d unexpected (precision %.1f%%)"
          % (suite.folder, t.expected, t.found, 100.0 * t.found / max(t.expected, 1), t.quiet,
             t.unexpected, 100.0 * t.found / max(t.found + t.unexpected, 1)))


def run_suites(vg, names):
    known = {s.folder: s for s in SUITES}
    for n in names:
        if n not in known:
            Tally.bad("no suite %r (known: %s)" % (n, ", ".join(known)))
    chosen = [known[n] for n in names if n in known] if names else SUITES
    owned = set(known)
    if not names:  # every fixture folder must belong to a suite
        for entry in sorted(os.listdir(FIXTURES)):
            if os.path.isdir(os.path.join(FIXTURES, entry)) and entry not in owned:
                Tally.bad("%s/%s: a fixture folder no suite owns (add it to SUITES in %s)"
                          % (FIXTURES, entry, os.path.basename(__file__)))
    for s in chosen:
        run_suite(vg, s, owned - {s.folder})


def run_list(vg, listfile, root):
    want = set()
    for no, line in data_lines(listfile):
        m = re.fullmatch(r"(\S+):(\d+)\s+(\S+)", line)
        if not m:
            Tally.bad("%s:%d: want 'PATH:LINE RULE_ID', got %r" % (listfile, no, line))
            continue
        want.add((m.group(1), int(m.group(2)), m.group(3)))
    findings, err = scan(vg, root, None, "default")
    if err:
        Tally.bad(err)
        return
    got = {(os.path.normpath(f["path"]), f["line"], f["rule_id"]) for f in findings}
    for k in sorted(want | got):
        if k in got and k in want:
            Tally.ok("%s:%d %s" % k)
        elif k in want:
            Tally.bad("%s:%d: missed %s (listed in %s)" % (k + (listfile,)))
        else:
            Tally.bad("%s:%d: unexpected %s (not listed in %s)" % (k + (listfile,)))
    print("STAT %s: %d findings listed, %d reported at %d places" % (os.path.basename(listfile), len(want), len(findings), len(got)))


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    vg = os.path.abspath(argv[1])
    if len(argv) == 5 and argv[2] == "--list":
        run_list(vg, argv[3], argv[4])
    else:
        run_suites(vg, argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
