# Path traversal (VG704).
import os
import shutil
from pathlib import Path

from flask import Flask, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

from storage import read_upload

BASE = "/srv/uploads"
app = Flask(__name__)


@app.route("/download")
def download():
    name = request.args["file"]
    return send_file(os.path.join(BASE, name))  # expect: VG704


@app.route("/read/<path:fname>")
def read(fname):
    with open(f"{BASE}/{fname}") as fh:  # expect: VG704
        return fh.read()


@app.route("/pathlib")
def pathlib_read():
    p = Path(BASE) / request.args["p"]
    return p.read_text()  # expect: VG704


@app.route("/delete", methods=["POST"])
def delete():
    files = {"target": request.form["target"]}
    os.remove(files["target"])  # expect: VG704
    return "ok"


@app.route("/helper")
def helper():
    return read_upload(request.args["name"])


class Exporter:
    def __init__(self, dest):
        self.dest = dest

    def export(self):
        shutil.copy("/srv/report.csv", self.dest)  # expect: VG704


@app.route("/export")
def export():
    Exporter(request.args["to"]).export()
    return "ok"


# ---- near misses ----

@app.route("/secure")
def secure():
    name = secure_filename(request.args["file"])
    return send_file(os.path.join(BASE, name))  # ok


@app.route("/basename")
def basename():
    name = os.path.basename(request.args["file"])
    with open(os.path.join(BASE, name)) as fh:  # ok
        return fh.read()


@app.route("/checked")
def checked():
    path = os.path.join(BASE, request.args["file"])
    if not os.path.realpath(path).startswith(BASE):
        return "no", 403
    return send_file(path)  # ok


@app.route("/commonpath")
def commonpath():
    full = os.path.realpath(os.path.join(BASE, request.args["file"]))
    if os.path.commonpath([BASE, full]) != BASE:
        return "no", 403
    return open(full).read()  # ok


@app.route("/relative")
def relative():
    p = (Path(BASE) / request.args["file"]).resolve()
    if not p.is_relative_to(BASE):
        return "no", 403
    return p.read_text()  # ok


@app.route("/fixed")
def fixed():
    name = request.args.get("file")
    name = "index.html"
    return send_file(os.path.join(BASE, name))  # ok
