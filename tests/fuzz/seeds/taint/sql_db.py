# Helpers in another module: the flow crosses the module boundary.
import sqlite3

conn = sqlite3.connect("app.db")


def _run(sql):
    return conn.execute(sql)  # expect: VG701


def find_user(name):
    return _run("SELECT * FROM users WHERE name = '%s'" % name)


def find_order(order_id, verbose=False):
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders WHERE id = " + order_id)  # expect: VG701
    return cur.fetchall()


def safe_count(n):
    cur = conn.cursor()
    cur.execute("SELECT * FROM t LIMIT ?", (int(n),))  # ok
    cur.execute("SELECT * FROM t LIMIT %d" % int(n))  # ok
