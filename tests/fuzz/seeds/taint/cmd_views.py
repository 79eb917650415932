# OS command injection (VG702).
import os
import shlex
import subprocess as sp
from subprocess import check_output

from fastapi import FastAPI, Query

from tools import ping_host, archive

app = FastAPI()
VERBOSE = False


@app.get("/ping")
def ping(host: str):
    os.system("ping -c 1 " + host)  # expect: VG702
    return {}


@app.get("/lookup")
def lookup(name: str = Query(...)):
    out = sp.run(f"nslookup {name}", shell=True, capture_output=True)  # expect: VG702
    return {"out": out.stdout}


@app.get("/container")
def container(target: str):
    opts = {"cmd": "tar czf backup.tgz " + target, "mode": "fast"}
    sp.Popen(opts["cmd"], shell=True)  # expect: VG702
    sp.Popen("echo " + opts["mode"], shell=True)  # ok
    return {}


@app.get("/helper")
def helper(host: str):
    ping_host(host)
    archive(name=host)
    return {}


class Runner:
    def __init__(self, program):
        self.program = program

    def go(self):
        return check_output([self.program, "--version"])  # expect: VG702


@app.get("/runner")
def runner(prog: str):
    return {"v": Runner(prog).go()}


# ---- near misses ----

@app.get("/quoted")
def quoted(host: str):
    os.system("ping -c 1 " + shlex.quote(host))  # ok
    return {}


@app.get("/argv")
def argv_list(host: str):
    sp.run(["ping", "-c", "1", host])  # ok
    args = ["ping", "-c", "1", host]
    sp.run(args)  # ok
    return {}


@app.get("/verbose")
def verbose(host: str):
    if VERBOSE:
        os.system("echo " + host)  # ok
    host = "localhost"
    os.system("ping " + host)  # ok
    return {}


@app.get("/numeric")
def numeric(count: str):
    n = int(count)
    os.system(f"seq {n}")  # ok
    return {}
