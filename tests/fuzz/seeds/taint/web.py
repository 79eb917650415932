# Trust boundary (VG713), header injection (VG714), log injection (VG715).
import logging

from flask import Flask, Response, make_response, request, session

app = Flask(__name__)
log = logging.getLogger(__name__)
ROLES = ("user", "admin")


@app.route("/remember")
def remember():
    session["user"] = request.args["user"]  # expect: VG713
    return "ok"


@app.route("/lang")
def lang():
    resp = make_response("ok")
    resp.headers["Content-Language"] = request.args.get("lang")  # expect: VG714
    return resp


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    log.info("login attempt for %s", user)  # expect: VG715
    logging.warning(f"failed login for {user}")  # expect: VG715
    return "ok"


# ---- near misses ----

@app.route("/role")
def role():
    r = request.args["role"]
    if r in ROLES:
        session["role"] = r  # ok
    return "ok"


@app.route("/count")
def count():
    resp = Response("ok")
    resp.headers["X-Count"] = str(len(request.args))  # ok
    return resp


@app.route("/clean-log", methods=["POST"])
def clean_log():
    user = request.form["user"].replace("\n", "").replace("\r", "")
    log.info("login attempt for %s", user)  # ok
    log.info("static message")  # ok
    return "ok"
