# Flask: B201 debug, B704 Markup, VG401 cookies, VG402 exception detail,
# VG403 HTML by interpolation, VG404 SSTI, VG405 CORS
import os
import traceback
from flask import Flask, request, jsonify, make_response, render_template, render_template_string, Markup
from flask_cors import CORS
from markupsafe import Markup as M2, escape

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return f"<h1>Hello {name}</h1>"  # expect: VG403


@app.route("/page")
def page():
    body = "<p>" + request.args["q"] + "</p>"
    resp = make_response(body)  # expect: VG403
    resp.set_cookie("session", sid)  # expect: VG401
    resp.set_cookie("theme", "dark", secure=True, httponly=True, samesite="Lax")  # ok
    resp.set_cookie("sid", sid, secure=True)  # expect: VG401
    resp.set_cookie("pref", v, httponly=True, secure=True, samesite="Strict")  # ok
    resp.set_cookie("a", v, secure=False, httponly=True, samesite="Lax")  # expect: VG401
    resp.set_cookie(**cookie_opts)  # ok
    return resp


@app.route("/safe")
def safe():
    return f"<h1>Hello {escape(request.args['n'])}</h1>"  # ok


@app.route("/plain")
def plain():
    return f"Hello {request.args['n']}"  # ok


@app.route("/static")
def static_page():
    return "<h1>Hi</h1>"  # ok


@app.route("/api/items")
def items():
    try:
        return jsonify(load())
    except Exception as e:
        return jsonify({"error": str(e)}), 500  # expect: VG402


@app.route("/api/x")
def x():
    try:
        return do()
    except ValueError as exc:
        return {"detail": repr(exc)}, 400  # expect: VG402


@app.route("/api/y")
def y():
    try:
        return do()
    except Exception:
        return make_response(traceback.format_exc(), 500)  # expect: VG402


@app.route("/api/z")
def z():
    try:
        return do()
    except Exception as e:
        app.logger.exception("failed: %s", e)  # ok
        return jsonify({"error": "internal error"}), 500  # ok


def helper():
    try:
        return do()
    except Exception as e:
        return str(e)  # ok


@app.route("/api/w")
def w():
    try:
        return do()
    except KeyError as e:
        return jsonify({"error": "missing field"}), 400  # ok


@app.route("/render")
def render():
    tpl = request.args.get("t")
    return render_template_string(tpl)  # expect: VG404[conf=medium]


render_template_string(f"<p>{user}</p>")  # expect: VG404[conf=high]
render_template_string("Hello " + name)  # expect: VG404
render_template_string("<p>{{ name }}</p>", name=name)  # ok
render_template_string(TEMPLATE)  # ok
render_template("page.html", name=name)  # ok

Markup(user_html)  # expect: B704
M2(f"<b>{name}</b>")  # expect: B704
Markup("<b>" + name + "</b>")  # expect: B704
Markup("<br>")  # ok
M2.escape(name)  # ok
Markup(BANNER)  # ok

CORS(app, supports_credentials=True)  # expect: VG405
CORS(app, origins="*", supports_credentials=True)  # expect: VG405
CORS(app, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)  # expect: VG405
CORS(app, origins=["https://app.example.com"], supports_credentials=True)  # ok
CORS(app)  # ok
CORS(app, origins="*")  # ok

app.config["SESSION_COOKIE_SECURE"] = False  # expect: VG401
app.config["SESSION_COOKIE_SECURE"] = True  # ok

if __name__ == "__main__":
    app.run(debug=True)  # expect: B201
    app.run(host="127.0.0.1", debug=False)  # ok
    app.run()  # ok
    app.run(debug=True, host="0.0.0.0")  # expect: B201,B104
    app.run(debug=os.environ.get("DEBUG") == "1")  # ok
    create_app().run(debug=True)  # expect: B201
