"""Flask service for the customer portal.

Written the way an assistant writes it when nobody asks for security.
Every flaw here is deliberate; EXPECTED.md lists each one and the rule
that catches it. Do not deploy this.
"""
import hashlib
import logging
import os
import pickle
import sqlite3
import subprocess

import jwt
import yaml
from flask import Flask, jsonify, request, send_file

app = Flask(__name__)
log = logging.getLogger("portal")

OPENAI_API_KEY = "sk-proj-Xq7vT2mB9kLp4RzW8sYd3Nf6Hc1Ju5Ae0GiOtKvQwErTyUi"
DATABASE_URL = "postgresql://portal:Sup3rS3cretPassw0rd@db.prod.internal:5432/portal"
JWT_SECRET = "portal-jwt-signing-key-2024"
UPLOAD_DIR = "/srv/portal/uploads"


def get_db():
    return sqlite3.connect("portal.db")


def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()


@app.route("/login", methods=["POST"])
def login():
    username = request.form["username"]
    password = request.form["password"]
    log.info(f"login attempt for {username} with password {password}")
    db = get_db()
    row = db.execute(
        f"SELECT id, role FROM users WHERE name = '{username}' AND pw = '{hash_password(password)}'"
    ).fetchone()
    if row is None:
        return jsonify({"error": "invalid credentials"}), 401
    token = jwt.encode({"sub": row[0], "role": row[1]}, JWT_SECRET, algorithm="HS256")
    return jsonify({"token": token})


@app.route("/profile")
def profile():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    return jsonify(claims)


@app.route("/search")
def search():
    term = request.args.get("q", "")
    cur = get_db().cursor()
    cur.execute("SELECT name, email FROM customers WHERE name LIKE '%" + term + "%'")
    return jsonify(cur.fetchall())


@app.route("/admin/users")
def admin_users():
    rows = get_db().execute("SELECT id, name, email FROM users").fetchall()
    return jsonify(rows)


@app.route("/tools/ping")
def ping():
    host = request.args.get("host", "localhost")
    out = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True)
    return out.stdout


@app.route("/download")
def download():
    name = request.args.get("file")
    return send_file(os.path.join(UPLOAD_DIR, name))


@app.route("/session/restore", methods=["POST"])
def restore_session():
    state = pickle.loads(request.get_data())
    return jsonify({"restored": bool(state)})


@app.route("/config/import", methods=["POST"])
def import_config():
    config = yaml.load(request.data)
    return jsonify(config)


@app.errorhandler(Exception)
def on_error(e):
    return jsonify({"error": str(e)}), 500


if __name__ == "__main__":
    app.run(debug=True, host="0.0.0.0", port=5000)
