#!/usr/bin/env python3
"""history_import.py - a git fast-import stream of real code: the
successive source distributions named in a manifest (bench/history_manifest.tsv),
in its order, turned into one commit per file added or changed by each
release (oldest release first; its files in path order) and one commit per
release deleting what it dropped, with a tag per release.  Reads the
tarballs in place (nothing is extracted, nothing run).

usage: history_import.py MANIFEST SDIST_DIR | git -C REPO fast-import
"""
import io
import os
import sys
import tarfile


def release_files(path):
    """{relative path: bytes} of the regular files of one sdist."""
    files = {}
    with tarfile.open(path) as t:
        for m in t:
            if not m.isreg():
                continue
            name = m.name.split('/', 1)
            if len(name) < 2 or not name[1]:
                continue
            files[name[1]] = t.extractfile(m).read()
    return files


def main():
    manifest, sdists = sys.argv[1], sys.argv[2]
    rows = []
    for line in open(manifest):
        line = line.rstrip('\n')
        if not line or line.startswith('#'):
            continue
        rows.append(line.split('\t'))
    out = sys.stdout.buffer
    w = out.write
    mark, when, prev = 0, 1500000000, {}
    ncommits = 0

    def commit(msg, ops):
        nonlocal mark, when, ncommits
        mark += 1
        when += 60
        ncommits += 1
        m = msg.encode()
        w(b'commit refs/heads/main\nmark :%d\n' % mark)
        w(b'author Release Import <release@example.invalid> %d +0000\n' % when)
        w(b'committer Release Import <release@example.invalid> %d +0000\n' % when)
        w(b'data %d\n%s\n' % (len(m), m))
        if mark > 1:
            w(b'from :%d\n' % (mark - 1))
        for op in ops:
            w(op)
        w(b'\n')

    for name, version, _sha, fname in rows:
        cur = release_files(os.path.join(sdists, fname))
        for p in sorted(cur):
            data = cur[p]
            if prev.get(p) == data:
                continue
            verb = 'update' if p in prev else 'add'
            commit('%s %s: %s %s' % (name, version, verb, p),
                   [b'M 100644 inline %s\ndata %d\n' % (p.encode(), len(data)), data, b'\n'])
        gone = sorted(set(prev) - set(cur))
        if gone:
            commit('%s %s: remove %d files' % (name, version, len(gone)),
                   [b'D %s\n' % p.encode() for p in gone])
        w(b'reset refs/tags/%s-%s\nfrom :%d\n\n' % (name.encode(), version.encode(), mark))
        prev = cur
        sys.stderr.write('%s %s: %d files, %d commits so far\n' % (name, version, len(cur), ncommits))
    out.flush()


if __name__ == '__main__':
    main()
