#!/usr/bin/env bash
# deps_lockfiles.sh - yarn lockfiles as yarn writes them: v1 keys quoted,
# unquoted and mixed in one comma list, scoped names; berry (v8 metadata)
# with a quoted list of npm: descriptors and a workspace entry, which is
# the project itself, not a package.  Every package with its version and
# line, and no warning.
. tests/lib.sh
FX=$T_ROOT/tests/fixtures/deps/lockfiles
pk() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([(x['name'], x['version'], x['line']) for x in d['dependencies']]); print([e['message'] for e in d['errors']])" "$1"; }
"$VG" deps "$FX/yarn-v1" --format json >"$TMP/v1.json" 2>/dev/null
got=$(pk "$TMP/v1.json")
want="[('@babel/code-frame', '7.22.13', 5), ('minimist', '1.2.5', 13), ('lodash', '4.17.15', 18)]
[]"
if [ "$got" = "$want" ]; then pass; else fail "yarn v1: quoted, unquoted and mixed keys: $got"; fi
"$VG" deps "$FX/yarn-berry" --format json >"$TMP/berry.json" 2>/dev/null
got=$(pk "$TMP/berry.json")
want="[('@babel/code-frame', '7.22.13', 8), ('lodash', '4.17.15', 17)]
[]"
if [ "$got" = "$want" ]; then pass; else fail "yarn berry: quoted descriptor lists, the workspace left out: $got"; fi
done_tests
