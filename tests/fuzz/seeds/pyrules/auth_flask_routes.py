# VG201 Flask routes: privileged paths/names need an auth check
from flask import Flask, Blueprint, abort
from flask_login import login_required, current_user
from flask_user import roles_required

app = Flask(__name__)
bp = Blueprint("admin", __name__)


@app.route("/admin")
def admin_home():  # expect: VG201
    return "admin"


@app.route("/users/<int:user_id>/delete", methods=["POST"])
def remove(user_id):  # expect: VG201
    ...


@bp.route("/manage/settings")
def settings_page():  # expect: VG201
    ...


@app.route("/admin/logs")
@login_required
def logs():  # ok
    ...


@app.route("/admin/ban/<uid>")
def ban(uid):  # ok
    if not current_user.is_admin:
        abort(403)
    ...


@app.route("/about")
def about():  # ok
    ...


@app.route("/internal/metrics")
@roles_required("ops")
def metrics():  # ok
    ...
