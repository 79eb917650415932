# B608: SQL statements built from non-constant parts; silent on constants,
# messages, placeholder lists, numbers and allow-listed identifiers
from sqlalchemy import text

ALLOWED_COLUMNS = ("name", "email")


def get_user(cur, uid):
    cur.execute(f"SELECT * FROM users WHERE id = {uid}")  # expect: B608[conf=high]


def by_name(cur, name):
    q = "SELECT id, name FROM users WHERE name = '%s'" % name  # expect: B608[conf=high]
    cur.execute(q)  # ok


def delete(db, table, key):
    db.execute("DELETE FROM " + table + " WHERE k = " + key)  # expect: B608[conf=high]


def upd(conn, col):
    conn.execute(text("UPDATE accounts SET {} = 1".format(col)))  # expect: B608[conf=high]


def report(v):
    sql = f"select count(*) from events where kind = '{v}'"  # expect: B608[conf=low]
    return sql


def insert(cur, vals):
    cur.executemany("INSERT INTO t (a) VALUES (%s)" % vals, [])  # expect: B608[conf=high]


def ok_cases(cur, uid, ids, col, n, rows, place):
    cur.execute("SELECT * FROM users WHERE id = %s", (uid,))  # ok
    cur.execute("SELECT * FROM users")  # ok
    msg = f"Please select from the list: {col}"  # ok
    log.info(f"SELECT * FROM users WHERE id = {uid}")  # ok
    q = f"SELECT * FROM t WHERE id IN ({','.join('?' * len(ids))})"  # ok
    cur.execute(q, ids)  # ok
    for c in ("name", "email"):
        cur.execute(f"SELECT {c} FROM users")  # ok
    cur.execute(f"SELECT * FROM users LIMIT {int(n)}")  # ok
    TABLE = "users"
    cur.execute(f"SELECT * FROM {TABLE}")  # ok
    print(f"selected {len(rows)} rows")  # ok
    s = f"Update your settings in {place}"  # ok
    if col not in ALLOWED_COLUMNS:
        raise ValueError(f"delete from {col} refused")  # ok
    cur.execute(f"SELECT {col} FROM users")  # ok
