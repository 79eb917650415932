#!/usr/bin/env python3
"""osv_stub.py - a stand-in for OSV's web API on loopback, for
tests/cli/deps_online.sh.  Never a real network.

    osv_stub.py MODE RECORDS_DIR PORT_FILE LOG_FILE

Binds 127.0.0.1 on a free port, writes the port to PORT_FILE, and serves
until it has answered MAX_REQUESTS requests or LIFETIME seconds have gone
by, whichever comes first (it stops by itself).  MODE:

  ok         POST /v1/querybatch answers, for each query, the ids of the
             records in RECORDS_DIR (*.json, OSV format) whose `affected`
             lists the package (ecosystem, name as PEP 503 / lower-case) and
             the version in `versions`; GET /v1/vulns/ID returns the record.
             A query's answer is split in pages of PAGE ids with
             next_page_token, as the real API pages long answers.  One
             id named for six 1.16.0 has no record (GET answers 404).
  error      every request: HTTP 503
  hang       every request: the answer never comes (the client must time out)
  malformed  querybatch answers text that is not JSON

HEAD /registry/... (VIBEGUARD_REGISTRY_URL=URL/registry: --online's
registry check) answers 200 in mode ok.  Each other request is logged to LOG_FILE as one JSON line {method, path, body}.
"""
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_REQUESTS = 200
LIFETIME = 120
PAGE = 2

mode, rec_dir, port_file, log_file = sys.argv[1:5]
records = {}
for f in sorted(os.listdir(rec_dir)):
    if f.endswith(".json"):
        with open(os.path.join(rec_dir, f)) as fh:
            r = json.load(fh)
        records[r["id"]] = r
served = 0
lock = threading.Lock()
stop = threading.Event()


def norm(eco, name):
    return re.sub(r"[-_.]+", "-", name).lower() if eco == "PyPI" else name.lower()


# ids the querybatch names whose record GET /v1/vulns/ID no longer has (404)
GONE = {("PyPI", "six", "1.16.0"): ["GHSA-vgte-gone-0003"]}


def matching(q):
    pkg = q.get("package", {})
    eco, name, ver = pkg.get("ecosystem"), pkg.get("name", ""), q.get("version")
    out = [{"id": i, "modified": "2026-11-30T00:00:00Z"}
           for i in GONE.get((eco, norm(eco, name), ver), [])]
    for rid, r in records.items():
        for a in r.get("affected", []):
            p = a.get("package", {})
            if p.get("ecosystem") == eco and norm(eco, p.get("name", "")) == norm(eco, name) \
                    and ver in a.get("versions", []):
                out.append({"id": rid, "modified": r.get("modified", "2026-11-30T00:00:00Z")})
                break
    return out


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def record(self, body):
        global served
        with lock:
            served += 1
            with open(log_file, "a") as fh:
                fh.write(json.dumps({"method": self.command, "path": self.path,
                                     "body": body}) + "\n")
            if served >= MAX_REQUESTS:
                stop.set()

    def send(self, code, text, ctype="application/json"):
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def reply(self, body):
        self.record(body)
        if mode == "hang":
            stop.wait(LIFETIME)  # never answers while the client waits
            return
        if mode == "error":
            return self.send(503, '{"code": 14, "message": "unavailable"}')
        if self.command == "POST" and self.path == "/v1/querybatch":
            if mode == "malformed":
                return self.send(200, '{"results": [{"vulns": [{"id": "GHSA-')
            results = []
            for q in json.loads(body)["queries"]:
                ids = matching(q)
                start = int(q.get("page_token", "0"))
                res = {"vulns": ids[start:start + PAGE]} if ids[start:start + PAGE] else {}
                if start + PAGE < len(ids):
                    res["next_page_token"] = str(start + PAGE)
                results.append(res)
            return self.send(200, json.dumps({"results": results}))
        m = re.fullmatch(r"/v1/vulns/([A-Za-z0-9._:-]+)", self.path)
        if self.command == "GET" and m and m.group(1) in records:
            return self.send(200, json.dumps(records[m.group(1)]))
        self.send(404, '{"code": 5, "message": "Bug not found."}')

    def do_HEAD(self):
        # the package registries' existence check of --online (not logged):
        # every name exists, so no test depends on a real registry
        code = 200 if mode == "ok" and self.path.startswith("/registry/") else 404
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.reply(None)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.reply(self.rfile.read(n).decode())


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
with open(port_file + ".tmp", "w") as fh:
    fh.write(str(srv.server_address[1]))
os.rename(port_file + ".tmp", port_file)
threading.Thread(target=srv.serve_forever, daemon=True).start()
stop.wait(LIFETIME)
srv.shutdown()
