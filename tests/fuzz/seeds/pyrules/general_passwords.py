# B105/B106/B107 hard-coded credentials: secret-looking literals only
import os

password = "hunter2!"  # expect: B105
DB_PASSWORD = "s3cr3t-Pa55"  # expect: B105
self_token = "ghp_abc123def456"  # expect: B105
config["api_key"] = "sk-live-1234567890"  # expect: B105
if password == "letmein99":  # expect: B105
    pass
settings = {"secret": "zq8Yt6fV"}  # expect: B105

password = ""  # ok
password = os.environ["DB_PASSWORD"]  # ok
password = os.getenv("PW", "changeme")  # ok
token_type = "Bearer"  # ok
NEXT_TOKEN = "NextToken"  # ok
password_reset_url = "/reset"  # ok
TOKEN = "token"  # ok
password = "<your-password>"  # ok
secret = "xxxxxxxx"  # ok
password = "${DB_PASSWORD}"  # ok
pwd_prompt = "Enter password: "  # ok
token = "access_token"  # ok

connect(host="db", password="Tr0ub4dor&3")  # expect: B106
login(user="bob", token="abcd1234efgh")  # expect: B106
Client(api_key="9d8f7a6s5d4f3g2h")  # expect: B106
connect(password=os.environ["PW"])  # ok
connect(password="")  # ok
connect(password=None)  # ok
request(headers={"Authorization": "Bearer"})  # ok
SCHEMA_HASHES = {"AWS::ApiGateway::ApiKey": "4820abcd99"}  # ok


def login_user(user, password="admin123"):  # expect: B107
    pass


def connect_db(*, token="tok_9f8e7d6c"):  # expect: B107
    pass


def open_db(host, secret="hunter22", port=5432):  # expect: B107
    pass


def f1(password=None):  # ok
    pass


def f2(password=""):  # ok
    pass


def f3(token=DEFAULT_TOKEN):  # ok
    pass
