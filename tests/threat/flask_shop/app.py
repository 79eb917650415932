"""A small shop: catalogue search, orders, an admin page and a price feed."""
import logging
import os
import sqlite3
import subprocess

import requests
from flask import Flask, abort, jsonify, request, session
from flask_login import current_user, login_required

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
log = logging.getLogger("shop")

DB_PATH = "shop.db"
PRICE_FEED = "https://prices.example.com/v1/latest"


def db():
    return sqlite3.connect(DB_PATH)


@app.route("/search")
def search():
    q = request.args.get("q", "")
    rows = db().execute("SELECT id, name FROM item WHERE name LIKE '%" + q + "%'").fetchall()
    return jsonify(rows)


@app.route("/item/<int:item_id>")
def item(item_id):
    row = db().execute("SELECT id, name, price FROM item WHERE id = ?", (item_id,)).fetchone()
    return jsonify(row)


@app.route("/orders", methods=["POST"])
@login_required
def create_order():
    qty = int(request.form["qty"])
    note = request.form.get("note", "")
    con = db()
    con.execute("INSERT INTO orders (user_id, qty, note) VALUES (?, ?, ?)",
                (current_user.id, qty, note))
    con.commit()
    log.info("order by %s", current_user.id)
    return jsonify(ok=True)


@app.route("/admin/users/<int:uid>", methods=["DELETE"])
def delete_user(uid):
    con = db()
    con.execute("DELETE FROM user WHERE id = ?", (uid,))
    con.commit()
    return jsonify(deleted=uid)


@app.route("/admin/backup", methods=["POST"])
@login_required
def backup():
    name = request.form["name"]
    subprocess.run(f"tar czf /backups/{name}.tgz shop.db", shell=True)
    with open("/var/log/shop/backups.log", "a") as f:
        f.write(name + "\n")
    return jsonify(ok=True)


def refresh_prices():
    return requests.get(PRICE_FEED).json()
