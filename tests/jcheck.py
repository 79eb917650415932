#!/usr/bin/env python3
"""jcheck.py FILE EXPR - assert on a parsed JSON report (lib.sh's check_json).

FILE is parsed as JSON (a report of scan, deps, pii, rules or a baseline);
EXPR is a Python expression evaluated with these names:

    d         the whole document
    raw       FILE's text, for "this value appears nowhere" checks
    F         d["findings"] ([] when the document has none)
    E         d["errors"] ([] when the document has none)
    found(rule=, path=, line=)   the findings matching every given field;
              path matches the reported path exactly or as its last
              components ("src/a.py" matches "/tmp/x/src/a.py")
    ids(path=)                   the set of rule ids (of one file)
    at(path)                     the set of (line, rule id) of one file

Exit 0 when EXPR is true.  Otherwise (false, an exception, a missing key,
a file that is not JSON) exit 1 with one line saying why and what the
report held, so the shell test's failure message shows it.
"""
import json
import sys


def main():
    path, expr = sys.argv[1], sys.argv[2]
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            raw = fh.read()
        d = json.loads(raw)
    except (OSError, ValueError) as e:
        print("%s is not a JSON report: %s" % (path, e))
        return 1
    F = d.get("findings", []) if isinstance(d, dict) else []
    E = d.get("errors", []) if isinstance(d, dict) else []

    def path_is(got, want):
        return got == want or got.endswith("/" + want)

    def found(rule=None, path=None, line=None):
        return [f for f in F
                if (rule is None or f["rule_id"] == rule)
                and (path is None or path_is(f["path"], path))
                and (line is None or f["line"] == line)]

    def ids(path=None):
        return {f["rule_id"] for f in found(path=path)}

    def at(path):
        return {(f["line"], f["rule_id"]) for f in found(path=path)}

    env = dict(d=d, raw=raw, F=F, E=E, found=found, ids=ids, at=at)
    try:
        ok = eval(expr, env)
    except Exception as e:  # a missing key is a failed check, not a pass
        print("%s raised %s: %s" % (expr, type(e).__name__, e))
        return 1
    if ok:
        return 0
    held = ["%s %s:%s" % (f.get("rule_id"), f.get("path"), f.get("line")) for f in F[:12]]
    more = " ..." if len(F) > 12 else ""
    print("false: %s; report has %d findings%s%s" % (
        expr, len(F), (": " + ", ".join(held)) if held else "", more))
    return 1


if __name__ == "__main__":
    sys.exit(main())
